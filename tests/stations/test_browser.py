"""Stations in the browser: the staff map and the circle at 1440 px (Leaflet without tiles), the worker's 附近驿站
and check-in at 375 px (nothing scrolls sideways, the button is a large target, a second tap counts once)."""

import pytest
from django.conf import settings
from django.test import Client

from sanxin.stations.models import CheckIn
from sanxin.stations.services import demand_point_create
from tests.conftest import ARTIFACTS, log_in
from tests.stations.conftest import make_station

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _stations(county):
    first = make_station(county, checklist=["place", "facilities", "sign", "flag", "books", "rules"])
    make_station(
        county, name="象山北路司机之家", type="driver_home", longitude="115.905", latitude="28.690", opening_hours="", open_24h=True
    )
    make_station(county, name="阳明路户外劳动者服务站", type="outdoor", longitude="115.915", latitude="28.672", amenities=["water"])
    for i, (lon, lat, weight) in enumerate(
        [("115.93", "28.70", 30), ("115.931", "28.701", 12), ("115.87", "28.66", 8), ("115.894", "28.678", 5)]
    ):
        demand_point_create(actor=county, name=f"取餐点{i + 1}", region="360102002", longitude=lon, latitude=lat, weight=weight)
    return first


def test_staff_map_and_circle(browser, live_server, personas):
    _stations(personas["county"])
    page = log_in(browser, live_server, "county")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/stations/map/")
    page.wait_for_selector(".leaflet-interactive")
    assert page.locator("path.leaflet-interactive").count() >= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.locator("path.leaflet-interactive").first.click(force=True)
    page.wait_for_selector(".leaflet-popup-content")
    page.wait_for_timeout(500)  # the popup fades in
    assert "六有" in page.inner_text(".leaflet-popup-content")
    page.screenshot(path=str(ARTIFACTS / "desktop-county-station-map.png"), full_page=True)
    page.goto(f"{live_server.url}/stations/circle/")
    page.wait_for_selector(".sx-map-suggestion")
    text = page.inner_text("main")
    assert "建议 1" in text and "取餐点1" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.screenshot(path=str(ARTIFACTS / "desktop-county-circle.png"), full_page=True)
    page.goto(f"{live_server.url}/stations/")
    page.screenshot(path=str(ARTIFACTS / "desktop-county-station-list.png"), full_page=True)
    page.click("text=滕王阁小哥驿站")
    assert "有党旗" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "desktop-county-station-detail.png"), full_page=True)
    page.goto(f"{live_server.url}/stations/new/")
    page.wait_for_selector(".rp-selects select")
    page.screenshot(path=str(ARTIFACTS / "desktop-county-station-form.png"), full_page=True)
    page.close()


def _worker_page(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 375, "height": 740}, geolocation={"longitude": 115.9051, "latitude": 28.6899})
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}]
    )
    return context.new_page()


def test_worker_nearby_and_checkin_on_a_phone(browser, live_server, personas):
    station = _stations(personas["county"])
    page = _worker_page(browser, live_server, personas["worker"])
    page.goto(f"{live_server.url}/w/stations/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("#use-my-position")
    page.wait_for_url("**/w/stations/?lon=*")
    first = page.locator(".card .fw-bold").first.inner_text()
    assert first == "象山北路司机之家"  # the nearest to the phone's position
    page.screenshot(path=str(ARTIFACTS / "phone-worker-nearby.png"), full_page=True)
    page.goto(f"{live_server.url}/w/checkin/{station.checkin_code}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    button = page.locator("#checkin-form button")
    box = button.bounding_box()
    assert box["height"] >= 120 and box["width"] >= 120
    page.wait_for_function("document.querySelector('#checkin-form input[name=latitude]').value !== ''")
    page.screenshot(path=str(ARTIFACTS / "phone-worker-checkin.png"), full_page=True)
    button.click()
    page.wait_for_selector(".alert-success")
    assert "签到成功" in page.inner_text("main") and "今天已签到" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "phone-worker-checked-in.png"), full_page=True)
    page.go_back()
    page.go_back()
    assert CheckIn.objects.count() == 1
    row = CheckIn.objects.get()
    assert row.client_key is not None and row.latitude is not None
    page.close()
