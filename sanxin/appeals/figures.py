"""三率 of appeals, the one place pages, dashboards and the API read them: per unit (the unit an appeal is assigned
to now) and per region (the places one level below the viewer's), within the viewer's scope, ranked. Units only,
never individual workers or staff. Each rate comes with its numerator and denominator.

- 响应率 (response): accepted within the acceptance limit ÷ appeals due to be accepted (accepted, or past the limit).
- 解决率 (resolution): resolved (resolved, rated, closed) ÷ appeals received, returned ones not counted.
- 满意率 (satisfaction): rated satisfied or basically satisfied ÷ rated.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.utils import timezone

from sanxin.accounts.models import Unit
from sanxin.appeals.models import DONE_STATUSES, Appeal, AppealStatus, Rating
from sanxin.core.scope import REGION_CODE_LENGTHS, scoped, user_scope
from sanxin.regions.models import Region


@dataclass
class Figure:
    numerator: int
    denominator: int

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def text(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"


@dataclass
class Row:
    key: str  # unit id or region code
    name: str
    received: int
    response: Figure
    resolution: Figure
    satisfaction: Figure
    list_query: str  # the filter of /appeals/ that shows the appeals behind the row


RATES = {"response": "响应率", "resolution": "解决率", "satisfaction": "满意率"}


def basis(now) -> dict[str, tuple[str, Q]]:
    """Each numerator and denominator of the 三率 as a condition: the counts here and the list behind each figure
    (/appeals/?basis=…) use the same one."""
    return {
        "accept_due": ("应受理（已受理或已过受理时限）", Q(accepted_at__isnull=False) | Q(accept_due_at__lt=now)),
        "accepted_in_time": ("在受理时限内受理", Q(accepted_at__isnull=False, accepted_at__lte=F("accept_due_at"))),
        "not_returned": ("受理的诉求（不含退回）", ~Q(status=AppealStatus.RETURNED)),
        "resolved": ("已办结（含已评价、已关闭）", Q(status__in=DONE_STATUSES)),
        "rated": ("已评价", ~Q(rating="")),
        "satisfied": ("满意或基本满意", Q(rating__in=[Rating.SATISFIED, Rating.BASIC])),
    }


def _counts(now):
    return {"received": Count("pk")} | {name: Count("pk", filter=condition) for name, (_, condition) in basis(now).items()}


def _row(key, name, c, list_query) -> Row:
    return Row(
        key=str(key),
        name=name,
        received=c["received"],
        response=Figure(c["accepted_in_time"], c["accept_due"]),
        resolution=Figure(c["resolved"], c["not_returned"]),
        satisfaction=Figure(c["satisfied"], c["rated"]),
        list_query=list_query,
    )


def _ranked(rows: list[Row], by: str) -> list[Row]:
    by = by if by in RATES else "response"
    return sorted(rows, key=lambda r: (getattr(r, by).rate is None, -(getattr(r, by).rate or 0), -r.received, r.name))


def appeals_in_scope(user):
    return scoped(Appeal.objects.all(), user) if user.can("appeals.rates") else Appeal.objects.none()


def by_unit(user, *, by: str = "response", now=None) -> list[Row]:
    now = now or timezone.now()
    grouped = appeals_in_scope(user).order_by().values("unit_id").annotate(**_counts(now))
    names = dict(Unit.objects.filter(pk__in=[g["unit_id"] for g in grouped]).values_list("pk", "name"))
    return _ranked([_row(g["unit_id"], names.get(g["unit_id"], "—"), g, f"unit={g['unit_id']}") for g in grouped], by)


def child_length(user) -> int:
    scope = user_scope(user)
    own = len(scope.region_prefix or "") if not scope.nationwide else 0
    return next((n for n in REGION_CODE_LENGTHS if n > own), REGION_CODE_LENGTHS[-1])


def by_region(user, *, by: str = "response", now=None) -> list[Row]:
    """The places one level below the viewer's region (a county sees its streets)."""
    now = now or timezone.now()
    length = child_length(user)
    grouped = appeals_in_scope(user).order_by().annotate(area=Substr("region_id", 1, length)).values("area").annotate(**_counts(now))
    names = dict(Region.objects.filter(code__in=[g["area"] for g in grouped]).values_list("code", "name"))
    return _ranked([_row(g["area"], names.get(g["area"], g["area"]), g, f"region={g['area']}") for g in grouped], by)


def totals(user, *, now=None) -> Row:
    now = now or timezone.now()
    c = appeals_in_scope(user).order_by().aggregate(**_counts(now))
    return _row("", "合计", c, "")
