from django.urls import path

from sanxin.imports import views

app_name = "imports"
urlpatterns = [
    path("imports/jobs/", views.job_list, name="job_list"),
    path("imports/jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("imports/jobs/<int:pk>/errors.xlsx", views.job_errors, name="job_errors"),
    path("imports/jobs/<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("imports/<slug:registry>/", views.upload, name="upload"),
    path("imports/<slug:registry>/template.xlsx", views.template, name="template"),
]
