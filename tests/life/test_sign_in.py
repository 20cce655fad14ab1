"""A member's own sign-in: by the meeting code (线上参会) or the QR code in the room (到会), only an expected
attendee, only from 30 minutes before the start until the end, only once; each refusal in Chinese, nothing written."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sanxin.core.models import AuditEvent
from sanxin.life.services import meeting_for_code, meeting_for_token, meeting_sign_in, sign_in_token
from tests.life.conftest import make_meeting


def sign_in(user, meeting, *, at, by_qr=False):
    return meeting_sign_in(actor=user, meeting=meeting, by_qr=by_qr, now=at)


def row_of(meeting, member):
    return meeting.attendances.get(member=member)


def test_by_code_is_online_and_by_qr_is_present(personas, meeting, members):
    at = meeting.starts_at + timedelta(minutes=5)
    row = sign_in(personas["member"], meeting_for_code(meeting.code, now=at), at=at)
    assert (row.state, row.source, row.signed_in_at) == ("online", "code", at)
    row = sign_in(personas["secretary"], meeting_for_token(sign_in_token(meeting)), at=at, by_qr=True)
    assert (row.state, row.source) == ("present", "qr")
    events = AuditEvent.objects.filter(action="meeting_sign_in")
    assert {e.detail["by"] for e in events} == {"code", "qr"}
    assert all(e.detail["old"] == ["unrecorded", ""] for e in events)


def test_the_window_opens_30_minutes_before_the_start(personas, meeting, members):
    with pytest.raises(ValidationError) as refused:
        sign_in(personas["member"], meeting, at=meeting.starts_at - timedelta(minutes=31))
    assert "开始前 30 分钟起方可签到，请稍后再来" in refused.value.messages[0]
    assert row_of(meeting, members["member"]).state == "unrecorded"
    assert not AuditEvent.objects.filter(action="meeting_sign_in").exists()
    row = sign_in(personas["member"], meeting, at=meeting.starts_at - timedelta(minutes=29))
    assert row.state == "online"


def test_the_window_closes_at_the_end(personas, meeting, members):
    with pytest.raises(ValidationError) as refused:
        sign_in(personas["member"], meeting, at=meeting.ends_at + timedelta(seconds=1))
    assert refused.value.messages[0].startswith(f"会议“{meeting.topic}”已于 ") and refused.value.messages[0].endswith("结束，签到已关闭")
    assert row_of(meeting, members["member"]).signed_in_at is None
    with pytest.raises(ValidationError) as refused:
        meeting_for_code(meeting.code, now=meeting.ends_at + timedelta(seconds=1))
    assert refused.value.messages == ["会议码不存在或该会议已经结束，请核对会议码"]


def test_a_second_sign_in_is_refused_politely(personas, meeting, members):
    at = meeting.starts_at
    sign_in(personas["member"], meeting, at=at)
    with pytest.raises(ValidationError) as refused:
        sign_in(personas["member"], meeting, at=at + timedelta(minutes=10), by_qr=True)
    assert refused.value.messages[0].startswith("您已于 ") and refused.value.messages[0].endswith("签到，无需重复签到")
    row = row_of(meeting, members["member"])
    assert (row.state, row.signed_in_at) == ("online", at)
    assert AuditEvent.objects.filter(action="meeting_sign_in").count() == 1


def test_one_the_secretary_recorded_present_needs_no_sign_in(personas, meeting, members):
    from sanxin.life.services import meeting_attendance_update

    meeting_attendance_update(actor=personas["secretary"], meeting=meeting, changes={members["member"].pk: ("present", "")})
    with pytest.raises(ValidationError) as refused:
        sign_in(personas["member"], meeting, at=meeting.starts_at)
    assert refused.value.messages == ["书记已登记您到会，无需再签到"]


def test_only_expected_attendees_sign_in(personas, branch, other_branch, meeting, members):
    members["elsewhere"].user = personas["township"]
    members["elsewhere"].save()
    with pytest.raises(ValidationError) as refused:
        sign_in(personas["township"], meeting, at=meeting.starts_at)
    assert refused.value.messages == [f"您不在会议“{meeting.topic}”的应到人员名单中，不能签到；如有疑问请联系党组织书记"]
    assert not meeting.attendances.filter(member=members["elsewhere"]).exists()


def test_an_account_without_a_member_record_cannot_sign_in(personas, meeting):
    with pytest.raises(ValidationError) as refused:
        sign_in(personas["county"], meeting, at=meeting.starts_at)
    assert refused.value.messages == ["您的账号未关联党员信息，不能签到；请联系所在党组织书记"]


def test_a_forged_or_stale_token_is_refused(personas, meeting):
    token = sign_in_token(meeting)
    for bad in (token[:-2] + "xx", "abc"):
        with pytest.raises(ValidationError) as refused:
            meeting_for_token(bad)
        assert refused.value.messages == ["二维码无效或已失效，请重新扫描会场屏幕上的二维码，或输入会议码签到"]
    meeting.code = "000001" if meeting.code != "000001" else "000002"
    meeting.save()
    with pytest.raises(ValidationError):
        meeting_for_token(token)  # a new code voids the QR codes shown before


def test_the_phone_page_signs_in_by_code(personas, client_for, meeting, members):
    client = client_for("member")
    page = client.get(reverse("life:sign_in")).content.decode()
    assert 'name="code"' in page and meeting.topic in page and "可签到" in page
    response = client.post(reverse("life:sign_in"), {"code": meeting.code}, follow=True)
    assert "签到成功：学习党的二十届四中全会精神（线上参会）" in response.content.decode()
    assert row_of(meeting, members["member"]).state == "online"
    again = client.post(reverse("life:sign_in"), {"code": meeting.code}).content.decode()
    assert "签到，无需重复签到" in again
    wrong = client.post(reverse("life:sign_in"), {"code": "12345x"}).content.decode()
    assert "会议码不存在或该会议已经结束，请核对会议码" in wrong


def test_the_phone_page_signs_in_by_the_qr_code(personas, client_for, meeting, members):
    client = client_for("member")
    url = reverse("life:sign_in_token", args=[sign_in_token(meeting)])
    page = client.get(url).content.decode()
    assert meeting.topic in page and "确认到会签到" in page
    response = client.post(url, follow=True)
    assert "签到成功：学习党的二十届四中全会精神（到会）" in response.content.decode()
    assert row_of(meeting, members["member"]).state == "present"


def test_the_qr_page_names_no_meeting_to_someone_not_expected(personas, client_for, branch, members):
    meeting = make_meeting(personas["county"], branch, topic="内部支委会")
    members["elsewhere"].user = personas["township"]
    members["elsewhere"].save()
    response = client_for("township").get(reverse("life:sign_in_token", args=[sign_in_token(meeting)]), follow=True)
    page = response.content.decode()
    assert "内部支委会" not in page and "您不在该会议的应到人员名单中" in page
    assert client_for("auditadmin").get(reverse("life:sign_in")).status_code == 404
