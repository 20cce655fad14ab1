"""Demo workers, written through the workers' services: six platforms (美团外卖 with its own Party committee and
the account "meituan", in sanxin.demo.accounts), about forty couriers, riders and drivers working in the streets and
communities of 东湖区 (most registered themselves and consented, some entered by the street's staff and not yet
logged in), and the demo worker 赵快跑 (account "worker"), who logs in at /w/login/ with his phone number: the demo
has no SMS gateway, so the login page shows the code, labelled 演示环境."""

from __future__ import annotations

import random

from django.db import transaction

from sanxin.accounts.models import Unit, User
from sanxin.regions.models import Region
from sanxin.workers.models import Occupation, Platform, PlatformKind, Worker, WorkerSource
from sanxin.workers.selectors import current_consent
from sanxin.workers.services import platform_create, worker_consent_accept, worker_create, worker_register

DEMO_WORKER_PHONE = "13907910001"
DEMO_COUNTY = "360102"
PLATFORM_UNIT = "美团外卖江西区域党委"  # sanxin.demo.accounts

PLATFORMS = [
    ("美团外卖", PlatformKind.FOOD_DELIVERY, Occupation.DELIVERY_RIDER),
    ("饿了么", PlatformKind.FOOD_DELIVERY, Occupation.DELIVERY_RIDER),
    ("顺丰速运", PlatformKind.EXPRESS, Occupation.COURIER),
    ("京东物流", PlatformKind.EXPRESS, Occupation.COURIER),
    ("滴滴出行", PlatformKind.RIDE_HAILING, Occupation.RIDE_HAILING),
    ("货拉拉", PlatformKind.FREIGHT, Occupation.TRUCK_DRIVER),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏"
GIVEN = list("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆丽芳敏静")
SITES = {
    "美团外卖": "美团外卖东湖{}站",
    "饿了么": "饿了么东湖{}配送站",
    "顺丰速运": "顺丰速运东湖{}营业部",
    "京东物流": "京东物流东湖{}营业部",
    "滴滴出行": "",
    "货拉拉": "",
}
AREAS = ["八一广场周边", "中山路商圈", "胜利路步行街一带", "南昌火车站周边", "青山湖西岸", "阳明路沿线", "豫章路一带", "大院街道老城区"]
WORKER_COUNT = 40


def _phone(rng: random.Random, used: set[str]) -> str:
    while True:
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        if phone not in used and phone != DEMO_WORKER_PHONE:
            used.add(phone)
            return phone


@transaction.atomic
def seed_demo_workers() -> int:
    """Adds the demo platforms and workers once; returns how many workers it added (0 if the demo has them)."""
    platforms = {}
    for name, kind, _ in PLATFORMS:
        platform = Platform.objects.filter(name=name).first()
        if platform is None:
            unit = Unit.objects.filter(name=PLATFORM_UNIT).first() if name == "美团外卖" else None
            platform = platform_create(actor=None, name=name, kind=kind, unit=unit)
        platforms[name] = platform
    if Worker.objects.exists() or current_consent() is None:
        return 0
    places = list(Region.objects.filter(code__startswith=DEMO_COUNTY, level__in=(4, 5)).order_by("code"))
    if not places:
        return 0
    rng = random.Random(20260101)
    used: set[str] = set()
    consent = current_consent()
    added = 0
    for n in range(WORKER_COUNT):
        name_platform, _, occupation = PLATFORMS[n % len(PLATFORMS)]
        # Most riders and couriers take orders on two platforms.
        chosen = [platforms[name_platform]]
        if occupation == Occupation.DELIVERY_RIDER and n % 3 == 0:
            chosen.append(platforms["饿了么" if name_platform == "美团外卖" else "美团外卖"])
        region = places[rng.randrange(len(places))]
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if n % 2 else "")
        site = SITES[name_platform].format(region.name.removesuffix("街道").removesuffix("社区居委会").removesuffix("社区")[:4])
        fields = {
            "name": name,
            "phone": _phone(rng, used),
            "occupation": occupation,
            "region": region,
            "platforms": chosen,
            "work_area": rng.choice(AREAS),
        }
        if n % 4 == 3:  # entered by the street's staff at a 小哥驿站 visit; not logged in yet
            worker_create(actor=None, employer_name=site, source=WorkerSource.STAFF, **fields)
        else:
            worker = worker_register(employer_name=site, **fields)
            worker_consent_accept(actor=worker.user, version=consent.version, accept=True, accept_sensitive=True)
        added += 1
    _seed_demo_worker(platforms, consent)
    return added + 1


def _seed_demo_worker(platforms, consent) -> None:
    """赵快跑, a 美团 rider at 滕王阁街道: the demo account "worker" (sanxin.demo.accounts) is his."""
    user = User.objects.filter(username="worker").first()
    region = Region.objects.filter(code="360102002").first()
    if region is None:
        return
    fields = {
        "name": "赵快跑",
        "phone": DEMO_WORKER_PHONE,
        "occupation": Occupation.DELIVERY_RIDER,
        "region": region,
        "platforms": [platforms["美团外卖"], platforms["饿了么"]],
        "work_area": "八一广场、中山路一带",
        "employer_name": "美团外卖东湖滕王阁站",
    }
    if user is None:
        worker = worker_register(**fields)
        user = worker.user
    else:
        worker = worker_create(actor=None, source=WorkerSource.SELF, **fields)
        worker.user = user
        worker.save(update_fields=["user", "updated_at"])
    worker_consent_accept(actor=user, version=consent.version, accept=True, accept_sensitive=True)
