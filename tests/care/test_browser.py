"""Care activities in the browser: a worker at 375 px signs up for an activity and checks in at another by typing
its code; the county at 1440 px sees the people served by street."""

import pytest
from django.conf import settings
from django.test import Client

from sanxin.care.models import CareSignup
from tests.care.conftest import make_activity, signed_up_before, times
from tests.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 375, "height": 740})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}]
    )
    return context.new_page()


def test_worker_signs_up_and_checks_in_and_the_county_sees_people_served(browser, live_server, personas):
    from datetime import timedelta

    from django.utils import timezone

    county, worker = personas["county"], personas["worker"].worker
    upcoming = make_activity(county, title="义诊进驿站", type="clinic")
    now = timezone.now()
    party = make_activity(
        county,
        title="骑手集体庆生会",
        **times(starts_in=-timedelta(minutes=10))
        | {"signup_opens_at": now - timedelta(days=2), "signup_closes_at": now - timedelta(minutes=20)},
    )
    signed_up_before(worker, party)

    page = _phone(browser, live_server, personas["worker"])
    page.goto(f"{live_server.url}/w/care/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("text=义诊进驿站")
    page.click("button:has-text('报名')")
    page.wait_for_selector("text=报名成功")
    assert CareSignup.objects.filter(activity=upcoming, worker=worker, status="signed_up").exists()
    page.screenshot(path=str(ARTIFACTS / "phone-worker-care-signed-up.png"), full_page=True)
    page.goto(f"{live_server.url}/w/care/")
    page.fill("input[name=code]", party.checkin_code.lower())
    page.click("button:has-text('签到')")
    page.wait_for_url(f"**/w/care/checkin/{party.checkin_code}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("#care-checkin-form button")
    page.wait_for_selector("text=签到成功")
    assert CareSignup.objects.get(activity=party, worker=worker).checked_in_at is not None
    page.screenshot(path=str(ARTIFACTS / "phone-worker-care-checked-in.png"), full_page=True)
    page.context.close()

    staff = log_in(browser, live_server, "county")
    staff.set_viewport_size({"width": 1440, "height": 900})
    staff.goto(f"{live_server.url}/care/")
    assert "骑手集体庆生会" in staff.inner_text("main")
    staff.goto(f"{live_server.url}/care/served/?level=9")
    assert staff.inner_text("#served-total") == "1"
    assert "滕王阁街道" in staff.inner_text("#served-table")
    assert staff.evaluate("document.documentElement.scrollWidth") <= 1440
    staff.screenshot(path=str(ARTIFACTS / "desktop-county-care-served.png"), full_page=True)
    staff.goto(f"{live_server.url}/care/{party.pk}/")
    assert "骑手集体庆生会" in staff.inner_text("main")
    staff.screenshot(path=str(ARTIFACTS / "desktop-county-care-detail.png"), full_page=True)
    staff.close()


def test_worker_sees_the_team_and_hours_on_a_phone(browser, live_server, personas):
    from django.utils import timezone

    from sanxin.volunteers.services import record_confirm, volunteer_member_add, volunteer_record_submit, volunteer_team_create

    county, worker = personas["county"], personas["worker"].worker
    team = volunteer_team_create(actor=county, name="滕王阁红运先锋骑手队", kind="hongyun", region="360102002")
    volunteer_member_add(actor=county, team=team, worker=worker)
    record = volunteer_record_submit(
        actor=county, team=team, day=timezone.localdate(), hours="2.5", work="文明交通劝导", members=[worker.pk]
    )
    record_confirm(actor=county, record=record)
    page = _phone(browser, live_server, personas["worker"])
    page.goto(f"{live_server.url}/w/teams/")
    assert page.inner_text("#my-hours") == "2.5 小时"
    page.click("text=滕王阁红运先锋骑手队")
    assert "文明交通劝导" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-worker-team.png"), full_page=True)
    page.context.close()
