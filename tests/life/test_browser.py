"""The member's sign-in page on a phone (375 px): nothing scrolls sideways, the code field and the button are
large, and typing the code signs the member in."""

import pytest

from tests.conftest import ARTIFACTS, log_in
from tests.life.conftest import make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_on_a_phone(browser, live_server, personas, branch, members):
    meeting = make_meeting(personas["county"], branch, topic="云上主题党日")
    page = log_in(browser, live_server, "member")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/life/sign-in/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box = page.locator("button[type=submit]").first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a large touch target
    assert "云上主题党日" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "phone-member-sign-in.png"), full_page=True)
    page.fill("#id_code", meeting.code)
    page.locator("form[action='/life/sign-in/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "签到成功：云上主题党日（线上参会）" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    meeting.refresh_from_db()
    assert meeting.attendances.get(member=members["member"]).state == "online"
    page.close()


def test_the_secretary_shows_the_code_and_qr_on_the_screen(browser, live_server, personas, branch, members):
    meeting = make_meeting(personas["county"], branch, topic="支部党员大会")
    page = log_in(browser, live_server, "secretary")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/life/meetings/{meeting.pk}/")
    qr = page.locator("svg.sx-meeting-qr").bounding_box()
    assert qr["width"] >= 200 and qr["height"] >= 200
    assert page.inner_text("#meeting-code") == meeting.code
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.screenshot(path=str(ARTIFACTS / "desktop-secretary-meeting.png"), full_page=True)
    page.close()
