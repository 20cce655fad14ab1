from django.urls import include, path

from sanxin.orgs import views, work_views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.organization_list, name="organization_list"),
    path("orgs/export/", views.organization_export, name="organization_export"),
    path("orgs/lookup/", views.organization_lookup, name="organization_lookup"),
    path("orgs/new/", views.organization_create, name="organization_create"),
    path("orgs/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("orgs/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("instructors/", work_views.instructor_list, name="instructor_list"),
    path("instructors/export/", work_views.instructor_export, name="instructor_export"),
    path("instructors/new/", work_views.instructor_create, name="instructor_create"),
    path("instructors/<int:pk>/", work_views.instructor_detail, name="instructor_detail"),
    path("instructors/<int:pk>/export/", work_views.instructor_work_export, name="instructor_work_export"),
    path("assignments/<int:pk>/visit/", work_views.assignment_visit, name="assignment_visit"),
    path("assignments/<int:pk>/end/", work_views.assignment_end, name="assignment_end"),
    path("census/", work_views.census_list, name="census_list"),
    path("census/export/", work_views.census_list_export, name="census_list_export"),
    path("census/new/", work_views.census_create, name="census_create"),
    path("census/<int:pk>/", work_views.census_detail, name="census_detail"),
    path("census/<int:pk>/export/", work_views.census_export, name="census_export"),
    path("census/<int:pk>/orgs/<int:org_pk>/", work_views.census_record, name="census_record"),
    path("todos/", work_views.todo_list, name="todo_list"),
    path("todos/export/", work_views.todo_export, name="todo_export"),
    path("todos/<int:pk>/close/", work_views.todo_close, name="todo_close"),
    path("", include("sanxin.orgs.coverage_urls")),
]
