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

from django.db.models import Q
from django.utils import timezone

from sanxin.orgs.models import DEREGISTERED, CoverageState, InstructorAssignment, MassOrganizationWork, Organization

SINGLE_ESTABLISH_MIN_MEMBERS = 3
BATCH = 2000
# The daily job looks this far back, so a few missed runs are caught up; after a longer gap run
# `refresh_coverage --recompute`.
DAILY_LOOKBACK_DAYS = 7


def _active_on(today: date, start: str, end: str) -> Q:
    return Q(**{f"{start}__lte": today}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": today}))


def _covered_ids(ids: list[int], today: date) -> tuple[set[int], set[int]]:
    """(ids covered by any active Party organization founded by `today`, ids covered by an own standalone one)."""
    from sanxin.party.models import EstablishmentForm, PartyOrganization, PartyOrgStatus

    through = PartyOrganization.covered_organizations.through
    founded = Q(partyorganization__founded_on__isnull=True) | Q(partyorganization__founded_on__lte=today)
    rows = through.objects.filter(founded, organization_id__in=ids, partyorganization__status=PartyOrgStatus.ACTIVE).values_list(
        "organization_id", "partyorganization__establishment_form"
    )
    covered, own = set(), set()
    for org_id, form in rows:
        covered.add(org_id)
        if form == EstablishmentForm.STANDALONE:
            own.add(org_id)
    return covered, own


def _work_ids(ids: list[int], today: date) -> set[int]:
    instructed = InstructorAssignment.objects.filter(_active_on(today, "started_on", "ended_on"), organization_id__in=ids)
    mass = MassOrganizationWork.objects.filter(_active_on(today, "started_on", "ended_on"), organization_id__in=ids)
    return set(instructed.values_list("organization_id", flat=True)) | set(mass.values_list("organization_id", flat=True))


def recompute_organizations(ids: Iterable[int], *, today: date | None = None) -> int:
    """Recompute the coverage fields of these organizations (and of their parents, for edge thinning),
    then the precomputed counts of the regions they sit in."""
    from sanxin.orgs.rates import refresh_facts

    today = today or timezone.localdate()
    ids = list(set(ids))
    parent_ids = set(Organization.objects.filter(id__in=ids, parent__isnull=False).values_list("parent_id", flat=True))
    changed = 0
    for start in range(0, len(ids), BATCH):
        changed += _recompute_batch(ids[start : start + BATCH], today)
    if parent_ids - set(ids):
        changed += _recompute_edge(list(parent_ids))
    touched = set(ids) | parent_ids
    refresh_facts(set(Organization.objects.filter(id__in=touched).values_list("region_id", flat=True)))
    return changed


def _recompute_batch(ids: list[int], today: date) -> int:
    covered, own = _covered_ids(ids, today)
    work = _work_ids(ids, today)
    updates = []
    for org in Organization.objects.filter(id__in=ids).only(
        "id", "registration_status", "formal_members", "coverage_state", "has_own_party_org", "should_establish"
    ):
        if org.id in covered:
            state = CoverageState.ORG_COVERED
        elif org.id in work:
            state = CoverageState.WORK_COVERED
        else:
            state = CoverageState.BLANK
        has_own = org.id in own
        should = org.registration_status not in DEREGISTERED and org.formal_members >= SINGLE_ESTABLISH_MIN_MEMBERS and not has_own
        if (org.coverage_state, org.has_own_party_org, org.should_establish) != (state, has_own, should):
            org.coverage_state, org.has_own_party_org, org.should_establish = state, has_own, should
            updates.append(org)
    Organization.objects.bulk_update(updates, ["coverage_state", "has_own_party_org", "should_establish"], batch_size=BATCH)
    return len(updates) + _recompute_edge(ids)


def _recompute_edge(ids: list[int]) -> int:
    """Edge thinning for these organizations as parents: covered, with an uncovered active branch."""
    active = ~Q(registration_status__in=DEREGISTERED)
    thin_parents = set(
        Organization.objects.filter(active, parent_id__in=ids, coverage_state=CoverageState.BLANK).values_list("parent_id", flat=True)
    )
    updates = []
    for org in Organization.objects.filter(id__in=ids).only("id", "coverage_state", "edge_thinning"):
        thin = org.coverage_state != CoverageState.BLANK and org.id in thin_parents
        if org.edge_thinning != thin:
            org.edge_thinning = thin
            updates.append(org)
    Organization.objects.bulk_update(updates, ["edge_thinning"], batch_size=BATCH)
    return len(updates)


def recompute_all(*, today: date | None = None) -> int:
    """Every organization, then every fact (the nightly job, and after bulk imports)."""
    from sanxin.orgs.rates import refresh_facts

    today = today or timezone.localdate()
    ids = list(Organization.objects.values_list("id", flat=True))
    changed = 0
    for start in range(0, len(ids), BATCH):
        changed += _recompute_batch(ids[start : start + BATCH], today)
    refresh_facts()
    return changed


def date_dependent_ids(since: date, today: date) -> set[int]:
    """Organizations whose coverage may differ between `since` and `today` only because the date moved:
    an assignment or mass-organization work began or ended, or a covering Party organization was founded."""
    from sanxin.party.models import PartyOrganization

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
    from sanxin.orgs.models import CoverageFact
    from sanxin.orgs.rates import snapshot_month

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
