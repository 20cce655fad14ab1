"""Party members over the API: the page's filters, the same services, the same scope, masked numbers only."""

import json
from datetime import date

import pytest

from sanxin.core.models import AuditEvent
from sanxin.members.api import MemberOut
from sanxin.members.models import Member
from sanxin.regions.models import Region
from tests.members_factories import id_number, make_member
from tests.orgs_factories import make_org, party_org


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def branch(personas):
    return party_org(personas["county"], name="滕王阁快递党支部")


def body(branch, **fields):
    data = {
        "name": "接口党员",
        "gender": "female",
        "id_number": id_number(date(1993, 4, 5), male=False),
        "joined_on": "2019-07-01",
        "status": "probationary",
        "party_organization": branch.pk,
        "relation_mode": "mobile",
        "phone": "13812345678",
        "occupation": "外卖骑手",
    }
    return data | fields


def test_create_read_and_update(personas, client_for, branch):
    client = client_for("county")
    firm = make_org(personas["county"], region="360102002001")
    data = body(branch, employer=firm.credit_code)
    response = post(client, "/api/v1/members", data)
    assert response.status_code == 201, response.content
    created = response.json()
    member = Member.objects.get(pk=created["id"])
    assert created["birth_date"] == "1993-04-05" and created["employer"] == firm.credit_code
    assert created["id_number"] == member.id_number_masked and created["phone"] == "138****5678"
    assert data["id_number"] not in response.content.decode() and "13812345678" not in response.content.decode()
    read = client.get(f"/api/v1/members/{member.pk}").json()
    assert read == created
    response = patch(client, f"/api/v1/members/{member.pk}", {"status": "full", "employer": None})
    assert response.status_code == 200, response.content
    assert response.json()["status_label"] == "正式党员" and response.json()["employer"] is None
    assert AuditEvent.objects.filter(action="member_update", object_id=str(member.pk)).exists()


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"id_number": "360102199304050010"}, "身份证号码校验位不正确"),
        ({"birth_date": "1994-04-05"}, "不一致"),
        ({"phone": "1234"}, "不是有效的 11 位大陆手机号"),
    ],
)
def test_rules_are_refused_with_their_reason(client_for, branch, fields, reason):
    response = post(client_for("county"), "/api/v1/members", body(branch, **fields))
    assert response.status_code == 422 and reason in json.dumps(response.json(), ensure_ascii=False)
    assert not Member.objects.exists()


def test_scope_and_capability(personas, client_for, branch):
    member = make_member(personas["county"], branch, name="县里党员")
    elsewhere = party_org(personas["other_county"], name="西湖区党支部", region=Region.objects.get(code="360103"))
    make_member(personas["other_county"], elsewhere, name="西湖党员")
    data = client_for("county").get("/api/v1/members?limit=200").json()
    assert [item["name"] for item in data["items"]] == ["县里党员"] and data["count"] == 1
    other = client_for("other_county")
    assert other.get(f"/api/v1/members/{member.pk}").status_code == 404
    assert patch(other, f"/api/v1/members/{member.pk}", {"status": "full"}).status_code == 404
    response = post(other, "/api/v1/members", body(branch))
    assert response.status_code == 422 and "不存在或不在您的管辖范围内" in json.dumps(response.json(), ensure_ascii=False)
    assert client_for("member").get("/api/v1/members").status_code == 404
    assert post(client_for("member"), "/api/v1/members", body(branch)).status_code == 403


def test_filters_as_the_page(personas, client_for, branch):
    make_member(personas["county"], branch, name="甲", relation_mode="lost")
    make_member(personas["county"], branch, name="乙", status="probationary", occupation="快递员")
    client = client_for("county")

    def names(query):
        return {item["name"] for item in client.get(f"/api/v1/members?{query}").json()["items"]}

    assert names("lost=true") == {"甲"} and names("status=probationary") == {"乙"}
    assert names("relation=lost") == {"甲"} and names(f"party_org={branch.pk}") == {"甲", "乙"}
    assert names("region=360103") == set() and names("party_org=99999999999999") == set()


def test_list_rows_are_what_the_schema_makes_of_them(personas, client_for, branch):
    firm = make_org(personas["county"], region="360102002001")
    make_member(personas["county"], branch, name="甲", employer=firm)
    make_member(personas["county"], branch, name="乙", education="bachelor")
    client = client_for("township")
    for item in client.get("/api/v1/members").json()["items"]:
        assert MemberOut.model_validate(item).model_dump(mode="json") == item
        assert client.get(f"/api/v1/members/{item['id']}").json() == item
