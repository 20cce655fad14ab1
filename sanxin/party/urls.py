from django.urls import path

from sanxin.party import views

app_name = "party"
urlpatterns = [
    path("party/", views.party_org_list, name="party_org_list"),
    path("party/tree/", views.party_org_tree, name="party_org_tree"),
    path("party/export/", views.party_org_export, name="party_org_export"),
    path("party/lookup/", views.party_org_lookup, name="party_org_lookup"),
    path("party/new/", views.party_org_create, name="party_org_create"),
    path("party/<int:pk>/", views.party_org_detail, name="party_org_detail"),
    path("party/<int:pk>/edit/", views.party_org_edit, name="party_org_edit"),
]
