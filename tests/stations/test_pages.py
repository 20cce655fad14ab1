"""Staff pages: list, detail, forms, photos, the printable code, the map; another county's station is 404."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sanxin.stations.models import Station, StationPhoto
from sanxin.stations.services import demand_point_create, station_photo_add


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, format="JPEG")
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_list_filters_and_total(client_for, station, other_station):
    client = client_for("county")
    page = client.get("/stations/?type=courier_post&open=1&checklist=0").content.decode()
    assert "滕王阁小哥驿站" in page and "西湖区小哥驿站" not in page
    assert "共 <strong>1</strong> 条" in page
    assert "共 <strong>0</strong> 条" in client.get("/stations/?checklist=1").content.decode()


def test_detail_shows_checklist_code_link_and_visits(client_for, station):
    page = client_for("county").get(f"/stations/{station.pk}/").content.decode()
    assert "有党旗" in page and "打印签到码" in page and "饮水" in page


def test_other_county_ids_are_404(client_for, station, other_station, personas):
    photo = station_photo_add(actor=personas["other_county"], station=other_station, item="flag", upload=jpeg())
    point = demand_point_create(actor=personas["other_county"], name="西湖需求点", region="360103", longitude="115.88", latitude="28.66")
    client = client_for("county")
    for url in (
        f"/stations/{other_station.pk}/",
        f"/stations/{other_station.pk}/edit/",
        f"/stations/{other_station.pk}/code/",
        f"/stations/photos/{photo.pk}/",
        f"/api/v1/stations/{other_station.pk}",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/stations/{other_station.pk}/code/renew/",
        f"/stations/{other_station.pk}/photos/",
        f"/stations/photos/{photo.pk}/delete/",
        f"/stations/demand/{point.pk}/delete/",
    ):
        assert client.post(url).status_code == 404, url
    assert StationPhoto.objects.filter(pk=photo.pk).exists()
    assert client.get("/stations/99999999999999999999999/").status_code == 404


def test_create_and_edit_through_the_form(client_for):
    client = client_for("township")
    data = {
        "name": "滕王阁红色之家",
        "type": "red_home",
        "region": "３６０１０２００２００１",
        "address": "南昌市东湖区榕门路 1 号",
        "longitude": "115.89",
        "latitude": "28.68",
        "opening_hours": "09:00-18:00",
        "amenities": ["water", "wifi"],
        "checklist": ["place"],
        "is_open": "on",
    }
    response = client.post("/stations/new/", data)
    station = Station.objects.get(name="滕王阁红色之家")
    assert response.status_code == 302
    assert station.amenities == ["water", "wifi"]
    bad = client.post(f"/stations/{station.pk}/edit/", data | {"latitude": "80"}).content.decode()
    assert "纬度须在中国境内" in bad


def test_empty_post_names_the_fields(client_for):
    page = client_for("county").post("/stations/new/", {}).content.decode()
    assert "这个字段是必填项" in page or "请填写" in page


def test_photo_upload_and_serving(client_for, station):
    client = client_for("county")
    client.post(f"/stations/{station.pk}/photos/", {"item": "flag", "photo": jpeg()})
    photo = StationPhoto.objects.get()
    response = client.get(f"/stations/photos/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    refused = client.post(f"/stations/{station.pk}/photos/", {"item": "flag", "photo": SimpleUploadedFile("x.jpg", b"text")}, follow=True)
    assert "不是可识别的图片" in refused.content.decode()
    assert StationPhoto.objects.count() == 1


def test_printable_code_has_an_svg_qr_of_the_checkin_url(client_for, station):
    page = client_for("county").get(f"/stations/{station.pk}/code/").content.decode()
    assert "<svg" in page and "sx-station-qr" in page
    assert f"/w/checkin/{station.checkin_code}/" in page
    assert "@page { size: A4" in page
    assert "size: A5" in client_for("county").get(f"/stations/{station.pk}/code/?size=a5").content.decode()


def test_map_shows_only_the_scope(client_for, station, other_station):
    page = client_for("county").get("/stations/map/").content.decode()
    data = json.loads(re.search(r'<script id="station-map-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert [s["name"] for s in data["stations"]] == ["滕王阁小哥驿站"]
    assert data["tiles"] == ""
    assert data["stations"][0]["checklist"][0] == ["有场所", True]


def test_outsider_sees_an_empty_list_and_no_station(client_for, station):
    client = client_for("outsider")
    assert "滕王阁小哥驿站" not in client.get("/stations/").content.decode()
    assert client.get(f"/stations/{station.pk}/").status_code == 404


@pytest.mark.parametrize("name", ["worker", "member", "platform"])
def test_staff_pages_closed_to_others(client_for, station, name):
    client = client_for(name)
    for url in ("/stations/", "/stations/map/", "/stations/circle/", f"/stations/{station.pk}/"):
        assert client.get(url).status_code in (404, 302), (name, url)


def test_demand_point_form(client_for):
    client = client_for("county")
    assert "这个字段是必填项" in client.post("/stations/demand/new/", {}).content.decode()
    data = {"name": "万达取餐点", "region": "360102002", "longitude": "115.9", "latitude": "28.68", "weight": "12"}
    assert client.post("/stations/demand/new/", data).status_code == 302
    outside = client.post("/stations/demand/new/", data | {"region": "360103"}).content.decode()
    assert "不在您的管辖范围内" in outside
    page = client.get("/stations/demand/").content.decode()
    assert "万达取餐点" in page and "共 <strong>1</strong> 条" in page


def test_a_tile_server_is_allowed_by_the_csp_only_when_set():
    import os
    import subprocess
    import sys

    code = "from config import settings as s; print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1])"
    env = os.environ | {"SANXIN_DEBUG": "1", "SANXIN_MAP_TILE_URL": "https://{s}.tiles.example.cn/{z}/{x}/{y}.png"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert out == "https://*.tiles.example.cn"
    env.pop("SANXIN_MAP_TILE_URL")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert out == "blob:"
