"""Selections over the API: staff list and read the campaigns in their scope with the nominations they see,
nominate, review, take the campaign's steps and handle objections; the worker reads their own honours under
/api/v1/w/honours. Through sanxin.selections.selectors and services, as the pages."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Limit, Offset, QueryText, list_response, responses
from sanxin.core.listing import BIGINT_MAX
from sanxin.core.scope import scoped
from sanxin.core.workflow import timeline
from sanxin.selections import selectors, services
from sanxin.selections.models import DEEDS_MAX, NOTE_MAX, CampaignKind, CampaignStatus
from sanxin.selections.workflow import may_manage
from sanxin.workers.models import Worker
from sanxin.workers.selectors import api_worker

router = Router(tags=["最美评选"])
worker_router = Router(tags=["我的荣誉（从业人员本人）"])


class SelectionCampaignOut(Schema):
    id: int
    title: str
    kind: str
    occupation: str
    occupation_label: str
    region: str
    unit: str
    places: int
    nominate_from: date
    nominate_until: date
    publicity_days: int
    publicity_until: date | None
    award_points: int
    honour_title: str
    status: str
    status_label: str


class SelectionCampaignList(Schema):
    items: list[SelectionCampaignOut]
    count: int


class SelectionNominationOut(Schema):
    id: int
    campaign: int
    worker_name: str
    region: str
    platform: str
    nominator_kind: str
    nominating_unit: str
    deeds: str
    status: str
    status_label: str
    review_note: str


class SelectionNominationList(Schema):
    items: list[SelectionNominationOut]
    count: int


class SelectionEventOut(Schema):
    at: str
    actor: str
    label: str
    state: str
    note: str


class SelectionCampaignDetailOut(SelectionCampaignOut):
    nominations: list[SelectionNominationOut]
    timeline: list[SelectionEventOut]


def campaign_row(c) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "kind": c.kind,
        "occupation": c.occupation,
        "occupation_label": c.get_occupation_display(),
        "region": c.region_id,
        "unit": c.unit.name,
        "places": c.places,
        "nominate_from": c.nominate_from,
        "nominate_until": c.nominate_until,
        "publicity_days": c.publicity_days,
        "publicity_until": c.publicity_until,
        "award_points": c.award_points,
        "honour_title": c.honour_title,
        "status": c.status,
        "status_label": c.get_status_display(),
    }


def nomination_row(n) -> dict:
    return {
        "id": n.pk,
        "campaign": n.campaign_id,
        "worker_name": n.worker.name,
        "region": n.region_id,
        "platform": n.platform_name,
        "nominator_kind": n.nominator_kind,
        "nominating_unit": n.nominating_unit.name if n.nominating_unit_id else "",
        "deeds": n.deeds,
        "status": n.status,
        "status_label": n.get_status_display(),
        "review_note": n.review_note,
    }


def campaign_detail(campaign, user) -> dict:
    events = [
        {
            "at": e.occurred_at.isoformat(timespec="seconds"),
            "actor": e.actor_name,
            "label": e.label,
            "state": e.to_state_label,
            "note": e.note,
        }
        for e in timeline(campaign)
    ]
    nominations = [nomination_row(n) for n in selectors.nominations_of(campaign, user=user)]
    return campaign_row(campaign) | {"nominations": nominations, "timeline": events}


StatusCode = Literal[("", *CampaignStatus.values)]
KindCode = Literal[("", *CampaignKind.values)]


@router.get("", response=responses({200: SelectionCampaignList}), summary="最美评选（按数据权限，含下级区划可见上级组织的评选）")
def list_selection_campaigns(
    request,
    q: QueryText("名称或荣誉称号") = "",
    status: StatusCode = "",
    kind: KindCode = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    if not request.auth.can("selections.view"):
        raise Http404
    rows = selectors.campaign_list(user=request.auth, q=q, status=status, kind=kind).order_by("-nominate_from", "-pk")
    return list_response([campaign_row(c) for c in rows[offset : offset + limit]], rows.count())


@router.get("/nominations", response=responses({200: SelectionNominationList}), summary="评选推荐（只含本单位管辖范围内的推荐）")
def list_selection_nominations(
    request, campaign: int | None = Query(None, ge=1, le=BIGINT_MAX, description="评选编号"), offset: Offset = 0, limit: Limit(500) = 100
):
    if not request.auth.can("selections.view"):
        raise Http404
    rows = selectors.nomination_list(user=request.auth, campaign=str(campaign or "")).order_by("campaign_id", "pk")
    return list_response([nomination_row(n) for n in rows[offset : offset + limit]], rows.count())


@router.get("/{campaign_id}", response=responses({200: SelectionCampaignDetailOut}), summary="一次评选及其推荐名单、过程")
def get_selection_campaign(request, campaign_id: int):
    return campaign_detail(selectors.access_campaign(campaign_id, user=request.auth), request.auth)


class SelectionNominateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    worker: int = Field(ge=1, le=BIGINT_MAX, description="被推荐的从业人员编号（本单位管辖范围内）")
    deeds: str = Field(min_length=1, max_length=DEEDS_MAX, pattern=TEXT_VALUE, description="主要事迹")


@router.post(
    "/{campaign_id}/nominations", response=responses({201: SelectionNominationOut}, refusals=(403,)), summary="推荐本辖区从业人员参评"
)
def nominate_for_selection(request, campaign_id: int, payload: SelectionNominateIn):
    user = request.auth
    if not user.can("selections.nominate"):
        raise Http404
    campaign = selectors.access_campaign(campaign_id, user=user)
    worker = scoped(Worker.objects.all(), user).filter(pk=payload.worker).first()
    if worker is None:
        raise ValidationError({"worker": "该从业人员不在本单位管辖范围内，不能推荐"})
    nomination = services.nomination_create(actor=user, campaign=campaign, worker=worker, deeds=payload.deeds)
    return Status(201, nomination_row(selectors.access_nomination(nomination.pk, user=user)))


class SelectionActIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: Literal["open", "review", "publish", "award", "cancel"]
    note: str = Field("", max_length=NOTE_MAX, pattern=TEXT_VALUE, description="取消原因（取消时必填）")


@router.post(
    "/{campaign_id}/transitions",
    response=responses({200: SelectionCampaignDetailOut}, refusals=(403,)),
    summary="开始推荐、截止推荐开始审核、发布公示、表彰、取消",
)
def act_on_selection(request, campaign_id: int, payload: SelectionActIn):
    user = request.auth
    campaign = selectors.access_campaign(campaign_id, user=user, for_write=True)
    step = {
        "open": services.campaign_open,
        "review": services.campaign_review,
        "publish": services.campaign_publish,
        "award": services.campaign_award,
    }.get(payload.action)
    if step is not None:
        step(actor=user, campaign=campaign)
    else:
        services.campaign_cancel(actor=user, campaign=campaign, reason=payload.note)
    return campaign_detail(selectors.access_campaign(campaign_id, user=user), user)


class SelectionReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject"]
    note: str = Field("", max_length=NOTE_MAX, pattern=TEXT_VALUE, description="不予通过的理由（不通过时必填）")


@router.post("/nominations/{nomination_id}/review", response=responses({200: SelectionNominationOut}, refusals=(403,)), summary="审核推荐")
def review_selection_nomination(request, nomination_id: int, payload: SelectionReviewIn):
    user = request.auth
    nomination = selectors.access_nomination(nomination_id, user=user, for_write=True)
    if payload.decision == "approve":
        services.nomination_approve(actor=user, nomination=nomination)
    else:
        services.nomination_reject(actor=user, nomination=nomination, reason=payload.note)
    return nomination_row(selectors.access_nomination(nomination_id, user=user))


class SelectionObjectionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["upheld", "dismissed"]
    note: str = Field(min_length=1, max_length=NOTE_MAX, pattern=TEXT_VALUE, description="处理意见")


class SelectionObjectionOut(Schema):
    id: int
    nomination: int
    status: str
    handling_note: str


@router.post(
    "/objections/{objection_id}/decision", response=responses({200: SelectionObjectionOut}, refusals=(403,)), summary="处理公示异议"
)
def decide_selection_objection(request, objection_id: int, payload: SelectionObjectionIn):
    user = request.auth
    objection = selectors.access_objection(objection_id, user=user)
    if not may_manage(user, objection.nomination.campaign):
        raise Http404
    done = services.objection_handle(actor=user, objection=objection, upheld=payload.decision == "upheld", note=payload.note)
    return {"id": done.pk, "nomination": done.nomination_id, "status": done.status, "handling_note": done.handling_note}


# The worker's own.


class MyHonourOut(Schema):
    id: int
    title: str
    campaign: str
    unit: str
    awarded_on: date
    points: int


class MyHonourList(Schema):
    items: list[MyHonourOut]
    count: int


@worker_router.get("", response=responses({200: MyHonourList}), summary="本人的荣誉")
def my_selection_honours(request):
    worker = api_worker(request.auth, "selections.self_nominate")
    rows = [
        {
            "id": h.pk,
            "title": h.title,
            "campaign": h.campaign.title,
            "unit": h.campaign.unit.name,
            "awarded_on": h.awarded_on,
            "points": h.points,
        }
        for h in selectors.my_honours(worker)[:500]
    ]
    return list_response(rows, len(rows))
