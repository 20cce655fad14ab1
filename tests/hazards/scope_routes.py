"""Scope-test routes of hazard reports; collected by tests/scope_registry.py."""

import hashlib

from django.urls import reverse
from django.utils import timezone

from sanxin.hazards.models import HazardPhoto, HazardReport
from tests.scope_registry import Entity, Route

# Seen by the units of its region (and above) and by the unit it was dispatched to (and above).
HAZARD = Entity(
    HazardReport,
    region_code=lambda r: r.region_id,
    marker=lambda r: r.place,
    places=lambda r: [(r.region_id, None, None), *([(r.dispatched_to.region_id, None, None)] if r.dispatched_to_id else [])],
)
# The worker's own pages: only their own reports.
MINE = Entity(
    HazardReport,
    region_code=lambda r: None,
    marker=lambda r: r.place,
    personal=lambda r, user: r.reporter is not None and r.reporter.user_id == user.pk,
)


def make_world_hazards(personas):
    """A report at every place (of street level or below), with the marked unit there responsible; every third the
    worker persona's own; one at the community dispatched to the other county's unit; a photo on each."""
    from sanxin.accounts.models import Unit
    from sanxin.core.photos import photo_path
    from sanxin.workers.models import Worker

    worker = Worker.objects.get(user=personas["worker"])
    places = [u.region_id for u in Unit.objects.filter(name__startswith="标记单位").order_by("region_id")]
    now = timezone.now()
    made = []
    for n, place in enumerate(places):
        made.append(
            HazardReport.objects.create(
                reporter=worker if n % 3 == 0 else None,
                category="fire_lane",
                text=f"标记隐患内容{place}",
                place=f"标记隐患{place}",
                region_id=place,
                unit=Unit.objects.get(name=f"标记单位{place}"),
                status="valid",
                submitted_at=now,
            )
        )
    made.append(
        HazardReport.objects.create(
            category="manhole",
            text="标记派单",
            place="标记隐患派单到西湖区",
            region_id="360102002001",
            unit=Unit.objects.get(name="标记单位360102002001"),
            status="dispatched",
            dispatched_to=Unit.objects.get(name="标记单位360103"),
            submitted_at=now,
        )
    )
    for report in made:
        name = hashlib.sha256(report.place.encode()).hexdigest()[:32] + ".jpg"
        photo_path(HazardReport.UPLOAD_FOLDER, name).write_bytes(b"\xff\xd8\xff\xe0" + report.place.encode())
        HazardPhoto.objects.create(report=report, stored_name=name, width=1, height=1, size=10)


def _photo(report, name):
    return reverse(name, args=[report.pk, report.photos.first().pk])


ROUTES: list = [
    Route("hazards:list", "list", HAZARD, "hazards.view", list_url="/hazards/?size=100"),
    Route("hazards:export", "export", HAZARD, "hazards.view", list_url="/hazards/export/"),
    Route("hazards:detail", "detail", HAZARD, "hazards.view", url=lambda r: reverse("hazards:detail", args=[r.pk])),
    Route("hazards:photo", "detail", HAZARD, "hazards.view", url=lambda r: _photo(r, "hazards:photo")),
    Route("hazards:my_list", "list", MINE, "hazards.report", list_url="/w/hazards/"),
    Route("hazards:my_detail", "detail", MINE, "hazards.report", url=lambda r: reverse("hazards:my_detail", args=[r.pk])),
    Route("hazards:my_photo", "detail", MINE, "hazards.report", url=lambda r: _photo(r, "hazards:my_photo")),
    Route(
        "api:list_hazards",
        "api_list",
        HAZARD,
        "hazards.view",
        list_url="/api/v1/hazards?limit=200",
        api_items=lambda data: [item["place"] for item in data["items"]],
    ),
    Route("api:get_hazard", "api_detail", HAZARD, "hazards.view", url=lambda r: f"/api/v1/hazards/{r.pk}"),
    Route(
        "api:my_hazards",
        "api_list",
        MINE,
        "hazards.report",
        list_url="/api/v1/w/hazards",
        api_items=lambda data: [item["place"] for item in data["items"]],
    ),
    Route("api:my_hazard", "api_detail", MINE, "hazards.report", url=lambda r: f"/api/v1/w/hazards/{r.pk}"),
]
WORLD = (make_world_hazards,)
EXEMPT: dict[str, str] = {
    "hazards:act": "只收 POST；经 access_hazard(for_write=True) 取得（责任单位及其上级），范围外 404，见 tests/hazards/test_pages.py",
    "hazards:my_new": "从业人员随手拍表单；附近同类未办结的只显示类别、地点、状态和距离，不显示上报人，见 tests/hazards/test_pages.py",
    "hazards:my_nearby": "上报前查重：附近同类未办结的只显示类别、地点、状态和距离，不显示上报人，见 tests/hazards/test_pages.py",
    "hazards:my_join": "只收 POST；“我也看到了”附议未办结的随手拍，不显示上报人，见 tests/hazards/test_workflow.py",
    "hazards:open311_services": "Open311 服务目录：隐患类别，不含任何数据，见 tests/hazards/test_open311.py",
    "hazards:open311_service": "Open311 服务定义：隐患类别，不含任何数据，见 tests/hazards/test_open311.py",
    "hazards:open311_requests": (
        "Open311 公开接口：只公开核实有效及之后的随手拍，不含个人信息（姓名、电话脱敏）；"
        "POST 须本单位接口令牌且位置在本单位管辖范围内，见 tests/hazards/test_open311.py"
    ),
    "hazards:open311_request": "Open311 公开接口：只公开核实有效及之后的随手拍，不含个人信息，见 tests/hazards/test_open311.py",
    "api:act_on_hazard": "接口办理；经 access_hazard(for_write=True) 取得，范围外 404，见 tests/hazards/test_api.py",
    "api:report_hazard": "从业人员本人随手拍上报，见 tests/hazards/test_api.py",
    "api:my_hazards_nearby": "上报前查重：只显示类别、地点、状态和距离，不显示上报人，见 tests/hazards/test_api.py",
    "api:join_hazard": "只收 POST；附议未办结的随手拍，见 tests/hazards/test_api.py",
}
