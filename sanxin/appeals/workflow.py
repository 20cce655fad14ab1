"""The states of an appeal and the one table of its transitions (run by sanxin.core.workflow.transition, which
locks the row, checks the state and these guards, writes the timeline, audits and notifies on commit).

    submitted → accepted → in progress → resolved (with a reply) → rated → closed
    accepted / in progress → waiting for the worker's answer (the clock pauses) → in progress
    rated "not satisfied" → in progress again, once
    submitted / accepted / in progress → transferred or escalated (submitted at the new unit) or returned
"""

from __future__ import annotations

from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.appeals import deadlines
from sanxin.appeals.models import CLOCK_RUNNING, NOTE_MAX, REPLY_MAX, Appeal, AppealStatus, Rating
from sanxin.appeals.selectors import may_handle, transfer_targets, unit_above
from sanxin.core.notifications import Message
from sanxin.core.workflow import Transition, Workflow

RUNNING = frozenset(CLOCK_RUNNING)


# Guards: a Chinese reason to refuse, or None.


def _handler(appeal: Appeal, *, actor, **data) -> str | None:
    if actor is not None and not may_handle(actor, appeal):
        return f"{appeal.number}由{appeal.unit.name}承办，本单位不能办理"
    return None


def _the_worker(appeal: Appeal, *, actor, **data) -> str | None:
    if actor is None or appeal.worker is None or appeal.worker.user_id != actor.pk:
        return "只有诉求人本人可以办理此事项"
    return None


def _worker_can_answer(appeal: Appeal, *, actor, **data) -> str | None:
    if appeal.worker is None or appeal.worker.user_id is None:
        return "诉求人没有本人账号，不能在线答复；请电话联系后直接办理"
    return None


def _reply_given(appeal: Appeal, *, actor, reply: str = "", **data) -> str | None:
    reply = (reply or "").strip()
    if not reply:
        return "请填写办理答复"
    if len(reply) > REPLY_MAX:
        return f"办理答复最多 {REPLY_MAX} 个字（现有 {len(reply)} 个）"
    return None


def _answer_given(appeal: Appeal, *, actor, answer: str = "", **data) -> str | None:
    answer = (answer or "").strip()
    if not answer:
        return "请填写答复内容"
    if len(answer) > NOTE_MAX:
        return f"答复最多 {NOTE_MAX} 个字（现有 {len(answer)} 个）"
    return None


def _rating_given(appeal: Appeal, *, actor, rating: str = "", **data) -> str | None:
    if rating not in Rating.values:
        return "请选择评价：满意、基本满意或不满意"
    return None


def _may_reopen(appeal: Appeal, *, actor, **data) -> str | None:
    if appeal.reopened:
        return "该诉求已重新办理过一次，不能再次重新办理"
    if appeal.rating != Rating.UNSATISFIED:
        return "只有评价为“不满意”的诉求可以重新办理"
    return None


def _target_unit(appeal: Appeal, *, actor, unit=None, **data) -> str | None:
    if unit is None:
        return "请选择转办的单位"
    if unit.pk == appeal.unit_id:
        return "不能转办给当前承办单位"
    if not transfer_targets(appeal.unit).filter(pk=unit.pk).exists():
        return f"“{unit.name}”不在可转办的范围内（只能转给同一上级区域内的承办单位）"
    return None


def _overdue(appeal: Appeal, *, actor, now=None, **data) -> str | None:
    if (now or timezone.now()) <= appeal.due_at:
        return f"诉求未超期（办理时限 {timezone.localtime(appeal.due_at):%Y-%m-%d %H:%M}），不能升级"
    return None


def _has_unit_above(appeal: Appeal, *, actor, **data) -> str | None:
    if unit_above(appeal.unit) is None:
        return f"{appeal.unit.name}已是最高一级承办单位，不能再升级"
    return None


# Fields beside the state.


def _now(data):
    return data.get("now") or timezone.now()


def _accept(appeal: Appeal, *, actor, note, **data):
    moment = _now(data)
    appeal.accepted_at = moment
    appeal.due_at = deadlines.resolve_due(moment, appeal.unit.region_id)


def _start(appeal: Appeal, *, actor, note, **data):
    appeal.started_at = _now(data)


def _ask(appeal: Appeal, *, actor, note, **data):
    appeal.paused_at = _now(data)
    appeal.question = note[:NOTE_MAX]


def _answer(appeal: Appeal, *, actor, note, answer="", **data):
    moment = _now(data)
    appeal.due_at = deadlines.extended(appeal.due_at, appeal.paused_at, moment)
    appeal.text = f"{appeal.text}\n【补充 {timezone.localtime(moment):%Y-%m-%d %H:%M}】问：{appeal.question}\n答：{answer.strip()}"
    appeal.paused_at = None
    appeal.question = ""


def _resolve(appeal: Appeal, *, actor, note, reply="", **data):
    appeal.reply = reply.strip()
    appeal.resolved_at = _now(data)


def _rate(appeal: Appeal, *, actor, note, rating="", **data):
    appeal.rating = rating
    appeal.rated_at = _now(data)


def _reopen(appeal: Appeal, *, actor, note, **data):
    moment = _now(data)
    appeal.reopened = True
    appeal.resolved_at = None
    appeal.due_at = deadlines.resolve_due(moment, appeal.unit.region_id)


def _close(appeal: Appeal, *, actor, note, **data):
    appeal.closed_at = _now(data)


def _reassign(appeal: Appeal, unit, moment):
    """At a new unit the appeal starts over: to be accepted within the limit, then resolved within that level's."""
    appeal.unit = unit
    appeal.accepted_at = None
    appeal.started_at = None
    appeal.accept_due_at = deadlines.accept_due(moment)
    appeal.due_at = appeal.accept_due_at


def _transfer(appeal: Appeal, *, actor, note, unit=None, **data):
    _reassign(appeal, unit, _now(data))


def _escalate(appeal: Appeal, *, actor, note, **data):
    appeal.escalation_level += 1
    _reassign(appeal, unit_above(appeal.unit), _now(data))


def _return(appeal: Appeal, *, actor, note, **data):
    appeal.returned_at = _now(data)


# Who hears of it.


def unit_people(unit) -> list:
    return list(User.objects.filter(unit=unit, is_active=True, roles__role__in=["region_staff", "grassroots_staff"]).distinct())


def _worker_user(appeal: Appeal) -> list:
    return [appeal.worker.user] if appeal.worker is not None and appeal.worker.user_id else []


def _to_worker(title: str):
    def build(appeal: Appeal, *, actor):
        return _worker_user(appeal), Message(f"您的诉求{appeal.number}{title}", link=f"/w/appeals/{appeal.pk}/")

    return build


def _to_unit(title: str):
    def build(appeal: Appeal, *, actor):
        return unit_people(appeal.unit), Message(f"诉求{appeal.number}{title}", link=f"/appeals/{appeal.pk}/")

    return build


HANDLE = "appeals.handle"
RAISE = "appeals.raise"
TRANSFERABLE = frozenset({AppealStatus.SUBMITTED, AppealStatus.ACCEPTED, AppealStatus.IN_PROGRESS})

WORKFLOW = Workflow(
    model=Appeal,
    transitions=[
        Transition(
            "accept",
            "受理",
            frozenset({AppealStatus.SUBMITTED}),
            AppealStatus.ACCEPTED,
            HANDLE,
            guards=(_handler,),
            apply=_accept,
            notify=_to_worker("已受理"),
        ),
        Transition(
            "start", "开始办理", frozenset({AppealStatus.ACCEPTED}), AppealStatus.IN_PROGRESS, HANDLE, guards=(_handler,), apply=_start
        ),
        Transition(
            "ask",
            "请诉求人补充",
            frozenset({AppealStatus.ACCEPTED, AppealStatus.IN_PROGRESS}),
            AppealStatus.WAITING,
            HANDLE,
            guards=(_handler, _worker_can_answer),
            note_required="请填写需要诉求人补充说明的问题",
            apply=_ask,
            notify=_to_worker("需要您补充说明"),
        ),
        Transition(
            "answer",
            "诉求人答复",
            frozenset({AppealStatus.WAITING}),
            AppealStatus.IN_PROGRESS,
            RAISE,
            guards=(_the_worker, _answer_given),
            apply=_answer,
            notify=_to_unit("诉求人已答复"),
        ),
        Transition(
            "resolve",
            "办结答复",
            frozenset({AppealStatus.ACCEPTED, AppealStatus.IN_PROGRESS}),
            AppealStatus.RESOLVED,
            HANDLE,
            guards=(_handler, _reply_given),
            apply=_resolve,
            notify=_to_worker("已办结，请评价"),
        ),
        Transition(
            "rate",
            "评价",
            frozenset({AppealStatus.RESOLVED}),
            AppealStatus.RATED,
            RAISE,
            guards=(_the_worker, _rating_given),
            apply=_rate,
            notify=_to_unit("已评价"),
        ),
        Transition(
            "reopen",
            "不满意，重新办理",
            frozenset({AppealStatus.RATED}),
            AppealStatus.IN_PROGRESS,
            RAISE,
            guards=(_the_worker, _may_reopen),
            apply=_reopen,
            notify=_to_unit("诉求人不满意，已重新办理"),
        ),
        Transition("close", "关闭", frozenset({AppealStatus.RATED}), AppealStatus.CLOSED, None, apply=_close),
        Transition(
            "transfer",
            "转办",
            TRANSFERABLE,
            AppealStatus.SUBMITTED,
            HANDLE,
            guards=(_handler, _target_unit),
            note_required="请填写转办原因",
            apply=_transfer,
            notify=_to_unit("已转办给本单位"),
        ),
        Transition(
            "return",
            "退回（不属于受理范围）",
            TRANSFERABLE,
            AppealStatus.RETURNED,
            HANDLE,
            guards=(_handler,),
            note_required="请填写退回原因",
            apply=_return,
            notify=_to_worker("已退回"),
        ),
        Transition(
            "escalate",
            "超期升级",
            frozenset(CLOCK_RUNNING),
            AppealStatus.SUBMITTED,
            None,
            guards=(_overdue, _has_unit_above),
            note_required="请填写升级原因",
            apply=_escalate,
            notify=_to_unit("已超期，升级由本单位办理"),
        ),
        Transition(
            "escalate_manual",
            "升级到上级单位",
            frozenset(CLOCK_RUNNING),
            AppealStatus.SUBMITTED,
            HANDLE,
            guards=(_handler, _overdue, _has_unit_above),
            note_required="请填写升级原因",
            apply=_escalate,
            notify=_to_unit("已超期，升级由本单位办理"),
        ),
    ],
)
# What staff press on the detail page (the worker's steps and the system's are elsewhere).
STAFF_ACTIONS = ("accept", "start", "ask", "resolve", "transfer", "return", "escalate_manual")
