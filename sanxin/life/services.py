"""Writes of organizational life: every rule checked here with a Chinese reason, every write audited.

Sign-in (meeting_sign_in): a member expected at a meeting signs in themselves from SIGN_IN_OPENS_BEFORE the start
until the end, once. By the meeting code (typed on the phone, as in 云上组织生活) they count as 线上参会; by
scanning the QR code shown on the screen in the room they count as 到会 (offline). The secretary may correct
either afterwards (meeting_attendance_update).

Expected attendees (meeting_expected_refresh): planned from the Party organization's members, the register follows the
organization until the meeting starts: whoever joins it (or comes to attend there as a mobile member) is added,
whoever leaves it or is marked lost (失联) is dropped while nothing is recorded for them; from the start the register
is what it was. The member services tell of every change of who belongs where ("members.changed", sanxin.core.events;
members sits below life, so it publishes and life subscribes) and the coming meetings of those Party organizations
are refreshed in the same transaction; a change of the meeting itself (its organization, its start) refreshes it too.
Reading a meeting writes nothing.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxin.core.audit import audit_changes, audit_record
from sanxin.core.guards import require
from sanxin.core.photos import photo_path, store_photo
from sanxin.core.text import half_width
from sanxin.life import compliance
from sanxin.life.models import (
    Attendance,
    AttendanceSource,
    AttendanceState,
    Frequency,
    Meeting,
    MeetingMode,
    MeetingPhoto,
    MeetingType,
    MeetingTypeFrequency,
)
from sanxin.life.selectors import expected_members, frequency_for, own_region_code
from sanxin.members.models import Member
from sanxin.members.selectors import manageable_party_orgs
from sanxin.regions.models import Region

FIELDS = [
    "party_organization",
    "meeting_type",
    "topic",
    "starts_at",
    "ends_at",
    "mode",
    "place",
    "link",
    "host",
    "recorder",
    "lecturer",
    "agenda",
    "minutes",
]
RELATIONS = ("party_organization", "meeting_type")
TOKEN_SALT = "sanxin.life.sign-in"
MAX_PHOTOS = 20
CODE_ATTEMPTS = 20
LEAVE_REASON_MAX = Attendance._meta.get_field("leave_reason").max_length


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def snapshot(meeting: Meeting) -> dict:
    data = {}
    for name in FIELDS:
        value = getattr(meeting, f"{name}_id") if name in RELATIONS else getattr(meeting, name)
        data[name] = value.isoformat() if isinstance(value, datetime) else value
    return data


def meeting_errors(fields: dict) -> dict[str, str]:
    """The rules of a meeting record, the same for the form and the API."""
    errors: dict[str, str] = {}
    if not (fields.get("topic") or "").strip():
        errors["topic"] = "会议主题不能为空"
    if fields.get("party_organization") is None:
        errors["party_organization"] = "请选择党组织"
    if fields.get("meeting_type") is None:
        errors["meeting_type"] = "请选择会议类型"
    starts, ends = fields.get("starts_at"), fields.get("ends_at")
    if starts is None:
        errors["starts_at"] = "开始时间不能为空"
    if ends is None:
        errors["ends_at"] = "结束时间不能为空"
    elif starts is not None and ends <= starts:
        errors["ends_at"] = "结束时间应晚于开始时间"
    elif starts is not None and (ends - starts).days >= 1:
        errors["ends_at"] = "一次会议不能超过 24 小时"
    mode = fields.get("mode")
    if mode not in MeetingMode.values:
        errors["mode"] = "会议形式应为 线下、线上 或 线上线下结合"
    else:
        if mode in (MeetingMode.OFFLINE, MeetingMode.MIXED) and not (fields.get("place") or "").strip():
            errors["place"] = f"{MeetingMode(mode).label}会议须填写地点"
        if mode in (MeetingMode.ONLINE, MeetingMode.MIXED) and not (fields.get("link") or "").strip():
            errors["link"] = f"{MeetingMode(mode).label}会议须填写线上会议链接或会议号"
    return errors


def new_meeting_code(*, now: datetime | None = None) -> str:
    """Six random digits no meeting that has not ended yet uses (as far as this transaction can tell: the claim in
    save_with_code is what holds under concurrency)."""
    now = now or timezone.now()
    taken = set(Meeting.objects.filter(ends_at__gte=now).values_list("code", flat=True))
    while True:
        code = f"{secrets.randbelow(10**6):06d}"
        if code not in taken:
            return code


def save_with_code(meeting: Meeting, *, now: datetime, fresh: bool) -> None:
    """Save the meeting holding a code no other meeting not yet ended holds. A meeting not ended claims its code in
    open_code, whose unique index the database enforces (SQLite and PostgreSQL alike): a concurrent request that drew
    the same code between our look and our write makes the write fail, and we draw again. Ended meetings' claims are
    cleared first, so their codes come free. `fresh`: draw a new code (a new meeting) rather than keep the one held."""
    if meeting.ends_at < now:
        meeting.open_code = None
        meeting.save()
        return
    Meeting.objects.filter(open_code__isnull=False, ends_at__lt=now).update(open_code=None)
    for attempt in range(CODE_ATTEMPTS):
        if fresh or attempt > 0 or not meeting.code:
            meeting.code = new_meeting_code(now=now)
        meeting.open_code = meeting.code
        try:
            with transaction.atomic():
                meeting.save()
        except IntegrityError:
            if not Meeting.objects.filter(open_code=meeting.open_code).exclude(pk=meeting.pk).exists():
                raise  # not a clash of codes
            continue
        return
    raise ValidationError("暂时无法分配会议码，请稍后再试")


def _validated(actor, fields: dict, *, meeting: Meeting | None = None) -> dict:
    errors = meeting_errors(fields)
    party_org = fields.get("party_organization")
    if actor is not None and party_org is not None and not manageable_party_orgs(actor).filter(pk=party_org.pk).exists():
        if meeting is None or party_org.pk != meeting.party_organization_id:
            errors["party_organization"] = "所选党组织不在您的管辖范围内"
    if errors:
        raise ValidationError(errors)
    cleaned = dict(fields)
    for name in ("topic", "place", "link", "host", "recorder", "lecturer"):
        cleaned[name] = (fields.get(name) or "").strip()
    return cleaned


def _own_meeting(actor, meeting: Meeting) -> None:
    """A meeting is changed only by those who keep its Party organization."""
    if actor is not None and not manageable_party_orgs(actor).filter(pk=meeting.party_organization_id).exists():
        raise ValidationError(f"会议“{meeting.topic}”所属的党组织“{meeting.party_organization.name}”不在您的管辖范围内，不能修改")


REFRESH_ACTOR = "系统（应到人员随党组织更新）"


@transaction.atomic
def meeting_expected_refresh(meeting: Meeting, *, now: datetime | None = None) -> tuple[list[int], list[int]]:
    """Before the start, bring the register in line with the Party organization (see the module's docstring): add
    the members expected now who have no row, drop the rows of those no longer expected on which nothing is recorded
    (state 未登记, no sign-in). After the start nothing changes. Returns (member ids added, member ids dropped)."""
    now = now or timezone.now()
    if now >= meeting.starts_at:
        return [], []
    meeting = Meeting.objects.select_for_update().select_related("party_organization").get(pk=meeting.pk)
    if now >= meeting.starts_at:
        return [], []
    expected = {m.pk: m for m in expected_members(meeting.party_organization)}
    rows = {a.member_id: a for a in meeting.attendances.select_for_update()}
    added = [m for pk, m in expected.items() if pk not in rows]
    dropped = [
        a for member_id, a in rows.items() if member_id not in expected and a.state == AttendanceState.UNRECORDED and a.signed_in_at is None
    ]
    if not added and not dropped:
        return [], []
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member=m, member_name=m.name, relation_mode=m.relation_mode) for m in added]
    )
    Attendance.objects.filter(pk__in=[a.pk for a in dropped]).delete()
    audit_record(
        action="meeting_expected_refresh",
        obj=meeting,
        actor_name=REFRESH_ACTOR,
        detail={
            "added": [{"member": m.pk, "name": m.name} for m in added],
            "dropped": [{"member": a.member_id, "name": a.member_name, "old": [a.state, a.relation_mode]} for a in dropped],
        },
    )
    return [m.pk for m in added], [a.member_id for a in dropped]


def registers_follow_membership(*, party_organizations, now: datetime | None = None) -> None:
    """On "members.changed" (sanxin.members.services.membership_changed): the coming meetings of these Party
    organizations bring their registers in line, in the member service's transaction."""
    now = now or timezone.now()
    coming = Meeting.objects.filter(party_organization_id__in=party_organizations, starts_at__gt=now).order_by("starts_at", "pk")
    for meeting in coming:
        meeting_expected_refresh(meeting, now=now)


@transaction.atomic
def meeting_create(*, actor, **fields) -> Meeting:
    """Plan a meeting; its expected attendees are the Party organization's members now (mobile members attending
    there included, lost ones not), one Attendance row each."""
    require(actor, "life.manage")
    fields.setdefault("mode", MeetingMode.OFFLINE)
    cleaned = _validated(actor, fields)
    meeting = Meeting(**{k: v for k, v in cleaned.items() if k in FIELDS}, created_by=actor)
    save_with_code(meeting, now=timezone.now(), fresh=True)
    members = list(expected_members(meeting.party_organization))
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member=m, member_name=m.name, relation_mode=m.relation_mode) for m in members]
    )
    audit_record(actor=actor, action="meeting_create", obj=meeting, detail={"new": snapshot(meeting), "expected": len(members)})
    compliance.refresh_party_orgs([meeting.party_organization_id])
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **changes) -> Meeting:
    """Change a meeting's record (minutes after it, a new time before it); its Party organization stays."""
    require(actor, "life.manage")
    meeting = Meeting.objects.select_for_update().select_related("party_organization").get(pk=meeting.pk)
    _own_meeting(actor, meeting)
    if "party_organization" in changes and changes["party_organization"].pk != meeting.party_organization_id:
        raise ValidationError({"party_organization": "会议的党组织不能更改；如有错误请另建会议"})
    before = snapshot(meeting)
    merged = {f: getattr(meeting, f) for f in FIELDS} | changes
    cleaned = _validated(actor, merged, meeting=meeting)
    for key in changes:
        if key in FIELDS:
            setattr(meeting, key, cleaned[key])
    # An ended meeting moved into the future keeps its code if no open one holds it, else takes a new one.
    save_with_code(meeting, now=timezone.now(), fresh=False)
    audit_changes(actor=actor, action="meeting_update", obj=meeting, before=before, after=snapshot(meeting))
    meeting_expected_refresh(meeting)
    compliance.refresh_party_orgs([meeting.party_organization_id])
    return meeting


@transaction.atomic
def meeting_attendance_update(*, actor, meeting: Meeting, changes: dict[int, tuple[str, str]]) -> int:
    """The secretary records attendance: member id → (state, leave reason). All or nothing: a leave without a
    reason, an unknown state or a member not expected refuses the whole change. Returns the rows changed."""
    require(actor, "life.manage")
    meeting = Meeting.objects.select_for_update().select_related("party_organization").get(pk=meeting.pk)
    _own_meeting(actor, meeting)
    meeting_expected_refresh(meeting)
    rows = {a.member_id: a for a in meeting.attendances.select_for_update()}
    errors = []
    for member_id, (state, reason) in changes.items():
        row = rows.get(member_id)
        if row is None:
            errors.append(f"党员编号“{member_id}”不在会议“{meeting.topic}”的应到人员名单中")
        elif state not in AttendanceState.values:
            errors.append(f"{row.member_name}：出席情况“{state}”不在可选范围内")
        elif state == AttendanceState.LEAVE and not (reason or "").strip():
            errors.append(f"{row.member_name}：请假须填写请假事由")
        elif state == AttendanceState.LEAVE and len(reason.strip()) > LEAVE_REASON_MAX:
            errors.append(f"{row.member_name}：请假事由最多 {LEAVE_REASON_MAX} 个字（现有 {len(reason.strip())} 个）")
    if errors:
        raise ValidationError(errors)
    changed = []
    for member_id, (state, reason) in changes.items():
        row = rows[member_id]
        reason = (reason or "").strip() if state == AttendanceState.LEAVE else ""
        if (row.state, row.leave_reason) == (state, reason):
            continue
        changed.append({"member": member_id, "old": [row.state, row.leave_reason], "new": [state, reason]})
        row.state, row.leave_reason, row.source = state, reason, AttendanceSource.SECRETARY
        row.save(update_fields=["state", "leave_reason", "source", "updated_at"])
    if changed:
        audit_record(actor=actor, action="meeting_attendance_update", obj=meeting, detail={"changes": changed})
    return len(changed)


def sign_in_token(meeting: Meeting) -> str:
    """What the QR code on the screen carries: the meeting and its code, signed (a code changed voids old tokens)."""
    return signing.dumps({"m": meeting.pk, "c": meeting.code}, salt=TOKEN_SALT, compress=True)


def meeting_for_token(token: str) -> Meeting:
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
        meeting = Meeting.objects.select_related("party_organization").get(pk=int(data["m"]), code=str(data["c"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, Meeting.DoesNotExist):
        raise ValidationError("二维码无效或已失效，请重新扫描会场屏幕上的二维码，或输入会议码签到") from None
    return meeting


def meeting_for_code(code: str, *, now: datetime | None = None) -> Meeting:
    """The meeting not yet ended with this code (codes are unique among those)."""
    now = now or timezone.now()
    code = half_width(code or "").strip()  # typed on a Chinese input method: １２３４５６
    meeting = None
    if len(code) == 6 and code.isdigit():
        meeting = Meeting.objects.select_related("party_organization").filter(open_code=code, ends_at__gte=now).first()
    if meeting is None:
        raise ValidationError("会议码不存在或该会议已经结束，请核对会议码")
    return meeting


@transaction.atomic
def meeting_sign_in(*, actor, meeting: Meeting, by_qr: bool, now: datetime | None = None) -> Attendance:
    """A member signs in to a meeting themselves: only an expected attendee, only within the window, only once."""
    require(actor, "life.sign_in", person=True)
    now = now or timezone.now()
    member = Member.objects.filter(user=actor).first()
    if member is None:
        raise ValidationError("您的账号未关联党员信息，不能签到；请联系所在党组织书记")
    if now < meeting.sign_in_opens_at():
        raise ValidationError(f"会议“{meeting.topic}”于 {_local(meeting.starts_at)} 开始，开始前 30 分钟起方可签到，请稍后再来")
    if now > meeting.ends_at:
        raise ValidationError(f"会议“{meeting.topic}”已于 {_local(meeting.ends_at)} 结束，签到已关闭")
    meeting_expected_refresh(meeting, now=now)
    row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
    if row is None:
        raise ValidationError(f"您不在会议“{meeting.topic}”的应到人员名单中，不能签到；如有疑问请联系党组织书记")
    if row.signed_in_at is not None:
        raise ValidationError(f"您已于 {_local(row.signed_in_at)} 签到，无需重复签到")
    if row.state in (AttendanceState.PRESENT, AttendanceState.ONLINE):
        raise ValidationError(f"书记已登记您{row.get_state_display()}，无需再签到")
    old = [row.state, row.leave_reason]
    row.state = AttendanceState.PRESENT if by_qr else AttendanceState.ONLINE
    row.source = AttendanceSource.QR if by_qr else AttendanceSource.CODE
    row.leave_reason = ""
    row.signed_in_at = now
    row.save(update_fields=["state", "source", "leave_reason", "signed_in_at", "updated_at"])
    audit_record(
        actor=actor,
        action="meeting_sign_in",
        obj=meeting,
        detail={"member": member.pk, "old": old, "new": [row.state, ""], "by": row.source},
    )
    return row


@transaction.atomic
def meeting_photo_add(*, actor, meeting: Meeting, upload) -> MeetingPhoto:
    require(actor, "life.manage")
    _own_meeting(actor, meeting)
    if meeting.photos.count() >= MAX_PHOTOS:
        raise ValidationError(f"每次会议最多上传 {MAX_PHOTOS} 张照片")
    stored = store_photo(upload, MeetingPhoto.UPLOAD_FOLDER)
    photo = MeetingPhoto.objects.create(
        meeting=meeting, stored_name=stored.stored_name, width=stored.width, height=stored.height, size=stored.size, uploaded_by=actor
    )
    audit_record(actor=actor, action="meeting_photo_add", obj=meeting, detail={"photo": photo.pk, "size": stored.size})
    return photo


@transaction.atomic
def meeting_photo_delete(*, actor, photo: MeetingPhoto) -> None:
    """Remove a photo of a meeting (whoever may change the meeting); the stored file goes once the removal is
    committed, so a rolled-back removal keeps both the row and the file."""
    require(actor, "life.manage")
    photo = MeetingPhoto.objects.select_for_update().select_related("meeting", "meeting__party_organization").get(pk=photo.pk)
    _own_meeting(actor, photo.meeting)
    old = {"photo": photo.pk, "stored_name": photo.stored_name, "width": photo.width, "height": photo.height, "size": photo.size}
    old["uploaded_by"] = photo.uploaded_by_id
    old["uploaded_at"] = photo.created_at.isoformat()
    path = photo_path(MeetingPhoto.UPLOAD_FOLDER, photo.stored_name)
    photo.delete()
    audit_record(actor=actor, action="meeting_photo_delete", obj=photo.meeting, detail={"old": old})
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


@transaction.atomic
def meeting_type_set_frequency(*, actor, meeting_type: MeetingType, frequency: str) -> str:
    """A region's own frequency for a meeting type, set by a region officer for their own region (and so for the
    regions below it that set none). Choosing what holds above it removes the region's own setting."""
    require(actor, "life.configure", person=True)
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": "频次不在可选范围内"})
    code = own_region_code(actor)
    if code is None:
        raise ValidationError("只有地区党委社会工作部/两新工委的工作人员可为本地区设置会议频次")
    region = Region.objects.get(code=code)
    own = MeetingTypeFrequency.objects.select_for_update().filter(meeting_type=meeting_type, region=region).first()
    old = own.frequency if own else None
    inherited = frequency_for(meeting_type, region.parent_id) if region.parent_id else meeting_type.frequency
    if frequency == inherited:
        if own is not None:
            own.delete()
        new = None
    elif own is None:
        MeetingTypeFrequency.objects.create(meeting_type=meeting_type, region=region, frequency=frequency)
        new = frequency
    else:
        own.frequency = frequency
        own.save(update_fields=["frequency", "updated_at"])
        new = frequency
    if old != new:
        audit_record(
            actor=actor,
            action="meeting_type_set_frequency",
            obj=meeting_type,
            detail={"region": region.code, "old": old, "new": new, "in_force": frequency},
        )
        compliance.frequency_changed(region.code)
    return frequency
