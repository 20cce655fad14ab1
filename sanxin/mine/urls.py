from django.urls import path

from sanxin.mine import views

app_name = "mine"
urlpatterns = [
    path("m/me/", views.me, name="me"),
    path("m/organization/", views.organization, name="organization"),
    path("m/meetings/", views.meetings, name="meetings"),
    path("m/meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("m/meetings/<int:pk>/leave/", views.meeting_leave, name="meeting_leave"),
    path("m/meetings/<int:pk>/sign-in/", views.meeting_sign_in_now, name="meeting_sign_in"),
    path("m/meetings/<int:pk>/calendar.ics", views.meeting_ics, name="meeting_ics"),
    path("m/reports/", views.reports, name="reports"),
    path("m/data/", views.data, name="data"),
    path("m/data/unmask/", views.data_unmask, name="data_unmask"),
    path("m/data/export/", views.data_export, name="data_export"),
    path("m/calendar/", views.calendar_page, name="calendar"),
    path("m/calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("m/calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
