from django.urls import path

from sanxin.members import views

app_name = "members"
urlpatterns = [
    path("members/", views.member_list, name="member_list"),
    path("members/export/", views.member_export, name="member_export"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/unmask/", views.member_unmask, name="member_unmask"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/development/", views.development_list, name="development_list"),
    path("members/development/new/", views.development_create, name="development_create"),
    path("members/development/<int:pk>/", views.development_detail, name="development_detail"),
    path("members/development/<int:pk>/<slug:step>/", views.development_step, name="development_step"),
]
