from django.urls import path

from sanxin.members import transfer_views, views

app_name = "members"
urlpatterns = [
    path("members/", views.member_list, name="member_list"),
    path("members/export/", views.member_export, name="member_export"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/unmask/", views.member_unmask, name="member_unmask"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/transfer/", transfer_views.transfer_create, name="transfer_create"),
    path("members/transfers/", transfer_views.transfer_list, name="transfer_list"),
    path("members/transfers/export/", transfer_views.transfer_export, name="transfer_export"),
    path("members/transfers/destinations/", transfer_views.transfer_destination_lookup, name="transfer_destination_lookup"),
    path("members/transfers/<int:pk>/", transfer_views.transfer_detail, name="transfer_detail"),
    path("members/transfers/<int:pk>/<slug:step>/", transfer_views.transfer_step, name="transfer_step"),
    path("members/development/", views.development_list, name="development_list"),
    path("members/development/new/", views.development_create, name="development_create"),
    path("members/development/<int:pk>/", views.development_detail, name="development_detail"),
    path("members/development/<int:pk>/<slug:step>/", views.development_step, name="development_step"),
]
