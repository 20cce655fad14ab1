"""Coverage counts and rates per region, industry and zone, read from precomputed facts.

`CoverageFact` holds one row per (region, industry, zone) cell with the counts of the
organizations there (deregistered ones excluded). Pages and the API roll the cells up
by region-code prefix, so a province page reads a few thousand rows, never the registry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from sanxin.core.scope import scoped
from sanxin.coverage.models import CoverageFact
from sanxin.orgs.models import DEREGISTERED, MEETS_SINGLE_ESTABLISH, CoverageState, Organization
from sanxin.regions.models import LEVEL_CODE_LENGTH, Industry, Region, Zone

COUNTS = ["organizations", "org_covered", "work_covered", "blank", "should_establish", "meets_condition", "own_party_org", "edge_thinning"]


def _grouped(organizations):
    return (
        organizations.exclude(registration_status__in=DEREGISTERED)
        .values("region_id", "industry_id", "zone_id")
        .annotate(
            organizations=Count("id"),
            org_covered=Count("id", filter=Q(coverage_state=CoverageState.ORG_COVERED)),
            work_covered=Count("id", filter=Q(coverage_state__in=[CoverageState.ORG_COVERED, CoverageState.WORK_COVERED])),
            blank=Count("id", filter=Q(coverage_state=CoverageState.BLANK)),
            should_establish=Count("id", filter=Q(should_establish=True)),
            meets_condition=Count("id", filter=MEETS_SINGLE_ESTABLISH),
            own_party_org=Count("id", filter=MEETS_SINGLE_ESTABLISH & Q(has_own_party_org=True)),
            edge_thinning=Count("id", filter=Q(edge_thinning=True)),
        )
    )


def _insert_facts(cells, month: date | None) -> int:
    """INSERT … SELECT: the cells (region, industry, zone and the counts) become facts of `month` inside the
    database, however many there are. The SQL is the ORM's own; the month goes in as a parameter."""
    columns = ["region_id", "industry_id", "zone_id", *COUNTS]
    try:
        select, params = cells.values(*columns).query.sql_with_params()
    except EmptyResultSet:  # the ORM proved it selects nothing (no regions to refresh)
        return 0
    table = connection.ops.quote_name(CoverageFact._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    month_column = connection.ops.quote_name("month")
    # Names come from the model, values only as parameters.
    sql = f"INSERT INTO {table} ({names}, {month_column}) SELECT {names}, %s FROM ({select}) AS cells"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [month, *params])
        return cursor.rowcount


@transaction.atomic
def refresh_facts(region_codes: Iterable[str] | None = None) -> int:
    """Rebuild the current facts: all of them, or only the cells of these regions."""
    current = CoverageFact.objects.filter(month__isnull=True)
    organizations = Organization.objects.all()
    if region_codes is not None:
        codes = sorted(set(region_codes))
        current = current.filter(region_id__in=codes)
        organizations = organizations.filter(region_id__in=codes)
    current.delete()
    return _insert_facts(_grouped(organizations), None)


@transaction.atomic
def snapshot_month(month: date) -> int:
    """Keep this month's figures for the trend; running it again replaces the month."""
    month = month.replace(day=1)
    CoverageFact.objects.filter(month=month).delete()
    return _insert_facts(CoverageFact.objects.filter(month__isnull=True), month)


def _rates(totals: dict) -> dict:
    def share(part, whole):
        return round(totals[part] / totals[whole], 4) if totals[whole] else None

    return {
        **totals,
        "org_coverage_rate": share("org_covered", "organizations"),
        "work_coverage_rate": share("work_covered", "organizations"),
        # 单建率: of the organizations that meet the 单建条件, the share with a Party organization of their own.
        "single_establish_rate": share("own_party_org", "meets_condition"),
    }


def facts_for(*, user, region: Region | None = None, industry: Industry | None = None, zone: Zone | None = None, month: date | None = None):
    facts = scoped(CoverageFact.objects.filter(month=month) if month else CoverageFact.objects.filter(month__isnull=True), user)
    if region is not None:
        facts = facts.filter(region__code__under=region.code)
    if industry is not None:
        facts = facts.filter(industry_id=industry.pk)
    if zone is not None:
        facts = facts.filter(zone_id=zone.pk)
    return facts


def summarize(facts) -> dict:
    totals = facts.aggregate(**{name: Sum(name) for name in COUNTS})
    return _rates({name: totals[name] or 0 for name in COUNTS})


def coverage_summary(*, user, region=None, industry=None, zone=None) -> dict:
    return summarize(facts_for(user=user, region=region, industry=industry, zone=zone))


def breakdown_by_region(*, user, region: Region | None, industry=None, zone=None) -> list[dict]:
    """One row per child region of `region` (or per province / scope root when None)."""
    parent_length = len(region.code) if region else 0
    child_length = next((n for n in LEVEL_CODE_LENGTH.values() if n > parent_length), None)
    if child_length is None:
        return []
    facts = facts_for(user=user, region=region, industry=industry, zone=zone)
    rows = facts.annotate(child=Substr("region_id", 1, child_length)).values("child").annotate(**{n: Sum(n) for n in COUNTS})
    names = dict(Region.objects.filter(code__in=[r["child"] for r in rows]).values_list("code", "name"))
    result = [{"code": r["child"], "name": names.get(r["child"], r["child"]), **_rates({n: r[n] or 0 for n in COUNTS})} for r in rows]
    return sorted(result, key=lambda r: r["code"])


def breakdown_by(*, user, field: str, region=None, industry=None, zone=None) -> list[dict]:
    """One row per industry or zone."""
    facts = facts_for(user=user, region=region, industry=industry, zone=zone)
    key = {"industry": "industry_id", "zone": "zone_id"}[field]
    rows = facts.values(key).annotate(**{n: Sum(n) for n in COUNTS})
    model = Industry if field == "industry" else Zone
    names = dict(model.objects.filter(pk__in=[r[key] for r in rows if r[key]]).values_list("pk", "name"))
    codes = dict(Industry.objects.values_list("pk", "code")) if field == "industry" else {}
    result = [
        {"key": codes.get(r[key], r[key]), "name": names.get(r[key], "不在园区/楼宇"), **_rates({n: r[n] or 0 for n in COUNTS})}
        for r in rows
    ]
    return sorted(result, key=lambda r: -r["organizations"])


def trend(*, user, region=None, industry=None, zone=None, months: int = 12) -> list[dict]:
    """The last months' snapshots, oldest first."""
    snapshots = scoped(CoverageFact.objects.filter(month__isnull=False), user)
    if region is not None:
        snapshots = snapshots.filter(region__code__under=region.code)
    if industry is not None:
        snapshots = snapshots.filter(industry_id=industry.pk)
    if zone is not None:
        snapshots = snapshots.filter(zone_id=zone.pk)
    rows = list(snapshots.values("month").annotate(**{n: Sum(n) for n in COUNTS}).order_by("-month")[:months])
    return [{"month": r["month"].strftime("%Y-%m"), **_rates({n: r[n] or 0 for n in COUNTS})} for r in reversed(rows)]
