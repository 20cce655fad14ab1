from django.urls import path

from sanxin.orgs import views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.organization_list, name="organization_list"),
    path("orgs/export/", views.organization_export, name="organization_export"),
    path("orgs/lookup/", views.organization_lookup, name="organization_lookup"),
    path("orgs/new/", views.organization_create, name="organization_create"),
    path("orgs/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("orgs/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
]
