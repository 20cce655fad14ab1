"""Stations over the API: the same rules and scope as the pages."""

import pytest

from sanxin.stations.models import Station
from sanxin.stations.services import checkin_create

BODY = {
    "name": "接口驿站",
    "type": "driver_home",
    "region": "360102002001",
    "address": "南昌市东湖区八一大道 1 号",
    "longitude": 115.9,
    "latitude": 28.68,
    "opening_hours": "00:00-24:00",
    "amenities": ["water", "rest"],
    "checklist": ["place", "facilities", "sign", "flag", "books", "rules"],
}


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_create_list_get_update(client_for):
    client = client_for("county")
    created = post(client, "/api/v1/stations", BODY)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["checklist_complete"] and data["visits"] == 0
    listed = client.get("/api/v1/stations?checklist=1").json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == "接口驿站"
    patched = client.patch(f"/api/v1/stations/{data['id']}", {"is_open": False}, content_type="application/json")
    assert patched.json()["is_open"] is False


@pytest.mark.parametrize(("field", "value"), [("longitude", 2.35), ("latitude", -33.9), ("type", "spa"), ("amenities", ["sauna"])])
def test_create_refuses_bad_fields(client_for, field, value):
    response = post(client_for("county"), "/api/v1/stations", BODY | {field: value})
    assert response.status_code == 422
    assert not Station.objects.exists()


def test_create_outside_scope_and_without_capability(client_for):
    assert post(client_for("county"), "/api/v1/stations", BODY | {"region": "360103001"}).status_code == 422
    assert post(client_for("industry"), "/api/v1/stations", BODY).status_code == 403


def test_other_county_update_is_404(client_for, other_station):
    response = client_for("county").patch(f"/api/v1/stations/{other_station.pk}", {"name": "x"}, content_type="application/json")
    assert response.status_code == 404


def test_visits_by_month(client_for, station, personas):
    checkin_create(actor=personas["worker"], worker=personas["worker"].worker, station=station)
    months = client_for("county").get(f"/api/v1/stations/{station.pk}/visits").json()
    assert sum(m["visits"] for m in months) == 1


def test_visits_by_region_keep_to_the_scope(client_for, station, other_station, personas):
    worker = personas["worker"].worker
    checkin_create(actor=personas["worker"], worker=worker, station=station)
    checkin_create(actor=personas["worker"], worker=worker, station=other_station)
    assert client_for("county").get("/api/v1/stations/visits").json() == [{"region": "360102002", "visits": 1}]
    assert client_for("city").get("/api/v1/stations/visits?level=6").json() == [
        {"region": "360102", "visits": 1},
        {"region": "360103", "visits": 1},
    ]
    assert client_for("county").get("/api/v1/stations/visits?start=2000-01-01&end=2000-12-31").json() == []
    assert client_for("worker").get("/api/v1/stations/visits").status_code == 404


def test_visits_by_region_refuse_bad_days(client_for):
    client = client_for("county")
    for query in ("start=0", "end=2026-13-45", "start=2026-1-1"):
        assert client.get(f"/api/v1/stations/visits?{query}").status_code == 422, query
