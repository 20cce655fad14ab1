"""Something real on each of the demo member's own pages (林小勇, account "member", a mobile member attending the
street's joint branch): his inflow registration (his relation is in his home county), next week's 党小组会 he can
ask leave from, and a 亮身份 report to the branch at his second delivery site, waiting for its secretary."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from sanxin.demo.members import JOINT_BRANCH
from sanxin.life.models import Meeting, MeetingType
from sanxin.life.services import meeting_create
from sanxin.members.identity import identity_report_submit
from sanxin.members.mobility import mobile_inflow_register
from sanxin.members.models import Member
from sanxin.party.models import PartyOrganization

NEXT_TOPIC = "党小组会：交流夜间配送安全经验"


def seed_demo_mine(now: datetime | None = None) -> int:
    """Adds the demo member's own things once; 0 if done already or the demo member is missing."""
    member = Member.objects.filter(user__username="member").select_related("party_organization", "user").first()
    joint = PartyOrganization.objects.filter(name=JOINT_BRANCH).first()
    if member is None or joint is None or member.mobile_registrations.exists() or Meeting.objects.filter(topic=NEXT_TOPIC).exists():
        return 0
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        mobile_inflow_register(
            actor=None,
            member=member,
            home_organization="江西省赣州市于都县罗坳镇步前村党支部",
            starts_on=today.replace(day=1) - timedelta(days=300),
            note="在滕王阁街道从事外卖配送，组织关系在户籍地",
        )
        starts = timezone.make_aware(datetime.combine(today + timedelta(days=7), time(19, 30)))
        meeting_create(
            actor=None,
            party_organization=joint,
            meeting_type=MeetingType.objects.get(code="group_meeting"),
            topic=NEXT_TOPIC,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1, minutes=30),
            mode="mixed",
            place="滕王阁街道小哥驿站",
            link="腾讯会议 518-2026-119",
            host=joint.secretary or "",
            agenda="一、学习《快递员安全作业指引》\n二、交流夜间配送安全经验\n三、讨论驿站志愿服务排班",
        )
        second_site = (
            PartyOrganization.objects.filter(level="branch", region__code__under="360102", status="active")
            .exclude(pk=joint.pk)
            .order_by("region_id", "name")
            .first()
        )
        if second_site is not None:
            identity_report_submit(
                actor=member.user,
                name=member.name,
                id_number=member.id_number,
                phone=member.phone,
                joined_on=member.joined_on,
                member_status=member.status,
                home_organization="江西省赣州市于都县罗坳镇步前村党支部",
                occupation=member.occupation or "外卖骑手",
                employer_name="八一广场外卖配送站（第二站点）",
                party_organization=second_site,
            )
    return 1
