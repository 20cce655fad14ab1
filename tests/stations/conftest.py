"""Stations of 东湖区 (360102) and one of 西湖区 (360103), made through the services by each county's staff."""

import pytest

from sanxin.stations.services import station_create

FIELDS = {
    "type": "courier_post",
    "operator_name": "滕王阁街道党工委",
    "address": "南昌市东湖区中山路 100 号",
    "longitude": "115.892151",
    "latitude": "28.676493",
    "opening_hours": "08:00-20:00",
    "amenities": ["water", "toilet", "charging"],
    "checklist": ["place", "facilities", "sign"],
}


def make_station(actor, **changes):
    return station_create(actor=actor, **({"name": "滕王阁小哥驿站", "region": "360102002001"} | FIELDS | changes))


@pytest.fixture
def station(personas):
    return make_station(personas["county"])


@pytest.fixture
def other_station(personas):
    return make_station(
        personas["other_county"], name="西湖区小哥驿站", region="360103001", address="南昌市西湖区象山南路 1 号", longitude="115.88"
    )


@pytest.fixture
def worker(personas):
    return personas["worker"].worker
