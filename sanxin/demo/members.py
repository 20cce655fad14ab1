"""Demo Party members, written through the member services: every relation mode and both statuses in the street's
joint branch of delivery sites, where the demo secretary (胡国华) leads and the demo member (林小勇) attends as a mobile
member; a few more in the county's and 西湖区's branches."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from sanxin.accounts.models import User
from sanxin.members.identity import identity_report_submit
from sanxin.members.mobility import member_mark_lost, mobile_outflow_register
from sanxin.members.models import Member, Transfer
from sanxin.members.services import member_create
from sanxin.members.transfers import DEFAULT_VALIDITY_DAYS, transfer_initiate
from sanxin.party.models import PartyOrganization
from sanxin.party.services import party_org_create
from sanxin.regions.models import Region

JOINT_BRANCH = "滕王阁街道快递外卖小哥联合党支部"
# A Party organization in another city (九江市浔阳区甘棠街道), where a member of the joint branch moves.
RECEIVING_REGION = "360403001"
RECEIVING_BRANCH = "甘棠街道快递外卖小哥联合党支部"
MOVING_MEMBER = "刘婷"


@dataclass(frozen=True)
class DemoMember:
    name: str
    male: bool
    born: date
    joined: date
    status: str
    relation_mode: str
    occupation: str
    username: str | None = None


JOINT_MEMBERS = [
    DemoMember("胡国华", True, date(1983, 5, 12), date(2006, 7, 1), "full", "local", "快递站点负责人", "secretary"),
    DemoMember("林小勇", True, date(1995, 9, 3), date(2018, 6, 20), "full", "mobile", "外卖骑手", "member"),
    DemoMember("王芳", False, date(1999, 2, 14), date(2025, 12, 1), "probationary", "local", "快递员"),
    DemoMember("赵磊", True, date(1990, 11, 30), date(2014, 7, 1), "full", "pocket", "网约配送员"),
    DemoMember("陈晨", True, date(1993, 4, 8), date(2016, 5, 4), "full", "local", "快递员"),  # marked lost below
    DemoMember("刘婷", False, date(1996, 8, 21), date(2020, 10, 1), "full", "mobile", "外卖骑手"),
]
OTHER_NAMES = ["周建华", "吴丽娟", "郑志强", "孙海燕", "何国平", "谢晓东"]
MODES = ["local", "local", "mobile", "pocket"]


def _id_number(rng: random.Random, born: date, male: bool, area: str) -> str:
    # python-stdnum refuses an area code for a birth date before the code existed (东湖区's 360102: before 1983),
    # so the demo's members are born after that; see the report of issue 10 part 1.
    sequence = rng.randrange(0, 499) * 2 + (1 if male else 0)
    body = f"{area[:6]}{born:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum reads the last character as the check digit's place


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def seed_demo_members() -> int:
    """Adds the demo members once (nothing if members exist or the demo's Party organizations do not)."""
    joint = PartyOrganization.objects.filter(name=JOINT_BRANCH).first()
    if joint is None or Member.objects.exists():
        return 0
    rng = random.Random(1921)
    with transaction.atomic():
        sites = list(joint.covered_organizations.order_by("pk"))
        count = 0
        for n, spec in enumerate(JOINT_MEMBERS):
            member_create(
                actor=None,
                name=spec.name,
                gender="male" if spec.male else "female",
                birth_date=spec.born,
                id_number=_id_number(rng, spec.born, spec.male, joint.region_id),
                phone=_phone(rng),
                joined_on=spec.joined,
                status=spec.status,
                party_organization=joint,
                relation_mode=spec.relation_mode,
                occupation=spec.occupation,
                education=rng.choice(["bachelor", "college", "secondary"]),
                employer=sites[n % len(sites)] if sites else None,
                user=User.objects.filter(username=spec.username).first() if spec.username else None,
            )
            count += 1
        others = PartyOrganization.objects.filter(level="branch").exclude(pk=joint.pk).order_by("region_id", "name")
        branches = [*others.filter(region__code__under="360102")[:2], *others.filter(region__code__under="360103")[:1]]
        for n, branch in enumerate(branches):
            for k in range(2):
                name = OTHER_NAMES[(2 * n + k) % len(OTHER_NAMES)]
                male = rng.random() < 0.6
                born = date(rng.randrange(1984, 2000), rng.randrange(1, 13), rng.randrange(1, 29))  # see the note in _id_number
                member_create(
                    actor=None,
                    name=name,
                    gender="male" if male else "female",
                    birth_date=born,
                    id_number=_id_number(rng, born, male, branch.region_id),
                    phone=_phone(rng),
                    joined_on=date(max(born.year + 20, 2000), 7, 1),
                    status="full" if k == 0 else "probationary",
                    party_organization=branch,
                    relation_mode=MODES[(n + k) % len(MODES)],
                    occupation=rng.choice(["工程师", "销售", "会计", "客服"]),
                    employer=branch.covered_organizations.order_by("pk").first(),
                )
                count += 1
        _seed_mobility(joint, rng)
    return count


def seed_demo_transfers() -> int:
    """One open relation transfer (已发起) from the joint branch to a Party organization in another city, so the
    receiving side has work to do; the receiving branch is made if the demo has none there. Once only."""
    joint = PartyOrganization.objects.filter(name=JOINT_BRANCH).first()
    member = Member.objects.filter(name=MOVING_MEMBER, party_organization=joint).first()
    region = Region.objects.filter(code=RECEIVING_REGION).first()
    if joint is None or member is None or region is None or Transfer.objects.exists():
        return 0
    with transaction.atomic():
        receiving = PartyOrganization.objects.filter(region=region, name=RECEIVING_BRANCH).first() or party_org_create(
            actor=None,
            name=RECEIVING_BRANCH,
            level="branch",
            establishment_form="joint",
            special_kinds=["mobile"],
            region=region,
            secretary="黄志明",
            founded_on=date(2024, 3, 15),
            term_years=3,
        )
        today = timezone.localdate()
        transfer_initiate(
            actor=None,
            member=member,
            to_organization=receiving,
            letter_number=f"赣东湖组转〔{today.year}〕001号",
            valid_until=today + timedelta(days=DEFAULT_VALIDITY_DAYS),
            reason="工作调动至九江市，在浔阳区从事外卖配送",
        )
    return 1


def _seed_mobility(joint: PartyOrganization, rng: random.Random) -> None:
    """In the joint branch: 王芳 works in Shenzhen for a season (流出), 陈晨 lost contact (失联), and the demo worker
    (赵快跑) has reported to the branch (亮身份), waiting for the demo secretary to confirm."""
    today = date.today()
    members = Member.objects.filter(party_organization=joint)
    mobile_outflow_register(
        actor=None,
        member=members.get(name="王芳"),
        destination="广东省深圳市南山区",
        starts_on=today.replace(day=1),
        ends_on=date(today.year + 1, 2, 28),
        contact=_phone(rng),
        note="随快递站点外派支援",
    )
    member_mark_lost(
        actor=None,
        member=members.get(name="陈晨"),
        on=today - timedelta(days=90),
        reason="手机停机，连续六个月未参加组织生活，多次联系未果",
    )
    worker = User.objects.filter(username="worker").first()
    if worker is not None:
        identity_report_submit(
            actor=worker,
            name=worker.full_name or "赵快跑",
            id_number=_id_number(rng, date(1997, 10, 18), True, joint.region_id),
            phone=_phone(rng),
            joined_on=date(2019, 7, 1),
            member_status="full",
            home_organization="江西省上饶市鄱阳县某村党支部",
            occupation="外卖骑手",
            employer_name="滕王阁街道外卖配送站",
            party_organization=joint,
        )
