"""The issue's story on a phone (375 px): in a basement car park with no signal a rider reports that riders are kept
out of a compound, with a photo, and asks that his platform not see his name. The phone keeps the appeal and sends
it when the network returns, once; a reply lost on the way makes the phone send it again, still one appeal.
Screenshots go to test-artifacts/phone-appeal-offline-*.png."""

import io

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from sanxin.appeals.models import Appeal
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEXT = "阳光小区物业不让外卖骑手进小区，只能在北门外等，经常超时。"


def phone(browser, live_server, user, *, service_workers="allow"):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, service_workers=service_workers)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}]
    )
    return context, context.new_page()


def fill_appeal(page, platform, photo=None):
    page.select_option("#id_category", "access")
    page.fill("#id_text", TEXT)
    page.fill("#id_place", "阳光小区北门地下车库")
    page.select_option("#id_platform", str(platform.pk))
    assert page.is_checked("#id_shielded")
    if photo is not None:
        page.set_input_files("#id_photos", str(photo))


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "门口.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "gray").save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_an_appeal_raised_with_no_signal_is_kept_and_sent_once(browser, live_server, personas, platform, photo):
    context, page = phone(browser, live_server, personas["worker"])
    page.goto(f"{live_server.url}/w/appeals/new/")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    fill_appeal(page, platform, photo)
    page.locator("form[data-offline] button[type=submit]").click()
    page.wait_for_selector("text=已保存在手机上，有网络后自动发送（1 条待发送）")
    assert Appeal.objects.count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "phone-appeal-offline-1-kept.png"), full_page=True)

    context.set_offline(False)
    page.wait_for_selector("text=已发送：诉求")
    appeal = Appeal.objects.get()
    assert appeal.worker.user == personas["worker"] and appeal.text == TEXT
    assert appeal.shielded and appeal.platform == platform and appeal.photos.count() == 1
    assert appeal.unit.region_id == "360102002"  # routed to the street office
    page.screenshot(path=str(ARTIFACTS / "phone-appeal-offline-2-sent.png"), full_page=True)
    context.close()


def test_a_reply_lost_in_the_basement_still_makes_one_appeal(browser, live_server, personas, platform):
    """Without a photo: Playwright's route.fetch() does not pass on a file body the page posted (the photo is sent
    and stored in the test above)."""
    context, page = phone(browser, live_server, personas["worker"], service_workers="block")
    arrivals = []

    def lose_the_first_reply(route):
        arrivals.append(route.request.headers.get("x-sanxin-outbox"))
        response = route.fetch()  # the server makes the appeal
        if len(arrivals) == 1:
            route.abort("connectionreset")
        else:
            route.fulfill(response=response)

    page.route("**/w/appeals/new/", lambda route: lose_the_first_reply(route) if route.request.method == "POST" else route.continue_())
    page.goto(f"{live_server.url}/w/appeals/new/")
    fill_appeal(page, platform)
    page.locator("form[data-offline] button[type=submit]").click()
    page.wait_for_selector("text=已保存在手机上，有网络后自动发送（1 条待发送）")
    assert Appeal.objects.count() == 1  # made, though the phone does not know
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("text=已发送：诉求")
    assert arrivals == ["1", "1"] and Appeal.objects.count() == 1
    context.close()
