"""Scope-test routes of the organization registry and its picker; collected by tests/scope_registry.py."""

from django.urls import reverse

from tests.scope_registry import ORGANIZATION, Route

ROUTES: list = [
    Route("orgs:organization_list", "list", ORGANIZATION, "orgs.view", list_url="/orgs/?size=100"),
    Route("orgs:organization_detail", "detail", ORGANIZATION, "orgs.view", url=lambda o: reverse("orgs:organization_detail", args=[o.pk])),
    Route("orgs:organization_edit", "detail", ORGANIZATION, "orgs.manage", url=lambda o: reverse("orgs:organization_edit", args=[o.pk])),
    Route("orgs:organization_export", "export", ORGANIZATION, "orgs.view", list_url="/orgs/export/"),
    Route("orgs:organization_lookup", "tree", ORGANIZATION, "orgs.view", list_url="/orgs/lookup/?field=parent&q=标记组织&limit=50"),
    Route(
        "orgs:organization_lookup",
        "detail",
        ORGANIZATION,
        "orgs.view",
        url=lambda o: f"{reverse('orgs:organization_lookup')}?field=parent&pick={o.credit_code}",
    ),
    Route(
        "api:list_organizations",
        "api_list",
        ORGANIZATION,
        "orgs.view",
        list_url="/api/v1/orgs?limit=200",
        api_items=lambda data: [item["name"] for item in data["items"]],
    ),
    Route("api:get_organization", "api_detail", ORGANIZATION, "orgs.view", url=lambda o: f"/api/v1/orgs/{o.pk}"),
]
EXEMPT: dict[str, str] = {
    "orgs:organization_create": "新建表单；地区、行业、园区按数据权限裁剪并校验，见 test_orgs.py::test_form_offers_only_scoped_choices",
    "api:create_organization": (
        "接口新增；地区、行业、园区、上级单位用表单的同一字段按数据权限查找，范围外一律 422，"
        "见 tests/orgs/test_api.py::test_create_refuses_what_the_page_refuses、test_create_refuses_a_parent_outside_the_scope"
    ),
    "api:update_organization": (
        "接口修改；经 access_organization(for_write=True) 取得，范围外 404 且不改动，"
        "见 tests/orgs/test_api.py::test_update_outside_the_scope_is_404_and_changes_nothing"
    ),
}
