"""Writes of points: earning on the "workers.merited" event (once per source), withdrawing on
"workers.merit_withdrawn" (a reversal, once, never below zero), the erasure on "workers.erased", the earning rules,
the rewards catalogue and redemptions (points and stock taken in one transaction under row locks; a double tap is one
redemption by its client key). Every rule is checked here with a Chinese reason; staff writes are audited with their
old and new values; redemption steps go through the workflow (timeline and audit). A ledger entry is itself the
append-only record of a posting (source, reason, actor), so postings by event are not copied into the audit chain.

Withdrawal when the points were already spent: the reversal takes what is left (down to 0) and records the rest as
`shortfall` on the reversal entry; the balance never goes negative and nothing is owed later.

Erasure: the worker's account, ledger entries and redemptions are deleted with them (a pending redemption's item
goes back into stock first). The reports lose those entries; keeping anonymous totals was judged not worth a
second set of figures that no longer adds up to the ledger.
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from sanxin.accounts.models import Unit
from sanxin.core.audit import audit_changes, audit_record
from sanxin.core.guards import Refused, require
from sanxin.core.offline import create_once, parse_client_key
from sanxin.core.scope import region_in_scope
from sanxin.core.text import control_character, half_width
from sanxin.core.workflow import timeline_event, transition
from sanxin.points import ledger
from sanxin.points.models import (
    DESCRIPTION_MAX,
    EARNING_KINDS,
    NAME_MAX,
    POINTS_MAX,
    STOCK_MAX,
    EarningKind,
    EarningRule,
    EntryKind,
    PointsAccount,
    PointsEntry,
    Redemption,
    RedemptionStatus,
    Reward,
    RewardKind,
)
from sanxin.points.workflow import WORKFLOW
from sanxin.regions.models import Region
from sanxin.workers.models import Worker

QUANTITY_MAX = Decimal(1000)


# Earning.


def rule_prefixes(region_code: str) -> list[str]:
    """The region prefixes a rule may be written for, the whole country ("") first."""
    code = region_code or ""
    return sorted({code[:n] for n in (0, 2, 4, 6, 9, 12) if n <= len(code)}, key=len)


def rule_for(kind: str, region_code: str) -> EarningRule | None:
    """The rule of the most specific region prefix of `region_code` (the whole country last)."""
    rules = EarningRule.objects.filter(kind=kind, region_code__in=rule_prefixes(region_code))
    return max(rules, key=lambda r: len(r.region_code), default=None)


def clean_quantity(quantity) -> Decimal | None:
    """A positive, finite quantity (at most QUANTITY_MAX), or None."""
    try:
        quantity = Decimal(str(quantity))
    except InvalidOperation:
        return None
    if not quantity.is_finite() or quantity <= 0:
        return None
    return min(quantity, QUANTITY_MAX)


def points_for(kind: str, region_code: str, quantity=1) -> int:
    rule = rule_for(kind, region_code)
    if rule is None or not rule.active:
        return 0
    quantity = clean_quantity(quantity)
    if quantity is None:
        return 0
    return int((rule.points * quantity).to_integral_value(rounding=ROUND_DOWN))


def merit(
    *, worker: Worker, source: str, kind: str, region_code: str = "", reason: str = "", quantity=1, points=None, actor=None, **extra
) -> PointsEntry | None:
    """Post the points of one earning event, once per `source`: None when there is nothing to post (no active rule,
    0 points, already posted). On PostgreSQL the rule lookup and the posting are one statement
    (`ledger.post_earning`); elsewhere the account row is locked and posted in Python."""
    if kind not in EARNING_KINDS or not source:
        return None
    if ledger.one_statement():
        text = reason or EarningKind(kind).label
        common = {"kind": kind, "source": source, "reason": text, "region_code": region_code, "actor": actor}
        if points is not None:
            amount = min(int(points), POINTS_MAX)
            if amount <= 0:
                return None
            return ledger.post_earning(worker, amount=amount, points_max=POINTS_MAX, **common)
        cleaned = clean_quantity(quantity)
        if cleaned is None:
            return None
        return ledger.post_earning(
            worker, rule_kind=kind, prefixes=rule_prefixes(region_code), quantity=cleaned, points_max=POINTS_MAX, **common
        )
    amount = points_for(kind, region_code, quantity) if points is None else int(points)
    if amount <= 0:
        return None
    amount = min(amount, POINTS_MAX)
    with transaction.atomic():
        account = ledger.locked_account(worker)
        # The same source posted before, or by a concurrent caller: the insert does nothing and nothing moves.
        return ledger.post(
            account,
            amount=amount,
            kind=kind,
            source=source,
            reason=reason or EarningKind(kind).label,
            region_code=region_code,
            actor=actor,
        )


def on_merited(**payload) -> None:
    merit(**payload)


def withdraw(*, source: str, reason: str = "", actor=None, **extra) -> PointsEntry | None:
    """Reverse the earning posted for `source`, once; when the points were spent, take what is left and record the
    shortfall. None when there is nothing to reverse."""
    earning = PointsEntry.objects.filter(source=source, reversal_of__isnull=True, amount__gt=0).first()
    if earning is None:
        return None
    try:
        with transaction.atomic():
            account = ledger.locked_account(earning.account.worker)
            if PointsEntry.objects.filter(reversal_of=earning).exists():
                return None
            take = min(earning.amount, account.balance)
            shortfall = earning.amount - take
            text = reason or "积分撤销"
            if shortfall:
                text = f"{text}（余额不足，少扣 {shortfall} 分）"
            return ledger.post(
                account,
                amount=-take,
                kind=EntryKind.WITHDRAWN,
                source=f"withdrawn:{earning.source}",
                reason=text,
                region_code=earning.region_code,
                actor=actor,
                reversal_of=earning,
                shortfall=shortfall,
            )
    except IntegrityError:
        return None


def on_merit_withdrawn(**payload) -> None:
    withdraw(**payload)


def on_worker_erased(*, worker: Worker, **payload) -> None:
    """The "workers.erased" event's handler: the worker's points go with them, in the erasure's transaction."""
    points_erase_for_worker(worker)


def points_erase_for_worker(worker: Worker) -> int:
    """Pending redemptions give their item back, then the worker's redemptions, entries and account are deleted."""
    pending = Redemption.objects.select_for_update().filter(worker=worker, status=RedemptionStatus.REQUESTED)
    for redemption in pending:
        Reward.objects.filter(pk=redemption.reward_id).update(stock=F("stock") + 1)
    Redemption.objects.filter(worker=worker).delete()
    entries, _ = PointsEntry.objects.filter(account__worker=worker).delete()
    PointsAccount.objects.filter(worker=worker).delete()
    audit_record(
        actor=None,
        action="points_erase_for_worker",
        object_type="workers.worker",
        object_id=str(worker.pk),
        actor_name="system",
        detail={"old": {"entries": entries}, "new": None},
    )
    return entries


# Numbers typed by people.


def parse_count(value, *, label: str, minimum: int, maximum: int) -> tuple[int | None, str | None]:
    """A whole number from a form (full-width digits accepted): the number or a Chinese reason."""
    text = half_width(str(value if value is not None else "")).strip().replace(",", "")
    if not text:
        return None, f"请填写{label}"
    if control_character(text) or not text.lstrip("-").isdigit() or len(text) > 12:
        return None, f"{label}须为整数"
    number = int(text)
    if number < minimum:
        return None, f"{label}不能小于 {minimum}"
    if number > maximum:
        return None, f"{label}不能大于 {maximum:,}"
    return number, None


def _clean_text(value, *, label: str, maximum: int, required: bool, errors: dict, field: str) -> str:
    text = str(value or "").strip()
    if control_character(text):
        errors[field] = f"{label}含有不可见的控制字符"
    elif required and not text:
        errors[field] = f"请填写{label}"
    elif len(text) > maximum:
        errors[field] = f"{label}最多 {maximum} 个字（现有 {len(text)} 个）"
    return text


# Earning rules.


def _rule_snapshot(rule: EarningRule | None) -> dict | None:
    if rule is None:
        return None
    return {"kind": rule.kind, "region_code": rule.region_code, "points": rule.points, "active": rule.active, "note": rule.note}


@transaction.atomic
def points_rule_save(
    *, actor, kind: str, region_code: str, points, active: bool = True, note: str = "", rule: EarningRule | None = None
) -> EarningRule:
    """Add or change an earning rule of the actor's own area (a national rule only nationwide)."""
    require(actor, "points.rules", person=True)
    errors: dict[str, str] = {}
    code = half_width(str(region_code or "")).strip()
    if kind not in EARNING_KINDS:
        errors["kind"] = "积分事项不在可选范围内"
    if code and not Region.objects.filter(pk=code).exists():
        errors["region_code"] = "地区代码不存在"
    elif not region_in_scope(actor, code):
        errors["region_code"] = "所选地区不在本单位管辖范围内"
    number, problem = parse_count(points, label="积分", minimum=0, maximum=POINTS_MAX)
    if problem:
        errors["points"] = problem
    note = _clean_text(note, label="说明", maximum=200, required=False, errors=errors, field="note")
    if errors:
        raise ValidationError(errors)
    clash = EarningRule.objects.filter(kind=kind, region_code=code)
    if rule is not None:
        clash = clash.exclude(pk=rule.pk)
    if clash.exists():
        raise ValidationError({"region_code": "该地区的此事项已有积分规则，请修改原规则"})
    before = None
    if rule is not None:
        rule = EarningRule.objects.select_for_update().get(pk=rule.pk)
        if not region_in_scope(actor, rule.region_code):
            raise Refused("该规则不在本单位管辖范围内")
        before = _rule_snapshot(rule)
    else:
        rule = EarningRule()
    rule.kind, rule.region_code, rule.points, rule.active, rule.note = kind, code, number, bool(active), note
    rule.save()
    if before is None:
        audit_record(actor=actor, action="points_rule_save", obj=rule, detail={"old": None, "new": _rule_snapshot(rule)})
    else:
        audit_changes(actor=actor, action="points_rule_save", obj=rule, before=before, after=_rule_snapshot(rule))
    return rule


@transaction.atomic
def points_rule_delete(*, actor, rule: EarningRule) -> None:
    require(actor, "points.rules", person=True)
    rule = EarningRule.objects.select_for_update().get(pk=rule.pk)
    if not region_in_scope(actor, rule.region_code):
        raise Refused("该规则不在本单位管辖范围内")
    audit_record(actor=actor, action="points_rule_delete", obj=rule, detail={"old": _rule_snapshot(rule), "new": None})
    rule.delete()


# The rewards catalogue.


def _reward_snapshot(reward: Reward | None) -> dict | None:
    if reward is None:
        return None
    return {
        "name": reward.name,
        "kind": reward.kind,
        "description": reward.description,
        "cost": reward.cost,
        "stock": reward.stock,
        "region": reward.region_id,
        "unit": reward.unit_id,
        "active": reward.active,
        "valid_until": reward.valid_until.isoformat() if reward.valid_until else None,
    }


@transaction.atomic
def points_reward_save(
    *,
    actor,
    name: str,
    kind: str,
    cost,
    stock,
    region_code: str = "",
    description: str = "",
    active: bool = True,
    valid_until: date | None = None,
    reward: Reward | None = None,
) -> Reward:
    """Add or change a reward of the actor's unit, offered in `region_code` (the unit's region or below)."""
    require(actor, "points.manage", person=True)
    unit: Unit | None = actor.unit if actor.unit_id else None
    errors: dict[str, str] = {}
    name = _clean_text(name, label="名称", maximum=NAME_MAX, required=True, errors=errors, field="name")
    description = _clean_text(description, label="说明", maximum=DESCRIPTION_MAX, required=False, errors=errors, field="description")
    if kind not in RewardKind.values:
        errors["kind"] = "类型不在可选范围内"
    cost_value, problem = parse_count(cost, label="所需积分", minimum=1, maximum=POINTS_MAX)
    if problem:
        errors["cost"] = problem
    stock_value, problem = parse_count(stock, label="库存", minimum=0, maximum=STOCK_MAX)
    if problem:
        errors["stock"] = problem
    code = half_width(str(region_code or "")).strip() or (unit.region_id if unit else "")
    if not code or not Region.objects.filter(pk=code).exists():
        errors["region_code"] = "请填写适用地区的区划代码"
    elif not region_in_scope(actor, code):
        errors["region_code"] = "所选地区不在本单位管辖范围内"
    if unit is None:
        errors["name"] = "本账号不属于任何单位，不能提供礼品服务"
    if errors:
        raise ValidationError(errors)
    before = None
    if reward is not None:
        reward = Reward.objects.select_for_update().get(pk=reward.pk)
        if not region_in_scope(actor, reward.region_id):
            raise Refused("该礼品服务不在本单位管辖范围内")
        before = _reward_snapshot(reward)
    else:
        reward = Reward(unit=unit)
    reward.name, reward.kind, reward.description = name, kind, description
    reward.cost, reward.stock, reward.region_id = cost_value, stock_value, code
    reward.active, reward.valid_until = bool(active), valid_until
    reward.save()
    if before is None:
        audit_record(actor=actor, action="points_reward_save", obj=reward, detail={"old": None, "new": _reward_snapshot(reward)})
    else:
        audit_changes(actor=actor, action="points_reward_save", obj=reward, before=before, after=_reward_snapshot(reward))
    return reward


# Redemptions.


def reward_refusal(reward: Reward, worker: Worker, *, balance: int, today: date | None = None) -> str | None:
    """Why this worker cannot redeem this reward now, in Chinese; None when they can."""
    today = today or timezone.localdate()
    if not reward.active:
        return f"“{reward.name}”已下架"
    if reward.valid_until and reward.valid_until < today:
        return f"“{reward.name}”已过兑换截止日期（{reward.valid_until:%Y-%m-%d}）"
    if not worker.region_id.startswith(reward.region_id):
        return f"“{reward.name}”只面向{reward.region.name}的从业人员"
    if reward.stock <= 0:
        return f"“{reward.name}”已兑完"
    if balance < reward.cost:
        return f"积分不足：兑换“{reward.name}”需要 {reward.cost} 分，您现有 {balance} 分"
    return None


def _new_code() -> str:
    while True:
        code = f"{secrets.randbelow(10**8):08d}"
        if not Redemption.objects.filter(code=code).exists():
            return code


def points_redeem(*, actor, reward: Reward, client_key=None) -> Redemption:
    """The worker spends points on a reward: points and stock taken in one transaction, the account and the reward
    locked (two taps at the same moment spend once; the same client key twice is one redemption)."""
    require(actor, "points.redeem", person=True)
    worker = Worker.objects.filter(user=actor).select_related("region").first()
    if worker is None:
        raise Refused("只有从业人员本人可以兑换")
    key = parse_client_key(client_key)

    def create() -> Redemption:
        account = ledger.locked_account(worker)
        locked = Reward.objects.select_for_update().select_related("region").get(pk=reward.pk)
        problem = reward_refusal(locked, worker, balance=account.balance)
        if problem:
            raise ValidationError(problem)
        now = timezone.now()
        redemption = Redemption.objects.create(
            worker=worker, reward=locked, cost=locked.cost, code=_new_code(), requested_at=now, client_key=key
        )
        ledger.post(
            account,
            amount=-locked.cost,
            kind=EntryKind.REDEEM,
            source=f"redeem:{redemption.pk}",
            reason=f"兑换“{locked.name}”",
            region_code=worker.region_id,
            actor=actor,
        )
        Reward.objects.filter(pk=locked.pk).update(stock=F("stock") - 1)
        timeline_event(
            redemption, actor=actor, transition="request", label="兑换", old="", new=RedemptionStatus.REQUESTED, new_label="待领取"
        )
        audit_record(
            actor=actor,
            action="points_redeem",
            obj=redemption,
            detail={"old": None, "new": {"reward": locked.pk, "cost": locked.cost, "status": RedemptionStatus.REQUESTED}},
        )
        return redemption

    with transaction.atomic():
        redemption, _ = create_once(Redemption, owner={"worker": worker}, client_key=key, create=create)
    return redemption


def points_redemption_cancel(*, actor, redemption: Redemption) -> Redemption:
    """The worker cancels their own redemption before it is handed over: points and stock return."""
    return transition(WORKFLOW, redemption, "cancel", actor=actor, action="points_redemption_cancel")


def points_redemption_revoke(*, actor, redemption: Redemption, note: str = "") -> Redemption:
    """Staff cancel a redemption not yet handed over (the item is gone, the worker asked at the counter)."""
    return transition(WORKFLOW, redemption, "revoke", actor=actor, action="points_redemption_revoke", note=note)


def points_redemption_fulfil(*, actor, redemption: Redemption, code: str | None = None) -> Redemption:
    """Staff hand the reward over; with `code`, it must be the one on the worker's phone."""
    if code is not None:
        code = half_width(str(code)).strip()
    return transition(WORKFLOW, redemption, "fulfil", actor=actor, action="points_redemption_fulfil", code=code)
