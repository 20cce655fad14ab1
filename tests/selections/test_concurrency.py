"""Two approvals at the same moment for the last place, and two nominations of the same worker at once (PostgreSQL:
real row locks): one wins, the other is refused in Chinese."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from sanxin.selections import services
from sanxin.selections.models import Nomination, NominationStatus
from tests.selections.conftest import DEEDS, make_campaign

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls) -> list[str]:
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
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("行锁并发只在 PostgreSQL 上验证")


def test_two_approvals_for_the_last_place(postgres_only, personas, worker, rider):
    city = personas["city"]
    campaign = make_campaign(city, places=1)
    made = [services.nomination_create(actor=personas["county"], campaign=campaign, worker=w, deeds=DEEDS) for w in (worker, rider)]
    services.campaign_review(actor=city, campaign=campaign)
    outcomes = at_once(*[lambda n=n: services.nomination_approve(actor=city, nomination=Nomination.objects.get(pk=n.pk)) for n in made])
    assert outcomes.count("ok") == 1, outcomes
    assert "名额 1 人已满" in next(o for o in outcomes if o != "ok")
    assert Nomination.objects.filter(status=NominationStatus.APPROVED).count() == 1


def test_two_nominations_of_one_worker_at_once(postgres_only, personas, rider, campaign):
    outcomes = at_once(
        *[
            lambda name=name: services.nomination_create(actor=personas[name], campaign=campaign, worker=rider, deeds=DEEDS)
            for name in ("community", "township")
        ]
    )
    assert outcomes.count("ok") == 1, outcomes
    assert "每人只能推荐一次" in next(o for o in outcomes if o != "ok")
