"""Demo points in 东湖区: the county's (dh_county) and the street's (twg_street) rewards catalogue — 免费健康体检
among them, one item out of stock — and the demo worker 赵快跑 (account "worker") with points from several sources
(published as the other apps publish them, "workers.merited"), one redemption handed over and one waiting with its
code. Once: nothing if a reward exists already, or without the demo accounts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.core.events import publish
from sanxin.points import services
from sanxin.points.models import Reward
from sanxin.workers.models import Worker

# (offered by, name, kind, cost, stock, description, valid for days or None)
REWARDS = [
    ("dh_county", "免费健康体检", "service", 50, 20, "东湖区人民医院提供基础体检一次（血常规、心电图、腰椎检查），凭兑换码预约", None),
    ("dh_county", "电动车免费检修", "service", 30, 10, "八一广场党群服务中心每周六上午，检修刹车、灯光和电池", None),
    ("dh_county", "骑手安全头盔", "goods", 80, 0, "3C 认证头盔一顶（本期已兑完，下批到货后补充）", None),
    ("dh_county", "爱心雨衣", "goods", 20, 50, "分体式反光雨衣一套，在滕王阁小哥驿站领取", 60),
    ("twg_street", "免费理发券", "service", 20, 30, "滕王阁街道党群服务中心便民理发，每月第一个周三", None),
]


def seed_demo_points() -> int:
    county = User.objects.filter(username="dh_county").first()
    street = User.objects.filter(username="twg_street").first()
    worker = Worker.objects.filter(user__username="worker").select_related("user").first()
    if county is None or street is None or Reward.objects.exists():
        return 0
    today = timezone.localdate()
    with transaction.atomic():
        made = {}
        for username, name, kind, cost, stock, description, valid_days in REWARDS:
            actor = county if username == "dh_county" else street
            made[name] = services.points_reward_save(
                actor=actor,
                name=name,
                kind=kind,
                cost=cost,
                stock=stock,
                description=description,
                valid_until=today + timedelta(days=valid_days) if valid_days else None,
            )
        if worker is None:
            return len(made)
        place = worker.region_id if len(worker.region_id) == 12 else f"{worker.region_id}001"
        earnings = [
            ("hazard_valid", "demo:hazard:1", "随手拍：中山路与榕门路口消防通道被占用，核实有效", 1, None),
            ("hazard_valid", "demo:hazard:2", "随手拍：民巷社区北门路灯损坏，核实有效", 1, None),
            ("volunteer_hours", "demo:volunteer:1", "红运先锋志愿服务队：八一广场文明交通劝导 3 小时", Decimal(3), None),
            ("care_checkin", "demo:care:1", "参加“骑手生日会”关爱活动", 1, None),
            ("selection_award", "demo:award:1", "2026 年“最美外卖配送员”提名奖", 1, 100),
        ]
        for kind, source, reason, quantity, points in earnings:
            publish(
                "workers.merited",
                worker=worker,
                source=source,
                kind=kind,
                region_code=place,
                reason=reason,
                quantity=quantity,
                points=points,
                actor=None,
            )
        raincoat = services.points_redeem(actor=worker.user, reward=made["爱心雨衣"])
        services.points_redemption_fulfil(actor=county, redemption=raincoat, code=raincoat.code)
        services.points_redeem(actor=worker.user, reward=made["免费健康体检"])
    return len(made)
