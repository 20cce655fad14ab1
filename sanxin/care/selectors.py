"""Reads of care activities and sign-ups, cut to the scope: one `access_*` per entity; the people served by
region and type; what a worker sees on their phone."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from sanxin.care.models import ActivityStatus, CareActivity, CareSignup, CareType, SignupStatus
from sanxin.core.scope import access, scoped
from sanxin.core.text import half_width
from sanxin.regions.models import Region

SIGNED = Q(signups__status=SignupStatus.SIGNED_UP)
CHECKED = Q(signups__checked_in_at__isnull=False)


def with_counts(activities):
    return activities.annotate(
        signed_count=Count("signups", filter=SIGNED, distinct=True),
        checked_count=Count("signups", filter=CHECKED, distinct=True),
    )


def _day(text) -> date | None:
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(half_width(str(text or "")).strip())
    except ValueError:
        return None


def _period(start, end) -> tuple[datetime | None, datetime | None]:
    start, end = _day(start), _day(end)
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tz) if start else None,
        datetime.combine(end + timedelta(days=1), time.min, tz) if end else None,
    )


def activity_list(*, user, q: str = "", type: str = "", status: str = "", region: str = "", start="", end=""):
    rows = scoped(CareActivity.objects.select_related("region", "unit", "station"), user)
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(place__icontains=q))
    if type in CareType.values:
        rows = rows.filter(type=type)
    if status in ActivityStatus.values:
        rows = rows.filter(status=status)
    region = half_width(region or "").strip()
    if region.isdigit():
        rows = rows.filter(region__code__under=region)
    since, until = _period(start, end)
    if since:
        rows = rows.filter(starts_at__gte=since)
    if until:
        rows = rows.filter(starts_at__lt=until)
    return rows


def access_activity(pk, *, user, for_write: bool = False) -> CareActivity:
    queryset = CareActivity.objects.select_related("region", "unit", "station")
    if for_write:
        return access(queryset, pk, user, capability="care.manage", own_place_only=True)
    return access(queryset, pk, user, capability="care.view")


def access_signup(pk, *, user, for_write: bool = False) -> CareSignup:
    queryset = CareSignup.objects.select_related("activity", "worker")
    if for_write:
        return access(queryset, pk, user, capability="care.manage", own_place_only=True)
    return access(queryset, pk, user, capability="care.view")


def signups_of(activity: CareActivity):
    return activity.signups.select_related("worker", "checked_in_by").order_by("status", "signed_up_at", "pk")


def served_of(activity: CareActivity) -> int:
    return activity.signups.filter(checked_in_at__isnull=False).count() + activity.walk_ins


LEVELS = {"6": "区县", "9": "街道（乡镇）", "12": "社区（村）"}


def served_by_region(*, user, start="", end="", level: str = "9", type: str = ""):
    """People served (checked-in sign-ups + walk-ins) of the activities in the user's scope that started in the
    period, by region (cut to `level` digits: 6 county, 9 street) and type: rows (region code, region name, {type:
    n}, total), and the totals by type. Cancelled and draft activities count nothing."""
    level = level if level in LEVELS else "9"
    n = int(level)
    activities = activity_list(user=user, type=type, start=start, end=end).filter(
        status__in=(ActivityStatus.PUBLISHED, ActivityStatus.CLOSED)
    )
    activities = activities.annotate(checked_count=Count("signups", filter=CHECKED, distinct=True))
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    counts: dict[str, int] = defaultdict(int)
    for code, kind, checked, walk_ins in activities.values_list("region_id", "type", "checked_count", "walk_ins").order_by():
        key = code[:n] if len(code) >= n else code
        table[key][kind] += checked + walk_ins
        counts[key] += 1
    names = dict(Region.objects.filter(code__in=list(table)).values_list("code", "name"))
    rows = [
        {"region": code, "name": names.get(code, code), "by_type": dict(by), "total": sum(by.values()), "activities": counts[code]}
        for code, by in sorted(table.items())
    ]
    totals = {t: sum(r["by_type"].get(t, 0) for r in rows) for t in CareType.values}
    return rows, totals


# The worker's own.


def my_signups(worker):
    return (
        CareSignup.objects.filter(worker=worker, status=SignupStatus.SIGNED_UP)
        .select_related("activity", "activity__region")
        .order_by("-activity__starts_at")
    )


def open_for_worker(worker, *, now=None):
    """Published activities not yet ended in the worker's county, for their occupation (or for everyone)."""
    now = now or timezone.now()
    rows = CareActivity.objects.select_related("region", "station").filter(
        status=ActivityStatus.PUBLISHED, ends_at__gt=now, region__code__under=worker.region_id[:6]
    )
    rows = [a for a in rows.order_by("starts_at", "pk")[:200] if not a.occupations or worker.occupation in a.occupations]
    return rows


def activity_for_worker(pk, worker) -> CareActivity:
    """A published, closed or cancelled activity a worker may look at (public notices), or one they signed up for; 404 otherwise."""
    activity = (
        CareActivity.objects.select_related("region", "station")
        .filter(pk=pk)
        .filter(Q(status__in=(ActivityStatus.PUBLISHED, ActivityStatus.CLOSED, ActivityStatus.CANCELLED)))
        .first()
        if str(pk).isdigit() and len(str(pk)) < 12
        else None
    )
    if activity is None:
        raise Http404
    return activity


def signup_of(activity, worker) -> CareSignup | None:
    return CareSignup.objects.filter(activity=activity, worker=worker).first()


def places_left(activity) -> int:
    return max(0, activity.capacity - activity.signups.filter(status=SignupStatus.SIGNED_UP).count())


def worker_card(worker) -> dict | None:
    """The phone home's 我的活动: the next activity the worker signed up for."""
    now = timezone.now()
    signup = (
        CareSignup.objects.filter(
            worker=worker, status=SignupStatus.SIGNED_UP, activity__ends_at__gt=now, activity__status=ActivityStatus.PUBLISHED
        )
        .select_related("activity")
        .order_by("activity__starts_at")
        .first()
    )
    open_count = len(open_for_worker(worker, now=now))
    if signup is None and not open_count:
        return None
    return {"template": "care/w_home_card.html", "signup": signup, "open_count": open_count}


def worker_data(worker) -> list[tuple[str, str]]:
    rows = CareSignup.objects.filter(worker=worker).select_related("activity").order_by("signed_up_at")
    return [
        (
            "关爱活动报名",
            f"{s.activity.title}（{timezone.localtime(s.activity.starts_at):%Y-%m-%d %H:%M}）{s.get_status_display()}"
            + (f"，{timezone.localtime(s.checked_in_at):%Y-%m-%d %H:%M} 签到" if s.checked_in_at else ""),
        )
        for s in rows
    ]


def staff_card(user) -> dict | None:
    """The home card (SanxinApp.staff_cards): the published activities in scope under way or coming, with their
    sign-ups against capacity."""
    if not user.can("care.view"):
        return None
    coming = with_counts(activity_list(user=user).filter(status=ActivityStatus.PUBLISHED, ends_at__gte=timezone.now())).order_by(
        "starts_at", "pk"
    )
    return {"template": "care/staff_card.html", "count": coming.count(), "rows": list(coming[:3]), "now": timezone.now()}
