"""The 亮身份 phone page at 375 px, as a member uses it: nothing scrolls sideways, the Party organization is found by
typing part of its name and picked with a tap, and the report is sent."""

import pytest

from sanxin.members.models import IdentityReport
from tests.conftest import ARTIFACTS, log_in
from tests.members_factories import id_number
from tests.orgs_factories import party_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_reports_on_a_phone(browser, live_server, personas):
    branch = party_org(personas["county"], name="滕王阁街道快递外卖小哥联合党支部")
    page = log_in(browser, live_server, "member")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/m/identity/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.fill("#id_name", "林小勇")
    page.fill("#id_id_number", id_number())
    page.fill("#id_phone", "13912345678")
    page.fill("#id_joined_on", "2018-06-20")
    page.fill("#id_home_organization", "江西省吉安市某村党支部")
    page.fill("#id_occupation", "外卖骑手")
    page.fill("#id_party_organization", "小哥联合")
    page.locator(".rp-results button").first.wait_for(state="visible")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator(".rp-results button").first.click()
    page.locator(".rp-label", has_text="已选").wait_for()
    page.screenshot(path=str(ARTIFACTS / "phone-member-identity.png"), full_page=True)
    page.click("button[type=submit]:has-text('提交报到')")
    page.wait_for_url(f"{live_server.url}/m/identity/")
    assert "请等待党组织确认" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    report = IdentityReport.objects.get()
    assert (report.party_organization, report.reporter.username) == (branch, "member")
    page.close()
