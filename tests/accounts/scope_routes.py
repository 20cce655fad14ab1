"""Scope-test routes of units, users, tokens, the audit page; collected by tests/scope_registry.py."""

from django.urls import reverse

from tests.scope_registry import UNIT, USER, Route

ROUTES: list = [
    Route("accounts:unit_list", "list", UNIT, "units.view", list_url="/units/?size=100"),
    Route("accounts:unit_detail", "detail", UNIT, "units.view", url=lambda u: reverse("accounts:unit_detail", args=[u.pk])),
    Route("accounts:unit_edit", "detail", UNIT, "units.manage", url=lambda u: reverse("accounts:unit_edit", args=[u.pk])),
    Route("accounts:user_list", "list", USER, "users.view", list_url="/users/?size=100"),
    Route("accounts:user_detail", "detail", USER, "users.view", url=lambda u: reverse("accounts:user_detail", args=[u.pk])),
    Route("accounts:user_edit", "detail", USER, "users.manage", url=lambda u: reverse("accounts:user_edit", args=[u.pk])),
    Route("accounts:user_roles", "detail", USER, "roles.grant", url=lambda u: reverse("accounts:user_roles", args=[u.pk])),
    Route(
        "api:units",
        "api_list",
        UNIT,
        "units.view",
        list_url="/api/v1/units?limit=200",
        api_items=lambda data: [item["name"] for item in data["items"]],
    ),
    Route("api:unit_detail", "api_detail", UNIT, "units.view", url=lambda u: f"/api/v1/units/{u.pk}"),
    Route("accounts:user_phone", "detail", USER, "user_phone_unmask", url=lambda u: reverse("accounts:user_phone", args=[u.pk])),
]
EXEMPT: dict[str, str] = {
    "accounts:login": "登录页",
    "accounts:logout": "退出",
    "accounts:password_change": "只作用于本人",
    "accounts:my_unit": "只列出本人所在单位的人员（姓名、角色），见 test_accounts.py::test_staff_see_only_their_own_units_people",
    "accounts:unit_create": (
        "新建表单；上级单位、限定园区、区划选择器按数据权限裁剪（县级管理者只见本县），服务再校验，"
        "见 test_accounts.py::test_forms_offer_only_scoped_choices"
    ),
    "accounts:user_create": (
        "新建表单；可选单位按数据权限裁剪（县级管理者只见本县），服务再校验，见 test_accounts.py::test_forms_offer_only_scoped_choices"
    ),
    "accounts:audit_list": "不按区划裁剪：只有审计管理员可见，见 test_audit_page_only_for_audit_admin",
    "api:me": "只返回本人",
    "accounts:second_factor_enrol": "只作用于本人：绑定本人的身份验证器",
    "accounts:second_factor_verify": "只作用于本人：验证本人的动态口令",
    "accounts:second_factor_reset": (
        "只接受 POST；对象经 access_user（须有授予角色权限）取得，范围外为 404，见 test_second_factor.py::test_reset_only_in_scope"
    ),
    "accounts:token_list": "只列出、创建本人的令牌，见 test_api.py::test_token_page_lists_only_own_tokens",
    "accounts:token_revoke": "只接受 POST，只找本人的令牌，他人的令牌为 404，见 test_api.py::test_other_users_token_cannot_be_revoked",
    "api:create_token": "只为调用者本人创建令牌，见 test_api.py::test_session_write_needs_csrf",
}
