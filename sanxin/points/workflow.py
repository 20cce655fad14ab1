"""The states of a redemption and the one table of its transitions (sanxin.core.workflow.transition locks the row,
checks the state and the guards, writes the timeline and audits).

    requested (points and stock taken at once, by sanxin.points.services.points_redeem)
        → fulfilled (staff hand it over, usually against the code on the worker's phone)
        → cancelled (by the worker before it is handed over, or by staff): the points come back as a reversal
          entry of the spend, the stock returns
"""

from __future__ import annotations

from django.db.models import F

from sanxin.core.scope import region_in_scope
from sanxin.core.workflow import Transition, Workflow
from sanxin.points import ledger
from sanxin.points.models import EntryKind, PointsEntry, Redemption, RedemptionStatus, Reward

NOTE_MAX = 200


def _the_worker(redemption: Redemption, *, actor, **data) -> str | None:
    if actor is None or redemption.worker.user_id != actor.pk:
        return "只有兑换人本人可以取消"
    return None


def _staff_of_reward(redemption: Redemption, *, actor, **data) -> str | None:
    if actor is not None and not region_in_scope(actor, redemption.reward.region_id):
        return "该兑换不在本单位管辖范围内"
    return None


def _code_matches(redemption: Redemption, *, actor, code: str | None = None, **data) -> str | None:
    if code is not None and code.strip() != redemption.code:
        return "兑换码不符，请核对从业人员手机上显示的兑换码"
    return None


def _refund(redemption: Redemption, *, actor, note: str = "", **data) -> None:
    """Points back as the reversal of the spend; the stock back on the shelf."""
    spend = PointsEntry.objects.get(source=f"redeem:{redemption.pk}")
    account = ledger.locked_account(redemption.worker)
    who = "本人" if actor is not None and redemption.worker.user_id == actor.pk else "工作人员"
    ledger.post(
        account,
        amount=-spend.amount,
        kind=EntryKind.REFUND,
        source=f"refund:{redemption.pk}",
        reason=f"{who}取消兑换“{redemption.reward.name}”，退回积分",
        region_code=spend.region_code,
        actor=actor,
        reversal_of=spend,
    )
    Reward.objects.filter(pk=redemption.reward_id).update(stock=F("stock") + 1)


WORKFLOW = Workflow(
    Redemption,
    [
        Transition(
            "fulfil",
            "确认领取",
            frozenset({RedemptionStatus.REQUESTED}),
            RedemptionStatus.FULFILLED,
            "points.manage",
            guards=(_staff_of_reward, _code_matches),
            timestamp="fulfilled_at",
        ),
        Transition(
            "cancel",
            "取消兑换",
            frozenset({RedemptionStatus.REQUESTED}),
            RedemptionStatus.CANCELLED,
            "points.redeem",
            guards=(_the_worker,),
            timestamp="cancelled_at",
            apply=_refund,
        ),
        Transition(
            "revoke",
            "取消兑换（退回积分）",
            frozenset({RedemptionStatus.REQUESTED}),
            RedemptionStatus.CANCELLED,
            "points.manage",
            guards=(_staff_of_reward,),
            timestamp="cancelled_at",
            note_required="请填写取消原因",
            apply=_refund,
        ),
    ],
)
STAFF_ACTIONS = ("fulfil", "revoke")
