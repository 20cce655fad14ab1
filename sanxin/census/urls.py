from django.urls import path

from sanxin.census import views

app_name = "census"
urlpatterns = [
    path("census/", views.campaign_list_page, name="campaign_list"),
    path("census/export/", views.campaign_list_export, name="campaign_list_export"),
    path("census/new/", views.campaign_create, name="campaign_create"),
    path("census/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("census/<int:pk>/export/", views.campaign_export, name="campaign_export"),
    path("census/<int:pk>/<str:step>/", views.campaign_step, name="campaign_step"),
    path("census/<int:pk>/orgs/<int:org_pk>/", views.record, name="record"),
    path("todos/", views.todo_list_page, name="todo_list"),
    path("todos/export/", views.todo_export, name="todo_export"),
    path("todos/<int:pk>/", views.todo_detail, name="todo_detail"),
]
