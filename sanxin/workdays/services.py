"""Writing the administrator's table of days (放假安排): each change audited with its old and new values."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanxin.core.audit import audit_changes, audit_record
from sanxin.core.guards import require
from sanxin.workdays.models import DayAdjustment

EARLIEST_YEAR = 2000
LATEST_AHEAD = 2  # the notice comes out late in the year before; two years ahead is already generous


def _snapshot(adjustment: DayAdjustment | None) -> dict:
    if adjustment is None:
        return {}
    return {"is_workday": adjustment.is_workday, "name": adjustment.name, "note": adjustment.note}


@transaction.atomic
def workday_adjustment_save(*, actor, day: date, is_workday: bool, name: str = "", note: str = "") -> DayAdjustment:
    """Sets a day as a holiday or a working day (the day's earlier entry, if any, is replaced)."""
    require(actor, "workdays.manage")
    latest = timezone.localdate().year + LATEST_AHEAD
    if not isinstance(day, date) or not EARLIEST_YEAR <= day.year <= latest:
        raise ValidationError({"day": f"日期应在 {EARLIEST_YEAR} 年至 {latest} 年之间"})
    name, note = name.strip(), note.strip()
    if len(name) > 20 or len(note) > 100:
        raise ValidationError({"name": "节日名称不能超过 20 个字，依据不能超过 100 个字"})
    adjustment = DayAdjustment.objects.select_for_update().filter(day=day).first()
    before = _snapshot(adjustment)
    if adjustment is None:
        adjustment = DayAdjustment.objects.create(day=day, is_workday=is_workday, name=name, note=note)
        audit_record(
            actor=actor, action="workday_adjustment_save", obj=adjustment, detail={"new": {"day": day.isoformat(), **_snapshot(adjustment)}}
        )
        return adjustment
    adjustment.is_workday, adjustment.name, adjustment.note = is_workday, name, note
    adjustment.save()
    audit_changes(actor=actor, action="workday_adjustment_save", obj=adjustment, before=before, after=_snapshot(adjustment))
    return adjustment


@transaction.atomic
def workday_adjustment_delete(*, actor, adjustment: DayAdjustment) -> None:
    require(actor, "workdays.manage")
    detail = {"old": {"day": adjustment.day.isoformat(), **_snapshot(adjustment)}}
    audit_record(actor=actor, action="workday_adjustment_delete", obj=adjustment, detail=detail)
    adjustment.delete()
