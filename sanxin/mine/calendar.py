"""The member's meetings as iCalendar (RFC 5545), for the phone's calendar: a subscription feed of all of them and a
one-off file per meeting. Only what the meeting's own page shows the member: type, topic, time, place or link,
agenda, the Party organization; never an ID number, a phone or another member."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from sanxin.life.models import Meeting, MeetingMode

PRODID = "-//三新党建工作平台//我的会议//ZH"
REMINDER_BEFORE = timedelta(hours=1)  # the phone reminds an hour before a meeting


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored of a subscription token (the token itself is shown once and kept by the phone)."""
    return hashlib.sha256(f"sanxin.mine.calendar:{token}".encode()).hexdigest()


def _event(meeting: Meeting, *, host: str) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", f"{meeting.meeting_type.name}：{meeting.topic}")
    places = []
    if meeting.mode != MeetingMode.ONLINE and meeting.place:
        places.append(meeting.place)
    if meeting.mode != MeetingMode.OFFLINE and meeting.link:
        places.append(f"线上：{meeting.link}")
    if places:
        event.add("location", "；".join(places))
    lines = [f"党组织：{meeting.party_organization.name}", f"形式：{meeting.get_mode_display()}"]
    if meeting.agenda:
        lines += ["议程：", meeting.agenda]
    event.add("description", "\n".join(lines))
    event.add("last-modified", meeting.updated_at)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"{meeting.topic} 即将开始")
    alarm.add("trigger", -REMINDER_BEFORE)
    event.add_component(alarm)
    return event


def calendar_bytes(meetings: Iterable[Meeting], *, host: str, name: str = "我的组织生活会议") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        calendar.add_component(_event(meeting, host=host))
    return calendar.to_ical()
