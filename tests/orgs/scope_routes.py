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
]
EXEMPT: dict[str, str] = {
    "orgs:organization_create": "新建表单；地区、行业、园区按数据权限裁剪并校验，见 test_orgs.py::test_form_offers_only_scoped_choices",
}
