"""The story of issue 12 in the browser: a rider about to report a blocked fire lane on his phone (375 px) is shown
an open report of the same kind 50 m away and joins it instead; the community verifies the original at 1440 px and
the reporter's points are published once. Nothing scrolls sideways; the screenshots go to test-artifacts/."""

import pytest
from django.conf import settings
from django.test import Client

from sanxin.hazards.models import HazardReport, HazardStatus, HazardSupporter
from tests.conftest import ARTIFACTS, log_in
from tests.hazards.conftest import LAT, LON_50M, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def phone_page(browser, live_server, user, *, longitude, latitude):
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        geolocation={"longitude": float(longitude), "latitude": float(latitude)},
        permissions=["geolocation"],
    )
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}]
    )
    return context.new_page()


def test_the_rider_joins_instead_and_the_community_verifies(browser, live_server, personas, second_rider, listener):
    original = report(personas["worker"], place="民巷小区 3 栋楼下")
    page = phone_page(browser, live_server, second_rider, longitude=LON_50M, latitude=LAT)
    page.goto(f"{live_server.url}/w/hazards/new/")
    assert page.locator("nav a[href='/w/hazards/']").get_attribute("aria-current") == "page"
    page.select_option("#id_category", "fire_lane")
    page.click("[data-locate]")
    page.wait_for_selector("#nearby :text('我也看到了')")
    offer = page.inner_text("#nearby")
    assert "民巷小区 3 栋楼下" in offer and "相距约 50 米" in offer and "测试worker" not in offer
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-hazard-duplicate-offer.png"), full_page=True)
    button = page.locator("#nearby button:has-text('我也看到了')")
    assert button.bounding_box()["height"] >= 44
    button.click()
    page.wait_for_selector(".alert-success")
    assert "已附议" in page.inner_text("main") and "我附议的" in page.inner_text("main")
    assert HazardSupporter.objects.filter(report=original, worker__user=second_rider).count() == 1
    assert HazardReport.objects.count() == 1  # joined, not sent again
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-hazard-joined.png"), full_page=True)
    page.context.close()

    staff = log_in(browser, live_server, "community")
    staff.set_viewport_size({"width": 1440, "height": 900})
    staff.goto(f"{live_server.url}/hazards/?status=submitted")
    assert "民巷小区 3 栋楼下" in staff.inner_text("main")
    staff.click(f"a[href='/hazards/{original.pk}/']")
    assert "1 人“我也看到了”" in staff.inner_text("main")
    staff.click("button[data-action=verify_valid]")
    staff.wait_for_selector(".alert-success")
    assert HazardReport.objects.get(pk=original.pk).status == HazardStatus.VALID
    assert [kind for kind, _ in listener] == ["merited"]
    assert staff.evaluate("document.documentElement.scrollWidth") <= 1440
    staff.screenshot(path=str(ARTIFACTS / "staff-hazard-verified.png"), full_page=True)
    staff.close()


def test_the_worker_reports_on_the_phone(browser, live_server, personas):
    page = phone_page(browser, live_server, personas["worker"], longitude="115.95", latitude="28.70")
    page.goto(f"{live_server.url}/w/hazards/new/")
    page.select_option("#id_category", "street_light")
    page.click("[data-locate]")
    page.wait_for_selector("[data-locate-status]:text('已记录位置')")
    page.fill("#id_text", "民巷路 12 号路灯不亮。")
    page.fill("#id_place", "民巷路 12 号")
    page.click("form[data-offline] button[type=submit]")
    page.wait_for_selector(".alert-success")
    made = HazardReport.objects.get()
    assert made.longitude is not None and made.client_key is not None and made.unit.name == "民巷社区党委"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-hazard-reported.png"), full_page=True)
    page.context.close()
