"""The personas' world for selections: the city's 最美外卖配送员 campaign taking nominations now, riders at the
community (the worker persona among them), a courier there, a rider in another street of the county and one in
another county."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanxin.core.events import subscribe, unsubscribe
from sanxin.selections import services
from sanxin.workers.models import Occupation, Platform, PlatformKind, Worker


def make_worker(name, phone, region="360102002001", occupation=Occupation.DELIVERY_RIDER):
    return Worker.objects.create(
        name=name, phone=phone, occupation=occupation, region_id=region, consent_version="test", consented_at=timezone.now()
    )


@pytest.fixture
def worker(personas):
    worker = Worker.objects.get(user=personas["worker"])
    platform = Platform.objects.create(name="美团外卖", kind=PlatformKind.FOOD_DELIVERY)
    worker.platforms.add(platform)
    return worker


@pytest.fixture
def rider(personas):
    return make_worker("钱多送", "13711110001")


@pytest.fixture
def courier(personas):
    return make_worker("孙快递", "13711110002", occupation=Occupation.COURIER)


@pytest.fixture
def street_rider(personas):
    """A rider in another street of the same county (outside the community's area)."""
    return make_worker("李远街", "13711110003", region="360102004001")


@pytest.fixture
def far_rider(personas):
    """A rider in another county (西湖区)."""
    return make_worker("周西湖", "13711110004", region="360103001001")


def make_campaign(user, *, region="3601", places=2, days_before=5, days_after=5, open_it=True, **fields):
    today = timezone.localdate()
    data = {
        "kind": "delivery",
        "region": region,
        "places": places,
        "nominate_from": today - timedelta(days=days_before),
        "nominate_until": today + timedelta(days=days_after),
        "award_points": 50,
        "publicity_days": 5,
    }
    campaign = services.campaign_create(actor=user, **(data | fields))
    if open_it:
        campaign = services.campaign_open(actor=user, campaign=campaign)
    return campaign


@pytest.fixture
def campaign(personas):
    return make_campaign(personas["city"])


@pytest.fixture
def merits():
    """What the awards publish ("workers.merited" and "workers.merit_withdrawn"), heard by a listener."""
    heard = {"merited": [], "withdrawn": []}

    def merited(**payload):
        heard["merited"].append(payload)

    def withdrawn(**payload):
        heard["withdrawn"].append(payload)

    subscribe("workers.merited", merited)
    subscribe("workers.merit_withdrawn", withdrawn)
    yield heard
    unsubscribe("workers.merited", merited)
    unsubscribe("workers.merit_withdrawn", withdrawn)


DEEDS = "风雨无阻按时送达，曾在送餐途中救助摔倒老人并送医。"
