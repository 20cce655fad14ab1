"""The worker raises and follows an appeal on a phone (375 px); the street handles it and the county sees the 三率
at 1440 px. Nothing scrolls sideways; the screenshots go to test-artifacts/."""

import io

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from sanxin.appeals import services
from sanxin.appeals.models import Appeal, AppealStatus
from tests.appeals.conftest import raise_appeal
from tests.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def worker_page(browser, live_server, user):
    """A phone page logged in as the worker (the login by one-time code is the workers app's, tested there)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}]
    )
    return context.new_page()


def test_worker_raises_and_follows_on_a_phone(browser, live_server, personas, platform, other_worker, tmp_path):
    raise_appeal(personas["township"], worker=other_worker, place="阳光小区东门", text="东门也不让进")  # a duplicate to offer
    photo = tmp_path / "门口.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "gray").save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())

    page = worker_page(browser, live_server, personas["worker"])
    page.goto(f"{live_server.url}/w/appeals/new/")
    page.select_option("#id_category", "access")
    page.wait_for_selector("#nearby :text('我也遇到了')")
    assert "阳光小区东门" in page.inner_text("#nearby")
    page.fill("#id_text", "阳光小区物业不让外卖骑手进小区，只能在北门外等，经常超时。")
    page.fill("#id_place", "阳光小区北门")
    page.select_option("#id_platform", str(platform.pk))
    assert page.is_checked("#id_shielded")
    page.set_input_files("#id_photos", str(photo))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-worker-appeal-new.png"), full_page=True)
    page.click("form[data-offline] button[type=submit]")
    page.wait_for_selector(".alert-success")
    appeal = Appeal.objects.get(worker__user=personas["worker"])
    assert appeal.shielded and appeal.photos.count() == 1 and appeal.client_key is not None
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-worker-appeal-submitted.png"), full_page=True)

    street = personas["township"]
    appeal = services.appeal_accept(actor=street, appeal=appeal)
    services.appeal_resolve(actor=street, appeal=appeal, reply="已协调物业：骑手登记后可从北门进入小区。")
    page.goto(f"{live_server.url}/w/appeals/")
    assert "请评价" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "phone-worker-appeal-list.png"), full_page=True)
    page.goto(f"{live_server.url}/w/appeals/{appeal.pk}/")
    button = page.locator("button[value=satisfied]")
    assert button.bounding_box()["height"] >= 44
    page.screenshot(path=str(ARTIFACTS / "phone-worker-appeal-rate.png"), full_page=True)
    button.click()
    page.wait_for_selector(".alert-success")
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.CLOSED
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-worker-appeal-closed.png"), full_page=True)
    page.close()


def test_staff_list_detail_and_rates(browser, live_server, personas, platform):
    worker = personas["worker"]
    for n, (category, place) in enumerate([("access", "阳光小区北门"), ("amenities", "八一广场东侧"), ("wages", "民巷社区配送站")]):
        appeal = raise_appeal(worker, platform=platform if n == 0 else None, category=category, place=place)
        if n:
            services.appeal_accept(actor=personas["township"], appeal=appeal)
    page = log_in(browser, live_server, "township")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/appeals/?tab=submitted")
    assert "阳光小区北门" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.screenshot(path=str(ARTIFACTS / "desktop-street-appeals.png"), full_page=True)
    page.click("text=阳光小区北门 >> xpath=../td[1]/a")
    page.click("button:has-text('受理')")
    page.wait_for_selector(".alert-success")
    page.fill("#question", "请问是几号楼附近？")
    page.click("button:has-text('发送问题')")
    page.wait_for_selector(".alert-success")
    assert "待诉求人答复" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "desktop-street-appeal-detail.png"), full_page=True)
    page.close()
    county = log_in(browser, live_server, "county")
    county.set_viewport_size({"width": 1440, "height": 900})
    county.goto(f"{live_server.url}/appeals/rates/")
    assert "滕王阁街道党工委" in county.inner_text("main")
    assert county.evaluate("document.documentElement.scrollWidth") <= 1440
    county.screenshot(path=str(ARTIFACTS / "desktop-county-appeal-rates.png"), full_page=True)
    county.close()


def test_the_platform_sees_the_matter_not_the_person(browser, live_server, personas, platform):
    text = "我是测试worker，电话13900139000。美团站点超时罚款 50 元，申诉无人处理。"
    appeal = raise_appeal(personas["worker"], platform=platform, category="platform_rules", text=text, place="八一广场美团站点")
    services.appeal_accept(actor=personas["township"], appeal=appeal)
    page = log_in(browser, live_server, "platform")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/appeals/{appeal.pk}/")
    main = page.inner_text("main")
    assert "超时罚款" in main and "测试worker" not in main and "13900139000" not in main and "（已隐藏）" in main
    page.screenshot(path=str(ARTIFACTS / "desktop-platform-appeal-shielded.png"), full_page=True)
    page.close()
