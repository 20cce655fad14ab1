"""Scope-test routes of organizational life; collected by tests/scope_registry.py."""

from django.urls import reverse
from django.utils import timezone

from sanxin.life.models import ComplianceRecord, Meeting, MeetingType
from sanxin.party.models import PartyOrganization
from tests.scope_registry import PARTY_ORG, Entity, Route


def _personal(meeting, user) -> bool:
    """A member sees the meetings they are expected at; a Party secretary, those of their own Party organization."""
    if meeting.attendances.filter(member__user=user).exists():
        return True
    return user.roles.filter(role="party_secretary").exists() and meeting.party_organization.members.filter(user=user).exists()


# Seen by whoever sees its Party organization (from its place and from those of the organizations it covers).
MEETING = Entity(
    Meeting,
    region_code=lambda m: m.party_organization.region_id,
    marker=lambda m: m.topic,
    personal=_personal,
    places=lambda m: PARTY_ORG.places(m.party_organization),
)
# Changed only where its Party organization sits, or by its secretary.
MEETING_OWN = Entity(
    Meeting,
    region_code=lambda m: m.party_organization.region_id,
    marker=lambda m: m.topic,
    industry_id=lambda m: m.party_organization.industry_id,
    zone_id=lambda m: m.party_organization.zone_id,
    personal=lambda m, user: user.roles.filter(role="party_secretary").exists() and m.party_organization.members.filter(user=user).exists(),
)


def _photo_url(meeting) -> str:
    return reverse("life:meeting_photo", args=[meeting.pk, meeting.photos.get().pk])


# 三会一课: a record is seen by whoever sees its Party organization; the lists are walked on last year's 组织生活会
# (yearly, so one overdue record per Party organization).
COMPLIANCE_RECORD = Entity(
    ComplianceRecord,
    region_code=lambda r: r.party_organization.region_id,
    marker=lambda r: r.party_organization.name,
    places=lambda r: PARTY_ORG.places(r.party_organization),
)


def _last_year() -> int:
    return timezone.localdate().year - 1


def _overdue_rows():
    return ComplianceRecord.objects.filter(overdue=True, meeting_type__code="life_meeting", year=_last_year())


def _overdue_query() -> str:
    return f"period={_last_year()}&meeting_type={MeetingType.objects.get(code='life_meeting').pk}"


def make_world_compliance(personas) -> None:
    from sanxin.life.compliance import rebuild_all

    rebuild_all()
    assert _overdue_rows().count() == PartyOrganization.objects.filter(status="active").count() > 0


WORLD = (make_world_compliance,)

ROUTES: list = [
    Route(
        "life:compliance_orgs",
        "list",
        PARTY_ORG,
        "life.compliance",
        list_url="/life/compliance/orgs/?size=100",
        queryset=lambda: PartyOrganization.objects.filter(status="active"),
    ),
    Route(
        "life:compliance_overdue",
        "list",
        COMPLIANCE_RECORD,
        "life.compliance",
        list_url=lambda: f"/life/compliance/overdue/?size=100&{_overdue_query()}",
        queryset=_overdue_rows,
    ),
    Route(
        "life:compliance_overdue_export",
        "export",
        COMPLIANCE_RECORD,
        "life.compliance",
        list_url=lambda: f"/life/compliance/overdue/export/?{_overdue_query()}",
        queryset=_overdue_rows,
    ),
    Route(
        "api:compliance_overdue",
        "api_list",
        COMPLIANCE_RECORD,
        "life.compliance",
        list_url=lambda: f"/api/v1/compliance/overdue?limit=200&{_overdue_query()}",
        api_items=lambda data: [item["party_organization"]["name"] for item in data["items"]],
        queryset=_overdue_rows,
    ),
    Route("life:meeting_list", "list", MEETING, "life.view", list_url="/life/meetings/?size=100"),
    Route("life:meeting_detail", "detail", MEETING, "life.view", url=lambda m: reverse("life:meeting_detail", args=[m.pk])),
    Route("life:meeting_edit", "detail", MEETING_OWN, "life.manage", url=lambda m: reverse("life:meeting_edit", args=[m.pk])),
    Route("life:meeting_photo", "detail", MEETING, "life.view", url=_photo_url),
    Route(
        "api:list_meetings",
        "api_list",
        MEETING,
        "life.view",
        list_url="/api/v1/meetings?limit=200",
        api_items=lambda data: [item["topic"] for item in data["items"]],
    ),
    Route("api:get_meeting", "api_detail", MEETING, "life.view", url=lambda m: f"/api/v1/meetings/{m.pk}"),
]
EXEMPT: dict[str, str] = {
    "life:compliance_overview": "统计数字（按所在地区汇总），见 tests/life/test_compliance.py::test_scope_cuts_the_rates_and_the_lists",
    "api:compliance_rates": "统计数字，越权区划 404，见 tests/life/test_compliance.py::test_scope_cuts_the_rates_and_the_lists",
    "life:meeting_create": "新建表单；党组织只列可维护的（本地管辖的或书记本人所在的），服务再查一次，见 tests/life/test_meetings.py",
    "life:meeting_attendance": "只收 POST；经 access_meeting(for_write=True) 取得，范围外 404，见 tests/life/test_pages.py",
    "life:meeting_photo_upload": "只收 POST；经 access_meeting(for_write=True) 取得，范围外 404，见 tests/life/test_pages.py",
    "life:meeting_photo_delete": "只收 POST；经 access_meeting(for_write=True) 取得，范围外 404，见 tests/life/test_photos.py",
    "life:meeting_type_list": "会议类型是全国共用的字典，只显示本人所在地区及其上级的现行频次，不显示其他地区的设置",
    "life:meeting_type_frequency": "只收 POST；只能设置本人单位所在地区的频次，见 tests/life/test_meeting_types.py",
    "life:sign_in": "党员本人签到页：只列本人应到的会议；按会议码签到只认本人的出席记录，见 tests/life/test_sign_in.py",
    "life:sign_in_token": "扫码签到页：签名凭证；不在应到人员名单中的不显示会议，见 tests/life/test_sign_in.py",
    "api:create_meeting": "接口新建；党组织用表单的同一字段在可维护的党组织中查找，范围外 422，见 tests/life/test_api.py",
    "api:update_meeting": "接口修改；经 access_meeting(for_write=True) 取得，范围外 404，见 tests/life/test_api.py",
    "api:update_attendance": "接口登记出席；经 access_meeting(for_write=True) 取得，范围外 404，见 tests/life/test_api.py",
    "api:sign_in": "党员本人签到；只写本人的出席记录，见 tests/life/test_api.py",
}
