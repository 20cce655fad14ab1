"""Party organizations over the API: the page's filters, the same services, the same scope."""

import json
from datetime import date

import pytest

from sanxin.core.models import AuditEvent
from sanxin.party.models import PartyOrganization
from sanxin.party.services import party_org_create
from sanxin.regions.models import Region
from tests.orgs_factories import make_org


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def make_party_org(actor, name="东湖快递联合党支部", region="360102002", **fields):
    fields.setdefault("level", "branch")
    fields.setdefault("establishment_form", "joint")
    return party_org_create(actor=actor, name=name, region=Region.objects.get(code=region), **fields)


def test_create_with_covered_organizations_and_read_back(personas, client_for):
    county = personas["county"]
    firms = [make_org(county, name="甲快递有限公司"), make_org(county, name="乙快递有限公司")]
    parent = make_party_org(county, name="东湖区快递行业党委", region="360102", level="committee", establishment_form="industry")
    body = {
        "name": "滕王阁快递联合党支部",
        "level": "branch",
        "establishment_form": "joint",
        "special_kinds": ["mobile"],
        "region": "360102002",
        "industry": "6020",
        "parent": parent.pk,
        "secretary": "李红",
        "founded_on": "2024-03-01",
        "term_years": 3,
        "covered_codes": [firm.credit_code for firm in firms],
    }
    response = post(client_for("county"), "/api/v1/party", body)
    assert response.status_code == 201, response.content
    data = response.json()
    party_org = PartyOrganization.objects.get(pk=data["id"])
    assert data["parent"] == {"id": parent.pk, "name": "东湖区快递行业党委"} and data["covered_count"] == 2
    assert {c["name"] for c in data["covered"]} == {"甲快递有限公司", "乙快递有限公司"}
    assert data["next_election_due"] == "2027-03-01" and data["special_kinds"] == ["mobile"]
    assert set(party_org.covered_organizations.all()) == set(firms)
    assert AuditEvent.objects.filter(action="party_org_create", object_id=str(party_org.pk)).exists()
    firms[0].refresh_from_db()
    assert firms[0].coverage_state == "org"  # the same service: coverage follows


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"region": "360103001"}, "region", "区划代码“360103001”不存在或不在您的管辖范围内"),
        ({"term_years": 4}, None, "应为 3、5 之一"),
        ({"founded_on": "2030-01-01"}, "founded_on", "成立日期不能晚于今天"),
        ({"founded_on": "2024-01-01", "last_election_on": "2023-01-01"}, "last_election_on", "上次换届日期不能早于成立日期"),
        ({"parent": 2**40}, "parent", "所选上级党组织不存在或不在您的管辖范围内，请重新搜索选择"),
    ],
)
def test_create_refuses_what_the_page_refuses(personas, client_for, fields, field, reason):
    body = {"name": "新支部", "level": "branch", "establishment_form": "joint", "region": "360102002", **fields}
    response = post(client_for("county"), "/api/v1/party", body)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    if field is None:  # the schema's own refusal
        assert errors[0]["loc"][-1] == "term_years" and errors[0]["msg"] == reason
    else:
        assert {"loc": [field], "msg": reason, "type": "refused"} in errors
    assert not PartyOrganization.objects.exists()


def test_covered_organizations_and_parent_outside_the_scope_are_refused(personas, client_for):
    west = make_org(personas["other_county"], region="360103001001")
    west_party = make_party_org(personas["other_county"], name="西湖党委", region="360103")
    body = {"name": "越界支部", "level": "branch", "establishment_form": "joint", "region": "360102002"}
    response = post(client_for("county"), "/api/v1/party", {**body, "covered_codes": [west.credit_code], "parent": west_party.pk})
    assert response.status_code == 422
    errors = {e["loc"][0]: e["msg"] for e in response.json()["errors"]}
    assert errors == {
        "covered_codes": f"以下统一社会信用代码不在您管辖的组织名录中：{west.credit_code}",
        "parent": "所选上级党组织不存在或不在您的管辖范围内，请重新搜索选择",
    }
    assert not PartyOrganization.objects.filter(name="越界支部").exists()


def test_without_the_capability(personas, client_for):
    party_org = make_party_org(personas["county"])
    body = {"name": "新支部", "level": "branch", "establishment_form": "joint", "region": "360102002"}
    assert post(client_for("instructor"), "/api/v1/party", body).status_code == 403
    assert client_for("instructor").get("/api/v1/party").status_code == 404
    assert patch(client_for("member"), f"/api/v1/party/{party_org.pk}", {"name": "改名"}).status_code == 404
    assert PartyOrganization.objects.get().name == "东湖快递联合党支部"


def test_update_leaves_covered_organizations_outside_the_scope_alone(personas, client_for):
    county = personas["county"]
    here, there = make_org(county, name="滕王阁企业"), make_org(county, name="另一街道企业", region="360102004001")
    new = make_org(county, name="滕王阁新企业")
    party_org = make_party_org(county, covered=[here, there])
    client = client_for("township")  # 滕王阁街道 owns the branch but sees only its own firm
    assert [c["name"] for c in client.get(f"/api/v1/party/{party_org.pk}").json()["covered"]] == ["滕王阁企业"]
    response = patch(client, f"/api/v1/party/{party_org.pk}", {"covered_codes": [new.credit_code], "secretary": "王刚"})
    assert response.status_code == 200, response.content
    assert response.json()["covered_count"] == 1 and response.json()["secretary"] == "王刚"
    assert set(party_org.covered_organizations.all()) == {there, new}
    assert AuditEvent.objects.filter(action="party_org_update", object_id=str(party_org.pk)).exists()


def test_update_outside_the_scope_or_only_seen_through_is_404(personas, client_for):
    county = personas["county"]
    firm = make_org(county, name="民巷企业")
    party_org = make_party_org(county, name="街道联合党支部", covered=[firm], founded_on=date(2024, 1, 1))
    # The community sees the street's branch through its firm but does not own it; the other county sees nothing.
    assert client_for("community").get(f"/api/v1/party/{party_org.pk}").status_code == 200
    for persona in ("community", "other_county", "outsider"):
        response = patch(client_for(persona), f"/api/v1/party/{party_org.pk}", {"name": "被改名", "covered_codes": []})
        assert response.status_code == 404 and response.json() == {"detail": "未找到"}
    assert client_for("other_county").get(f"/api/v1/party/{party_org.pk}").status_code == 404
    party_org.refresh_from_db()
    assert party_org.name == "街道联合党支部" and list(party_org.covered_organizations.all()) == [firm]
    assert not AuditEvent.objects.filter(action="party_org_update").exists()


def test_a_bad_body_names_the_field_in_chinese(personas, client_for):
    party_org = make_party_org(personas["county"])
    response = patch(client_for("county"), f"/api/v1/party/{party_org.pk}", {"level": "cell", "name": None})
    assert response.status_code == 422
    reasons = {tuple(e["loc"][-1:]): e["msg"] for e in response.json()["errors"]}
    assert reasons[("level",)].startswith("应为 'committee'、") and reasons[("name",)] == "应为文本"


def test_list_takes_the_pages_filters(personas, client_for):
    county = personas["county"]
    branch = make_party_org(county, name="甲支部", secretary="张伟", founded_on=date(2020, 1, 1))
    committee = make_party_org(county, name="乙党委", region="360102004", level="committee", establishment_form="standalone")
    mobile = make_party_org(county, name="丙流动党员党支部", special_kinds=["mobile"], founded_on=date(2024, 1, 1))
    client = client_for("county")

    def names(query=""):
        data = client.get(f"/api/v1/party?{query}").json()
        return {item["name"] for item in data["items"]}

    assert names() == {"甲支部", "乙党委", "丙流动党员党支部"}
    assert names("q=张伟") == {branch.name}
    assert names("region=360102004") == {committee.name}
    assert names("level=committee") == {committee.name}
    assert names("form=standalone") == {committee.name}
    assert names("special=mobile") == {mobile.name}
    assert names("election=overdue") == {branch.name}  # founded 2020, a three-year term
    assert client.get("/api/v1/party?election=late").status_code == 422
    assert names() and not {i["name"] for i in client_for("other_county").get("/api/v1/party").json()["items"]}


def test_a_day_written_as_a_number_is_refused(personas, client_for):
    # Pydantic alone would read 0 as 1970-01-01 and create the organization.
    body = {"name": "新支部", "level": "branch", "establishment_form": "joint", "region": "360102002", "founded_on": 0}
    response = post(client_for("county"), "/api/v1/party", body)
    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert error["loc"][-1] == "founded_on" and error["msg"] == "应为日期，如 2026-01-31", error
    assert not PartyOrganization.objects.exists()
