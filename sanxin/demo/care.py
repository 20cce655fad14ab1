"""Demo care activities, written through the care services by the county's account (dh_county): a 集体庆生会 held
last week at a demo station, with sign-ups, check-ins by code and walk-ins, closed; a 义诊 next week that the demo
worker 赵快跑 (account "worker") signed up for; a 法律讲座 still open for sign-up; a cancelled 安全教育."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.care import services
from sanxin.care.models import CareActivity
from sanxin.stations.models import Station
from sanxin.workers.models import Worker

COUNTY = "360102"
STREET = "360102002"


def _workers() -> list[Worker]:
    """The demo worker first, then other demo workers with their own account in the county."""
    me = Worker.objects.filter(user__username="worker").first()
    others = Worker.objects.filter(user__isnull=False, region__code__under=COUNTY, consented_at__isnull=False)
    others = list(others.exclude(pk=me.pk if me else None).order_by("pk")[:9])
    return ([me] if me else []) + others


def seed_demo_care() -> int:
    """Adds the demo activities once (nothing if any exists or the county account is missing)."""
    actor = User.objects.filter(username="dh_county").first()
    if actor is None or CareActivity.objects.exists():
        return 0
    now = timezone.localtime().replace(second=0, microsecond=0)  # local hours (a party at 15:00 Beijing time)
    station = (
        Station.objects.filter(region__code__under=STREET, is_open=True).order_by("pk").first()
        or Station.objects.filter(region__code__under=COUNTY, is_open=True).order_by("pk").first()
    )
    workers = _workers()
    with transaction.atomic():
        # Last week's birthday party: sign-ups before, check-ins during, walk-ins counted, closed after.
        start = (now - timedelta(days=6)).replace(hour=15, minute=0)
        party = services.care_activity_create(
            actor=actor,
            title="滕王阁街道十二月骑手集体庆生会",
            type="birthday",
            region=STREET,
            station=station,
            place="" if station else "滕王阁街道党群服务中心",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=30,
            signup_opens_at=start - timedelta(days=10),
            signup_closes_at=start - timedelta(hours=2),
            description="为本月过生日的快递员、外卖骑手集体庆生：蛋糕、长寿面和小礼物（演示数据）。",
        )
        services.activity_publish(actor=actor, activity=party, now=start - timedelta(days=10))
        for n, worker in enumerate(workers):
            services.care_signup_create(actor=worker.user, worker=worker, activity=party, now=start - timedelta(days=5 - n % 4))
        for n, worker in enumerate(workers[: max(1, len(workers) - 2)]):
            services.care_checkin(actor=worker.user, worker=worker, code=party.checkin_code, now=start + timedelta(minutes=5 + n))
        services.walk_ins_set(actor=actor, activity=party, count=6, now=start + timedelta(hours=1))
        services.activity_close(actor=actor, activity=party)

        # Next week's free clinic: 赵快跑 signed up.
        clinic_start = (now + timedelta(days=5)).replace(hour=9, minute=0)
        clinic = services.care_activity_create(
            actor=actor,
            title="“红色驿站”义诊进驿站",
            type="clinic",
            region=STREET,
            station=station,
            place="" if station else "滕王阁街道社区卫生服务中心",
            starts_at=clinic_start,
            ends_at=clinic_start + timedelta(hours=3),
            capacity=40,
            signup_opens_at=now - timedelta(days=2),
            signup_closes_at=clinic_start - timedelta(hours=12),
            occupations=["courier", "delivery_rider", "ride_hailing", "truck_driver"],
            description="社区医院医生到驿站义诊：量血压、测血糖、颈肩腰腿劳损咨询（演示数据）。",
        )
        services.activity_publish(actor=actor, activity=clinic)
        for worker in [w for w in workers if w.occupation in clinic.occupations][:4]:
            services.care_signup_create(actor=worker.user, worker=worker, activity=clinic)

        # A law lecture open for sign-up, and a cancelled safety class.
        law_start = (now + timedelta(days=12)).replace(hour=19, minute=30)
        law = services.care_activity_create(
            actor=actor,
            title="劳动权益与交通事故处理法律讲座",
            type="law",
            region=COUNTY,
            place="东湖区党群服务中心二楼报告厅",
            starts_at=law_start,
            ends_at=law_start + timedelta(hours=1, minutes=30),
            capacity=80,
            signup_opens_at=now - timedelta(days=1),
            signup_closes_at=law_start - timedelta(hours=2),
            signup_required=False,
            description="律师讲解劳动合同、工伤认定和交通事故处理（演示数据）。",
        )
        services.activity_publish(actor=actor, activity=law)
        safety_start = (now + timedelta(days=3)).replace(hour=14, minute=0)
        safety = services.care_activity_create(
            actor=actor,
            title="电动车安全骑行教育",
            type="safety",
            region=STREET,
            place="滕王阁街道综合文化站",
            starts_at=safety_start,
            ends_at=safety_start + timedelta(hours=1),
            capacity=50,
            signup_opens_at=now - timedelta(days=3),
            signup_closes_at=safety_start - timedelta(hours=1),
        )
        services.activity_publish(actor=actor, activity=safety)
        services.activity_cancel(actor=actor, activity=safety, reason="与交警部门时间冲突，另行通知（演示数据）")
    return 4
