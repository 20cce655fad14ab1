"""Expected attendees follow the Party organization until the meeting starts (sanxin.life.services.meeting_expected_refresh):
who joins (or comes to attend as a mobile member) is added, who leaves or is marked lost (失联) is dropped while
nothing is recorded for them; from the start the register stays as it was. Lost members are not expected at meetings
planned after they were marked, and count in no figure of the meeting."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from sanxin.core.models import AuditEvent
from sanxin.life.models import Attendance
from sanxin.life.selectors import attendance_counts, meeting_list
from sanxin.life.services import meeting_attendance_update, meeting_expected_refresh, meeting_sign_in, registers_follow_membership
from sanxin.members.mobility import member_mark_lost, member_recover, mobile_inflow_register
from sanxin.members.services import member_update
from tests.life.conftest import make_meeting
from tests.members_factories import make_member


def names(meeting) -> set[str]:
    return set(Attendance.objects.filter(meeting=meeting).values_list("member_name", flat=True))


def test_a_member_who_joins_before_the_start_is_expected_at_once(personas, client_for, branch, meeting, members):
    make_member(personas["county"], branch, name="新党员")
    assert "新党员" in names(meeting)  # the member service tells life, in its own transaction
    event = AuditEvent.objects.get(action="meeting_expected_refresh")
    assert event.actor_id is None and [a["name"] for a in event.detail["added"]] == ["新党员"] and event.detail["dropped"] == []
    # Opening the meeting writes nothing: no refresh, nothing audited again.
    page = client_for("secretary").get(reverse("life:meeting_detail", args=[meeting.pk])).content.decode()
    assert "新党员" in page
    assert AuditEvent.objects.filter(action="meeting_expected_refresh").count() == 1


def test_a_member_who_leaves_is_dropped_and_a_started_meeting_keeps_its_register(personas, branch, other_branch, meeting, members):
    started = make_meeting(personas["county"], branch, topic="已开始的党课", starts_at=timezone.now() - timedelta(minutes=10))
    assert "赵磊" in names(meeting) and "赵磊" in names(started)
    member_update(actor=personas["province"], member=members["pocket"], party_organization=other_branch)
    assert "赵磊" not in names(meeting)
    assert "赵磊" in names(started)  # from the start the register is what it was


def test_a_mobile_member_coming_to_attend_is_expected(personas, client_for, branch, other_branch, meeting, members):
    """A member who moves here and attends as a mobile member signs in (the window opens 30 minutes before)."""
    moved = members["member"]  # 林小勇, with an account
    there = make_meeting(personas["other_county"], other_branch, topic="西湖区支部党课")
    assert "林小勇" in names(meeting) and "林小勇" not in names(there)
    member_update(actor=personas["province"], member=moved, party_organization=other_branch)
    mobile_inflow_register(actor=personas["other_county"], member=moved, home_organization="东湖区某党支部", starts_on=date.today())
    moved.refresh_from_db()
    assert moved.relation_mode == "mobile"
    row = meeting_sign_in(actor=personas["member"], meeting=there, by_qr=False, now=there.starts_at - timedelta(minutes=5))
    assert row.member == moved and row.state == "online" and row.relation_mode == "mobile"
    # Gone from the branch they left, where nothing was recorded for them.
    response = client_for("county").get(f"/api/v1/meetings/{meeting.pk}")
    assert "林小勇" not in {a["name"] for a in response.json()["attendances"]}
    assert "林小勇" not in names(meeting)


def test_one_who_left_stays_on_the_register_when_something_was_recorded(personas, branch, other_branch, meeting, members):
    meeting_attendance_update(actor=personas["county"], meeting=meeting, changes={members["local"].pk: ("leave", "出差")})
    member_update(actor=personas["province"], member=members["local"], party_organization=other_branch)
    member_update(actor=personas["province"], member=members["pocket"], party_organization=other_branch)
    assert "王芳" in names(meeting) and "赵磊" not in names(meeting)
    assert meeting_expected_refresh(meeting) == ([], [])  # the member services brought it up to date already


def test_from_the_start_the_register_stays_as_it_was(personas, client_for, branch, other_branch, meeting, members):
    before = names(meeting)
    Attendance.objects.filter(meeting=meeting, member=members["local"]).delete()  # as if 王芳 had left before
    started = meeting.starts_at + timedelta(minutes=1)
    assert meeting_expected_refresh(meeting, now=started) == ([], [])
    registers_follow_membership(party_organizations={branch.pk}, now=started)
    assert names(meeting) == before - {"王芳"}


def test_a_member_marked_lost_is_not_expected_nor_counted(personas, branch, meeting, members):
    county = personas["county"]
    member_mark_lost(actor=county, member=members["local"], on=timezone.localdate(), reason="电话停机，多次联系不上")
    later = make_meeting(county, branch, topic="失联之后计划的会议")
    assert "王芳" not in names(later)
    # Marked lost after the planning and before the start: dropped while nothing is recorded.
    meeting_expected_refresh(meeting)
    assert "王芳" not in names(meeting)
    for m in (meeting, later):
        counted = meeting_list(user=county).get(pk=m.pk)
        assert counted.expected == 3 and counted.attended == 0
        assert sum(n for _, _, n in attendance_counts(m)) == 3
    # Recovered before the start: expected again.
    member_recover(actor=county, member=members["local"], on=timezone.localdate(), note="已联系上，在深圳务工")
    meeting_expected_refresh(later)
    assert "王芳" in names(later)
