"""The installable phone app's files: the web app manifest, the service worker at the site's root, the page shown
for a page never opened while offline, and the CSRF token the outbox's replay asks for (sanxin.core.offline)."""

import json

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sanxin.core.offline import THEME_COLOR, asset_urls, cache_version

OFFLINE_URL = "/offline/"


@require_GET
def service_worker(request):
    """/sw.js at the site's root so its scope is the whole site; revalidated on every check, so updates apply."""
    context = {"assets": json.dumps(asset_urls()), "version": json.dumps(cache_version()), "offline_url": json.dumps(OFFLINE_URL)}
    response = render(request, "core/sw.js", context, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    data = {
        "name": "三新服务",
        "short_name": "三新",
        "description": "三新党建工作平台：党员和新就业群体的手机服务",
        "lang": "zh-CN",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": static("img/app-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/app-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("img/app-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json; charset=utf-8"
    return response


@require_GET
def offline_page(request):
    """What the phone shows for a page it has never opened while there is no network (precached by the worker)."""
    return render(request, "core/offline.html")


@never_cache
@require_GET
def csrf_token(request):
    """A fresh CSRF token for the outbox's replay (the CSRF cookie is HttpOnly, so the script cannot read it)."""
    return JsonResponse({"token": get_token(request)})
