"""Reads of selections, cut to the scope: `access_campaign` for one campaign, `campaign_list` for the staff list,
the nominations of a campaign the user sees, the public notice (only the approved, names masked), the worker's own
honours and the campaigns open to them."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from sanxin.core.listing import parse_id
from sanxin.core.scope import access, region_ancestor_codes, scoped
from sanxin.core.text import half_width
from sanxin.selections.models import (
    Campaign,
    CampaignStatus,
    Honour,
    Nomination,
    NominationStatus,
    Objection,
    ObjectionStatus,
)
from sanxin.selections.workflow import may_manage

VIEW = "selections.view"
NOMINATE = "selections.nominate"


def campaign_list(*, user, q: str = "", status: str = "", kind: str = ""):
    if not user.can(VIEW):
        return Campaign.objects.none()
    rows = scoped(Campaign.objects.select_related("region", "unit"), user)
    # Counted over the nominations the user sees (a community: those of its own area), as subqueries.
    seen = scoped(Nomination.objects.all(), user).filter(campaign=OuterRef("pk")).order_by().values("campaign")
    counted = seen.annotate(n=Count("pk")).values("n")
    approved = seen.filter(status=NominationStatus.APPROVED).annotate(n=Count("pk")).values("n")
    rows = rows.annotate(
        nomination_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
        approved=Coalesce(Subquery(approved, output_field=IntegerField()), Value(0)),
    )
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(honour_title__icontains=q))
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    return rows


def access_campaign(pk, *, user, for_write: bool = False) -> Campaign:
    """A campaign the user sees (its region, above it or inside it), else 404; for writing (review, award) only the
    organiser and the units above."""
    if not user.can(VIEW):
        raise Http404
    campaign = access(Campaign.objects.select_related("region", "unit"), parse_id(pk) or 0, user)
    if for_write and not may_manage(user, campaign):
        raise Http404
    return campaign


def nominations_of(campaign: Campaign, *, user):
    """The nominations of a campaign the user sees: the organiser all, a street or community those of its area."""
    rows = scoped(Nomination.objects.select_related("worker", "region", "nominating_unit", "campaign"), user)
    return rows.filter(campaign=campaign).annotate(
        pending_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.PENDING))
    )


def nomination_list(*, user, campaign: str = ""):
    if not user.can(VIEW):
        return Nomination.objects.none()
    rows = scoped(Nomination.objects.select_related("worker", "region", "nominating_unit", "campaign"), user)
    if campaign:
        rows = rows.filter(campaign_id=parse_id(campaign) or 0)
    return rows


def access_nomination(pk, *, user, for_write: bool = False) -> Nomination:
    if not user.can(VIEW):
        raise Http404
    nomination = access(Nomination.objects.select_related("campaign", "campaign__unit", "worker"), parse_id(pk) or 0, user)
    if for_write and not may_manage(user, nomination.campaign):
        raise Http404
    return nomination


def objections_of(campaign: Campaign, *, user):
    """The objections to the nominations of the campaign the user sees."""
    seen = nominations_of(campaign, user=user).values("pk")
    return Objection.objects.select_related("nomination", "nomination__worker", "raised_by").filter(nomination__in=seen)


def access_objection(pk, *, user) -> Objection:
    objection = Objection.objects.select_related("nomination", "nomination__campaign").filter(pk=parse_id(pk) or 0).first()
    if objection is None:
        raise Http404
    access_nomination(objection.nomination_id, user=user, for_write=True)
    return objection


# The public notice (公示): anyone may read it; only the approved nominations of a campaign in publicity or awarded.

NOTICE_STATES = (CampaignStatus.PUBLICITY, CampaignStatus.AWARDED)


def notice_campaign(pk) -> Campaign:
    campaign = Campaign.objects.select_related("unit", "region").filter(pk=parse_id(pk) or 0, status__in=NOTICE_STATES).first()
    if campaign is None:
        raise Http404
    return campaign


def notice_name(name: str) -> str:
    """A name as the public notice shows it: 赵快跑 → 赵*跑, 李明 → 李*, the middle hidden."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def notice_rows(campaign: Campaign) -> list[dict]:
    rows = campaign.nominations.filter(status=NominationStatus.APPROVED).select_related("worker", "region").order_by("pk")
    return [
        {
            "id": n.pk,
            "name": notice_name(n.worker.name),
            "occupation": n.worker.get_occupation_display(),
            "platform": n.platform_name,
            "region": n.region.name,
            "deeds": n.deeds,
        }
        for n in rows
    ]


def notice_list():
    return Campaign.objects.select_related("unit").filter(status__in=NOTICE_STATES).order_by("-published_at", "-pk")


# The worker's side.


def my_honours(worker):
    return Honour.objects.select_related("campaign", "campaign__unit").filter(worker=worker, revoked_at__isnull=True)


def access_my_honour(pk, *, worker) -> Honour:
    found = my_honours(worker).filter(pk=parse_id(pk) or 0).first()
    if found is None:
        raise Http404
    return found


def open_for(worker, today=None):
    """The campaigns taking nominations now for the worker's occupation, whose region holds the worker's area."""
    today = today or timezone.localdate()
    regions = [worker.region_id, *region_ancestor_codes(worker.region_id)]
    return Campaign.objects.select_related("unit").filter(
        status=CampaignStatus.NOMINATING,
        occupation=worker.occupation,
        region_id__in=regions,
        nominate_from__lte=today,
        nominate_until__gte=today,
    )


def my_nominations(worker):
    return Nomination.objects.select_related("campaign").filter(worker=worker)


def worker_card(worker) -> dict | None:
    """The worker's home: their latest honour, else a campaign open for nomination in their area."""
    honour = my_honours(worker).first()
    if honour is not None:
        return {"template": "selections/w_home_card.html", "honour": honour, "campaign": None}
    campaign = open_for(worker).exclude(nominations__worker=worker).first()
    if campaign is not None:
        return {"template": "selections/w_home_card.html", "honour": None, "campaign": campaign}
    return None


def worker_record_section(worker) -> dict | None:
    """The staff worker record: the worker's honours (revoked ones marked)."""
    honours = list(Honour.objects.select_related("campaign").filter(worker=worker))
    return {"template": "selections/_worker_record.html", "honours": honours}


def worker_data(worker) -> list[tuple[str, str]]:
    rows = []
    for h in Honour.objects.select_related("campaign").filter(worker=worker):
        state = f"（已撤销：{h.revoke_reason}）" if h.revoked_at else ""
        rows.append(("荣誉", f"{h.title}，{h.campaign.unit.name if h.campaign.unit_id else ''}，{h.awarded_on:%Y-%m-%d}{state}"))
    for n in my_nominations(worker):
        rows.append(("评选推荐", f"{n.campaign.title}：{n.get_status_display()}；事迹：{n.deeds}"))
    return rows


def region_code(text: str) -> str:
    code = half_width(text or "").strip()
    return code if code.isascii() and code.isdigit() else ""


def staff_card(user) -> dict | None:
    """The home card (SanxinApp.staff_cards): the campaigns in scope still running, with what waits in each
    (nominations to review, objections to handle)."""
    if not user.can("selections.view"):
        return None
    running = campaign_list(user=user).exclude(status__in=(CampaignStatus.AWARDED, CampaignStatus.CANCELLED))
    rows = []
    for campaign in running.order_by("pk")[:5]:
        pending = nominations_of(campaign, user=user).filter(status=NominationStatus.PENDING).count()
        objections = objections_of(campaign, user=user).filter(status=ObjectionStatus.PENDING).count()
        rows.append({"campaign": campaign, "pending": pending, "objections": objections})
    return {"template": "selections/staff_card.html", "rows": rows} if rows else None
