"""Scope-test routes of Party members; collected by tests/scope_registry.py."""

from django.urls import reverse

from sanxin.members.models import Development
from tests.scope_registry import MEMBER, MEMBER_OWN, PARTY_ORG, Entity, Route


def _secretary_of(development, user) -> bool:
    """A Party secretary sees the people their own Party organization cultivates."""
    return user.roles.filter(role="party_secretary").exists() and development.party_organization.members.filter(user=user).exists()


# Seen by whoever sees the cultivating Party organization.
DEVELOPMENT = Entity(
    Development,
    region_code=lambda d: d.party_organization.region_id,
    marker=lambda d: d.name,
    personal=_secretary_of,
    places=lambda d: PARTY_ORG.places(d.party_organization),
)

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
    Route("members:development_list", "list", DEVELOPMENT, "members.view", list_url="/members/development/?size=100"),
    Route(
        "members:development_detail",
        "detail",
        DEVELOPMENT,
        "members.view",
        url=lambda d: reverse("members:development_detail", args=[d.pk]),
    ),
    Route(
        "api:list_developments",
        "api_list",
        DEVELOPMENT,
        "members.view",
        list_url="/api/v1/developments?limit=200",
        api_items=lambda data: [item["name"] for item in data["items"]],
    ),
    Route("api:get_development", "api_detail", DEVELOPMENT, "members.view", url=lambda d: f"/api/v1/developments/{d.pk}"),
]
EXEMPT: dict[str, str] = {
    "members:development_create": (
        "新建表单；培养党组织和推荐党组织只列可维护的，服务再查一次，见 tests/members/test_development_pages.py"
    ),
    "api:create_development": (
        "接口登记入党申请；培养党组织、推荐党组织用表单的同一字段在可维护的党组织中查找，范围外 422，"
        "见 tests/members/test_development_api.py"
    ),
    **{
        f"api:development_{step}": (
            "接口办理发展步骤；经 access_development(for_write=True) 取得，范围外 404，"
            "见 tests/members/test_development_api.py::test_list_with_stage_counts_and_scope"
        )
        for step in ("activist", "candidate", "admit", "full")
    },
    "members:development_step": (
        "只收 POST；经 access_development(for_write=True) 取得，范围外 404，"
        "见 tests/members/test_development_pages.py::test_a_viewer_without_the_right_sees_no_buttons_and_outsiders_get_404"
    ),
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
