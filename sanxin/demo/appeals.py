"""Demo appeals, written through the appeal services: in every state, one escalated from the street to the
county, one about 美团外卖 with the identity shield on. The demo workers come from the workers' demo when it ran
first; if none exist, a few are made here (demo names, demo phone numbers in the 139 0000 range)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sanxin.accounts.models import Unit, UnitKind, User
from sanxin.appeals import services
from sanxin.appeals.models import Appeal
from sanxin.regions.models import Region
from sanxin.workers.models import Occupation, Platform, PlatformKind, Worker

COMMUNITY = "360102002001"
DEMO_WORKERS = [
    # (name, phone, occupation, platform)
    ("赵快跑", "13900000101", Occupation.DELIVERY_RIDER, "美团外卖"),
    ("钱顺风", "13900000102", Occupation.COURIER, "顺丰速运"),
    ("孙飞驰", "13900000103", Occupation.DELIVERY_RIDER, "饿了么"),
]
PLATFORMS = [("美团外卖", PlatformKind.FOOD_DELIVERY), ("饿了么", PlatformKind.FOOD_DELIVERY), ("顺丰速运", PlatformKind.EXPRESS)]


def _platforms() -> dict[str, Platform]:
    unit = Unit.objects.filter(kind=UnitKind.PLATFORM).order_by("pk").first()
    found = {}
    for name, kind in PLATFORMS:
        platform, _ = Platform.objects.get_or_create(name=name, defaults={"kind": kind})
        if name == "美团外卖" and unit is not None and platform.unit_id is None:
            platform.unit = unit
            platform.save(update_fields=["unit"])
        found[name] = platform
    return found


def _workers(platforms) -> list[Worker]:
    """The demo's workers: those the workers' demo made, else a few made here (the demo account "worker" is the first)."""
    if Worker.objects.exists():
        # The demo worker (赵快跑, account "worker") first: his home and 我的诉求 show appeals to answer and to rate.
        me = Worker.objects.filter(user__username="worker").first() or Worker.objects.filter(user__isnull=False).order_by("pk").first()
        return [me, *Worker.objects.exclude(pk=me.pk).order_by("pk")[:2]]
    now = timezone.now()
    account = User.objects.filter(username="worker").first()
    made = []
    for n, (name, phone, occupation, platform) in enumerate(DEMO_WORKERS):
        worker = Worker.objects.create(
            name=name,
            phone=phone,
            occupation=occupation,
            region_id=COMMUNITY,
            work_area="八一广场周边（演示）",
            user=account if n == 0 else None,
            source="staff",
            consent_version="demo",
            consented_at=now,
            sensitive_consented_at=now,
        )
        worker.platforms.add(platforms[platform])
        made.append(worker)
    return made


def seed_demo_appeals() -> int:
    """Adds the demo appeals once (nothing if any exists, or without the demo's street and county accounts)."""
    street = User.objects.filter(username="twg_street").first()
    county = User.objects.filter(username="dh_county").first()
    if street is None or county is None or Appeal.objects.exists() or not Region.objects.filter(code=COMMUNITY).exists():
        return 0
    with transaction.atomic():
        platforms = _platforms()
        workers = _workers(platforms)
        me = workers[0]
        others = workers[1:] or workers
        now = timezone.now()

        def raise_(worker, category, text, place, days_ago=0, **extra):
            actor = worker.user if worker.user_id else street
            fields = {"worker": worker} if actor == street else {}
            return services.appeal_create(
                actor=actor,
                category=category,
                text=text,
                place=place,
                region=COMMUNITY,
                now=now - timedelta(days=days_ago),
                **fields,
                **extra,
            )

        # The shielded one about 美团外卖, with the worker's own account: in progress.
        shielded = raise_(
            me,
            "access",
            "阳光小区物业不让外卖骑手进小区，只能在北门外等顾客，经常超时被平台罚款。",
            "民巷社区阳光小区北门",
            platform=platforms["美团外卖"],
            longitude="115.906200",
            latitude="28.683400",
        )
        shielded = services.appeal_accept(actor=street, appeal=shielded)
        services.appeal_start(actor=street, appeal=shielded)
        # Submitted, waiting to be accepted today.
        raise_(others[0], "amenities", "八一广场附近中午找不到能热饭、喝水的地方。", "八一广场东侧")
        # Waiting for the worker's answer (the clock paused).
        waiting = services.appeal_accept(actor=street, appeal=raise_(me, "wages", "站点 10 月份的工资少发了 300 元。", "民巷社区配送站点"))
        services.appeal_ask(actor=street, appeal=waiting, question="请问是哪个站点？站长姓什么？")
        # Resolved, to be rated by the worker.
        resolved = services.appeal_accept(
            actor=street, appeal=raise_(me, "health", "想参加免费体检，不知道去哪里报名。", "民巷社区党群服务中心", 3)
        )
        services.appeal_resolve(actor=street, appeal=resolved, reply="已为您登记 12 月份的“暖心体检”活动，届时短信通知时间地点。")
        # Closed, satisfied.
        closed = services.appeal_accept(actor=street, appeal=raise_(me, "legal_aid", "被顾客投诉后想咨询法律援助。", "滕王阁街道", 6))
        closed = services.appeal_resolve(actor=street, appeal=closed, reply="已联系街道法律服务站，律师已电话解答。")
        if closed.worker and closed.worker.user_id:
            services.appeal_rate(actor=closed.worker.user, appeal=closed, rating="satisfied")
        # Returned as out of scope.
        returned = raise_(others[-1], "other", "想办理外省的驾驶证换证。", "八一广场", 2)
        services.appeal_return(actor=street, appeal=returned, reason="驾驶证换证属公安交管部门业务，请到车管所办理，已告知地址。")
        # Escalated: left unaccepted past its limit, moved up to the county with the reason.
        late = raise_(others[-1], "housing", "想申请新就业群体公寓，街道说没有名额。", "滕王阁街道", 9)
        services.appeal_escalate(actor=None, appeal=late, reason="超过受理时限，由街道升级至区两新工委")
    return Appeal.objects.count()
