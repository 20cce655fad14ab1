"""The member's own data over the API (/api/v1/me/…): their meetings, one meeting with their attendance, asking for
leave, and a copy of their data. Through sanxin.mine.selectors and the same services as the phone pages; another
person's meeting is a 404 whatever the caller's scope."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Limit, Offset, responses
from sanxin.core.guards import require
from sanxin.life.api import MeetingBaseOut
from sanxin.life.leave import MAX_REASON, meeting_leave_request
from sanxin.life.models import AttendanceState
from sanxin.mine import selectors, services
from sanxin.orgs.api import choices_text

router = Router(tags=["党员本人"])


class MyMeetingOut(MeetingBaseOut):
    state: str = Field(description=f"本人出席情况：{choices_text(AttendanceState.choices)}")
    state_label: str
    leave_reason: str
    signed_in_at: datetime | None
    phase: str = Field(description="未开始 / 可签到 / 进行中 / 已结束")
    can_sign_in: bool
    can_ask_leave: bool


class MyMeetingDetailOut(MyMeetingOut):
    host: str
    lecturer: str
    agenda: str


class MyMeetingList(Schema):
    items: list[MyMeetingOut]
    count: int = Field(description="符合条件的总条数")


def _local(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def my_meeting_row(row, *, detail: bool = False) -> dict:
    m = row.meeting
    state = selectors.meeting_state(row)
    data = {
        "id": m.pk,
        "party_organization": {"id": m.party_organization_id, "name": m.party_organization.name},
        "meeting_type": {"id": m.meeting_type_id, "name": m.meeting_type.name},
        "topic": m.topic,
        "starts_at": _local(m.starts_at),
        "ends_at": _local(m.ends_at),
        "mode": m.mode,
        "mode_label": m.get_mode_display(),
        "place": m.place,
        "link": m.link,
        "state": row.state,
        "state_label": row.get_state_display(),
        "leave_reason": row.leave_reason,
        "signed_in_at": _local(row.signed_in_at),
        "phase": state.phase,
        "can_sign_in": state.can_sign_in,
        "can_ask_leave": state.can_ask_leave,
    }
    if detail:
        data |= {"host": m.host, "lecturer": m.lecturer, "agenda": m.agenda}
    return data


@router.get("/meetings", response=responses({200: MyMeetingList}), summary="我的会议（本人应到的会议）")
def list_my_meetings(request, when: Literal["upcoming", "past"] = "upcoming", offset: Offset = 0, limit: Limit(200) = 50):
    """upcoming：未结束的，时间早的在前；past：近一年已结束的，时间晚的在前。"""
    user = request.auth
    if not user.can("mine.view"):
        raise Http404
    rows = selectors.my_attendances(user, upcoming=when == "upcoming")
    return {"items": [my_meeting_row(r) for r in rows[offset : offset + limit]], "count": rows.count()}


@router.get("/meetings/{meeting_id}", response=responses({200: MyMeetingDetailOut}), summary="我的单个会议（含本人出席情况）")
def get_my_meeting(request, meeting_id: int):
    return my_meeting_row(selectors.access_my_meeting(meeting_id, user=request.auth), detail=True)


class LeaveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=MAX_REASON, pattern=TEXT_VALUE, description="请假事由")


@router.post("/meetings/{meeting_id}/leave", response=responses({200: MyMeetingDetailOut}, refusals=(403,)), summary="会前请假（本人）")
def ask_leave(request, meeting_id: int, payload: LeaveIn):
    """会议开始前、本人为应到人员时可请假，须填事由；会议开始后不能再请假。"""
    user = request.auth
    row = selectors.access_my_meeting(meeting_id, user=user)
    require(user, "life.sign_in")
    meeting_leave_request(actor=user, meeting=row.meeting, reason=payload.reason)
    return my_meeting_row(selectors.access_my_meeting(meeting_id, user=user), detail=True)


class ExportOut(Schema):
    exported_at: str = Field(description="导出时间")
    member: list[dict] = Field(description="党员信息（本人；身份证号和手机号掩码，完整号码请在“我的资料”页输入密码后导出）")
    attendances: list[dict] = Field(description="出席情况")
    identity_reports: list[dict] = Field(description="亮身份报到")
    transfers: list[dict] = Field(description="组织关系转接")
    mobile_registrations: list[dict] = Field(description="流动党员登记")


@router.get("/export", response=responses({200: ExportOut}, refusals=(403,)), summary="导出本人数据（JSON，留审计记录）")
def export_my_data(request):
    """本人的党员信息、出席情况、亮身份报到、组织关系转接和流动登记；只含本人数据；身份证号和手机号掩码。"""
    user = request.auth
    if not user.can("mine.view"):
        raise Http404
    content, _ = services.mine_export(actor=user, fmt="json", full=False)
    return HttpResponse(content, content_type="application/json; charset=utf-8")
