"""The production URLs plus `/bench/bare/`: a bare Django JSON view (no database, no session, no template)
served by the same gunicorn, settings and middleware as the pages, the ceiling they are measured against."""

from django.http import JsonResponse
from django.urls import include, path


def bare(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("config.urls")),
]
