"""The worker redeems a reward on a phone (375 px), sees the balance drop, cancels and sees it come back; the county
hands a redemption over at 1440 px. Nothing scrolls sideways; the screenshots go to test-artifacts/."""

import pytest

from sanxin.points import services
from sanxin.points.models import PointsAccount, Redemption
from sanxin.workers.models import Worker
from tests.appeals.test_browser import worker_page
from tests.conftest import ARTIFACTS, log_in
from tests.points.conftest import earn, make_reward

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_redeems_and_cancels_on_a_phone(browser, live_server, personas):
    worker = Worker.objects.get(user=personas["worker"])
    earn(worker, points=100)
    make_reward(cost=30, stock=2)
    make_reward(name="骑手安全头盔", kind="goods", cost=80, stock=0)

    page = worker_page(browser, live_server, personas["worker"])
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/w/")
    assert page.inner_text("[data-card=points] [data-balance]") == "100"
    page.goto(f"{live_server.url}/w/points/rewards/")
    assert "已兑完" in page.inner_text("[data-reward=骑手安全头盔]")
    assert page.locator("[data-reward=骑手安全头盔] button").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-worker-points-rewards.png"), full_page=True)
    page.click("[data-reward=免费健康体检] button[type=submit]")
    page.wait_for_selector("[data-code]")
    redemption = Redemption.objects.get()
    assert page.inner_text("[data-code]").replace(" ", "") == redemption.code
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-worker-points-code.png"), full_page=True)

    page.goto(f"{live_server.url}/w/points/")
    assert page.inner_text("[data-balance]") == "70"
    page.goto(f"{live_server.url}/w/points/redemptions/{redemption.pk}/")
    page.click("form[action$='/cancel/'] button")
    page.wait_for_selector("[data-status=cancelled]")
    page.goto(f"{live_server.url}/w/points/")
    assert page.inner_text("[data-balance]") == "100"
    assert "取消兑换“免费健康体检”，退回积分" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-worker-points-history.png"), full_page=True)
    assert PointsAccount.objects.get(worker=worker).balance == 100


def test_county_hands_over_at_1440(browser, live_server, personas):
    worker = Worker.objects.get(user=personas["worker"])
    earn(worker, points=100)
    redemption = services.points_redeem(actor=personas["worker"], reward=make_reward(cost=30))
    page = log_in(browser, live_server, "county")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/points/redemptions/")
    page.fill("#code", redemption.code)
    page.click("form[action$='/code/'] button")
    page.fill("#code-fulfil", redemption.code)
    page.click("form[action$='/fulfil/'] button")
    page.wait_for_selector("[data-status=fulfilled]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.screenshot(path=str(ARTIFACTS / "staff-points-redemption.png"), full_page=True)
    for path in ("/points/", "/points/rules/", "/points/rewards/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1440, path
    page.screenshot(path=str(ARTIFACTS / "staff-points-rewards.png"), full_page=True)
