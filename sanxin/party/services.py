"""Writes on Party organizations; covering organizations changes their coverage, so it is refreshed here."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanxin.core.audit import audit_changes, audit_record
from sanxin.core.events import publish
from sanxin.core.guards import require
from sanxin.core.scope import chosen_outside_scope, scoped
from sanxin.orgs.models import Organization
from sanxin.party.models import EstablishmentForm, PartyOrganization, PartyOrgLevel, PartyOrgStatus, SpecialKind
from sanxin.regions.jurisdiction import place_outside_scope

FIELDS = [
    "name",
    "level",
    "parent",
    "establishment_form",
    "special_kinds",
    "region",
    "industry",
    "zone",
    "secretary",
    "founded_on",
    "term_years",
    "last_election_on",
    "status",
]


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def next_election_due(*, founded_on: date | None, last_election_on: date | None, term_years: int) -> date | None:
    start = last_election_on or founded_on
    return add_years(start, term_years) if start else None


def party_org_errors(fields: dict, *, instance: PartyOrganization | None = None, today: date | None = None) -> dict[str, str]:
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = "党组织名称不能为空"
    if fields.get("level") not in PartyOrgLevel.values:
        errors["level"] = "层级应为 党委、党总支、党支部 或 临时党支部"
    if fields.get("establishment_form") not in EstablishmentForm.values:
        errors["establishment_form"] = "组建方式不在可选范围内"
    unknown = [k for k in fields.get("special_kinds") or [] if k not in SpecialKind.values]
    if unknown:
        errors["special_kinds"] = f"特殊类型不在可选范围内：{'、'.join(unknown)}"
    if fields.get("region") is None:
        errors["region"] = "所在地区代码不存在"
    if fields.get("term_years") not in (3, 5):
        errors["term_years"] = "任期应为 3 年或 5 年"
    for key, label in (("founded_on", "成立日期"), ("last_election_on", "上次换届日期")):
        if fields.get(key) and fields[key] > today:
            errors[key] = f"{label}不能晚于今天"
    if fields.get("founded_on") and fields.get("last_election_on") and fields["last_election_on"] < fields["founded_on"]:
        errors["last_election_on"] = "上次换届日期不能早于成立日期"
    parent = fields.get("parent")
    if parent is not None and instance is not None:
        node = parent
        while node is not None:
            if node.pk == instance.pk:
                errors["parent"] = "上级党组织不能是本组织或其下级"
                break
            node = node.parent
    if fields.get("status", PartyOrgStatus.ACTIVE) not in PartyOrgStatus.values:
        errors["status"] = "状态不在可选范围内"
    return errors


def _check_scope(actor, fields: dict, *, before: dict | None = None, covered=()) -> None:
    """The Party organization sits inside the actor's scope (region, industry, zone); a new parent and
    newly covered organizations are ones the actor can see."""
    errors = place_outside_scope(actor, region=fields["region"], industry=fields.get("industry"), zone=fields.get("zone"))
    if chosen_outside_scope(actor, fields.get("parent"), before and before["parent"]):
        errors["parent"] = "上级党组织不在您的管辖范围内"
    already = set(before["covered"]) if before else set()
    added = [o for o in covered if o.pk not in already]
    if actor is not None and added:
        visible = set(scoped(Organization.objects.filter(pk__in=[o.pk for o in added]), actor).values_list("pk", flat=True))
        outside = [o.credit_code for o in added if o.pk not in visible]
        if outside:
            errors["covered_codes"] = f"以下组织不在您的管辖范围内：{'、'.join(outside)}"
    if errors:
        raise ValidationError(errors)


def _snapshot(party_org: PartyOrganization) -> dict:
    data = {f: (getattr(party_org, f"{f}_id") if f in ("parent", "region", "industry", "zone") else getattr(party_org, f)) for f in FIELDS}
    data["covered"] = sorted(party_org.covered_organizations.values_list("id", flat=True)) if party_org.pk else []
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}


@transaction.atomic
def party_org_create(*, actor, covered=(), **fields) -> PartyOrganization:
    require(actor, "party.manage")
    fields.setdefault("special_kinds", [])
    fields.setdefault("term_years", 3)
    errors = party_org_errors(fields)
    if errors:
        raise ValidationError(errors)
    _check_scope(actor, fields, covered=covered)
    if PartyOrganization.objects.filter(region=fields["region"], name=fields["name"].strip()).exists():
        raise ValidationError({"name": f"该地区已有名为“{fields['name'].strip()}”的党组织"})
    party_org = PartyOrganization(**{k: v for k, v in fields.items() if k in FIELDS})
    party_org.name = party_org.name.strip()
    party_org.next_election_due = next_election_due(
        founded_on=party_org.founded_on, last_election_on=party_org.last_election_on, term_years=party_org.term_years
    )
    party_org.save()
    covered_ids = [o.pk for o in covered]
    party_org.covered_organizations.set(covered_ids)
    publish("organizations.changed", ids=covered_ids)
    audit_record(actor=actor, action="party_org_create", obj=party_org, detail={"new": _snapshot(party_org)})
    return party_org


@transaction.atomic
def party_org_update(*, actor, party_org: PartyOrganization, covered=None, **changes) -> PartyOrganization:
    """Edits a Party organization; `covered` (if given) replaces the covered organizations inside the
    actor's scope and leaves those outside it untouched."""
    require(actor, "party.manage")
    before = _snapshot(party_org)
    merged = {f: getattr(party_org, f) for f in FIELDS} | changes
    errors = party_org_errors(merged, instance=party_org)
    if errors:
        raise ValidationError(errors)
    _check_scope(actor, merged, before=before, covered=covered or ())
    clash = PartyOrganization.objects.filter(region=merged["region"], name=merged["name"].strip()).exclude(pk=party_org.pk)
    if clash.exists():
        raise ValidationError({"name": f"该地区已有名为“{merged['name'].strip()}”的党组织"})
    for key, value in changes.items():
        if key in FIELDS:
            setattr(party_org, key, value)
    party_org.name = party_org.name.strip()
    party_org.next_election_due = next_election_due(
        founded_on=party_org.founded_on, last_election_on=party_org.last_election_on, term_years=party_org.term_years
    )
    party_org.save()
    affected = set(before["covered"])
    if covered is not None:
        # `covered` replaces what the actor can see; organizations outside their scope stay covered.
        kept = set(before["covered"])
        if actor is not None:
            kept -= set(scoped(Organization.objects.filter(pk__in=kept), actor).values_list("pk", flat=True))
        party_org.covered_organizations.set(sorted(kept | {o.pk for o in covered}))
        affected |= {o.pk for o in covered}
    publish("organizations.changed", ids=sorted(affected))
    audit_changes(actor=actor, action="party_org_update", obj=party_org, before=before, after=_snapshot(party_org))
    return party_org
