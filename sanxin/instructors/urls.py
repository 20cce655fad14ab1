from django.urls import path

from sanxin.instructors import views

app_name = "instructors"
urlpatterns = [
    path("instructors/", views.instructor_list, name="list"),
    path("instructors/export/", views.instructor_export, name="export"),
    path("instructors/new/", views.instructor_create, name="create"),
    path("instructors/<int:pk>/", views.instructor_detail, name="detail"),
    path("instructors/<int:pk>/export/", views.instructor_work_export, name="work_export"),
    path("assignments/<int:pk>/visit/", views.assignment_visit, name="assignment_visit"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
]
