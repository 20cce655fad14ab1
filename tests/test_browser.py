"""A real browser (Debian's chromium driven by Playwright) logs in and opens the home page."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "浏览器测试需要 Debian 的 chromium：apt-get install chromium"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


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
    page.wait_for_url(f"{live_server.url}/")
    assert "东湖区委两新工委" in page.inner_text(".sx-topbar")
    menu = page.inner_text(".sx-sidebar")
    assert "行政区划" in menu and "审计日志" not in menu
    communities = Region.objects.filter(level=5, code__startswith="360102").count()
    assert f"{communities:,}" in page.inner_text(".sx-main")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-county.png"), full_page=True)
    # The region picker on a form cascades and searches through the API.
    assert not errors, errors
    page.close()


def test_region_picker_cascades_and_searches(browser, live_server, personas):
    page = browser.new_page(viewport={"width": 1366, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "sysadmin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
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
