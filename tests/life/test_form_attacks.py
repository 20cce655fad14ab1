"""The meeting forms under attack (create, edit, attendance, sign-in): over-long text, NUL, whitespace-only required
fields, another county's ids, full-width digits. Each refused with a Chinese message naming the field, nothing written.

Full-width digits read as half-width where a code or a time is expected (tests/core/test_full_width.py): a meeting
code typed ６５４３２１ signs in to meeting 654321, a time typed full-width is that time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanxin.core.models import AuditEvent
from sanxin.life.models import Attendance, Meeting
from tests.life.conftest import make_meeting

FULL = {code: code + 0xFEE0 for code in range(ord("0"), ord("9") + 1)}  # full-width digits only
TOO_LONG = "确保该变量包含不超过"
REQUIRED = "这个字段是必填项"


def full(text: str) -> str:
    return text.translate(FULL)


def written() -> tuple:
    return (
        AuditEvent.objects.count(),
        tuple(Meeting.objects.order_by("pk").values_list("topic", "starts_at", "minutes", "code")),
        tuple(Attendance.objects.order_by("pk").values_list("state", "leave_reason", "signed_in_at")),
    )


def form(branch, **changes) -> dict:
    starts = timezone.localtime() + timedelta(days=1)
    data = {
        "party_organization": str(branch.pk),
        "meeting_type": "1",
        "topic": "学习党章",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "mode": "offline",
        "place": "党群服务中心",
    }
    return data | changes


CASES = [
    ("topic-long", {"topic": "题" * 201}, f"{TOO_LONG} 200 字符"),
    ("topic-blank", {"topic": "\u3000  "}, REQUIRED),
    ("place-long", {"place": "地" * 201}, f"{TOO_LONG} 200 字符"),
    ("place-blank-offline", {"place": "   "}, "线下会议须填写地点"),
    ("host-long", {"host": "主" * 51}, f"{TOO_LONG} 50 字符"),
    ("starts-not-a-time", {"starts_at": "明天下午"}, "输入一个有效的日期/时间"),
    ("starts-blank", {"starts_at": " "}, "输入一个有效的日期/时间"),
    ("type-full-width-unknown", {"meeting_type": full("99")}, "选择一个有效的选项"),
    ("mode-unknown", {"mode": "offline2"}, "选择一个有效的选项"),
]


@pytest.mark.parametrize(("changes", "says"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_meeting_form_refuses_and_writes_nothing(client_for, branch, members, changes, says):
    client = client_for("county")
    before = written()
    page = client.post("/life/meetings/new/", form(branch, **changes)).content.decode()
    assert says in page
    assert written() == before


def test_another_countys_party_organization_or_meeting(personas, client_for, branch, other_branch, members, meeting):
    client, there = client_for("county"), client_for("other_county")
    before = written()
    page = client.post("/life/meetings/new/", form(other_branch)).content.decode()
    assert "选择一个有效的选项" in page
    assert there.post(f"/life/meetings/{meeting.pk}/edit/", form(branch, topic="改")).status_code == 404
    assert there.post(f"/life/meetings/{meeting.pk}/attendance/", {f"state-{members['local'].pk}": "absent"}).status_code == 404
    assert written()[1:] == before[1:]


def test_the_edit_form_refuses_over_long_text_and_nul(client_for, branch, meeting):
    client = client_for("county")
    before = written()
    page = client.post(f"/life/meetings/{meeting.pk}/edit/", form(branch, topic="题" * 201)).content.decode()
    assert f"{TOO_LONG} 200 字符" in page
    assert written() == before
    response = client.post(f"/life/meetings/{meeting.pk}/edit/", form(branch, minutes="记录\x00"))
    assert response.status_code == 400 and "控制字符" in response.content.decode()
    assert written()[1:] == before[1:]


def test_a_full_width_time_reads_as_that_time(client_for, branch, members):
    starts = (timezone.localtime() + timedelta(days=2)).replace(second=0, microsecond=0)
    data = form(
        branch, starts_at=full(starts.strftime("%Y-%m-%dT%H:%M")), ends_at=full((starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    )
    assert client_for("county").post("/life/meetings/new/", data).status_code == 302
    assert Meeting.objects.get().starts_at == starts


@pytest.mark.parametrize(
    ("state", "reason", "says"),
    [
        ("leave", "因" * 201, "王芳：请假事由最多 200 个字（现有 201 个）"),
        ("leave", "   ", "王芳：请假须填写请假事由"),
        ("present ", "", "王芳：出席情况“present ”不在可选范围内"),
        ("１", "", "不在可选范围内"),
    ],
    ids=["reason-long", "reason-blank", "state-unknown", "state-full-width"],
)
def test_attendance_refuses_and_writes_nothing(client_for, meeting, members, state, reason, says):
    client = client_for("county")
    before = written()
    pk = members["local"].pk
    page = client.post(f"/life/meetings/{meeting.pk}/attendance/", {f"state-{pk}": state, f"reason-{pk}": reason}, follow=True)
    assert says in page.content.decode()
    assert written() == before


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("1234567", f"{TOO_LONG} 6 字符"),
        ("  ", REQUIRED),
        ("12345", "确保该变量至少包含 6 字符"),
        ("12 456", "会议码不存在或该会议已经结束"),
    ],
    ids=["long", "blank", "short", "space"],
)
def test_the_sign_in_code_is_refused_and_nothing_written(client_for, meeting, code, says):
    client = client_for("member")
    before = written()
    page = client.post("/life/sign-in/", {"code": code}).content.decode()
    assert says in page
    assert written() == before


def test_a_full_width_code_signs_in(personas, client_for, branch, members):
    soon = make_meeting(personas["county"], branch, starts_at=timezone.now() + timedelta(minutes=5), topic="马上开始")
    response = client_for("member").post("/life/sign-in/", {"code": full(soon.code)}, follow=True)
    assert "签到成功：马上开始" in response.content.decode()
    assert soon.attendances.get(member=members["member"]).state == "online"
