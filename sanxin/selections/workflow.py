"""The states of a selection campaign and of a nomination, and their transition tables (run by
sanxin.core.workflow.transition: capability, row lock, state, these guards, timeline, audit).

    campaign:   draft → nominating → reviewing → publicity (公示, N working days) → awarded
                draft / nominating / reviewing / publicity → cancelled (with a reason)
    nomination: pending → approved / rejected (with a reason); approved → rejected while reviewing;
                approved → withdrawn (an objection upheld during the publicity)
"""

from __future__ import annotations

from django.utils import timezone

from sanxin.core.scope import region_in_scope
from sanxin.core.workflow import Transition, Workflow
from sanxin.selections.models import Campaign, CampaignStatus, Nomination, NominationStatus, Objection, ObjectionStatus
from sanxin.workdays.calendar import add_workdays

MANAGE = "selections.manage"


def may_manage(user, campaign: Campaign) -> bool:
    """The organising unit and the units above it (the campaign's region lies inside theirs)."""
    return user is not None and user.can(MANAGE) and region_in_scope(user, campaign.region_id)


def _today(data):
    return timezone.localdate(data.get("now") or timezone.now())


# Guards: a Chinese reason to refuse, or None.


def _organiser(campaign: Campaign, *, actor, **data) -> str | None:
    if actor is not None and not may_manage(actor, campaign):
        return f"“{campaign.title}”由{campaign.unit.name}组织，本单位不能办理"
    return None


def approved_count(campaign: Campaign) -> int:
    return campaign.nominations.filter(status=NominationStatus.APPROVED).count()


def _none_pending(campaign: Campaign, *, actor, **data) -> str | None:
    pending = campaign.nominations.filter(status=NominationStatus.PENDING).count()
    if pending:
        return f"还有 {pending} 条推荐未审核，请审核后再公示"
    return None


def _approved_within_places(campaign: Campaign, *, actor, **data) -> str | None:
    count = approved_count(campaign)
    if count == 0:
        return "没有审核通过的推荐，不能公示"
    if count > campaign.places:
        return f"审核通过 {count} 人，超过名额 {campaign.places} 人，请调整后再公示"
    return None


def _period_over(campaign: Campaign, *, actor, **data) -> str | None:
    if campaign.publicity_until is None or _today(data) <= campaign.publicity_until:
        return f"公示期至 {campaign.publicity_until:%Y-%m-%d} 结束，公示期内不能表彰" if campaign.publicity_until else "尚未公示"
    return None


def _no_pending_objection(campaign: Campaign, *, actor, **data) -> str | None:
    pending = Objection.objects.filter(nomination__campaign=campaign, status=ObjectionStatus.PENDING).count()
    if pending:
        return f"还有 {pending} 条公示异议未处理，处理后才能表彰"
    return None


def _publicity(campaign: Campaign, *, actor, note, **data):
    today = _today(data)
    campaign.publicity_from = today
    campaign.publicity_until = add_workdays(today, campaign.publicity_days)


def _awarded(campaign: Campaign, *, actor, note, **data):
    campaign.awarded_on = _today(data)


CAMPAIGN_WORKFLOW = Workflow(
    model=Campaign,
    transitions=[
        Transition(
            "open",
            "开始推荐",
            frozenset({CampaignStatus.DRAFT}),
            CampaignStatus.NOMINATING,
            MANAGE,
            guards=(_organiser,),
            timestamp="opened_at",
        ),
        Transition(
            "review",
            "截止推荐，开始审核",
            frozenset({CampaignStatus.NOMINATING}),
            CampaignStatus.REVIEWING,
            MANAGE,
            guards=(_organiser,),
            timestamp="reviewing_at",
        ),
        Transition(
            "publish",
            "发布公示",
            frozenset({CampaignStatus.REVIEWING}),
            CampaignStatus.PUBLICITY,
            MANAGE,
            guards=(_organiser, _none_pending, _approved_within_places),
            timestamp="published_at",
            apply=_publicity,
        ),
        Transition(
            "award",
            "表彰",
            frozenset({CampaignStatus.PUBLICITY}),
            CampaignStatus.AWARDED,
            MANAGE,
            guards=(_organiser, _period_over, _no_pending_objection, _approved_within_places),
            apply=_awarded,
        ),
        Transition(
            "cancel",
            "取消评选",
            frozenset({CampaignStatus.DRAFT, CampaignStatus.NOMINATING, CampaignStatus.REVIEWING, CampaignStatus.PUBLICITY}),
            CampaignStatus.CANCELLED,
            MANAGE,
            guards=(_organiser,),
            timestamp="cancelled_at",
            note_required="请填写取消原因",
        ),
    ],
)
CAMPAIGN_ACTIONS = ("open", "review", "publish", "award", "cancel")


def _reviewer(nomination: Nomination, *, actor, **data) -> str | None:
    return _organiser(nomination.campaign, actor=actor)


def _campaign_reviewing(nomination: Nomination, *, actor, **data) -> str | None:
    status = nomination.campaign.status
    if status != CampaignStatus.REVIEWING:
        return f"评选当前为“{nomination.campaign.get_status_display()}”，只能在审核阶段审核推荐"
    return None


def _campaign_in_publicity(nomination: Nomination, *, actor, **data) -> str | None:
    if nomination.campaign.status != CampaignStatus.PUBLICITY:
        return "只有公示中的评选可以因异议撤销推荐"
    return None


def _place_left(nomination: Nomination, *, actor, **data) -> str | None:
    campaign = nomination.campaign
    count = approved_count(campaign)
    if count >= campaign.places:
        return f"已审核通过 {count} 人，名额 {campaign.places} 人已满，不能再通过"
    return None


NOMINATION_WORKFLOW = Workflow(
    model=Nomination,
    transitions=[
        Transition(
            "approve",
            "审核通过",
            frozenset({NominationStatus.PENDING}),
            NominationStatus.APPROVED,
            MANAGE,
            guards=(_reviewer, _campaign_reviewing, _place_left),
            timestamp="reviewed_at",
        ),
        Transition(
            "reject",
            "不予通过",
            frozenset({NominationStatus.PENDING, NominationStatus.APPROVED}),
            NominationStatus.REJECTED,
            MANAGE,
            guards=(_reviewer, _campaign_reviewing),
            timestamp="reviewed_at",
            note_required="请填写不予通过的理由",
            apply=lambda n, *, actor, note, **data: setattr(n, "review_note", note[:500]),
        ),
        Transition(
            "withdraw",
            "异议成立，撤销推荐",
            frozenset({NominationStatus.APPROVED}),
            NominationStatus.WITHDRAWN,
            MANAGE,
            guards=(_reviewer, _campaign_in_publicity),
            note_required="请填写撤销理由",
            apply=lambda n, *, actor, note, **data: setattr(n, "review_note", note[:500]),
        ),
    ],
)
