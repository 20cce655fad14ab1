"""Meetings: expected attendees snapshotted when planned, the record's rules, the scope of changes, attendance
recorded by the secretary; every rule refused with its Chinese reason and nothing written."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from sanxin.core.guards import Refused
from sanxin.core.models import AuditEvent
from sanxin.life import services
from sanxin.life.models import Attendance, AttendanceState, Frequency, Meeting, MeetingType, period_key
from sanxin.life.selectors import access_meeting, meeting_list, period_range
from sanxin.life.services import meeting_attendance_update, meeting_update
from tests.life.conftest import make_meeting, meeting_fields
from tests.members_factories import make_member


def test_planned_meeting_expects_the_members_mobile_ones_included_lost_ones_not(personas, meeting, members):
    rows = {a.member_name: a for a in meeting.attendances.all()}
    assert set(rows) == {"胡书记", "林小勇", "王芳", "赵磊"}
    assert rows["林小勇"].relation_mode == "mobile"
    assert all(a.state == AttendanceState.UNRECORDED for a in rows.values())
    assert len(meeting.code) == 6 and meeting.code.isdigit()
    event = AuditEvent.objects.get(action="meeting_create")
    assert event.detail["expected"] == 4 and event.detail["new"]["topic"] == meeting.topic


def test_the_register_is_planned_from_the_branch_and_follows_it_until_the_start(personas, branch, meeting, members):
    """More in tests/life/test_expected.py."""
    make_member(personas["county"], branch, name="新来的党员")
    assert meeting.attendances.filter(member_name="新来的党员").exists()
    later = make_meeting(personas["county"], branch, topic="下一次党课")
    assert later.attendances.filter(member_name="新来的党员").exists()


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"topic": "  "}, "topic", "会议主题不能为空"),
        ({"ends_at": "before"}, "ends_at", "结束时间应晚于开始时间"),
        ({"ends_at": "two days"}, "ends_at", "一次会议不能超过 24 小时"),
        ({"mode": "offline", "place": ""}, "place", "线下会议须填写地点"),
        ({"mode": "online", "link": ""}, "link", "线上会议须填写线上会议链接或会议号"),
        ({"mode": "mixed", "link": ""}, "link", "线上线下结合会议须填写线上会议链接或会议号"),
    ],
)
def test_rules_of_a_meeting_are_refused_and_nothing_written(personas, branch, members, change, field, reason):
    fields = meeting_fields(branch, **{k: v for k, v in change.items() if k != "ends_at"})
    if change.get("ends_at") == "before":
        fields["ends_at"] = fields["starts_at"] - timedelta(minutes=1)
    elif change.get("ends_at") == "two days":
        fields["ends_at"] = fields["starts_at"] + timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        services.meeting_create(actor=personas["county"], **fields)
    assert refused.value.message_dict[field] == [reason]
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_a_party_organization_outside_the_scope_is_refused(personas, branch, members):
    with pytest.raises(ValidationError) as refused:
        make_meeting(personas["other_county"], branch)
    assert refused.value.message_dict["party_organization"] == ["所选党组织不在您的管辖范围内"]
    assert not Meeting.objects.exists()


def test_a_viewer_without_the_right_cannot_plan(personas, branch, members):
    with pytest.raises(Refused):
        make_meeting(personas["member"], branch)
    assert not Meeting.objects.exists()


def test_the_secretary_plans_for_their_own_branch_only(personas, branch, other_branch, members):
    own = make_meeting(personas["secretary"], branch)
    assert own.created_by == personas["secretary"]
    with pytest.raises(ValidationError) as refused:
        make_meeting(personas["secretary"], other_branch)
    assert refused.value.message_dict["party_organization"] == ["所选党组织不在您的管辖范围内"]


def test_editing_a_meeting_outside_the_scope_is_refused(personas, meeting):
    with pytest.raises(ValidationError) as refused:
        meeting_update(actor=personas["other_county"], meeting=meeting, topic="改掉")
    assert refused.value.messages == [f"会议“{meeting.topic}”所属的党组织“滕王阁快递党支部”不在您的管辖范围内，不能修改"]
    assert Meeting.objects.get(pk=meeting.pk).topic == meeting.topic
    assert not AuditEvent.objects.filter(action="meeting_update").exists()
    with pytest.raises(Http404):
        access_meeting(meeting.pk, user=personas["other_county"], for_write=True)
    with pytest.raises(Http404):
        access_meeting(meeting.pk, user=personas["other_county"])


def test_update_audits_old_and_new_and_keeps_the_party_organization(personas, meeting, other_branch):
    meeting_update(actor=personas["county"], meeting=meeting, minutes="一、学习文件\n二、交流发言")
    event = AuditEvent.objects.get(action="meeting_update")
    assert event.detail["changes"]["minutes"] == {"old": "", "new": "一、学习文件\n二、交流发言"}
    with pytest.raises(ValidationError) as refused:
        meeting_update(actor=personas["province"], meeting=meeting, party_organization=other_branch)
    assert refused.value.message_dict["party_organization"] == ["会议的党组织不能更改；如有错误请另建会议"]


def test_the_code_is_unique_among_meetings_not_ended(personas, branch, members, monkeypatch):
    first = make_meeting(personas["county"], branch)
    ended = make_meeting(personas["county"], branch, starts_at=timezone.now() - timedelta(days=3), topic="上月党课")
    Meeting.objects.filter(pk=ended.pk).update(code="777777")
    draws = iter([int(first.code), 777777])
    monkeypatch.setattr(services.secrets, "randbelow", lambda n: next(draws))
    second = make_meeting(personas["county"], branch, topic="另一场")
    assert second.code == "777777"  # the open meeting's code was drawn and refused; an ended one's may come back


def test_a_code_taken_by_a_concurrent_plan_is_refused_by_the_database_and_drawn_again(personas, branch, members, monkeypatch):
    """A racer planned a meeting with the same code after our look at the taken codes and before our write: the
    unique claim (open_code) refuses our write, and a new code is drawn."""
    racer = make_meeting(personas["county"], branch, topic="同时新建的会议")
    draws = iter([racer.code, "654321" if racer.code != "654321" else "123456"])
    monkeypatch.setattr(services, "new_meeting_code", lambda **_: next(draws))  # the look saw the racer's code as free
    ours = make_meeting(personas["county"], branch, topic="我们的会议")
    assert ours.code != racer.code and ours.open_code == ours.code and racer.open_code == racer.code
    assert Meeting.objects.filter(code=racer.code, ends_at__gte=timezone.now()).count() == 1
    # The database itself holds the rule, whatever the code above does.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=ours.pk).update(open_code=racer.code)
    # Draws that never find a free code end in a Chinese refusal, nothing written.
    monkeypatch.setattr(services, "new_meeting_code", lambda **_: racer.code)
    with pytest.raises(ValidationError) as refused:
        make_meeting(personas["county"], branch, topic="第三场")
    assert refused.value.messages == ["暂时无法分配会议码，请稍后再试"]
    assert not Meeting.objects.filter(topic="第三场").exists()


def test_an_ended_meetings_claim_is_released_when_a_code_is_handed_out(personas, branch, members, monkeypatch):
    ended = make_meeting(personas["county"], branch, starts_at=timezone.now() - timedelta(days=3), topic="上月党课")
    assert ended.open_code is None  # planned after the fact: never claims
    open_one = make_meeting(personas["county"], branch, topic="本周党课")
    Meeting.objects.filter(pk=open_one.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    monkeypatch.setattr(services, "new_meeting_code", lambda **_: open_one.code)
    reused = make_meeting(personas["county"], branch, topic="下周党课")
    open_one.refresh_from_db()
    assert reused.code == reused.open_code == open_one.code and open_one.open_code is None
    assert services.meeting_for_code(reused.code) == reused


def test_an_ended_meeting_moved_into_the_future_takes_a_free_code(personas, branch, members):
    open_one = make_meeting(personas["county"], branch)
    ended = make_meeting(personas["county"], branch, starts_at=timezone.now() - timedelta(days=3), topic="补开的党课")
    Meeting.objects.filter(pk=ended.pk).update(code=open_one.code)
    ended.refresh_from_db()
    starts = timezone.now() + timedelta(days=1)
    meeting_update(actor=personas["county"], meeting=ended, starts_at=starts, ends_at=starts + timedelta(hours=1))
    ended.refresh_from_db()
    assert ended.code != open_one.code and len(ended.code) == 6


def test_attendance_recorded_by_the_secretary_is_audited(personas, meeting, members):
    changed = meeting_attendance_update(
        actor=personas["secretary"],
        meeting=meeting,
        changes={members["local"].pk: ("present", ""), members["pocket"].pk: ("leave", "外地出差")},
    )
    assert changed == 2
    rows = {a.member_name: a for a in meeting.attendances.all()}
    assert (rows["王芳"].state, rows["王芳"].source) == ("present", "secretary")
    assert (rows["赵磊"].state, rows["赵磊"].leave_reason) == ("leave", "外地出差")
    detail = AuditEvent.objects.get(action="meeting_attendance_update").detail["changes"]
    assert {"member": members["pocket"].pk, "old": ["unrecorded", ""], "new": ["leave", "外地出差"]} in detail


@pytest.mark.parametrize(
    ("who", "state", "reason", "message"),
    [
        ("pocket", "leave", " ", "赵磊：请假须填写请假事由"),
        ("lost", "present", "", "不在会议“学习党的二十届四中全会精神”的应到人员名单中"),
        ("elsewhere", "absent", "", "不在会议“学习党的二十届四中全会精神”的应到人员名单中"),
        ("local", "late", "", "王芳：出席情况“late”不在可选范围内"),
    ],
)
def test_attendance_rules_refuse_the_whole_change(personas, meeting, members, who, state, reason, message):
    with pytest.raises(ValidationError) as refused:
        meeting_attendance_update(
            actor=personas["county"],
            meeting=meeting,
            changes={members["secretary"].pk: ("present", ""), members[who].pk: (state, reason)},
        )
    assert any(message in m for m in refused.value.messages), refused.value.messages
    assert set(meeting.attendances.values_list("state", flat=True)) == {"unrecorded"}
    assert not AuditEvent.objects.filter(action="meeting_attendance_update").exists()


def test_attendance_outside_the_scope_is_refused(personas, meeting, members):
    with pytest.raises(ValidationError) as refused:
        meeting_attendance_update(actor=personas["other_county"], meeting=meeting, changes={members["local"].pk: ("absent", "")})
    assert "不在您的管辖范围内，不能修改" in refused.value.messages[0]
    assert meeting.attendances.get(member=members["local"]).state == "unrecorded"


def test_list_filters_by_organization_type_and_period(personas, branch, other_branch, members):
    march = timezone.make_aware(timezone.datetime(2026, 3, 20, 15, 0))
    a = make_meeting(personas["county"], branch, starts_at=march, topic="三月党课")
    committee = MeetingType.objects.get(code="branch_committee")
    b = make_meeting(personas["county"], branch, starts_at=march + timedelta(days=30), topic="四月支委会", meeting_type=committee)
    c = make_meeting(personas["other_county"], other_branch, starts_at=march, topic="西湖党课")
    province = personas["province"]

    def topics(**filters):
        return set(meeting_list(user=province, **filters).values_list("topic", flat=True))

    assert topics() == {"三月党课", "四月支委会", "西湖党课"}
    assert topics(party_org=branch.pk) == {"三月党课", "四月支委会"}
    assert topics(meeting_type=committee.pk) == {"四月支委会"}
    assert topics(period="2026-03") == {"三月党课", "西湖党课"}
    assert topics(period="2026-Q2") == {"四月支委会"}
    assert topics(period="2026-H1") == topics(period="2026") == {a.topic, b.topic, c.topic}
    assert topics(period="2026-13") == set() and topics(party_org="x") == set()
    assert set(meeting_list(user=personas["county"]).values_list("topic", flat=True)) == {"三月党课", "四月支委会"}
    counted = meeting_list(user=province).get(pk=a.pk)
    assert (counted.expected, counted.attended) == (4, 0)


def test_periods_make_required_against_held_countable():
    assert period_range("2026-Q3")[0].isoformat() == "2026-07-01" and period_range("2026-Q4")[1].isoformat() == "2027-01-01"
    assert period_range("2026-H2")[0].month == 7 and period_range("2026-12")[1].isoformat() == "2027-01-01"
    assert period_range("26-1") is None and period_range("2026-Q5") is None
    day = timezone.datetime(2026, 8, 15).date()
    assert [period_key(f, day) for f in Frequency.values] == ["2026-08", "2026-Q3", "2026-H2", "2026"]


def test_required_and_held_per_organization_and_period(personas, branch, members):
    from sanxin.life.selectors import required_and_held
    from sanxin.life.services import meeting_type_set_frequency

    def at(month, day):
        return timezone.make_aware(timezone.datetime(2026, month, day, 15, 0))

    committee = MeetingType.objects.get(code="branch_committee")
    for month in (1, 2, 4):
        make_meeting(personas["county"], branch, starts_at=at(month, 10), meeting_type=committee, topic=f"{month}月支委会")
    make_meeting(personas["county"], branch, starts_at=at(2, 20), topic="一季度党课")
    make_meeting(personas["county"], branch, starts_at=at(3, 5), topic="又一次党课")  # the same quarter: counted once
    rows = {row["type"].code: row for row in required_and_held(branch, year=2026)}
    assert rows["branch_committee"]["held"] == ["2026-01", "2026-02", "2026-04"]
    assert len(rows["branch_committee"]["missing"]) == 9 and "2026-03" in rows["branch_committee"]["missing"]
    assert rows["party_lecture"]["required"] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert rows["party_lecture"]["held"] == ["2026-Q1"]
    assert rows["member_review"] == rows["member_review"] | {"required": ["2026"], "held": [], "missing": ["2026"]}
    # The county asks its branches for a 党课 every half year: the requirement follows.
    meeting_type_set_frequency(
        actor=personas["county"], meeting_type=MeetingType.objects.get(code="party_lecture"), frequency="half_yearly"
    )
    rows = {row["type"].code: row for row in required_and_held(branch, year=2026)}
    assert (rows["party_lecture"]["required"], rows["party_lecture"]["missing"]) == (["2026-H1", "2026-H2"], ["2026-H2"])
