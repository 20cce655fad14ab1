"""Staff pages (/selections/: campaigns, a campaign with its nominations, review, objections and award, exports),
the public notice (/notice/selections/<id>/: the approved, names masked; objections by anyone logged in) and the
worker's phone page (/w/honours/: my honours, campaigns open to me, 自荐)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page, parse_id
from sanxin.core.scope import scoped
from sanxin.core.views_helpers import capability_required, posted, save_form
from sanxin.core.workflow import timeline
from sanxin.selections import selectors, services
from sanxin.selections.forms import CampaignForm, NominationForm
from sanxin.selections.models import (
    DEEDS_MAX,
    NOTE_MAX,
    CampaignKind,
    CampaignStatus,
    Honour,
    Nomination,
    NominationStatus,
    ObjectionStatus,
)
from sanxin.selections.workflow import CAMPAIGN_ACTIONS, CAMPAIGN_WORKFLOW, approved_count, may_manage
from sanxin.workers.decorators import worker_required
from sanxin.workers.models import Worker

SORTS = {"from": "nominate_from", "title": "title", "status": "status"}


def _rows(request):
    return selectors.campaign_list(
        user=request.user, q=request.GET.get("q", ""), status=request.GET.get("status", ""), kind=request.GET.get("kind", "")
    )


@capability_required("selections.view")
def campaign_list(request):
    listing = list_page(request, _rows(request), sortable=SORTS, default_sort="-from")
    context = {"listing": listing, "statuses": CampaignStatus.choices, "kinds": CampaignKind.choices}
    return render(request, "selections/list.html", context)


CAMPAIGN_COLUMNS = [
    Column("评选名称", lambda c: c.title, 24),
    Column("面向职业", lambda c: c.get_occupation_display(), 12),
    Column("评选范围", lambda c: c.region.full_name, 24),
    Column("组织单位", lambda c: c.unit.name, 24),
    Column("名额", lambda c: c.places, 8),
    Column("推荐开始", lambda c: c.nominate_from, 12),
    Column("推荐截止", lambda c: c.nominate_until, 12),
    Column("公示截止", lambda c: c.publicity_until, 12),
    Column("表彰积分", lambda c: c.award_points, 10),
    Column("荣誉称号", lambda c: c.honour_title, 20),
    Column("推荐人数", lambda c: c.nomination_count, 10),
    Column("审核通过", lambda c: c.approved, 10),
    Column("状态", lambda c: c.get_status_display(), 10),
]


@capability_required("selections.view")
def campaign_export(request):
    rows = _rows(request).order_by("-nominate_from", "-pk")
    return export_list(request, title="最美评选", columns=CAMPAIGN_COLUMNS, rows=rows, action="campaign")


NOMINATION_COLUMNS = [
    Column("评选", lambda n: n.campaign.title, 24),
    Column("被推荐人", lambda n: n.worker.name, 12),
    Column("职业", lambda n: n.worker.get_occupation_display(), 12),
    Column("所属平台", lambda n: n.platform_name, 16),
    Column("工作区域", lambda n: n.region.full_name, 30),
    Column("推荐方式", lambda n: n.get_nominator_kind_display(), 10),
    Column("推荐单位", lambda n: n.nominating_unit.name if n.nominating_unit_id else "", 24),
    Column("主要事迹", lambda n: n.deeds, 60),
    Column("审核状态", lambda n: n.get_status_display(), 12),
    Column("审核意见", lambda n: n.review_note, 30),
]


@capability_required("selections.view")
def nomination_export(request):
    rows = selectors.nomination_list(user=request.user, campaign=request.GET.get("campaign", "")).order_by("campaign_id", "pk")
    return export_list(request, title="评选推荐", columns=NOMINATION_COLUMNS, rows=rows.iterator(chunk_size=2000), action="nomination")


@capability_required("selections.view")
def campaign_detail(request, pk):
    campaign = selectors.access_campaign(pk, user=request.user)
    manage = may_manage(request.user, campaign)
    nominations = list(selectors.nominations_of(campaign, user=request.user))
    honours = {h.nomination_id: h for h in Honour.objects.filter(campaign=campaign)}
    actions = [t.name for t in CAMPAIGN_WORKFLOW.available(campaign, request.user) if t.name in CAMPAIGN_ACTIONS] if manage else []
    today = timezone.localdate()
    context = {
        "c": campaign,
        "manage": manage,
        "nominations": nominations,
        "honours": honours,
        "approved": approved_count(campaign),
        "actions": actions,
        "labels": {t.name: t.label for t in CAMPAIGN_WORKFLOW.transitions},
        "objections": list(selectors.objections_of(campaign, user=request.user)),
        "events": timeline(campaign),
        "can_nominate": request.user.can("selections.nominate")
        and campaign.status == CampaignStatus.NOMINATING
        and campaign.nominate_from <= today <= campaign.nominate_until,
        "in_notice": campaign.status in selectors.NOTICE_STATES,
    }
    return render(request, "selections/detail.html", context)


@capability_required("selections.manage")
def campaign_create(request):
    form = CampaignForm(posted(request), initial={"region": request.user.unit.region_id if request.user.unit_id else ""})
    campaign = save_form(request, form, lambda fields: services.campaign_create(actor=request.user, **fields))
    if campaign is not None:
        messages.success(request, f"已创建评选“{campaign.title}”（草稿），确认后点“开始推荐”")
        return redirect("selections:detail", pk=campaign.pk)
    return render(request, "selections/new.html", {"form": form})


def _error(request, error: ValidationError) -> None:
    messages.error(request, "；".join(error.messages))


@require_POST
@capability_required("selections.manage")
def campaign_act(request, pk, action):
    if action not in CAMPAIGN_ACTIONS:
        raise Http404
    campaign = selectors.access_campaign(pk, user=request.user, for_write=True)
    user = request.user
    try:
        if action == "open":
            services.campaign_open(actor=user, campaign=campaign)
        elif action == "review":
            services.campaign_review(actor=user, campaign=campaign)
        elif action == "publish":
            services.campaign_publish(actor=user, campaign=campaign)
        elif action == "award":
            services.campaign_award(actor=user, campaign=campaign)
        else:
            services.campaign_cancel(actor=user, campaign=campaign, reason=request.POST.get("note", "")[: NOTE_MAX + 1])
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, f"“{campaign.title}”：已{CAMPAIGN_WORKFLOW.by_name[action].label}")
    return redirect("selections:detail", pk=campaign.pk)


def eligible_workers(campaign, user):
    """The workers of the user's area the campaign is for and not nominated yet."""
    rows = scoped(Worker.objects.select_related("region"), user).filter(
        occupation=campaign.occupation, region__code__under=campaign.region_id
    )
    return rows.exclude(nominations__campaign=campaign).order_by("region_id", "name")[:500]


@capability_required("selections.nominate")
def campaign_nominate(request, pk):
    campaign = selectors.access_campaign(pk, user=request.user)
    form = NominationForm(posted(request), workers=eligible_workers(campaign, request.user))

    def save(fields):
        worker = scoped(Worker.objects.all(), request.user).filter(pk=parse_id(fields["worker"]) or 0).first()
        if worker is None:
            raise ValidationError({"worker": "该从业人员不在本单位管辖范围内，不能推荐"})
        return services.nomination_create(actor=request.user, campaign=campaign, worker=worker, deeds=fields["deeds"])

    nomination = save_form(request, form, save)
    if nomination is not None:
        messages.success(request, f"已推荐{nomination.worker.name}参加“{campaign.title}”")
        return redirect("selections:detail", pk=campaign.pk)
    return render(request, "selections/nominate.html", {"form": form, "c": campaign}, status=400 if request.method == "POST" else 200)


@require_POST
@capability_required("selections.manage")
def nomination_act(request, pk, action):
    if action not in ("approve", "reject"):
        raise Http404
    nomination = selectors.access_nomination(pk, user=request.user, for_write=True)
    try:
        if action == "approve":
            services.nomination_approve(actor=request.user, nomination=nomination)
        else:
            services.nomination_reject(actor=request.user, nomination=nomination, reason=request.POST.get("note", "")[: NOTE_MAX + 1])
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, f"{nomination.worker.name}：{'审核通过' if action == 'approve' else '不予通过'}")
    return redirect("selections:detail", pk=nomination.campaign_id)


@require_POST
@capability_required("selections.manage")
def objection_act(request, pk, decision):
    if decision not in ("upheld", "dismissed"):
        raise Http404
    objection = selectors.access_objection(pk, user=request.user)
    try:
        services.objection_handle(
            actor=request.user, objection=objection, upheld=decision == "upheld", note=request.POST.get("note", "")[: NOTE_MAX + 1]
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, "异议成立，已撤销该推荐" if decision == "upheld" else "已处理：异议不成立")
    return redirect("selections:detail", pk=objection.nomination.campaign_id)


@require_POST
@capability_required("selections.manage")
def honour_revoke(request, pk):
    honour = Honour.objects.select_related("nomination").filter(pk=parse_id(pk) or 0).first()
    if honour is None:
        raise Http404
    selectors.access_nomination(honour.nomination_id, user=request.user, for_write=True)
    try:
        services.honour_revoke(actor=request.user, honour=honour, reason=request.POST.get("note", "")[: NOTE_MAX + 1])
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, "已撤销荣誉，表彰积分已退回")
    return redirect("selections:detail", pk=honour.campaign_id)


# The public notice.


def notice_index(request):
    return render(request, "selections/notice_index.html", {"campaigns": selectors.notice_list()[:100]})


def notice(request, pk):
    campaign = selectors.notice_campaign(pk)
    today = timezone.localdate()
    open_for_objection = (
        campaign.status == CampaignStatus.PUBLICITY and campaign.publicity_until is not None and today <= campaign.publicity_until
    )
    context = {"c": campaign, "rows": selectors.notice_rows(campaign), "open_for_objection": open_for_objection}
    return render(request, "selections/notice.html", context)


@require_POST
def notice_object(request, pk, nomination_pk):
    if not request.user.is_authenticated:
        return redirect_to_login(f"/notice/selections/{parse_id(pk) or 0}/")
    campaign = selectors.notice_campaign(pk)
    nomination = Nomination.objects.filter(pk=nomination_pk, campaign=campaign, status=NominationStatus.APPROVED).first()
    if nomination is None:
        raise Http404
    try:
        services.objection_raise(actor=request.user, nomination=nomination, reason=request.POST.get("reason", "")[: NOTE_MAX + 1])
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, "异议已提交，组织单位将核实处理")
    return redirect("selections:notice", pk=campaign.pk)


# The worker's phone page.


@worker_required
def my_honours(request):
    worker = request.worker
    context = {
        "honours": list(selectors.my_honours(worker)),
        "open": list(selectors.open_for(worker).exclude(nominations__worker=worker)),
        "nominations": list(selectors.my_nominations(worker).order_by("-pk")[:20]),
        "deeds_max": DEEDS_MAX,
        "objection_pending": ObjectionStatus.PENDING,
    }
    return render(request, "selections/w_honours.html", context)


@require_POST
@worker_required
def my_nominate(request, pk):
    campaign = selectors.open_for(request.worker).filter(pk=pk).first()
    if campaign is None:
        messages.error(request, "该评选现在不接受您的推荐（不在推荐时间内，或不面向您的职业和工作区域）")
        return redirect("selections:my_honours")
    try:
        deeds = request.POST.get("deeds", "")[: DEEDS_MAX + 1]
        services.nomination_create(actor=request.user, campaign=campaign, worker=request.worker, deeds=deeds)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, f"已自荐参加“{campaign.title}”，请等待审核")
    return redirect("selections:my_honours")
