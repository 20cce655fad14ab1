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
]
EXEMPT: dict[str, str] = {
    "party:party_org_create": (
        "新建表单；行业、园区按数据权限裁剪，上级党组织、覆盖组织检索选择并按数据权限校验，"
        "见 test_party.py::test_create_form_offers_only_scoped_choices"
    ),
}
