"""The personas' world for points: the worker persona (民巷社区, 东湖区), another worker, rewards offered by the
county's unit and by the other county's unit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanxin.accounts.models import Unit
from sanxin.core.events import publish
from sanxin.points.models import Reward
from sanxin.workers.models import Occupation, Worker


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


def make_reward(region="360102", unit_name="东湖区委两新工委", **fields) -> Reward:
    data = {"name": "免费健康体检", "kind": "service", "cost": 30, "stock": 5, "description": "区人民医院提供"}
    return Reward.objects.create(unit=Unit.objects.get(name=unit_name), region_id=region, **(data | fields))


@pytest.fixture
def reward(personas):
    return make_reward()


@pytest.fixture
def far_reward(personas):
    return make_reward(region="360103", unit_name="西湖区委两新工委", name="西湖区电动车检修")


def earn(worker, points=100, source="test:1", kind="selection_award", region="360102002001", **extra):
    publish("workers.merited", worker=worker, source=source, kind=kind, region_code=region, reason="测试获奖", points=points, **extra)


def days(n):
    return timezone.localdate() + timedelta(days=n)
