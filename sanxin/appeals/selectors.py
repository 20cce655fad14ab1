"""Reads of appeals, cut to the scope: `access_appeal` for one, `appeal_list` for the staff lists, the worker's
own through `my_appeals`; the routing table's answer (`route_unit`) and the unit above (`unit_above`); open
appeals nearby for the duplicate offer."""

from __future__ import annotations

import math

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from sanxin.accounts.models import Unit, UnitKind
from sanxin.appeals.deadlines import day_end
from sanxin.appeals.figures import basis as figures_basis
from sanxin.appeals.models import OPEN_STATUSES, Appeal, AppealStatus, AppealSupporter, RoutingRule
from sanxin.core.fields import blind_index_for
from sanxin.core.listing import parse_id
from sanxin.core.scope import access, region_ancestor_codes, region_in_scope, scoped
from sanxin.core.text import half_width
from sanxin.stations.circle import Demand
from sanxin.workers.models import Worker

# The units that handle appeals, in the order one is preferred at the same region.
HANDLING_KINDS = (UnitKind.TOWNSHIP_COMMITTEE, UnitKind.LIANGXIN_COMMITTEE, UnitKind.SOCIAL_WORK_DEPT, UnitKind.COMMUNITY)
STREET_LENGTH = 9
NEARBY_METRES = 500
TABS = {
    "today": "今日到期",
    "overdue": "已超期",
    "submitted": "待受理",
    "all": "全部",
}


def _base():
    return Appeal.objects.select_related("region", "unit", "unit__region", "platform", "worker")


def _can_read(user) -> bool:
    return user.can("appeals.view")


def appeal_list(
    *,
    user,
    tab: str = "all",
    q: str = "",
    status: str = "",
    category: str = "",
    region: str = "",
    unit: str = "",
    platform: str = "",
    basis: str = "",
    now=None,
):
    if not _can_read(user):
        return Appeal.objects.none()
    rows = with_supporters(scoped(_base(), user))
    now = now or timezone.now()
    if tab == "today":
        today_end = day_end(timezone.localdate(now))
        rows = rows.filter(status__in=OPEN_STATUSES, due_at__gte=now, due_at__lte=today_end).exclude(status=AppealStatus.WAITING)
    elif tab == "overdue":
        rows = rows.filter(status__in=OPEN_STATUSES, due_at__lt=now).exclude(status=AppealStatus.WAITING)
    elif tab == "submitted":
        rows = rows.filter(status=AppealStatus.SUBMITTED)
    if q:
        number = parse_id(q.upper().removeprefix("SQ"))
        rows = rows.filter(Q(place__icontains=q) | Q(pk=number or 0))
    if status:
        rows = rows.filter(status=status)
    if category:
        rows = rows.filter(category=category)
    region = half_width(region or "").strip()
    if region:
        rows = rows.filter(region__code__under=region) if region.isascii() and region.isdigit() else rows.none()
    if unit:
        rows = rows.filter(unit_id=parse_id(unit) or 0)
    if platform:
        rows = rows.filter(platform_id=parse_id(platform) or 0)
    if basis:
        found = figures_basis(now).get(basis)
        rows = rows.filter(found[1]) if found else rows.none()
    return rows


def with_supporters(rows):
    """The number who joined each appeal ("我也遇到了"), as a subquery: a count of the list stays a plain count."""
    joined = AppealSupporter.objects.filter(appeal=OuterRef("pk")).order_by().values("appeal").annotate(n=Count("pk")).values("n")
    return rows.annotate(supporter_count=Coalesce(Subquery(joined, output_field=IntegerField()), Value(0)))


def access_appeal(pk, *, user, for_write: bool = False) -> Appeal:
    """One appeal the user sees, else 404. For handling: staff of the unit it is assigned to or of a unit above
    that unit's region (a county acts on its streets' appeals)."""
    if not _can_read(user):
        raise Http404
    appeal = access(_base(), pk, user)
    if for_write and not (user.can("appeals.handle") and may_handle(user, appeal)):
        raise Http404
    return appeal


def may_handle(user, appeal: Appeal) -> bool:
    if user is None or not user.can("appeals.handle"):
        return False
    return user.unit_id == appeal.unit_id or region_in_scope(user, appeal.unit.region_id)


def worker_by_phone(phone: str, *, user):
    """A worker of the user's own area by their phone (the blind index), for raising on their behalf."""
    from_phone = half_width(phone or "").strip()
    if not from_phone:
        return None
    return scoped(Worker.objects.filter(phone_index=blind_index_for("phone", from_phone)), user).first()


# The worker's side.


def my_appeals(worker):
    return with_supporters(_base().filter(worker=worker))


def appeal_positions(user):
    """The 15-minute circle's demand points from appeals (sanxin.stations.circle): the positions of the appeals the
    user sees, labelled by kind only (never the person); staff without the appeals capability add none."""
    rows = appeal_list(user=user).filter(longitude__isnull=False, latitude__isnull=False).order_by()
    for lon, lat in rows.values_list("longitude", "latitude").iterator(chunk_size=5000):
        yield Demand(float(lon), float(lat), 1, "appeal", "从业人员诉求位置")


def worker_card(worker) -> dict:
    """The worker's home page: their appeals still open, and those waiting for them (a question to answer, a reply
    to rate)."""
    mine = Appeal.objects.filter(worker=worker)
    waiting = list(mine.filter(status__in=(AppealStatus.WAITING, AppealStatus.RESOLVED)).order_by("-updated_at")[:3])
    return {
        "template": "appeals/w_home_card.html",
        "open": mine.filter(status__in=OPEN_STATUSES).count(),
        "waiting": waiting,
    }


def access_my_appeal(pk, *, worker) -> Appeal:
    found = my_appeals(worker).filter(pk=parse_id(pk) or 0).first()
    if found is None:
        raise Http404
    return found


# Routing.


def handling_unit_at(region_code: str) -> Unit | None:
    units = list(Unit.objects.filter(region_id=region_code, kind__in=HANDLING_KINDS, is_active=True).order_by("pk"))
    units.sort(key=lambda u: HANDLING_KINDS.index(u.kind))
    return units[0] if units else None


def nearest_unit(region_code: str, *, start_length: int | None = None) -> Unit | None:
    """The handling unit at `region_code` cut to `start_length` digits, else the nearest one above."""
    code = region_code[:start_length] if start_length else region_code
    for candidate in [code, *reversed(region_ancestor_codes(code))]:
        unit = handling_unit_at(candidate)
        if unit is not None:
            return unit
    return None


def routing_rule_for(region_code: str, category: str) -> RoutingRule | None:
    prefixes = [region_code, *region_ancestor_codes(region_code)]
    rules = list(
        RoutingRule.objects.select_related("unit").filter(region_id__in=prefixes, category__in=[category, ""], unit__is_active=True)
    )
    rules.sort(key=lambda r: (len(r.region_id), bool(r.category)), reverse=True)
    return rules[0] if rules else None


def route_unit(region_code: str, category: str) -> Unit | None:
    """Who handles an appeal: the most specific routing rule (longest region prefix; a category rule before an
    any-category one); without one, the street (township) unit of the region, else the nearest unit above."""
    rule = routing_rule_for(region_code, category)
    if rule is not None:
        return rule.unit
    return nearest_unit(region_code, start_length=min(len(region_code), STREET_LENGTH))


def unit_above(unit: Unit) -> Unit | None:
    """The handling unit at the region above the unit's (by region code), else further up; None at the top."""
    ancestors = region_ancestor_codes(unit.region_id or "")
    for code in reversed(ancestors):
        found = handling_unit_at(code)
        if found is not None:
            return found
    return None


def transfer_targets(unit: Unit):
    """Where an appeal may be transferred: the active handling units inside the region one level above the
    current unit's (its neighbours and the unit above), never the current unit."""
    ancestors = region_ancestor_codes(unit.region_id or "")
    area = ancestors[-1] if ancestors else unit.region_id
    return (
        Unit.objects.filter(kind__in=HANDLING_KINDS, is_active=True, region__code__under=area)
        .exclude(pk=unit.pk)
        .order_by("region_id", "name")
    )


def routing_rules(*, user):
    return scoped(RoutingRule.objects.select_related("region", "unit"), user)


def access_rule(pk, *, user) -> RoutingRule:
    if not user.can("appeals.route"):
        raise Http404
    return access(RoutingRule.objects.select_related("region", "unit"), pk, user)


# The duplicate offer.


def _metres(lon1, lat1, lon2, lat2) -> float:
    lon1, lat1, lon2, lat2 = map(lambda v: math.radians(float(v)), (lon1, lat1, lon2, lat2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371000 * 2 * math.asin(math.sqrt(a))


def nearby_open(*, category: str, region_code: str, longitude=None, latitude=None, exclude_worker=None, limit: int = 5):
    """Open appeals of the same category nearby: within NEARBY_METRES when a position is known, else in the same
    community (region). What the worker is shown is the category, place and state, never who raised it."""
    rows = Appeal.objects.select_related("region").filter(category=category, status__in=OPEN_STATUSES)
    if exclude_worker is not None:
        rows = rows.exclude(worker=exclude_worker)
    if longitude is not None and latitude is not None:
        degrees = NEARBY_METRES / 111_000 * 1.5
        box = rows.filter(
            longitude__range=(float(longitude) - degrees * 1.5, float(longitude) + degrees * 1.5),
            latitude__range=(float(latitude) - degrees, float(latitude) + degrees),
        )
        found = [a for a in box[:200] if _metres(longitude, latitude, a.longitude, a.latitude) <= NEARBY_METRES]
        if found:
            return found[:limit]
    return list(rows.filter(region_id=region_code).order_by("-submitted_at")[:limit])
