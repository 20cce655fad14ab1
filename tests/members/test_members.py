"""Party members: every rule refused with its Chinese reason, personal data encrypted, masked and never audited in full."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone

from sanxin.core.guards import Refused
from sanxin.core.models import AuditEvent, TimelineEvent
from sanxin.members.mobility import member_mark_lost
from sanxin.members.models import Member
from sanxin.members.selectors import access_member, manageable_party_orgs, member_list
from sanxin.members.services import member_unmask, member_update
from sanxin.regions.models import Region
from tests.members_factories import id_number, make_member, member_fields
from tests.orgs_factories import make_org, party_org

TODAY = timezone.localdate()


@pytest.fixture
def branch(personas):
    return party_org(personas["county"], name="滕王阁快递党支部")


def test_create_stores_ciphertext_and_shows_masked(personas, branch):
    number = id_number(date(1988, 3, 4))
    member = make_member(personas["county"], branch, name="张三", birth_date=date(1988, 3, 4), id_number=number, phone="13912345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM members_member WHERE id = %s", [member.pk])
        raw = " ".join(cursor.fetchone())
    assert number not in raw and "13912345678" not in raw
    member = Member.objects.get(pk=member.pk)
    assert member.id_number == number and member.phone == "13912345678"
    assert member.id_number_masked == f"{number[:4]}{'*' * 10}{number[-4:]}" and member.phone_masked == "139****5678"


def test_audit_holds_no_full_id_number_or_phone(personas, branch):
    number = id_number(date(1988, 3, 4))
    member = make_member(personas["county"], branch, birth_date=date(1988, 3, 4), id_number=number, phone="13912345678")
    member_update(actor=personas["county"], member=member, phone="13687654321", status="probationary")
    member_unmask(actor=personas["county"], member=member)
    events = AuditEvent.objects.filter(action__startswith="member_")
    assert set(events.values_list("action", flat=True)) == {"member_create", "member_update", "member_unmask"}
    text = " ".join(str(e.detail) for e in events)
    for secret in (number, "13912345678", "13687654321"):
        assert secret not in text
    update = events.get(action="member_update").detail["changes"]
    assert update["phone"] == {"old": "139****5678", "new": "136****4321"} or "phone" in update


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"id_number": "360102199001010010"}, "id_number", "身份证号码校验位不正确"),
        ({"id_number": "36010219900101"}, "id_number", "身份证号码应为 18 位"),
        ({"birth_date": date(1991, 1, 1)}, "birth_date", "出生日期与身份证号码中的出生日期（1990-01-01）不一致"),
        ({"phone": "12345"}, "phone", "不是有效的 11 位大陆手机号"),
        ({"joined_on": TODAY.replace(year=TODAY.year + 1)}, "joined_on", "入党日期不能晚于今天"),
        ({"status": "applicant"}, "status", "党员状态应为 预备党员 或 正式党员"),
        ({"relation_mode": "gone"}, "relation_mode", "组织关系情况不在可选范围内"),
        ({"gender": "female"}, "gender", "性别与身份证号码不一致"),
        ({"name": " "}, "name", "姓名不能为空"),
    ],
)
def test_each_rule_is_refused_with_its_reason(personas, branch, fields, field, reason):
    data = member_fields(branch, birth_date=date(1990, 1, 1))
    data["id_number"] = id_number(date(1990, 1, 1))
    with pytest.raises(ValidationError) as refused:
        from sanxin.members.services import member_create

        member_create(actor=personas["county"], **(data | fields))
    assert reason in " ".join(refused.value.message_dict[field])
    assert not Member.objects.exists()


def test_under_eighteen_is_refused(personas, branch):
    birth = TODAY.replace(year=TODAY.year - 17)
    with pytest.raises(ValidationError, match="党员应年满 18 周岁，按出生日期现年 17 岁"):
        make_member(personas["county"], branch, birth_date=birth, id_number=id_number(birth), joined_on=TODAY)


def test_duplicate_id_number_is_refused_and_the_database_refuses_it_too(personas, branch):
    number = id_number(date(1990, 1, 1))
    first = make_member(personas["county"], branch, id_number=number)
    with pytest.raises(ValidationError, match="该身份证号码的党员已经登记"):
        make_member(personas["county"], branch, id_number=number.lower())
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(**(member_fields(branch) | {"id_number": number}))
    assert Member.objects.get().pk == first.pk


def test_party_organization_outside_the_scope_is_refused(personas, branch):
    with pytest.raises(ValidationError, match="所选党组织不在您的管辖范围内"):
        make_member(personas["other_county"], branch)
    elsewhere = party_org(personas["other_county"], name="西湖区党支部", region=Region.objects.get(code="360103"))
    member = make_member(personas["other_county"], elsewhere)
    with pytest.raises(ValidationError, match="所选党组织不在您的管辖范围内"):
        member_update(actor=personas["other_county"], member=member, party_organization=branch)


def test_employer_outside_the_scope_is_refused(personas, branch):
    firm = make_org(personas["county"], region="360102002001")
    with pytest.raises(ValidationError, match="工作单位不在您的管辖范围内"):
        make_member(
            personas["other_county"],
            party_org(personas["other_county"], name="西湖党支部", region=Region.objects.get(code="360103")),
            employer=firm,
        )


def test_without_the_capability_nothing_is_written(personas, branch):
    for persona in ("member", "instructor", "worker") if "worker" in personas else ("member", "instructor"):
        with pytest.raises(Refused):
            make_member(personas[persona], branch)
    assert not Member.objects.exists()


def test_unmask_without_the_capability_is_refused_and_not_audited(personas, branch):
    member = make_member(personas["county"], branch)
    for persona in ("industry", "zone", "member"):
        with pytest.raises(Refused):
            member_unmask(actor=personas[persona], member=member)
    assert not AuditEvent.objects.filter(action="member_unmask").exists()


def test_timeline_records_registration_and_status_changes(personas, branch):
    member = make_member(personas["county"], branch, status="probationary")
    member_update(actor=personas["county"], member=member, status="full")
    member_mark_lost(actor=personas["county"], member=member, on=timezone.localdate(), reason="电话停机")
    member_update(actor=personas["county"], member=member, occupation="网约车司机")
    steps = TimelineEvent.objects.filter(object_type="members.member", object_id=str(member.pk))
    assert [(e.label, e.to_state_label) for e in steps] == [
        ("登记党员", "预备党员"),
        ("党员状态变更", "正式党员"),
        ("标记失联", "失联党员"),
    ]


def test_scope_follows_the_party_organization(personas, branch):
    firm = make_org(personas["county"], region="360102002001")
    joint = party_org(personas["county"], name="县联合党支部", region=Region.objects.get(code="360102"), covered=[firm])
    local = make_member(personas["county"], branch, name="街道党员")
    covered = make_member(personas["county"], joint, name="联合支部党员")
    assert set(member_list(user=personas["township"])) == {local, covered}  # the joint branch covers a firm of the street
    assert set(member_list(user=personas["community"])) == {covered}
    assert not member_list(user=personas["other_county"]).exists()
    with pytest.raises(Http404):
        access_member(local.pk, user=personas["other_county"])
    # Seen through a covered organization is not owned: the community reads, but cannot edit.
    assert access_member(covered.pk, user=personas["community"]) == covered
    with pytest.raises(Http404):
        access_member(covered.pk, user=personas["community"], for_write=True)


def test_secretary_sees_and_keeps_the_members_of_their_own_party_organization(personas, branch):
    other = party_org(personas["county"], name="另一个党支部")
    assert not member_list(user=personas["secretary"]).exists()
    own = make_member(personas["county"], branch, name="书记本人", user=personas["secretary"])
    peer = make_member(personas["county"], branch, name="支部党员")
    stranger = make_member(personas["county"], other, name="别的支部党员")
    assert set(member_list(user=personas["secretary"])) == {own, peer}
    assert list(manageable_party_orgs(personas["secretary"])) == [branch]
    make_member(personas["secretary"], branch, name="书记登记的党员")
    with pytest.raises(ValidationError, match="所选党组织不在您的管辖范围内"):
        make_member(personas["secretary"], other, name="越权登记")
    with pytest.raises(Http404):
        access_member(stranger.pk, user=personas["secretary"])
    # A plain member sees only their own record, and has no member pages.
    assert not personas["member"].can("members.view")


def test_list_filters(personas, branch):
    other = party_org(personas["county"], name="社区党支部", region=Region.objects.get(code="360102002001"))
    a = make_member(personas["county"], branch, name="甲", status="probationary", occupation="外卖骑手")
    b = make_member(personas["county"], other, name="乙", relation_mode="lost")
    c = make_member(personas["county"], other, name="丙", relation_mode="mobile")
    county = personas["county"]
    assert set(member_list(user=county, region="360102002001")) == {b, c}
    assert set(member_list(user=county, party_org=str(branch.pk))) == {a}
    assert set(member_list(user=county, party_org="x")) == set()
    assert set(member_list(user=county, status="probationary")) == {a}
    assert set(member_list(user=county, relation="mobile")) == {c}
    assert set(member_list(user=county, occupation="骑手")) == {a}
    assert set(member_list(user=county, lost="1")) == {b}
    assert set(member_list(user=county, q="丙")) == {c}
