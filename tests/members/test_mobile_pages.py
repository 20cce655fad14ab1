"""流动党员 pages: the list with its outflow / inflow / lost tabs and counts, a member's mobility page with the
registrations' history and its forms, the services' refusals shown on the form, and 404 outside the scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanxin.members.mobility import member_mark_lost, mobile_inflow_register, mobile_outflow_register
from sanxin.members.models import MobileRegistration
from sanxin.regions.models import Region
from tests.members_factories import make_member
from tests.orgs_factories import party_org

TODAY = timezone.localdate()


@pytest.fixture
def branch(personas):
    return party_org(personas["county"], name="滕王阁快递外卖联合党支部")


def test_the_list_has_a_tab_and_a_count_for_each_kind(client_for, personas, branch):
    county = personas["county"]
    out = make_member(county, branch, name="外出甲")
    mobile_outflow_register(
        actor=county, member=out, destination="浙江省杭州市", starts_on=TODAY - timedelta(days=5), contact="13912345678"
    )
    ended = make_member(county, branch, name="已返回乙")
    mobile_outflow_register(
        actor=county, member=ended, destination="上海", starts_on=TODAY - timedelta(days=50), ends_on=TODAY - timedelta(days=1)
    )
    came = make_member(county, branch, name="流入丙")
    mobile_inflow_register(actor=county, member=came, home_organization="安徽省某党支部", starts_on=TODAY)
    lost = make_member(county, branch, name="失联丁")
    member_mark_lost(actor=county, member=lost, on=TODAY, reason="电话停机")
    client = client_for("township")
    page = client.get("/members/mobile/").content.decode()
    assert ">外出甲<" in page and ">已返回乙<" not in page and "浙江省杭州市" in page and "139****5678" in page
    assert '流出党员 <span class="badge text-bg-light">1</span>' in page and '流入党员 <span class="badge text-bg-light">1</span>' in page
    assert '失联党员 <span class="badge text-bg-light">1</span>' in page and "共 <strong>1</strong> 条" in page
    page = client.get("/members/mobile/?tab=inflow").content.decode()
    assert ">流入丙<" in page and "安徽省某党支部" in page and ">外出甲<" not in page
    page = client.get("/members/mobile/?tab=lost").content.decode()
    assert ">失联丁<" in page and "电话停机" in page and ">外出甲<" not in page
    page = client_for("other_county").get("/members/mobile/?tab=lost").content.decode()
    assert "失联丁" not in page and "共 <strong>0</strong> 条" in page


def test_the_mobility_page_registers_refuses_and_ends(client_for, personas, branch):
    member = make_member(personas["county"], branch, name="李外出")
    client = client_for("county")
    page = client.get(f"/members/{member.pk}/mobility/").content.decode()
    assert "登记流出" in page and "登记流入" in page and "标记失联" in page
    assert "流动情况" in client.get(f"/members/{member.pk}/").content.decode()  # linked from the member's page
    bad = {"destination": "上海", "starts_on": TODAY.isoformat(), "ends_on": (TODAY - timedelta(days=1)).isoformat()}
    response = client.post(f"/members/{member.pk}/mobility/outflow/", bad)
    assert response.status_code == 400 and "不能早于开始日期" in response.content.decode() and not MobileRegistration.objects.exists()
    good = {"destination": "上海市浦东新区", "starts_on": TODAY.isoformat(), "contact": "13912345678"}
    response = client.post(f"/members/{member.pk}/mobility/outflow/", good)
    assert response.status_code == 302
    registration = MobileRegistration.objects.get()
    page = client.get(f"/members/{member.pk}/mobility/").content.decode()
    assert "上海市浦东新区" in page and "139****5678" in page and "13912345678" not in page
    client.post(f"/members/mobile/{registration.pk}/end/", {"end-ends_on": TODAY.isoformat()})
    registration.refresh_from_db()
    assert registration.ends_on == TODAY
    response = client.post(f"/members/{member.pk}/mobility/lost/", {"lost-on": TODAY.isoformat(), "lost-reason": ""})
    assert "请填写失联原因" in response.content.decode()
    client.post(f"/members/{member.pk}/mobility/lost/", {"lost-on": TODAY.isoformat(), "lost-reason": "长期联系不上"})
    member.refresh_from_db()
    assert member.relation_mode == "lost"
    page = client.get(f"/members/{member.pk}/mobility/").content.decode()
    assert "恢复联系" in page and "登记流出" not in page and "长期联系不上" in page
    client.post(f"/members/{member.pk}/mobility/recover/", {"recover-on": TODAY.isoformat(), "recover-note": "已联系上"})
    member.refresh_from_db()
    assert member.relation_mode == "local"
    page = client.get(f"/members/{member.pk}/").content.decode()
    assert all(label in page for label in ("登记流出", "流出结束", "标记失联", "恢复联系"))


def test_outsiders_get_404_on_every_action(client_for, personas, branch):
    member = make_member(personas["county"], branch, name="李外出")
    registration = mobile_outflow_register(actor=personas["county"], member=member, destination="上海", starts_on=TODAY)
    for persona in ("other_county", "outsider", "secretary", "instructor", "member"):
        client = client_for(persona)
        for action in ("outflow", "inflow", "lost", "recover"):
            assert client.post(f"/members/{member.pk}/mobility/{action}/", {}).status_code == 404, (persona, action)
        assert client.post(f"/members/mobile/{registration.pk}/end/", {"end-ends_on": TODAY.isoformat()}).status_code == 404, persona
    # Seen from a covered organization's place is not keeping: the page shows no forms there, and the actions are 404.
    covering = party_org(personas["county"], name="覆盖社区的支部", region=Region.objects.get(code="360102"))
    from tests.orgs_factories import make_org

    covering.covered_organizations.add(make_org(personas["county"], region="360102002001"))
    seen = make_member(personas["county"], covering, name="覆盖可见")
    community = client_for("community")
    page = community.get(f"/members/{seen.pk}/mobility/").content.decode()
    assert "覆盖可见" in page and "登记流出" not in page
    assert community.post(f"/members/{seen.pk}/mobility/lost/", {"lost-on": TODAY.isoformat(), "lost-reason": "x"}).status_code == 404
    registration.refresh_from_db()
    assert registration.ends_on is None
