from django.urls import path

from sanxin.stations import views

app_name = "stations"
urlpatterns = [
    path("stations/", views.station_list, name="station_list"),
    path("stations/export/", views.station_export, name="station_export"),
    path("stations/new/", views.station_create, name="station_create"),
    path("stations/map/", views.station_map, name="station_map"),
    path("stations/circle/", views.circle, name="circle"),
    path("stations/demand/", views.demand_point_list, name="demand_point_list"),
    path("stations/demand/new/", views.demand_point_create, name="demand_point_create"),
    path("stations/demand/<int:pk>/delete/", views.demand_point_delete, name="demand_point_delete"),
    path("stations/<int:pk>/", views.station_detail, name="station_detail"),
    path("stations/<int:pk>/edit/", views.station_edit, name="station_edit"),
    path("stations/<int:pk>/code/", views.station_code, name="station_code"),
    path("stations/<int:pk>/code/renew/", views.station_code_renew, name="station_code_renew"),
    path("stations/<int:pk>/photos/", views.station_photo_add, name="station_photo_add"),
    path("stations/photos/<int:pk>/", views.station_photo, name="station_photo"),
    path("stations/photos/<int:pk>/delete/", views.station_photo_delete, name="station_photo_delete"),
    path("w/stations/", views.nearby, name="nearby"),
    path("w/checkin/<str:code>/", views.checkin, name="checkin"),
]
