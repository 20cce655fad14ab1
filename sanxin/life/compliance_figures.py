"""Reads of 三会一课落实率 for the pages, the API and the secretary's home, cut to the scope.

Rates roll up `ComplianceFact` (one row per region, never the records) for territorial users; a user whose scope
is narrowed to industries or a zone reads the records themselves (their scope is small). Both count the Party
organizations that sit in the place (not those seen through an organization they cover), as coverage does.

A period selected (a year, a half or a quarter) counts the periods inside it: a quarter holds its months and
itself; a half, its quarters and months and itself; a year, everything. 落实率 = met / (met + overdue): the
period not yet over counts only once met.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils import timezone

from sanxin.core.scope import access, scoped, user_scope
from sanxin.core.text import half_width, normalize_code
from sanxin.life.compliance import FACT_LENGTHS, period_label
from sanxin.life.models import ComplianceFact, ComplianceRecord, MeetingType
from sanxin.members.models import MobileDirection
from sanxin.members.selectors import secretary_party_orgs
from sanxin.party.models import EstablishmentForm, PartyOrganization, PartyOrgLevel, PartyOrgStatus
from sanxin.regions.models import LEVEL_CODE_LENGTH, Region
from sanxin.regions.selectors import region_root_code

COUNTS = ("required", "met", "due", "overdue", "held")
SELECTION = re.compile(r"^((?:19|2\d)\d{2})(?:-(?:Q([1-4])|H([12])))?$")
SELECTION_PATTERN = SELECTION.pattern
GROUPS = {
    "org_level": ("党组织层级", PartyOrgLevel),
    "establishment_form": ("组建方式", EstablishmentForm),
    "meeting_type": ("会议类型", None),
}


@dataclass(frozen=True)
class Selection:
    year: int
    quarter: int = 0
    half: int = 0

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.quarter else f"{self.year}-H{self.half}" if self.half else str(self.year)

    @property
    def label(self) -> str:
        return period_label(self.key)

    def q(self) -> Q:
        condition = Q(year=self.year)
        if self.quarter:
            condition &= Q(quarter=self.quarter)
        elif self.half:
            condition &= Q(half=self.half)
        return condition


def parse_selection(text: str, *, today: date | None = None) -> Selection | None:
    """2026, 2026-H1 or 2026-Q3; empty is this year. None for anything else."""
    today = today or timezone.localdate()
    text = half_width(text or "").strip().upper()  # ２０２６－ｑ３ is 2026-Q3
    if not text:
        return Selection(today.year)
    found = SELECTION.match(text)
    if not found:
        return None
    year, quarter, half = found.groups()
    return Selection(int(year), int(quarter or 0), int(half or 0))


def selection_choices(*, today: date | None = None) -> list[tuple[str, str]]:
    """The periods offered: this year and last, each whole, by half and by quarter, those begun."""
    today = today or timezone.localdate()
    choices = []
    for year in (today.year, today.year - 1):
        options = [Selection(year), *(Selection(year, half=h) for h in (1, 2)), *(Selection(year, quarter=q) for q in (1, 2, 3, 4))]
        for s in options:
            first_month = (s.quarter - 1) * 3 + 1 if s.quarter else (s.half - 1) * 6 + 1 if s.half else 1
            if date(s.year, first_month, 1) <= today:
                choices.append((s.key, s.label))
    return choices


def _rates(totals: dict) -> dict:
    closed = totals["met"] + totals["overdue"]
    return {**totals, "rate": round(totals["met"] / closed, 4) if closed else None}


def _narrowed(user) -> bool:
    scope = user_scope(user)
    return bool(scope.industry_ids or scope.zone_id)


def _from_records(user, region: Region | None, *, children: bool = False) -> bool:
    """Read the records, not the facts: for a scope narrowed to industries or a zone, and below the levels with
    facts (a street's communities, a community)."""
    if _narrowed(user):
        return True
    length = len(region.code) if region else 0
    if children:
        length = _child_length(region) or 0
    return bool(length) and length not in FACT_LENGTHS


def compliance_region(user, code: str) -> Region | None:
    """The region a page or the API asks for (the user's own by default); one outside the scope is 404."""
    if not user.can("life.compliance"):
        raise Http404
    code = normalize_code(code) or region_root_code(user)
    return access(Region.objects.all(), code, user) if code else None


def _facts(user, region: Region | None, selection: Selection, *, children: bool):
    """The facts of the region itself (children=False) or of the regions one level below (children=True)."""
    facts = scoped(ComplianceFact.objects.filter(selection.q()), user)
    if children:
        return facts.filter(parent=region.code if region else "")
    return facts.filter(region_id=region.code) if region else facts.filter(parent="")


def _records(user, region: Region | None, selection: Selection):
    records = scoped(ComplianceRecord.objects.filter(selection.q()), user, own_place_only=True)
    return records.filter(region__code__under=region.code) if region else records


def _record_counts():
    """The counts of records, named c_<count> (an annotation may not take a field's name)."""
    return {
        "c_required": Count("id"),
        "c_met": Count("id", filter=Q(held__gte=F("required"))),
        "c_due": Count("id", filter=Q(held__lt=F("required"), overdue=False)),
        "c_overdue": Count("id", filter=Q(overdue=True)),
        "c_held": Sum("held"),
    }


def _fact_sums():
    return {f"c_{n}": Sum(n) for n in COUNTS}


def _totals(row: dict) -> dict:
    return _rates({n: row.get(f"c_{n}") or 0 for n in COUNTS})


def compliance_summary(*, user, region: Region | None, selection: Selection) -> dict:
    if _from_records(user, region):
        return _totals(_records(user, region, selection).aggregate(**_record_counts()))
    return _totals(_facts(user, region, selection, children=False).aggregate(**_fact_sums()))


def _child_length(region: Region | None) -> int | None:
    parent_length = len(region.code) if region else 0
    return next((n for n in LEVEL_CODE_LENGTH.values() if n > parent_length), None)


def breakdown_by_region(*, user, region: Region | None, selection: Selection) -> list[dict]:
    """One row per region one level below (the provinces, or the scope's own region's children)."""
    length = _child_length(region)
    if length is None:
        return []
    if _from_records(user, region, children=True):
        rows = (
            _records(user, region, selection)
            .annotate(child=Substr("region_id", 1, length), code_length=Length("region_id"))
            .filter(code_length__gte=length)
            .values("child")
            .annotate(**_record_counts())
        )
    else:
        rows = _facts(user, region, selection, children=True).annotate(child=F("region_id")).values("child").annotate(**_fact_sums())
    rows = list(rows)
    names = dict(Region.objects.filter(code__in=[r["child"] for r in rows]).values_list("code", "name"))
    result = [{"code": r["child"], "name": names.get(r["child"], r["child"]), **_totals(r)} for r in rows]
    return sorted(result, key=lambda r: r["code"])


def breakdown_by(*, user, region: Region | None, selection: Selection, field: str) -> list[dict]:
    """One row per Party organization level, form of establishment or meeting type, in the region."""
    if field not in GROUPS:
        raise ValueError(field)
    key = "meeting_type_id" if field == "meeting_type" else field
    if _from_records(user, region):
        rows = _records(user, region, selection).values(key).annotate(**_record_counts())
    else:
        rows = _facts(user, region, selection, children=False).values(key).annotate(**_fact_sums())
    rows = list(rows)
    if field == "meeting_type":
        types = {t.pk: t for t in MeetingType.objects.all()}
        order = {pk: i for i, pk in enumerate(types)}
        result = [{"key": str(r[key]), "name": types[r[key]].name if r[key] in types else str(r[key]), **_totals(r)} for r in rows]
        return sorted(result, key=lambda r: order.get(int(r["key"]), 999))
    labels = dict(GROUPS[field][1].choices)
    order = {value: i for i, value in enumerate(labels)}
    result = [{"key": r[key], "name": labels.get(r[key], r[key]), **_totals(r)} for r in rows]
    return sorted(result, key=lambda r: order.get(r["key"], 999))


def mobile_members(*, user, region: Region | None) -> dict:
    """Mobile members now (the members app's registrations): those attending in the region's Party organizations
    (流入), and those gone out (流出) with how many of them attend a Party organization on the platform."""
    from sanxin.members.mobility import mobile_registration_list

    rows = mobile_registration_list(user=user)
    if region is not None:
        rows = rows.filter(member__party_organization__region__code__under=region.code)
    counted = rows.order_by().aggregate(
        inflow=Count("member_id", filter=Q(direction=MobileDirection.INFLOW), distinct=True),
        outflow=Count("member_id", filter=Q(direction=MobileDirection.OUTFLOW), distinct=True),
        outflow_attending=Count(
            "member_id", filter=Q(direction=MobileDirection.OUTFLOW, destination_organization__isnull=False), distinct=True
        ),
    )
    counted["attending"] = counted["inflow"] + counted["outflow_attending"]
    return counted


# The lists: Party organizations with required vs held per meeting type, and what is overdue.


def _kind_filters(queryset, *, prefix: str, level: str, form: str):
    if level:
        queryset = queryset.filter(**{f"{prefix}level": level}) if level in PartyOrgLevel.values else queryset.none()
    if form:
        queryset = queryset.filter(**{f"{prefix}establishment_form": form}) if form in EstablishmentForm.values else queryset.none()
    return queryset


def party_org_list(
    *, user, region: Region | None, selection: Selection, level: str = "", form: str = "", q: str = "", overdue_only: bool = False
):
    """The active Party organizations in the scope and region (seen through covered organizations included)."""
    orgs = scoped(PartyOrganization.objects.filter(status=PartyOrgStatus.ACTIVE).select_related("region"), user)
    if region is not None:
        orgs = orgs.filter(region__code__under=region.code)
    orgs = _kind_filters(orgs, prefix="", level=level, form=form)
    if q:
        orgs = orgs.filter(name__icontains=q)
    if overdue_only:
        late = ComplianceRecord.objects.filter(selection.q(), party_organization_id=OuterRef("pk"), overdue=True)
        orgs = orgs.filter(Exists(late))
    return orgs


def party_org_figures(org_ids: list[int], selection: Selection) -> dict[int, dict]:
    """Per Party organization: per meeting type (id) its counts, and its totals."""
    rows = (
        ComplianceRecord.objects.filter(selection.q(), party_organization_id__in=org_ids)
        .values("party_organization_id", "meeting_type_id")
        .annotate(**_record_counts())
    )
    found: dict[int, dict] = {pk: {"types": {}, "totals": _totals({})} for pk in org_ids}
    for r in rows:
        entry = found[r["party_organization_id"]]
        counts = _totals(r)
        entry["types"][r["meeting_type_id"]] = counts
        entry["totals"] = _rates({n: entry["totals"][n] + counts[n] for n in COUNTS})
    return found


def overdue_list(
    *, user, region: Region | None, selection: Selection, meeting_type: str | int = "", level: str = "", form: str = "", q: str = ""
):
    records = scoped(
        ComplianceRecord.objects.filter(selection.q(), overdue=True).select_related(
            "party_organization", "party_organization__region", "meeting_type"
        ),
        user,
    )
    if region is not None:
        records = records.filter(region__code__under=region.code)
    if meeting_type not in ("", None):
        try:
            records = records.filter(meeting_type_id=int(meeting_type))
        except (TypeError, ValueError):
            records = records.none()
    records = _kind_filters(records, prefix="party_organization__", level=level, form=form)
    if q:
        records = records.filter(party_organization__name__icontains=q)
    return records


# The secretary's home: what their own Party organizations owe now.


def secretary_due(*, user, today: date | None = None, limit: int = 10) -> dict | None:
    """None for anyone who is not a secretary of a Party organization; else what is due this period and not held
    (soonest first) and what is overdue this year and last (latest first)."""
    orgs = secretary_party_orgs(user)
    if not orgs.exists():
        return None
    today = today or timezone.localdate()
    open_records = ComplianceRecord.objects.filter(party_organization__in=orgs, held__lt=F("required")).select_related(
        "party_organization", "meeting_type"
    )
    due = open_records.filter(overdue=False, period_start__lte=today, period_end__gte=today).order_by("period_end", "meeting_type__order")
    overdue = open_records.filter(overdue=True).order_by("-period_end", "meeting_type__order")
    return {
        "due": [_row(r, today) for r in due[:limit]],
        "due_count": due.count(),
        "overdue": [_row(r, today) for r in overdue[:limit]],
        "overdue_count": overdue.count(),
    }


def _row(record: ComplianceRecord, today: date) -> dict:
    return {
        "record": record,
        "period_label": period_label(record.period),
        "days_left": (record.period_end - today).days,
        "days_overdue": (today - record.period_end).days,
    }


def days_overdue(record: ComplianceRecord, today: date | None = None) -> int:
    return ((today or timezone.localdate()) - record.period_end).days
