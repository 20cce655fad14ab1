"""The member pages: masked numbers, the audited unmask, the form, the export of the scope only."""

from datetime import date

import pytest

from sanxin.core.models import AuditEvent
from sanxin.members.models import Member
from sanxin.regions.models import Region
from tests.conftest import PASSWORD
from tests.members_factories import id_number, make_member
from tests.orgs_factories import party_org, xlsx_text


@pytest.fixture
def branch(personas):
    return party_org(personas["county"], name="滕王阁快递党支部")


@pytest.fixture
def member(personas, branch):
    number = id_number(date(1985, 6, 7))
    return make_member(personas["county"], branch, name="李四", birth_date=date(1985, 6, 7), id_number=number, phone="13912345678")


def test_list_and_detail_show_masked_numbers(client_for, member):
    client = client_for("township")
    page = client.get("/members/").content.decode()
    assert ">李四<" in page and member.id_number_masked in page and "139****5678" in page
    assert member.id_number not in page and "13912345678" not in page and "共 <strong>1</strong> 条" in page
    page = client.get(f"/members/{member.pk}/").content.decode()
    assert member.id_number_masked in page and member.id_number not in page and "13912345678" not in page
    assert "显示完整号码" in page and "登记党员" in page  # the timeline


def test_unmask_is_audited(client_for, member):
    page = client_for("county").get(f"/members/{member.pk}/unmask/").content.decode()
    assert member.id_number in page and "13912345678" in page and "已记入审计日志" in page
    event = AuditEvent.objects.get(action="member_unmask")
    assert member.id_number not in str(event.detail) and "13912345678" not in str(event.detail)


def test_unmask_without_the_capability_is_refused_and_nothing_shown(client_for, member):
    client = client_for("industry")  # reads members of its industry, may not unmask
    page = client.get(f"/members/{member.pk}/").content.decode()
    assert "显示完整号码" not in page
    response = client.get(f"/members/{member.pk}/unmask/")
    assert response.status_code == 404 and member.id_number not in response.content.decode()
    assert client_for("other_county").get(f"/members/{member.pk}/unmask/").status_code == 404  # outside the scope
    assert not AuditEvent.objects.filter(action="member_unmask").exists()


def test_create_and_edit_through_the_form(client_for, branch):
    client = client_for("county")
    number = id_number(date(1992, 2, 3))
    data = {
        "name": "王五",
        "gender": "male",
        "id_number": number,
        "ethnicity": "汉族",
        "joined_on": "2018-07-01",
        "status": "probationary",
        "party_organization": branch.pk,
        "relation_mode": "mobile",
        "phone": "13700001111",
    }
    response = client.post("/members/new/", data)
    member = Member.objects.get(name="王五")
    assert response.status_code == 302 and member.birth_date == date(1992, 2, 3)
    page = client.get(f"/members/{member.pk}/edit/").content.decode()
    assert number not in page and "13700001111" not in page and member.id_number_masked in page
    response = client.post(f"/members/{member.pk}/edit/", data | {"id_number": "", "phone": "", "status": "full"})
    member.refresh_from_db()
    assert response.status_code == 302 and member.status == "full" and member.id_number == number and member.phone == "13700001111"
    page = client.post("/members/new/", data | {"name": "重复"}).content.decode()
    assert "该身份证号码的党员已经登记" in page


def test_form_refuses_under_eighteen(client_for, branch):
    from django.utils import timezone

    today = timezone.localdate()
    birth = today.replace(year=today.year - 16)
    data = {"name": "少年", "gender": "male", "id_number": id_number(birth), "ethnicity": "汉族", "joined_on": str(today)}
    data |= {"status": "probationary", "party_organization": branch.pk, "relation_mode": "local"}
    page = client_for("county").post("/members/new/", data).content.decode()
    assert "党员应年满 18 周岁" in page and not Member.objects.exists()


def test_export_holds_only_the_scope_and_masked_numbers(personas, client_for, member):
    elsewhere = party_org(personas["other_county"], name="西湖区党支部", region=Region.objects.get(code="360103"))
    make_member(personas["other_county"], elsewhere, name="西湖党员")
    response = client_for("county").post("/members/export/", {"password": PASSWORD})
    text = xlsx_text(response.content)
    assert "李四" in text and "西湖党员" not in text
    assert member.id_number_masked in text and member.id_number not in text and "13912345678" not in text


def test_an_employer_outside_the_scope_is_not_named(personas, client_for, branch):
    from tests.orgs_factories import make_org

    firm = make_org(personas["county"], name="社区外的快递公司", region="360102004001")
    member = make_member(personas["county"], branch, name="外面上班的党员", employer=firm)
    assert "社区外的快递公司" in client_for("county").get(f"/members/{member.pk}/").content.decode()
    page = client_for("township").get(f"/members/{member.pk}/").content.decode()
    assert "社区外的快递公司" not in page and "不在您的管辖范围内" in page
    edit = client_for("township").get(f"/members/{member.pk}/edit/").content.decode()
    assert "社区外的快递公司" not in edit and firm.credit_code not in edit


def test_the_form_neither_sets_nor_leaves_lost_contact(personas, client_for, branch):
    from sanxin.members.mobility import member_mark_lost

    client = client_for("county")
    data = {
        "name": "王五",
        "gender": "male",
        "id_number": id_number(date(1992, 2, 3)),
        "ethnicity": "汉族",
        "joined_on": "2018-07-01",
        "status": "full",
        "party_organization": branch.pk,
        "relation_mode": "lost",
    }
    page = client.post("/members/new/", data).content.decode()
    assert "不能在党员信息中直接设为失联，请在该党员的“流动情况”页“标记失联”" in page and not Member.objects.exists()
    response = client.post("/members/new/", data | {"relation_mode": "local"})
    member = Member.objects.get(name="王五")
    assert response.status_code == 302
    page = client.post(f"/members/{member.pk}/edit/", data | {"id_number": "", "relation_mode": "lost"}).content.decode()
    assert "不能在党员信息中直接设为失联" in page
    member.refresh_from_db()
    assert member.relation_mode == "local"
    member_mark_lost(actor=personas["county"], member=member, on=date(2026, 1, 5), reason="电话停机")
    page = client.post(f"/members/{member.pk}/edit/", data | {"id_number": "", "relation_mode": "local"}).content.decode()
    assert "该党员已标记为失联，不能在党员信息中直接更改组织关系情况，请先在其“流动情况”页“恢复联系”" in page
    member.refresh_from_db()
    assert member.relation_mode == "lost"
    # Other fields of a lost member still change on the form.
    response = client.post(f"/members/{member.pk}/edit/", data | {"id_number": "", "occupation": "网约车司机"})
    member.refresh_from_db()
    assert response.status_code == 302 and member.relation_mode == "lost" and member.occupation == "网约车司机"
    # The API says the same, naming the field.
    import json

    response = client.patch(f"/api/v1/members/{member.pk}", json.dumps({"relation_mode": "local"}), content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["relation_mode"]
