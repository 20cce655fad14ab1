"""Organizational life over the API: meetings (list, read, create, update), their attendance, and a member's own
sign-in; through sanxin.life.selectors and sanxin.life.services, as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Limit, Offset, QueryText, list_response, responses
from sanxin.core.guards import require
from sanxin.life import selectors, services
from sanxin.life.forms import MeetingForm
from sanxin.life.models import AttendanceState, Meeting, MeetingMode
from sanxin.orgs.api import MAX_COUNT, choices_text, in_queryset, resolved

router = Router(tags=["组织生活"])


class Ref(Schema):
    id: int
    name: str


class AttendanceOut(Schema):
    member: int = Field(description="党员编号")
    name: str
    state: str = Field(description=f"出席情况：{choices_text(AttendanceState.choices)}")
    state_label: str
    leave_reason: str
    signed_in_at: datetime | None = Field(description="本人签到时间")


class MeetingBaseOut(Schema):
    """What anyone who sees a meeting sees of it (the member's own list, sanxin.mine.api, adds their attendance)."""

    id: int
    party_organization: Ref = Field(description="党组织")
    meeting_type: Ref = Field(description="会议类型")
    topic: str
    starts_at: datetime
    ends_at: datetime
    mode: str = Field(description=f"形式：{choices_text(MeetingMode.choices)}")
    mode_label: str
    place: str
    link: str


class MeetingOut(MeetingBaseOut):
    host: str
    recorder: str
    lecturer: str
    expected: int = Field(description="应到人数")
    attended: int = Field(description="实到人数（到会与线上参会）")


class MeetingDetailOut(MeetingOut):
    agenda: str
    minutes: str
    attendances: list[AttendanceOut]


class MeetingList(Schema):
    items: list[MeetingOut]
    count: int = Field(description="符合条件的总条数")


ROW_FIELDS = (
    "party_organization__name",
    "party_organization__region_id",
    "meeting_type__name",
    "topic",
    "starts_at",
    "ends_at",
    "mode",
    "place",
    "link",
    "host",
    "recorder",
    "lecturer",
)


def local(moment: datetime) -> str:
    """A time as the API answers it: China's local time with its offset, to the second (2026-03-20T15:00:00+08:00)."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def meeting_row(m: Meeting) -> dict:
    return {
        "id": m.pk,
        "party_organization": {"id": m.party_organization_id, "name": m.party_organization.name},
        "meeting_type": {"id": m.meeting_type_id, "name": m.meeting_type.name},
        "topic": m.topic,
        "starts_at": local(m.starts_at),
        "ends_at": local(m.ends_at),
        "mode": m.mode,
        "mode_label": m.get_mode_display(),
        "place": m.place,
        "link": m.link,
        "host": m.host,
        "recorder": m.recorder,
        "lecturer": m.lecturer,
        "expected": m.expected,
        "attended": m.attended,
    }


def _detail(meeting_id: int, user) -> dict:
    meeting = selectors.meeting_list(user=user).get(pk=selectors.access_meeting(meeting_id, user=user).pk)
    rows = selectors.meeting_attendances(meeting)
    attendances = [
        {
            "member": a.member_id,
            "name": a.member_name,
            "state": a.state,
            "state_label": a.get_state_display(),
            "leave_reason": a.leave_reason,
            "signed_in_at": local(a.signed_in_at) if a.signed_in_at else None,
        }
        for a in rows
    ]
    return meeting_row(meeting) | {"agenda": meeting.agenda, "minutes": meeting.minutes, "attendances": attendances}


# Before the routes of one meeting, so that /sign-in is not read as a meeting's number.
class SignInIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(None, min_length=6, max_length=6, pattern=r"^\d{6}$", description="会议码（签为线上参会）")
    token: str = Field(None, max_length=500, pattern=r"^[A-Za-z0-9_.:\-]+$", description="会场二维码中的签到凭证（签为到会）")


class SignInOut(Schema):
    meeting: int
    topic: str
    state: str
    state_label: str
    signed_in_at: datetime


@router.post("/sign-in", response=responses({200: SignInOut}, refusals=(403,)), summary="党员本人签到（会议码或二维码凭证）")
def sign_in(request, payload: SignInIn):
    """开始前 30 分钟至结束前，应到人员本人签到一次：用会议码签为线上参会，用二维码凭证签为到会。"""
    user = request.auth
    require(user, "life.sign_in")
    if (payload.code is None) == (payload.token is None):
        raise ValidationError({"code": "请填写会议码，或提供二维码中的签到凭证（二者选一）"})
    if payload.token is not None:
        meeting = services.meeting_for_token(payload.token)
    else:
        meeting = services.meeting_for_code(payload.code)
    row = services.meeting_sign_in(actor=user, meeting=meeting, by_qr=payload.token is not None)
    return {
        "meeting": meeting.pk,
        "topic": meeting.topic,
        "state": row.state,
        "state_label": row.get_state_display(),
        "signed_in_at": row.signed_in_at,
    }


# An empty period is every period; otherwise a year, a half, a quarter or a month.
Period = Annotated[
    str,
    Query(description="期间：2026、2026-H2、2026-Q3 或 2026-09；空为全部", example="2026-Q3", pattern=f"^$|{selectors.PERIOD_PATTERN}"),
]


@router.get("", response=responses({200: MeetingList}), summary="组织生活会议（按数据权限，与会议记录页相同的筛选）")
def list_meetings(
    request,
    q: QueryText("主题（包含）", "党课") = "",
    party_org: int | None = None,
    meeting_type: int | None = None,
    period: Period = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    """Newest first. A member sees the meetings they are expected at."""
    if not request.auth.can("life.view"):
        raise Http404
    if period and selectors.period_range(period) is None:
        raise ValidationError({"period": "期间应写作 2026、2026-H2、2026-Q3 或 2026-09"})
    found = selectors.meeting_list(
        user=request.auth,
        q=q,
        party_org="" if party_org is None else min(max(party_org, 0), MAX_COUNT),
        meeting_type="" if meeting_type is None else min(max(meeting_type, 0), MAX_COUNT),
        period=period,
    ).order_by("-starts_at", "-pk")
    page = found.only(*ROW_FIELDS)[offset : offset + limit]
    return list_response([meeting_row(m) for m in page], found.count())


@router.get("/{meeting_id}", response=responses({200: MeetingDetailOut}), summary="单个会议（含出席情况）")
def get_meeting(request, meeting_id: int):
    """未开始的会议，应到人员随党组织更新（新加入的列入，离开且未登记的移出）。"""
    return _detail(meeting_id, request.auth)


ModeCode = Literal[tuple(MeetingMode.values)]


class MeetingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    party_organization: int = Field(ge=1, le=MAX_COUNT, description="党组织编号（须是您可维护的党组织）")
    meeting_type: int = Field(ge=1, le=MAX_COUNT, description="会议类型编号")
    topic: str = Field(min_length=1, max_length=200, pattern=TEXT_VALUE, description="主题")
    starts_at: datetime = Field(description="开始时间，须带时区，如 2026-03-20T15:00:00+08:00")
    ends_at: datetime = Field(description="结束时间，须带时区，晚于开始时间，不超过 24 小时")
    mode: ModeCode = Field(MeetingMode.OFFLINE, description=f"形式：{choices_text(MeetingMode.choices)}")
    place: str = Field("", max_length=200, pattern=TEXT_VALUE, description="地点（线下、线上线下结合须填）")
    link: str = Field("", max_length=500, pattern=TEXT_VALUE, description="线上会议链接或会议号（线上、线上线下结合须填）")
    host: str = Field("", max_length=50, pattern=TEXT_VALUE)
    recorder: str = Field("", max_length=50, pattern=TEXT_VALUE)
    lecturer: str = Field("", max_length=50, pattern=TEXT_VALUE)
    agenda: str = Field("", max_length=5000, pattern=TEXT_VALUE)
    minutes: str = Field("", max_length=20000, pattern=TEXT_VALUE)


class MeetingPatch(Schema):
    """Only the fields given change; the Party organization stays."""

    model_config = ConfigDict(extra="forbid")

    meeting_type: int = Field(None, ge=1, le=MAX_COUNT)
    topic: str = Field(None, min_length=1, max_length=200, pattern=TEXT_VALUE)
    starts_at: datetime = Field(None, description="开始时间，须带时区")
    ends_at: datetime = Field(None, description="结束时间，须带时区")
    mode: ModeCode = Field(None)
    place: str = Field(None, max_length=200, pattern=TEXT_VALUE)
    link: str = Field(None, max_length=500, pattern=TEXT_VALUE)
    host: str = Field(None, max_length=50, pattern=TEXT_VALUE)
    recorder: str = Field(None, max_length=50, pattern=TEXT_VALUE)
    lecturer: str = Field(None, max_length=50, pattern=TEXT_VALUE)
    agenda: str = Field(None, max_length=5000, pattern=TEXT_VALUE)
    minutes: str = Field(None, max_length=20000, pattern=TEXT_VALUE)


# The API takes times with their offset only: a bare 2026-03-20T15:00:00 could be meant in any zone (the page's
# form is in China's local time already, and says so).
TIME_LABELS = {"starts_at": "开始时间", "ends_at": "结束时间"}


def _refuse_naive_times(data: dict) -> None:
    errors = {
        name: f"{label}须带时区，如 2026-03-20T15:00:00+08:00（北京时间）"
        for name, label in TIME_LABELS.items()
        if isinstance(data.get(name), datetime) and timezone.is_naive(data[name])
    }
    if errors:
        raise ValidationError(errors)


def _fields(form, data: dict) -> dict:
    _refuse_naive_times(data)
    resolvers = {
        "party_organization": lambda pk: in_queryset(form, "party_organization", pk, key="pk", label="党组织编号"),
        "meeting_type": lambda pk: in_queryset(form, "meeting_type", pk, key="pk", label="会议类型编号"),
    }
    return resolved(form, data, resolvers)


@router.post("", response=responses({201: MeetingDetailOut}, refusals=(403,)), summary="新建会议（应到人员按党组织当前党员生成）")
def create_meeting(request, payload: MeetingIn):
    user = request.auth
    require(user, "life.manage")
    meeting = services.meeting_create(actor=user, **_fields(MeetingForm(user=user), payload.dict()))
    return Status(201, _detail(meeting.pk, user))


@router.patch("/{meeting_id}", response=responses({200: MeetingDetailOut}, refusals=(403,)), summary="修改会议")
def update_meeting(request, meeting_id: int, payload: MeetingPatch):
    user = request.auth
    meeting = selectors.access_meeting(meeting_id, user=user, for_write=True)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    services.meeting_update(actor=user, meeting=meeting, **_fields(MeetingForm(user=user), changes))
    return _detail(meeting_id, user)


StateCode = Literal[tuple(AttendanceState.values)]


class AttendanceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    member: int = Field(ge=1, le=MAX_COUNT, description="党员编号（须为应到人员）")
    state: StateCode = Field(description=f"出席情况：{choices_text(AttendanceState.choices)}")
    leave_reason: str = Field("", max_length=200, pattern=TEXT_VALUE, description="请假事由（请假时必填）")


class AttendanceUpdateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    attendances: list[AttendanceIn] = Field(max_length=2000)


@router.patch("/{meeting_id}/attendance", response=responses({200: MeetingDetailOut}, refusals=(403,)), summary="登记出席情况")
def update_attendance(request, meeting_id: int, payload: AttendanceUpdateIn):
    """全部成功或全部不改：请假须填事由，只能登记应到人员。"""
    user = request.auth
    meeting = selectors.access_meeting(meeting_id, user=user, for_write=True)
    changes = {a.member: (a.state, a.leave_reason) for a in payload.attendances}
    services.meeting_attendance_update(actor=user, meeting=meeting, changes=changes)
    return _detail(meeting_id, user)
