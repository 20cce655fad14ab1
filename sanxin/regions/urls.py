from django.urls import path

from sanxin.regions import views

app_name = "regions"
urlpatterns = [
    path("regions/", views.browse, name="browse"),
    path("zones/", views.zone_list, name="zone_list"),
    path("zones/new/", views.zone_create, name="zone_create"),
    path("zones/<int:pk>/edit/", views.zone_edit, name="zone_edit"),
    path("regions/<str:code>/", views.browse, name="browse_region"),
]
