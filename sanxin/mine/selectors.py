"""Reads of the user's own things only: their member record, the meetings they are expected at, their 亮身份
reports, their relation transfers and mobile registrations. Nothing here is cut by territory: a county officer
who is also a member sees their own meetings here and nobody else's; another person's object is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from sanxin.core.listing import parse_id
from sanxin.core.workflow import timeline
from sanxin.life.models import SIGN_IN_OPENS_BEFORE, Attendance, AttendanceState, Meeting, MeetingMode
from sanxin.members.identity import identity_report_list
from sanxin.members.models import (
    IdentityReportStatus,
    Member,
    MobileDirection,
    MobileRegistration,
    RelationMode,
    Transfer,
)
from sanxin.mine.calendar import token_hash
from sanxin.mine.models import CalendarFeed
from sanxin.party.models import PartyOrganization

PAST_DAYS = 365  # the past meetings a member sees (and the calendar carries)


def my_member(user) -> Member | None:
    """The user's own member record (one account holds at most one)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.select_related("party_organization", "party_organization__region", "employer").filter(user=user).first()


def _own_attendances(user):
    return Attendance.objects.filter(member__user=user).select_related(
        "meeting", "meeting__meeting_type", "meeting__party_organization", "meeting__party_organization__region"
    )


def my_attendances(user, *, upcoming: bool, now: datetime | None = None):
    """The user's rows at the meetings they are expected at: those not ended yet (soonest first), or the past
    year's (latest first)."""
    now = now or timezone.now()
    rows = _own_attendances(user)
    if upcoming:
        return rows.filter(meeting__ends_at__gte=now).order_by("meeting__starts_at", "meeting_id")
    return rows.filter(meeting__ends_at__lt=now, meeting__starts_at__gte=now - timedelta(days=PAST_DAYS)).order_by(
        "-meeting__starts_at", "-meeting_id"
    )


def access_my_meeting(pk, *, user) -> Attendance:
    """The user's own row at one meeting (with the meeting), else 404: a meeting the user is not expected at does
    not exist for these pages, whatever the user's scope elsewhere."""
    if not user.can("mine.view"):
        raise Http404
    meeting_id = parse_id(pk)  # a foreign key's lookup, unlike a primary key's, passes an id past BIGINT to the database
    if meeting_id is None:
        raise Http404
    try:
        return _own_attendances(user).get(meeting_id=meeting_id)
    except (Attendance.DoesNotExist, Attendance.MultipleObjectsReturned):
        raise Http404 from None


@dataclass
class MeetingState:
    """What a member may do about a meeting now."""

    can_sign_in: bool  # the window is open and they have not attended yet
    sign_in_by_button: bool  # online or mixed: the button signs them in as 线上参会; offline: scan the QR code
    can_ask_leave: bool  # before the start, not attended
    phase: str  # 未开始 / 可签到 / 进行中 / 已结束


def meeting_state(row: Attendance, *, now: datetime | None = None) -> MeetingState:
    now = now or timezone.now()
    meeting = row.meeting
    attended = row.state in (AttendanceState.PRESENT, AttendanceState.ONLINE)
    window = meeting.starts_at - SIGN_IN_OPENS_BEFORE <= now <= meeting.ends_at
    if now > meeting.ends_at:
        phase = "已结束"
    elif now >= meeting.starts_at:
        phase = "进行中"
    elif window:
        phase = "可签到"
    else:
        phase = "未开始"
    return MeetingState(
        can_sign_in=window and not attended,
        sign_in_by_button=meeting.mode != MeetingMode.OFFLINE,
        can_ask_leave=now < meeting.starts_at and not attended,
        phase=phase,
    )


def next_meeting(user, *, now: datetime | None = None) -> tuple[Attendance, MeetingState] | None:
    """The user's next meeting not yet ended, and what they may do about it (the home page's first thing to do)."""
    now = now or timezone.now()
    row = my_attendances(user, upcoming=True, now=now).first()
    return (row, meeting_state(row, now=now)) if row else None


# -------------------------------------------------------------------------------------------- my organization


@dataclass
class MyOrganization:
    party_organization: PartyOrganization | None
    name: str  # the Party organization's name, or the free text of one not on the platform
    how: str  # 组织关系所在 / 在此参加组织生活 …
    members_count: int | None = None
    next_meetings: list | None = None


def my_organizations(user, *, now: datetime | None = None) -> list[MyOrganization]:
    """Where the member's relation is held and where they attend: their Party organization (how, by their relation
    mode), the organization of an open outflow registration (where they attend away), and the home organization
    of an open inflow registration (where the relation is, often off the platform)."""
    member = my_member(user)
    if member is None:
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    how = {
        RelationMode.LOCAL: "组织关系在本组织，在此参加组织生活",
        RelationMode.MOBILE: "流动党员，在此参加组织生活",
        RelationMode.POCKET: "在此参加组织生活（组织关系尚未转入，请尽快办理转接）",
        RelationMode.LOST: "失联状态，请与党组织联系",
    }[member.relation_mode]
    found = [MyOrganization(member.party_organization, member.party_organization.name, how)]
    open_registrations = my_mobile_registrations(user).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today)
    for registration in open_registrations:
        if registration.direction == MobileDirection.OUTFLOW and registration.destination_organization_id:
            org = registration.destination_organization
            found.append(MyOrganization(org, org.name, f"流出期间在此参加组织生活（{registration.destination}）"))
        elif registration.direction == MobileDirection.INFLOW and registration.home_organization:
            found.append(MyOrganization(None, registration.home_organization, "组织关系所在党组织"))
    ids = [o.party_organization.pk for o in found if o.party_organization is not None]
    counts = dict(
        Member.objects.filter(party_organization_id__in=ids)
        .exclude(relation_mode=RelationMode.LOST)
        .order_by()
        .values_list("party_organization_id")
        .annotate(n=Count("pk"))
    )
    upcoming = list(my_attendances(user, upcoming=True, now=now)[:20])
    for org in found:
        if org.party_organization is not None:
            org.members_count = counts.get(org.party_organization.pk, 0)
            org.next_meetings = [row for row in upcoming if row.meeting.party_organization_id == org.party_organization.pk][:3]
    return found


# ------------------------------------------------------------------------------------ my reports and transfers


def my_identity_reports(user):
    """The 亮身份 reports the user made (the members app's own list, cut to the reporter)."""
    return identity_report_list(user=user, mine=True).order_by("-created_at", "-pk")


def pending_identity_reports(user):
    return my_identity_reports(user).filter(status=IdentityReportStatus.SUBMITTED)


def my_transfers(user):
    """The relation transfers of the user's own member record, newest first."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Transfer.objects.none()
    return Transfer.objects.filter(member__user=user).select_related("from_organization__region", "to_organization__region")


def my_transfers_with_timeline(user) -> list[tuple[Transfer, list]]:
    return [(transfer, timeline(transfer)) for transfer in my_transfers(user)]


def my_mobile_registrations(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return MobileRegistration.objects.none()
    return MobileRegistration.objects.filter(member__user=user).select_related("destination_organization")


# --------------------------------------------------------------------------------------- my meetings' calendar


def my_calendar_meetings(user, *, now: datetime | None = None):
    """The meetings the calendar carries: the past year's and every one to come that the user is expected at."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(attendances__member__user=user, starts_at__gte=now - timedelta(days=PAST_DAYS))
        .select_related("party_organization", "meeting_type")
        .order_by("starts_at", "pk")
        .distinct()
    )


def feed_user(token: str):
    """The account whose calendar this token opens, or None (unknown, reset, inactive or no longer allowed)."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=token_hash(token)).first()
    if feed is None or not feed.user.is_active or not feed.user.can("mine.view"):
        return None
    return feed.user
