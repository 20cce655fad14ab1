from django.urls import path

from sanxin.regions import views

app_name = "regions"
urlpatterns = [
    path("regions/", views.browse, name="browse"),
    path("regions/<str:code>/", views.browse, name="browse_region"),
]
