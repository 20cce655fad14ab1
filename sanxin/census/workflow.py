"""The states of census campaigns and to-dos, run by sanxin.core.workflow."""

from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.census.models import CampaignStatus, CensusCampaign, Todo, TodoStatus
from sanxin.core.notifications import Message
from sanxin.core.roles import STAFF_ROLES
from sanxin.core.workflow import Transition, Workflow


def _not_past_its_end(campaign: CensusCampaign, **_) -> str | None:
    if campaign.ends_on < timezone.localdate():
        return f"截止日期（{campaign.ends_on:%Y-%m-%d}）已过，不能开始；请修改期间后再开始"
    return None


def _past_its_end(campaign: CensusCampaign, *, today=None, **_) -> str | None:
    return None if campaign.ends_on < (today or timezone.localdate()) else "行动尚未到截止日期"


def _staff_of_the_area(campaign: CensusCampaign, **_):
    """The staff of every unit inside the campaign's region: they take part in it."""
    staff = User.objects.filter(is_active=True, unit__is_active=True, unit__region__code__under=campaign.region_id)
    recipients = staff.filter(roles__role__in=STAFF_ROLES).distinct()
    message = Message(
        title=f"新的摸排行动：{campaign.name}",
        body=f"请在 {campaign.ends_on:%Y-%m-%d} 前完成本辖区内两新组织的“七个清”摸排。",
        link=f"/census/{campaign.pk}/",
    )
    return recipients, message


CAMPAIGN = Workflow(
    CensusCampaign,
    [
        Transition(
            "start",
            "开始摸排",
            frozenset({CampaignStatus.DRAFT}),
            CampaignStatus.ACTIVE,
            "census.manage",
            guards=(_not_past_its_end,),
            timestamp="started_at",
            notify=_staff_of_the_area,
        ),
        Transition("close", "结束行动", frozenset({CampaignStatus.ACTIVE}), CampaignStatus.CLOSED, "census.manage", timestamp="closed_at"),
        Transition(
            "cancel",
            "撤销行动",
            frozenset({CampaignStatus.DRAFT}),
            CampaignStatus.CLOSED,
            "census.manage",
            timestamp="closed_at",
            note_required="撤销行动时请填写原因",
        ),
        # The daily job ends a running campaign the day after its end date.
        Transition(
            "expire",
            "到期自动结束",
            frozenset({CampaignStatus.ACTIVE}),
            CampaignStatus.CLOSED,
            None,
            guards=(_past_its_end,),
            timestamp="closed_at",
        ),
    ],
)


def _has_own_party_org(todo: Todo, **_) -> str | None:
    return None if todo.organization.has_own_party_org else "该组织尚未单独组建党组织"


def _closed_by(todo: Todo, *, actor, note, **_) -> None:
    todo.closed_by, todo.close_note = actor, note


def _tell_who_raised_it(todo: Todo, *, actor):
    record = todo.census_record
    if actor is not None or record is None or record.censused_by is None:
        return None
    return [record.censused_by], Message(
        title=f"待办已自动办结：{todo.organization.name}",
        body=todo.close_note,
        link=f"/todos/{todo.pk}/",
    )


TODO = Workflow(
    Todo,
    [
        Transition(
            "close",
            "办结",
            frozenset({TodoStatus.OPEN}),
            TodoStatus.DONE,
            "census.manage",
            timestamp="closed_on",
            note_required="请填写办结说明",
            apply=_closed_by,
        ),
        # Closed by the data itself once the organization has a Party organization of its own.
        Transition(
            "fulfil",
            "自动办结",
            frozenset({TodoStatus.OPEN}),
            TodoStatus.DONE,
            None,
            guards=(_has_own_party_org,),
            timestamp="closed_on",
            apply=_closed_by,
            notify=_tell_who_raised_it,
        ),
    ],
)
