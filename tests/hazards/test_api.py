"""Hazards over the API: the worker reports, checks nearby and joins; staff list, read and act in their scope."""

import pytest

from sanxin.hazards.models import HazardReport, HazardStatus, HazardSupporter
from tests.conftest import logged_in_client
from tests.hazards.conftest import LAT, LON, LON_50M, report

pytestmark = pytest.mark.django_db


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_worker_reports_once_and_staff_verify(client_for, personas, listener):
    client = client_for("worker")
    key = "0e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b"
    body = {"category": "ebike_charging", "text": "楼道里飞线充电", "place": "5 栋 2 单元", "longitude": float(LON), "latitude": float(LAT)}
    made = post(client, "/api/v1/w/hazards", body | {"client_key": key})
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["unit"] == "民巷社区党委" and data["region"] == "360102002001" and data["status"] == "submitted"
    assert post(client, "/api/v1/w/hazards", body | {"client_key": key}).json()["id"] == data["id"]
    assert client.get("/api/v1/w/hazards").json()["count"] == 1
    staff = client_for("community")
    assert staff.get("/api/v1/hazards?status=submitted").json()["count"] == 1
    valid = post(staff, f"/api/v1/hazards/{data['id']}/transitions", {"action": "verify_valid"})
    assert valid.status_code == 200 and valid.json()["status"] == "valid"
    assert [kind for kind, _ in listener] == ["merited"]
    refused = post(staff, f"/api/v1/hazards/{data['id']}/transitions", {"action": "resolve", "note": ""})
    assert refused.status_code == 422 and "请填写办结答复" in refused.json()["detail"]
    done = post(staff, f"/api/v1/hazards/{data['id']}/transitions", {"action": "resolve", "note": "已拆除飞线"})
    assert done.json()["status"] == "resolved" and [e["label"] for e in done.json()["timeline"]][-1] == "办结答复"


def test_nearby_and_join(client_for, personas, second_rider):
    made = report(personas["worker"])
    rider = logged_in_client(second_rider)
    found = rider.get("/api/v1/w/hazards/nearby", {"category": "fire_lane", "longitude": str(LON_50M), "latitude": str(LAT)}).json()
    assert found["count"] == 1 and found["items"][0]["id"] == made.pk and 45 <= found["items"][0]["metres"] <= 55
    assert "reporter" not in found["items"][0]
    assert rider.get("/api/v1/w/hazards/nearby", {"category": "fire_lane", "longitude": "200", "latitude": str(LAT)}).status_code == 422
    assert post(rider, f"/api/v1/w/hazards/{made.pk}/join").json() == {"id": made.pk, "joined": True}
    assert HazardSupporter.objects.filter(report=made).count() == 1
    own = post(client_for("worker"), f"/api/v1/w/hazards/{made.pk}/join")
    assert own.status_code == 422 and "本人上报" in own.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "bogus"}, "category"),
        ({"text": ""}, "text"),
        ({"text": "长" * 1001}, "text"),
        ({"text": "a\u0000b"}, "text"),
        ({"longitude": 200.0}, "longitude"),
        ({"region": "36"}, "region"),
        ({"extra": 1}, "extra"),
    ],
)
def test_worker_api_refusals(client_for, body, field):
    base = {"category": "road", "text": "路面坑洼", "longitude": float(LON), "latitude": float(LAT)}
    answer = post(client_for("worker"), "/api/v1/w/hazards", base | body)
    assert answer.status_code in (400, 422)
    assert not HazardReport.objects.exists()


def test_staff_api_scope(client_for, personas):
    made = report(personas["worker"])
    other = client_for("other_county")
    assert other.get(f"/api/v1/hazards/{made.pk}").status_code == 404
    assert post(other, f"/api/v1/hazards/{made.pk}/transitions", {"action": "verify_valid"}).status_code == 404
    assert other.get("/api/v1/hazards").json()["count"] == 0
    assert client_for("township").get("/api/v1/w/hazards").status_code == 404
    assert client_for("worker").get("/api/v1/hazards").status_code == 404
    wrong = post(client_for("community"), f"/api/v1/hazards/{made.pk}/transitions", {"action": "dispatch", "unit": 999999, "note": "x"})
    assert wrong.status_code == 422
    assert HazardReport.objects.get(pk=made.pk).status == HazardStatus.SUBMITTED
