"""Reads of points: every scoped object through one `access_*` function; the worker's own through `my_*`."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from sanxin.core.listing import parse_id
from sanxin.core.scope import access, region_ancestor_codes, scoped
from sanxin.points.models import EarningRule, EntryKind, PointsAccount, PointsEntry, Redemption, RedemptionStatus, Reward
from sanxin.regions.models import Region
from sanxin.workers.models import Worker
from sanxin.workers.selectors import access_worker

# Rules


def rules(user):
    return scoped(EarningRule.objects.all(), user).order_by("kind", "region_code")


def rules_above(user):
    """The rules of the regions above the user's own (the whole country's too), read-only to them."""
    from sanxin.core.scope import user_scope

    scope = user_scope(user)
    if scope.nationwide or not scope.region_prefix:
        return EarningRule.objects.none()
    return EarningRule.objects.filter(region_code__in=["", *region_ancestor_codes(scope.region_prefix)]).order_by("kind", "region_code")


def access_rule(pk, *, user) -> EarningRule:
    return access(EarningRule.objects.all(), parse_id(pk), user, capability="points.rules")


# Rewards


def rewards(user, *, q: str = ""):
    rows = scoped(Reward.objects.select_related("region", "unit"), user)
    if q:
        rows = rows.filter(name__contains=q)
    return rows.order_by("-active", "cost", "pk")


def access_reward(pk, *, user) -> Reward:
    return access(Reward.objects.select_related("region", "unit"), parse_id(pk), user, capability="points.view")


def redemptions(user, *, status: str = ""):
    rows = scoped(Redemption.objects.select_related("reward", "worker", "reward__region"), user)
    if status in RedemptionStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-requested_at", "-pk")


def access_redemption(pk, *, user) -> Redemption:
    return access(Redemption.objects.select_related("reward", "worker", "reward__region"), parse_id(pk), user, capability="points.view")


def redemption_by_code(code: str, *, user) -> Redemption | None:
    code = (code or "").strip()
    if not code.isdigit() or len(code) != 8:
        return None
    return scoped(Redemption.objects.select_related("reward", "worker"), user).filter(code=code).first()


def worker_ledger(pk, *, user) -> tuple[Worker, PointsAccount | None, list[PointsEntry]]:
    """A worker's account and entries, seen where the worker is seen (sanxin.workers access_worker)."""
    if not user.can("points.view"):
        raise Http404
    worker = access_worker(parse_id(pk), user=user)
    account = PointsAccount.objects.filter(worker=worker).first()
    entries = list(account.entries.select_related("actor")[:500]) if account else []
    return worker, account, entries


# Reports


LEVELS = {"county": (6, "区县"), "street": (9, "街道（乡镇）")}


def report(user, *, start: date, end: date, level: str = "street") -> dict:
    """Points earned and spent in [start, end] by kind and by region (county or street), in the user's scope."""
    from datetime import datetime, time, timedelta

    length, _ = LEVELS.get(level, LEVELS["street"])
    tz = timezone.get_current_timezone()
    # Days a calendar can hold on either side of the time zone (0001-01-01 +08:00 is no UTC moment).
    start, end = max(start, date(1900, 1, 1)), min(end, date(9999, 12, 30))

    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    rows = scoped(PointsEntry.objects.all(), user).filter(created_at__gte=since, created_at__lt=until)
    earned = Sum("amount", filter=Q(amount__gt=0) & ~Q(kind=EntryKind.REFUND))
    spent_in = Sum("amount", filter=Q(kind=EntryKind.REDEEM))
    refunded = Sum("amount", filter=Q(kind=EntryKind.REFUND))
    withdrawn = Sum("amount", filter=Q(kind=EntryKind.WITHDRAWN))
    by_kind = list(rows.values("kind").annotate(total=Sum("amount"), entries=Count("pk")).order_by("kind"))
    labels = dict(EntryKind.choices)
    for row in by_kind:
        row["label"] = labels.get(row["kind"], row["kind"])
    by_region = list(
        rows.annotate(place=Substr("region_code", 1, length))
        .values("place")
        .annotate(earned=earned, spent=spent_in, refunded=refunded, withdrawn=withdrawn, entries=Count("pk"))
        .order_by("place")
    )
    names = dict(Region.objects.filter(code__in=[r["place"] for r in by_region]).values_list("code", "name"))
    for row in by_region:
        row["name"] = names.get(row["place"], row["place"] or "（未注明）")
        row["earned"] = row["earned"] or 0
        row["spent"] = -(row["spent"] or 0) - (row["refunded"] or 0)
        row["withdrawn"] = -(row["withdrawn"] or 0)
    totals = {
        "earned": sum(r["earned"] for r in by_region),
        "spent": sum(r["spent"] for r in by_region),
        "withdrawn": sum(r["withdrawn"] for r in by_region),
        "entries": sum(r["entries"] for r in by_region),
    }
    return {"by_kind": by_kind, "by_region": by_region, "totals": totals, "level": level}


# The worker's own


def my_account(worker) -> PointsAccount | None:
    return PointsAccount.objects.filter(worker=worker).first()


def my_balance(worker) -> int:
    account = my_account(worker)
    return account.balance if account else 0


def my_entries(worker):
    return PointsEntry.objects.filter(account__worker=worker).order_by("-created_at", "-pk")


def my_rewards(worker):
    """Rewards offered where the worker works (their region or a region above), on the shelf and not expired."""
    places = [*region_ancestor_codes(worker.region_id), worker.region_id]
    today = timezone.localdate()
    return (
        Reward.objects.select_related("region", "unit")
        .filter(region_id__in=places, active=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .order_by("cost", "pk")
    )


def my_redemptions(worker):
    return Redemption.objects.filter(worker=worker).select_related("reward", "reward__unit").order_by("-requested_at", "-pk")


def access_my_redemption(pk, *, worker) -> Redemption:
    found = my_redemptions(worker).filter(pk=parse_id(pk) or 0).first()
    if found is None:
        raise Http404
    return found


def access_my_reward(pk, *, worker) -> Reward:
    """A reward the worker may see: offered where they work (its state decides whether they can redeem it)."""
    places = [*region_ancestor_codes(worker.region_id), worker.region_id]
    found = Reward.objects.select_related("region").filter(pk=parse_id(pk) or 0, region_id__in=places).first()
    if found is None:
        raise Http404
    return found


def worker_card(worker) -> dict:
    return {
        "template": "points/w_home_card.html",
        "balance": my_balance(worker),
        "pending": Redemption.objects.filter(worker=worker, status=RedemptionStatus.REQUESTED).count(),
    }


def worker_record_section(worker) -> dict:
    """The staff worker record (SanxinApp.worker_record_sections): the balance and the last entries."""
    return {
        "template": "points/_worker_record.html",
        "balance": my_balance(worker),
        "entries": list(my_entries(worker)[:5]),
        "worker": worker,
    }


def worker_data(worker) -> list[tuple[str, str]]:
    rows = [("积分余额", f"{my_balance(worker)} 分")]
    for entry in my_entries(worker)[:1000]:
        rows.append(("积分记录", f"{timezone.localtime(entry.created_at):%Y-%m-%d %H:%M} {entry.amount:+d} 分 {entry.reason}"))
    for r in my_redemptions(worker):
        when = timezone.localtime(r.requested_at)
        rows.append(("兑换记录", f"{when:%Y-%m-%d} {r.reward.name} {r.cost} 分 {r.get_status_display()}"))
    return rows


def staff_card(user) -> dict | None:
    """The home card (SanxinApp.staff_cards): redemptions in scope waiting to be handed over."""
    if not user.can("points.manage"):
        return None
    return {"template": "points/staff_card.html", "waiting": redemptions(user, status=RedemptionStatus.REQUESTED).order_by().count()}
