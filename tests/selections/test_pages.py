"""The staff pages, the public notice and the worker's page, through the test client."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sanxin.selections import services
from sanxin.selections.models import CampaignStatus, Honour, Nomination, NominationStatus, Objection
from tests.selections.conftest import DEEDS, make_campaign
from tests.selections.test_workflow import after_publicity, to_publicity

pytestmark = pytest.mark.django_db


def test_create_and_run_from_the_pages(personas, client_for, rider, worker):
    city = client_for("city")
    today = timezone.localdate()
    form = {
        "kind": "delivery",
        "region": "3601",
        "places": "２",
        "nominate_from": today.isoformat(),
        "nominate_until": (today + timedelta(days=10)).isoformat(),
        "publicity_days": "5",
        "award_points": "100",
    }
    response = city.post("/selections/new/", form)
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    city.post(f"/selections/{pk}/open/")
    community = client_for("community")
    page = community.get(f"/selections/{pk}/nominate/").content.decode()
    assert rider.name in page and worker.name in page
    response = community.post(f"/selections/{pk}/nominate/", {"worker": rider.pk, "deeds": DEEDS})
    assert response.status_code == 302
    again = community.post(f"/selections/{pk}/nominate/", {"worker": rider.pk, "deeds": DEEDS})
    assert again.status_code == 400
    city.post(f"/selections/{pk}/review/")
    nomination = Nomination.objects.get(campaign_id=pk)
    city.post(f"/selections/nominations/{nomination.pk}/approve/")
    city.post(f"/selections/{pk}/publish/")
    page = city.get(f"/selections/{pk}/").content.decode()
    assert "公示中" in page and rider.name in page
    response = city.post(f"/selections/{pk}/award/", follow=True)
    assert "公示期内不能表彰" in response.content.decode()


def test_bad_campaign_form_says_where(client_for):
    today = timezone.localdate().isoformat()
    form = {"kind": "delivery", "region": "3601", "places": "0", "nominate_from": today, "nominate_until": today}
    response = client_for("city").post("/selections/new/", form | {"publicity_days": "5", "award_points": "0"})
    page = response.content.decode()
    assert response.status_code == 200 and "名额应为 1 到 1000 之间的整数" in page
    empty = client_for("city").post("/selections/new/", {})
    assert "这个字段是必填项" in empty.content.decode() or "必填" in empty.content.decode()


def test_the_community_sees_only_its_nominations(personas, client_for, campaign, rider, street_rider):
    services.nomination_create(actor=personas["community"], campaign=campaign, worker=rider, deeds="社区推荐的事迹")
    services.nomination_create(actor=personas["county"], campaign=campaign, worker=street_rider, deeds="区里推荐的事迹")
    page = client_for("community").get(f"/selections/{campaign.pk}/").content.decode()
    assert "社区推荐的事迹" in page and "区里推荐的事迹" not in page
    page = client_for("city").get(f"/selections/{campaign.pk}/").content.decode()
    assert "社区推荐的事迹" in page and "区里推荐的事迹" in page


def test_actions_outside_the_organiser_are_404(personas, client_for, campaign, rider):
    nomination = services.nomination_create(actor=personas["community"], campaign=campaign, worker=rider, deeds=DEEDS)
    other = client_for("other_county")
    assert other.post(f"/selections/{campaign.pk}/review/").status_code == 404
    assert other.post(f"/selections/nominations/{nomination.pk}/approve/").status_code == 404
    assert client_for("community").post(f"/selections/{campaign.pk}/review/").status_code == 404
    assert client_for("outsider").get(f"/selections/{campaign.pk}/nominate/").status_code == 404
    assert client_for("city").post(f"/selections/{campaign.pk}/nonsense/").status_code == 404
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.NOMINATING


def test_public_notice_shows_only_the_approved_masked(personas, client_for, worker, rider, street_rider):
    city = personas["city"]
    campaign = make_campaign(city, places=3)
    made = [
        services.nomination_create(actor=personas["county"], campaign=campaign, worker=w, deeds=f"事迹{w.phone}")
        for w in (worker, rider, street_rider)
    ]
    other = make_campaign(city, title="另一次评选")
    services.nomination_create(actor=personas["county"], campaign=other, worker=street_rider, deeds="另一次的事迹")
    anonymous = Client()
    assert anonymous.get(f"/notice/selections/{campaign.pk}/").status_code == 404  # not in publicity yet
    services.campaign_review(actor=city, campaign=campaign)
    services.nomination_approve(actor=city, nomination=made[0])
    services.nomination_approve(actor=city, nomination=made[1])
    services.nomination_reject(actor=city, nomination=made[2], reason="不符合")
    services.campaign_publish(actor=city, campaign=campaign)
    page = anonymous.get(f"/notice/selections/{campaign.pk}/").content.decode()
    assert "钱*送" in page and "钱多送" not in page and "事迹13711110001" in page
    assert "李*街" not in page and "事迹13711110003" not in page and "另一次的事迹" not in page
    assert "美团外卖" in page  # the worker persona's platform
    assert "登录</a>后可提出异议" in page
    assert campaign.title in anonymous.get("/notice/selections/").content.decode()
    # An anonymous objection goes to the login; a logged-in worker's is recorded.
    response = anonymous.post(f"/notice/selections/{campaign.pk}/object/{made[1].pk}/", {"reason": "有问题"})
    assert response.status_code == 302 and "login" in response["Location"]
    worker_client = client_for("worker")
    worker_client.post(f"/notice/selections/{campaign.pk}/object/{made[1].pk}/", {"reason": "他送餐常超时"})
    assert Objection.objects.filter(nomination=made[1], raised_by=personas["worker"]).exists()
    # A rejected nomination cannot be objected to through the notice.
    assert worker_client.post(f"/notice/selections/{campaign.pk}/object/{made[2].pk}/", {"reason": "x"}).status_code == 404
    # The organiser upholds it from the campaign page: withdrawn, off the notice.
    objection = Objection.objects.get(nomination=made[1])
    client_for("city").post(f"/selections/objections/{objection.pk}/upheld/", {"note": "核实属实"})
    made[1].refresh_from_db()
    assert made[1].status == NominationStatus.WITHDRAWN
    assert "钱*送" not in anonymous.get(f"/notice/selections/{campaign.pk}/").content.decode()
    assert client_for("other_county").post(f"/selections/objections/{objection.pk}/dismissed/", {"note": "x"}).status_code == 404


def test_objection_with_nul_bytes_is_refused(personas, client_for, worker):
    campaign, (first,) = to_publicity(personas, make_campaign(personas["city"]), worker)
    response = client_for("county").post(f"/notice/selections/{campaign.pk}/object/{first.pk}/", {"reason": "有\x00问题"})
    assert response.status_code in (302, 400)
    assert not Objection.objects.exists()


def test_worker_page_self_nomination_and_honour(personas, client_for, campaign, worker):
    phone = client_for("worker")
    page = phone.get("/w/honours/").content.decode()
    assert campaign.title in page and "我要自荐" in page
    phone.post(f"/w/honours/campaigns/{campaign.pk}/nominate/", {"deeds": "自荐事迹：三年零差评"})
    nomination = Nomination.objects.get(campaign=campaign, worker=worker)
    assert nomination.nominator_kind == "self"
    response = phone.post(f"/w/honours/campaigns/{campaign.pk}/nominate/", {"deeds": "再来一次"}, follow=True)
    assert "每人只能推荐一次" in response.content.decode()
    city = personas["city"]
    services.campaign_review(actor=city, campaign=campaign)
    services.nomination_approve(actor=city, nomination=nomination)
    campaign = services.campaign_publish(actor=city, campaign=campaign)
    services.campaign_award(actor=city, campaign=campaign, now=after_publicity(campaign))
    page = phone.get("/w/honours/").content.decode()
    assert "最美外卖配送员" in page and "积分 +50" in page
    home = phone.get("/w/").content.decode()
    assert 'data-card="selections"' in home and "最美外卖配送员" in home
    assert "/w/honours/" in phone.get("/w/me/").content.decode()
    # The staff worker record shows it.
    record = client_for("community").get(f"/workers/{worker.pk}/").content.decode()
    assert 'data-section="honours"' in record and "最美外卖配送员" in record
    # Revoked from the campaign page: the record says so, the phone no longer lists it.
    honour = Honour.objects.get(worker=worker)
    client_for("city").post(f"/selections/honours/{honour.pk}/revoke/", {"note": "发现弄虚作假"})
    assert "已撤销：发现弄虚作假" in client_for("community").get(f"/workers/{worker.pk}/").content.decode()
    assert client_for("other_county").post(f"/selections/honours/{honour.pk}/revoke/", {"note": "x"}).status_code == 404


def test_staff_cannot_open_the_worker_page(client_for):
    assert client_for("city").get("/w/honours/").status_code == 404


def test_exports_need_the_password(client_for, personas, campaign, rider):
    services.nomination_create(actor=personas["community"], campaign=campaign, worker=rider, deeds=DEEDS)
    city = client_for("city")
    assert city.get("/selections/export/").status_code == 200
    from tests.conftest import PASSWORD

    response = city.post("/selections/nominations/export/?campaign=" + str(campaign.pk), {"password": PASSWORD})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_list_counts_only_the_nominations_one_sees(personas, client_for, campaign, rider, street_rider):
    services.nomination_create(actor=personas["community"], campaign=campaign, worker=rider, deeds=DEEDS)
    services.nomination_create(actor=personas["county"], campaign=campaign, worker=street_rider, deeds=DEEDS)
    from sanxin.selections.selectors import campaign_list

    assert campaign_list(user=personas["community"]).get().nomination_count == 1
    assert campaign_list(user=personas["city"]).get().nomination_count == 2
    assert client_for("community").get("/selections/").status_code == 200
