"""Visit counts (服务人次): counted check-ins, per station, per region and per month, cut to the scope. The one
place the pages, the API and (later) dashboards and assessment read them. No ranking of individual workers."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth

from sanxin.core.scope import scoped
from sanxin.stations.models import CheckIn, Station


def checkins(*, user, region: str = "", start: date | None = None, end: date | None = None):
    rows = scoped(CheckIn.objects.all(), user)
    if region:
        rows = rows.filter(station__region__code__under=region)
    if start:
        rows = rows.filter(day__gte=start)
    if end:
        rows = rows.filter(day__lte=end)
    return rows


def visit_count(*, user, region: str = "", start: date | None = None, end: date | None = None) -> int:
    """服务人次 of the stations the user sees (in a region, a period)."""
    return checkins(user=user, region=region, start=start, end=end).count()


def worker_count(*, user, region: str = "", start: date | None = None, end: date | None = None) -> int:
    """How many different workers checked in (服务人数)."""
    return checkins(user=user, region=region, start=start, end=end).values("worker").distinct().count()


def station_visits_by_month(station: Station, *, months: int = 12) -> list[tuple[date, int]]:
    """(first day of month, 服务人次) of one station, the latest `months` months that have any, oldest first."""
    rows = (
        CheckIn.objects.filter(station=station)
        .annotate(month=TruncMonth("day"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("-month")[:months]
    )
    return sorted((row["month"], row["n"]) for row in rows)


def visits_by_region(*, user, start: date | None = None, end: date | None = None, level_length: int = 9) -> list[tuple[str, int]]:
    """(region code cut to `level_length` digits, 服务人次): per street by default."""
    counts: dict[str, int] = {}
    rows = checkins(user=user, start=start, end=end).order_by().values("station__region_id").annotate(n=Count("pk"))
    for row in rows:
        code = row["station__region_id"][:level_length]
        counts[code] = counts.get(code, 0) + row["n"]
    return sorted(counts.items())


def station_totals(*, user) -> dict:
    stations = scoped(Station.objects.all(), user)
    return {
        "stations": stations.count(),
        "open": stations.filter(is_open=True).count(),
        "checklist_complete": stations.filter(checklist_complete=True).count(),
        "visits": visit_count(user=user),
    }
