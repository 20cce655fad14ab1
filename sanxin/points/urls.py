from django.urls import path

from sanxin.points import views

app_name = "points"
urlpatterns = [
    path("points/", views.report, name="report"),
    path("points/export/", views.report_export, name="report_export"),
    path("points/rules/", views.rules, name="rules"),
    path("points/rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("points/rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("points/rewards/", views.rewards, name="rewards"),
    path("points/rewards/<int:pk>/", views.reward_edit, name="reward_edit"),
    path("points/redemptions/", views.redemption_list, name="redemptions"),
    path("points/redemptions/export/", views.redemption_export, name="redemption_export"),
    path("points/redemptions/code/", views.redemption_code, name="redemption_code"),
    path("points/redemptions/<int:pk>/", views.redemption_detail, name="redemption"),
    path("points/redemptions/<int:pk>/<slug:action>/", views.redemption_act, name="redemption_act"),
    path("points/workers/<int:pk>/", views.worker_ledger, name="worker_ledger"),
    path("w/points/", views.my_points, name="my_points"),
    path("w/points/rewards/", views.my_rewards, name="my_rewards"),
    path("w/points/rewards/<int:pk>/redeem/", views.my_redeem, name="my_redeem"),
    path("w/points/redemptions/", views.my_redemptions, name="my_redemptions"),
    path("w/points/redemptions/<int:pk>/", views.my_redemption, name="my_redemption"),
    path("w/points/redemptions/<int:pk>/cancel/", views.my_cancel, name="my_cancel"),
]
