"""Stations and the 15-minute circle over the API, through the same selectors, services, figures and circle as
the pages."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from sanxin.core.api_schemas import TEXT_VALUE, Limit, Offset, QueryText, list_response, responses
from sanxin.core.guards import require
from sanxin.orgs.api import choices_text
from sanxin.stations import circle as circles
from sanxin.stations import figures, selectors, services
from sanxin.stations.cards import open_now
from sanxin.stations.models import (
    ADDRESS_MAX,
    AMENITY_LABELS,
    CHECKLIST,
    CHECKLIST_LABELS,
    HOURS_MAX,
    NAME_MAX,
    NOTE_MAX,
    OPERATOR_MAX,
    Station,
    StationType,
)
from sanxin.workers.selectors import api_worker

router = Router(tags=["服务阵地"])
circle_router = Router(tags=["15分钟服务圈"])

TypeCode = Literal[("", *StationType.values)]
TypeValue = Literal[tuple(StationType.values)]
YesNo = Literal["", "1", "0"]
AmenityCode = Literal[tuple(AMENITY_LABELS)]
ChecklistCode = Literal[tuple(CHECKLIST_LABELS)]
ModeCode = Literal[tuple(circles.MODE_LABELS)]


def _iso_day(value):
    """A day in a query string only as 2026-01-31 (pydantic would read "0" as seconds since 1970)."""
    if isinstance(value, (int, float)) or (isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        raise PydanticCustomError("date_type", "应为日期，如 2026-01-31")
    return value


QueryDay = Annotated[date | None, BeforeValidator(_iso_day), Query(None, description="日期，如 2026-01-31（含当天）")]


class StationOut(Schema):
    id: int
    name: str
    type: str = Field(description=f"类型：{choices_text(StationType.choices)}")
    type_label: str
    operator_name: str
    region: str = Field(description="所在地区代码")
    region_name: str
    address: str
    longitude: float
    latitude: float
    opening_hours: str
    open_24h: bool
    amenities: list[str] = Field(description="服务设施：" + "、".join(f"{k} {v}" for k, v in AMENITY_LABELS.items()))
    checklist: dict[str, bool] = Field(description="六有：" + "、".join(f"{k} {v}" for k, v in CHECKLIST))
    checklist_complete: bool
    is_open: bool


class StationDetailOut(StationOut):
    visits: int = Field(description="服务人次（累计签到次数，每人每站每天最多一次）")
    note: str


class StationList(Schema):
    items: list[StationOut]
    count: int


def station_row(s: Station) -> dict:
    return {
        "id": s.pk,
        "name": s.name,
        "type": s.type,
        "type_label": s.get_type_display(),
        "operator_name": s.operator_name,
        "region": s.region_id,
        "region_name": s.region.full_name,
        "address": s.address,
        "longitude": float(s.longitude),
        "latitude": float(s.latitude),
        "opening_hours": s.opening_hours,
        "open_24h": s.open_24h,
        "amenities": list(s.amenities),
        "checklist": {code: bool(s.checklist.get(code)) for code, _ in CHECKLIST},
        "checklist_complete": s.checklist_complete,
        "is_open": s.is_open,
    }


def _detail(s: Station) -> dict:
    return station_row(s) | {"visits": s.checkins.count(), "note": s.note}


@router.get("", response=responses({200: StationList}), summary="服务阵地（按数据权限）")
def list_stations(
    request,
    q: QueryText("名称、地址或运营单位（包含）") = "",
    type: TypeCode = "",
    region: QueryText("地区代码（含下级）", "360102") = "",
    open: YesNo = "",
    checklist: YesNo = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    """open=1 在运营，0 暂停；checklist=1 六有齐全，0 不齐全。"""
    if not request.auth.can("stations.view"):
        raise Http404
    found = selectors.station_list(user=request.auth, q=q, type=type, region=region, open=open, checklist=checklist)
    found = found.order_by("region_id", "name", "pk")
    return list_response([station_row(s) for s in found[offset : offset + limit]], found.count())


class RegionVisitsOut(Schema):
    region: str = Field(description="地区代码（按 level 截取：6 区县，9 街道，12 社区）")
    visits: int = Field(description="服务人次（每人每站每天最多计一次）")


@router.get("/visits", response=responses({200: list[RegionVisitsOut]}), summary="各地区服务人次（按数据权限）")
def visits_by_region(
    request,
    start: QueryDay = None,
    end: QueryDay = None,
    level: Literal["6", "9", "12"] = "9",
):
    """只统计签到次数，不对个人排名。"""
    if not request.auth.can("stations.view"):
        raise Http404
    rows = figures.visits_by_region(user=request.auth, start=start, end=end, level_length=int(level))
    return [{"region": code, "visits": n} for code, n in rows]


@router.get("/{station_id}", response=responses({200: StationDetailOut}), summary="单个服务阵地")
def get_station(request, station_id: int):
    return _detail(selectors.access_station(station_id, user=request.auth))


class StationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=NAME_MAX, pattern=TEXT_VALUE)
    type: TypeValue
    operator_name: str = Field("", max_length=OPERATOR_MAX, pattern=TEXT_VALUE)
    region: str = Field(max_length=12, pattern=r"^\d{9}(\d{3})?$", description="所在街道（9 位）或社区（12 位）区划代码")
    address: str = Field(min_length=1, max_length=ADDRESS_MAX, pattern=TEXT_VALUE)
    longitude: float = Field(ge=73, le=136, description="经度（中国境内）")
    latitude: float = Field(ge=3, le=54, description="纬度（中国境内）")
    opening_hours: str = Field("", max_length=HOURS_MAX, pattern=TEXT_VALUE)
    open_24h: bool = False
    amenities: list[AmenityCode] = Field([], max_length=len(AMENITY_LABELS))
    checklist: list[ChecklistCode] = Field([], max_length=len(CHECKLIST), description="已具备的六有项目")
    is_open: bool = True
    note: str = Field("", max_length=NOTE_MAX, pattern=TEXT_VALUE)


class StationPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(None, min_length=1, max_length=NAME_MAX, pattern=TEXT_VALUE)
    type: TypeValue = None
    operator_name: str = Field(None, max_length=OPERATOR_MAX, pattern=TEXT_VALUE)
    address: str = Field(None, min_length=1, max_length=ADDRESS_MAX, pattern=TEXT_VALUE)
    longitude: float = Field(None, ge=73, le=136)
    latitude: float = Field(None, ge=3, le=54)
    opening_hours: str = Field(None, max_length=HOURS_MAX, pattern=TEXT_VALUE)
    open_24h: bool = None
    amenities: list[AmenityCode] = Field(None, max_length=len(AMENITY_LABELS))
    checklist: list[ChecklistCode] = Field(None, max_length=len(CHECKLIST))
    is_open: bool = None
    note: str = Field(None, max_length=NOTE_MAX, pattern=TEXT_VALUE)


@router.post("", response=responses({201: StationDetailOut}, refusals=(403,)), summary="新建服务阵地")
def create_station(request, payload: StationIn):
    require(request.auth, "stations.manage")
    station = services.station_create(actor=request.auth, **payload.dict())
    return Status(201, _detail(selectors.access_station(station.pk, user=request.auth)))


@router.patch("/{station_id}", response=responses({200: StationDetailOut}, refusals=(403,)), summary="修改服务阵地")
def update_station(request, station_id: int, payload: StationPatch):
    station = selectors.access_station(station_id, user=request.auth, for_write=True)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    services.station_update(actor=request.auth, station=station, **changes)
    return _detail(selectors.access_station(station_id, user=request.auth))


class MonthOut(Schema):
    month: str = Field(description="月份，如 2026-11")
    visits: int


@router.get("/{station_id}/visits", response=responses({200: list[MonthOut]}), summary="服务阵地逐月服务人次")
def station_visits(request, station_id: int):
    station = selectors.access_station(station_id, user=request.auth)
    return [{"month": f"{month:%Y-%m}", "visits": n} for month, n in figures.station_visits_by_month(station)]


# The circle.


class CoverageOut(Schema):
    mode: str = Field(description="出行方式：walk 步行，ebike 电动车")
    radius_m: float = Field(description="15 分钟可达直线距离（米）= 速度 × 15 分钟 ÷ 绕行系数")
    stations: int = Field(description="参与计算的在运营服务阵地数")
    demand_points: int
    demand_weight: int
    covered_weight: int
    covered_share: float | None = Field(description="覆盖比例（0–1）；无需求点时为空")


class UncoveredOut(Schema):
    longitude: float
    latitude: float
    weight: int
    source: str
    label: str
    nearest_m: float | None = Field(description="到最近在运营服务阵地的直线距离（米）；没有阵地时为空")


class UncoveredList(Schema):
    items: list[UncoveredOut]
    count: int


class SuggestionOut(Schema):
    longitude: float
    latitude: float
    added_points: int = Field(description="新增覆盖的需求点数")
    added_weight: int = Field(description="新增覆盖的需求权重")


def _circle(request, mode: str):
    if not request.auth.can("stations.view"):
        raise Http404
    return circles.circle_for(request.auth, mode=mode)


@circle_router.get("/coverage", response=responses({200: CoverageOut}), summary="15分钟服务圈覆盖情况（按数据权限）")
def circle_coverage(request, mode: ModeCode = circles.Mode.WALK):
    c = _circle(request, mode)
    return {
        "mode": c.mode,
        "radius_m": round(c.radius_m, 1),
        "stations": len(c.stations),
        "demand_points": len(c.demand),
        "demand_weight": c.total_weight,
        "covered_weight": c.covered_weight,
        "covered_share": c.covered_share,
    }


@circle_router.get("/uncovered", response=responses({200: UncoveredList}), summary="15分钟服务圈未覆盖的需求点")
def circle_uncovered(request, mode: ModeCode = circles.Mode.WALK, offset: Offset = 0, limit: Limit(500) = 100):
    rows = _circle(request, mode).uncovered()
    items = [
        {
            "longitude": u.longitude,
            "latitude": u.latitude,
            "weight": u.weight,
            "source": u.source,
            "label": u.label,
            "nearest_m": None if u.nearest_m is None else round(u.nearest_m, 1),
        }
        for u in rows[offset : offset + limit]
    ]
    return list_response(items, len(rows))


@circle_router.get("/suggestions", response=responses({200: list[SuggestionOut]}), summary="新建服务阵地选址建议（贪心最大覆盖）")
def circle_suggestions(request, mode: ModeCode = circles.Mode.WALK, k: Annotated[int, Query(ge=1, le=circles.MAX_K)] = circles.DEFAULT_K):
    """现有阵地固定不动，依次选出能新增覆盖最多需求的位置。"""
    return [s.__dict__ for s in _circle(request, mode).suggestions(k)]


# The worker's own: stations near them and checking in (the same selectors and service as the phone pages).
worker_router = Router(tags=["服务阵地（从业人员本人）"])


class NearOut(Schema):
    station: StationOut
    distance_m: float | None = Field(description="直线距离（米）；无坐标可比时为空")
    open_state: str = Field(description="开放中 / 已闭馆 / 暂停服务；开放时间无法识别时为空")


class NearList(Schema):
    origin: str = Field(description="距离的起点：手机当前位置、本人标注的工作区域或工作区域中心；为空表示无坐标可比")
    items: list[NearOut]


@worker_router.get("/stations", response=responses({200: NearList}), summary="附近驿站（本人）")
def stations_near_me(
    request,
    lon: Annotated[float | None, Query(None, ge=73, le=136, description="手机当前位置经度（可选）")] = None,
    lat: Annotated[float | None, Query(None, ge=3, le=54, description="手机当前位置纬度（可选）")] = None,
):
    worker = api_worker(request.auth, "stations.checkin")
    position = (lon, lat) if lon is not None and lat is not None else None
    rows, origin = selectors.stations_near(worker, position, limit=30)
    items = [{"station": station_row(s), "distance_m": None if d is None else round(d, 1), "open_state": open_now(s)} for s, d in rows]
    return {"origin": origin, "items": items}


class CheckInIn(Schema):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=64, description="驿站墙上二维码中的签到码")
    longitude: float | None = Field(None, ge=73, le=136, description="手机当前位置经度（可选）")
    latitude: float | None = Field(None, ge=3, le=54, description="手机当前位置纬度（可选）")
    client_key: str = Field("", max_length=36, pattern=r"^([0-9a-fA-F-]{36})?$", description="离线提交标识（UUID），同一标识只记一次")


class CheckInOut(Schema):
    station: str
    checked_at: datetime
    created: bool = Field(description="本次是否新记一次签到（同一天同一驿站只记一次）")


@worker_router.post("/checkins", response=responses({200: CheckInOut}, refusals=(403,)), summary="在驿站签到（本人，每天每个驿站记一次）")
def check_in(request, payload: CheckInIn):
    worker = api_worker(request.auth, "stations.checkin")
    station = selectors.station_by_code(payload.code)
    checkin, created = services.checkin_create(
        actor=request.auth,
        worker=worker,
        station=station,
        longitude=payload.longitude,
        latitude=payload.latitude,
        client_key=payload.client_key,
    )
    return {"station": station.name, "checked_at": checkin.checked_at, "created": created}
