"""Care activities of 东湖区 (360102), made through the services by the county's staff; a second worker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.accounts.services import grant_initial_roles
from sanxin.care.services import activity_publish, care_activity_create
from sanxin.core.roles import Role
from sanxin.workers.models import ConsentText, Occupation, Worker


def times(now=None, *, starts_in=timedelta(days=2), hours=3):
    now = now or timezone.now()
    starts = now + starts_in
    return {
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=hours),
        "signup_opens_at": now - timedelta(days=1),
        "signup_closes_at": starts - timedelta(hours=1),
    }


def make_activity(actor, *, publish=True, **changes):
    fields = {
        "title": "滕王阁街道骑手集体庆生会",
        "type": "birthday",
        "region": "360102002",
        "place": "滕王阁小哥驿站",
        "capacity": 10,
        "description": "为 12 月过生日的骑手庆生",
    } | times()
    activity = care_activity_create(actor=actor, **(fields | changes))
    return activity_publish(actor=actor, activity=activity) if publish else activity


def make_worker(name: str, phone: str, region: str = "360102002001", occupation=Occupation.DELIVERY_RIDER) -> Worker:
    user = User(username=f"w{phone}", full_name=name, unit=None, must_change_password=False)
    user.set_unusable_password()
    user.save()
    grant_initial_roles(user=user, roles=[Role.WORKER])
    current = ConsentText.objects.order_by("-published_at").first()
    now = timezone.now()
    return Worker.objects.create(
        name=name, phone=phone, occupation=occupation, region_id=region, user=user,
        consent_version=current.version if current else "test", consented_at=now, sensitive_consented_at=now,
    )  # fmt: skip


@pytest.fixture
def county(personas):
    return personas["county"]


@pytest.fixture
def worker(personas):
    return personas["worker"].worker


@pytest.fixture
def activity(county):
    return make_activity(county)


@pytest.fixture
def merited():
    """What the care app publishes as "workers.merited", caught by a listener."""
    from sanxin.core.events import subscribe, unsubscribe

    caught = []

    def listener(**payload):
        caught.append(payload)

    subscribe("workers.merited", listener)
    yield caught
    unsubscribe("workers.merited", listener)


@pytest.fixture
def under_way(county):
    """An activity that started ten minutes ago; sign-up closed before the start."""
    return make_activity(
        county,
        title="正在进行的庆生会",
        **times(starts_in=-timedelta(minutes=10))
        | {"signup_opens_at": timezone.now() - timedelta(days=2), "signup_closes_at": timezone.now() - timedelta(minutes=20)},
    )


def signed_up_before(worker, activity):
    from sanxin.care.services import care_signup_create

    return care_signup_create(actor=worker.user, worker=worker, activity=activity, now=activity.signup_closes_at - timedelta(hours=1))[0]
