"""The stages of member development (发展党员), run by sanxin.core.workflow.

Each step takes the date it was decided on (`on`); the guards hold the Party's rules and refuse in Chinese:
a year as activist before becoming a candidate, two full members as introducers, a publicity period that has
ended before admission, a year of probation before full membership. The age rule (18 on the application date)
is checked when the application is registered (sanxin.members.services.development_create).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from sanxin.core.workflow import Transition, Workflow
from sanxin.members.models import Development, DevelopmentStage, Member, MemberStatus, Transfer, TransferState
from sanxin.members.selectors import manageable_party_orgs
from sanxin.workdays.calendar import workdays_between

# 公示 lasts at least 5 working days (start and end included), on the one working-day calendar.
PUBLICITY_MIN_DAYS = 5


def years_after(day: date, years: int = 1) -> date:
    """The same day `years` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _on_a_date(previous_field: str, previous_label: str):
    """The step's date is given, not in the future, and not before the previous stage's date."""

    def guard(development: Development, *, on=None, **_) -> str | None:
        if not isinstance(on, date):
            return "请填写日期"
        if on > timezone.localdate():
            return "日期不能晚于今天"
        previous = getattr(development, previous_field)
        if previous and on < previous:
            return f"日期不能早于{previous_label}（{previous:%Y-%m-%d}）"
        return None

    return guard


def _a_year_as_activist(development: Development, *, on=None, **_) -> str | None:
    earliest = years_after(development.activist_on)
    if isinstance(on, date) and on < earliest:
        return f"入党积极分子须经过一年以上培养教育（{development.activist_on:%Y-%m-%d} 确定），{earliest:%Y-%m-%d} 起方可列为发展对象"
    return None


def _two_full_introducers(development: Development, *, introducers=(), **_) -> str | None:
    introducers = [m for m in introducers if m is not None]
    if len(introducers) != 2:
        return "须有两名入党介绍人"
    first, second = introducers
    if first.pk == second.pk:
        return "两名入党介绍人不能是同一人"
    for member in introducers:
        if member.id_number_index == development.id_number_index:
            return "入党介绍人不能是发展对象本人"
        if member.status != MemberStatus.FULL:
            return f"入党介绍人须为正式党员，{member.name}是{member.get_status_display()}"
    return None


def _publicity_ended(development: Development, *, on=None, publicity_starts_on=None, publicity_ends_on=None, **_) -> str | None:
    if not isinstance(publicity_starts_on, date) or not isinstance(publicity_ends_on, date):
        return "接收预备党员前须经公示，请填写公示开始和结束日期"
    if publicity_starts_on < development.candidate_on:
        return f"公示应在列为发展对象（{development.candidate_on:%Y-%m-%d}）之后"
    if publicity_ends_on < publicity_starts_on:
        return "公示结束日期不能早于开始日期"
    days = workdays_between(publicity_starts_on, publicity_ends_on)
    if days < PUBLICITY_MIN_DAYS:
        return f"公示期不少于 {PUBLICITY_MIN_DAYS} 个工作日，填写的公示期内只有 {days} 个工作日（节假日不计）"
    if isinstance(on, date) and publicity_ends_on >= on:
        return f"公示期尚未结束（{publicity_ends_on:%Y-%m-%d} 结束），结束后方可接收为预备党员"
    return None


def _not_a_member_yet(development: Development, **_) -> str | None:
    if Member.objects.filter(id_number_index=development.id_number_index).exists():
        return "该身份证号码的人员已登记为党员，不能再接收为预备党员"
    return None


def _a_year_of_probation(development: Development, *, on=None, **_) -> str | None:
    earliest = years_after(development.admitted_on)
    if isinstance(on, date) and on < earliest:
        return f"预备期为一年（{development.admitted_on:%Y-%m-%d} 接收），{earliest:%Y-%m-%d} 起方可转为正式党员"
    return None


def _set(field: str):
    def apply(development: Development, *, on, **_) -> None:
        setattr(development, field, on)

    return apply


def _admit(development: Development, *, on, introducers, publicity_starts_on, publicity_ends_on, **_) -> None:
    development.admitted_on = on
    development.introducer_1, development.introducer_2 = introducers
    development.publicity_starts_on, development.publicity_ends_on = publicity_starts_on, publicity_ends_on


DEVELOPMENT = Workflow(
    Development,
    [
        Transition(
            "activist",
            "确定为入党积极分子",
            frozenset({DevelopmentStage.APPLICANT}),
            DevelopmentStage.ACTIVIST,
            "members.manage",
            guards=(_on_a_date("applied_on", "递交入党申请日期"),),
            apply=_set("activist_on"),
        ),
        Transition(
            "candidate",
            "列为发展对象",
            frozenset({DevelopmentStage.ACTIVIST}),
            DevelopmentStage.CANDIDATE,
            "members.manage",
            guards=(_on_a_date("activist_on", "确定为积极分子日期"), _a_year_as_activist),
            apply=_set("candidate_on"),
        ),
        Transition(
            "admit",
            "接收为预备党员",
            frozenset({DevelopmentStage.CANDIDATE}),
            DevelopmentStage.PROBATIONARY,
            "members.manage",
            guards=(_on_a_date("candidate_on", "列为发展对象日期"), _two_full_introducers, _publicity_ended, _not_a_member_yet),
            apply=_admit,
        ),
        Transition(
            "full",
            "转为正式党员",
            frozenset({DevelopmentStage.PROBATIONARY}),
            DevelopmentStage.FULL,
            "members.manage",
            guards=(_on_a_date("admitted_on", "接收为预备党员日期"), _a_year_of_probation),
            apply=_set("full_on"),
        ),
    ],
    state_field="stage",
)


# ------------------------------------------------------------------------------------------------------------
# Relation transfers (组织关系转接): the sending side initiates (sanxin.members.transfers.transfer_initiate) and may
# cancel while the receiving side has not answered; the receiving side accepts or returns it with a reason, and
# completes it when the member has reported with the letter (报到), as in practice only the receiving Party
# organization knows that; completion moves the member there (sanxin.members.transfers.transfer_complete).


def _receiving_side(transfer: Transfer, *, actor=None, **_) -> str | None:
    if actor is not None and not manageable_party_orgs(actor).filter(pk=transfer.to_organization_id).exists():
        return f"只有接收党组织（{transfer.to_organization.name}）方可办理此步骤"
    return None


def _sending_side(transfer: Transfer, *, actor=None, **_) -> str | None:
    if actor is not None and not manageable_party_orgs(actor).filter(pk=transfer.from_organization_id).exists():
        return f"只有转出党组织（{transfer.from_organization.name}）方可撤销转接"
    return None


def _member_still_there(transfer: Transfer, **_) -> str | None:
    if transfer.member.party_organization_id != transfer.from_organization_id:
        return f"党员“{transfer.member.name}”已不在转出党组织（{transfer.from_organization.name}），不能完成转接，请退回"
    return None


def _letter_still_valid(transfer: Transfer, **_) -> str | None:
    if timezone.localdate() > transfer.valid_until:
        return f"介绍信已过有效期（{transfer.valid_until:%Y-%m-%d} 止），不能确认报到；请退回后由转出党组织重新开具"
    return None


def _keep_reason(transfer: Transfer, *, note, **_) -> None:
    transfer.reject_reason = note


TRANSFER = Workflow(
    Transfer,
    [
        Transition(
            "accept",
            "同意接收",
            frozenset({TransferState.INITIATED}),
            TransferState.ACCEPTED,
            "members.manage",
            guards=(_receiving_side,),
            timestamp="accepted_on",
        ),
        Transition(
            "reject",
            "退回",
            frozenset({TransferState.INITIATED, TransferState.ACCEPTED}),
            TransferState.REJECTED,
            "members.manage",
            guards=(_receiving_side,),
            timestamp="rejected_on",
            note_required="请填写退回原因",
            apply=_keep_reason,
        ),
        Transition(
            "complete",
            "确认报到，完成转接",
            frozenset({TransferState.ACCEPTED}),
            TransferState.COMPLETED,
            "members.manage",
            guards=(_receiving_side, _member_still_there, _letter_still_valid),
            timestamp="completed_on",
        ),
        Transition(
            "cancel",
            "撤销转接",
            frozenset({TransferState.INITIATED}),
            TransferState.CANCELLED,
            "members.manage",
            guards=(_sending_side,),
            timestamp="cancelled_on",
        ),
    ],
    state_field="state",
)
