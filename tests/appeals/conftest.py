"""The personas' world for appeals: 美团外卖 with the platform persona's unit as its Party committee, the worker
persona's own record, and appeals raised through the services at fixed moments."""

from datetime import datetime

import pytest
from django.utils import timezone

from sanxin.appeals.services import appeal_create
from sanxin.workers.models import Occupation, Platform, PlatformKind, Worker


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def platform(personas):
    return Platform.objects.create(name="美团外卖", kind=PlatformKind.FOOD_DELIVERY, unit=personas["platform"].unit)


@pytest.fixture
def worker(personas):
    return Worker.objects.get(user=personas["worker"])


@pytest.fixture
def other_worker(personas):
    return Worker.objects.create(
        name="赵志刚",
        phone="13711112222",
        occupation=Occupation.COURIER,
        region_id="360102002001",
        consent_version="test",
        consented_at=timezone.now(),
    )


def raise_appeal(user, **fields):
    data = {"category": "access", "text": "小区不让骑手进入，送餐要走很远。", "place": "民巷社区某小区北门", "region": "360102002001"}
    return appeal_create(actor=user, **(data | fields))


@pytest.fixture
def appeal(personas, platform):
    return raise_appeal(personas["worker"], platform=platform)
