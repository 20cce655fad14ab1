"""Reads of census campaigns and to-dos, cut to the viewer's scope."""

from functools import reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.query import ModelIterable

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


class CampaignQuerySet(QuerySet):
    """Campaigns that bring the viewer's progress along when fetched: two queries for a page, not two a row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._progress_viewer = None

    def _clone(self):
        clone = super()._clone()
        clone._progress_viewer = self._progress_viewer
        return clone

    def with_progress(self, user):
        clone = self._chain()
        clone._progress_viewer = user
        return clone

    def _fetch_all(self):
        fetched = self._result_cache is None
        super()._fetch_all()
        if fetched and self._progress_viewer is not None and self._iterable_class is ModelIterable:
            attach_progress(self._result_cache, user=self._progress_viewer)


def campaign_list(*, user):
    campaigns = CampaignQuerySet(CensusCampaign).select_related("region", "industry", "created_by_unit")
    return scoped(campaigns, user).with_progress(user)


def _organizations_of(campaign: CensusCampaign, prefix: str = "") -> Q:
    """The condition on an organization (reached through `prefix`) of being one of the campaign's, active or not."""
    condition = Q(**{f"{prefix}region__code__under": campaign.region_id})
    if campaign.industry_id:
        condition &= Q(**{f"{prefix}industry_id": campaign.industry_id})
    return condition


def campaign_organizations(campaign: CensusCampaign):
    return Organization.objects.filter(_organizations_of(campaign), registration_status="active")


def campaign_organizations_seen(campaign: CensusCampaign, *, user):
    """The campaign's organizations this user may see, each marked `censused`."""
    done = CensusRecord.objects.filter(campaign=campaign, organization=OuterRef("pk"))
    return scoped(campaign_organizations(campaign).select_related("region", "industry"), user).annotate(censused=Exists(done))


def campaign_progress(campaign: CensusCampaign, *, user) -> dict:
    """Share of the campaign's organizations censused, counting only those inside the user's scope
    (an industry committee sees the progress of its industry). A campaign of `campaign_list` has it already."""
    attached = getattr(campaign, "_progress", None)
    if attached is not None and attached[0] == user.pk:
        return attached[1]
    return campaigns_progress([campaign], user=user)[campaign.pk]


PROGRESS_CHUNK = 50  # campaigns counted in one query (one FILTER clause each)


def campaigns_progress(campaigns, *, user) -> dict[int, dict]:
    """`campaign_progress` of many campaigns: two queries for every PROGRESS_CHUNK of them."""
    campaigns = list(campaigns)
    progress = {}
    for start in range(0, len(campaigns), PROGRESS_CHUNK):
        chunk = campaigns[start : start + PROGRESS_CHUNK]
        seen = scoped(Organization.objects.filter(registration_status="active"), user)
        in_any = reduce(or_, (_organizations_of(c) for c in chunk))
        totals = seen.filter(in_any).aggregate(**{f"c{c.pk}": Count("pk", filter=_organizations_of(c)) for c in chunk})
        records = CensusRecord.objects.filter(organization__in=seen).filter(
            reduce(or_, (Q(campaign_id=c.pk) & _organizations_of(c, "organization__") for c in chunk))
        )
        done = dict(records.order_by().values_list("campaign_id").annotate(n=Count("pk")))
        for c in chunk:
            total, finished = totals[f"c{c.pk}"] or 0, done.get(c.pk, 0)
            progress[c.pk] = {"total": total, "done": finished, "rate": (finished / total) if total else None}
    return progress


def attach_progress(campaigns, *, user) -> None:
    """Each campaign carries the user's progress, which `campaign_progress` then answers without a query."""
    progress = campaigns_progress(campaigns, user=user)
    for campaign in campaigns:
        campaign._progress = (user.pk, progress[campaign.pk])


def todo_list(*, user, status: str = TodoStatus.OPEN):
    """To-dos in scope; `status` open (the default), done, or empty for all."""
    todos = scoped(Todo.objects.select_related("organization", "organization__region"), user)
    return todos.filter(status=status) if status else todos
