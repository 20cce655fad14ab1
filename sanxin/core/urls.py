from django.urls import path

from sanxin.core import app_views, views

app_name = "core"
urlpatterns = [
    path("messages/", views.messages_list, name="messages"),
    path("messages/read/", views.messages_read, name="messages_read"),
    path("sw.js", app_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", app_views.manifest, name="manifest"),
    path("offline/", app_views.offline_page, name="offline"),
    path("offline/csrf/", app_views.csrf_token, name="offline_csrf"),
]
