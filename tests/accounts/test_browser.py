"""A real browser (Debian's chromium driven by Playwright) logs in and opens the home page."""

import pytest

from tests.conftest import ARTIFACTS, PASSWORD, enter_second_factor, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_home(browser, live_server, personas):
    from sanxin.regions.models import Region

    page = browser.new_page(viewport={"width": 1366, "height": 800})
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/")
    assert page.locator("h2", has_text="用户登录").is_visible()
    page.fill("#id_username", "county")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    enter_second_factor(page, live_server, "county")
    page.wait_for_url(f"{live_server.url}/")
    assert "东湖区委两新工委" in page.inner_text(".sx-topbar")
    menu = page.inner_text(".sx-sidebar")
    assert "行政区划" in menu and "审计日志" not in menu
    communities = Region.objects.filter(level=5, code__startswith="360102").count()
    assert f"{communities:,}" in page.inner_text(".sx-main")
    page.screenshot(path=str(ARTIFACTS / "home-county.png"), full_page=True)
    # The region picker on a form cascades and searches through the API.
    assert not errors, errors
    page.close()


def test_region_picker_cascades_and_searches(browser, live_server, personas):
    page = log_in(browser, live_server, "sysadmin")
    page.goto(f"{live_server.url}/units/new/")
    picker = page.locator("[data-region-picker]")
    picker.locator("select").first.wait_for()
    picker.locator("select").nth(0).select_option("36")
    picker.locator("select").nth(1).wait_for()
    picker.locator("select").nth(1).select_option("3601")
    picker.locator("select").nth(2).wait_for()
    picker.locator("select").nth(2).select_option("360102")
    assert page.input_value("input[name=region]") == "360102"
    picker.locator("input[type=search]").fill("滕王阁街道")
    picker.locator(".rp-results button").first.wait_for()
    picker.locator(".rp-results button").first.click()
    assert page.input_value("input[name=region]") == "360102002"
    assert "滕王阁街道" in picker.locator(".rp-label").inner_text()
    # The cascade is rebuilt along the found region's path, with its communities offered next.
    picker.locator("select").nth(4).wait_for()
    assert [picker.locator("select").nth(i).input_value() for i in range(4)] == ["36", "3601", "360102", "360102002"]
    assert "民巷社区居委会" in picker.locator("select").nth(4).inner_text()
    page.screenshot(path=str(ARTIFACTS / "unit-form-picker.png"), full_page=True)
    page.close()


def test_community_user_has_their_own_region_chosen(browser, live_server, personas):
    page = log_in(browser, live_server, "community")
    page.goto(f"{live_server.url}/orgs/new/")
    picker = page.locator("[data-region-picker]")
    picker.locator("select").first.wait_for()
    assert picker.locator("select").count() == 1 and picker.locator("select").first.is_disabled()
    assert picker.locator("select").first.input_value() == "360102002001"
    assert "民巷社区居委会" in picker.locator("select").first.inner_text()
    assert page.input_value("input[name=region]") == "360102002001"
    assert "民巷社区居委会" in picker.locator(".rp-label").inner_text()
    page.close()
