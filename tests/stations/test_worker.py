"""The worker's phone pages: 附近驿站 and check-in by the printed code."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sanxin.stations.models import CheckIn
from tests.conftest import logged_in_client
from tests.stations.conftest import make_station


@pytest.fixture
def phone(personas):
    client = Client()
    client.force_login(personas["worker"])
    return client


def test_checkin_needs_login_and_comes_back(station):
    response = Client().get(f"/w/checkin/{station.checkin_code}/")
    assert response.status_code == 302
    assert response["Location"] == f"/w/login/?next=%2Fw%2Fcheckin%2F{station.checkin_code}%2F"


def test_checkin_page_and_button(phone, station):
    page = phone.get(f"/w/checkin/{station.checkin_code}/").content.decode()
    assert "滕王阁小哥驿站" in page and ">签到</button>" in page
    assert 'data-offline="驿站签到"' in page and 'name="client_key"' in page


def test_checkin_once_a_day_through_the_page(phone, station):
    url = f"/w/checkin/{station.checkin_code}/"
    phone.post(url, {"client_key": str(uuid.uuid4()), "longitude": "115.893", "latitude": "28.677"})
    second = phone.post(url, {"client_key": str(uuid.uuid4())}, follow=True).content.decode()
    assert "今天已签到" in second
    assert CheckIn.objects.count() == 1
    row = CheckIn.objects.get()
    assert float(row.longitude) == pytest.approx(115.893)


def test_same_client_key_twice_is_one_row(phone, station, personas):
    other = make_station(personas["county"], name="第二驿站", longitude="115.90")
    key = str(uuid.uuid4())
    phone.post(f"/w/checkin/{station.checkin_code}/", {"client_key": key})
    phone.post(f"/w/checkin/{other.checkin_code}/", {"client_key": key})  # an offline retry: same key, one row
    assert CheckIn.objects.count() == 1


def test_unknown_or_renewed_code_is_404(phone, station, personas):
    from sanxin.stations.services import station_code_renew

    assert phone.get("/w/checkin/not-a-real-code/").status_code == 404
    assert phone.post("/w/checkin/x" + "a" * 40 + "/").status_code == 404
    old = station.checkin_code
    station_code_renew(actor=personas["county"], station=station)
    assert phone.get(f"/w/checkin/{old}/").status_code == 404
    assert phone.post(f"/w/checkin/{old}/").status_code == 404
    assert not CheckIn.objects.exists()


def test_staff_cannot_use_worker_pages(station, personas):
    client = logged_in_client(personas["county"])
    assert client.get(f"/w/checkin/{station.checkin_code}/").status_code == 404
    assert client.get("/w/stations/").status_code == 404


def test_nearby_by_phone_position(phone, station, personas):
    make_station(personas["county"], name="远处驿站", longitude="116.2", latitude="28.9")
    make_station(personas["county"], name="停业驿站", longitude="115.8922", is_open=False)
    page = phone.get("/w/stations/?lon=115.8920&lat=28.6765").content.decode()
    assert page.index("滕王阁小哥驿站") < page.index("远处驿站")
    assert "停业驿站" not in page
    assert "米" in page and "您当前的位置" in page


def test_nearby_falls_back_to_the_work_region_and_ignores_bad_positions(phone, station):
    page = phone.get("/w/stations/?lon=999&lat=abc").content.decode()
    assert "滕王阁小哥驿站" in page
    assert "您当前的位置" not in page


def test_the_outbox_gets_json_and_a_kept_check_in_counts_when_it_was_made(phone, station):
    """A check-in kept on a phone with no signal is sent later by the outbox: JSON back, the time the phone kept it."""
    kept = timezone.now().replace(microsecond=0) - timedelta(minutes=40)
    response = phone.post(
        f"/w/checkin/{station.checkin_code}/",
        {"client_key": str(uuid.uuid4())},
        headers={"X-Sanxin-Outbox": "1", "X-Sanxin-Kept-At": kept.isoformat()},
    )
    assert response.status_code == 200 and response.json()["ok"] is True and "签到成功" in response.json()["message"]
    assert CheckIn.objects.get().checked_at == kept


def test_the_workers_own_api_lists_stations_near_and_checks_in_once(phone, station, personas):
    near = phone.get("/api/v1/w/stations?lon=115.8925&lat=28.6770").json()
    assert near["origin"] == "您当前的位置" and near["items"][0]["station"]["name"] == station.name
    assert 0 < near["items"][0]["distance_m"] < 200
    key = str(uuid.uuid4())
    first = phone.post("/api/v1/w/checkins", {"code": station.checkin_code, "client_key": key}, content_type="application/json")
    again = phone.post("/api/v1/w/checkins", {"code": station.checkin_code, "client_key": key}, content_type="application/json")
    assert first.json()["created"] is True and again.json()["created"] is False and CheckIn.objects.count() == 1
    assert phone.post("/api/v1/w/checkins", {"code": "nope"}, content_type="application/json").status_code == 404
    assert phone.get("/api/v1/w/stations?lon=200&lat=28").status_code == 422
    # Staff have no worker record: the worker's own endpoints do not exist for them.
    staff = logged_in_client(personas["county"])
    assert staff.get("/api/v1/w/stations").status_code == 404
    assert staff.post("/api/v1/w/checkins", {"code": station.checkin_code}, content_type="application/json").status_code == 404


def test_nearest_stations_are_exact_whatever_the_box(worker, personas):
    """The nearest are looked for in widening boxes; whether the stations are a street away or two provinces
    away, the answer is the brute-force nearest."""
    import math
    import random

    from sanxin.stations.models import Station
    from sanxin.stations.selectors import _nearest

    rng = random.Random(7)
    for n in range(40):
        spread = (0.01, 0.2, 1.5, 4.0)[n % 4]
        make_station(
            personas["county"],
            name=f"驿站{n}",
            longitude=f"{115.9 + rng.uniform(-spread, spread):.6f}",
            latitude=f"{28.68 + rng.uniform(-spread, spread):.6f}",
        )
    stations = list(Station.objects.filter(is_open=True))
    for point in ((115.9, 28.68), (118.5, 30.5), (112.0, 24.9)):
        squeeze = math.cos(math.radians(point[1])) ** 2
        brute = sorted(stations, key=lambda s: (float(s.longitude) - point[0]) ** 2 * squeeze + (float(s.latitude) - point[1]) ** 2)
        got = [s.pk for s, _ in _nearest(point, 3)]
        assert got == [s.pk for s in brute[:3]]


def test_a_station_just_outside_the_first_box_still_counts_when_nearer(worker, personas):
    """Three stations in the corners of the smallest box are farther than one just beyond its edge."""
    import math

    from sanxin.stations.selectors import _BOXES, _nearest

    lon0, lat0, half = 115.9, 28.68, _BOXES[0]
    corner_lon = (half - 0.001) / math.cos(math.radians(lat0))
    for n, (dx, dy) in enumerate(((1, 1), (-1, 1), (1, -1))):
        make_station(
            personas["county"], name=f"角落驿站{n}", longitude=f"{lon0 + dx * corner_lon:.6f}", latitude=f"{lat0 + dy * (half - 0.001):.6f}"
        )
    edge = make_station(personas["county"], name="边外驿站", longitude=f"{lon0:.6f}", latitude=f"{lat0 + half + 0.01:.6f}")
    assert _nearest((lon0, lat0), 3)[0][0] == edge
