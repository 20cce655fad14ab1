from django.urls import path

from sanxin.appeals import views

app_name = "appeals"
urlpatterns = [
    path("appeals/", views.appeal_list, name="list"),
    path("appeals/export/", views.appeal_export, name="export"),
    path("appeals/new/", views.appeal_create, name="create"),
    path("appeals/routing/", views.routing, name="routing"),
    path("appeals/routing/<int:pk>/", views.routing_edit, name="routing_edit"),
    path("appeals/routing/<int:pk>/delete/", views.routing_delete, name="routing_delete"),
    path("appeals/rates/", views.rates, name="rates"),
    path("appeals/<int:pk>/", views.appeal_detail, name="detail"),
    path("appeals/<int:pk>/photos/<int:photo_pk>/", views.appeal_photo, name="photo"),
    path("appeals/<int:pk>/<slug:action>/", views.appeal_act, name="act"),
    path("w/appeals/", views.my_list, name="my_list"),
    path("w/appeals/new/", views.my_new, name="my_new"),
    path("w/appeals/nearby/", views.my_nearby, name="my_nearby"),
    path("w/appeals/<int:pk>/", views.my_detail, name="my_detail"),
    path("w/appeals/<int:pk>/photos/<int:photo_pk>/", views.my_photo, name="my_photo"),
    path("w/appeals/<int:pk>/support/", views.my_support, name="my_support"),
    path("w/appeals/<int:pk>/<slug:action>/", views.my_act, name="my_act"),
]
