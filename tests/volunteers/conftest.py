import pytest

from sanxin.volunteers.services import volunteer_member_add, volunteer_team_create
from tests.care.conftest import make_worker


@pytest.fixture
def county(personas):
    return personas["county"]


@pytest.fixture
def worker(personas):
    return personas["worker"].worker


@pytest.fixture
def team(county, worker):
    """A 红运先锋 team of the street with the worker persona and a second rider in it."""
    team = volunteer_team_create(actor=county, name="滕王阁红运先锋骑手队", kind="hongyun", region="360102002")
    volunteer_member_add(actor=county, team=team, worker=worker)
    volunteer_member_add(actor=county, team=team, worker=make_worker("钱二", "13900000002"))
    return team


@pytest.fixture
def merited():
    from sanxin.core.events import subscribe, unsubscribe

    caught = []

    def listener(**payload):
        caught.append(payload)

    subscribe("workers.merited", listener)
    yield caught
    unsubscribe("workers.merited", listener)
