from django.urls import path

from sanxin.selections import views

app_name = "selections"
urlpatterns = [
    path("selections/", views.campaign_list, name="list"),
    path("selections/export/", views.campaign_export, name="export"),
    path("selections/new/", views.campaign_create, name="create"),
    path("selections/nominations/export/", views.nomination_export, name="nomination_export"),
    path("selections/nominations/<int:pk>/<slug:action>/", views.nomination_act, name="nomination_act"),
    path("selections/objections/<int:pk>/<slug:decision>/", views.objection_act, name="objection_act"),
    path("selections/honours/<int:pk>/revoke/", views.honour_revoke, name="honour_revoke"),
    path("selections/<int:pk>/", views.campaign_detail, name="detail"),
    path("selections/<int:pk>/nominate/", views.campaign_nominate, name="nominate"),
    path("selections/<int:pk>/<slug:action>/", views.campaign_act, name="act"),
    path("notice/selections/", views.notice_index, name="notice_index"),
    path("notice/selections/<int:pk>/", views.notice, name="notice"),
    path("notice/selections/<int:pk>/object/<int:nomination_pk>/", views.notice_object, name="notice_object"),
    path("w/honours/", views.my_honours, name="my_honours"),
    path("w/honours/campaigns/<int:pk>/nominate/", views.my_nominate, name="my_nominate"),
]
