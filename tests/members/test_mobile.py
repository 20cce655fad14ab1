"""流动党员: outflow and inflow registrations kept as history, lost contact marked and recovered; every rule broken
is refused with its Chinese reason and writes nothing; every write is audited and on the member's timeline."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from sanxin.core.guards import Refused
from sanxin.core.models import AuditEvent, TimelineEvent
from sanxin.members.mobility import (
    lost_member_list,
    member_mark_lost,
    member_recover,
    mobile_counts,
    mobile_inflow_register,
    mobile_outflow_register,
    mobile_registration_end,
    mobile_registration_list,
)
from sanxin.members.models import LostContact, Member, MobileRegistration
from sanxin.regions.models import Region
from tests.members_factories import make_member
from tests.orgs_factories import party_org

TODAY = timezone.localdate()


@pytest.fixture
def branch(personas):
    return party_org(personas["county"], name="滕王阁快递外卖联合党支部")


@pytest.fixture
def elsewhere(personas):
    return party_org(personas["other_county"], name="西湖区快递联合党支部", region=Region.objects.get(code="360103001"))


@pytest.fixture
def member(personas, branch):
    return make_member(personas["county"], branch, name="李外出")


def writes() -> tuple:
    return (
        MobileRegistration.objects.count(),
        MobileRegistration.objects.filter(ends_on__isnull=False).count(),
        LostContact.objects.count(),
        LostContact.objects.filter(recovered_on__isnull=False).count(),
        tuple(Member.objects.order_by("pk").values_list("relation_mode", flat=True)),
        TimelineEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(call, reason: str) -> None:
    before = writes()
    with pytest.raises(ValidationError) as error:
        call()
    assert reason in " ".join(error.value.messages), error.value.messages
    assert writes() == before


def timeline_labels(member) -> list[str]:
    return list(TimelineEvent.objects.filter(object_type="members.member", object_id=str(member.pk)).values_list("label", flat=True))


def test_outflow_is_registered_kept_as_history_and_ended(personas, member, elsewhere):
    county = personas["county"]
    start = TODAY - timedelta(days=60)
    out = mobile_outflow_register(
        actor=county, member=member, destination="浙江省杭州市", destination_organization=elsewhere, starts_on=start, contact="13912345678"
    )
    member.refresh_from_db()
    assert (out.direction, out.destination, out.destination_organization, member.relation_mode) == (
        "outflow",
        "浙江省杭州市",
        elsewhere,
        "local",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM members_mobileregistration WHERE id = %s", [out.pk])
        assert "13912345678" not in cursor.fetchone()[0]
    assert out.contact_masked == "139****5678"
    assert "139****5678" in str(AuditEvent.objects.get(action="mobile_outflow_register").detail)
    assert list(mobile_registration_list(user=personas["township"], direction="outflow")) == [out]
    assert mobile_counts(user=personas["township"]) == {"outflow": 1, "inflow": 0, "lost": 0}
    # The destination Party organization's side sees it too (its outflow count is who comes to it).
    assert mobile_counts(user=personas["other_county"]) == {"outflow": 1, "inflow": 0, "lost": 0}
    assert mobile_counts(user=personas["outsider"]) == {"outflow": 0, "inflow": 0, "lost": 0}
    refused(lambda: mobile_outflow_register(actor=county, member=member, destination="上海", starts_on=TODAY), "已有进行中的流出登记")
    mobile_registration_end(actor=county, registration=out, ends_on=TODAY - timedelta(days=1), note="已返回")
    out.refresh_from_db()
    assert out.ends_on == TODAY - timedelta(days=1) and not mobile_registration_list(user=county).exists()
    assert list(mobile_registration_list(user=county, active=False)) == [out]  # the history stays
    refused(lambda: mobile_registration_end(actor=county, registration=out, ends_on=TODAY), "已于")
    second = mobile_outflow_register(actor=county, member=member, destination="上海市浦东新区", starts_on=TODAY)
    assert MobileRegistration.objects.filter(member=member).count() == 2 and second.destination_organization is None
    assert timeline_labels(member) == ["登记党员", "登记流出", "流出结束", "登记流出"]


def test_outflow_rules(personas, member, branch):
    county = personas["county"]
    refused(
        lambda: mobile_outflow_register(
            actor=county, member=member, destination="上海", starts_on=TODAY, ends_on=TODAY - timedelta(days=1)
        ),
        "流动结束日期（",
    )
    refused(lambda: mobile_outflow_register(actor=county, member=member, destination=" ", starts_on=TODAY), "请填写流入地")
    refused(
        lambda: mobile_outflow_register(actor=county, member=member, destination_organization=branch, starts_on=TODAY),
        "流入地党组织不能是该党员现在所在的党组织",
    )
    refused(lambda: mobile_outflow_register(actor=county, member=member, destination="上海", starts_on=TODAY, contact="123"), "手机号")
    refused(
        lambda: mobile_outflow_register(actor=personas["other_county"], member=member, destination="上海", starts_on=TODAY),
        "不在您的管辖范围内",
    )
    with pytest.raises(Refused):
        mobile_outflow_register(actor=personas["instructor"], member=member, destination="上海", starts_on=TODAY)
    mobile_member = make_member(county, branch, name="流入者", relation_mode="mobile")
    refused(
        lambda: mobile_outflow_register(actor=county, member=mobile_member, destination="上海", starts_on=TODAY),
        "应由其组织关系所在党组织登记流出",
    )


def test_inflow_makes_the_member_mobile_and_ending_keeps_the_history(personas, member):
    county = personas["county"]
    inflow = mobile_inflow_register(
        actor=county, member=member, home_organization="安徽省合肥市某党支部", starts_on=TODAY - timedelta(days=10)
    )
    member.refresh_from_db()
    assert (inflow.direction, member.relation_mode) == ("inflow", "mobile")
    assert timeline_labels(member) == ["登记党员", "组织关系情况变更", "登记流入"]
    assert (
        AuditEvent.objects.filter(action="member_update").exists() and AuditEvent.objects.filter(action="mobile_inflow_register").exists()
    )
    refused(lambda: mobile_inflow_register(actor=county, member=member, home_organization="x", starts_on=TODAY), "已有进行中的流入登记")
    refused(lambda: mobile_inflow_register(actor=county, member=member, home_organization=" ", starts_on=TODAY), "请填写组织关系所在党组织")
    refused(lambda: mobile_registration_end(actor=county, registration=inflow, ends_on=TODAY - timedelta(days=20)), "不能早于开始日期")
    refused(lambda: mobile_registration_end(actor=county, registration=inflow, ends_on=TODAY + timedelta(days=1)), "不能晚于今天")
    mobile_registration_end(actor=county, registration=inflow, ends_on=TODAY)
    assert mobile_counts(user=county)["inflow"] == 1  # it ends today: still attending today


def test_lost_contact_is_marked_once_and_recovered_to_the_previous_mode(personas, branch):
    county = personas["county"]
    member = make_member(county, branch, name="王失联", relation_mode="pocket")
    lost_on = TODAY - timedelta(days=30)
    lost = member_mark_lost(actor=county, member=member, on=lost_on, reason="电话停机，半年未参加组织生活")
    member.refresh_from_db()
    assert (member.relation_mode, lost.previous_mode, lost.lost_on) == ("lost", "pocket", lost_on)
    rows = list(lost_member_list(user=personas["township"]))
    assert [(m.name, m.lost_on, m.lost_reason) for m in rows] == [("王失联", lost_on, "电话停机，半年未参加组织生活")]
    assert mobile_counts(user=county)["lost"] == 1 and mobile_counts(user=personas["other_county"])["lost"] == 0
    refused(
        lambda: member_mark_lost(actor=county, member=member, on=TODAY, reason="再次"),
        f"“王失联”已标记为失联（{lost_on:%Y-%m-%d} 起），不能重复标记",
    )
    refused(lambda: mobile_outflow_register(actor=county, member=member, destination="上海", starts_on=TODAY), "须先恢复联系")
    refused(lambda: member_recover(actor=county, member=member, on=TODAY, note=""), "请填写恢复联系的情况说明")
    refused(lambda: member_recover(actor=county, member=member, on=lost_on - timedelta(days=1), note="联系上了"), "不能早于失联日期")
    member_recover(actor=county, member=member, on=TODAY, note="本人回电，在外地打工")
    member.refresh_from_db()
    lost.refresh_from_db()
    assert (member.relation_mode, lost.recovered_on, lost.recovery_note) == ("pocket", TODAY, "本人回电，在外地打工")
    assert timeline_labels(member) == ["登记党员", "标记失联", "恢复联系"]
    events = TimelineEvent.objects.filter(object_type="members.member", object_id=str(member.pk), label="标记失联").get()
    assert "电话停机" in events.note and events.to_state == "lost"
    audit = AuditEvent.objects.get(action="member_recover")
    assert audit.detail["changes"]["relation_mode"] == {"old": "lost", "new": "pocket"}
    # Marked again later: a second record, the history kept.
    member_mark_lost(actor=county, member=member, on=TODAY, reason="又联系不上")
    assert LostContact.objects.filter(member=member).count() == 2


def test_lost_rules(personas, member):
    county = personas["county"]
    refused(lambda: member_recover(actor=county, member=member, on=TODAY, note="联系上了"), "“李外出”未标记为失联")
    refused(lambda: member_mark_lost(actor=county, member=member, on=TODAY, reason=" "), "请填写失联原因")
    refused(lambda: member_mark_lost(actor=county, member=member, on=TODAY + timedelta(days=1), reason="x"), "失联日期不能晚于今天")
    refused(lambda: member_mark_lost(actor=personas["other_county"], member=member, on=TODAY, reason="x"), "不在您的管辖范围内")


def test_a_member_marked_lost_on_the_edit_form_recovers_to_local(personas, branch):
    county = personas["county"]
    member = make_member(county, branch, name="旧失联", relation_mode="lost")
    member_recover(actor=county, member=member, on=TODAY, note="找到了")
    member.refresh_from_db()
    assert member.relation_mode == "local"


def test_the_secretary_keeps_their_own_branch_only(personas, member, branch, elsewhere):
    secretary = personas["secretary"]
    make_member(personas["county"], branch, name="书记本人", user=secretary)
    mobile_outflow_register(actor=secretary, member=member, destination="广州", starts_on=TODAY)
    assert mobile_registration_list(user=secretary).count() == 1
    there = make_member(personas["other_county"], elsewhere, name="西湖党员")
    refused(lambda: member_mark_lost(actor=secretary, member=there, on=TODAY, reason="x"), "不在您的管辖范围内")


def test_an_outflow_is_seen_by_the_destination_party_organizations_side_and_nobody_else_new(personas, client_for, member, elsewhere):
    from django.http import Http404
    from django.urls import reverse

    from sanxin.members.mobility import access_mobile_registration
    from sanxin.members.selectors import access_member

    county, there = personas["county"], personas["other_county"]
    away = mobile_outflow_register(actor=county, member=member, destination_organization=elsewhere, starts_on=TODAY)
    plain = make_member(county, member.party_organization, name="李无去向")
    unnamed = mobile_outflow_register(actor=county, member=plain, destination="浙江省杭州市", starts_on=TODAY)
    # The destination side: the registration in its list, its count and by id (page and API), not the member's page.
    assert list(mobile_registration_list(user=there, direction="outflow")) == [away]
    assert mobile_counts(user=there)["outflow"] == 1
    assert access_mobile_registration(away.pk, user=there) == away
    with pytest.raises(Http404):
        access_mobile_registration(unnamed.pk, user=there)
    with pytest.raises(Http404):
        access_mobile_registration(away.pk, user=there, for_write=True)  # ended only by the member's side
    with pytest.raises(Http404):
        access_member(member.pk, user=there)
    client = client_for("other_county")
    page = client.get("/members/mobile/?tab=outflow").content.decode()
    assert "李外出" in page and "流入本组织" in page and reverse("members:member_mobility", args=[member.pk]) not in page
    assert "李无去向" not in page
    assert client.get(f"/api/v1/mobile-registrations/{away.pk}").status_code == 200
    assert client.get(f"/api/v1/mobile-registrations/{unnamed.pk}").status_code == 404
    response = client.post(reverse("members:mobile_registration_end", args=[away.pk]), {"ends_on": str(TODAY)})
    assert response.status_code == 404
    # The member's side sees both as before; nobody else sees the outflow now (a plain member, an instructor).
    assert set(mobile_registration_list(user=county, direction="outflow")) == {away, unnamed}
    for persona in ("member", "instructor", "industry"):
        assert not mobile_registration_list(user=personas[persona]).filter(pk=away.pk).exists(), persona
    # An inflow names no destination: nobody new sees it.
    came = make_member(county, member.party_organization, name="李流入")
    inflow = mobile_inflow_register(actor=county, member=came, home_organization="西湖区快递联合党支部", starts_on=TODAY)
    assert not mobile_registration_list(user=there).filter(pk=inflow.pk).exists()
