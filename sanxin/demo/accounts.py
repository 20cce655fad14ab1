"""Demo units and accounts on the real divisions of the demo province (Jiangxi, 36).

Passwords are random per database and written to a file only the operator can
read, so no deployment ever has a default password; `make run` prints them.
"""

from __future__ import annotations

import os
import secrets
import string
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from sanxin.accounts.models import Unit, UnitKind, User
from sanxin.accounts.services import grant_initial_roles, user_create
from sanxin.core.roles import Role
from sanxin.regions.models import Industry, Region, Zone, ZoneKind


@dataclass(frozen=True)
class DemoUnit:
    key: str
    name: str
    kind: str
    region: str | None
    parent: str | None = None
    industries: tuple[str, ...] = ()
    zone: str | None = None


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    unit: str
    role: str
    persona: str


DEMO_ZONE = ("八一广场商圈", ZoneKind.BUSINESS_DISTRICT, "360102002", "南昌市东湖区八一广场周边")

UNITS = [
    DemoUnit("system", "平台运维中心", UnitKind.SYSTEM, None),
    DemoUnit("province", "中共江西省委社会工作部", UnitKind.SOCIAL_WORK_DEPT, "36"),
    DemoUnit("express", "江西省快递行业党委", UnitKind.INDUSTRY_COMMITTEE, "36", "province", ("6020",)),
    DemoUnit("city", "中共南昌市委社会工作部", UnitKind.SOCIAL_WORK_DEPT, "3601", "province"),
    DemoUnit("county", "中共南昌市东湖区委两新工委", UnitKind.LIANGXIN_COMMITTEE, "360102", "city"),
    DemoUnit("county2", "中共南昌市西湖区委两新工委", UnitKind.LIANGXIN_COMMITTEE, "360103", "city"),
    DemoUnit("township", "中共东湖区滕王阁街道工作委员会", UnitKind.TOWNSHIP_COMMITTEE, "360102002", "county"),
    DemoUnit("community", "中共民巷社区委员会", UnitKind.COMMUNITY, "360102002001", "township"),
    DemoUnit("zone", "八一广场商圈综合党委", UnitKind.ZONE_COMMITTEE, "360102", "county", zone=DEMO_ZONE[0]),
    # The branch the demo secretary leads (sanxin.demo.members.JOINT_BRANCH, written in sanxin.demo.orgs).
    DemoUnit("party_org", "滕王阁街道快递外卖小哥联合党支部", UnitKind.PARTY_ORGANIZATION, "360102002", "township"),
    # A platform's own Party committee (sanxin.demo.workers links it to the platform 美团外卖).
    DemoUnit("platform", "美团外卖江西区域党委", UnitKind.PLATFORM, "36"),
]
# Units named otherwise by an earlier demo: renamed in place, so a demo database seeded before keeps its accounts.
RENAMED_UNITS = {"滕王阁街道快递外卖小哥联合党支部": "东湖区快递物流行业联合党支部"}

ACCOUNTS = [
    DemoAccount("sysadmin", "王建国", "system", Role.SYSTEM_ADMIN, "系统管理员（三员）"),
    DemoAccount("secadmin", "李安平", "system", Role.SECURITY_ADMIN, "安全管理员（三员）"),
    DemoAccount("auditadmin", "张审之", "system", Role.AUDIT_ADMIN, "审计管理员（三员）"),
    DemoAccount("jx_province", "刘红梅", "province", Role.REGION_STAFF, "省委社会工作部工作人员（省级）"),
    DemoAccount("nc_city", "陈志强", "city", Role.REGION_STAFF, "市委社会工作部工作人员（市级）"),
    DemoAccount("dh_county", "周晓燕", "county", Role.REGION_STAFF, "区两新工委工作人员（县级）"),
    DemoAccount("xh_county", "吴海波", "county2", Role.REGION_STAFF, "区两新工委工作人员（另一县级）"),
    DemoAccount("twg_street", "黄丽娟", "township", Role.GRASSROOTS_STAFF, "街道党工委工作人员（乡镇级）"),
    DemoAccount("mx_community", "徐文斌", "community", Role.GRASSROOTS_STAFF, "社区工作人员（社区级）"),
    DemoAccount("jx_express", "孙立新", "express", Role.INDUSTRY_STAFF, "快递行业党委工作人员（条）"),
    DemoAccount("byg_zone", "马春兰", "zone", Role.ZONE_STAFF, "商圈综合党委工作人员（园区/楼宇）"),
    DemoAccount("secretary", "胡国华", "party_org", Role.PARTY_SECRETARY, "党组织书记"),
    DemoAccount("instructor", "郭明亮", "county", Role.INSTRUCTOR, "党建指导员"),
    DemoAccount("member", "林小勇", "party_org", Role.MEMBER, "党员（流动党员）"),
    DemoAccount("worker", "赵快跑", "township", Role.WORKER, "外卖骑手（新就业群体）"),
    DemoAccount("meituan", "钱卫东", "platform", Role.PLATFORM_STAFF, "平台企业党组织工作人员（美团外卖）"),
]


def random_password() -> str:
    alphabet = string.ascii_letters + string.digits
    body = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"Sx{body}#{secrets.randbelow(90) + 10}"


def seed_units() -> dict[str, Unit]:
    zone_name, zone_kind, zone_region, zone_address = DEMO_ZONE
    zone, _ = Zone.objects.get_or_create(
        name=zone_name, region=Region.objects.get(code=zone_region), defaults={"kind": zone_kind, "address": zone_address}
    )
    units: dict[str, Unit] = {}
    for spec in UNITS:
        former = RENAMED_UNITS.get(spec.name)
        if former and not Unit.objects.filter(name=spec.name).exists():
            Unit.objects.filter(name=former).update(name=spec.name)
        unit, _ = Unit.objects.get_or_create(
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "region_id": spec.region,
                "parent": units.get(spec.parent) if spec.parent else None,
                "zone": zone if spec.zone else None,
            },
        )
        if spec.industries:
            unit.industries.set(Industry.objects.filter(code__in=spec.industries))
        units[spec.key] = unit
    return units


@transaction.atomic
def seed_demo_accounts(password_file: Path) -> list[tuple[DemoAccount, str | None]]:
    """Creates missing demo accounts; returns (account, new password or None if it already existed)."""
    units = seed_units()
    created: list[tuple[DemoAccount, str | None]] = []
    for spec in ACCOUNTS:
        if User.objects.filter(username=spec.username).exists():
            created.append((spec, None))
            continue
        password = random_password()
        user = user_create(
            actor=None,
            phone=f"139{secrets.randbelow(10**8):08d}",
            username=spec.username,
            full_name=spec.full_name,
            unit=units[spec.unit],
            password=password,
            must_change_password=False,
            is_demo=True,
        )
        grant_initial_roles(user=user, roles=[spec.role])
        created.append((spec, password))
    if any(password for _, password in created):
        write_password_file(password_file, created)
    return created


def write_password_file(path: Path, accounts: list[tuple[DemoAccount, str | None]]) -> None:
    known = read_password_file(path)
    lines = ["# 三新党建平台演示账号（仅供本机演示，密码随机生成）", f"{'账号':<14}{'密码':<18}身份"]
    for spec, password in accounts:
        password = password or known.get(spec.username, "（沿用之前生成的密码）")
        lines.append(f"{spec.username:<16}{password:<20}{spec.persona}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def read_password_file(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    known = {}
    for line in path.read_text(encoding="utf-8").splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 2:
            known[parts[0]] = parts[1]
    return known
