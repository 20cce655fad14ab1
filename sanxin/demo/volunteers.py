"""Demo volunteer teams, written through the volunteer services by the county's account (dh_county): a 红运先锋
riders' team of 滕王阁街道 with the demo worker 赵快跑 (account "worker") and other demo workers as members, two
confirmed service records and one waiting for confirmation; a 党员突击队 of the county."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.volunteers import services
from sanxin.volunteers.models import VolunteerTeam
from sanxin.workers.models import Worker


def seed_demo_volunteers() -> int:
    """Adds the demo teams once (nothing if any exists, or the county account or the demo worker is missing)."""
    actor = User.objects.filter(username="dh_county").first()
    me = Worker.objects.filter(user__username="worker").first()
    if actor is None or me is None or VolunteerTeam.objects.exists():
        return 0
    others = list(Worker.objects.filter(region__code__under="360102").exclude(pk=me.pk).order_by("pk")[:5])
    today = timezone.localdate()
    with transaction.atomic():
        team = services.volunteer_team_create(
            actor=actor,
            name="滕王阁街道红运先锋骑手志愿服务队",
            kind="hongyun",
            region="360102002",
            leader=others[0] if others else None,
            description="外卖骑手、快递小哥组成的志愿服务队：随手拍隐患、护送老人、暴雨天送药上门（演示数据）。",
        )
        for worker in [me, *others]:
            services.volunteer_member_add(actor=actor, team=team, worker=worker)
        crew = [me.pk, *[w.pk for w in others[:3]]]
        first = services.volunteer_record_submit(
            actor=actor, team=team, day=today - timedelta(days=9), hours="2", work="八一广场周边文明交通劝导", members=crew
        )
        services.record_confirm(actor=actor, record=first)
        second = services.volunteer_record_submit(
            actor=actor, team=team, day=today - timedelta(days=4), hours="1.5", work="暴雨天为独居老人送药上门", members=crew[:2]
        )
        services.record_confirm(actor=actor, record=second)
        services.volunteer_record_submit(
            actor=actor, team=team, day=today - timedelta(days=1), hours="3", work="驿站周边清理共享单车", members=crew
        )
        services.volunteer_team_create(
            actor=actor, name="东湖区快递物流行业党员突击队", kind="commando", region="360102", description="演示数据"
        )
    return 2
