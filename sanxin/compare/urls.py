from django.urls import path

from sanxin.compare import views

app_name = "compare"
urlpatterns = [
    path("compare/", views.comparison_list, name="list"),
    path("compare/<int:pk>/", views.comparison_detail, name="detail"),
    path("compare/<int:pk>/export/", views.export, name="export"),
    path("compare/<int:pk>/rows/<int:row_pk>/review/", views.review, name="review"),
    path("compare/<int:pk>/retry/", views.retry, name="retry"),
    path("compare/<int:pk>/create-new/", views.create_new, name="create_new"),
    path("compare/<int:pk>/deregister/", views.deregister, name="deregister"),
]
