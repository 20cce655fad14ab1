"""Hazard reports over the API: staff list, read and act on those in their scope (/api/v1/hazards); the worker
lists their own, reports one and joins one (/api/v1/w/hazards). Through sanxin.hazards.selectors and services,
as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Limit, Offset, QueryText, list_response, responses
from sanxin.core.listing import BIGINT_MAX
from sanxin.core.scope import scoped
from sanxin.core.workflow import timeline
from sanxin.hazards import selectors, services
from sanxin.hazards.models import PLACE_MAX, REPLY_MAX, TEXT_MAX, HazardCategory, HazardReport, HazardStatus
from sanxin.hazards.views import reporter_label, staff_actor_name
from sanxin.workers.selectors import api_worker

router = Router(tags=["隐患随手拍"])
worker_router = Router(tags=["隐患随手拍（从业人员本人）"])


class HazardEventOut(Schema):
    at: datetime
    actor: str
    label: str
    state: str
    note: str


class HazardOut(Schema):
    id: int
    number: str
    category: str
    category_label: str
    status: str
    status_label: str
    place: str
    region: str
    longitude: float | None
    latitude: float | None
    unit: str
    reporter: str = Field(description="上报人（姓名、手机号均脱敏）或上报单位")
    duplicate_of: int | None
    dispatched_to: str
    submitted_at: datetime
    supporters: int


class HazardDetailOut(HazardOut):
    text: str
    dispatch_note: str
    reply: str
    timeline: list[HazardEventOut]


class HazardList(Schema):
    items: list[HazardOut]
    count: int


def _local(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def hazard_row(report: HazardReport) -> dict:
    return {
        "id": report.pk,
        "number": report.number,
        "category": report.category,
        "category_label": report.get_category_display(),
        "status": report.status,
        "status_label": report.get_status_display(),
        "place": report.place,
        "region": report.region_id,
        "longitude": float(report.longitude) if report.longitude is not None else None,
        "latitude": float(report.latitude) if report.latitude is not None else None,
        "unit": report.unit.name,
        "reporter": reporter_label(report),
        "duplicate_of": report.duplicate_of_id,
        "dispatched_to": report.dispatched_to.name if report.dispatched_to_id else "",
        "submitted_at": _local(report.submitted_at),
        "supporters": getattr(report, "supporter_count", None) or report.supporters.count(),
    }


def hazard_detail(report: HazardReport) -> dict:
    events = [
        {"at": _local(e.occurred_at), "actor": staff_actor_name(e), "label": e.label, "state": e.to_state_label, "note": e.note}
        for e in timeline(report)
    ]
    return hazard_row(report) | {"text": report.text, "dispatch_note": report.dispatch_note, "reply": report.reply, "timeline": events}


StatusCode = Literal[("", *HazardStatus.values)]
CategoryCode = Literal[("", *HazardCategory.values)]


@router.get("", response=responses({200: HazardList}), summary="隐患随手拍（按数据权限）")
def list_hazards(
    request,
    q: QueryText("编号或地点") = "",
    status: StatusCode = "",
    category: CategoryCode = "",
    region: QueryText("区划代码（含下级）", "360102") = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    if not request.auth.can("hazards.view"):
        raise Http404
    found = selectors.hazard_list(user=request.auth, q=q, status=status, category=category, region=region).order_by("-submitted_at", "-pk")
    return list_response([hazard_row(r) for r in found[offset : offset + limit]], found.count())


@router.get("/{hazard_id}", response=responses({200: HazardDetailOut}), summary="单件随手拍及办理过程")
def get_hazard(request, hazard_id: int):
    return hazard_detail(selectors.access_hazard(hazard_id, user=request.auth))


class HazardActIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: Literal["verify_valid", "verify_invalid", "mark_duplicate", "dispatch", "resolve", "correct_invalid", "correct_duplicate"]
    note: str = Field("", max_length=REPLY_MAX, pattern=TEXT_VALUE, description="原因、派单说明或办结答复")
    original: int | None = Field(None, ge=1, le=BIGINT_MAX, description="标记重复时：原随手拍编号")
    unit: int | None = Field(None, ge=1, le=BIGINT_MAX, description="派单时：派单给的单位编号")


@router.post(
    "/{hazard_id}/transitions",
    response=responses({200: HazardDetailOut}, refusals=(403,)),
    summary="核实（有效、无效、重复）、派单、办结、更正",
)
def act_on_hazard(request, hazard_id: int, payload: HazardActIn):
    user = request.auth
    report = selectors.access_hazard(hazard_id, user=user, for_write=True)
    note = payload.note
    original = None
    if payload.original:
        original = scoped(selectors.duplicate_candidates(report), user).filter(pk=payload.original).first()
        if original is None:
            raise ValidationError({"original": "原随手拍不存在或不可选"})
    if payload.action == "verify_valid":
        services.hazard_verify_valid(actor=user, report=report)
    elif payload.action == "verify_invalid":
        services.hazard_verify_invalid(actor=user, report=report, reason=note)
    elif payload.action == "mark_duplicate":
        services.hazard_mark_duplicate(actor=user, report=report, original=original, note=note)
    elif payload.action == "dispatch":
        unit = selectors.dispatch_targets(user).filter(pk=payload.unit or 0).first()
        if payload.unit and unit is None:
            raise ValidationError({"unit": "所选单位不在本单位管辖范围内"})
        services.hazard_dispatch(actor=user, report=report, unit=unit, note=note)
    elif payload.action == "resolve":
        services.hazard_resolve(actor=user, report=report, reply=note)
    elif payload.action == "correct_invalid":
        services.hazard_correct(actor=user, report=report, to=HazardStatus.INVALID, reason=note)
    else:
        services.hazard_correct(actor=user, report=report, to=HazardStatus.DUPLICATE, reason=note, original=original)
    return hazard_detail(selectors.access_hazard(hazard_id, user=user))


# The worker's own.


def _worker(request):
    return api_worker(request.auth, capability="hazards.report")


class HazardReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    category: Literal[tuple(HazardCategory.values)]
    text: str = Field(min_length=1, max_length=TEXT_MAX, pattern=TEXT_VALUE)
    place: str = Field("", max_length=PLACE_MAX, pattern=TEXT_VALUE)
    region: str = Field(
        "", pattern=r"^(\d{9}(\d{3})?)?$", description="所在街道或社区的区划代码；不填时按位置判断，无位置时为本人登记的社区"
    )
    longitude: float | None = Field(None, ge=73, le=136)
    latitude: float | None = Field(None, ge=3, le=54)
    client_key: str = Field("", max_length=36, pattern=r"^([0-9a-fA-F-]{36})?$", description="离线提交标识（UUID），同一标识只提交一次")


class HazardNearbyOut(Schema):
    id: int
    category_label: str
    place: str
    status_label: str
    metres: int


class HazardNearbyList(Schema):
    items: list[HazardNearbyOut]
    count: int


@worker_router.get("", response=responses({200: HazardList}), summary="本人上报的随手拍")
def my_hazards(request):
    worker = _worker(request)
    rows = list(selectors.my_reports(worker).order_by("-submitted_at", "-pk")[:500])
    return list_response([hazard_row(r) for r in rows], len(rows))


@worker_router.get("/nearby", response=responses({200: HazardNearbyList}), summary="上报前查重：附近 100 米内 72 小时内同类未办结的随手拍")
def my_hazards_nearby(
    request,
    category: Literal[tuple(HazardCategory.values)],
    longitude: Annotated[float, Query(ge=73, le=136)],
    latitude: Annotated[float, Query(ge=3, le=54)],
):
    worker = _worker(request)
    rows = selectors.nearby_open(category=category, longitude=longitude, latitude=latitude, exclude_worker=worker)
    items = [
        {
            "id": r.pk,
            "category_label": r.get_category_display(),
            "place": r.place or r.region.name,
            "status_label": r.get_status_display(),
            "metres": round(d),
        }
        for r, d in rows
    ]
    return list_response(items, len(items))


@worker_router.post("", response=responses({201: HazardDetailOut}, refusals=(403,)), summary="随手拍上报（同一离线提交标识只提交一次）")
def report_hazard(request, payload: HazardReportIn):
    _worker(request)
    report = services.hazard_create(actor=request.auth, **payload.dict())
    return Status(201, hazard_detail(selectors.access_my_report(report.pk, worker=report.reporter)))


@worker_router.get("/{hazard_id}", response=responses({200: HazardDetailOut}), summary="本人的一件随手拍")
def my_hazard(request, hazard_id: int):
    return hazard_detail(selectors.access_my_report(hazard_id, worker=_worker(request)))


class HazardJoinOut(Schema):
    id: int
    joined: bool


@worker_router.post(
    "/{hazard_id}/join", response=responses({200: HazardJoinOut}, refusals=(403,)), summary="我也看到了：附议附近未办结的随手拍"
)
def join_hazard(request, hazard_id: int):
    _worker(request)
    report = HazardReport.objects.filter(pk=hazard_id, status__in=selectors.OPEN_STATUSES).first()
    if report is None:
        raise Http404
    services.hazard_join(actor=request.auth, report=report)
    return {"id": report.pk, "joined": True}
