from django.urls import include, path

from sanxin.orgs import views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.organization_list, name="organization_list"),
    path("orgs/export/", views.organization_export, name="organization_export"),
    path("orgs/new/", views.organization_create, name="organization_create"),
    path("orgs/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("orgs/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("", include("sanxin.orgs.coverage_urls")),
]
