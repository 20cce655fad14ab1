from django.urls import path

from sanxin.orgs import coverage_views

# Coverage pages (rates, drill-down, lists behind the numbers).
urlpatterns = [
    path("coverage/", coverage_views.coverage_overview, name="coverage_overview"),
    path("coverage/export/", coverage_views.coverage_export, name="coverage_export"),
]
