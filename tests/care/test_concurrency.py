"""Two taps at the same moment on PostgreSQL (real row locks): the last place goes once, a double tap is one
sign-up, and one person's volunteer hours on a day never pass 24 across two clerks."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from sanxin.care import services
from sanxin.care.models import CareActivity, CareSignup
from tests.care.conftest import make_activity, make_worker

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("行锁并发只在 PostgreSQL 上验证")


def test_the_last_place_goes_once(postgresql, personas):
    activity = make_activity(personas["county"], capacity=1)
    riders = [make_worker(f"骑手{n}", f"1390000030{n}") for n in range(4)]
    outcomes = at_once(
        [lambda w=w: services.care_signup_create(actor=w.user, worker=w, activity=CareActivity.objects.get(pk=activity.pk)) for w in riders]
    )
    assert outcomes.count("ok") == 1, outcomes
    assert all("名额已满" in o for o in outcomes if o != "ok")
    assert CareSignup.objects.filter(status="signed_up").count() == 1


def test_a_double_tap_is_one_signup(postgresql, personas):
    activity = make_activity(personas["county"])
    worker = personas["worker"].worker
    outcomes = at_once([lambda: services.care_signup_create(actor=worker.user, worker=worker, activity=activity)] * 2)
    assert outcomes == ["ok", "ok"]
    assert CareSignup.objects.count() == 1


def test_hours_of_a_day_stay_within_24_across_two_clerks(postgresql, personas):
    from sanxin.volunteers.models import ServiceRecord
    from sanxin.volunteers.services import volunteer_member_add, volunteer_record_submit, volunteer_team_create

    county, township = personas["county"], personas["township"]
    worker = personas["worker"].worker
    team = volunteer_team_create(actor=county, name="红运先锋", kind="hongyun", region="360102002")
    volunteer_member_add(actor=county, team=team, worker=worker)
    day = timezone.localdate()
    outcomes = at_once(
        [
            lambda actor=actor: volunteer_record_submit(actor=actor, team=team, day=day, hours="16", work="值守", members=[worker.pk])
            for actor in (county, township)
        ]
    )
    assert outcomes.count("ok") == 1, outcomes
    assert ServiceRecord.objects.count() == 1
