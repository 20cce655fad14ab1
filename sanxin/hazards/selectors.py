"""Reads of hazard reports, cut to the scope: `access_hazard` for one, `hazard_list` for the staff list, the
worker's own through `my_reports`; who is responsible (`route_unit`), the community a position lies in as far as
the platform knows (`region_near`), open reports nearby for the duplicate offer (`nearby_open`) and the earlier
valid report a new one would repeat (`valid_nearby`)."""

from __future__ import annotations

import math
from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from sanxin.accounts.models import Unit, UnitKind
from sanxin.core.listing import parse_id
from sanxin.core.scope import access, region_ancestor_codes, region_in_scope, scoped
from sanxin.core.text import half_width
from sanxin.hazards.models import OPEN_STATUSES, PUBLISHED_STATUSES, HazardReport, HazardStatus, HazardSupporter
from sanxin.regions.models import Region, RegionLevel

# The duplicate rule: the same category within this distance and this time window.
DUPLICATE_METRES = 100
DUPLICATE_WINDOW = timedelta(hours=72)
# A community centre this near a position is taken as the community it lies in (the platform has no boundaries).
REGION_NEAR_METRES = 3000
# The units responsible for hazards at a region, in the order one is preferred there.
HANDLING_KINDS = (UnitKind.COMMUNITY, UnitKind.TOWNSHIP_COMMITTEE, UnitKind.LIANGXIN_COMMITTEE, UnitKind.SOCIAL_WORK_DEPT)


def _base():
    return HazardReport.objects.select_related("region", "unit", "unit__region", "dispatched_to", "reporter", "duplicate_of")


def with_supporters(rows):
    joined = HazardSupporter.objects.filter(report=OuterRef("pk")).order_by().values("report").annotate(n=Count("pk")).values("n")
    return rows.annotate(supporter_count=Coalesce(Subquery(joined, output_field=IntegerField()), Value(0)))


def hazard_list(*, user, q: str = "", status: str = "", category: str = "", region: str = "", source: str = ""):
    if not user.can("hazards.view"):
        return HazardReport.objects.none()
    rows = with_supporters(scoped(_base(), user))
    q = (q or "").strip()
    if q:
        number = parse_id(q.upper().removeprefix("YH"))
        rows = rows.filter(Q(place__icontains=q) | Q(pk=number or 0))
    if status:
        rows = rows.filter(status=status)
    if category:
        rows = rows.filter(category=category)
    if source:
        rows = rows.filter(source=source)
    region = half_width(region or "").strip()
    if region:
        rows = rows.filter(region__code__under=region) if region.isascii() and region.isdigit() else rows.none()
    return rows


def access_hazard(pk, *, user, for_write: bool = False) -> HazardReport:
    """One report the user sees, else 404; for handling, staff of its unit or of a unit above its region."""
    if not user.can("hazards.view"):
        raise Http404
    report = access(_base(), pk, user)
    if for_write and not may_handle(user, report):
        raise Http404
    return report


def may_handle(user, report: HazardReport) -> bool:
    if user is None or not user.can("hazards.handle"):
        return False
    return user.unit_id == report.unit_id or region_in_scope(user, report.region_id)


def to_verify_count(user) -> int:
    return hazard_list(user=user, status=HazardStatus.SUBMITTED).order_by().count()


def staff_card(user) -> dict | None:
    """The home card (SanxinApp.staff_cards): the reports in scope waiting for verification."""
    if not user.can("hazards.view"):
        return None
    return {"template": "hazards/staff_card.html", "to_verify": to_verify_count(user)}


# The worker's side.


def my_reports(worker):
    return with_supporters(_base().filter(reporter=worker))


def access_my_report(pk, *, worker) -> HazardReport:
    found = my_reports(worker).filter(pk=parse_id(pk) or 0).first()
    if found is None:
        raise Http404
    return found


def my_joined(worker):
    return HazardReport.objects.select_related("region").filter(supporters__worker=worker)


def worker_card(worker) -> dict:
    mine = HazardReport.objects.filter(reporter=worker)
    return {
        "template": "hazards/w_home_card.html",
        "open": mine.filter(status__in=OPEN_STATUSES).count(),
        "valid": mine.filter(status__in=PUBLISHED_STATUSES).count(),
        "latest": list(mine.order_by("-submitted_at")[:2]),
    }


def worker_data(worker) -> list[tuple[str, str]]:
    """What the hazards app holds of the worker, for their own data export."""
    rows = []
    for report in HazardReport.objects.filter(reporter=worker).order_by("submitted_at"):
        when = timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")
        rows.append(
            (
                "随手拍",
                f"{report.number} {when} {report.get_category_display()}（{report.get_status_display()}）{report.place}：{report.text}",
            )
        )
    for report in my_joined(worker):
        rows.append(("随手拍附议", f"{report.number} {report.get_category_display()} {report.place}"))
    return rows


# Routing.


def handling_unit_at(region_code: str) -> Unit | None:
    units = list(Unit.objects.filter(region_id=region_code, kind__in=HANDLING_KINDS, is_active=True).order_by("pk"))
    units.sort(key=lambda u: HANDLING_KINDS.index(u.kind))
    return units[0] if units else None


def route_unit(region_code: str) -> Unit | None:
    """The unit responsible for a hazard in the region: the community's own unit, else the nearest one above."""
    for code in [region_code, *reversed(region_ancestor_codes(region_code))]:
        unit = handling_unit_at(code)
        if unit is not None:
            return unit
    return None


def metres(lon1, lat1, lon2, lat2) -> float:
    lon1, lat1, lon2, lat2 = (math.radians(float(v)) for v in (lon1, lat1, lon2, lat2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371000 * 2 * math.asin(math.sqrt(a))


def _box(rows, longitude, latitude, distance: float, lon_field="longitude", lat_field="latitude"):
    degrees = distance / 111_000
    lon_degrees = degrees / max(math.cos(math.radians(float(latitude))), 0.2)
    return rows.filter(
        **{
            f"{lon_field}__range": (float(longitude) - lon_degrees, float(longitude) + lon_degrees),
            f"{lat_field}__range": (float(latitude) - degrees, float(latitude) + degrees),
        }
    )


def region_near(longitude, latitude, *, under: str = "") -> Region | None:
    """The community whose centre is nearest the position, within REGION_NEAR_METRES (optionally inside `under`):
    how the platform defaults the region from the phone's position. None when it knows no centre near."""
    if longitude is None or latitude is None:
        return None
    rows = Region.objects.filter(level=RegionLevel.COMMUNITY, longitude__isnull=False, latitude__isnull=False)
    if under:
        rows = rows.filter(code__startswith=under)
    found = [
        (metres(longitude, latitude, r.longitude, r.latitude), r.code, r) for r in _box(rows, longitude, latitude, REGION_NEAR_METRES)[:500]
    ]
    found = [f for f in found if f[0] <= REGION_NEAR_METRES]
    return min(found)[2] if found else None


def nearby_open(*, category: str, longitude, latitude, exclude_worker=None, now=None, limit: int = 5) -> list[tuple[HazardReport, float]]:
    """The duplicate offer: open reports of the same category within DUPLICATE_METRES submitted within
    DUPLICATE_WINDOW, nearest first, with their distance. The worker sees category, place, state and distance only."""
    if longitude is None or latitude is None:
        return []
    moment = now or timezone.now()
    rows = HazardReport.objects.filter(
        category=category, status__in=OPEN_STATUSES, submitted_at__gte=moment - DUPLICATE_WINDOW, longitude__isnull=False
    )
    if exclude_worker is not None:
        rows = rows.exclude(reporter=exclude_worker)
    found = [(r, metres(longitude, latitude, r.longitude, r.latitude)) for r in _box(rows, longitude, latitude, DUPLICATE_METRES)[:200]]
    return sorted([f for f in found if f[1] <= DUPLICATE_METRES], key=lambda f: f[1])[:limit]


def valid_nearby(report: HazardReport) -> HazardReport | None:
    """The server's duplicate rule: another report of the same category verified valid, within DUPLICATE_METRES,
    submitted within DUPLICATE_WINDOW of this one, before or after (staff may verify the later report first: the
    same hazard still earns once)."""
    if report.longitude is None or report.latitude is None:
        return None
    rows = HazardReport.objects.filter(
        category=report.category,
        status__in=PUBLISHED_STATUSES,
        submitted_at__gte=report.submitted_at - DUPLICATE_WINDOW,
        submitted_at__lte=report.submitted_at + DUPLICATE_WINDOW,
        longitude__isnull=False,
    ).exclude(pk=report.pk)
    found = [
        (metres(report.longitude, report.latitude, r.longitude, r.latitude), r.pk, r)
        for r in _box(rows, report.longitude, report.latitude, DUPLICATE_METRES)[:200]
    ]
    found = [f for f in found if f[0] <= DUPLICATE_METRES]
    return min(found)[2] if found else None


def duplicate_candidates(report: HazardReport):
    """What staff may name as the report this one repeats: the same category, seen by them, not itself, earlier or
    (a valid one) within the duplicate window after it."""
    return (
        HazardReport.objects.filter(category=report.category, submitted_at__lte=report.submitted_at + DUPLICATE_WINDOW)
        .exclude(pk=report.pk)
        .exclude(status__in=(HazardStatus.INVALID, HazardStatus.DUPLICATE))
        .order_by("-submitted_at")
    )


def dispatch_targets(user):
    """The units a report may be dispatched to: active units in the user's scope (a street's departments, its
    communities)."""
    return scoped(Unit.objects.filter(is_active=True).exclude(kind__in=(UnitKind.SYSTEM, UnitKind.PLATFORM)), user).order_by(
        "region_id", "name"
    )


def published():
    """What Open311 shows: verified valid and after."""
    return HazardReport.objects.select_related("region", "unit", "dispatched_to").filter(status__in=PUBLISHED_STATUSES)


def hazard_positions(user):
    """The 15-minute circle's demand points from hazard reports (sanxin.stations.circle): where workers reported
    hazards is where they work; the positions of the reports the user sees, labelled by kind only (never the person)."""
    from sanxin.stations.circle import Demand

    rows = hazard_list(user=user).filter(longitude__isnull=False, latitude__isnull=False).order_by()
    for lon, lat in rows.values_list("longitude", "latitude").iterator(chunk_size=5000):
        yield Demand(float(lon), float(lat), 1, "hazard", "随手拍上报位置")
