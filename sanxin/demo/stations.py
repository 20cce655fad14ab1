"""Demo service stations in 东湖区 (the demo county), written through the station services by the county's account
(dh_county): twelve stations on real streets of the district, their 六有 checklists partly complete, one paused;
a few places staff pinned as demand (取餐点, 快递网点); check-ins by the demo workers if the workers' demo has made
any (none is fine).

The streets are real; the coordinates are not surveyed: they are generated around the county's real centre (its
Region row, from the division data) and every station and demand point says so in its note.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.regions.models import Region, RegionLevel
from sanxin.stations.models import CheckIn, DemandPoint, Station
from sanxin.stations.services import checkin_create, demand_point_create, station_create
from sanxin.workers.models import Worker

COUNTY = "360102"
DEMO_NOTE = "演示数据：坐标为围绕东湖区中心生成的演示位置，非实测"
# (name, type, operator, street address, hours or "" for 24h, amenities, 六有 ticked, in service)
STATIONS = [
    ("八一广场党群服务中心", "party_center", "东湖区委两新工委", "南昌市东湖区八一大道 357 号", "08:30-21:00",
     ["water", "meals", "toilet", "rest", "charging", "first_aid", "books", "air_conditioning", "wifi"],
     ["place", "facilities", "sign", "flag", "books", "rules"], True),
    ("滕王阁小哥驿站", "courier_post", "滕王阁街道党工委", "南昌市东湖区榕门路 8 号", "",
     ["water", "toilet", "rest", "charging", "microwave", "umbrella"], ["place", "facilities", "sign", "flag", "rules"], True),
    ("中山路红色之家", "red_home", "中山路商圈党委", "南昌市东湖区中山路 168 号", "09:00-21:00",
     ["water", "rest", "books", "air_conditioning"], ["place", "facilities", "sign", "flag", "books", "rules"], True),
    ("阳明路户外劳动者服务站", "outdoor", "东湖区总工会", "南昌市东湖区阳明路 96 号", "07:00-22:00",
     ["water", "meals", "toilet", "rest", "first_aid"], ["place", "facilities", "sign"], True),
    ("象山北路小哥驿站", "courier_post", "美团外卖东湖站点", "南昌市东湖区象山北路 212 号", "10:00-22:00",
     ["water", "charging", "rest", "repair"], ["place", "facilities"], True),
    ("胜利路步行街骑手加油站", "courier_post", "胜利路步行街管委会", "南昌市东湖区胜利路 55 号", "10:00-23:00",
     ["water", "toilet", "charging", "microwave"], ["place", "facilities", "sign", "flag"], True),
    ("叠山路楼宇红立方", "red_cube", "叠山路商务楼宇党委", "南昌市东湖区叠山路 118 号", "08:30-18:00",
     ["water", "rest", "books", "wifi", "air_conditioning"], ["place", "facilities", "sign", "flag", "books", "rules"], True),
    ("北京西路司机之家", "driver_home", "东湖区交通运输局", "南昌市东湖区北京西路 88 号", "",
     ["water", "meals", "toilet", "rest", "charging", "repair"], ["place", "facilities", "sign", "flag"], True),
    ("民德路小哥驿站", "courier_post", "民巷社区党委", "南昌市东湖区民德路 260 号", "09:00-20:00",
     ["water", "rest", "charging"], ["place", "sign"], True),
    ("洪都北大道户外劳动者服务站", "outdoor", "顺丰速运南昌东湖营业部", "南昌市东湖区洪都北大道 166 号", "07:30-20:30",
     ["water", "toilet", "rest", "first_aid", "umbrella"], ["place", "facilities", "sign", "rules"], True),
    ("子固路党群服务站", "party_center", "豫章街道党工委", "南昌市东湖区子固路 36 号", "08:30-17:30",
     ["water", "books", "rest"], ["place", "facilities", "sign", "flag", "books"], True),
    ("船山路小哥驿站（装修暂停）", "courier_post", "百花洲街道党工委", "南昌市东湖区船山路 70 号", "09:00-21:00",
     ["water", "charging"], ["place"], False),
]  # fmt: skip
# Places where riders gather, pinned by the street's staff (weight: about how many riders wait there at noon).
DEMAND = [
    ("万达广场外卖取餐点", 40),
    ("天虹商场取餐点", 25),
    ("青山湖快递分拨点", 30),
    ("恒茂国际华城骑手等单点", 15),
    ("东湖区快递网点集中区", 20),
]


def _places(county: Region) -> list[Region]:
    """The streets (and their communities) of the county, in code order: where the stations sit."""
    streets = list(Region.objects.filter(parent=county, level=RegionLevel.TOWNSHIP).order_by("code"))
    communities = list(Region.objects.filter(parent__in=streets, level=RegionLevel.COMMUNITY).order_by("code"))
    return communities or streets


def seed_demo_stations() -> int:
    """Adds the demo stations once (nothing if any exists, or the county account or its coordinates are missing)."""
    actor = User.objects.filter(username="dh_county").first()
    county = Region.objects.filter(code=COUNTY).first()
    if actor is None or county is None or county.longitude is None or county.latitude is None or Station.objects.exists():
        return 0
    places = _places(county)
    if not places:
        return 0
    rng = random.Random(1011)
    lon0, lat0 = float(county.longitude), float(county.latitude)

    def near(spread: float) -> tuple[str, str]:
        return f"{lon0 + rng.uniform(-spread, spread):.6f}", f"{lat0 + rng.uniform(-spread * 0.8, spread * 0.8):.6f}"

    with transaction.atomic():
        stations = []
        for index, (name, kind, operator, address, hours, amenities, ticked, in_service) in enumerate(STATIONS):
            lon, lat = near(0.03)
            stations.append(
                station_create(
                    actor=actor,
                    name=name,
                    type=kind,
                    operator_name=operator,
                    region=places[(index * 7) % len(places)],
                    address=address,
                    longitude=lon,
                    latitude=lat,
                    opening_hours=hours,
                    open_24h=not hours,
                    amenities=amenities,
                    checklist=ticked,
                    is_open=in_service,
                    note=DEMO_NOTE,
                )
            )
        if not DemandPoint.objects.exists():
            for name, weight in DEMAND:
                lon, lat = near(0.05)
                demand_point_create(actor=actor, name=name, region=county, longitude=lon, latitude=lat, weight=weight, note=DEMO_NOTE)
        _seed_checkins(rng, [s for s in stations if s.is_open])
    return len(stations)


def _seed_checkins(rng: random.Random, stations: list[Station]) -> None:
    """The demo workers of the county (if the workers' demo made any) visited a few stations over the past weeks."""
    workers = list(Worker.objects.filter(region__code__startswith=COUNTY, user__isnull=False).select_related("user")[:50])
    now = timezone.now()
    for worker in workers:
        if not worker.user.can("stations.checkin"):
            continue
        for days_ago in sorted(rng.sample(range(1, 60), k=min(8, 59)), reverse=True):
            station = rng.choice(stations[:6])  # the riders' usual stations
            at = now - timedelta(days=days_ago, hours=rng.randint(0, 8))
            if not CheckIn.objects.filter(worker=worker, station=station, day=timezone.localdate(at)).exists():
                checkin_create(actor=worker.user, worker=worker, station=station, at=at)
