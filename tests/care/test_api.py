"""/api/v1/care and the worker's /api/v1/w/care."""

from sanxin.care import services
from sanxin.care.models import CareSignup
from tests.care.conftest import signed_up_before


def test_staff_list_detail_and_served(client_for, activity, worker):
    services.care_signup_create(actor=worker.user, worker=worker, activity=activity)
    client = client_for("county")
    listed = client.get("/api/v1/care").json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == activity.title
    detail = client.get(f"/api/v1/care/{activity.pk}").json()
    assert detail["signed_up"] == 1 and detail["served"] == 0
    assert client_for("other_county").get(f"/api/v1/care/{activity.pk}").status_code == 404
    assert client_for("worker").get("/api/v1/care").status_code == 404
    assert client.get("/api/v1/care/served?level=9").json() == [
        {"region": "360102002", "name": activity.region.name, "activities": 1, "by_type": {"birthday": 0}, "total": 0}
    ]
    assert client.get("/api/v1/care?type=party").status_code == 422


def test_worker_signs_up_and_checks_in(client_for, activity, worker):
    client = client_for("worker")
    items = client.get("/api/v1/w/care").json()["items"]
    assert [(i["activity"]["id"], i["signed_up"]) for i in items] == [(activity.pk, False)]
    first = client.post(f"/api/v1/w/care/{activity.pk}/signup").json()
    second = client.post(f"/api/v1/w/care/{activity.pk}/signup").json()
    assert first["created"] and not second["created"]
    body = {"code": activity.checkin_code}
    early = client.post("/api/v1/w/care/checkins", body, content_type="application/json")
    assert early.status_code == 422 and "开始后才能签到" in early.json()["detail"]


def test_worker_checks_in_once(client_for, under_way, worker):
    client = client_for("worker")
    body = {"code": under_way.checkin_code}
    signed_up_before(worker, under_way)
    done = client.post("/api/v1/w/care/checkins", body, content_type="application/json")
    assert done.status_code == 200 and done.json()["activity_id"] == under_way.pk
    again = client.post("/api/v1/w/care/checkins", body, content_type="application/json")
    assert again.status_code == 422 and "不能重复签到" in again.json()["detail"]
    assert CareSignup.objects.get().checked_in_at is not None
    bad = client.post("/api/v1/w/care/checkins", {"code": "A\u0000"}, content_type="application/json")
    assert bad.status_code in (400, 404, 422)
    assert client.post("/api/v1/w/care/checkins", {"code": "x" * 17}, content_type="application/json").status_code == 422


def test_worker_cancels(client_for, activity):
    client = client_for("worker")
    assert client.post(f"/api/v1/w/care/{activity.pk}/cancel").status_code == 422
    client.post(f"/api/v1/w/care/{activity.pk}/signup")
    assert client.post(f"/api/v1/w/care/{activity.pk}/cancel").json()["status"] == "cancelled"
    assert client_for("county").get("/api/v1/w/care").status_code == 404
