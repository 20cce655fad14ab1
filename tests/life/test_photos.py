"""Meeting photos (security.md item 18): a size limit, the type read from the content, re-encoded with Pillow so
no EXIF or GPS survives, a random name under the data folder, served only to those who see the meeting.

The tests that decode images need Pillow (requirements.txt); where it is not installed yet they are skipped."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from sanxin.core.models import AuditEvent
from sanxin.core.photos import MAX_PHOTO_BYTES, photo_path, reencode
from sanxin.life.models import MeetingPhoto
from sanxin.life.services import meeting_photo_add
from tests.life.conftest import make_meeting

GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def jpeg_with_gps(size=(64, 48)) -> bytes:
    image_module = pytest.importorskip("PIL.Image")
    image = image_module.new("RGB", size, (200, 30, 30))
    exif = image_module.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x0132] = "2026:03:20 15:00:00"  # DateTime
    exif[GPS_IFD] = {1: "N", 2: (28.0, 40.0, 12.5), 3: "E", 4: (115.0, 53.0, 1.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(data: bytes, name="现场.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_exif_and_gps_are_stripped_and_the_name_is_random(personas, meeting, data_dir):
    image_module = pytest.importorskip("PIL.Image")
    data = jpeg_with_gps()
    with image_module.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(GPS_IFD)  # the test photo does carry a position
    photo = meeting_photo_add(actor=personas["secretary"], meeting=meeting, upload=upload(data))
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", photo.stored_name)
    stored = data_dir / MeetingPhoto.UPLOAD_FOLDER / photo.stored_name
    with image_module.open(stored) as clean:
        assert clean.format == "JPEG" and clean.size == (64, 48) == (photo.width, photo.height)
        assert not clean.getexif() and "exif" not in clean.info
    assert b"TestCam" not in stored.read_bytes() and photo.size == stored.stat().st_size
    assert AuditEvent.objects.get(action="meeting_photo_add").detail["photo"] == photo.pk


def test_the_type_is_read_from_the_content(personas, meeting):
    image_module = pytest.importorskip("PIL.Image")
    png = io.BytesIO()
    image_module.new("RGBA", (10, 10), (0, 0, 255, 128)).save(png, format="PNG")
    photo = meeting_photo_add(
        actor=personas["county"], meeting=meeting, upload=upload(png.getvalue(), name="截图.txt", content_type="text/plain")
    )
    assert photo.stored_name.endswith(".jpg")
    with pytest.raises(ValidationError) as refused:
        reencode(b"<html><script>alert(1)</script></html>")
    assert refused.value.messages == ["文件不是可识别的图片，请上传照片（JPEG、PNG 等）"]
    tiff = io.BytesIO()
    image_module.new("RGB", (10, 10)).save(tiff, format="TIFF")
    with pytest.raises(ValidationError) as refused:
        reencode(tiff.getvalue())
    assert refused.value.messages == ["只支持 JPEG、PNG、WebP、GIF、BMP 格式的照片，此文件为 TIFF"]
    assert MeetingPhoto.objects.count() == 1


def test_the_size_is_limited(personas, meeting, data_dir):
    pytest.importorskip("PIL")
    big = upload(b"\xff\xd8" + b"\0" * MAX_PHOTO_BYTES)
    with pytest.raises(ValidationError) as refused:
        meeting_photo_add(actor=personas["county"], meeting=meeting, upload=big)
    assert refused.value.messages == ["照片超过 10 MB，请压缩后再上传"]
    assert not MeetingPhoto.objects.exists() and not list((data_dir / MeetingPhoto.UPLOAD_FOLDER).glob("*"))


def test_photos_are_uploaded_on_the_page_and_served_only_within_the_scope(personas, client_for, branch, meeting, members):
    pytest.importorskip("PIL")
    client = client_for("secretary")
    response = client.post(reverse("life:meeting_photo_upload", args=[meeting.pk]), {"photo": upload(jpeg_with_gps())}, follow=True)
    assert "已上传照片" in response.content.decode()
    photo = MeetingPhoto.objects.get()
    url = reverse("life:meeting_photo", args=[meeting.pk, photo.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    assert client_for("member").get(url).status_code == 200  # expected at the meeting
    assert client_for("other_county").get(url).status_code == 404
    other = make_meeting(personas["county"], branch, topic="另一场")
    assert client.get(reverse("life:meeting_photo", args=[other.pk, photo.pk])).status_code == 404


def test_a_stored_name_is_never_a_path(data_dir):
    for name in ("../sanxin.key", "a" * 32 + ".jpg/../x", "a" * 32 + ".png"):
        with pytest.raises(Http404):
            photo_path(MeetingPhoto.UPLOAD_FOLDER, name)
    assert photo_path(MeetingPhoto.UPLOAD_FOLDER, "a" * 32 + ".jpg").parent == data_dir / MeetingPhoto.UPLOAD_FOLDER


def test_whoever_may_change_the_meeting_deletes_a_photo_and_the_file_goes_after_commit(
    personas, client_for, meeting, data_dir, django_capture_on_commit_callbacks
):
    pytest.importorskip("PIL")
    photo = meeting_photo_add(actor=personas["secretary"], meeting=meeting, upload=upload(jpeg_with_gps()))
    stored = data_dir / MeetingPhoto.UPLOAD_FOLDER / photo.stored_name
    url = reverse("life:meeting_photo_delete", args=[meeting.pk, photo.pk])
    detail = client_for("secretary").get(reverse("life:meeting_detail", args=[meeting.pk])).content.decode()
    assert url in detail and "删除后不能恢复，确定删除这张照片？" in detail  # a POST form, confirmed on the page
    assert client_for("secretary").get(url).status_code == 405
    # Those who only see the meeting (an expected member) and those outside the scope get 404; nothing goes.
    for persona in ("member", "other_county"):
        assert client_for(persona).post(url).status_code == 404
    assert "删除后不能恢复" not in client_for("member").get(reverse("life:meeting_detail", args=[meeting.pk])).content.decode()
    assert MeetingPhoto.objects.filter(pk=photo.pk).exists() and stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("secretary").post(url, follow=True)
    assert "已删除照片" in response.content.decode()
    assert not MeetingPhoto.objects.filter(pk=photo.pk).exists() and not stored.exists()
    event = AuditEvent.objects.get(action="meeting_photo_delete")
    assert event.detail["old"]["stored_name"] == photo.stored_name and event.detail["old"]["size"] == photo.size
    assert event.actor == personas["secretary"]


def test_a_rolled_back_photo_deletion_keeps_the_file(personas, meeting, data_dir):
    pytest.importorskip("PIL")
    from django.db import transaction

    from sanxin.life.services import meeting_photo_delete

    photo = meeting_photo_add(actor=personas["county"], meeting=meeting, upload=upload(jpeg_with_gps()))
    stored = data_dir / MeetingPhoto.UPLOAD_FOLDER / photo.stored_name
    with pytest.raises(RuntimeError), transaction.atomic():
        meeting_photo_delete(actor=personas["county"], photo=photo)
        raise RuntimeError("回滚")
    assert MeetingPhoto.objects.filter(pk=photo.pk).exists() and stored.exists()
    with pytest.raises(ValidationError) as refused:
        meeting_photo_delete(actor=personas["other_county"], photo=photo)
    assert "不在您的管辖范围内" in refused.value.messages[0]
    assert stored.exists() and not AuditEvent.objects.filter(action="meeting_photo_delete").exists()
