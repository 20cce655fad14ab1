from django.urls import path

from sanxin.core import views

app_name = "core"
urlpatterns = [
    path("messages/", views.messages_list, name="messages"),
    path("messages/read/", views.messages_read, name="messages_read"),
]
