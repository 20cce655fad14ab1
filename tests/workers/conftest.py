"""Workers' tests: SMS to memory, platforms, a worker at the county's street and one in another county."""

import pytest

from sanxin.workers.models import Occupation, Platform, PlatformKind
from sanxin.workers.services import worker_create
from sanxin.workers.sms import MemoryBackend


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.SANXIN_SMS_BACKEND = "sanxin.workers.sms.MemoryBackend"
    MemoryBackend.outbox.clear()
    yield MemoryBackend.outbox
    MemoryBackend.outbox.clear()


def last_code(outbox) -> str:
    import re

    return re.search(r"验证码为 (\d{6})", outbox[-1].text).group(1)


@pytest.fixture
def platforms(db):
    return {
        name: Platform.objects.get_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind in (
            ("美团外卖", PlatformKind.FOOD_DELIVERY),
            ("饿了么", PlatformKind.FOOD_DELIVERY),
            ("顺丰速运", PlatformKind.EXPRESS),
        )
    }


@pytest.fixture
def rider(personas, platforms):
    """Staff-entered, at the street of the county's community persona."""
    return worker_create(
        actor=personas["county"],
        name="李骑手",
        phone="13812345678",
        occupation=Occupation.DELIVERY_RIDER,
        region="360102002",
        platforms=[platforms["美团外卖"]],
    )


@pytest.fixture
def far_rider(personas, platforms):
    """In another county (西湖区)."""
    return worker_create(
        actor=personas["other_county"],
        name="王远方",
        phone="13987654321",
        occupation=Occupation.COURIER,
        region="360103001",
        platforms=[platforms["顺丰速运"]],
    )
