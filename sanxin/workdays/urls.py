from django.urls import path

from sanxin.workdays import views

app_name = "workdays"
urlpatterns = [
    path("workdays/", views.year_page, name="list"),
    path("workdays/<int:pk>/delete/", views.workday_adjustment_delete, name="delete"),
]
