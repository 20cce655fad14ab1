"""Reading a year's calendar: the administrator's entries and the package's, day by day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.http import Http404

from sanxin.workdays.calendar import package_knows, package_says
from sanxin.workdays.models import DayAdjustment

# The package's names of holidays, as users know them.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class SpecialDay:
    day: date
    is_workday: bool
    name: str
    source: str  # "table" (the administrator's entry) or "package"
    adjustment: DayAdjustment | None = None


def year_special_days(year: int) -> list[SpecialDay]:
    """Holidays on weekdays and working weekends of the year: the table's entries, else the package's."""
    table = {a.day: a for a in DayAdjustment.objects.filter(day__year=year)}
    days = []
    current, end = date(year, 1, 1), date(year, 12, 31)
    known = package_knows(year)
    while current <= end:
        entry = table.get(current)
        if entry is not None:
            days.append(SpecialDay(current, entry.is_workday, entry.name, "table", entry))
        elif known:
            workday, name = package_says(current)
            if workday != (current.weekday() < 5):
                days.append(SpecialDay(current, workday, HOLIDAY_NAMES.get(name, name), "package"))
        current += timedelta(days=1)
    return days


def access_adjustment(pk: int) -> DayAdjustment:
    adjustment = DayAdjustment.objects.filter(pk=pk).first()
    if adjustment is None:
        raise Http404
    return adjustment


def year_known(year: int, days: list[SpecialDay]) -> bool:
    """The package ships the year's notice, or the administrator has entered some of it."""
    return package_knows(year) or any(d.source == "table" for d in days)
