"""Points over the API: staff read the report, rules, rewards, redemptions and a worker's ledger in their scope and
hand over or cancel redemptions; the worker reads their balance, entries, the catalogue and their redemptions, and
redeems and cancels under /api/v1/w/points. Through sanxin.points.selectors and services, as the pages."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Day, Limit, Offset, list_response, responses
from sanxin.core.workflow import timeline
from sanxin.points import selectors, services
from sanxin.workers.selectors import api_worker

router = Router(tags=["积分"])
worker_router = Router(tags=["积分（从业人员本人）"])


class PointsEntryOut(Schema):
    id: int
    at: datetime
    amount: int
    balance_after: int
    kind: str
    kind_label: str
    reason: str
    source: str
    region_code: str
    reversal_of: int | None


class PointsEntryList(Schema):
    items: list[PointsEntryOut]
    count: int


class PointsBalanceOut(Schema):
    balance: int
    earned: int
    spent: int


class PointsRewardOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    cost: int
    stock: int
    region: str
    unit: str
    active: bool
    valid_until: date | None
    refusal: str = Field("", description="本人现在不能兑换的原因（仅本人接口）")


class PointsRewardList(Schema):
    items: list[PointsRewardOut]
    count: int


class PointsEventOut(Schema):
    at: datetime
    actor: str
    label: str
    state: str
    note: str


class PointsRedemptionOut(Schema):
    id: int
    reward: str
    reward_id: int
    worker_name: str
    cost: int
    status: str
    status_label: str
    code: str
    requested_at: datetime
    fulfilled_at: datetime | None
    cancelled_at: datetime | None


class PointsRedemptionDetailOut(PointsRedemptionOut):
    timeline: list[PointsEventOut]


class PointsRedemptionList(Schema):
    items: list[PointsRedemptionOut]
    count: int


class PointsRuleOut(Schema):
    id: int
    kind: str
    kind_label: str
    region_code: str
    points: int
    active: bool
    note: str


class PointsRuleList(Schema):
    items: list[PointsRuleOut]
    count: int


class PointsKindRow(Schema):
    kind: str
    label: str
    total: int
    entries: int


class PointsRegionRow(Schema):
    place: str
    name: str
    earned: int
    spent: int
    withdrawn: int
    entries: int


class PointsReportOut(Schema):
    start: date
    end: date
    level: str
    by_kind: list[PointsKindRow]
    by_region: list[PointsRegionRow]


def entry_row(e) -> dict:
    return {
        "id": e.pk,
        "at": e.created_at,
        "amount": e.amount,
        "balance_after": e.balance_after,
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "reason": e.reason,
        "source": e.source,
        "region_code": e.region_code,
        "reversal_of": e.reversal_of_id,
    }


def reward_row(r, refusal: str = "") -> dict:
    return {
        "id": r.pk,
        "name": r.name,
        "kind": r.kind,
        "description": r.description,
        "cost": r.cost,
        "stock": r.stock,
        "region": r.region_id,
        "unit": r.unit.name,
        "active": r.active,
        "valid_until": r.valid_until,
        "refusal": refusal or "",
    }


def redemption_row(r) -> dict:
    return {
        "id": r.pk,
        "reward": r.reward.name,
        "reward_id": r.reward_id,
        "worker_name": r.worker.name,
        "cost": r.cost,
        "status": r.status,
        "status_label": r.get_status_display(),
        "code": r.code,
        "requested_at": r.requested_at,
        "fulfilled_at": r.fulfilled_at,
        "cancelled_at": r.cancelled_at,
    }


def redemption_detail(r) -> dict:
    events = [{"at": e.occurred_at, "actor": e.actor_name, "label": e.label, "state": e.to_state, "note": e.note} for e in timeline(r)]
    return {**redemption_row(r), "timeline": events}


def _staff(request, capability: str = "points.view"):
    if not request.auth.can(capability):
        raise Http404
    return request.auth


@router.get(
    "/report",
    response=responses({200: PointsReportOut}),
    summary="积分报表：期间内按类别、按地区（区县或街道）获得和使用的积分（日期颠倒时对调，最长十年）",
)
def points_report(request, start: Day, end: Day, level: Literal["street", "county"] = "street"):
    user = _staff(request)
    # Any two days make a period: given the wrong way round they are swapped, and it reaches back ten years at most.
    start, end = min(start, end), max(start, end)
    if (end - start).days > 3660:
        start = end - timedelta(days=3660)
    data = selectors.report(user, start=start, end=end, level=level)
    return {"start": start, "end": end, "level": level, "by_kind": data["by_kind"], "by_region": data["by_region"]}


@router.get("/rules", response=responses({200: PointsRuleList}), summary="本地区的积分规则")
def points_rules(request):
    user = _staff(request, "points.rules")
    rows = [
        {
            "id": r.pk,
            "kind": r.kind,
            "kind_label": r.get_kind_display(),
            "region_code": r.region_code,
            "points": r.points,
            "active": r.active,
            "note": r.note,
        }
        for r in selectors.rules(user)
    ]
    return list_response(rows, len(rows))


@router.get("/rewards", response=responses({200: PointsRewardList}), summary="礼品服务目录（按数据权限）")
def points_rewards(request, offset: Offset = 0, limit: Limit(200) = 50):
    found = selectors.rewards(_staff(request))
    return list_response([reward_row(r) for r in found[offset : offset + limit]], found.count())


@router.get("/redemptions", response=responses({200: PointsRedemptionList}), summary="兑换记录（按礼品服务的适用地区）")
def points_redemptions(
    request, status: Literal["", "requested", "fulfilled", "cancelled"] = "", offset: Offset = 0, limit: Limit(200) = 50
):
    found = selectors.redemptions(_staff(request), status=status)
    return list_response([redemption_row(r) for r in found[offset : offset + limit]], found.count())


@router.get("/redemptions/{redemption_id}", response=responses({200: PointsRedemptionDetailOut}), summary="一次兑换及其过程")
def points_redemption(request, redemption_id: int):
    return redemption_detail(selectors.access_redemption(redemption_id, user=_staff(request)))


class PointsActIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: Literal["fulfil", "revoke"]
    code: str = Field("", max_length=8, pattern=r"^\d{0,8}$", description="确认领取时核对的兑换码")
    note: str = Field("", max_length=200, pattern=TEXT_VALUE, description="取消原因（取消时必填）")


@router.post(
    "/redemptions/{redemption_id}/transitions",
    response=responses({200: PointsRedemptionDetailOut}, refusals=(403,)),
    summary="确认领取（核对兑换码）或取消兑换（退回积分和库存）",
)
def points_redemption_act(request, redemption_id: int, payload: PointsActIn):
    user = _staff(request)
    redemption = selectors.access_redemption(redemption_id, user=user)
    if payload.action == "fulfil":
        services.points_redemption_fulfil(actor=user, redemption=redemption, code=payload.code)
    else:
        services.points_redemption_revoke(actor=user, redemption=redemption, note=payload.note)
    return redemption_detail(selectors.access_redemption(redemption_id, user=user))


@router.get(
    "/workers/{worker_id}/entries", response=responses({200: PointsEntryList}), summary="一名从业人员的积分记录（按从业人员的数据权限）"
)
def points_worker_entries(request, worker_id: int):
    _, _, entries = selectors.worker_ledger(worker_id, user=_staff(request))
    return list_response([entry_row(e) for e in entries], len(entries))


# The worker's own.


def _worker(request):
    return api_worker(request.auth, capability="points.redeem")


@worker_router.get("", response=responses({200: PointsBalanceOut}), summary="本人的积分余额")
def my_points_balance(request):
    account = selectors.my_account(_worker(request))
    return {
        "balance": account.balance if account else 0,
        "earned": account.earned if account else 0,
        "spent": account.spent if account else 0,
    }


@worker_router.get("/entries", response=responses({200: PointsEntryList}), summary="本人的积分明细")
def my_points_entries(request, offset: Offset = 0, limit: Limit(200) = 50):
    found = selectors.my_entries(_worker(request))
    return list_response([entry_row(e) for e in found[offset : offset + limit]], found.count())


@worker_router.get("/rewards", response=responses({200: PointsRewardList}), summary="本人所在地区可兑换的礼品服务")
def my_points_rewards(request):
    worker = _worker(request)
    balance = selectors.my_balance(worker)
    rows = [reward_row(r, services.reward_refusal(r, worker, balance=balance)) for r in selectors.my_rewards(worker)]
    return list_response(rows, len(rows))


class PointsRedeemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    client_key: str = Field("", max_length=36, pattern=r"^([0-9a-fA-F-]{36})?$", description="客户端提交标识（UUID），同一标识只兑换一次")


@worker_router.post(
    "/rewards/{reward_id}/redeem",
    response=responses({201: PointsRedemptionDetailOut}, refusals=(403,)),
    summary="兑换（同一提交标识只兑换一次）",
)
def my_points_redeem(request, reward_id: int, payload: PointsRedeemIn):
    worker = _worker(request)
    reward = selectors.access_my_reward(reward_id, worker=worker)
    redemption = services.points_redeem(actor=request.auth, reward=reward, client_key=payload.client_key or None)
    return Status(201, redemption_detail(selectors.access_my_redemption(redemption.pk, worker=worker)))


@worker_router.get("/redemptions", response=responses({200: PointsRedemptionList}), summary="本人的兑换记录")
def my_points_redemptions(request):
    rows = list(selectors.my_redemptions(_worker(request))[:500])
    return list_response([redemption_row(r) for r in rows], len(rows))


@worker_router.get(
    "/redemptions/{redemption_id}", response=responses({200: PointsRedemptionDetailOut}), summary="本人的一次兑换（含兑换码）"
)
def my_points_redemption(request, redemption_id: int):
    return redemption_detail(selectors.access_my_redemption(redemption_id, worker=_worker(request)))


@worker_router.post(
    "/redemptions/{redemption_id}/cancel",
    response=responses({200: PointsRedemptionDetailOut}, refusals=(403,)),
    summary="取消兑换（领取前；积分退回）",
)
def my_points_cancel(request, redemption_id: int):
    worker = _worker(request)
    redemption = selectors.access_my_redemption(redemption_id, worker=worker)
    services.points_redemption_cancel(actor=request.auth, redemption=redemption)
    return redemption_detail(selectors.access_my_redemption(redemption_id, worker=worker))
