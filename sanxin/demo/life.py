"""Demo organizational life, written through the life services: the meetings of the demo branches that have members
since the start of last year (so that 三会一课落实率 has both years), with gaps in the last three months (some
required meetings not held) and one 民主评议党员 left out last year, attendance
recorded by the secretary, and one 主题党日 of the street's joint branch going on now, so that the demo member
(林小勇, account "member") can sign in with its code."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from sanxin.demo.members import JOINT_BRANCH
from sanxin.life.models import AttendanceState, Meeting, MeetingType
from sanxin.life.services import meeting_attendance_update, meeting_create
from sanxin.party.models import PartyOrganization

TOPICS = {
    "branch_general": ["传达学习上级会议精神，讨论发展党员工作", "通报季度党费收缴情况，研究下季度工作"],
    "branch_committee": ["研究本月党建工作安排", "讨论流动党员管理和走访计划", "研究慰问困难党员事项"],
    "group_meeting": ["交流骑手安全配送心得", "学习《中国共产党章程》第一章", "讨论“小哥驿站”志愿服务排班"],
    "party_lecture": ["书记讲党课：新就业群体中的党员先锋作用"],
    "theme_day": ["走访社区困难群众", "“红色骑手”交通安全宣传", "参观八一南昌起义纪念馆"],
    "life_meeting": ["年度组织生活会：对照检查，开展批评和自我批评"],
    "member_review": ["年度民主评议党员"],
}
# What each branch (by its place in the list) leaves out in the last three months: (meeting type code, month index 0-2
# or None for all three).
GAPS = [
    [("group_meeting", 1)],  # the joint branch: one month's 党小组会
    [("party_lecture", None), ("theme_day", 0)],  # no 党课 this quarter, one 主题党日 missing
    [("branch_committee", 2), ("group_meeting", 0), ("group_meeting", 2)],
    [("branch_general", None)],  # no 党员大会 this quarter
]
LEAVE_REASONS = ["外地送件", "家中有事", "身体不适", "值班"]


def _months(today, count=3):
    """The first days of the last `count` months, the current one last."""
    firsts = [today.replace(day=1)]
    for _ in range(count - 1):
        firsts.insert(0, (firsts[0] - timedelta(days=1)).replace(day=1))
    return firsts


def seed_demo_meetings(now: datetime | None = None) -> int:
    """Adds the demo meetings once (nothing if meetings exist or the demo's members do not)."""
    joint = PartyOrganization.objects.filter(name=JOINT_BRANCH).first()
    if joint is None or Meeting.objects.exists() or not joint.members.exists():
        return 0
    now = now or timezone.now()
    rng = random.Random(2026)
    others = list(PartyOrganization.objects.filter(members__isnull=False).exclude(pk=joint.pk).distinct().order_by("region_id", "name"))
    branches = [joint, *others][: len(GAPS)]
    types = {t.code: t for t in MeetingType.objects.all()}
    count = 0
    with transaction.atomic():
        for n, branch in enumerate(branches):
            gaps = GAPS[n]
            today = timezone.localdate(now)
            months = _months(today, count=12 + today.month)  # from January of last year
            for m, first in enumerate(months):
                recent = m - (len(months) - 3)  # 0-2 in the last three months, negative before
                codes = ["branch_committee", "group_meeting", "theme_day"]
                if first.month % 3 == 2:
                    codes += ["branch_general", "party_lecture"]  # the quarterly ones in the middle month of the quarter
                if first.year < today.year and first.month == 12:
                    codes += ["life_meeting"] + (["member_review"] if n != len(GAPS) - 1 else [])  # last year's yearly ones
                for code in codes:
                    if recent >= 0 and ((code, recent) in gaps or (code, None) in gaps):
                        continue
                    day = first + timedelta(days=rng.randrange(2, 25))
                    starts = timezone.make_aware(datetime.combine(day, time(15 if code != "theme_day" else 9, 0)))
                    if starts + timedelta(hours=2) > now - timedelta(hours=1):
                        continue  # not held yet this month
                    _held(branch, types[code], starts, rng)
                    count += 1
        secretary = joint.members.filter(user__username="secretary").first()
        meeting_create(
            actor=None,
            party_organization=joint,
            meeting_type=types["theme_day"],
            topic="云上主题党日：学习新就业群体党建工作经验",
            starts_at=now - timedelta(minutes=10),
            ends_at=now + timedelta(hours=2),
            mode="mixed",
            place="滕王阁街道小哥驿站",
            link="腾讯会议 326-118-2026",
            host=secretary.name if secretary else "",
            recorder="王芳",
            agenda="一、学习文件\n二、交流发言\n三、志愿服务安排",
        )
        count += 1
    return count


def _held(branch, meeting_type, starts, rng: random.Random) -> None:
    topic = rng.choice(TOPICS[meeting_type.code])
    meeting = meeting_create(
        actor=None,
        party_organization=branch,
        meeting_type=meeting_type,
        topic=topic,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        mode="offline",
        place="党群服务中心会议室",
        host=branch.secretary or "",
        lecturer=branch.secretary if meeting_type.code == "party_lecture" else "",
        agenda=f"{meeting_type.name}：{topic}",
        minutes=f"会议围绕“{topic}”进行了学习讨论，形成会议意见。",
    )
    changes = {}
    for attendance in meeting.attendances.all():
        roll = rng.random()
        if roll < 0.75:
            changes[attendance.member_id] = (AttendanceState.PRESENT if roll < 0.6 else AttendanceState.ONLINE, "")
        elif roll < 0.9:
            changes[attendance.member_id] = (AttendanceState.LEAVE, rng.choice(LEAVE_REASONS))
        else:
            changes[attendance.member_id] = (AttendanceState.ABSENT, "")
    meeting_attendance_update(actor=None, meeting=meeting, changes=changes)
