"""Coverage (两个覆盖), computed from the data by this one module, never typed in.

Per organization:
- organization coverage: an active Party organization covers it;
- work coverage: organization coverage, or an active instructor/liaison assignment,
  or Party work through a mass organization (群团组织) recorded as active;
- blank: neither;
- has own Party organization: an active Party organization established standalone (单独组建) covers it;
- should establish (应建未建): three or more formal members and no own Party organization;
- edge thinning (边际递减): covered itself, with a branch or site (active) that is not covered.
Deregistered organizations (注销/吊销/迁出) count nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from sanxin.core.events import publish
from sanxin.coverage.figures import refresh_facts, snapshot_month
from sanxin.coverage.models import CoverageFact, MassOrganizationWork
from sanxin.instructors.models import InstructorAssignment
from sanxin.orgs.models import DEREGISTERED, MEETS_SINGLE_ESTABLISH, CoverageState, Organization
from sanxin.party.models import EstablishmentForm, PartyOrganization, PartyOrgStatus

BATCH = 5000  # ids per statement, under SQLite's limit of bound parameters
# The daily job looks this far back, so a few missed runs are caught up; after a longer gap run
# `refresh_coverage --recompute`.
DAILY_LOOKBACK_DAYS = 7


def _active_on(today: date, start: str, end: str) -> Q:
    return Q(**{f"{start}__lte": today}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": today}))


def _coverage_expressions(today: date) -> dict:
    """The coverage fields of an organization as SQL over its Party organizations, instructors and mass work."""
    through = PartyOrganization.covered_organizations.through
    founded = Q(partyorganization__founded_on__isnull=True) | Q(partyorganization__founded_on__lte=today)
    covering = through.objects.filter(founded, organization_id=OuterRef("pk"), partyorganization__status=PartyOrgStatus.ACTIVE)
    own = Exists(covering.filter(partyorganization__establishment_form=EstablishmentForm.STANDALONE))
    instructed = InstructorAssignment.objects.filter(_active_on(today, "started_on", "ended_on"), organization_id=OuterRef("pk"))
    mass = MassOrganizationWork.objects.filter(_active_on(today, "started_on", "ended_on"), organization_id=OuterRef("pk"))
    meets = MEETS_SINGLE_ESTABLISH & ~Q(registration_status__in=DEREGISTERED)
    return {
        "coverage_state": Case(
            When(Exists(covering), then=Value(CoverageState.ORG_COVERED)),
            When(Exists(instructed) | Exists(mass), then=Value(CoverageState.WORK_COVERED)),
            default=Value(CoverageState.BLANK),
        ),
        "has_own_party_org": own,
        "should_establish": Case(When(meets & ~own, then=Value(True)), default=Value(False), output_field=BooleanField()),
    }


def _edge_expressions() -> dict:
    uncovered_branch = Organization.objects.filter(parent_id=OuterRef("pk"), coverage_state=CoverageState.BLANK).exclude(
        registration_status__in=DEREGISTERED
    )
    thin = ~Q(coverage_state=CoverageState.BLANK) & Exists(uncovered_branch)
    return {"edge_thinning": Case(When(thin, then=Value(True)), default=Value(False), output_field=BooleanField())}


def _update_where_changed(organizations, expressions: dict) -> int:
    """One UPDATE of the organizations whose computed fields differ from the stored ones; how many changed."""
    computed = organizations.annotate(**{f"new_{name}": expression for name, expression in expressions.items()})
    differs = Q()
    for name in expressions:
        differs |= ~Q(**{name: F(f"new_{name}")})
    changed = computed.filter(differs).order_by().values("pk")  # the model's ordering would only add a sort
    return Organization.objects.filter(pk__in=Subquery(changed)).update(**expressions)


def recompute_organizations(ids: Iterable[int], *, today: date | None = None) -> int:
    """Recompute the coverage fields of these organizations (and of their parents, for edge thinning),
    then the precomputed counts of the regions they sit in."""
    today = today or timezone.localdate()
    ids = sorted(set(ids))
    parent_ids = set(Organization.objects.filter(id__in=ids, parent__isnull=False).values_list("parent_id", flat=True))
    touched = sorted(set(ids) | parent_ids)
    changed = 0
    for start in range(0, len(ids), BATCH):
        changed += _update_where_changed(Organization.objects.filter(id__in=ids[start : start + BATCH]), _coverage_expressions(today))
    for start in range(0, len(touched), BATCH):
        changed += _update_where_changed(Organization.objects.filter(id__in=touched[start : start + BATCH]), _edge_expressions())
    refresh_facts(set(Organization.objects.filter(id__in=touched).values_list("region_id", flat=True)))
    publish("coverage.recomputed", ids=ids)
    return changed


def recompute_all(*, today: date | None = None) -> int:
    """Every organization, then every fact (after large imports, and by `refresh_coverage --recompute`)."""
    today = today or timezone.localdate()
    changed = _update_where_changed(Organization.objects.all(), _coverage_expressions(today))
    changed += _update_where_changed(Organization.objects.all(), _edge_expressions())
    refresh_facts()
    publish("coverage.recomputed", ids=None)
    return changed


def date_dependent_ids(since: date, today: date) -> set[int]:
    """Organizations whose coverage may differ between `since` and `today` only because the date moved:
    an assignment or mass-organization work began or ended, or a covering Party organization was founded."""
    changed = Q(started_on__gt=since, started_on__lte=today) | Q(ended_on__gte=since, ended_on__lt=today)
    ids = set(InstructorAssignment.objects.filter(changed).values_list("organization_id", flat=True))
    ids |= set(MassOrganizationWork.objects.filter(changed).values_list("organization_id", flat=True))
    through = PartyOrganization.covered_organizations.through
    founded = through.objects.filter(partyorganization__founded_on__gt=since, partyorganization__founded_on__lte=today)
    ids |= set(founded.values_list("organization_id", flat=True))
    return ids


def coverage_daily(*, today: date | None = None) -> dict:
    """The daily job (run it once a day, any hour; running it again is harmless).

    Recomputes the organizations whose coverage depends on the date (assignments and mass-organization
    work starting or ending, Party organizations founded) and the counts of their regions; on the last
    day of a month keeps that month's snapshot for the trend, and takes last month's if it is missing
    (the job did not run on its last day)."""
    today = today or timezone.localdate()
    changed = recompute_organizations(date_dependent_ids(today - timedelta(days=DAILY_LOOKBACK_DAYS), today), today=today)
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    snapshot = None
    if (today + timedelta(days=1)).day == 1:
        snapshot = this_month
    elif not CoverageFact.objects.filter(month=last_month).exists():
        snapshot = last_month
    cells = snapshot_month(snapshot) if snapshot else 0
    return {"changed": changed, "snapshot": snapshot, "cells": cells}


# Above this many organizations changed at once (a province's import), recompute everything in one pass.
RECOMPUTE_ALL_FROM = 20000


def organizations_changed(*, ids=None, regions=()) -> None:
    """The "organizations.changed" event (sanxin.core.events): organizations, or what covers them, were written.
    `ids` None means all of them; `regions` are the region codes some of them left, whose counts are refreshed."""
    if ids is None or len(ids) > RECOMPUTE_ALL_FROM:
        recompute_all()
        return
    if ids:
        recompute_organizations(ids)
    if regions:
        refresh_facts(regions)
