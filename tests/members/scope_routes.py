"""Scope-test routes of Party members; collected by tests/scope_registry.py."""

from django.urls import reverse

from tests.scope_registry import MEMBER, MEMBER_OWN, Route

ROUTES: list = [
    Route("members:member_list", "list", MEMBER, "members.view", list_url="/members/?size=100"),
    Route("members:member_detail", "detail", MEMBER, "members.view", url=lambda m: reverse("members:member_detail", args=[m.pk])),
    Route("members:member_unmask", "detail", MEMBER, "members.unmask", url=lambda m: reverse("members:member_unmask", args=[m.pk])),
    Route("members:member_edit", "detail", MEMBER_OWN, "members.manage", url=lambda m: reverse("members:member_edit", args=[m.pk])),
    Route("members:member_export", "export", MEMBER, "members.view", list_url="/members/export/"),
    Route(
        "api:list_members",
        "api_list",
        MEMBER,
        "members.view",
        list_url="/api/v1/members?limit=200",
        api_items=lambda data: [item["name"] for item in data["items"]],
    ),
    Route("api:get_member", "api_detail", MEMBER, "members.view", url=lambda m: f"/api/v1/members/{m.pk}"),
]
EXEMPT: dict[str, str] = {
    "members:member_create": (
        "新建表单；所在党组织只列可维护的（本地管辖的或书记本人所在的），工作单位按数据权限检索，"
        "见 tests/members/test_members.py::test_party_organization_outside_the_scope_is_refused"
    ),
    "api:create_member": (
        "接口登记；所在党组织用表单的同一字段在可维护的党组织中查找，范围外 422，见 tests/members/test_api.py::test_scope_and_capability"
    ),
    "api:update_member": (
        "接口修改；经 access_member(for_write=True) 取得（只经覆盖组织看到的也为 404），"
        "见 tests/members/test_api.py::test_scope_and_capability"
    ),
}
