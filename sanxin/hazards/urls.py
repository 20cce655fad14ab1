from django.urls import path

from sanxin.hazards import open311, views

app_name = "hazards"
urlpatterns = [
    path("hazards/", views.hazard_list, name="list"),
    path("hazards/export/", views.hazard_export, name="export"),
    path("hazards/<int:pk>/", views.hazard_detail, name="detail"),
    path("hazards/<int:pk>/photos/<int:photo_pk>/", views.hazard_photo, name="photo"),
    path("hazards/<int:pk>/<slug:action>/", views.hazard_act, name="act"),
    path("w/hazards/", views.my_list, name="my_list"),
    path("w/hazards/new/", views.my_new, name="my_new"),
    path("w/hazards/nearby/", views.my_nearby, name="my_nearby"),
    path("w/hazards/<int:pk>/", views.my_detail, name="my_detail"),
    path("w/hazards/<int:pk>/photos/<int:photo_pk>/", views.my_photo, name="my_photo"),
    path("w/hazards/<int:pk>/join/", views.my_join, name="my_join"),
    path("open311/v2/services.<str:fmt>", open311.services_view, name="open311_services"),
    path("open311/v2/services/<str:code>.<str:fmt>", open311.service_definition, name="open311_service"),
    path("open311/v2/requests.<str:fmt>", open311.requests_view, name="open311_requests"),
    path("open311/v2/requests/<str:request_id>.<str:fmt>", open311.request_detail, name="open311_request"),
]
