"""Reads of organizational life, cut to the scope: a meeting is seen by whoever sees its Party organization, by
that organization's secretary and by the members expected at it."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from sanxin.core.scope import access, scoped, user_scope
from sanxin.life.models import (
    PRESENT_STATES,
    Attendance,
    AttendanceState,
    Frequency,
    Meeting,
    MeetingType,
    MeetingTypeFrequency,
    period_key,
)
from sanxin.members.models import Member, RelationMode
from sanxin.members.selectors import manageable_party_orgs
from sanxin.party.models import PartyOrganization
from sanxin.regions.models import Region

# A year from 1900 to 2999, alone or with a month, a quarter or a half (the API documents the same pattern).
PERIOD_PATTERN = r"^((?:19|2\d)\d{2})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])))?$"
PERIOD = re.compile(PERIOD_PATTERN)


def period_range(text: str) -> tuple[date, date] | None:
    """The first day and the day after the last of a period written 2026, 2026-H2, 2026-Q3 or 2026-09; None if
    the text is none of these."""
    found = PERIOD.match((text or "").strip())
    if not found:
        return None
    year, month, quarter, half = found.groups()
    year = int(year)
    if month:
        first, months = int(month), 1
    elif quarter:
        first, months = (int(quarter) - 1) * 3 + 1, 3
    elif half:
        first, months = (int(half) - 1) * 6 + 1, 6
    else:
        first, months = 1, 12
    end_month = first + months
    end = date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    return date(year, first, 1), end


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def meeting_list(*, user, party_org: str | int = "", meeting_type: str | int = "", period: str = "", q: str = ""):
    meetings = scoped(Meeting.objects.select_related("party_organization", "party_organization__region", "meeting_type"), user).annotate(
        expected=Count("attendances", distinct=True),
        attended=Count("attendances", filter=Q(attendances__state__in=PRESENT_STATES), distinct=True),
    )
    if q:
        meetings = meetings.filter(topic__icontains=q)
    for name, value in (("party_organization_id", party_org), ("meeting_type_id", meeting_type)):
        if value not in ("", None):
            try:
                meetings = meetings.filter(**{name: int(value)})
            except (TypeError, ValueError):
                meetings = meetings.none()
    if period:
        bounds = period_range(period)
        if bounds is None:
            return meetings.none()
        meetings = meetings.filter(starts_at__gte=_aware(bounds[0]), starts_at__lt=_aware(bounds[1]))
    return meetings


def access_meeting(pk, *, user, for_write: bool = False) -> Meeting:
    """One meeting inside the user's scope, else 404; writes only where its Party organization sits (or by its
    secretary)."""
    queryset = Meeting.objects.select_related("party_organization", "party_organization__region", "meeting_type")
    if not for_write:
        return access(queryset, pk, user, capability="life.view")
    meeting = access(queryset, pk, user, capability="life.manage")
    if not manageable_party_orgs(user).filter(pk=meeting.party_organization_id).exists():
        raise Http404  # seen through a covered organization, or a secretary of another organization
    return meeting


def meeting_attendances(meeting: Meeting):
    return meeting.attendances.select_related("member").order_by("member_name", "pk")


def attendance_counts(meeting: Meeting) -> list[tuple[str, str, int]]:
    counts = dict(meeting.attendances.order_by().values_list("state").annotate(n=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in AttendanceState.choices]


def expected_members(party_organization: PartyOrganization):
    """Who is expected at a meeting of a Party organization: its members, mobile members attending there
    included; those who lost contact (失联) are not expected."""
    return Member.objects.filter(party_organization=party_organization).exclude(relation_mode=RelationMode.LOST).order_by("name", "pk")


def own_attendance(meeting: Meeting, user) -> Attendance | None:
    """The user's own row at the meeting, if they are an expected attendee."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return meeting.attendances.filter(member__user=user).first()


def my_meetings(user, *, now: datetime | None = None):
    """The meetings a member is expected at, from those open for sign-in now to the last month's."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(attendances__member__user=user, ends_at__gte=now - timedelta(days=30))
        .select_related("party_organization", "meeting_type")
        .order_by("starts_at", "pk")
    )


# Meeting types and their frequency: the most specific region's own frequency wins, else the type's default.


def _region_chain(code: str | None) -> list[str]:
    """A region code and the codes above it, most specific first."""
    if not code:
        return []
    return [code[:n] for n in (12, 9, 6, 4, 2) if n <= len(code)]


def effective_frequencies(region_code: str | None) -> dict[int, tuple[str, str | None]]:
    """meeting type id → (frequency, the region code that set it, None for the default), for a region."""
    chain = _region_chain(region_code)
    result = {t.pk: (t.frequency, None) for t in MeetingType.objects.all()}
    overrides = MeetingTypeFrequency.objects.filter(region_id__in=chain) if chain else []
    best: dict[int, str] = {}
    for override in overrides:
        held = best.get(override.meeting_type_id)
        if held is None or len(override.region_id) > len(held):
            best[override.meeting_type_id] = override.region_id
            result[override.meeting_type_id] = (override.frequency, override.region_id)
    return result


def frequency_for(meeting_type: MeetingType, region_code: str | None) -> str:
    return effective_frequencies(region_code).get(meeting_type.pk, (meeting_type.frequency, None))[0]


def all_period_keys(frequency: str, year: int) -> list[str]:
    """Every period of `frequency` in a year, in order: what a meeting type of that frequency requires."""
    firsts = [date(year, month, 1) for month in range(1, 13)]
    return list(dict.fromkeys(period_key(frequency, day) for day in firsts))


def required_and_held(party_organization: PartyOrganization, *, year: int) -> list[dict]:
    """For each meeting type required of the Party organization's level: the frequency in force where it sits,
    the periods of the year it requires, those in which a meeting of the type was held, and those missing. The
    figures of 三会一课落实率 are counts of these."""
    effective = effective_frequencies(party_organization.region_id)
    starts = Meeting.objects.filter(
        party_organization=party_organization, starts_at__gte=_aware(date(year, 1, 1)), starts_at__lt=_aware(date(year + 1, 1, 1))
    ).values_list("meeting_type_id", "starts_at")
    held_days: dict[int, list[date]] = {}
    for type_id, moment in starts:
        held_days.setdefault(type_id, []).append(timezone.localtime(moment).date())
    rows = []
    for meeting_type in MeetingType.objects.all():
        if not meeting_type.applies_to(party_organization.level):
            continue  # not required of this level (a branch's meeting, of a 党委 or 党总支)
        frequency = effective[meeting_type.pk][0]
        required = all_period_keys(frequency, year)
        held = {period_key(frequency, day) for day in held_days.get(meeting_type.pk, [])}
        rows.append(
            {
                "type": meeting_type,
                "frequency": frequency,
                "required": required,
                "held": [key for key in required if key in held],
                "missing": [key for key in required if key not in held],
            }
        )
    return rows


def meeting_type_rows(user) -> list[dict]:
    """The meeting types page: each type's default and the frequency in force in the user's own region."""
    region_code = own_region_code(user)
    effective = effective_frequencies(region_code)
    names = dict(Region.objects.filter(code__in=_region_chain(region_code)).values_list("code", "full_name"))
    labels = dict(Frequency.choices)
    rows = []
    for meeting_type in MeetingType.objects.all():
        frequency, source = effective[meeting_type.pk]
        rows.append(
            {
                "type": meeting_type,
                "default_label": labels[meeting_type.frequency],
                "frequency": frequency,
                "frequency_label": labels[frequency],
                "set_by": names.get(source, source) if source else None,
                "set_here": source is not None and source == region_code,
            }
        )
    return rows


def own_region_code(user) -> str | None:
    """The region a territorial user works for (None for nationwide and for users without territory)."""
    scope = user_scope(user)
    return scope.region_prefix if not scope.empty and not scope.nationwide else None


def meeting_party_org_choices(user):
    """Where the user may plan meetings: the Party organizations they may keep."""
    return manageable_party_orgs(user).order_by("region_id", "name")


def filter_party_orgs(user):
    """The Party organizations offered in the list filter: those the user sees."""
    return scoped(PartyOrganization.objects.select_related("region"), user).order_by("region_id", "name")[:500]
