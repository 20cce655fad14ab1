"""Scope-test routes of Party members; collected by tests/scope_registry.py."""

from django.urls import reverse

from sanxin.members.models import Development, IdentityReport, Member, MobileRegistration, Transfer
from tests.members.world_mobility import make_world_mobility
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


def _secretary_of_either_side(transfer, user) -> bool:
    """A Party secretary sees the transfers out of and into their own Party organization."""
    if not user.roles.filter(role="party_secretary").exists():
        return False
    return any(org.members.filter(user=user).exists() for org in (transfer.from_organization, transfer.to_organization))


# Two-sided: seen by whoever sees the sending or the receiving Party organization.
TRANSFER = Entity(
    Transfer,
    region_code=lambda t: t.from_organization.region_id,
    marker=lambda t: t.member.name,
    personal=_secretary_of_either_side,
    places=lambda t: [*PARTY_ORG.places(t.from_organization), *PARTY_ORG.places(t.to_organization)],
)

# The 转入 tab: seen from the receiving side only.
TRANSFER_IN = Entity(
    Transfer,
    region_code=lambda t: t.to_organization.region_id,
    marker=lambda t: t.member.name,
    personal=lambda t, user: user.roles.filter(role="party_secretary").exists() and t.to_organization.members.filter(user=user).exists(),
    places=lambda t: PARTY_ORG.places(t.to_organization),
)


def _receiving_secretary(report, user) -> bool:
    """A report is the reporter's own, and seen by the secretary of the Party organization it is made to."""
    return report.reporter_id == user.pk or _secretary_of(report, user)


# 亮身份报到: seen by whoever sees the receiving Party organization (and its reporter, on their own pages).
IDENTITY_REPORT = Entity(
    IdentityReport,
    region_code=lambda r: r.party_organization.region_id,
    marker=lambda r: r.name,
    personal=_receiving_secretary,
    places=lambda r: PARTY_ORG.places(r.party_organization),
)
# The person's own reports (the phone page, the API with mine=true): only the reporter's.
IDENTITY_OWN = Entity(
    IdentityReport, region_code=lambda r: None, marker=lambda r: r.name, personal=lambda r, user: r.reporter_id == user.pk
)


def _arriving_at(registration):
    """The destination Party organization of an outflow, if one is recorded."""
    return registration.destination_organization if registration.direction == "outflow" else None


def _registration_personal(registration, user) -> bool:
    """The member's own; for a Party secretary, their Party organization's, and the outflows to it."""
    if MEMBER.personal(registration.member, user):
        return True
    target = _arriving_at(registration)
    return target is not None and user.roles.filter(role="party_secretary").exists() and target.members.filter(user=user).exists()


# A mobile registration is seen where its member is seen; an outflow also by the destination Party organization's side.
MOBILE_REGISTRATION = Entity(
    MobileRegistration,
    region_code=lambda g: g.member.party_organization.region_id,
    marker=lambda g: g.member.name,
    personal=_registration_personal,
    places=lambda g: [*MEMBER.places(g.member), *(PARTY_ORG.places(_arriving_at(g)) if _arriving_at(g) else [])],
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
    Route("members:transfer_list", "list", TRANSFER, "members.view", list_url="/members/transfers/?size=100"),
    Route(
        "members:transfer_list",
        "list",
        TRANSFER,
        "members.view",
        list_url="/members/transfers/?size=100&state=initiated",
        queryset=lambda: Transfer.objects.filter(state="initiated"),
    ),
    Route("members:transfer_list", "list", TRANSFER_IN, "members.view", list_url="/members/transfers/?size=100&direction=in"),
    Route(
        "members:transfer_detail",
        "detail",
        TRANSFER,
        "members.view",
        url=lambda t: reverse("members:transfer_detail", args=[t.pk]),
    ),
    Route("members:transfer_export", "export", TRANSFER, "members.view", list_url="/members/transfers/export/"),
    Route(
        "api:list_transfers",
        "api_list",
        TRANSFER,
        "members.view",
        list_url="/api/v1/transfers?limit=200",
        api_items=lambda data: [item["member"]["name"] for item in data["items"]],
    ),
    Route("api:get_transfer", "api_detail", TRANSFER, "members.view", url=lambda t: f"/api/v1/transfers/{t.pk}"),
    # 亮身份报到
    Route("members:identity_list", "list", IDENTITY_REPORT, "members.view", list_url="/members/identity/?size=100"),
    Route(
        "members:identity_detail", "detail", IDENTITY_REPORT, "members.view", url=lambda r: reverse("members:identity_detail", args=[r.pk])
    ),
    Route(
        "api:list_identity_reports",
        "api_list",
        IDENTITY_REPORT,
        "members.view",
        list_url="/api/v1/identity-reports?limit=200",
        api_items=lambda data: [item["name"] for item in data["items"]],
    ),
    Route("api:get_identity_report", "api_detail", IDENTITY_REPORT, "members.view", url=lambda r: f"/api/v1/identity-reports/{r.pk}"),
    Route("members:identity_mine", "list", IDENTITY_OWN, "members.report_identity", list_url="/m/identity/"),
    Route(
        "api:list_identity_reports",
        "api_list",
        IDENTITY_OWN,
        "members.report_identity",
        list_url="/api/v1/identity-reports?mine=true&limit=200",
        api_items=lambda data: [item["name"] for item in data["items"]],
    ),
    # 流动党员
    Route(
        "members:mobile_list",
        "list",
        MOBILE_REGISTRATION,
        "members.view",
        list_url="/members/mobile/?tab=outflow&size=100",
        queryset=lambda: MobileRegistration.objects.filter(direction="outflow"),
    ),
    Route(
        "members:mobile_list",
        "list",
        MOBILE_REGISTRATION,
        "members.view",
        list_url="/members/mobile/?tab=inflow&size=100",
        queryset=lambda: MobileRegistration.objects.filter(direction="inflow"),
    ),
    Route(
        "members:mobile_list",
        "list",
        MEMBER,
        "members.view",
        list_url="/members/mobile/?tab=lost&size=100",
        queryset=lambda: Member.objects.filter(relation_mode="lost"),
    ),
    Route("members:member_mobility", "detail", MEMBER, "members.view", url=lambda m: reverse("members:member_mobility", args=[m.pk])),
    Route(
        "api:list_mobile_registrations",
        "api_list",
        MOBILE_REGISTRATION,
        "members.view",
        list_url="/api/v1/mobile-registrations?limit=200",
        api_items=lambda data: [item["member"]["name"] for item in data["items"]],
    ),
    Route(
        "api:get_mobile_registration",
        "api_detail",
        MOBILE_REGISTRATION,
        "members.view",
        url=lambda g: f"/api/v1/mobile-registrations/{g.pk}",
    ),
]
# The scope test's world gets reports, registrations and lost members at every Party organization.
WORLD = (make_world_mobility,)
EXEMPT: dict[str, str] = {
    "members:identity_report_new": "本人亮身份报到表单，只写不读；规则见 tests/members/test_identity_pages.py",
    "members:identity_create": "代为登记表单；报到党组织须是本人可维护的，服务再查一次，见 tests/members/test_identity.py",
    "members:identity_target_lookup": (
        "报到对象检索：党员须能向任何党组织报到，故有意不按数据权限，只返回状态正常的党组织名称和所在地、至少 2 个字，"
        "见 tests/members/test_identity_pages.py::test_the_target_search_lists_names_only"
    ),
    **{
        f"members:identity_{step}": (
            "只收 POST；经 access_identity_report(for_write=True) 取得，范围外 404，"
            "见 tests/members/test_identity_pages.py::test_outsiders_get_404_on_every_decision"
        )
        for step in ("confirm", "decline")
    },
    **{
        f"api:{name}_identity_report": (
            "接口处理报到；经 access_identity_report(for_write=True) 取得，范围外 404，见 tests/members/test_identity_api.py"
        )
        for name in ("confirm", "decline")
    },
    "api:create_identity_report": "接口提交报到；规则同页面，见 tests/members/test_identity_api.py",
    "members:member_mobility_action": (
        "只收 POST；经 access_member(for_write=True) 取得，范围外 404，"
        "见 tests/members/test_mobile_pages.py::test_outsiders_get_404_on_every_action"
    ),
    "members:mobile_registration_end": (
        "只收 POST；经 access_mobile_registration(for_write=True) 取得，范围外 404，"
        "见 tests/members/test_mobile_pages.py::test_outsiders_get_404_on_every_action"
    ),
    **{
        f"api:{name}": (
            "接口写入；经 access_member / access_mobile_registration(for_write=True) 取得，范围外 404，"
            "见 tests/members/test_identity_api.py::test_mobile_registrations_over_the_api"
        )
        for name in ("create_mobile_registration", "end_mobile_registration", "mark_member_lost", "recover_member")
    },
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
    "members:transfer_create": (
        "发起转接表单；经 access_member(for_write=True) 取得党员，范围外 404，"
        "见 tests/members/test_transfer_pages.py::test_the_form_starts_from_a_member_kept_here_only"
    ),
    "members:transfer_destination_lookup": (
        "接收党组织检索：转接本就跨辖区，检索平台上未撤销的党组织，只答名称和所在地区，须有维护党员权限且至少 2 个字，"
        "见 tests/members/test_transfer_pages.py::test_the_destination_search"
    ),
    "members:transfer_step": (
        "只收 POST；经 access_transfer(for_write=True) 取得，两方之外 404，"
        "见 tests/members/test_transfer_pages.py::test_a_third_county_gets_404_on_page_step_and_api"
    ),
    "api:create_transfer": ("接口发起转接；党员经 access_member(for_write=True) 取得，范围外 404，见 tests/members/test_transfer_api.py"),
    **{
        f"api:transfer_{step}": (
            "接口办理转接步骤；经 access_transfer(for_write=True) 取得，两方之外 404，"
            "见 tests/members/test_transfer_api.py::test_a_third_county_gets_404"
        )
        for step in ("accept", "reject", "complete", "cancel")
    },
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
