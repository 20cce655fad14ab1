"""Appeal deadlines in working days on the Chinese calendar: every count goes through sanxin.workdays.calendar
(chinesecalendar plus the administrator's DayAdjustment table), never a calendar of its own.

A limit of n working days from a moment ends at the close (23:59:59 local) of the nth working day after that
moment's date. Each level has its own limit (settings.SANXIN_APPEAL_LIMITS overrides the defaults): accept within
1 working day; resolve within 5 at a street or community, 3 more at each level above after an escalation.
The clock pauses while the appeal waits for the worker's answer; on the answer the deadline moves on by the
working days the pause took (the day it began counts when the answer came on a later day).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from sanxin.workdays.calendar import WorkCalendar, add_workdays, workdays_between

DEFAULT_LIMITS = {"accept": 1, "street": 5, "county": 3, "city": 3, "province": 3}
LEVEL_LABELS = {"street": "街道（乡镇）", "county": "县（区）", "city": "市", "province": "省"}


def limits() -> dict[str, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "SANXIN_APPEAL_LIMITS", {})}


def level_of(region_code: str) -> str:
    """The level of a unit by its region code: a street or community (9 or 12 digits), a county, a city, a province."""
    n = len(region_code or "")
    return "street" if n >= 9 else "county" if n == 6 else "city" if n == 4 else "province"


def day_end(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def due_after(moment: datetime, workdays: int) -> datetime:
    """The close of the `workdays`th working day after `moment`'s (local) date."""
    return day_end(add_workdays(timezone.localdate(moment), workdays))


def accept_due(moment: datetime) -> datetime:
    return due_after(moment, limits()["accept"])


def resolve_due(moment: datetime, unit_region_code: str) -> datetime:
    return due_after(moment, limits()[level_of(unit_region_code)])


def paused_workdays(paused_at: datetime, resumed_at: datetime) -> int:
    """Working days the pause took: those from the day it began up to the day before the answer."""
    first, answered = timezone.localdate(paused_at), timezone.localdate(resumed_at)
    return workdays_between(first, answered - timedelta(days=1))


def extended(due_at: datetime, paused_at: datetime, resumed_at: datetime) -> datetime:
    """The deadline moved on by the working days the pause took."""
    lost = paused_workdays(paused_at, resumed_at)
    if lost <= 0:
        return due_at
    return day_end(add_workdays(timezone.localdate(due_at), lost))


class DueTable:
    """Many due dates at once (the bench, a bulk recompute): the calendar read once over a range, then each
    "n working days after d" is an index lookup. Same answers as add_workdays (a test proves it)."""

    def __init__(self, start: date, end: date):
        calendar = WorkCalendar(start, end)
        self.start = start
        self.days = (end - start).days + 1
        self.workday_dates = [start + timedelta(days=i) for i in range(self.days) if calendar.is_workday(start + timedelta(days=i))]
        # before[i] = how many working days lie strictly before start + i
        self.before = []
        count = 0
        workdays = set(self.workday_dates)
        for i in range(self.days + 1):
            self.before.append(count)
            if i < self.days and (start + timedelta(days=i)) in workdays:
                count += 1

    def add(self, day: date, n: int) -> date:
        offset = (day - self.start).days
        index = self.before[offset + 1] + n - 1  # working days up to and including `day`, then n more
        return self.workday_dates[index]

    def add_many(self, days: list[date], counts: list[int]) -> list[date]:
        """`add` for many at once (the same answers), with the lookups bound locally."""
        start, before, workdays = self.start.toordinal(), self.before, self.workday_dates
        return [workdays[before[day.toordinal() - start + 1] + n - 1] for day, n in zip(days, counts, strict=True)]
