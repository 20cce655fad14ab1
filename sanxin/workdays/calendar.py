"""The one working-day calendar every deadline counts on: the administrator's table (DayAdjustment) first, then
chinesecalendar (statutory holidays and 调休 from the State Council's notices it ships), then, for a year the package
does not know yet, Monday to Friday."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

# A count of working days far larger than any deadline: a wrong input cannot loop for ever.
MAX_WORKDAYS = 3660


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def package_says(day: date) -> tuple[bool, str]:
    """(is a working day, the holiday's or make-up day's English name from the package, or "")."""
    try:
        workday = chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5, ""
    name = chinese_calendar.holidays.get(day) or chinese_calendar.workdays.get(day) or ""
    return workday, name if name not in ("Saturday", "Sunday") else ""


class WorkCalendar:
    """Working days between two dates with the administrator's table read once (one query per calendar)."""

    def __init__(self, start: date, end: date):
        from sanxin.workdays.models import DayAdjustment

        self.start, self.end = start, end
        self.table = dict(DayAdjustment.objects.filter(day__range=(start, end)).values_list("day", "is_workday"))

    def is_workday(self, day: date) -> bool:
        if day in self.table:
            return self.table[day]
        return package_says(day)[0]

    def count(self, first: date, last: date) -> int:
        """Working days from `first` to `last`, both included."""
        return sum(1 for n in range((last - first).days + 1) if self.is_workday(first + timedelta(days=n)))

    def nth_after(self, day: date, n: int) -> date:
        """The `n`th working day after `day` (n ≥ 1): a deadline of n working days from `day`."""
        if not 1 <= n <= MAX_WORKDAYS:
            raise ValueError(f"工作日数应在 1 到 {MAX_WORKDAYS} 之间")
        current = day
        while n:
            current += timedelta(days=1)
            if self.is_workday(current):
                n -= 1
        return current


def workdays_between(first: date, last: date) -> int:
    """Working days from `first` to `last`, both included (0 when `last` is before `first`)."""
    if last < first:
        return 0
    return WorkCalendar(first, last).count(first, last)


def add_workdays(day: date, n: int) -> date:
    """The date `n` working days after `day`."""
    # Holidays never run longer than two weeks in a row: 2n + 30 calendar days hold n working days.
    return WorkCalendar(day, day + timedelta(days=2 * n + 30)).nth_after(day, n)
