"""The worker's phone pages (report offline-ready, the duplicate offer, join, follow) and the staff pages (list with
filters, detail with actions, export, photos after the scope check)."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sanxin.hazards import services
from sanxin.hazards.models import HazardReport, HazardStatus, HazardSupporter
from tests.conftest import PASSWORD, logged_in_client
from tests.hazards.conftest import LAT, LON, LON_50M, report

pytestmark = pytest.mark.django_db
OUTBOX = {"HTTP_X_SANXIN_OUTBOX": "1"}


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (80, 60), "blue")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (28.0, 40.0, 48.0), 3: "E", 4: (115.0, 54.0, 0.0)}
    exif[0x010F] = "PhoneMaker"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def form_data(**fields):
    data = {"category": "fire_lane", "text": "消防通道被堵", "place": "3 栋", "region": "360102002001"}
    return data | {"longitude": str(LON), "latitude": str(LAT)} | fields


def test_the_new_report_page_is_an_offline_form_in_the_shell(client_for):
    page = client_for("worker").get("/w/hazards/new/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-offline="随手拍"' in html and 'name="client_key"' in html and "js/hazards.js" in html
    assert 'href="/w/hazards/"' in html and "随手拍" in html  # the tab


def test_reporting_with_a_photo_strips_its_metadata(client_for, personas, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    photo = SimpleUploadedFile("现场.jpg", jpeg_with_gps(), content_type="image/jpeg")
    answer = client_for("worker").post("/w/hazards/new/", form_data(photos=photo))
    made = HazardReport.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/w/hazards/{made.pk}/"
    served = client_for("worker").get(f"/w/hazards/{made.pk}/photos/{made.photos.get().pk}/")
    data = b"".join(served.streaming_content)
    assert served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"
    assert b"PhoneMaker" not in data and not Image.open(io.BytesIO(data)).getexif()
    staff = client_for("community").get(f"/hazards/{made.pk}/photos/{made.photos.get().pk}/")
    assert staff.status_code == 200
    assert client_for("other_county").get(f"/hazards/{made.pk}/photos/{made.photos.get().pk}/").status_code == 404


def test_the_outbox_gets_json_and_a_replay_makes_nothing_new(client_for):
    client = client_for("worker")
    key = "1c7a2a5e-9d1b-4d0e-8b1e-2b6d6f0b9a01"
    first = client.post("/w/hazards/new/", form_data(client_key=key), **OUTBOX)
    again = client.post("/w/hazards/new/", form_data(client_key=key), **OUTBOX)
    assert first.status_code == again.status_code == 200
    assert json.loads(first.content)["ok"] and json.loads(first.content)["redirect"] == json.loads(again.content)["redirect"]
    assert HazardReport.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"text": "堵" * 1001}, "1000"),
        ({"longitude": "200"}, "中国境内"),
        ({"category": ""}, "隐患类别"),
    ],
)
def test_a_refused_report_says_why_to_the_outbox_and_the_page(client_for, fields, says):
    client = client_for("worker")
    answer = client.post("/w/hazards/new/", form_data(**fields), **OUTBOX)
    assert answer.status_code == 400 and says in json.loads(answer.content)["message"]
    page = client.post("/w/hazards/new/", form_data(**fields))
    assert page.status_code == 400 and says in page.content.decode()
    assert not HazardReport.objects.exists()


def test_an_empty_post_and_a_photo_that_is_no_image(client_for, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client = client_for("worker")
    assert client.post("/w/hazards/new/", {}).status_code == 400
    bad = SimpleUploadedFile("x.jpg", b"GIF89a-not-really", content_type="image/jpeg")
    answer = client.post("/w/hazards/new/", form_data(photos=bad), **OUTBOX)
    assert answer.status_code == 400 and "不是可识别的图片" in json.loads(answer.content)["message"]
    assert not HazardReport.objects.exists()


def test_the_duplicate_offer_and_joining_instead(client_for, personas, second_rider):
    made = report(personas["worker"])
    rider = logged_in_client(second_rider)
    fragment = rider.get("/w/hazards/nearby/", {"category": "fire_lane", "longitude": str(LON_50M), "latitude": str(LAT)})
    html = fragment.content.decode()
    assert "我也看到了" in html and "相距约 50 米" in html and f"/w/hazards/{made.pk}/join/" in html
    assert "测试worker" not in html and "13900139000" not in html  # never who reported it
    assert rider.get("/w/hazards/nearby/", {"category": "road", "longitude": str(LON_50M), "latitude": str(LAT)}).content.strip() == b""
    assert rider.get("/w/hazards/nearby/", {"category": "fire_lane", "longitude": "x", "latitude": "nan"}).status_code == 200
    joined = rider.post(f"/w/hazards/{made.pk}/join/")
    assert joined.status_code == 302 and HazardSupporter.objects.filter(report=made).count() == 1
    assert "我附议的" in rider.get("/w/hazards/").content.decode()
    assert rider.post("/w/hazards/999999/join/").status_code == 404
    # Someone else's report is no page of his.
    assert rider.get(f"/w/hazards/{made.pk}/").status_code == 404


def test_staff_verify_on_the_detail_page_and_see_the_duplicate_warning(client_for, personas):
    first = report(personas["worker"])
    community = client_for("community")
    page = community.get(f"/hazards/{first.pk}/")
    assert page.status_code == 200 and 'data-action="verify_valid"' in page.content.decode()
    community.post(f"/hazards/{first.pk}/verify_valid/")
    first.refresh_from_db()
    assert first.status == HazardStatus.VALID
    second = report(personas["worker"], longitude=LON_50M)
    page = community.get(f"/hazards/{second.pk}/").content.decode()
    assert "应标记为重复" in page and 'data-action="verify_valid"' not in page
    answer = community.post(f"/hazards/{second.pk}/verify_valid/", follow=True)
    assert "标记为重复" in answer.content.decode()
    community.post(f"/hazards/{second.pk}/mark_duplicate/", {"original": first.pk})
    second.refresh_from_db()
    assert second.status == HazardStatus.DUPLICATE and second.duplicate_of == first
    assert community.post(f"/hazards/{first.pk}/bogus/").status_code == 404


def test_another_county_gets_404_on_page_and_action(client_for, personas):
    made = report(personas["worker"])
    other = client_for("other_county")
    assert other.get(f"/hazards/{made.pk}/").status_code == 404
    assert other.post(f"/hazards/{made.pk}/verify_valid/").status_code == 404
    made.refresh_from_db()
    assert made.status == HazardStatus.SUBMITTED
    assert client_for("worker").get("/hazards/").status_code == 404


def test_the_list_filters_and_the_export(client_for, personas):
    report(personas["worker"])
    light = report(personas["worker"], category="street_light", place="路灯 12 号")
    services.hazard_verify_valid(actor=personas["community"], report=light)
    county = client_for("county")
    page = county.get("/hazards/", {"category": "street_light"}).content.decode()
    assert "路灯 12 号" in page and "民巷小区 3 栋" not in page
    assert "民巷小区 3 栋" in county.get("/hazards/", {"status": "submitted"}).content.decode()
    assert county.get("/hazards/", {"region": "３６０１０２"}).status_code == 200
    assert "密码" in county.get("/hazards/export/").content.decode()
    export = county.post("/hazards/export/?category=street_light", {"password": PASSWORD})
    assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]
    from openpyxl import load_workbook

    cells = [c.value for row in load_workbook(io.BytesIO(export.content)).active.iter_rows() for c in row]
    assert "路灯 12 号" in cells and "民巷小区 3 栋" not in cells and "13900139000" not in cells
    assert "路灯 12 号" not in client_for("other_county").get("/hazards/").content.decode()


def test_the_worker_home_card_and_data_export(client_for, personas, worker):
    report(personas["worker"])
    home = client_for("worker").get("/w/").content.decode()
    assert 'data-card="hazards"' in home
    from sanxin.hazards.selectors import worker_data

    assert worker_data(worker)[0][0] == "随手拍"


def test_the_dashboards_count_reports_to_verify(client_for, personas):
    report(personas["worker"])
    for persona in ("county", "township", "community"):
        home = client_for(persona).get("/").content.decode()
        assert 'id="hazard-work"' in home and "随手拍待核实" in home, persona
    other = client_for("other_county").get("/").content.decode()
    assert '<span class="text-muted">0</span> <span class="small fw-normal">件，去核实' in other
    assert 'id="hazard-work"' not in client_for("platform").get("/").content.decode()
