from django.urls import path

from sanxin.workers import phone_views, views

app_name = "workers"
urlpatterns = [
    path("workers/", views.worker_list, name="worker_list"),
    path("workers/export/", views.worker_export, name="worker_export"),
    path("workers/new/", views.worker_create, name="worker_create"),
    path("workers/<int:pk>/", views.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/unmask/", views.worker_unmask, name="worker_unmask"),
    path("workers/<int:pk>/edit/", views.worker_edit, name="worker_edit"),
    path("workers/platforms/", views.platform_list, name="platform_list"),
    path("workers/platforms/new/", views.platform_create, name="platform_create"),
    path("workers/platforms/<int:pk>/edit/", views.platform_edit, name="platform_edit"),
    # The worker's own phone pages.
    path("w/", phone_views.home, name="w_home"),
    path("w/login/", phone_views.login_page, name="w_login"),
    path("w/logout/", phone_views.logout_view, name="w_logout"),
    path("w/register/", phone_views.register, name="w_register"),
    path("w/regions/", phone_views.regions, name="w_regions"),
    path("w/consent/", phone_views.consent, name="w_consent"),
    path("w/me/", phone_views.me, name="w_me"),
    path("w/me/unmask/", phone_views.me_unmask, name="w_me_unmask"),
    path("w/me/edit/", phone_views.me_edit, name="w_me_edit"),
    path("w/me/area/", phone_views.me_area, name="w_me_area"),
    path("w/me/export/", phone_views.me_export, name="w_me_export"),
    path("w/me/delete/", phone_views.me_delete, name="w_me_delete"),
]
