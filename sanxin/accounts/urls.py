from django.urls import path

from sanxin.accounts import audit_views, second_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("accounts/second-factor/enrol/", second_factor_views.enrol, name="second_factor_enrol"),
    path("accounts/second-factor/verify/", second_factor_views.verify, name="second_factor_verify"),
    path("accounts/tokens/", views.token_list, name="token_list"),
    path("accounts/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("my-unit/", views.my_unit, name="my_unit"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/phone/", views.user_phone, name="user_phone"),
    path("users/<int:pk>/roles/", views.user_roles, name="user_roles"),
    path("users/<int:pk>/second-factor/reset/", second_factor_views.reset, name="second_factor_reset"),
    path("audit/", audit_views.audit_list, name="audit_list"),
]
