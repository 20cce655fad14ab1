"""The 三会一课落实率 page at 1440 px and at 375 px, and the secretary's home on a phone with the meetings due."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from sanxin.life import compliance
from sanxin.life.models import Meeting, MeetingType
from tests.conftest import ARTIFACTS, log_in
from tests.orgs_factories import party_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _some_meetings(branches):
    today = timezone.localdate()
    types = list(MeetingType.objects.all())
    for n, branch in enumerate(branches):
        for back in range(1, 6):
            day = (today.replace(day=1) - timedelta(days=30 * back)).replace(day=10)
            for t in types[: 3 + (n + back) % 3]:
                starts = timezone.make_aware(datetime(day.year, day.month, day.day, 15))
                Meeting.objects.create(
                    party_organization=branch, meeting_type=t, topic=t.name, starts_at=starts, ends_at=starts + timedelta(hours=2), code="0"
                )


def test_the_rate_page_on_a_desktop_and_a_phone(browser, live_server, personas, branch, other_branch):
    county = personas["county"]
    more = [party_org(county, name=f"东湖区第{n}联合党支部", establishment_form="joint", founded_on=date(2025, 1, 1)) for n in range(3)]
    _some_meetings([branch, other_branch, *more])
    compliance.rebuild_all()
    page = log_in(browser, live_server, "province")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/life/compliance/?region=3601")
    assert page.inner_text("#compliance-rate").endswith("%")
    assert "东湖区" in page.inner_text("#compliance-by-region") and "西湖区" in page.inner_text("#compliance-by-region")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.screenshot(path=str(ARTIFACTS / "desktop-compliance-rates.png"), full_page=True)
    page.click("#compliance-by-region >> text=东湖区")
    page.wait_for_url("**/life/compliance/?region=360102**")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/life/compliance/overdue/?region=360102")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    table = page.locator("#compliance-overdue")
    days = table.locator("tbody tr td.text-danger").first.bounding_box()
    assert days["x"] + days["width"] <= 375  # the days overdue in view without scrolling the table
    page.screenshot(path=str(ARTIFACTS / "phone-compliance-overdue.png"), full_page=True)
    page.goto(f"{live_server.url}/life/compliance/?region=360102")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.close()


def test_the_secretary_home_on_a_phone(browser, live_server, personas, branch, members):
    compliance.rebuild_all()
    page = log_in(browser, live_server, "secretary")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/")
    card = page.inner_text("#meetings-due")
    assert "本期应开会议" in card and "待开" in card and "已超期" in card
    assert "待确认的亮身份报到" in page.inner_text("#identity-waiting")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-secretary-home-compliance.png"), full_page=True)
    page.close()
