"""Demo organizations, Party organizations, instructors and a census campaign on the real
townships and communities of 东湖区 (360102) and 西湖区 (360103), plus an outside registry file
with realistic name variants to try the data comparison on."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from sanxin.accounts.models import Unit, User
from sanxin.census import services as census_services
from sanxin.census.models import CENSUS_ITEMS
from sanxin.census.selectors import campaign_organizations
from sanxin.core.exports import Column, xlsx_bytes
from sanxin.coverage.compute import recompute_all
from sanxin.coverage.figures import snapshot_month
from sanxin.instructors import services as instructor_services
from sanxin.orgs.importing import COLUMNS as ORGANIZATION_COLUMNS
from sanxin.orgs.models import Organization, OrgCategory, kind_of
from sanxin.party.services import party_org_create
from sanxin.regions.models import Industry, Region, Zone, ZoneKind

COUNTIES = ["360102", "360103"]
PLATFORMS = [  # (brand, industry, site word)
    ("顺丰速运", "6020", "营业点"),
    ("中通快递", "6020", "网点"),
    ("韵达快递", "6020", "网点"),
    ("京东物流", "6020", "站点"),
    ("美团外卖", "6242", "配送站"),
    ("饿了么", "6242", "配送站"),
    ("滴滴出行", "5412", "服务站"),
    ("货拉拉", "543", "服务站"),
]
FIRMS = [
    ("赣江", "网络科技有限公司", "64", "private"),
    ("豫章", "信息技术有限公司", "64", "private"),
    ("洪都", "机械制造有限公司", "C", "private"),
    ("滕王", "商贸有限公司", "51", "private"),
    ("八一", "餐饮管理有限公司", "H", "private"),
    ("绳金塔", "物业服务有限公司", "K", "private"),
    ("青山湖", "建筑工程有限公司", "E", "mixed"),
    ("象湖", "电子科技有限公司", "C", "foreign"),
    ("万寿宫", "文化传媒有限公司", "88", "private"),
    ("朝阳", "家政服务有限公司", "80", "private"),
]
SOCIAL = [
    ("南昌市{}区快递行业协会", "7281", "association"),
    ("江西{}律师事务所", "7231", "law_firm"),
    ("江西{}会计师事务所", "7241", "accounting"),
    ("南昌{}培训学校", "83", "school"),
    ("{}社会工作服务中心", "Z", "social_service"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马胡朱郭何罗高林"
PARK = ("东湖数字经济产业园", "360102", "南昌市东湖区青山南路")  # a park with its own Party working committee
PARK_INDUSTRIES = {"64", "C"}  # the firms of these industries in 东湖区 sit in the park


def _code(rng: random.Random, region: str) -> str:
    body = f"9{'1' if rng.random() < 0.9 else '2'}{region[:6]}MA{rng.randrange(36**7):07X}"[:17].replace("I", "J").replace("O", "P")
    body = body.replace("S", "T").replace("V", "W").replace("Z", "Y")
    return body + uscc.calc_check_digit(body)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(["建华", "丽娟", "志强", "海燕", "国平", "晓东", "春梅", "文斌", "永红", "新民"])


def seed_demo_orgs(data_dir: Path) -> int:
    if Organization.objects.filter(region__code__under="360102").exists():
        return 0
    with transaction.atomic():
        count = _seed(random.Random(36))
    write_outside_registry(data_dir / "demo-outside-registry.xlsx", random.Random(3601))
    return count


def _seed(rng: random.Random) -> int:
    industries = {i.code: i for i in Industry.objects.all()}
    district = Zone.objects.filter(name="八一广场商圈").first()
    park, _ = Zone.objects.get_or_create(
        name=PARK[0], region=Region.objects.get(code=PARK[1]), defaults={"kind": ZoneKind.PARK, "address": PARK[2]}
    )
    county_user = User.objects.filter(username="dh_county").first()
    communities = {c: list(Region.objects.filter(code__under=c, level=5)) for c in COUNTIES}
    orgs: list[Organization] = []

    def add(name, category, industry, region, *, parent=None, employees=None, members=None, zone=None):
        employees = employees if employees is not None else rng.choice([8, 15, 30, 60, 120, 300])
        formal = members if members is not None else min(employees, rng.choice([0, 0, 1, 2, 3, 5, 8]))
        probationary = min(rng.choice([0, 0, 1]), employees - formal)  # members are among the employees
        org = Organization(
            credit_code=_code(rng, region.code),
            name=name,
            kind=kind_of(category),
            category=category,
            industry=industries[industry],
            region=region,
            zone=zone,
            address=f"{region.full_name.replace(' ', '')}{rng.randrange(1, 300)}号",
            legal_representative=_person(rng),
            employees=employees,
            formal_members=formal,
            probationary_members=probationary,
            established_on=date(rng.randrange(2005, 2025), rng.randrange(1, 13), rng.randrange(1, 28)),
            parent=parent,
            is_above_scale=employees >= 100,
            is_top500_private=name.startswith(("顺丰", "京东")),
            is_top100_internet=name.startswith(("美团", "滴滴", "京东")),
        )
        org.save()
        orgs.append(org)
        return org

    city_region = {c: communities[c][0] for c in COUNTIES}
    for brand, industry, site in PLATFORMS:
        head = add(f"{brand}（南昌）有限公司", OrgCategory.PLATFORM, industry, city_region["360102"], employees=800, members=12)
        for county in COUNTIES:
            for community in rng.sample(communities[county], 3):
                short = community.name.replace("社区居委会", "").replace("村委会", "")
                add(
                    f"{brand}南昌{short}{site}", OrgCategory.FRANCHISEE, industry, community, parent=head, employees=rng.choice([6, 12, 25])
                )
        if industry == "6020":
            add(
                f"{brand}南昌分拣中心",
                OrgCategory.SORTING_CENTER,
                industry,
                rng.choice(communities["360103"]),
                parent=head,
                employees=220,
                members=4,
            )
    # The business district lies in 滕王阁街道: the firms in it sit in that street's communities.
    district_communities = [c for c in communities["360102"] if district and c.code.startswith(district.region_id)]
    for county in COUNTIES:
        in_district = 0
        for prefix, suffix, industry, category in FIRMS:
            community = rng.choice(communities[county])
            zone = None
            if county == "360102" and industry in PARK_INDUSTRIES:
                zone = park
            elif county == "360102" and district_communities and in_district < 4:
                community, zone, in_district = rng.choice(district_communities), district, in_district + 1
            add(f"南昌{prefix}{suffix}", category, industry, community, zone=zone)
        for pattern, industry, category in SOCIAL:
            word = "东湖" if county == "360102" else "西湖"
            add(pattern.format(word), category, industry, rng.choice(communities[county]), employees=rng.choice([10, 25, 40]))

    _seed_party_orgs(rng, orgs, county_user, district)
    _seed_instructors_and_census(rng, orgs, county_user)
    _seed_west_county(rng, orgs)
    _seed_monthly_snapshots()
    return len(orgs)


def _seed_monthly_snapshots(months: int = 6) -> None:
    """Coverage as it stood at the end of each past month (Party organizations founded and
    instructors assigned since then did not count yet), kept as monthly snapshots for the trend."""
    today = timezone.localdate()
    first = today.replace(day=1)
    for back in range(months, 0, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        start = date(year, month + 1, 1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        recompute_all(today=end)
        snapshot_month(start)
    recompute_all()


def _seed_party_orgs(rng, orgs, actor, district):
    street = Region.objects.get(code="360102002")
    industries = {i.code: i for i in Industry.objects.all()}
    committee = party_org_create(
        actor=actor,
        name="中共南昌市东湖区快递物流行业委员会",
        level="committee",
        establishment_form="industry",
        special_kinds=["industry_committee"],
        region=Region.objects.get(code="360102"),
        industry=industries["6020"],
        secretary="胡国华",
        founded_on=date(2021, 6, 18),
        last_election_on=date(2023, 11, 20),
        term_years=3,
        covered=(),
    )
    big = [o for o in orgs if o.formal_members >= 3 and o.region.code.startswith("360102")]
    for org in big[: max(1, len(big) // 2)]:
        party_org_create(
            actor=actor,
            name=f"中共{org.name}支部委员会",
            level="branch",
            establishment_form="standalone",
            region=org.region,
            industry=org.industry,
            parent=committee if org.industry.code == "6020" else None,
            secretary=_person(rng),
            founded_on=timezone.localdate() - timedelta(days=rng.randrange(20, 400)),
            last_election_on=None,
            term_years=3,
            covered=[org],
        )
    sites = [o for o in orgs if o.category == OrgCategory.FRANCHISEE and o.region.code.startswith("360102002")]
    if sites:
        party_org_create(
            actor=actor,
            name="滕王阁街道快递外卖小哥联合党支部",
            level="branch",
            establishment_form="joint",
            special_kinds=["mobile"],
            region=street,
            parent=committee,
            secretary="胡国华",
            founded_on=date(2024, 3, 5),
            term_years=3,
            covered=sites[:4],
        )
    district_orgs = [o for o in orgs if district and o.zone_id == district.pk]
    if district_orgs:
        district_committee = party_org_create(
            actor=actor,
            name="八一广场商圈综合党委",
            level="committee",
            establishment_form="building",
            special_kinds=["comprehensive"],
            region=Region.objects.get(code=district.region_id),
            zone=district,
            secretary="马春兰",
            founded_on=date(2022, 9, 1),
            term_years=5,
            covered=district_orgs[:2],
        )
        party_org_create(
            actor=actor,
            name="八一广场商圈商户联合党支部",
            level="branch",
            establishment_form="building",
            region=Region.objects.get(code=district.region_id),
            zone=district,
            parent=district_committee,
            secretary=_person(rng),
            founded_on=date(2024, 7, 1),
            term_years=3,
            covered=district_orgs[2:4],
        )
    park_orgs = [o for o in orgs if o.zone_id and o.zone.kind == ZoneKind.PARK]
    if park_orgs:
        park_committee = party_org_create(
            actor=actor,
            name="东湖数字经济产业园党工委",
            level="committee",
            establishment_form="area",
            special_kinds=["park"],
            region=Region.objects.get(code="360102"),
            zone=park_orgs[0].zone,
            secretary="罗志刚",
            founded_on=date(2021, 3, 15),
            last_election_on=date(2024, 3, 20),
            term_years=5,
            covered=[],
        )
        chain = [o for o in park_orgs if o.industry.code == "C"]
        party_org_create(
            actor=actor,
            name="产业园电子信息产业链联合党支部",
            level="branch",
            establishment_form="chain",
            region=Region.objects.get(code="360102"),
            zone=park_orgs[0].zone,
            industry=industries["C"],
            parent=park_committee,
            secretary=_person(rng),
            founded_on=date(2023, 7, 1),
            term_years=3,
            covered=chain or park_orgs[:1],
        )
    platform = next(o for o in orgs if o.category == OrgCategory.PLATFORM and o.name.startswith("美团"))
    platform_sites = [o for o in orgs if o.parent_id == platform.pk and o.region.code.startswith("360102")]
    platform_branch = party_org_create(
        actor=actor,
        name="中共美团外卖南昌骑手总支部委员会",
        level="general_branch",
        establishment_form="platform",
        special_kinds=["mobile"],
        region=platform.region,
        industry=platform.industry,
        secretary=_person(rng),
        founded_on=date(2020, 11, 8),
        # Elected 1 January three years ago: the next election falls due within 90 days or has passed,
        # so the reminders show in the demo.
        last_election_on=date(timezone.localdate().year - 3, 1, 1),
        term_years=3,
        covered=[platform, *platform_sites],
    )
    party_org_create(
        actor=actor,
        name="美团骑手党员教育培训班临时党支部",
        level="provisional",
        establishment_form="platform",
        region=platform.region,
        industry=platform.industry,
        parent=platform_branch,
        secretary=_person(rng),
        founded_on=timezone.localdate() - timedelta(days=15),
        term_years=3,
        covered=[],
    )
    young = [o for o in orgs if o.industry.code == "64"][:2]
    party_org_create(
        actor=actor,
        name="东湖区互联网企业青年人才党支部",
        level="branch",
        establishment_form="area",
        special_kinds=["young_talent"],
        region=Region.objects.get(code="360102"),
        industry=industries["64"],
        founded_on=date(2023, 5, 4),
        term_years=3,
        covered=young,
    )


def _seed_instructors_and_census(rng, orgs, actor):
    county_unit = Unit.objects.get(name="中共南昌市东湖区委两新工委")
    instructor_user = User.objects.filter(username="instructor").first()
    instructor = instructor_services.instructor_create(
        actor=actor, name="郭明亮", kind="instructor", unit=county_unit, title="区两新工委专职党建指导员", user=instructor_user
    )
    liaison = instructor_services.instructor_create(actor=actor, name="彭晓梅", kind="liaison", unit=county_unit, title="街道党建联络员")
    today = timezone.localdate()
    blanks = [o for o in orgs if o.region.code.startswith("360102") and not o.party_organizations.exists()]
    for index, org in enumerate(blanks[:8]):
        who = instructor if index % 2 == 0 else liaison
        assignment = instructor_services.assignment_create(
            actor=actor, instructor=who, organization=org, started_on=today - timedelta(days=120)
        )
        instructor_services.visit_create(
            actor=actor,
            assignment=assignment,
            visited_on=today - timedelta(days=rng.randrange(1, 90)),
            content="宣讲党的政策，了解党员情况，指导开展党建工作",
            problems=rng.choice(["", "党员组织关系未转入", "缺少活动场所"]),
        )
    campaign = census_services.census_campaign_create(
        actor=actor,
        name="2026 年东湖区两新组织党建集中摸排",
        region=Region.objects.get(code="360102"),
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
    )
    campaign = census_services.campaign_start(actor=actor, campaign=campaign)
    targets = list(campaign_organizations(campaign))
    for org in rng.sample(targets, len(targets) // 2):
        census_services.census_record_save(
            actor=actor,
            campaign=campaign,
            organization=org,
            censused_on=today - timedelta(days=rng.randrange(0, 25)),
            employees=org.employees,
            formal_members=org.formal_members,
            probationary_members=org.probationary_members,
            **{key: f"{label}：已核实" for key, label in CENSUS_ITEMS},
        )


def _seed_west_county(rng, orgs):
    """西湖区 has its own covered organizations, Party organizations, an instructor and a campaign, so its
    officer has something to see and to do."""
    actor = User.objects.filter(username="xh_county").first()
    unit = Unit.objects.get(name="中共南昌市西湖区委两新工委")
    west = [o for o in orgs if o.region.code.startswith("360103")]
    today = timezone.localdate()
    for org in [o for o in west if o.formal_members >= 3][:3]:
        party_org_create(
            actor=actor,
            name=f"中共{org.name}支部委员会",
            level="branch",
            establishment_form="standalone",
            region=org.region,
            industry=org.industry,
            secretary=_person(rng),
            founded_on=today - timedelta(days=rng.randrange(100, 900)),
            term_years=3,
            covered=[org],
        )
    sites = [o for o in west if o.category == OrgCategory.FRANCHISEE]
    street = sites[0].region.parent if sites else Region.objects.filter(code__under="360103", level=4).first()
    party_org_create(
        actor=actor,
        name=f"{street.name}快递外卖网点联合党支部",
        level="branch",
        establishment_form="joint",
        special_kinds=["mobile"],
        region=street,
        secretary=_person(rng),
        founded_on=date(2023, 10, 12),
        term_years=3,
        covered=sites[:3],
    )
    instructor = instructor_services.instructor_create(
        actor=actor, name="谢文华", kind="instructor", unit=unit, title="区两新工委党建指导员"
    )
    blanks = [o for o in west if not o.party_organizations.exists()][:4]
    for org in blanks:
        assignment = instructor_services.assignment_create(
            actor=actor, instructor=instructor, organization=org, started_on=today - timedelta(days=60)
        )
        instructor_services.visit_create(
            actor=actor,
            assignment=assignment,
            visited_on=today - timedelta(days=rng.randrange(1, 50)),
            content="了解经营和党员情况，动员流动党员亮身份",
            problems=rng.choice(["", "从业人员流动性大", "党员组织关系不在本地"]),
        )
    campaign = census_services.census_campaign_create(
        actor=actor,
        name="2026 年西湖区快递外卖行业党建摸排",
        region=Region.objects.get(code="360103"),
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=50),
    )
    campaign = census_services.campaign_start(actor=actor, campaign=campaign)
    targets = list(campaign_organizations(campaign))
    for org in rng.sample(targets, len(targets) // 3):
        census_services.census_record_save(
            actor=actor,
            campaign=campaign,
            organization=org,
            censused_on=today - timedelta(days=rng.randrange(0, 9)),
            employees=org.employees,
            formal_members=org.formal_members,
            probationary_members=org.probationary_members,
            **{key: f"{label}：已核实" for key, label in CENSUS_ITEMS},
        )


LOOK_ALIKE = {"达": "大", "通": "同", "丰": "风", "源": "元", "华": "桦", "顺": "瞬", "兴": "星", "恒": "横", "昌": "长", "信": "欣"}


def _misspelt(name: str) -> str:
    """One look-alike character swapped, as a clerk might type it."""
    for i, char in enumerate(name[2:], start=2):
        if char in LOOK_ALIKE:
            return name[:i] + LOOK_ALIKE[char] + name[i + 1 :]
    return name + "商行"


def write_outside_registry(path: Path, rng: random.Random) -> None:
    """A market-regulation style export of 东湖区 that shows every outcome of a comparison.

    Most firms again under the names other offices write (region prefix, brackets, 有限责任公司),
    a fifth without a credit code; two firms left out (missing); one deregistered there (gone);
    misspelt names without a code, one at the firm's own address (matched), one with no address and
    one under another credit code (review); new firms (blank-spot candidates); a row of 西湖区 (outside).
    """

    def row(org, *, code, name, status="存续", address=None):
        return {
            "统一社会信用代码": code,
            "单位名称": name,
            "单位类别": org.get_category_display(),
            "所属行业": org.industry.name,
            "所在地区代码": org.region_id,
            "详细地址": org.address if address is None else address,
            "法定代表人": org.legal_representative,
            "从业人员数": org.employees,
            "成立日期": org.established_on,
            "登记状态": status,
            "上级单位统一社会信用代码": org.parent.credit_code if org.parent else "",
        }

    def new_firm(name, community, *, code=True):
        return {
            "统一社会信用代码": _code(rng, community) if code else "",
            "单位名称": name,
            "单位类别": "私营企业",
            "所属行业": "批发零售",
            "所在地区代码": community,
            "法定代表人": _person(rng),
            "从业人员数": rng.choice([12, 30, 55]),
            "成立日期": date(2025, rng.randrange(1, 12), 8),
            "登记状态": "存续",
        }

    orgs = list(Organization.objects.filter(region__code__under="360102").select_related("industry", "parent").order_by("pk"))
    left_out, gone, at_home, no_address, other_code = orgs[3], orgs[8], orgs[11], orgs[14], orgs[17]
    rows = []
    for org in orgs:
        if org in (left_out, at_home, no_address, other_code):
            continue
        roll = rng.random()
        name = org.name
        if roll < 0.15:
            name = name.replace("（", "(").replace("）", ")")
        elif roll < 0.25:
            name = name.replace("有限公司", "有限责任公司")
        elif roll < 0.35 and not name.startswith(("江西", "南昌")):
            name = "江西省" + name
        code = "" if rng.random() < 0.2 else org.credit_code
        rows.append(row(org, code=code, name=name, status="注销" if org == gone else "存续"))
    rows.append(row(at_home, code="", name=_misspelt(at_home.name)))
    rows.append(row(no_address, code="", name=_misspelt(no_address.name), address=""))
    rows.append(row(other_code, code=_code(rng, other_code.region_id), name=other_code.name))
    communities = list(Region.objects.filter(code__under="360102", level=5).values_list("code", flat=True))
    for word in ["红谷", "滨江", "百花洲", "墩子塘", "彭家桥", "贤士湖"]:
        rows.append(new_firm(f"南昌{word}供应链管理有限公司", rng.choice(communities), code=word != "贤士湖"))
    rows.append(new_firm("南昌西湖桥头餐饮管理有限公司", "360103001001"))
    headers = [c.header for c in ORGANIZATION_COLUMNS]
    columns = [Column(header, lambda row, header=header: row.get(header, "")) for header in headers]
    content, _ = xlsx_bytes("市场主体名录", columns, rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
