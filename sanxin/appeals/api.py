"""Appeals over the API: staff list, read and act on those in their scope (a platform's staff read those about
their platform, shielded, as on the pages); the worker raises, lists, reads, answers, rates and reopens their
own under /api/v1/w/appeals. Through sanxin.appeals.selectors and services, as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.appeals import selectors, services
from sanxin.appeals.models import NOTE_MAX, PLACE_MAX, REPLY_MAX, TEXT_MAX, AppealCategory, AppealStatus, Rating
from sanxin.appeals.shield import AppealView
from sanxin.core.api_schemas import TEXT_VALUE, Limit, Offset, QueryText, list_response, responses
from sanxin.core.listing import BIGINT_MAX
from sanxin.core.workflow import timeline
from sanxin.workers.models import Platform
from sanxin.workers.selectors import api_worker

router = Router(tags=["诉求"])
worker_router = Router(tags=["诉求（从业人员本人）"])


class EventOut(Schema):
    at: datetime
    actor: str
    label: str
    state: str
    note: str


class AppealOut(Schema):
    id: int
    number: str
    kind: str
    category: str
    category_label: str
    status: str
    status_label: str
    place: str
    region: str
    platform: str
    shielded: bool
    unit: str
    worker_name: str = Field(description="诉求人；平台企业党组织人员查看开启身份保护的诉求时为“（已隐藏）”")
    submitted_at: datetime
    accept_due_at: datetime
    due_at: datetime
    escalation_level: int
    rating: str
    supporters: int


class AppealDetailOut(AppealOut):
    text: str
    reply: str
    question: str
    timeline: list[EventOut]


class AppealList(Schema):
    items: list[AppealOut]
    count: int


def local(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def appeal_row(appeal, user) -> dict:
    view = AppealView(appeal, user)
    return {
        "id": appeal.pk,
        "number": appeal.number,
        "kind": appeal.kind,
        "category": appeal.category,
        "category_label": appeal.get_category_display(),
        "status": appeal.status,
        "status_label": appeal.get_status_display(),
        "place": appeal.place,
        "region": appeal.region_id,
        "platform": appeal.platform.name if appeal.platform_id else "",
        "shielded": appeal.shielded,
        "unit": appeal.unit.name,
        "worker_name": view.worker_name,
        "submitted_at": local(appeal.submitted_at),
        "accept_due_at": local(appeal.accept_due_at),
        "due_at": local(appeal.due_at),
        "escalation_level": appeal.escalation_level,
        "rating": appeal.rating,
        "supporters": getattr(appeal, "supporter_count", None) or appeal.supporters.count(),
    }


def appeal_detail(appeal, user) -> dict:
    view = AppealView(appeal, user)
    events = [
        {"at": local(e.occurred_at), "actor": view.actor_name(e), "label": e.label, "state": e.to_state_label, "note": view.note(e)}
        for e in timeline(appeal)
    ]
    return appeal_row(appeal, user) | {"text": view.text, "reply": view.reply, "question": view.question, "timeline": events}


StatusCode = Literal[("", *AppealStatus.values)]
CategoryCode = Literal[("", *AppealCategory.values)]
Tab = Literal["all", "today", "overdue", "submitted"]


@router.get("", response=responses({200: AppealList}), summary="诉求（按数据权限；平台企业党组织只见涉及本平台的，隐藏诉求人身份）")
def list_appeals(
    request,
    tab: Tab = "all",
    q: QueryText("编号或地点") = "",
    status: StatusCode = "",
    category: CategoryCode = "",
    region: QueryText("区划代码（含下级）", "360102") = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    if not request.auth.can("appeals.view"):
        raise Http404
    found = selectors.appeal_list(user=request.auth, tab=tab, q=q, status=status, category=category, region=region)
    found = found.order_by("-submitted_at", "-pk")
    return list_response([appeal_row(a, request.auth) for a in found[offset : offset + limit]], found.count())


@router.get("/{appeal_id}", response=responses({200: AppealDetailOut}), summary="单件诉求及办理过程")
def get_appeal(request, appeal_id: int):
    return appeal_detail(selectors.access_appeal(appeal_id, user=request.auth), request.auth)


class ActIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: Literal["accept", "start", "ask", "resolve", "transfer", "return", "escalate"]
    note: str = Field("", max_length=REPLY_MAX, pattern=TEXT_VALUE, description="问题、答复或原因（补充、办结、转办、退回、升级时必填）")
    unit: int | None = Field(None, ge=1, le=BIGINT_MAX, description="转办给的单位编号")


@router.post(
    "/{appeal_id}/transitions",
    response=responses({200: AppealDetailOut}, refusals=(403,)),
    summary="办理：受理、开始办理、请补充、办结、转办、退回、升级",
)
def act(request, appeal_id: int, payload: ActIn):
    user = request.auth
    appeal = selectors.access_appeal(appeal_id, user=user, for_write=True)
    note = payload.note
    if payload.action == "accept":
        services.appeal_accept(actor=user, appeal=appeal)
    elif payload.action == "start":
        services.appeal_start(actor=user, appeal=appeal)
    elif payload.action == "ask":
        services.appeal_ask(actor=user, appeal=appeal, question=note)
    elif payload.action == "resolve":
        services.appeal_resolve(actor=user, appeal=appeal, reply=note)
    elif payload.action == "transfer":
        target = selectors.transfer_targets(appeal.unit).filter(pk=payload.unit or 0).first()
        if payload.unit and target is None:
            raise ValidationError({"unit": "所选单位不在可转办的范围内"})
        services.appeal_transfer(actor=user, appeal=appeal, unit=target, reason=note)
    elif payload.action == "return":
        services.appeal_return(actor=user, appeal=appeal, reason=note)
    else:
        services.appeal_escalate(actor=user, appeal=appeal, reason=note)
    return appeal_detail(selectors.access_appeal(appeal_id, user=user), user)


# The worker's own.


def _worker(request):
    return api_worker(request.auth, "appeals.raise")


class RaiseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    category: Literal[tuple(c for c in AppealCategory.values if not c.startswith("firm_"))]
    text: str = Field(min_length=1, max_length=TEXT_MAX, pattern=TEXT_VALUE)
    place: str = Field(min_length=1, max_length=PLACE_MAX, pattern=TEXT_VALUE)
    region: str = Field(pattern=r"^\d{9}(\d{3})?$", description="发生地所在街道或社区的区划代码")
    platform: int | None = Field(None, ge=1, le=BIGINT_MAX, description="涉及平台编号")
    shielded: bool | None = Field(None, description="对平台隐藏身份；不填时涉及平台即隐藏")
    longitude: float | None = Field(None, ge=73, le=136)
    latitude: float | None = Field(None, ge=3, le=54)
    client_key: str = Field("", max_length=36, pattern=r"^([0-9a-fA-F-]{36})?$", description="离线提交标识（UUID），同一标识只提交一次")


@worker_router.get("", response=responses({200: AppealList}), summary="本人的诉求")
def my_appeals(request):
    worker = _worker(request)
    rows = list(selectors.my_appeals(worker).order_by("-submitted_at", "-pk")[:500])
    return list_response([appeal_row(a, request.auth) for a in rows], len(rows))


@worker_router.post("", response=responses({201: AppealDetailOut}, refusals=(403,)), summary="提出诉求（同一离线提交标识只提交一次）")
def raise_appeal(request, payload: RaiseIn):
    _worker(request)
    data = payload.dict()
    platform = None
    if data.pop("platform") is not None:
        platform = Platform.objects.filter(pk=payload.platform).first()
        if platform is None:
            raise ValidationError({"platform": "平台不存在"})
    appeal = services.appeal_create(actor=request.auth, platform=platform, **data)
    return Status(201, appeal_detail(selectors.access_my_appeal(appeal.pk, worker=appeal.worker), request.auth))


@worker_router.get("/{appeal_id}", response=responses({200: AppealDetailOut}), summary="本人的一件诉求")
def my_appeal(request, appeal_id: int):
    return appeal_detail(selectors.access_my_appeal(appeal_id, worker=_worker(request)), request.auth)


class WorkerActIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: Literal["answer", "rate", "reopen"]
    answer: str = Field("", max_length=NOTE_MAX, pattern=TEXT_VALUE)
    rating: Literal[("", *Rating.values)] = ""


@worker_router.post(
    "/{appeal_id}/transitions", response=responses({200: AppealDetailOut}, refusals=(403,)), summary="答复、评价、重新办理（一次）"
)
def my_act(request, appeal_id: int, payload: WorkerActIn):
    worker = _worker(request)
    appeal = selectors.access_my_appeal(appeal_id, worker=worker)
    if payload.action == "answer":
        services.appeal_answer(actor=request.auth, appeal=appeal, answer=payload.answer)
    elif payload.action == "rate":
        services.appeal_rate(actor=request.auth, appeal=appeal, rating=payload.rating)
    else:
        services.appeal_reopen(actor=request.auth, appeal=appeal)
    return appeal_detail(selectors.access_my_appeal(appeal_id, worker=worker), request.auth)
