"""The installable phone app on a phone (375 px): a member in a basement asks for leave with no network; the phone
keeps it, shows it after a reload with no network (the page comes from the service worker's copy), and sends it
when the network returns, once. A reply lost on the way makes the phone send the same entry again: still once.
Screenshots of each step go to test-artifacts/phone-offline-*.png."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanxin.core.models import AuditEvent
from sanxin.life.models import Meeting
from tests.conftest import ARTIFACTS, PASSWORD, enter_second_factor
from tests.life.conftest import make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}
TOPIC = "党小组会：交流夜间配送安全经验"
REASON = "在地下车库送件，没有信号"


def phone(browser, live_server, *, service_workers="allow"):
    context = browser.new_context(viewport=PHONE, service_workers=service_workers)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "member")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    enter_second_factor(page, live_server, "member")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"phone-offline-{name}.png"), full_page=True)


def stored_pages(page) -> list[str]:
    return page.evaluate(
        """async () => { const out = [];
             for (const key of await caches.keys()) if (key.startsWith('sx-pages-'))
               for (const request of await (await caches.open(key)).keys()) out.push(new URL(request.url).pathname);
             return out; }"""
    )


def leave_events() -> int:
    return AuditEvent.objects.filter(action="meeting_leave_request").count()


def test_a_leave_asked_with_no_network_is_kept_and_sent_once(browser, live_server, personas, branch, members):
    meeting = make_meeting(personas["county"], branch, topic=TOPIC, starts_at=timezone.now() + timedelta(days=7))
    url = f"/m/meetings/{meeting.pk}/"
    context, page = phone(browser, live_server)
    page.goto(f"{live_server.url}{url}")
    page.wait_for_function("navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready.then(() => true)")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()  # now through the service worker, which keeps a copy of the page
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    for _ in range(50):
        if url in stored_pages(page):
            break
        page.wait_for_timeout(100)
    assert url in stored_pages(page)
    assert "/m/data/" not in stored_pages(page)
    shot(page, "1-online")

    context.set_offline(True)
    page.fill("#id_reason", REASON)
    page.locator("form[data-offline] button[type=submit]").click()
    page.wait_for_selector("text=已保存在手机上，有网络后自动发送（1 条待发送）")
    assert page.input_value("#id_reason") == ""  # taken: the form is empty again, with a fresh key
    assert page.inner_text("#sx-outbox .sx-outbox-list").count("会议请假") == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "2-kept")
    assert leave_events() == 0

    # Reload with no network: the stored copy (the topic changed on the server meanwhile, the copy keeps the old one).
    Meeting.objects.filter(pk=meeting.pk).update(topic="改过的主题")
    page.reload()
    page.wait_for_selector("text=已保存在手机上，有网络后自动发送（1 条待发送）")
    assert TOPIC in page.inner_text("main") and "改过的主题" not in page.inner_text("main")
    shot(page, "3-reloaded-offline")

    # A page never opened: the Chinese offline page.
    page.goto(f"{live_server.url}/m/organization/")
    page.wait_for_selector("text=当前没有网络")
    page.wait_for_selector("text=已保存在手机上，有网络后自动发送（1 条待发送）")
    shot(page, "4-never-opened")
    page.go_back()
    page.wait_for_selector("#id_reason")

    context.set_offline(False)
    page.wait_for_selector("text=已发送：会议请假")
    assert page.locator(".sx-outbox-banner").count() == 0
    shot(page, "5-sent")
    row = meeting.attendances.get(member=members["member"])
    assert (row.state, row.leave_reason) == ("leave", REASON)
    assert leave_events() == 1

    page.reload()  # nothing left to send; the flash message of the request shows on the next page
    assert page.locator(".sx-outbox-list").count() == 0
    assert "已请假：" in page.inner_text("main") and REASON in page.inner_text("main")
    assert leave_events() == 1

    # Logging out deletes the pages kept on the phone.
    page.goto(f"{live_server.url}/m/me/")
    assert stored_pages(page)
    page.click("text=退出登录")
    page.wait_for_url("**/accounts/login/")
    page.wait_for_timeout(300)
    assert stored_pages(page) == []
    context.close()


def test_a_reply_lost_on_the_way_is_sent_again_and_written_once(browser, live_server, personas, branch, members):
    """The server did the work but the phone never heard: twice. The third try is answered; one request in all."""
    meeting = make_meeting(personas["county"], branch, topic=TOPIC, starts_at=timezone.now() + timedelta(days=7))
    context, page = phone(browser, live_server, service_workers="block")  # page.route sees the page's requests
    arrivals, kept = [], []

    def lose_the_reply(route):
        arrivals.append(route.request.headers.get("x-sanxin-outbox"))
        kept.append(route.request.headers.get("x-sanxin-kept-at"))
        response = route.fetch()  # the server writes the leave
        if len(arrivals) <= 2:
            assert response.status == 200
            route.abort("connectionreset")
        else:
            route.fulfill(response=response)

    page.route("**/leave/", lose_the_reply)
    page.goto(f"{live_server.url}/m/meetings/{meeting.pk}/")
    page.fill("#id_reason", REASON)
    page.locator("form[data-offline] button[type=submit]").click()
    page.wait_for_selector("text=已保存在手机上，有网络后自动发送（1 条待发送）")
    shot(page, "6-reply-lost")
    assert leave_events() == 1  # written, though the phone does not know
    key = page.evaluate("sanxinOutbox.entries().then(rows => rows[0].client_key)")
    assert len(key) == 36

    page.reload()  # a page load replays: the reply is lost again
    page.wait_for_function("() => window.sanxinOutbox !== undefined")
    page.wait_for_timeout(500)
    page.wait_for_selector("text=已保存在手机上，有网络后自动发送（1 条待发送）")
    assert len(arrivals) == 2

    page.evaluate("sanxinOutbox.replay()")
    page.wait_for_selector("text=已发送：会议请假")
    shot(page, "7-sent-after-lost-replies")
    assert arrivals == ["1", "1", "1"]
    assert kept[0] is None and kept[1] == kept[2] and kept[1].endswith("Z")  # replays say when the phone kept it
    assert page.evaluate("sanxinOutbox.entries().then(rows => rows.length)") == 0
    assert leave_events() == 1
    row = meeting.attendances.get(member=members["member"])
    assert (row.state, row.leave_reason) == ("leave", REASON)
    context.close()


def test_a_refused_entry_is_kept_with_the_reason_and_can_be_filled_again(browser, live_server, personas, branch, members):
    meeting = make_meeting(personas["county"], branch, topic=TOPIC, starts_at=timezone.now() + timedelta(days=7))
    context, page = phone(browser, live_server, service_workers="block")
    page.goto(f"{live_server.url}/m/meetings/{meeting.pk}/")
    context.set_offline(True)
    page.fill("#id_reason", "   ")
    page.locator("form[data-offline] button[type=submit]").click()
    page.wait_for_selector("text=已保存在手机上，有网络后自动发送（1 条待发送）")
    context.set_offline(False)
    page.wait_for_selector("text=1 条未被接受")
    assert "未被接受：请假事由：请填写请假事由" in page.inner_text("#sx-outbox")
    shot(page, "8-refused")
    page.click("#sx-outbox button:has-text('重新填写')")
    page.wait_for_selector("text=已把“会议请假”填回表单，请修改后重新提交")
    assert page.input_value("#id_reason") == "   "
    assert page.evaluate("sanxinOutbox.entries().then(rows => rows.length)") == 0
    shot(page, "9-filled-again")
    assert leave_events() == 0
    context.close()


def log_in_as(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    enter_second_factor(page, live_server, username)
    page.wait_for_url(f"{live_server.url}/")


def test_a_shared_phone_sends_an_entry_only_in_its_makers_session(browser, live_server, personas, branch, members):
    """The member logs out with an entry unsent (asked first); the secretary logs in on the same phone: the pages the
    member left are deleted and the member's entry is neither shown nor sent; the member logs in again: sent."""
    meeting = make_meeting(personas["county"], branch, topic=TOPIC, starts_at=timezone.now() + timedelta(days=7))
    context, page = phone(browser, live_server, service_workers="block")
    page.route("**/leave/", lambda route: route.abort("internetdisconnected"))
    page.goto(f"{live_server.url}/m/meetings/{meeting.pk}/")
    page.fill("#id_reason", REASON)
    page.locator("form[data-offline] button[type=submit]").click()
    page.wait_for_selector("text=已保存在手机上，有网络后自动发送（1 条待发送）")
    page.evaluate("caches.open('sx-pages-test').then(c => c.put('/m/me/', new Response('林小勇的页面')))")

    page.goto(f"{live_server.url}/m/me/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("text=退出登录")
    page.wait_for_url("**/accounts/login/")
    assert "还有 1 条记录没有发送" in asked[0]
    page.unroute("**/leave/")

    log_in_as(page, live_server, "secretary")
    page.goto(f"{live_server.url}/m/meetings/")
    page.evaluate("sanxinOutbox.replay()")
    assert page.evaluate("caches.keys()") == []
    assert page.evaluate("sanxinOutbox.entries().then(rows => rows.length)") == 0
    assert page.locator("#sx-outbox .sx-outbox-list").count() == 0
    assert leave_events() == 0
    shot(page, "10-another-user")

    page.goto(f"{live_server.url}/m/me/")
    page.click("text=退出登录")
    page.wait_for_url("**/accounts/login/")
    log_in_as(page, live_server, "member")
    page.goto(f"{live_server.url}/m/meetings/")
    page.wait_for_selector("text=已发送：会议请假")
    assert leave_events() == 1
    context.close()


def test_a_photo_is_kept_on_the_phone_and_sent_with_the_entry(browser, live_server, personas, branch, members):
    """A form with a file input (as the appeal form will have): the file is kept in IndexedDB and posted on replay."""
    meeting = make_meeting(personas["county"], branch, topic=TOPIC, starts_at=timezone.now() + timedelta(days=7))
    context, page = phone(browser, live_server, service_workers="block")
    page.goto(f"{live_server.url}/m/meetings/{meeting.pk}/")
    form = "form[data-offline]"
    page.evaluate(
        """f => { const input = document.createElement('input');
                  input.type = 'file'; input.name = 'photo'; document.querySelector(f).appendChild(input); }""",
        form,
    )
    photo = {"name": "车库.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff" + b"x" * 2000}
    page.set_input_files(f"{form} input[name=photo]", files=[photo])
    context.set_offline(True)
    page.fill("#id_reason", REASON)
    page.locator(f"{form} button[type=submit]").click()
    page.wait_for_selector("text=已保存在手机上，有网络后自动发送（1 条待发送）")
    stored = page.evaluate(
        "sanxinOutbox.entries().then(rows => rows[0].fields.filter(f => f[0] === 'photo').map(f => [f[1].name, f[1].size]))"
    )
    assert stored == [["车库.jpg", 2003]]

    bodies = []
    page.route("**/leave/", lambda route: (bodies.append(route.request.post_data_buffer), route.continue_()))
    context.set_offline(False)
    page.wait_for_selector("text=已发送：会议请假")
    assert b'filename="\xe8\xbd\xa6\xe5\xba\x93.jpg"' in bodies[0] and b"x" * 2000 in bodies[0]
    assert leave_events() == 1
    context.close()
