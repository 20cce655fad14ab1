from django.urls import path

from sanxin.coverage import views

app_name = "coverage"
urlpatterns = [
    path("coverage/", views.coverage_overview, name="overview"),
    path("coverage/export/", views.coverage_export, name="export"),
]
