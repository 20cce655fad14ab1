"""A worker on a phone (375 px): log in with phone and code, register, accept the consent, see home and 我的;
nothing scrolls sideways. Screenshots go to test-artifacts/."""

import pytest

from sanxin.workers.models import ConsentText, Worker
from sanxin.workers.services import consent_publish
from tests.conftest import ARTIFACTS
from tests.workers.conftest import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
    page.screenshot(path=str(ARTIFACTS / f"phone-worker-{name}.png"), full_page=True)


def test_a_new_worker_registers_and_sees_home_and_me(browser, live_server, platforms, sms_outbox):
    if not ConsentText.objects.filter(version="2026.1").exists():  # a flushed database has lost the migration's text
        consent_publish(actor=None, version="2026.1", body="一、我们收集的信息……\n二、使用目的……", sensitive_body="诉求中的照片和位置……")
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.goto(f"{live_server.url}/w/")
    page.wait_for_url("**/w/login/**")
    shot(page, "login")
    page.fill("#id_phone", "１３６ ００１３ ６０００")
    page.click("button:has-text('获取验证码')")
    page.wait_for_selector("text=验证码已发送至 136****6000")
    shot(page, "code")
    page.fill("#id_code", last_code(sms_outbox))
    page.click("button:has-text('登录')")
    page.wait_for_url("**/w/register/**")
    page.fill("#id_name", "孙小跑")
    page.select_option("#id_occupation", "delivery_rider")
    page.check(f"input[name=platforms][value='{platforms['美团外卖'].pk}']")
    selects = page.locator(".region-picker select")
    for n, code in enumerate(["36", "3601", "360102", "360102002", "360102002001"]):
        selects.nth(n).wait_for()
        selects.nth(n).select_option(code)
    page.fill("#id_work_area", "八一广场周边")
    shot(page, "register")
    page.click("button:has-text('下一步')")
    page.wait_for_url("**/w/consent/**")
    shot(page, "consent")
    page.check("#id_accept")
    page.check("#id_accept_sensitive")
    page.click("button:has-text('同意并继续')")
    page.wait_for_url(f"{live_server.url}/w/")
    page.wait_for_selector("text=您好，孙小跑")
    assert page.inner_text("nav[aria-label='底部导航'] a[aria-current='page']").strip() == "首页"
    shot(page, "home")
    page.click("nav[aria-label='底部导航'] a:has-text('我的')")
    page.wait_for_url("**/w/me/")
    assert "136****6000" in page.content()
    assert page.inner_text("nav[aria-label='底部导航'] a[aria-current='page']").strip() == "我的"
    shot(page, "me")
    page.click("a[href='/w/me/unmask/']")
    page.wait_for_selector("text=13600136000")
    worker = Worker.objects.get(name="孙小跑")
    assert worker.region_id == "360102002001" and worker.consent_version == "2026.1"
    page.goto(f"{live_server.url}/w/me/delete/")
    shot(page, "delete")
    page.close()


def test_staff_worker_pages_at_1440(browser, live_server, personas, rider, platforms):
    from tests.conftest import log_in

    page = log_in(browser, live_server, "county")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/workers/")
    page.wait_for_selector("text=李骑手")
    assert "138****5678" in page.content()
    page.screenshot(path=str(ARTIFACTS / "staff-workers-list.png"), full_page=True)
    page.click("text=李骑手")
    page.click("text=显示完整号码")
    page.wait_for_selector("text=13812345678")
    page.screenshot(path=str(ARTIFACTS / "staff-workers-detail.png"), full_page=True)
    page.goto(f"{live_server.url}/workers/new/")
    page.screenshot(path=str(ARTIFACTS / "staff-workers-form.png"), full_page=True)
    page.close()
