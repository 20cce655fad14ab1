"""亮身份报到 over the API: the receiving side's list (status counts), one report, a new one (the person's own or
entered by staff), confirm and decline — through sanxin.members.identity, as the pages; ID numbers and phones masked."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Day, Limit, Offset, QueryText, responses
from sanxin.core.guards import require
from sanxin.members import identity
from sanxin.members.models import IdentityDecision, IdentityReport, IdentityReportStatus, MemberStatus
from sanxin.orgs.api import MAX_COUNT, Choice, choices_text

router = Router(tags=["亮身份报到"])


class Ref(Schema):
    id: int
    name: str


class IdentityReportOut(Schema):
    id: int
    name: str = Field(description="姓名")
    id_number: str = Field(description="公民身份号码（脱敏）")
    phone: str = Field(description="手机号码（脱敏）")
    joined_on: Day = Field(description="入党日期")
    member_status: str = Field(description=f"党员状态：{choices_text(MemberStatus.choices)}")
    home_organization: str = Field(description="组织关系所在党组织（名称或所在地）")
    occupation: str = Field(description="职业")
    employer_name: str = Field(description="工作单位")
    party_organization: Ref = Field(description="报到党组织")
    region: str = Field(description="报到党组织所在地区代码")
    status: str = Field(description=f"状态：{choices_text(IdentityReportStatus.choices)}")
    status_label: str
    by_staff: bool = Field(description="工作人员代为登记")
    decision: str = Field(description=f"确认方式：{choices_text(IdentityDecision.choices)}；未确认为空")
    decision_note: str = Field(description="处理说明（不予确认时为原因）")
    submitted_at: str = Field(description="提交时间")
    decided_at: str | None = Field(description="处理时间")
    member: int | None = Field(description="作为流动党员接收后的党员编号")


class StatusCount(Schema):
    status: str
    label: str
    count: int


class IdentityReportList(Schema):
    items: list[IdentityReportOut]
    count: int = Field(description="符合条件的总条数")
    statuses: list[StatusCount] = Field(description="各状态条数（不按状态筛选时的范围）")


def report_row(r: IdentityReport) -> dict:
    return {
        "id": r.pk,
        "name": r.name,
        "id_number": r.id_number_masked,
        "phone": r.phone_masked,
        "joined_on": r.joined_on,
        "member_status": r.member_status,
        "home_organization": r.home_organization,
        "occupation": r.occupation,
        "employer_name": r.employer_name,
        "party_organization": {"id": r.party_organization_id, "name": r.party_organization.name},
        "region": r.party_organization.region_id,
        "status": r.status,
        "status_label": r.get_status_display(),
        "by_staff": r.by_staff,
        "decision": r.decision,
        "decision_note": r.decision_note,
        "submitted_at": r.created_at.isoformat(),
        "decided_at": r.decided_at.isoformat() if r.decided_at else None,
        "member": r.member_id,
    }


@router.get("", response=responses({200: IdentityReportList}), summary="亮身份报到（报到党组织一方，按数据权限）")
def list_identity_reports(
    request,
    q: QueryText("姓名（包含）", "张") = "",
    status: Choice(IdentityReportStatus.choices, "状态") = "",
    party_org: int | None = None,
    mine: bool = False,
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    """As the 亮身份报到 page; `mine=true` lists, for a member's or worker's account, the reports they submitted."""
    user = request.auth
    if not user.can("members.report_identity" if mine else "members.view"):
        raise Http404
    if party_org is not None and not 0 < party_org <= MAX_COUNT:
        party_org = 0
    all_statuses = identity.identity_report_list(user=user, q=q, party_org="" if party_org is None else party_org, mine=mine)
    found = (all_statuses.filter(status=status) if status else all_statuses).order_by("-created_at", "-pk")
    rows = [report_row(r) for r in found[offset : offset + limit]]
    statuses = [{"status": s, "label": label, "count": n} for s, label, n in identity.identity_status_counts(all_statuses)]
    return {"items": rows, "count": found.count(), "statuses": statuses}


@router.get("/{report_id}", response=responses({200: IdentityReportOut}), summary="单个亮身份报到（身份证号码、手机号码脱敏）")
def get_identity_report(request, report_id: int):
    """The receiving side's view; the person reporting reads their own through the list with `mine=true`."""
    return report_row(identity.access_identity_report(report_id, user=request.auth))


class IdentityReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=50, pattern=TEXT_VALUE, description="姓名")
    id_number: str = Field(max_length=30, pattern=TEXT_VALUE, description="公民身份号码（18 位，校验位须正确）")
    phone: str = Field(max_length=20, pattern=TEXT_VALUE, description="手机号码（11 位大陆手机号）")
    joined_on: Day = Field(description="入党日期；入党时须年满 18 周岁")
    member_status: Literal[tuple(MemberStatus.values)] = Field(description=f"党员状态：{choices_text(MemberStatus.choices)}")
    home_organization: str = Field(min_length=1, max_length=200, pattern=TEXT_VALUE, description="组织关系所在党组织（名称或所在地）")
    occupation: str = Field(min_length=1, max_length=50, pattern=TEXT_VALUE, description="职业")
    employer_name: str = Field("", max_length=200, pattern=TEXT_VALUE, description="工作单位")
    party_organization: int = Field(ge=1, le=MAX_COUNT, description="报到党组织编号（状态正常的党组织；工作人员代为登记的须是本人管辖的）")
    by_staff: bool = Field(False, description="工作人员代为登记（须有维护党员信息的权限）；否则为本人报到")


@router.post("", response=responses({201: IdentityReportOut}, refusals=(403,)), summary="提交亮身份报到")
def create_identity_report(request, payload: IdentityReportIn):
    """本人报到（党员、从业人员账号），或工作人员代为登记；同一身份证号码向同一党组织只能有一份待确认的报到。"""
    user = request.auth
    data = payload.dict()
    by_staff = data.pop("by_staff")
    require(user, "members.manage" if by_staff else "members.report_identity")
    target = identity.report_target(data["party_organization"])
    if target is None:
        raise ValidationError({"party_organization": f"党组织编号“{data['party_organization']}”不存在或已撤销"})
    data["party_organization"] = target
    report = identity.identity_report_submit(actor=user, by_staff=by_staff, **data)
    return Status(201, report_row(report))


class ConfirmIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Literal[tuple(IdentityDecision.values)] = Field(description=f"确认方式：{choices_text(IdentityDecision.choices)}")
    note: str = Field("", max_length=500, pattern=TEXT_VALUE, description="说明")


class DeclineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=500, pattern=TEXT_VALUE, description="不予确认的原因（必填）")


DECIDE = responses({200: IdentityReportOut}, refusals=(403,))


@router.post("/{report_id}/confirm", response=DECIDE, summary="确认亮身份报到")
def confirm_identity_report(request, report_id: int, payload: ConfirmIn):
    """mobile：作为流动党员在此参加组织生活（登记或更新党员记录并登记流入）；transfer：确认，待启动组织关系转接。"""
    user = request.auth
    report = identity.access_identity_report(report_id, user=user, for_write=True)
    identity.identity_report_confirm(actor=user, report=report, decision=payload.decision, note=payload.note)
    return report_row(identity.access_identity_report(report_id, user=user))


@router.post("/{report_id}/decline", response=DECIDE, summary="不予确认亮身份报到")
def decline_identity_report(request, report_id: int, payload: DeclineIn):
    user = request.auth
    report = identity.access_identity_report(report_id, user=user, for_write=True)
    identity.identity_report_decline(actor=user, report=report, reason=payload.reason)
    return report_row(identity.access_identity_report(report_id, user=user))
