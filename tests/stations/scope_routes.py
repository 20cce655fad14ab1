"""Scope-test routes of service stations and the 15-minute circle; collected by tests/scope_registry.py."""

from decimal import Decimal

from django.urls import reverse

from sanxin.stations.models import DemandPoint, Station, StationPhoto
from tests.scope_registry import Entity, Route

# Seen by the units of its region and above; never by a user without territory (workers find open stations on
# their own pages, which are exempt below).
STATION = Entity(Station, region_code=lambda s: s.region_id, marker=lambda s: s.name)
PHOTO = Entity(StationPhoto, region_code=lambda p: p.station.region_id, marker=lambda p: p.station.name)
DEMAND = Entity(DemandPoint, region_code=lambda d: d.region_id, marker=lambda d: d.name)


def make_world_stations(personas):
    """A station with a 六有 photo and a staff-pinned demand point at every place, each named after its place."""
    from sanxin.core.photos import photo_path
    from tests.test_scope import PLACES

    for place in PLACES:
        station = Station.objects.create(
            name=f"标记驿站{place}",
            type="courier_post",
            region_id=place,
            address=f"标记地址{place}",
            longitude=Decimal("115.9") + Decimal(len(place)) / 100,
            latitude=Decimal("28.68"),
            opening_hours="08:00-20:00",
            amenities=["water"],
            checklist={"place": True},
        )
        stored = f"{int(place):032x}.jpg"
        photo_path(Station.UPLOAD_FOLDER, stored).write_bytes(b"\xff\xd8\xff\xe0" + place.encode())
        StationPhoto.objects.create(station=station, item="place", stored_name=stored, width=1, height=1, size=10)
        DemandPoint.objects.create(
            name=f"标记需求点{place}", region_id=place, longitude=Decimal("115.95"), latitude=Decimal("28.70"), weight=3
        )


ROUTES: list = [
    Route("stations:station_list", "list", STATION, "stations.view", list_url="/stations/?size=100"),
    Route("stations:station_export", "export", STATION, "stations.view", list_url="/stations/export/"),
    Route("stations:station_detail", "detail", STATION, "stations.view", url=lambda s: reverse("stations:station_detail", args=[s.pk])),
    Route("stations:station_code", "detail", STATION, "stations.view", url=lambda s: reverse("stations:station_code", args=[s.pk])),
    Route("stations:station_photo", "detail", PHOTO, "stations.view", url=lambda p: reverse("stations:station_photo", args=[p.pk])),
    Route("stations:demand_point_list", "list", DEMAND, "stations.view", list_url="/stations/demand/?size=100"),
    Route(
        "api:list_stations",
        "api_list",
        STATION,
        "stations.view",
        list_url="/api/v1/stations?limit=200",
        api_items=lambda data: [item["name"] for item in data["items"]],
    ),
    Route("api:get_station", "api_detail", STATION, "stations.view", url=lambda s: f"/api/v1/stations/{s.pk}"),
    Route("api:station_visits", "api_detail", STATION, "stations.view", url=lambda s: f"/api/v1/stations/{s.pk}/visits"),
]
WORLD = (make_world_stations,)
EXEMPT: dict[str, str] = {
    "stations:station_create": "新建表单；所在地区须在本单位范围内，见 tests/stations/test_services.py",
    "stations:station_edit": "经 access_station(for_write=True) 取得，范围外 404，见 tests/stations/test_pages.py",
    "stations:station_code_renew": "只收 POST；经 access_station(for_write=True) 取得，范围外 404，见 tests/stations/test_pages.py",
    "stations:station_photo_add": "只收 POST；经 access_station(for_write=True) 取得，范围外 404，见 tests/stations/test_pages.py",
    "stations:station_photo_delete": "只收 POST；经 access_photo(for_write=True) 取得，范围外 404，见 tests/stations/test_pages.py",
    "stations:station_map": "地图数据来自 station_list（scoped），范围外阵地不出现，见 tests/stations/test_pages.py",
    "stations:circle": "服务圈只用本范围的阵地和需求点（circle_for 经 scoped），见 tests/stations/test_circle.py",
    "stations:demand_point_create": "新建表单；所在地区须在本单位范围内，见 tests/stations/test_services.py",
    "stations:demand_point_delete": "只收 POST；经 access_demand_point(for_write=True) 取得，范围外 404，见 tests/stations/test_pages.py",
    "stations:nearby": "从业人员本人页面：在运营的服务阵地是公开场所，只列名称、地址和设施，见 tests/stations/test_worker.py",
    "stations:checkin": "从业人员本人页面（worker_required），按签到码取阵地，未知签到码 404，见 tests/stations/test_worker.py",
    "api:create_station": "接口新建；所在地区须在本单位范围内，见 tests/stations/test_api.py",
    "api:update_station": "接口修改；经 access_station(for_write=True) 取得，范围外 404，见 tests/stations/test_api.py",
    "api:visits_by_region": "只给各地区的签到次数，按 scoped 的签到统计，见 tests/stations/test_api.py",
    "api:circle_coverage": "服务圈只用本范围的阵地和需求点，见 tests/stations/test_circle.py",
    "api:circle_uncovered": "服务圈只用本范围的阵地和需求点，见 tests/stations/test_circle.py",
    "api:circle_suggestions": "服务圈只用本范围的阵地和需求点，见 tests/stations/test_circle.py",
    "api:stations_near_me": "从业人员本人接口：与“附近驿站”页同一 stations_near，只列在运营的公开场所，见 tests/stations/test_worker.py",
    "api:check_in": "从业人员本人接口：只为本人签到，与签到页同一 checkin_create，见 tests/stations/test_worker.py",
}
