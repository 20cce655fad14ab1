"""The organization registry over the API: the page's filters, the same services, the same scope."""

import json

import pytest

from sanxin.core.models import AuditEvent
from sanxin.orgs.models import Organization
from tests.orgs_factories import credit_code, make_org


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def new_org(**fields):
    return {
        "credit_code": credit_code(),
        "name": "南昌接口新增有限公司",
        "category": "private",
        "industry": "6020",
        "region": "360102002001",
        "employees": 20,
        "formal_members": 3,
        **fields,
    }


def test_create_through_the_service_and_read_back(personas, client_for):
    client = client_for("county")
    body = new_org(is_above_scale=True)
    response = post(client, "/api/v1/orgs", body)
    assert response.status_code == 201, response.content
    data = response.json()
    org = Organization.objects.get(pk=data["id"])
    assert data["name"] == org.name == "南昌接口新增有限公司"
    assert data["region"] == "360102002001" and data["region_name"].endswith("民巷社区居委会")
    assert data["industry"] == "6020" and data["is_above_scale"] is True and data["parent"] is None
    assert data["should_establish"] is True  # computed by coverage, as for an organization from the form
    assert AuditEvent.objects.get(action="organization_create", object_id=str(org.pk)).actor_name == "county"
    assert client.get(f"/api/v1/orgs/{org.pk}").json()["credit_code"] == org.credit_code


def test_create_reads_full_width_codes(personas, client_for):
    code = credit_code()
    full = "".join(chr(ord(c) + 0xFEE0) for c in code)
    response = post(client_for("county"), "/api/v1/orgs", new_org(credit_code=full, region="３６０１０２００２００１"))
    assert response.status_code == 201, response.content
    assert response.json()["credit_code"] == code and response.json()["region"] == "360102002001"


@pytest.mark.parametrize(
    ("persona", "fields", "field", "reason"),
    [
        ("county", {"region": "360103001001"}, "region", "区划代码“360103001001”不存在或不在您的管辖范围内"),
        ("industry", {"industry": "64"}, "industry", "行业代码“64”不存在或不在您的管辖范围内"),
        ("county", {"industry": "9999"}, "industry", "行业代码“9999”不存在或不在您的管辖范围内"),
        ("county", {"zone": 99999}, "zone", "园区/楼宇编号“99999”不存在或不在您的管辖范围内"),
        ("county", {"region": "3601"}, "region", "区划代码“3601”不存在或不在您的管辖范围内"),
        ("city", {"region": "3601"}, "region", "所在地区至少要到区县一级（最好到社区/村）"),
        ("county", {"credit_code": "91360102MA35XXXXX1"}, "credit_code", "统一社会信用代码“91360102MA35XXXXX1”校验位不正确"),
        ("county", {"employees": 2, "formal_members": 3}, "formal_members", "党员数（正式 + 预备 = 3）不能多于从业人员数 2"),
    ],
)
def test_create_refuses_what_the_page_refuses(personas, client_for, persona, fields, field, reason):
    response = post(client_for(persona), "/api/v1/orgs", new_org(**fields))
    assert response.status_code == 422, response.content
    assert {"loc": [field], "msg": reason, "type": "refused"} in response.json()["errors"]
    assert not Organization.objects.exists()


def test_create_refuses_a_parent_outside_the_scope(personas, client_for):
    outside = make_org(personas["other_county"], name="西湖总部", region="360103001001")
    response = post(client_for("county"), "/api/v1/orgs", new_org(parent=outside.credit_code))
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "loc": ["parent"],
        "msg": f"统一社会信用代码 {outside.credit_code} 不在您管辖的组织名录中",
        "type": "refused",
    }
    assert Organization.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "loc", "reason"),
    [
        ({"category": "state_owned"}, ["body", "payload", "category"], "应为 'private'、'foreign'"),
        ({"employees": -1}, ["body", "payload", "employees"], "不能小于 0"),
        ({"name": ""}, ["body", "payload", "name"], "至少 1 个字符"),
        ({"established_on": "2020-13-01"}, ["body", "payload", "established_on"], "应为日期"),
        ({"secret": 1}, ["body", "payload", "secret"], "不是可接受的字段"),
    ],
)
def test_a_bad_body_names_the_field_in_chinese(personas, client_for, change, loc, reason):
    response = post(client_for("county"), "/api/v1/orgs", new_org(**change))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["loc"] == loc and error["msg"].startswith(reason)
    assert not Organization.objects.exists()


def test_without_the_capability_nothing_is_written(personas, client_for):
    org = make_org(personas["county"], name="原名有限公司")
    response = post(client_for("member"), "/api/v1/orgs", new_org())
    assert response.status_code == 403 and response.json() == {"detail": "无权执行此操作"}
    assert client_for("member").get("/api/v1/orgs").status_code == 404
    # An instructor reads the organizations they are assigned to, but edits none: as on the page, 404.
    assert patch(client_for("instructor"), f"/api/v1/orgs/{org.pk}", {"name": "改名"}).status_code == 404
    assert Organization.objects.count() == 1 and Organization.objects.get().name == "原名有限公司"


def test_update_changes_only_the_fields_given_and_is_audited(personas, client_for):
    org = make_org(personas["county"], name="原名有限公司", employees=10, address="民巷 1 号")
    response = patch(client_for("county"), f"/api/v1/orgs/{org.pk}", {"name": "新名有限公司", "employees": 12})
    assert response.status_code == 200, response.content
    org.refresh_from_db()
    assert (org.name, org.employees, org.address) == ("新名有限公司", 12, "民巷 1 号")
    event = AuditEvent.objects.get(action="organization_update", object_id=str(org.pk))
    assert "原名有限公司" in json.dumps(event.detail, ensure_ascii=False) and "新名有限公司" in json.dumps(event.detail, ensure_ascii=False)


def test_update_outside_the_scope_is_404_and_changes_nothing(personas, client_for):
    org = make_org(personas["county"], name="东湖企业")
    for persona in ("other_county", "outsider", "community"):  # the community's scope is another community
        if persona == "community":
            org = make_org(personas["county"], name="另一社区企业", region="360102002002")
        response = patch(client_for(persona), f"/api/v1/orgs/{org.pk}", {"name": "被改名"})
        assert response.status_code == 404 and response.json() == {"detail": "未找到"}
        assert client_for(persona).get(f"/api/v1/orgs/{org.pk}").status_code == 404
    assert not Organization.objects.filter(name="被改名").exists()
    assert not AuditEvent.objects.filter(action="organization_update").exists()


def test_update_cannot_move_an_organization_out_of_the_scope(personas, client_for):
    org = make_org(personas["county"])
    response = patch(client_for("township"), f"/api/v1/orgs/{org.pk}", {"region": "360102004001"})
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["region"]
    org.refresh_from_db()
    assert org.region_id == "360102002001"


def test_deregistering_needs_a_reason(personas, client_for):
    org = make_org(personas["county"])
    client = client_for("county")
    response = patch(client, f"/api/v1/orgs/{org.pk}", {"registration_status": "cancelled"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"loc": ["status_reason"], "msg": "登记状态改为注销、吊销或迁出时，请填写原因", "type": "refused"}]
    response = patch(client, f"/api/v1/orgs/{org.pk}", {"registration_status": "cancelled", "status_reason": "市场监管部门已注销"})
    assert response.status_code == 200 and response.json()["registration_status"] == "cancelled"
    assert AuditEvent.objects.filter(action="organization_deregister", object_id=str(org.pk)).exists()


def test_a_parent_outside_the_scope_is_neither_shown_nor_changed(personas, client_for):
    head = make_org(personas["county"], name="东湖总部", region="360102004001")
    branch = make_org(personas["county"], name="民巷分部", parent=head)
    client = client_for("township")  # 滕王阁街道: sees the branch, not the head office in another street
    data = client.get(f"/api/v1/orgs/{branch.pk}").json()
    assert data["parent"] is None
    assert client_for("county").get(f"/api/v1/orgs/{branch.pk}").json()["parent"]["name"] == "东湖总部"
    response = patch(client, f"/api/v1/orgs/{branch.pk}", {"parent": None})
    assert response.status_code == 422 and response.json()["errors"][0]["msg"] == "上级单位不在您的管辖范围内，不能修改"
    assert patch(client, f"/api/v1/orgs/{branch.pk}", {"employees": 60}).status_code == 200
    branch.refresh_from_db()
    assert branch.parent_id == head.pk and branch.employees == 60


def test_list_takes_the_pages_filters(personas, client_for, demo_zone):
    county = personas["county"]
    express = make_org(county, name="南昌快递甲有限公司", employees=10)
    software = make_org(county, name="南昌软件乙有限公司", industry="64", category="platform", is_little_giant=True)
    elsewhere = make_org(county, name="南昌快递丙有限公司", region="360102004001", zone=None)
    in_zone = make_org(county, name="商圈快递丁有限公司", zone=demo_zone, region="360102002001")
    gone = make_org(county, name="南昌已注销有限公司")
    client = client_for("county")

    def names(query=""):
        data = client.get(f"/api/v1/orgs?{query}").json()
        assert data["count"] == len(data["items"])
        return {item["name"] for item in data["items"]}

    patch(client, f"/api/v1/orgs/{gone.pk}", {"registration_status": "revoked", "status_reason": "吊销"})
    assert names() == {o.name for o in (express, software, elsewhere, in_zone, gone)}
    assert names("q=快递") == {express.name, elsewhere.name, in_zone.name}
    assert names(f"q={software.credit_code}") == {software.name}
    assert names("region=360102004") == {elsewhere.name}
    assert names("industry=64") == {software.name}
    assert names("category=platform") == {software.name}
    assert names("flag=is_little_giant") == {software.name}
    assert names("status=revoked") == {gone.name}
    assert names(f"zone={demo_zone.pk}") == {in_zone.name}
    assert names("coverage=blank") == {o.name for o in (express, software, elsewhere, in_zone)}  # deregistered: in no count
    assert client.get("/api/v1/orgs?category=state_owned").status_code == 422
    # Cut to scope: the industry committee sees its industry only, the zone committee its zone only.
    assert {i["name"] for i in client_for("industry").get("/api/v1/orgs").json()["items"]} == {
        express.name,
        elsewhere.name,
        in_zone.name,
        gone.name,
    }
    assert [i["name"] for i in client_for("zone").get("/api/v1/orgs").json()["items"]] == [in_zone.name]
    paged = client.get("/api/v1/orgs?limit=2&offset=1").json()
    assert paged["count"] == 5 and len(paged["items"]) == 2
