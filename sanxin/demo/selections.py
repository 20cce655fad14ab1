"""Demo selections, written through the selection services: the city's "最美外卖配送员" already awarded, with the
demo worker 赵快跑 honoured (his award points published to whoever keeps points), and the county's "最美快递员"
in its publicity period with one objection waiting for the organiser."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.selections import services
from sanxin.selections.models import Campaign
from sanxin.workers.models import Occupation, Worker


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def seed_demo_selections() -> int:
    """Adds the demo campaigns once (nothing if any exists, or without the demo's accounts and worker)."""
    city = User.objects.filter(username="nc_city").first()
    county = User.objects.filter(username="dh_county").first()
    street = User.objects.filter(username="twg_street").first()
    community = User.objects.filter(username="mx_community").first()
    me = Worker.objects.filter(user__username="worker").first()
    if None in (city, county, street, community, me) or Campaign.objects.exists():
        return 0
    today = timezone.localdate()
    with transaction.atomic():
        # The city's campaign, run two months ago and awarded: 赵快跑 and another rider honoured.
        awarded = services.campaign_create(
            actor=city,
            kind="delivery",
            title="2026年度南昌市“最美外卖配送员”",
            region="3601",
            places=10,
            nominate_from=today - timedelta(days=70),
            nominate_until=today - timedelta(days=50),
            publicity_days=5,
            award_points=200,
            honour_title="南昌市最美外卖配送员",
            description="面向全市外卖配送员，由各街道（乡镇）、社区推荐，市委社会工作部审核、公示后表彰。",
        )
        awarded = services.campaign_open(actor=city, campaign=awarded)
        riders = [me, *Worker.objects.filter(occupation=Occupation.DELIVERY_RIDER, region__code__startswith="360102").exclude(pk=me.pk)[:2]]
        deeds = [
            "每天配送六十余单，三年零差评；2026年夏暴雨中将被困老人护送回家，并协助社区排查积水隐患。",
            "主动加入红运先锋志愿服务队，累计志愿服务一百余小时，多次帮助新骑手熟悉片区道路。",
            "送餐途中发现居民楼冒烟，第一时间报警并协助疏散群众。",
        ]
        nominated = []
        for n, rider in enumerate(riders):
            actor = street if rider.region_id.startswith("360102002") else county
            nominated.append(
                services.nomination_create(actor=actor, campaign=awarded, worker=rider, deeds=deeds[n], now=_at(today - timedelta(days=60)))
            )
        awarded = services.campaign_review(actor=city, campaign=awarded)
        for n, nomination in enumerate(nominated):
            if n < 2:
                services.nomination_approve(actor=city, nomination=nomination)
            else:
                services.nomination_reject(actor=city, nomination=nomination, reason="事迹材料不完整，建议下次补充后再推荐")
        awarded = services.campaign_publish(actor=city, campaign=awarded, now=_at(today - timedelta(days=45)))
        services.campaign_award(actor=city, campaign=awarded, now=_at(today - timedelta(days=30)))

        # The county's 最美快递员, in its publicity now, with one objection pending.
        running = services.campaign_create(
            actor=county,
            kind="courier",
            title="东湖区“最美快递员”",
            region="360102",
            places=5,
            nominate_from=today - timedelta(days=30),
            nominate_until=today - timedelta(days=5),
            publicity_days=5,
            award_points=100,
            honour_title="东湖区最美快递员",
        )
        running = services.campaign_open(actor=county, campaign=running)
        couriers = list(Worker.objects.filter(occupation=Occupation.COURIER, region__code__startswith="360102")[:2])
        courier_deeds = ["坚持“最后一公里”送货上门，为行动不便的老人代收代寄。", "疫情期间坚守岗位，保障片区物资配送。"]
        made = [
            services.nomination_create(
                actor=county, campaign=running, worker=c, deeds=courier_deeds[n], now=_at(today - timedelta(days=10))
            )
            for n, c in enumerate(couriers)
        ]
        running = services.campaign_review(actor=county, campaign=running)
        for nomination in made:
            services.nomination_approve(actor=county, nomination=nomination)
        if made:
            running = services.campaign_publish(actor=county, campaign=running)
            services.objection_raise(actor=community, nomination=made[0], reason="有居民反映该快递员曾多次未经同意将快件放在驿站，请核实。")
    return 2
