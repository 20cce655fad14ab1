"""A member asks for leave from a meeting themselves (请假), from their phone: before the meeting starts, with a
reason, only for a meeting they are expected at. It writes their attendance row's leave state directly (the
secretary sees it on the meeting's page and may still correct it through meeting_attendance_update); audited.

The row's source stays what it was: the audit event meeting_leave_request records that the member asked.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanxin.core.audit import audit_record
from sanxin.core.guards import require
from sanxin.life.models import PRESENT_STATES, Attendance, AttendanceState, Meeting
from sanxin.members.models import Member

MAX_REASON = 200


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def leave_errors(meeting: Meeting, row: Attendance | None, reason: str, *, now: datetime) -> list[str]:
    """Why a member may not ask for leave from this meeting now (empty: they may)."""
    if row is None:
        return [f"您不在会议“{meeting.topic}”的应到人员名单中，无需请假"]
    if now >= meeting.starts_at:
        return [f"会议“{meeting.topic}”已于 {_local(meeting.starts_at)} 开始，不能再请假；如有特殊情况请联系党组织书记"]
    if row.state in PRESENT_STATES:
        return [f"您已{row.get_state_display()}，不能再请假"]
    reason = (reason or "").strip()
    if not reason:
        return ["请填写请假事由"]
    if len(reason) > MAX_REASON:
        return [f"请假事由不能超过 {MAX_REASON} 字（现有 {len(reason)} 字）"]
    return []


@transaction.atomic
def meeting_leave_request(*, actor, meeting: Meeting, reason: str, now: datetime | None = None) -> Attendance:
    """The member's own leave from a meeting they are expected at, before it starts, with a reason."""
    require(actor, "life.sign_in", person=True)
    now = now or timezone.now()
    member = Member.objects.filter(user=actor).first()
    if member is None:
        raise ValidationError("您的账号未关联党员信息，不能请假；请联系所在党组织书记")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
    errors = leave_errors(meeting, row, reason, now=now)
    if errors:
        raise ValidationError(errors)
    reason = reason.strip()
    if (row.state, row.leave_reason) == (AttendanceState.LEAVE, reason):
        return row
    old = [row.state, row.leave_reason]
    row.state, row.leave_reason = AttendanceState.LEAVE, reason
    row.save(update_fields=["state", "leave_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="meeting_leave_request",
        obj=meeting,
        detail={"member": member.pk, "old": old, "new": [row.state, reason], "by": "self"},
    )
    return row
