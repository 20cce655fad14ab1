"""The states of a hazard report and the one table of its transitions (run by sanxin.core.workflow.transition).

submitted → valid (verified; refused when another valid report of the same category lies within 100 m and
                   72 h, before or after it: mark it duplicate of that one instead)
          → invalid (with the reason)
          → duplicate (of an earlier report, or of a later one already valid, named)
valid → dispatched (to a unit, with a note) → resolved (with a reply)
valid → resolved (handled by the community itself, with a reply)
valid → invalid / duplicate (a correction: the points earned are withdrawn)
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from sanxin.core.notifications import Message
from sanxin.core.workflow import Transition, Workflow
from sanxin.hazards.models import NOTE_MAX, PUBLISHED_STATUSES, REPLY_MAX, HazardReport, HazardStatus
from sanxin.hazards.selectors import may_handle, valid_nearby

S = HazardStatus


def _handler(report: HazardReport, *, actor, **data) -> str | None:
    if actor is not None and not may_handle(actor, report):
        return f"{report.number}由{report.unit.name}负责，本单位不能办理"
    return None


def _not_repeating(report: HazardReport, *, actor, **data) -> str | None:
    # Two staff verifying two reports of one hazard at the same moment: each holds only its own row, so neither
    # would see the other's verification. Verifications of a category take turns (a PostgreSQL transaction-level
    # advisory lock; SQLite writes one at a time anyway), and the check below then sees the one before it.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"hazard-verify:{report.category}"])
    earlier = valid_nearby(report)
    if earlier is not None:
        return (
            f"{earlier.number}（{earlier.get_category_display()}，{earlier.place or earlier.region.name}）已核实有效，"
            f"与本条相距不足 100 米、上报时间相差不到 72 小时，请“标记为重复”"
        )
    return None


def _original_given(report: HazardReport, *, actor, original=None, **data) -> str | None:
    if original is None:
        return "请选择与本条重复的原随手拍"
    if original.pk == report.pk:
        return "不能标记为与自身重复"
    if original.category != report.category:
        return "重复的原随手拍须为同一隐患类别"
    if original.status in (S.INVALID, S.DUPLICATE):
        return f"{original.number}本身是无效或重复的，不能作为原随手拍"
    if original.submitted_at > report.submitted_at and original.status not in PUBLISHED_STATUSES:
        return f"{original.number}上报在本条之后，请反过来标记"
    return None


def _target_unit(report: HazardReport, *, actor, unit=None, **data) -> str | None:
    if unit is None:
        return "请选择派单给的单位"
    from sanxin.hazards.selectors import dispatch_targets

    if actor is not None and not dispatch_targets(actor).filter(pk=unit.pk).exists():
        return f"“{unit.name}”不在本单位管辖范围内，不能派单"
    return None


def _reply_given(report: HazardReport, *, actor, reply: str = "", **data) -> str | None:
    reply = (reply or "").strip()
    if not reply:
        return "请填写办结答复"
    if len(reply) > REPLY_MAX:
        return f"办结答复最多 {REPLY_MAX} 个字（现有 {len(reply)} 个）"
    return None


def _now(data):
    return data.get("now") or timezone.now()


def _verified(report, *, actor, note, **data):
    report.verified_at = _now(data)


def _duplicate(report, *, actor, note, original=None, **data):
    report.verified_at = _now(data)
    report.duplicate_of = original


def _dispatch(report, *, actor, note, unit=None, **data):
    report.dispatched_to = unit
    report.dispatch_note = note[:NOTE_MAX]
    report.dispatched_at = _now(data)


def _resolve(report, *, actor, note, reply="", **data):
    report.reply = reply.strip()
    report.resolved_at = _now(data)


def _to_reporter(title: str):
    def build(report: HazardReport, *, actor):
        users = [report.reporter.user] if report.reporter is not None and report.reporter.user_id else []
        return users, Message(f"您的随手拍{report.number}{title}", link=f"/w/hazards/{report.pk}/")

    return build


HANDLE = "hazards.handle"
WORKFLOW = Workflow(
    model=HazardReport,
    transitions=[
        Transition(
            "verify_valid",
            "核实有效",
            frozenset({S.SUBMITTED}),
            S.VALID,
            HANDLE,
            guards=(_handler, _not_repeating),
            timestamp="verified_at",
            notify=_to_reporter("已核实有效"),
        ),
        Transition(
            "verify_invalid",
            "核实无效",
            frozenset({S.SUBMITTED}),
            S.INVALID,
            HANDLE,
            guards=(_handler,),
            note_required="请填写核实无效的原因",
            apply=_verified,
            notify=_to_reporter("经核实无效"),
        ),
        Transition(
            "mark_duplicate",
            "标记为重复",
            frozenset({S.SUBMITTED}),
            S.DUPLICATE,
            HANDLE,
            guards=(_handler, _original_given),
            apply=_duplicate,
            notify=_to_reporter("与已有上报重复"),
        ),
        Transition(
            "dispatch",
            "派单",
            frozenset({S.VALID}),
            S.DISPATCHED,
            HANDLE,
            guards=(_handler, _target_unit),
            note_required="请填写派单说明",
            apply=_dispatch,
        ),
        Transition(
            "resolve",
            "办结答复",
            frozenset({S.VALID, S.DISPATCHED}),
            S.RESOLVED,
            HANDLE,
            guards=(_handler, _reply_given),
            apply=_resolve,
            notify=_to_reporter("已办结"),
        ),
        Transition(
            "correct_invalid",
            "更正为无效",
            frozenset({S.VALID}),
            S.INVALID,
            HANDLE,
            guards=(_handler,),
            note_required="请填写更正的原因",
            apply=_verified,
            notify=_to_reporter("经复核更正为无效"),
        ),
        Transition(
            "correct_duplicate",
            "更正为重复",
            frozenset({S.VALID}),
            S.DUPLICATE,
            HANDLE,
            guards=(_handler, _original_given),
            note_required="请填写更正的原因",
            apply=_duplicate,
            notify=_to_reporter("经复核更正为重复上报"),
        ),
    ],
)
STAFF_ACTIONS = ("verify_valid", "verify_invalid", "mark_duplicate", "dispatch", "resolve", "correct_invalid", "correct_duplicate")
