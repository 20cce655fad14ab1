"""Scope-test routes of volunteer teams; collected by tests/scope_registry.py."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from sanxin.volunteers.models import ServiceRecord, VolunteerTeam
from tests.scope_registry import Entity, Route

TEAM = Entity(VolunteerTeam, region_code=lambda t: t.region_id, marker=lambda t: t.name)
RECORD = Entity(ServiceRecord, region_code=lambda r: r.team.region_id, marker=lambda r: r.work)


def make_world_volunteers(personas):
    """A team with a service record at every place of county level or below, named after its place."""
    from sanxin.accounts.models import Unit
    from tests.test_scope import PLACES

    unit = Unit.objects.filter(region_id__isnull=False).first()
    for place in PLACES:
        team = VolunteerTeam.objects.create(name=f"标记队伍{place}", kind="hongyun", unit=unit, region_id=place)
        ServiceRecord.objects.create(team=team, day=date(2026, 11, 1), hours=Decimal("2"), work=f"标记服务{place}")


ROUTES: list = [
    Route("volunteers:list", "list", TEAM, "volunteers.view", list_url="/volunteers/?size=100"),
    Route("volunteers:export", "export", TEAM, "volunteers.view", list_url="/volunteers/export/"),
    Route("volunteers:detail", "detail", TEAM, "volunteers.view", url=lambda t: reverse("volunteers:detail", args=[t.pk])),
    Route("volunteers:records", "list", RECORD, "volunteers.view", list_url="/volunteers/records/?size=100"),
    Route("volunteers:records_export", "export", RECORD, "volunteers.view", list_url="/volunteers/records/export/"),
    Route("volunteers:record", "detail", RECORD, "volunteers.view", url=lambda r: reverse("volunteers:record", args=[r.pk])),
    Route(
        "api:list_volunteer_teams",
        "api_list",
        TEAM,
        "volunteers.view",
        list_url="/api/v1/volunteers?limit=200",
        api_items=lambda data: [item["name"] for item in data["items"]],
    ),
    Route(
        "api:list_volunteer_records",
        "api_list",
        RECORD,
        "volunteers.view",
        list_url="/api/v1/volunteers/records?limit=200",
        api_items=lambda data: [item["work"] for item in data["items"]],
    ),
    Route("api:get_volunteer_team", "api_detail", TEAM, "volunteers.view", url=lambda t: f"/api/v1/volunteers/{t.pk}"),
]
WORLD = (make_world_volunteers,)
EXEMPT: dict[str, str] = {
    "volunteers:create": "新建表单；所在地区须在本单位范围内，见 tests/volunteers/test_services.py",
    "volunteers:edit": "经 access_team(for_write=True) 取得，范围外 404，见 tests/volunteers/test_pages.py",
    "volunteers:volunteer_member_add": "只收 POST；经 access_team(for_write=True) 取得，范围外 404，见 tests/volunteers/test_pages.py",
    "volunteers:volunteer_member_remove": "只收 POST；经 access_team(for_write=True) 取得，范围外 404，见 tests/volunteers/test_pages.py",
    "volunteers:record_new": "只收 POST；经 access_team(for_write=True) 取得，范围外 404，见 tests/volunteers/test_pages.py",
    "volunteers:record_act": "只收 POST；经 access_record(for_write=True) 取得，范围外 404，见 tests/volunteers/test_pages.py",
    "volunteers:my_teams": "从业人员本人页面：本人的队伍和本区县在册的队伍，见 tests/volunteers/test_pages.py",
    "volunteers:my_team": "从业人员本人页面：本人所在或本区县可加入的队伍，其余 404，见 tests/volunteers/test_pages.py",
    "volunteers:my_join": "只收 POST；本人加入本区县的队伍，见 tests/volunteers/test_services.py",
    "volunteers:my_leave": "只收 POST；本人退出，见 tests/volunteers/test_services.py",
    "volunteers:my_record_new": "只收 POST；只有队长可填报，见 tests/volunteers/test_services.py",
    "api:confirm_volunteer_record": "接口确认；经 access_record(for_write=True) 取得，范围外 404，见 tests/volunteers/test_api.py",
    "api:my_volunteer_teams": "从业人员本人接口：本人的队伍和时长，见 tests/volunteers/test_api.py",
    "api:join_volunteer_team": "从业人员本人接口：本人加入本区县的队伍，见 tests/volunteers/test_api.py",
}
