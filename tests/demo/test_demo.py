from pathlib import Path

from django.db.models import F

from sanxin.census.models import CensusCampaign, Todo
from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.appeals import seed_demo_appeals
from sanxin.demo.orgs import seed_demo_orgs
from sanxin.demo.stations import seed_demo_stations
from sanxin.demo.workers import seed_demo_workers
from sanxin.orgs.models import Organization
from sanxin.party.models import EstablishmentForm, PartyOrganization, PartyOrgLevel, SpecialKind


def test_a_demo_database_seeded_before_keeps_its_secretary_unit_renamed(db, tmp_path: Path):
    from sanxin.accounts.models import Unit
    from sanxin.demo.accounts import RENAMED_UNITS, seed_units

    new, old = next(iter(RENAMED_UNITS.items()))
    seed_units()
    Unit.objects.filter(name=new).update(name=old)  # as an earlier demo left it
    before = Unit.objects.count()
    assert seed_units()["party_org"].name == new and Unit.objects.count() == before and not Unit.objects.filter(name=old).exists()


def test_demo_seed_is_complete_and_idempotent(db, tmp_path: Path):
    seed_demo_accounts(tmp_path / "accounts.txt")
    created = seed_demo_orgs(tmp_path)
    assert created > 50
    assert seed_demo_orgs(tmp_path) == 0  # a second run adds nothing
    assert Organization.objects.filter(category="platform").exists()
    assert Organization.objects.filter(category="franchisee", parent__category="platform").exists()
    assert Organization.objects.filter(kind="social").exists()
    # Every form of establishment, every level and every special kind is there to be seen.
    assert set(PartyOrganization.objects.values_list("establishment_form", flat=True)) == set(EstablishmentForm.values)
    assert set(PartyOrganization.objects.values_list("level", flat=True)) == set(PartyOrgLevel.values)
    specials = {kind for kinds in PartyOrganization.objects.values_list("special_kinds", flat=True) for kind in kinds}
    assert specials == set(SpecialKind.values)
    assert PartyOrganization.objects.filter(special_kinds__icontains="park", zone__kind="park").exists()
    assert CensusCampaign.objects.filter(status="active").exists() and Todo.objects.exists()
    assert (tmp_path / "demo-outside-registry.xlsx").stat().st_size > 1000
    # Real divisions: every organization sits in a real community of the demo counties.
    assert not Organization.objects.exclude(region__level=5).exists()
    # Party members are among the employees.
    assert not Organization.objects.filter(employees__lt=F("formal_members") + F("probationary_members")).exists()
    assert Organization.objects.filter(probationary_members__gt=0).exists()


def test_demo_outside_registry_shows_every_outcome(db, tmp_path: Path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanxin.compare.models import Outcome
    from sanxin.compare.services import comparison_create, comparison_run
    from sanxin.regions.models import Region

    seed_demo_accounts(tmp_path / "accounts.txt")
    seed_demo_orgs(tmp_path)
    source = tmp_path / "demo-outside-registry.xlsx"
    upload = SimpleUploadedFile(source.name, source.read_bytes())
    comparison = comparison_run(comparison_create(actor=None, region=Region.objects.get(code="360102"), upload=upload).pk)
    assert all(comparison.counts[outcome] > 0 for outcome in Outcome.values), comparison.counts
    assert comparison.counts["review"] <= 3  # a short queue


def test_every_demo_persona_has_something_of_its_scope_to_see(db, tmp_path: Path):
    """The zone's organizations lie in the zone and its committee sees Party organizations; 西湖区 has
    covered organizations, Party organizations, an instructor and a campaign; streets and communities see
    the county's campaign and the instructor who works among them."""
    from sanxin.accounts.models import User
    from sanxin.core.scope import scoped
    from sanxin.instructors.models import Instructor
    from sanxin.instructors.selectors import scoped_instructors

    seed_demo_accounts(tmp_path / "accounts.txt")
    seed_demo_orgs(tmp_path)
    zone_staff = User.objects.get(username="byg_zone")
    zone = zone_staff.unit.zone
    in_zone = Organization.objects.filter(zone=zone)
    assert in_zone.count() >= 4 and not in_zone.exclude(region__code__startswith=zone.region_id).exists()
    assert scoped(PartyOrganization.objects.all(), zone_staff).filter(name="八一广场商圈综合党委").exists()
    west = User.objects.get(username="xh_county")
    assert scoped(Organization.objects.exclude(coverage_state="blank"), west).exists()
    assert scoped(PartyOrganization.objects.all(), west).count() >= 3
    assert scoped_instructors(Instructor.objects.all(), west).exists()
    assert scoped(CensusCampaign.objects.all(), west).exists()
    for username in ("twg_street", "mx_community"):
        staff = User.objects.get(username=username)
        assert scoped(CensusCampaign.objects.all(), staff).exists(), username
        assert scoped(Organization.objects.all(), staff).exists(), username
    assert scoped_instructors(Instructor.objects.all(), User.objects.get(username="twg_street")).exists()


HOME_SHOWS = {  # demo account → what its home page must offer it to do
    "sysadmin": ["单位", "用户"],
    "secadmin": ["待授予角色的账号"],
    "auditadmin": ["近 24 小时审计事件"],
    "jx_province": ["待办事项", "进行中的摸排行动", "空白点"],
    "nc_city": ["待办事项", "进行中的摸排行动"],
    "dh_county": ["待办事项", "2026 年东湖区两新组织党建集中摸排", "诉求办理"],
    "xh_county": ["待办事项", "2026 年西湖区快递外卖行业党建摸排"],
    "twg_street": ["2026 年东湖区两新组织党建集中摸排", "空白点", "诉求办理", "待受理"],
    "mx_community": ["2026 年东湖区两新组织党建集中摸排", "空白点"],
    "jx_express": ["待办事项", "空白点"],
    "byg_zone": ["待办事项", "2026 年东湖区两新组织党建集中摸排"],
    "instructor": ["我联系的组织", "记录走访"],
    "secretary": ["您的账号目前能做的事", "党员管理"],
    "member": ["您的账号目前能做的事", "亮身份"],
    "worker": ["附近驿站", "我的诉求", "请评价", "请答复"],  # the phone home (/w/)
    "meituan": ["涉及美团外卖的诉求", "通行与停车", "涉及本平台的从业人员诉求"],
}


def test_every_demo_personas_home_shows_what_it_can_do(db, tmp_path: Path, settings):
    from django.test import Client

    from sanxin.accounts.models import User
    from sanxin.demo.accounts import ACCOUNTS

    settings.SANXIN_OTP_REQUIRED = False
    seed_demo_accounts(tmp_path / "accounts.txt")
    seed_demo_orgs(tmp_path)
    seed_demo_workers()
    seed_demo_stations()
    seed_demo_appeals()
    assert set(HOME_SHOWS) == {a.username for a in ACCOUNTS}
    for username, expected in HOME_SHOWS.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        page = client.get("/", follow=True).content.decode()
        for text in expected:
            assert text in page, (username, text)
        assert "没有可查看的统计数据" not in page, username


def test_demo_members_of_every_relation_mode_are_seen_by_the_secretary(db, tmp_path: Path, settings):
    from django.test import Client

    from sanxin.accounts.models import User
    from sanxin.demo.members import JOINT_BRANCH, seed_demo_members
    from sanxin.members.models import Member, MemberStatus, RelationMode
    from sanxin.members.selectors import member_list

    settings.SANXIN_OTP_REQUIRED = False
    seed_demo_accounts(tmp_path / "accounts.txt")
    seed_demo_orgs(tmp_path)
    assert seed_demo_members() > 6
    assert seed_demo_members() == 0  # a second run adds nothing
    joint = Member.objects.filter(party_organization__name=JOINT_BRANCH)
    assert set(joint.values_list("relation_mode", flat=True)) == set(RelationMode.values)
    assert set(joint.values_list("status", flat=True)) == set(MemberStatus.values)
    secretary = User.objects.get(username="secretary")
    assert set(member_list(user=secretary)) == set(joint)
    # The secretary's unit is the branch they lead.
    assert secretary.unit.name == JOINT_BRANCH == joint.get(user=secretary).party_organization.name
    assert joint.get(user__username="member").relation_mode == "mobile"
    assert member_list(user=User.objects.get(username="xh_county")).exists()
    client = Client()
    client.force_login(secretary)
    page = client.get("/members/").content.decode()
    assert ">林小勇<" in page and "共 <strong>6</strong> 条" in page


def test_demo_has_an_open_transfer_to_another_city(db, tmp_path: Path, settings):
    from django.test import Client

    from sanxin.accounts.models import User
    from sanxin.demo.members import JOINT_BRANCH, RECEIVING_BRANCH, seed_demo_members, seed_demo_transfers
    from sanxin.members.models import Transfer, TransferState
    from sanxin.members.transfers import transfer_list, transfer_steps

    settings.SANXIN_OTP_REQUIRED = False
    seed_demo_accounts(tmp_path / "accounts.txt")
    seed_demo_orgs(tmp_path)
    seed_demo_members()
    assert seed_demo_transfers() == 1
    assert seed_demo_transfers() == 0  # a second run adds nothing
    transfer = Transfer.objects.get()
    assert transfer.state == TransferState.INITIATED and transfer.from_organization.name == JOINT_BRANCH
    assert transfer.to_organization.name == RECEIVING_BRANCH and transfer.to_organization.region_id.startswith("3604")
    assert not transfer.from_organization.region_id.startswith("3604")
    # The sending side (the branch's secretary) sees it going out and may cancel; the province may answer it.
    secretary = User.objects.get(username="secretary")
    assert list(transfer_list(user=secretary, direction="out")) == [transfer]
    assert [s.name for s in transfer_steps(transfer, secretary)] == ["cancel"]
    province = User.objects.filter(unit__region_id="36", roles__role="region_staff").first()
    assert province is not None and {"accept", "reject"} <= {s.name for s in transfer_steps(transfer, province)}
    client = Client()
    client.force_login(secretary)
    assert ">刘婷<" in client.get("/members/transfers/?direction=out").content.decode()


def test_demo_meetings_have_gaps_and_one_the_member_can_sign_in_to_now(db, tmp_path: Path, settings):
    from django.test import Client

    from sanxin.accounts.models import User
    from sanxin.demo.life import seed_demo_meetings
    from sanxin.demo.members import JOINT_BRANCH, seed_demo_members
    from sanxin.life.models import Meeting
    from sanxin.life.selectors import meeting_list

    settings.SANXIN_OTP_REQUIRED = False
    seed_demo_accounts(tmp_path / "accounts.txt")
    seed_demo_orgs(tmp_path)
    seed_demo_members()
    assert seed_demo_meetings() > 10
    assert seed_demo_meetings() == 0  # a second run adds nothing
    # Every branch with members held meetings, and each left some required ones out (the gaps).
    branches = {m.party_organization.name for m in Meeting.objects.select_related("party_organization")}
    assert JOINT_BRANCH in branches and len(branches) >= 3
    for name in branches:
        held = set(Meeting.objects.filter(party_organization__name=name).values_list("meeting_type__code", flat=True))
        assert held, name
    # The joint branch's 党小组会 of the middle month is one of the gaps, its 支委会 of that month was held.
    from django.utils import timezone

    from sanxin.demo.life import _months
    from sanxin.life.models import period_key
    from sanxin.life.selectors import required_and_held
    from sanxin.party.models import PartyOrganization

    middle = _months(timezone.localdate())[1]
    rows = {r["type"].code: r for r in required_and_held(PartyOrganization.objects.get(name=JOINT_BRANCH), year=middle.year)}
    assert period_key("monthly", middle) in rows["group_meeting"]["missing"]
    assert period_key("monthly", middle) in rows["branch_committee"]["held"]
    secretary = User.objects.get(username="secretary")
    assert set(meeting_list(user=secretary)) == set(Meeting.objects.filter(party_organization__name=JOINT_BRANCH))
    now_meeting = Meeting.objects.get(topic__startswith="云上主题党日")
    client = Client()
    client.force_login(User.objects.get(username="member"))
    response = client.post("/life/sign-in/", {"code": now_meeting.code}, follow=True)
    assert "签到成功：云上主题党日：学习新就业群体党建工作经验（线上参会）" in response.content.decode()
