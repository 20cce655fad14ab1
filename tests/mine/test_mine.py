"""The member's own phone pages: only their own meetings, reports, transfers and data; leave before the start only;
the calendar feed by a secret token that a reset kills; the export holds only their data. Each refusal in Chinese."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxin.accounts.services import grant_initial_roles, user_create
from sanxin.core.models import AuditEvent
from sanxin.core.roles import Role
from sanxin.life.leave import meeting_leave_request
from sanxin.mine.models import CalendarFeed
from sanxin.mine.services import mine_calendar_reset
from tests.conftest import PASSWORD
from tests.life.conftest import make_meeting
from tests.members_factories import make_member


def row_of(meeting, member):
    return meeting.attendances.get(member=member)


# ------------------------------------------------------------------------------------------------------- leave


def test_leave_before_the_start_is_written_and_audited(personas, meeting, members):
    row = meeting_leave_request(actor=personas["member"], meeting=meeting, reason=" 外地送件 ", now=meeting.starts_at - timedelta(hours=1))
    assert (row.state, row.leave_reason) == ("leave", "外地送件")
    event = AuditEvent.objects.get(action="meeting_leave_request")
    assert event.detail["old"] == ["unrecorded", ""] and event.detail["new"] == ["leave", "外地送件"]


def test_leave_after_the_start_is_refused(personas, meeting, members):
    with pytest.raises(ValidationError) as refused:
        meeting_leave_request(actor=personas["member"], meeting=meeting, reason="家中有事", now=meeting.starts_at + timedelta(minutes=1))
    assert "已于" in refused.value.messages[0] and "开始，不能再请假" in refused.value.messages[0]
    assert row_of(meeting, members["member"]).state == "unrecorded"
    assert not AuditEvent.objects.filter(action="meeting_leave_request").exists()


def test_leave_at_the_start_itself_is_refused(personas, meeting, members):
    with pytest.raises(ValidationError):
        meeting_leave_request(actor=personas["member"], meeting=meeting, reason="家中有事", now=meeting.starts_at)


@pytest.mark.parametrize(("reason", "said"), [("", "请填写请假事由"), ("   ", "请填写请假事由"), ("假" * 201, "请假事由不能超过 200 字")])
def test_leave_needs_a_short_reason(personas, meeting, members, reason, said):
    with pytest.raises(ValidationError) as refused:
        meeting_leave_request(actor=personas["member"], meeting=meeting, reason=reason, now=meeting.starts_at - timedelta(hours=1))
    assert said in refused.value.messages[0]
    assert row_of(meeting, members["member"]).state == "unrecorded"


def test_leave_from_a_meeting_not_expected_at_is_refused(personas, other_branch, members):
    elsewhere = make_meeting(personas["other_county"], other_branch, topic="西湖区党课")
    with pytest.raises(ValidationError) as refused:
        meeting_leave_request(actor=personas["member"], meeting=elsewhere, reason="家中有事", now=elsewhere.starts_at - timedelta(hours=1))
    assert "不在会议“西湖区党课”的应到人员名单中" in refused.value.messages[0]


def test_leave_after_signing_in_is_refused(personas, meeting, members):
    row = row_of(meeting, members["member"])
    row.state = "online"
    row.save()
    with pytest.raises(ValidationError) as refused:
        meeting_leave_request(actor=personas["member"], meeting=meeting, reason="有事", now=meeting.starts_at - timedelta(minutes=5))
    assert "您已线上参会，不能再请假" in refused.value.messages[0]


def test_an_account_without_a_member_record_cannot_ask_leave(personas, meeting):
    with pytest.raises(ValidationError) as refused:
        meeting_leave_request(actor=personas["county"], meeting=meeting, reason="有事", now=meeting.starts_at - timedelta(hours=1))
    assert "未关联党员信息" in refused.value.messages[0]


def test_the_leave_page(client_for, personas, branch, members):
    later = make_meeting(personas["county"], branch, topic="下周党小组会", starts_at=timezone.now() + timedelta(days=7))
    client = client_for("member")
    url = reverse("mine:meeting_leave", args=[later.pk])
    empty = client.post(url, {})
    assert empty.status_code == 400 and "请填写请假事由" in empty.content.decode()
    assert row_of(later, members["member"]).state == "unrecorded"
    response = client.post(url, {"reason": "外地送件"}, follow=True)
    assert "已请假：下周党小组会" in response.content.decode()
    assert row_of(later, members["member"]).leave_reason == "外地送件"


def test_the_leave_page_after_the_start(client_for, personas, branch, members):
    started = make_meeting(personas["county"], branch, topic="正在开的会", starts_at=timezone.now() - timedelta(minutes=5))
    response = client_for("member").post(reverse("mine:meeting_leave", args=[started.pk]), {"reason": "有事"})
    assert response.status_code == 400 and "不能再请假" in response.content.decode()
    assert row_of(started, members["member"]).state == "unrecorded"


# ------------------------------------------------------------------------------------------------ my meetings


def test_my_meetings_list_only_mine(client_for, personas, branch, other_branch, members):
    make_meeting(personas["county"], branch, topic="本支部主题党日")
    make_meeting(personas["other_county"], other_branch, topic="西湖区党课")
    page = client_for("member").get(reverse("mine:meetings")).content.decode()
    assert ">本支部主题党日<" in page and "西湖区党课" not in page
    assert "共 <strong>1</strong> 条" in page


def test_a_member_who_joined_after_the_planning_finds_the_coming_meeting(client_for, personas, branch):
    coming = make_meeting(personas["county"], branch, topic="下周主题党日", starts_at=timezone.now() + timedelta(days=7))
    assert not coming.attendances.exists()  # planned before anyone was in the branch
    make_member(personas["county"], branch, name="林小勇", user=personas["member"])
    page = client_for("member").get(reverse("mine:meetings")).content.decode()
    assert "下周主题党日" in page
    assert coming.attendances.filter(member__user=personas["member"]).exists()


def test_another_members_meeting_is_404(client_for, personas, other_branch, members):
    elsewhere = make_meeting(personas["other_county"], other_branch, topic="西湖区党课")
    for persona in ("member", "secretary", "other_county", "county"):
        client = client_for(persona)
        for name in ("mine:meeting_detail", "mine:meeting_ics"):
            assert client.get(reverse(name, args=[elsewhere.pk])).status_code == 404, (persona, name)
    assert client_for("member").get(f"/api/v1/me/meetings/{elsewhere.pk}").status_code == 404


def test_the_meeting_page_shows_no_other_member(client_for, meeting, members):
    page = client_for("member").get(reverse("mine:meeting_detail", args=[meeting.pk])).content.decode()
    assert "学习党的二十届四中全会精神" in page and "滕王阁街道党群服务中心" in page
    for other in ("赵磊", "陈晨", members["local"].phone, members["member"].id_number):
        assert other not in page


def test_the_sign_in_button_of_a_mixed_meeting(client_for, personas, branch, members):
    now_on = make_meeting(personas["county"], branch, topic="云上主题党日", starts_at=timezone.now() - timedelta(minutes=5))
    client = client_for("member")
    page = client.get(reverse("mine:meeting_detail", args=[now_on.pk])).content.decode()
    assert "签到（线上参会）" in page
    client.post(reverse("mine:meeting_sign_in", args=[now_on.pk]))
    row = row_of(now_on, members["member"])
    assert (row.state, row.source) == ("online", "code")
    again = client.post(reverse("mine:meeting_sign_in", args=[now_on.pk]), follow=True).content.decode()
    assert "无需重复签到" in again


def test_an_offline_meeting_is_signed_in_by_the_qr_code(client_for, personas, branch, members):
    starts = timezone.now() - timedelta(minutes=5)
    offline = make_meeting(personas["county"], branch, topic="线下党课", mode="offline", link="", starts_at=starts)
    response = client_for("member").post(reverse("mine:meeting_sign_in", args=[offline.pk]), follow=True)
    assert "线下会议请扫描会场屏幕上的二维码签到" in response.content.decode()
    assert row_of(offline, members["member"]).state == "unrecorded"


def test_the_one_meeting_ics(client_for, meeting, members):
    response = client_for("member").get(reverse("mine:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert "BEGIN:VEVENT" in text and "学习党的二十届四中全会精神" in text and text.count("BEGIN:VEVENT") == 1


# --------------------------------------------------------------------------------------------- calendar feed


def feed_url(token):
    return reverse("mine:calendar_feed", args=[token])


def test_the_feed_needs_no_session_and_holds_only_my_meetings(client, personas, meeting, other_branch, members):
    make_meeting(personas["other_county"], other_branch, topic="西湖区党课")
    token = mine_calendar_reset(actor=personas["member"])
    response = client.get(feed_url(token))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert "学习党的二十届四中全会精神" in text and "西湖区党课" not in text
    for secret in (members["member"].id_number, members["member"].phone, "林小勇", "王芳"):
        assert secret not in text
    assert CalendarFeed.objects.get(user=personas["member"]).token_hash != token  # only the hash is kept


def test_a_reset_kills_the_old_url(client, client_for, personas, meeting):
    old = mine_calendar_reset(actor=personas["member"])
    page = client_for("member").post(reverse("mine:calendar_reset")).content.decode()
    assert "原地址即时失效" in page
    new = page.split("/m/calendar/feed/")[1].split(".ics")[0]
    assert new != old
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    assert AuditEvent.objects.filter(action="mine_calendar_reset").count() == 2


def test_a_wrong_token_is_404_for_anyone(client, client_for, personas, meeting):
    mine_calendar_reset(actor=personas["member"])
    assert client.get(feed_url("x" * 43)).status_code == 404
    for persona in ("county", "secretary", "province"):
        assert client_for(persona).get(feed_url("x" * 43)).status_code == 404


def test_the_feed_of_an_account_disabled_is_404(client, personas, meeting):
    token = mine_calendar_reset(actor=personas["member"])
    personas["member"].is_active = False
    personas["member"].save()
    assert client.get(feed_url(token)).status_code == 404


# ------------------------------------------------------------------------------------------------ my data


def test_my_data_is_masked_and_my_unmasking_audited(client_for, members):
    member = members["member"]
    client = client_for("member")
    page = client.get(reverse("mine:data")).content.decode()
    assert member.id_number_masked in page and member.id_number not in page and member.phone not in page
    assert "组织关系情况" in page and "滕王阁快递党支部" in page
    page = client.get(reverse("mine:data_unmask")).content.decode()
    assert member.id_number in page and member.phone in page
    event = AuditEvent.objects.get(action="mine_unmask")
    assert member.id_number not in json.dumps(event.detail)


def test_the_export_holds_only_my_data(client_for, personas, meeting, other_branch, members):
    make_meeting(personas["other_county"], other_branch, topic="西湖区党课")
    client = client_for("member")
    response = client.post(reverse("mine:data_export"), {"fmt": "json", "password": PASSWORD})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [m["name"] for m in data["member"]] == ["林小勇"]
    assert data["member"][0]["id_number"] == members["member"].id_number
    assert [a["meeting"] for a in data["attendances"]] == ["学习党的二十届四中全会精神"]
    text = response.content.decode()
    for other in ("胡书记", "王芳", "赵磊", "周建华", "西湖区党课", members["local"].id_number):
        assert other not in text
    assert set(data) >= {"member", "attendances", "identity_reports", "transfers", "mobile_registrations"}
    event = AuditEvent.objects.get(action="mine_export")
    assert event.detail["rows"]["attendances"] == 1


def test_the_xlsx_export(client_for, meeting, members):
    from tests.test_scope import xlsx_strings

    response = client_for("member").post(reverse("mine:data_export"), {"fmt": "xlsx", "password": PASSWORD})
    strings = xlsx_strings(response.content)
    assert "林小勇" in strings and "学习党的二十届四中全会精神" in strings and "胡书记" not in strings


def test_the_export_asks_for_the_password(client_for, members):
    client = client_for("member")
    wrong = client.post(reverse("mine:data_export"), {"fmt": "json", "password": "wrong-password"})
    assert wrong.status_code == 400 and "密码不正确，未导出" in wrong.content.decode()
    empty = client.post(reverse("mine:data_export"), {})
    assert empty.status_code == 400 and "请输入登录密码" in empty.content.decode()
    assert not AuditEvent.objects.filter(action="mine_export", outcome="success").exists()


def test_staff_without_a_member_record_see_nothing_of_others(client_for, members, meeting):
    client = client_for("county")
    assert "共 <strong>0</strong> 条" in client.get(reverse("mine:meetings")).content.decode()
    page = client.get(reverse("mine:data")).content.decode()
    assert "未关联党员信息" in page and "林小勇" not in page
    data = json.loads(client.post(reverse("mine:data_export"), {"fmt": "json", "password": PASSWORD}).content)
    assert data["member"] == [] and data["attendances"] == []


def test_admins_have_no_member_pages(client_for, members):
    for name in ("mine:me", "mine:meetings", "mine:data", "mine:organization", "mine:reports", "mine:calendar"):
        assert client_for("sysadmin").get(reverse(name)).status_code == 404


# ----------------------------------------------------------------------------------- organization, reports


def test_my_organization(client_for, branch, members, meeting):
    branch.secretary = "胡书记"
    branch.save()
    page = client_for("member").get(reverse("mine:organization")).content.decode()
    assert ">滕王阁快递党支部<" in page and "书记：胡书记" in page and "党员 4 名" in page  # the lost one is not counted
    assert "流动党员，在此参加组织生活" in page and "学习党的二十届四中全会精神" in page


def test_my_reports_and_transfers(client_for, personas, members, other_branch):
    from datetime import date

    from sanxin.members.transfers import transfer_initiate

    elsewhere = other_branch
    transfer_initiate(
        actor=personas["county"],
        member=members["member"],
        to_organization=elsewhere,
        letter_number="赣组转〔2026〕7号",
        valid_until=date.today() + timedelta(days=60),
        reason="工作调动",
    )
    transfer_initiate(
        actor=personas["county"],
        member=members["local"],
        to_organization=elsewhere,
        letter_number="赣组转〔2026〕8号",
        valid_until=date.today() + timedelta(days=60),
        reason="工作调动",
    )
    page = client_for("member").get(reverse("mine:reports")).content.decode()
    assert "赣组转〔2026〕7号" in page and "赣组转〔2026〕8号" not in page and "西湖区物流党支部" in page
    assert "共 <strong>1</strong> 条" in page


# ----------------------------------------------------------------------------------------------- the shell


def test_the_tab_bar_follows_capabilities(client_for, personas, members):
    def tabs(persona):
        page = client_for(persona).get(reverse("mine:me")).content.decode()
        nav = page.split('aria-label="底部导航"')[1].split("</nav>")[0]
        return [label for label in ("首页", "会议", "亮身份", "学习", "我的") if f"</i>{label}</a>" in nav]

    assert tabs("member") == ["首页", "会议", "亮身份", "学习", "我的"]
    worker = user_create(
        actor=None, username="rider", full_name="赵快跑", unit=personas["member"].unit, password=PASSWORD, must_change_password=False
    )
    grant_initial_roles(user=worker, roles=[Role.WORKER])
    client = Client()
    client.force_login(worker)
    page = client.get(reverse("members:identity_mine")).content.decode()
    nav = page.split('aria-label="底部导航"')[1].split("</nav>")[0]
    # A worker has the worker's tab bar everywhere in the phone shell (sanxin.workers); 亮身份 is linked from their home.
    assert [label for label in ("首页", "驿站", "诉求", "会议", "亮身份", "学习", "我的") if f"</i>{label}</a>" in nav] == [
        "首页",
        "驿站",
        "诉求",
        "我的",
    ]


# ---------------------------------------------------------------------------------------------------- API


def test_the_api_lists_my_meetings_and_asks_leave(client_for, personas, branch, members):
    later = make_meeting(personas["county"], branch, topic="下周党小组会", starts_at=timezone.now() + timedelta(days=7))
    client = client_for("member")
    data = client.get("/api/v1/me/meetings").json()
    assert [m["topic"] for m in data["items"]] == ["下周党小组会"] and data["count"] == 1
    assert data["items"][0]["can_ask_leave"] is True
    answer = client.post(f"/api/v1/me/meetings/{later.pk}/leave", {"reason": "外地送件"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["state"] == "leave"
    empty = client.post(f"/api/v1/me/meetings/{later.pk}/leave", {}, content_type="application/json")
    assert empty.status_code == 422


def test_the_api_refuses_leave_after_the_start(client_for, personas, branch, members):
    started = make_meeting(personas["county"], branch, topic="正在开的会", starts_at=timezone.now() - timedelta(minutes=5))
    answer = client_for("member").post(f"/api/v1/me/meetings/{started.pk}/leave", {"reason": "有事"}, content_type="application/json")
    assert answer.status_code == 422 and "不能再请假" in json.dumps(answer.json(), ensure_ascii=False)


def test_the_api_export_is_mine_only(client_for, members, meeting):
    data = client_for("member").get("/api/v1/me/export").json()
    assert [m["name"] for m in data["member"]] == ["林小勇"]
    assert data["member"][0]["id_number"] == members["member"].id_number_masked  # in full only after the password, on the page
    assert members["member"].id_number not in json.dumps(data)
    assert "胡书记" not in json.dumps(data, ensure_ascii=False)
    assert AuditEvent.objects.filter(action="mine_export").count() == 1


# ------------------------------------------------------------------------------------------------ the home page


def test_the_home_page_shows_the_next_meeting_with_sign_in(client_for, personas, branch, members):
    make_meeting(personas["county"], branch, topic="下周党小组会", starts_at=timezone.now() + timedelta(days=7))
    page = client_for("member").get("/").content.decode()
    assert "我的待办" in page and "下周党小组会" in page and "不能参加？请假" in page and "去签到" not in page
    make_meeting(personas["county"], branch, topic="云上主题党日", starts_at=timezone.now() - timedelta(minutes=5))
    page = client_for("member").get("/").content.decode()
    assert "云上主题党日" in page and "去签到" in page


def test_the_home_page_shows_a_pending_report(client_for, personas, members, other_branch):
    from sanxin.members.identity import identity_report_submit

    identity_report_submit(
        actor=personas["member"],
        name="林小勇",
        id_number=members["member"].id_number,
        phone="13800138000",
        joined_on=members["member"].joined_on,
        member_status="full",
        home_organization="滕王阁快递党支部",
        occupation="外卖骑手",
        employer_name="",
        party_organization=other_branch,
    )
    page = client_for("member").get("/").content.decode()
    assert "亮身份待确认" in page and "西湖区物流党支部" in page
    assert "我的待办" not in client_for("county").get("/").content.decode()  # no member record, nothing of theirs to do
