from django.urls import path

from sanxin.members import identity_views, mobility_views, transfer_views, views

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
    # 亮身份报到: the person's phone pages, and the receiving side's
    path("m/identity/", identity_views.identity_mine, name="identity_mine"),
    path("m/identity/new/", identity_views.identity_report_new, name="identity_report_new"),
    path("members/identity/lookup/", identity_views.identity_target_lookup, name="identity_target_lookup"),
    path("members/identity/", identity_views.identity_list, name="identity_list"),
    path("members/identity/new/", identity_views.identity_create, name="identity_create"),
    path("members/identity/<int:pk>/", identity_views.identity_detail, name="identity_detail"),
    path("members/identity/<int:pk>/confirm/", identity_views.identity_confirm, name="identity_confirm"),
    path("members/identity/<int:pk>/decline/", identity_views.identity_decline, name="identity_decline"),
    # 流动党员
    path("members/mobile/", mobility_views.mobile_list, name="mobile_list"),
    path("members/<int:pk>/mobility/", mobility_views.member_mobility, name="member_mobility"),
    path("members/<int:pk>/mobility/<slug:action>/", mobility_views.member_mobility_action, name="member_mobility_action"),
    path("members/mobile/<int:pk>/end/", mobility_views.mobile_registration_end, name="mobile_registration_end"),
]
