"""Reads of census campaigns and to-dos, cut to the viewer's scope."""

from django.db.models import Exists, OuterRef

from sanxin.census.models import CensusCampaign, CensusRecord, Todo, TodoStatus
from sanxin.core.scope import access, scoped
from sanxin.orgs.models import Organization


def access_campaign(pk, *, user, for_write=False) -> CensusCampaign:
    return access(
        CensusCampaign.objects.select_related("region", "industry", "created_by_unit"),
        pk,
        user,
        capability="census.manage" if for_write else "census.view",
    )


def access_todo(pk, *, user, for_write=False) -> Todo:
    return access(
        Todo.objects.select_related("organization", "organization__region"),
        pk,
        user,
        capability="census.manage" if for_write else "census.view",
    )


def access_campaign_organization(pk, *, user, for_write=False) -> Organization:
    """An organization of the user's scope, to read (census.view) or record (census.manage) its census in a campaign;
    whether it is one of the campaign's organizations the recording service decides."""
    return access(Organization.objects.all(), pk, user, capability="census.manage" if for_write else "census.view")


def census_record_of(campaign: CensusCampaign, organization: Organization) -> CensusRecord | None:
    return CensusRecord.objects.filter(campaign=campaign, organization=organization).select_related("censused_by").first()


def campaign_list(*, user):
    return scoped(CensusCampaign.objects.select_related("region", "industry", "created_by_unit"), user)


def campaign_organizations(campaign: CensusCampaign):
    orgs = Organization.objects.filter(region__code__under=campaign.region_id, registration_status="active")
    if campaign.industry_id:
        orgs = orgs.filter(industry_id=campaign.industry_id)
    return orgs


def campaign_organizations_seen(campaign: CensusCampaign, *, user):
    """The campaign's organizations this user may see, each marked `censused`."""
    done = CensusRecord.objects.filter(campaign=campaign, organization=OuterRef("pk"))
    return scoped(campaign_organizations(campaign).select_related("region", "industry"), user).annotate(censused=Exists(done))


def campaign_progress(campaign: CensusCampaign, *, user) -> dict:
    """Share of the campaign's organizations censused, counting only those inside the user's scope
    (an industry committee sees the progress of its industry)."""
    orgs = scoped(campaign_organizations(campaign), user)
    total = orgs.count()
    done = campaign.records.filter(organization__in=orgs).count()
    return {"total": total, "done": done, "rate": (done / total) if total else None}


def todo_list(*, user, status: str = TodoStatus.OPEN):
    """To-dos in scope; `status` open (the default), done, or empty for all."""
    todos = scoped(Todo.objects.select_related("organization", "organization__region"), user)
    return todos.filter(status=status) if status else todos
