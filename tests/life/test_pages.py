"""Meeting pages: the list per scope with its filters, the form, the detail with the attendance table and the
code and QR code for the screen, the attendance form's refusals."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from sanxin.life.models import Meeting, MeetingType
from tests.life.conftest import make_meeting


def test_list_per_scope_and_filters(personas, client_for, branch, other_branch, members):
    march = timezone.make_aware(timezone.datetime(2026, 3, 20, 15, 0))
    make_meeting(personas["county"], branch, starts_at=march, topic="三月党课")
    make_meeting(personas["other_county"], other_branch, starts_at=march + timedelta(days=40), topic="西湖主题党日")
    county = client_for("county").get(reverse("life:meeting_list")).content.decode()
    assert "三月党课" in county and "西湖主题党日" not in county and "共 <strong>1</strong> 条" in county
    province = client_for("province")
    assert "共 <strong>2</strong> 条" in province.get(reverse("life:meeting_list")).content.decode()
    page = province.get(reverse("life:meeting_list"), {"period": "2026-Q2"}).content.decode()
    assert "西湖主题党日" in page and ">三月党课<" not in page
    page = province.get(reverse("life:meeting_list"), {"party_org": branch.pk}).content.decode()
    assert ">三月党课<" in page and ">西湖主题党日<" not in page
    lecture = MeetingType.objects.get(code="party_lecture")
    page = province.get(reverse("life:meeting_list"), {"meeting_type": lecture.pk}).content.decode()
    assert ">三月党课<" in page and ">西湖主题党日<" in page
    page = province.get(reverse("life:meeting_list"), {"period": "三月"}).content.decode()
    assert "期间应写作 2026、2026-H2、2026-Q3 或 2026-09" in page and "共 <strong>0</strong> 条" in page


def test_a_member_sees_only_the_meetings_they_are_expected_at(personas, client_for, branch, other_branch, members):
    make_meeting(personas["county"], branch, topic="本支部党课")
    make_meeting(personas["other_county"], other_branch, topic="别的支部党课")
    page = client_for("member").get(reverse("life:meeting_list")).content.decode()
    assert ">本支部党课<" in page and ">别的支部党课<" not in page and "新建会议" not in page


def test_the_form_plans_a_meeting(personas, client_for, branch, members):
    client = client_for("secretary")
    form = client.get(reverse("life:meeting_create")).content.decode()
    assert "滕王阁快递党支部" in form and "西湖区物流党支部" not in form
    starts = timezone.localtime() + timedelta(days=1)
    data = {
        "party_organization": branch.pk,
        "meeting_type": MeetingType.objects.get(code="theme_day").pk,
        "topic": "主题党日：走访快递驿站",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "mode": "offline",
        "place": "",
    }
    page = client.post(reverse("life:meeting_create"), data).content.decode()
    assert "结束时间应晚于开始时间" in page and "线下会议须填写地点" in page and not Meeting.objects.exists()
    data |= {"ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "place": "小哥驿站"}
    response = client.post(reverse("life:meeting_create"), data, follow=True)
    meeting = Meeting.objects.get()
    assert "应到 4 人" in response.content.decode() and meeting.attendances.count() == 4


def test_the_detail_shows_the_code_and_qr_to_those_who_keep_the_meeting(personas, client_for, meeting, members):
    page = client_for("secretary").get(reverse("life:meeting_detail", args=[meeting.pk])).content.decode()
    assert meeting.code in page and "<svg" in page and "保存出席情况" in page and "林小勇" in page and "陈晨" not in page
    page = client_for("member").get(reverse("life:meeting_detail", args=[meeting.pk])).content.decode()
    assert meeting.code not in page and "<svg" not in page and "保存出席情况" not in page
    # Seen from the city, which keeps it too; once it has ended the code is no longer shown.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1))
    page = client_for("city").get(reverse("life:meeting_detail", args=[meeting.pk])).content.decode()
    assert "会议码" not in page and "保存出席情况" in page


def test_the_attendance_form_refuses_a_leave_without_reason(personas, client_for, meeting, members):
    client = client_for("secretary")
    url = reverse("life:meeting_attendance", args=[meeting.pk])
    data = {f"state-{members['local'].pk}": "present", f"state-{members['pocket'].pk}": "leave", f"reason-{members['pocket'].pk}": ""}
    page = client.post(url, data, follow=True).content.decode()
    assert "赵磊：请假须填写请假事由" in page
    assert set(meeting.attendances.values_list("state", flat=True)) == {"unrecorded"}
    data[f"reason-{members['pocket'].pk}"] = "家中有事"
    page = client.post(url, data, follow=True).content.decode()
    assert "已保存出席情况（2 人有变化）" in page
    assert meeting.attendances.get(member=members["pocket"]).leave_reason == "家中有事"


def test_outsiders_get_404_on_every_write(personas, client_for, meeting, members):
    for persona in ("other_county", "member", "outsider"):
        client = client_for(persona)
        assert client.post(reverse("life:meeting_attendance", args=[meeting.pk]), {}).status_code == 404
        assert client.post(reverse("life:meeting_photo_upload", args=[meeting.pk]), {}).status_code == 404
        assert client.get(reverse("life:meeting_edit", args=[meeting.pk])).status_code == 404
    assert client_for("member").get(reverse("life:meeting_create")).status_code == 404


def test_edit_keeps_the_party_organization(personas, client_for, meeting):
    client = client_for("county")
    page = client.get(reverse("life:meeting_edit", args=[meeting.pk])).content.decode()
    assert 'name="party_organization"' not in page and meeting.topic in page
    data = {
        "meeting_type": meeting.meeting_type_id,
        "topic": "改期后的党课",
        "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(meeting.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "mode": "offline",
        "place": "会议室",
        "minutes": "记录",
    }
    client.post(reverse("life:meeting_edit", args=[meeting.pk]), data)
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.minutes, meeting.mode) == ("改期后的党课", "记录", "offline")
