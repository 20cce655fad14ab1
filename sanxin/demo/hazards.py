"""Demo hazard reports (随手拍) at 民巷社区, written through the hazard services where a person acts: the demo worker
赵快跑 (account "worker") has a report verified valid (points earned through "workers.merited", when the points
app has an earning rule for hazard_valid), one marked duplicate of a neighbour's earlier valid report, and one
dispatched by the street; another rider's open report near the demo worker's usual place shows the duplicate offer.
Positions are demo positions near the county's centre (as the demo stations' are), never real reports."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sanxin.accounts.models import Unit, User
from sanxin.hazards import services
from sanxin.hazards.models import HazardReport
from sanxin.hazards.selectors import route_unit
from sanxin.regions.models import Region
from sanxin.workers.models import Worker

COMMUNITY = "360102002001"
DEMO_NOTE = "（演示数据）"


def _origin() -> tuple[Decimal, Decimal]:
    for code in (COMMUNITY, "360102002", "360102"):
        region = Region.objects.filter(pk=code, longitude__isnull=False).first()
        if region is not None:
            return region.longitude, region.latitude
    return Decimal("115.900000"), Decimal("28.680000")


def _at(origin, east_m: float, north_m: float) -> tuple[Decimal, Decimal]:
    lon, lat = origin
    return (lon + Decimal(east_m / 97_000)).quantize(Decimal("0.000001")), (lat + Decimal(north_m / 111_000)).quantize(Decimal("0.000001"))


def _neighbour_report(worker: Worker, *, category: str, text: str, place: str, position, hours_ago: float) -> HazardReport:
    """A report by a demo worker without an account of their own (as if sent from their phone before)."""
    region = Region.objects.get(pk=COMMUNITY)
    report = HazardReport.objects.create(
        reporter=worker,
        category=category,
        text=text + DEMO_NOTE,
        place=place,
        region=region,
        longitude=position[0],
        latitude=position[1],
        unit=route_unit(COMMUNITY),
        submitted_at=timezone.now() - timedelta(hours=hours_ago),
    )
    services._created(report, actor=None, photos=0, via="demo")
    return report


def seed_demo_hazards() -> int:
    """Adds the demo reports once (nothing if any exists, or without the demo's community and street accounts and
    the demo worker)."""
    community = User.objects.filter(username="mx_community").first()
    street = User.objects.filter(username="twg_street").first()
    me = Worker.objects.filter(user__username="worker").first()
    if community is None or street is None or me is None or HazardReport.objects.exists() or route_unit(COMMUNITY) is None:
        return 0
    neighbours = list(Worker.objects.exclude(pk=me.pk).order_by("pk")[:2]) or [me]
    origin = _origin()
    account = me.user
    with transaction.atomic():
        # 1. His own fire lane report, verified valid: his points go up once.
        lane = services.hazard_create(
            actor=account,
            category="fire_lane",
            text="民巷小区 3 栋楼下消防通道被两辆电动车和纸箱堵住，消防车进不来。" + DEMO_NOTE,
            place="民巷小区 3 栋楼下",
            region=COMMUNITY,
            longitude=_at(origin, 0, 0)[0],
            latitude=_at(origin, 0, 0)[1],
            now=timezone.now() - timedelta(days=3),
        )
        services.hazard_verify_valid(actor=community, report=lane)
        # 2. A street light a neighbour reported first and the community verified; his report of it the next hour
        #    is marked duplicate (no points).
        light = _neighbour_report(
            neighbours[0],
            category="street_light",
            text="民巷路 12 号路灯不亮，晚上送餐看不清路。",
            place="民巷路 12 号灯杆",
            position=_at(origin, 200, 100),
            hours_ago=30,
        )
        services.hazard_verify_valid(actor=community, report=light)
        again = services.hazard_create(
            actor=account,
            category="street_light",
            text="民巷路路灯坏了，黑乎乎的。" + DEMO_NOTE,
            place="民巷路 12 号附近",
            region=COMMUNITY,
            longitude=_at(origin, 230, 110)[0],
            latitude=_at(origin, 230, 110)[1],
            now=timezone.now() - timedelta(hours=29),
        )
        services.hazard_mark_duplicate(actor=community, report=again, original=light)
        # 3. A missing manhole cover, verified and dispatched by the street to its own unit.
        manhole = services.hazard_create(
            actor=account,
            category="manhole",
            text="民巷路与八一大道路口东侧井盖缺失，已用锥桶临时围挡。" + DEMO_NOTE,
            place="民巷路与八一大道路口东侧",
            region=COMMUNITY,
            longitude=_at(origin, 400, -150)[0],
            latitude=_at(origin, 400, -150)[1],
            now=timezone.now() - timedelta(hours=20),
        )
        services.hazard_verify_valid(actor=community, report=manhole)
        street_unit = Unit.objects.filter(pk=street.unit_id).first()
        services.hazard_dispatch(actor=street, report=manhole, unit=street_unit, note="请街道城管中队当日补装井盖")
        # 4. Another rider's open report near his usual place: the new-report page offers to join it.
        _neighbour_report(
            neighbours[-1],
            category="ebike_charging",
            text="5 栋一楼有人从窗户拉线给电动车充电。",
            place="民巷小区 5 栋一楼",
            position=_at(origin, 40, 30),
            hours_ago=5,
        )
        # 5. One resolved, one invalid: the list has every state.
        road = _neighbour_report(
            neighbours[0],
            category="road",
            text="小区门口路面塌了个坑。",
            place="民巷小区南门",
            position=_at(origin, -300, -200),
            hours_ago=60,
        )
        services.hazard_verify_valid(actor=community, report=road)
        services.hazard_resolve(actor=community, report=road, reply="已联系物业回填修补，路面恢复平整。")
        posters = _neighbour_report(
            neighbours[-1],
            category="posters",
            text="电线杆上贴满小广告。",
            place="民巷路 3 号",
            position=_at(origin, 120, -60),
            hours_ago=50,
        )
        services.hazard_verify_invalid(actor=community, report=posters, reason="现场核查已被环卫清理")
    return HazardReport.objects.count()
