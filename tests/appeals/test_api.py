"""Appeals over the API: the staff's list, detail and transitions, and the worker's own."""

import pytest

from sanxin.appeals.models import Appeal, AppealStatus
from tests.appeals.conftest import raise_appeal


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_worker_raises_lists_reads_and_rates(client_for, personas, platform):
    client = client_for("worker")
    key = "5d3b6a1e-2b4c-4d6e-8f0a-1b2c3d4e5f60"
    body = {
        "category": "amenities",
        "text": "站点附近没有饮水点。",
        "place": "八一广场东侧",
        "region": "360102002001",
        "platform": platform.pk,
        "client_key": key,
    }
    response = post(client, "/api/v1/w/appeals", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["shielded"] is True and data["unit"] == "滕王阁街道党工委"
    assert post(client, "/api/v1/w/appeals", body).json()["id"] == data["id"]  # exactly once
    assert client.get("/api/v1/w/appeals").json()["count"] == 1
    assert client.get(f"/api/v1/w/appeals/{data['id']}").json()["text"] == "站点附近没有饮水点。"
    staff = client_for("township")
    assert post(staff, f"/api/v1/appeals/{data['id']}/transitions", {"action": "accept"}).json()["status"] == "accepted"
    refused = post(staff, f"/api/v1/appeals/{data['id']}/transitions", {"action": "resolve", "note": ""})
    assert refused.status_code == 422 and "请填写办理答复" in refused.json()["detail"]
    post(staff, f"/api/v1/appeals/{data['id']}/transitions", {"action": "resolve", "note": "已设饮水点"})
    rated = post(client, f"/api/v1/w/appeals/{data['id']}/transitions", {"action": "rate", "rating": "satisfied"})
    assert rated.json()["status"] == AppealStatus.CLOSED


def test_worker_api_refusals(client_for, personas, other_worker):
    client = client_for("worker")
    bad = post(client, "/api/v1/w/appeals", {"category": "firm_financing", "text": "x", "place": "y", "region": "360102002001"})
    assert bad.status_code == 422
    theirs = raise_appeal(personas["township"], worker=other_worker)
    assert client.get(f"/api/v1/w/appeals/{theirs.pk}").status_code == 404
    assert post(client, f"/api/v1/w/appeals/{theirs.pk}/transitions", {"action": "reopen"}).status_code == 404
    assert client_for("township").get("/api/v1/w/appeals").status_code == 404


def test_staff_api_scope_and_transfer(client_for, personas, appeal):
    assert client_for("other_county").get(f"/api/v1/appeals/{appeal.pk}").status_code == 404
    assert post(client_for("other_county"), f"/api/v1/appeals/{appeal.pk}/transitions", {"action": "accept"}).status_code == 404
    outside = post(client_for("township"), f"/api/v1/appeals/{appeal.pk}/transitions", {"action": "transfer", "unit": 999999, "note": "x"})
    assert outside.status_code == 422
    not_overdue = post(client_for("township"), f"/api/v1/appeals/{appeal.pk}/transitions", {"action": "escalate", "note": "催"})
    assert not_overdue.status_code == 422 and "未超期" in not_overdue.json()["detail"]
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_once_one_wins(personas, platform):
    """Two clicks in two connections at the same moment (PostgreSQL: real row locks): one accepts, one is refused."""
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connection, connections

    from sanxin.appeals import services
    from sanxin.core.models import TimelineEvent

    if connection.vendor != "postgresql":
        pytest.skip("行锁并发只在 PostgreSQL 上验证")
    appeal = raise_appeal(personas["worker"], platform=platform)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click(user):
        try:
            barrier.wait()
            services.appeal_accept(actor=user, appeal=Appeal.objects.get(pk=appeal.pk))
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(personas[name],)) for name in ("township", "county")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    assert "不能受理" in next(o for o in outcomes if o != "ok")
    assert TimelineEvent.objects.filter(object_id=str(appeal.pk), transition="accept").count() == 1
