"""The selections API as staff and as the worker."""

import pytest

from sanxin.selections import services
from sanxin.selections.models import CampaignStatus, Nomination, Objection
from tests.selections.conftest import DEEDS, make_campaign
from tests.selections.test_workflow import after_publicity

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_staff_run_a_campaign_over_the_api(personas, client_for, campaign, rider, worker, merits):
    community = client_for("community")
    response = community.post(f"/api/v1/selections/{campaign.pk}/nominations", {"worker": rider.pk, "deeds": DEEDS}, content_type=JSON)
    assert response.status_code == 201, response.content
    nomination_id = response.json()["id"]
    twice = community.post(f"/api/v1/selections/{campaign.pk}/nominations", {"worker": rider.pk, "deeds": DEEDS}, content_type=JSON)
    assert twice.status_code == 422 and "每人只能推荐一次" in twice.json()["detail"]
    nul = community.post(f"/api/v1/selections/{campaign.pk}/nominations", {"worker": worker.pk, "deeds": "a\x00b"}, content_type=JSON)
    assert nul.status_code in (400, 422)
    long = community.post(f"/api/v1/selections/{campaign.pk}/nominations", {"worker": worker.pk, "deeds": "长" * 1001}, content_type=JSON)
    assert long.status_code == 422
    city = client_for("city")
    assert city.post(f"/api/v1/selections/{campaign.pk}/transitions", {"action": "review"}, content_type=JSON).status_code == 200
    assert (
        community.post(f"/api/v1/selections/nominations/{nomination_id}/review", {"decision": "approve"}, content_type=JSON).status_code
        == 404
    )
    response = city.post(f"/api/v1/selections/nominations/{nomination_id}/review", {"decision": "approve"}, content_type=JSON)
    assert response.json()["status"] == "approved"
    response = city.post(f"/api/v1/selections/{campaign.pk}/transitions", {"action": "publish"}, content_type=JSON)
    assert response.json()["status"] == CampaignStatus.PUBLICITY
    refused = city.post(f"/api/v1/selections/{campaign.pk}/transitions", {"action": "award"}, content_type=JSON)
    assert refused.status_code == 422 and "公示期内不能表彰" in refused.json()["detail"]
    objection = services.objection_raise(actor=personas["worker"], nomination=Nomination.objects.get(pk=nomination_id), reason="核实一下")
    other = client_for("other_county")
    decided = other.post(
        f"/api/v1/selections/objections/{objection.pk}/decision", {"decision": "dismissed", "note": "x"}, content_type=JSON
    )
    assert decided.status_code == 404
    decided = city.post(
        f"/api/v1/selections/objections/{objection.pk}/decision", {"decision": "dismissed", "note": "不属实"}, content_type=JSON
    )
    assert decided.json()["status"] == "dismissed"
    assert Objection.objects.get().status == "dismissed"
    detail = city.get(f"/api/v1/selections/{campaign.pk}").json()
    assert [n["worker_name"] for n in detail["nominations"]] == ["钱多送"]
    assert [e["label"] for e in detail["timeline"]][:3] == ["创建评选", "开始推荐", "截止推荐，开始审核"]
    campaign.refresh_from_db()
    services.campaign_award(actor=personas["city"], campaign=campaign, now=after_publicity(campaign))
    assert merits["merited"][0]["source"] == f"selection_award:{nomination_id}"


def test_another_county_cannot_act(personas, client_for):
    county_campaign = make_campaign(personas["county"], region="360102")
    other = client_for("other_county")
    assert other.get(f"/api/v1/selections/{county_campaign.pk}").status_code == 404
    assert other.post(f"/api/v1/selections/{county_campaign.pk}/transitions", {"action": "review"}, content_type=JSON).status_code == 404
    assert (
        other.post(f"/api/v1/selections/{county_campaign.pk}/nominations", {"worker": 1, "deeds": DEEDS}, content_type=JSON).status_code
        == 404
    )


def test_bad_payloads(client_for, campaign):
    city = client_for("city")
    assert city.post(f"/api/v1/selections/{campaign.pk}/transitions", {"action": "explode"}, content_type=JSON).status_code == 422
    assert city.post(f"/api/v1/selections/{campaign.pk}/transitions", {"action": "cancel"}, content_type=JSON).status_code == 422
    huge = city.post(f"/api/v1/selections/{campaign.pk}/nominations", {"worker": 10**30, "deeds": DEEDS}, content_type=JSON)
    assert huge.status_code in (404, 422)
    assert city.get("/api/v1/selections/nominations?campaign=0").status_code == 422


def test_worker_reads_own_honours(personas, client_for, campaign, worker):
    phone = client_for("worker")
    assert phone.get("/api/v1/w/honours").json() == {"items": [], "count": 0}
    assert client_for("city").get("/api/v1/w/honours").status_code == 404
    assert phone.get("/api/v1/selections").status_code == 404
    nomination = services.nomination_create(actor=personas["worker"], campaign=campaign, worker=worker, deeds=DEEDS)
    city = personas["city"]
    services.campaign_review(actor=city, campaign=campaign)
    services.nomination_approve(actor=city, nomination=nomination)
    campaign = services.campaign_publish(actor=city, campaign=campaign)
    services.campaign_award(actor=city, campaign=campaign, now=after_publicity(campaign))
    items = phone.get("/api/v1/w/honours").json()["items"]
    assert [(i["title"], i["points"]) for i in items] == [("最美外卖配送员", 50)]
