"""The personas' world for hazards: the worker persona's own record at 民巷社区 (360102002001, where the community
persona's unit is responsible), another worker, and reports made through the services at known positions."""

from decimal import Decimal

import pytest
from django.utils import timezone

from sanxin.hazards.services import hazard_create
from sanxin.workers.models import Occupation, Worker

# A point in 民巷社区 and points about 50 m and 300 m east of it.
LON, LAT = Decimal("115.900000"), Decimal("28.680000")
LON_50M = Decimal("115.900510")
LON_300M = Decimal("115.903070")


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


def report(user, **fields):
    data = {"category": "fire_lane", "text": "3 栋楼下消防通道被电动车堵住了。", "place": "民巷小区 3 栋", "region": "360102002001"}
    data |= {"longitude": LON, "latitude": LAT}
    return hazard_create(actor=user, **(data | fields))


@pytest.fixture
def listener():
    """Records what the hazards app publishes to the points app (the contract of issue 12)."""
    from sanxin.core.events import subscribe, unsubscribe

    heard = []

    def merited(**payload):
        heard.append(("merited", payload))

    def withdrawn(**payload):
        heard.append(("withdrawn", payload))

    subscribe("workers.merited", merited)
    subscribe("workers.merit_withdrawn", withdrawn)
    yield heard
    unsubscribe("workers.merited", merited)
    unsubscribe("workers.merit_withdrawn", withdrawn)


@pytest.fixture
def second_rider(personas):
    """Another rider with an account of his own (as self-registration leaves it), at the same community."""
    from sanxin.accounts.models import User
    from sanxin.accounts.services import grant_initial_roles
    from sanxin.core.roles import Role

    user = User(username="rider2", full_name="钱师傅", unit=None, must_change_password=False)
    user.set_unusable_password()
    user.save()
    grant_initial_roles(user=user, roles=[Role.WORKER])
    main = Worker.objects.get(user=personas["worker"])
    Worker.objects.create(
        name="钱多多",
        phone="13722223333",
        occupation=Occupation.DELIVERY_RIDER,
        region_id="360102002001",
        user=user,
        consent_version=main.consent_version,
        consented_at=timezone.now(),
        sensitive_consented_at=timezone.now(),
    )
    return user
