from django.urls import path

from sanxin.study import views

app_name = "study"
urlpatterns = [
    path("study/materials/", views.material_list, name="material_list"),
    path("study/materials/new/", views.material_create, name="material_create"),
    path("study/materials/<int:pk>/", views.material_detail, name="material_detail"),
    path("study/materials/<int:pk>/edit/", views.material_edit, name="material_edit"),
    path("study/materials/<int:pk>/publish/", views.material_publish, name="material_publish"),
    path("study/materials/<int:pk>/withdraw/", views.material_withdraw, name="material_withdraw"),
    path("study/materials/<int:pk>/share/", views.material_share, name="material_share"),
    path("study/materials/<int:pk>/attachment/", views.material_attachment, name="material_attachment"),
    path("study/rates/", views.rate_list, name="rate_list"),
    path("study/rates/export/", views.rate_export, name="rate_export"),
    path("study/shares/<int:pk>/", views.share_detail, name="share_detail"),
    path("m/study/", views.mine, name="mine"),
    path("m/study/<int:pk>/", views.mine_detail, name="mine_detail"),
    path("m/study/<int:pk>/done/", views.mine_done, name="mine_done"),
    path("m/study/<int:pk>/attachment/", views.mine_attachment, name="mine_attachment"),
]
