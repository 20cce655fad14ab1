from django.urls import path

from sanxin.care import views

app_name = "care"
urlpatterns = [
    path("care/", views.activity_list, name="list"),
    path("care/export/", views.activity_export, name="export"),
    path("care/new/", views.care_activity_create, name="create"),
    path("care/served/", views.served, name="served"),
    path("care/served/export/", views.served_export, name="served_export"),
    path("care/<int:pk>/", views.activity_detail, name="detail"),
    path("care/<int:pk>/edit/", views.activity_edit, name="edit"),
    path("care/<int:pk>/act/", views.activity_act, name="act"),
    path("care/<int:pk>/code/", views.activity_code, name="code"),
    path("care/<int:pk>/walk-ins/", views.walk_ins, name="walk_ins"),
    path("care/signups/<int:pk>/checkin/", views.staff_checkin, name="staff_checkin"),
    path("w/care/", views.my_care, name="my_care"),
    path("w/care/code/", views.enter_code, name="enter_code"),
    path("w/care/<int:pk>/", views.my_activity, name="my_activity"),
    path("w/care/<int:pk>/signup/", views.my_signup, name="my_signup"),
    path("w/care/<int:pk>/cancel/", views.my_cancel, name="my_cancel"),
    path("w/care/checkin/<str:code>/", views.my_checkin, name="my_checkin"),
]
