"""The points API: the worker's own (/api/v1/w/points) and the staff's (/api/v1/points)."""

import uuid
from datetime import timedelta

from django.utils import timezone

from sanxin.points import services
from sanxin.points.models import PointsAccount, Redemption
from tests.points.conftest import earn, make_reward


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_worker_balance_rewards_redeem_cancel(client_for, worker, reward, far_reward):
    earn(worker, points=100)
    client = client_for("worker")
    assert client.get("/api/v1/w/points").json() == {"balance": 100, "earned": 100, "spent": 0}
    rewards = client.get("/api/v1/w/points/rewards").json()
    assert [r["name"] for r in rewards["items"]] == ["免费健康体检"] and rewards["items"][0]["refusal"] == ""
    key = str(uuid.uuid4())
    made = post(client, f"/api/v1/w/points/rewards/{reward.pk}/redeem", {"client_key": key})
    assert made.status_code == 201 and made.json()["status"] == "requested" and len(made.json()["code"]) == 8
    again = post(client, f"/api/v1/w/points/rewards/{reward.pk}/redeem", {"client_key": key})
    assert again.json()["id"] == made.json()["id"] and Redemption.objects.count() == 1
    assert client.get("/api/v1/w/points").json()["balance"] == 70
    entries = client.get("/api/v1/w/points/entries").json()
    assert [e["amount"] for e in entries["items"]] == [-30, 100]
    cancelled = post(client, f"/api/v1/w/points/redemptions/{made.json()['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    twice = post(client, f"/api/v1/w/points/redemptions/{made.json()['id']}/cancel")
    assert twice.status_code == 422 and "已取消" in twice.json()["detail"]
    assert client.get("/api/v1/w/points").json()["balance"] == 100
    assert post(client, f"/api/v1/w/points/rewards/{far_reward.pk}/redeem").status_code == 404


def test_worker_api_refusals(client_for, worker, personas):
    earn(worker, points=10)
    client = client_for("worker")
    expensive = make_reward(cost=30)
    refused = post(client, f"/api/v1/w/points/rewards/{expensive.pk}/redeem")
    assert refused.status_code == 422 and "积分不足" in refused.json()["detail"]
    empty = make_reward(name="已兑完的", cost=1, stock=0)
    assert "已兑完" in post(client, f"/api/v1/w/points/rewards/{empty.pk}/redeem").json()["detail"]
    expired = make_reward(name="过期的", cost=1, valid_until=timezone.localdate() - timedelta(days=1))
    assert "已过兑换截止日期" in post(client, f"/api/v1/w/points/rewards/{expired.pk}/redeem").json()["detail"]
    assert post(client, f"/api/v1/w/points/rewards/{empty.pk}/redeem", {"client_key": "不是UUID"}).status_code == 422
    assert post(client, f"/api/v1/w/points/rewards/{empty.pk}/redeem", {"extra": 1}).status_code == 422
    assert client_for("county").get("/api/v1/w/points").status_code == 404


def test_staff_fulfil_and_revoke_over_the_api(client_for, personas, worker, reward):
    earn(worker, points=100)
    first = services.points_redeem(actor=personas["worker"], reward=reward)
    second = services.points_redeem(actor=personas["worker"], reward=reward)
    county = client_for("county")
    listed = county.get("/api/v1/points/redemptions?status=requested").json()
    assert listed["count"] == 2
    wrong = post(county, f"/api/v1/points/redemptions/{first.pk}/transitions", {"action": "fulfil", "code": "0"})
    assert wrong.status_code == 422
    done = post(county, f"/api/v1/points/redemptions/{first.pk}/transitions", {"action": "fulfil", "code": first.code})
    assert done.json()["status"] == "fulfilled" and [e["label"] for e in done.json()["timeline"]] == ["兑换", "确认领取"]
    no_reason = post(county, f"/api/v1/points/redemptions/{second.pk}/transitions", {"action": "revoke"})
    assert no_reason.status_code == 422 and "取消原因" in no_reason.json()["detail"]
    outside = post(client_for("other_county"), f"/api/v1/points/redemptions/{second.pk}/transitions", {"action": "revoke", "note": "x"})
    assert outside.status_code == 404
    assert post(county, f"/api/v1/points/redemptions/{second.pk}/transitions", {"action": "revoke", "note": "名额已满"}).status_code == 200
    assert PointsAccount.objects.get(worker=worker).balance == 70
    assert county.get(f"/api/v1/points/workers/{worker.pk}/entries").json()["count"] == 4
    assert client_for("other_county").get(f"/api/v1/points/workers/{worker.pk}/entries").status_code == 404


def test_report_over_the_api(client_for, worker):
    earn(worker, points=100)
    today = timezone.localdate()
    data = client_for("county").get(f"/api/v1/points/report?start={today}&end={today}&level=county").json()
    assert data["by_region"][0]["place"] == "360102" and data["by_region"][0]["earned"] == 100
    assert data["by_kind"][0]["kind"] == "selection_award"
    swapped = client_for("county").get(f"/api/v1/points/report?start={today}&end=2000-01-01").json()
    assert swapped["end"] == str(today) and swapped["start"] > "2016-01-01"  # the wrong way round: swapped, ten years at most
    assert client_for("county").get("/api/v1/points/report?start=0&end=1").status_code == 422
    for start, end in (("0001-01-01", "0001-01-01"), ("9999-12-31", "9999-12-31"), ("0001-01-01", "9999-12-31")):
        assert client_for("county").get(f"/api/v1/points/report?start={start}&end={end}").status_code == 200
    assert client_for("worker").get(f"/api/v1/points/report?start={today}&end={today}").status_code == 404
