"""Census campaigns (摸排): a record of seven items per organization; finding the 单建条件 met raises a to-do."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanxin.census.models import CENSUS_ITEMS, CampaignStatus, CensusCampaign, CensusRecord, Todo, TodoKind, TodoStatus
from sanxin.census.selectors import campaign_organizations
from sanxin.core.audit import audit_record
from sanxin.core.events import publish
from sanxin.core.scope import region_in_scope, scoped, user_scope
from sanxin.orgs.models import SINGLE_ESTABLISH_MIN_MEMBERS, Organization
from sanxin.party.models import EstablishmentForm, PartyOrganization, PartyOrgStatus

TODO_DAYS = 30


@transaction.atomic
def census_campaign_create(*, actor, name: str, region, starts_on: date, ends_on: date, industry=None) -> CensusCampaign:
    errors = {}
    if not name.strip():
        errors["name"] = "请填写行动名称"
    if ends_on < starts_on:
        errors["ends_on"] = "截止日期不能早于开始日期"
    if region is None or (not user_scope(actor).nationwide and not region_in_scope(actor, region.code)):
        errors["region"] = "摸排范围不在您的管辖范围内"
    if errors:
        raise ValidationError(errors)
    campaign = CensusCampaign.objects.create(
        name=name.strip(),
        region=region,
        industry=industry,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by_unit=actor.unit,
        status=CampaignStatus.ACTIVE,
    )
    audit_record(actor=actor, action="census_campaign_create", obj=campaign, detail={"region": region.code, "until": str(ends_on)})
    return campaign


@transaction.atomic
def census_record_save(
    *,
    actor,
    campaign: CensusCampaign,
    organization: Organization,
    censused_on: date,
    employees: int,
    formal_members: int,
    probationary_members: int = 0,
    **items,
) -> CensusRecord:
    """Records (or corrects) one organization's census; the registry takes the census counts."""
    today = timezone.localdate()
    errors = {}
    if campaign.status != CampaignStatus.ACTIVE:
        errors["campaign"] = "摸排行动不在进行中，不能填报"
    if not campaign_organizations(campaign).filter(pk=organization.pk).exists():
        errors["organization"] = "该组织不在本次摸排范围内"
    elif not scoped(Organization.objects.filter(pk=organization.pk), actor).exists():
        errors["organization"] = "该组织不在您的管辖范围内"
    if censused_on > today:
        errors["censused_on"] = "摸排日期不能晚于今天"
    elif not campaign.starts_on <= censused_on <= campaign.ends_on:
        errors["censused_on"] = f"摸排日期应在行动期间（{campaign.starts_on:%Y-%m-%d} 至 {campaign.ends_on:%Y-%m-%d}）内"
    for key, label in CENSUS_ITEMS:
        if not (items.get(key) or "").strip():
            errors[key] = f"请填写“{label}”"
    if formal_members + probationary_members > employees:
        errors["formal_members"] = "党员数不能多于从业人员数"
    if errors:
        raise ValidationError(errors)
    values = {key: items[key].strip() for key, _ in CENSUS_ITEMS}
    record, created = CensusRecord.objects.update_or_create(
        campaign=campaign,
        organization=organization,
        defaults={
            **values,
            "employees": employees,
            "formal_members": formal_members,
            "probationary_members": probationary_members,
            "censused_on": censused_on,
            "censused_by": actor,
        },
    )
    Organization.objects.filter(pk=organization.pk).update(
        employees=employees, formal_members=formal_members, probationary_members=probationary_members
    )
    publish("organizations.changed", ids=[organization.pk])
    organization.refresh_from_db()
    todo = None
    if formal_members >= SINGLE_ESTABLISH_MIN_MEMBERS and not organization.has_own_party_org:
        todo, _ = Todo.objects.get_or_create(
            kind=TodoKind.ESTABLISH_PARTY_ORG,
            organization=organization,
            status=TodoStatus.OPEN,
            defaults={
                "census_record": record,
                "due_on": today + timedelta(days=TODO_DAYS),
                "note": f"摸排发现正式党员 {formal_members} 名，尚无本单位党组织，符合单独组建条件",
            },
        )
    audit_record(
        actor=actor,
        action="census_record_save",
        obj=record,
        detail={"created": created, "formal_members": formal_members, "todo": todo.pk if todo else None},
    )
    return record


@transaction.atomic
def todo_close(*, actor, todo: Todo, note: str) -> Todo:
    """Closes a to-do (办结) with a note saying what was done."""
    if not scoped(Todo.objects.filter(pk=todo.pk), actor).exists():
        raise ValidationError({"todo": "该待办不在您的管辖范围内"})
    if todo.status != TodoStatus.OPEN:
        raise ValidationError({"note": "该待办已办结"})
    if not (note or "").strip():
        raise ValidationError({"note": "请填写办结说明"})
    todo.status = TodoStatus.DONE
    todo.closed_on = timezone.localdate()
    todo.closed_by = actor
    todo.close_note = note.strip()
    todo.save(update_fields=["status", "closed_on", "closed_by", "close_note", "updated_at"])
    audit_record(actor=actor, action="todo_close", obj=todo, detail={"organization": todo.organization_id, "note": todo.close_note})
    return todo


def todos_close_fulfilled(ids: Iterable[int] | None = None) -> int:
    """Close the open 应组建 to-dos of these organizations (all when None) that now have their own Party
    organization, with a note naming it; returns how many were closed. Subscribed to "coverage.recomputed":
    whoever established it and however (form, import, a founding date reached), the to-do follows."""
    todos = Todo.objects.filter(kind=TodoKind.ESTABLISH_PARTY_ORG, status=TodoStatus.OPEN, organization__has_own_party_org=True)
    if ids is not None:
        todos = todos.filter(organization_id__in=list(ids))
    today = timezone.localdate()
    closed = 0
    for todo in todos.select_related("organization"):
        own = (
            PartyOrganization.objects.filter(
                covered_organizations=todo.organization_id, establishment_form=EstablishmentForm.STANDALONE, status=PartyOrgStatus.ACTIVE
            )
            .order_by("founded_on", "pk")
            .first()
        )
        founded = f"（成立于 {own.founded_on:%Y-%m-%d}）" if own and own.founded_on else ""
        note = f"已单独组建党组织“{own.name if own else '本单位党组织'}”{founded}，系统自动办结"
        updated = Todo.objects.filter(pk=todo.pk, status=TodoStatus.OPEN).update(
            status=TodoStatus.DONE, closed_on=today, closed_by=None, close_note=note, updated_at=timezone.now()
        )
        if updated:
            closed += 1
            audit_record(
                action="todos_close_fulfilled",
                obj=todo,
                actor_name="system",
                detail={"organization": todo.organization_id, "old": TodoStatus.OPEN, "new": TodoStatus.DONE, "note": note},
            )
    return closed
