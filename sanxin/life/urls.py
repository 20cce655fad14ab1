from django.urls import path

from sanxin.life import compliance_views, views

app_name = "life"
urlpatterns = [
    path("life/meetings/", views.meeting_list, name="meeting_list"),
    path("life/meetings/new/", views.meeting_create, name="meeting_create"),
    path("life/meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("life/meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("life/meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("life/meetings/<int:pk>/photos/", views.meeting_photo_upload, name="meeting_photo_upload"),
    path("life/meetings/<int:pk>/photos/<int:photo_pk>/", views.meeting_photo, name="meeting_photo"),
    path("life/meetings/<int:pk>/photos/<int:photo_pk>/delete/", views.meeting_photo_delete, name="meeting_photo_delete"),
    path("life/types/", views.meeting_type_list, name="meeting_type_list"),
    path("life/types/<int:pk>/frequency/", views.meeting_type_frequency, name="meeting_type_frequency"),
    path("life/compliance/", compliance_views.compliance_overview, name="compliance_overview"),
    path("life/compliance/orgs/", compliance_views.compliance_orgs, name="compliance_orgs"),
    path("life/compliance/overdue/", compliance_views.compliance_overdue, name="compliance_overdue"),
    path("life/compliance/overdue/export/", compliance_views.compliance_overdue_export, name="compliance_overdue_export"),
    path("life/sign-in/", views.sign_in, name="sign_in"),
    path("life/sign-in/t/<str:token>/", views.sign_in_token, name="sign_in_token"),
]
