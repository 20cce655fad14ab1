"""The member's own pages on a phone (375 px): nothing scrolls sideways, the tab bar lights the page's tab, and asking
for leave works from the meeting's page. Screenshots of each page go to test-artifacts/."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sanxin.members.mobility import mobile_inflow_register
from sanxin.members.transfers import transfer_initiate
from tests.conftest import ARTIFACTS, log_in
from tests.life.conftest import make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    ("/", "home", "首页"),
    ("/m/meetings/", "meetings", "会议"),
    ("/m/me/", "me", "我的"),
    ("/m/organization/", "organization", "我的"),
    ("/m/reports/", "reports", "我的"),
    ("/m/data/", "data", "我的"),
    ("/m/data/export/", "export", "我的"),
    ("/m/calendar/", "calendar", "我的"),
    ("/m/identity/", "identity", "亮身份"),
]


def test_the_member_pages_on_a_phone(browser, live_server, personas, branch, other_branch, members):
    branch.secretary = "胡书记"
    branch.save()
    make_meeting(personas["county"], branch, topic="云上主题党日", starts_at=timezone.now() - timedelta(minutes=5))
    later = make_meeting(personas["county"], branch, topic="党小组会：交流夜间配送安全经验", starts_at=timezone.now() + timedelta(days=7))
    make_meeting(personas["county"], branch, topic="书记讲党课", starts_at=timezone.now() - timedelta(days=20), mode="offline", link="")
    home = "江西省赣州市于都县罗坳镇步前村党支部"
    mobile_inflow_register(actor=None, member=members["member"], home_organization=home, starts_on=date(2026, 1, 1))
    transfer_initiate(
        actor=personas["county"],
        member=members["member"],
        to_organization=other_branch,
        letter_number="赣组转〔2026〕7号",
        valid_until=timezone.localdate() + timedelta(days=60),
        reason="工作调动",
    )
    page = log_in(browser, live_server, "member")
    page.set_viewport_size({"width": 375, "height": 740})
    for path, name, tab in PAGES:
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        if path != "/":
            assert page.inner_text("nav[aria-label='底部导航'] a[aria-current='page']").strip() == tab, path
        page.screenshot(path=str(ARTIFACTS / f"phone-mine-{name}.png"), full_page=True)

    page.goto(f"{live_server.url}/m/meetings/{later.pk}/")
    page.screenshot(path=str(ARTIFACTS / "phone-mine-meeting.png"), full_page=True)
    page.fill("#id_reason", "外地送件")
    page.locator("form[action$='/leave/'] button[type=submit]").click()
    page.wait_for_selector("text=已请假：党小组会：交流夜间配送安全经验")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert later.attendances.get(member=members["member"]).state == "leave"

    page.goto(f"{live_server.url}/m/data/")
    page.click("text=显示完整身份证号和手机号")
    page.wait_for_selector("text=隐藏完整号码")
    assert members["member"].id_number in page.inner_text("main")

    page.goto(f"{live_server.url}/m/calendar/")
    page.locator("form[action$='/reset/'] button").click()
    page.wait_for_selector("text=只显示这一次")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-mine-calendar-new.png"), full_page=True)
    page.close()
