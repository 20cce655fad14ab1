"""Scope-test routes of Party organizations and their picker; collected by tests/scope_registry.py."""

from django.urls import reverse

from tests.scope_registry import PARTY_ORG, PARTY_ORG_OWN, Route

ROUTES: list = [
    Route("party:party_org_list", "list", PARTY_ORG, "party.view", list_url="/party/?size=100"),
    Route("party:party_org_tree", "tree", PARTY_ORG, "party.view", list_url="/party/tree/"),
    Route("party:party_org_detail", "detail", PARTY_ORG, "party.view", url=lambda p: reverse("party:party_org_detail", args=[p.pk])),
    Route("party:party_org_edit", "detail", PARTY_ORG_OWN, "party.manage", url=lambda p: reverse("party:party_org_edit", args=[p.pk])),
    Route("party:party_org_export", "export", PARTY_ORG, "party.view", list_url="/party/export/"),
    Route("party:party_org_lookup", "tree", PARTY_ORG, "party.view", list_url="/party/lookup/?field=parent&q=标记党支部&limit=50"),
    Route(
        "party:party_org_lookup",
        "detail",
        PARTY_ORG,
        "party.view",
        url=lambda p: f"{reverse('party:party_org_lookup')}?field=parent&pick={p.pk}",
    ),
    Route(
        "api:list_party_orgs",
        "api_list",
        PARTY_ORG,
        "party.view",
        list_url="/api/v1/party?limit=200",
        api_items=lambda data: [item["name"] for item in data["items"]],
    ),
    Route("api:get_party_org", "api_detail", PARTY_ORG, "party.view", url=lambda p: f"/api/v1/party/{p.pk}"),
]
EXEMPT: dict[str, str] = {
    "party:party_org_create": (
        "新建表单；行业、园区按数据权限裁剪，上级党组织、覆盖组织检索选择并按数据权限校验，"
        "见 test_party.py::test_create_form_offers_only_scoped_choices"
    ),
    "api:create_party_org": (
        "接口新增；地区、行业、园区、上级党组织、覆盖组织用表单的同一字段按数据权限查找，范围外 422，"
        "见 tests/party/test_api.py::test_covered_organizations_and_parent_outside_the_scope_are_refused"
    ),
    "api:update_party_org": (
        "接口修改；经 access_party_org(for_write=True) 取得（只经覆盖组织看到的也为 404），不改动，"
        "见 tests/party/test_api.py::test_update_outside_the_scope_or_only_seen_through_is_404"
    ),
}
