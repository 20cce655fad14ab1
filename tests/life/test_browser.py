"""The member's sign-in page on a phone (375 px): nothing scrolls sideways, the code field and the button are
large, and typing the code signs the member in."""

import pytest

from tests.conftest import ARTIFACTS, log_in
from tests.life.conftest import make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_on_a_phone(browser, live_server, personas, branch, members):
    meeting = make_meeting(personas["county"], branch, topic="云上主题党日")
    page = log_in(browser, live_server, "member")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/life/sign-in/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box = page.locator("button[type=submit]").first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a large touch target
    assert "云上主题党日" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "phone-member-sign-in.png"), full_page=True)
    page.fill("#id_code", meeting.code)
    page.locator("form[action='/life/sign-in/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "签到成功：云上主题党日（线上参会）" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    meeting.refresh_from_db()
    assert meeting.attendances.get(member=members["member"]).state == "online"
    page.close()


def test_the_secretary_shows_the_code_and_qr_on_the_screen(browser, live_server, personas, branch, members):
    meeting = make_meeting(personas["county"], branch, topic="支部党员大会")
    page = log_in(browser, live_server, "secretary")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/life/meetings/{meeting.pk}/")
    qr = page.locator("svg.sx-meeting-qr").bounding_box()
    assert qr["width"] >= 200 and qr["height"] >= 200
    assert page.inner_text("#meeting-code") == meeting.code
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.screenshot(path=str(ARTIFACTS / "desktop-secretary-meeting.png"), full_page=True)
    page.close()


def test_the_secretary_deletes_a_photo_after_confirming(browser, live_server, personas, branch, members, settings, tmp_path):
    """The photo's delete button asks first (data-confirm); dismissed, nothing goes; accepted, the photo is gone."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanxin.life.models import MeetingPhoto
    from sanxin.life.services import meeting_photo_add

    image_module = pytest.importorskip("PIL.Image")
    settings.DATA_DIR = tmp_path
    meeting = make_meeting(personas["county"], branch, topic="主题党日")
    out = io.BytesIO()
    image_module.new("RGB", (320, 240), (180, 40, 40)).save(out, format="JPEG")
    photo = meeting_photo_add(actor=personas["county"], meeting=meeting, upload=SimpleUploadedFile("现场.jpg", out.getvalue()))
    page = log_in(browser, live_server, "secretary")
    for width, name in ((375, "phone"), (1440, "desktop")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/life/meetings/{meeting.pk}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator("figure figcaption").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"{name}-meeting-photo-delete.png"), full_page=True)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("figcaption button[type=submit]").click()
    assert MeetingPhoto.objects.filter(pk=photo.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("figcaption button[type=submit]").click()
    page.wait_for_selector("text=已删除照片")
    assert not MeetingPhoto.objects.filter(pk=photo.pk).exists()
    assert not (tmp_path / MeetingPhoto.UPLOAD_FOLDER / photo.stored_name).exists()
    page.close()
