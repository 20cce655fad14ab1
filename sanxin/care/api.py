"""Care activities over the API, through the same selectors and services as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from sanxin.care import selectors, services
from sanxin.care.models import ActivityStatus, CareType
from sanxin.core.api_schemas import Limit, Offset, QueryText, list_response, responses
from sanxin.workers.selectors import api_worker

router = Router(tags=["关爱活动"])
worker_router = Router(tags=["关爱活动（从业人员本人）"])

TypeCode = Literal[("", *CareType.values)]
StatusCode = Literal[("", *ActivityStatus.values)]


class CareActivityOut(Schema):
    id: int
    title: str
    type: str
    type_label: str
    status: str
    status_label: str
    unit: str
    region: str
    region_name: str
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    signup_opens_at: datetime
    signup_closes_at: datetime
    occupations: list[str]


class CareActivityList(Schema):
    items: list[CareActivityOut]
    count: int


class CareActivityDetailOut(CareActivityOut):
    signed_up: int
    checked_in: int
    walk_ins: int
    served: int = Field(description="服务人数 = 签到人数 + 现场未报名服务人数")


def activity_row(a) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "type": a.type,
        "type_label": a.get_type_display(),
        "status": a.status,
        "status_label": a.get_status_display(),
        "unit": a.unit.name,
        "region": a.region_id,
        "region_name": a.region.full_name,
        "place": a.place,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "capacity": a.capacity,
        "signup_opens_at": a.signup_opens_at,
        "signup_closes_at": a.signup_closes_at,
        "occupations": list(a.occupations),
    }


@router.get("", response=responses({200: CareActivityList}), summary="关爱活动（按数据权限）")
def list_care_activities(
    request,
    q: QueryText("名称或地点（包含）") = "",
    type: TypeCode = "",
    status: StatusCode = "",
    region: QueryText("地区代码（含下级）", "360102") = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    if not request.auth.can("care.view"):
        raise Http404
    found = selectors.activity_list(user=request.auth, q=q, type=type, status=status, region=region).order_by("-starts_at", "pk")
    return list_response([activity_row(a) for a in found[offset : offset + limit]], found.count())


class CareServedOut(Schema):
    region: str
    name: str
    activities: int
    by_type: dict[str, int]
    total: int


@router.get("/served", response=responses({200: list[CareServedOut]}), summary="关爱活动服务人数（按地区、类型）")
def care_served(
    request,
    start: QueryText("开始日期，如 2026-01-01") = "",
    end: QueryText("结束日期（含当天）") = "",
    level: Literal["6", "9", "12"] = "9",
    type: TypeCode = "",
):
    if not request.auth.can("care.view"):
        raise Http404
    rows, _ = selectors.served_by_region(user=request.auth, start=start, end=end, level=level, type=type)
    return rows


@router.get("/{activity_id}", response=responses({200: CareActivityDetailOut}), summary="单个关爱活动")
def get_care_activity(request, activity_id: int):
    a = selectors.access_activity(activity_id, user=request.auth)
    checked = a.signups.filter(checked_in_at__isnull=False).count()
    signed = a.signups.filter(status="signed_up").count()
    return activity_row(a) | {"signed_up": signed, "checked_in": checked, "walk_ins": a.walk_ins, "served": checked + a.walk_ins}


# The worker's own.


class MyCareOut(Schema):
    activity: CareActivityOut
    signed_up: bool
    checked_in_at: datetime | None


class MyCareList(Schema):
    items: list[MyCareOut]


@worker_router.get("", response=responses({200: MyCareList}), summary="我报名的和可报名的关爱活动（本人）")
def my_care_activities(request):
    worker = api_worker(request.auth, "care.join")
    mine = list(selectors.my_signups(worker)[:100])
    ids = {s.activity_id for s in mine}
    items = [{"activity": activity_row(s.activity), "signed_up": True, "checked_in_at": s.checked_in_at} for s in mine]
    items += [
        {"activity": activity_row(a), "signed_up": False, "checked_in_at": None}
        for a in selectors.open_for_worker(worker)
        if a.pk not in ids
    ]
    return {"items": items}


class MySignupOut(Schema):
    activity_id: int
    status: str
    created: bool = Field(description="本次是否新报名（重复提交只记一次）")


@worker_router.post("/{activity_id}/signup", response=responses({200: MySignupOut}, refusals=(403,)), summary="报名关爱活动（本人）")
def sign_up_care(request, activity_id: int):
    worker = api_worker(request.auth, "care.join")
    activity = selectors.activity_for_worker(activity_id, worker)
    signup, created = services.care_signup_create(actor=request.auth, worker=worker, activity=activity)
    return {"activity_id": activity.pk, "status": signup.status, "created": created}


@worker_router.post(
    "/{activity_id}/cancel", response=responses({200: MySignupOut}, refusals=(403,)), summary="取消报名（本人，活动开始前）"
)
def cancel_care_signup(request, activity_id: int):
    worker = api_worker(request.auth, "care.join")
    activity = selectors.activity_for_worker(activity_id, worker)
    signup = services.care_signup_cancel(actor=request.auth, worker=worker, activity=activity)
    return {"activity_id": activity.pk, "status": signup.status, "created": False}


class CareCheckInIn(Schema):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=16, description="活动现场张贴的签到码")


class CareCheckInOut(Schema):
    activity_id: int
    title: str
    checked_in_at: datetime


@worker_router.post(
    "/checkins", response=responses({200: CareCheckInOut}, refusals=(403,)), summary="关爱活动签到（本人，活动进行中，一次）"
)
def care_check_in(request, payload: CareCheckInIn):
    worker = api_worker(request.auth, "care.join")
    signup = services.care_checkin(actor=request.auth, worker=worker, code=payload.code)
    return {"activity_id": signup.activity_id, "title": signup.activity.title, "checked_in_at": signup.checked_in_at}
