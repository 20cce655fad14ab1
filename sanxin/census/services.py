"""Census campaigns (摸排): a record of seven items per organization; finding the 单建条件 met raises a to-do."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanxin.census.models import CENSUS_ITEMS, CampaignStatus, CensusCampaign, CensusRecord, Todo, TodoKind, TodoStatus
from sanxin.census.selectors import campaign_organizations
from sanxin.census.workflow import CAMPAIGN, TODO
from sanxin.core.audit import audit_record
from sanxin.core.events import publish
from sanxin.core.guards import require
from sanxin.core.scope import region_in_scope, scoped, user_scope
from sanxin.core.workflow import transition
from sanxin.orgs.models import SINGLE_ESTABLISH_MIN_MEMBERS, Organization
from sanxin.orgs.writes import organizations_save
from sanxin.party.models import EstablishmentForm, PartyOrganization, PartyOrgStatus

TODO_DAYS = 30


@transaction.atomic
def census_campaign_create(*, actor, name: str, region, starts_on: date, ends_on: date, industry=None) -> CensusCampaign:
    require(actor, "census.manage")
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
        status=CampaignStatus.DRAFT,
    )
    audit_record(actor=actor, action="census_campaign_create", obj=campaign, detail={"region": region.code, "until": str(ends_on)})
    return campaign


def _campaign_in_scope(actor, campaign: CensusCampaign) -> None:
    """Starting, closing or cancelling a campaign is for the units whose own territory it covers."""
    if (
        not scoped(CensusCampaign.objects.filter(pk=campaign.pk), actor, own_place_only=True)
        .filter(region__code__under=user_scope(actor).region_prefix or "")
        .exists()
    ):
        raise ValidationError("只有发起单位及其上级可以开始、结束或撤销该摸排行动")


def campaign_start(*, actor, campaign: CensusCampaign) -> CensusCampaign:
    """Draft → running: the staff of the area are told (message centre)."""
    require(actor, "census.manage")
    _campaign_in_scope(actor, campaign)
    return transition(CAMPAIGN, campaign, "start", actor=actor, action="campaign_start")


def campaign_close(*, actor, campaign: CensusCampaign, note: str = "") -> CensusCampaign:
    require(actor, "census.manage")
    _campaign_in_scope(actor, campaign)
    return transition(CAMPAIGN, campaign, "close", actor=actor, action="campaign_close", note=note)


def campaign_cancel(*, actor, campaign: CensusCampaign, note: str) -> CensusCampaign:
    require(actor, "census.manage")
    _campaign_in_scope(actor, campaign)
    return transition(CAMPAIGN, campaign, "cancel", actor=actor, action="campaign_cancel", note=note)


def campaigns_expire(*, today: date | None = None) -> int:
    """The daily job: running campaigns past their end date are closed by the system; returns how many."""
    today = today or timezone.localdate()
    expired = CensusCampaign.objects.filter(status=CampaignStatus.ACTIVE, ends_on__lt=today)
    for campaign in expired:
        note = f"截止日期 {campaign.ends_on:%Y-%m-%d} 已过"
        transition(CAMPAIGN, campaign, "expire", actor=None, action="campaigns_expire", note=note, today=today)
    return len(expired)


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
    require(actor, "census.manage")
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
    # The registry takes the counts found, through its one write path.
    organization.employees, organization.formal_members, organization.probationary_members = employees, formal_members, probationary_members
    organizations_save(created=[], updated=[organization], fields=["employees", "formal_members", "probationary_members"])
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


def todo_close(*, actor, todo: Todo, note: str) -> Todo:
    """Closes a to-do (办结) with a note saying what was done."""
    require(actor, "census.manage")
    if not scoped(Todo.objects.filter(pk=todo.pk), actor, own_place_only=True).exists():
        raise ValidationError({"todo": "该待办不在您的管辖范围内"})
    return transition(TODO, todo, "close", actor=actor, action="todo_close", note=note)


def todos_close_fulfilled(ids: Iterable[int] | None = None) -> int:
    """Close the open 应组建 to-dos of these organizations (all when None) that now have their own Party
    organization, with a note naming it; returns how many were closed. Subscribed to "coverage.recomputed":
    whoever established it and however (form, import, a founding date reached), the to-do follows."""
    todos = Todo.objects.filter(kind=TodoKind.ESTABLISH_PARTY_ORG, status=TodoStatus.OPEN, organization__has_own_party_org=True)
    if ids is not None:
        todos = todos.filter(organization_id__in=list(ids))
    closed = 0
    for todo in todos.select_related("organization", "census_record__censused_by"):
        own = (
            PartyOrganization.objects.filter(
                covered_organizations=todo.organization_id, establishment_form=EstablishmentForm.STANDALONE, status=PartyOrgStatus.ACTIVE
            )
            .order_by("founded_on", "pk")
            .first()
        )
        founded = f"（成立于 {own.founded_on:%Y-%m-%d}）" if own and own.founded_on else ""
        note = f"已单独组建党组织“{own.name if own else '本单位党组织'}”{founded}，系统自动办结"
        transition(TODO, todo, "fulfil", actor=None, action="todos_close_fulfilled", note=note)
        closed += 1
    return closed
