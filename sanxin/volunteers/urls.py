from django.urls import path

from sanxin.volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("volunteers/", views.team_list, name="list"),
    path("volunteers/export/", views.team_export, name="export"),
    path("volunteers/new/", views.volunteer_team_create, name="create"),
    path("volunteers/records/", views.record_list, name="records"),
    path("volunteers/records/export/", views.record_export, name="records_export"),
    path("volunteers/records/<int:pk>/", views.record_detail, name="record"),
    path("volunteers/records/<int:pk>/act/", views.record_act, name="record_act"),
    path("volunteers/<int:pk>/", views.team_detail, name="detail"),
    path("volunteers/<int:pk>/edit/", views.team_edit, name="edit"),
    path("volunteers/<int:pk>/members/", views.volunteer_member_add, name="volunteer_member_add"),
    path("volunteers/<int:pk>/members/<int:worker_pk>/remove/", views.volunteer_member_remove, name="volunteer_member_remove"),
    path("volunteers/<int:pk>/records/new/", views.record_new, name="record_new"),
    path("w/teams/", views.my_teams, name="my_teams"),
    path("w/teams/<int:pk>/", views.my_team, name="my_team"),
    path("w/teams/<int:pk>/join/", views.my_join, name="my_join"),
    path("w/teams/<int:pk>/leave/", views.my_leave, name="my_leave"),
    path("w/teams/<int:pk>/records/new/", views.my_record_new, name="my_record_new"),
]
