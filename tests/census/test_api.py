"""Census campaigns, records and to-dos over the API: the pages' services and workflow, the same scope."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from sanxin.census.models import CENSUS_ITEMS, CensusCampaign, CensusRecord, Todo
from sanxin.core.models import AuditEvent, Notification, TimelineEvent
from tests.orgs_factories import make_org

TODAY = timezone.localdate()
ITEMS = {key: f"{label}：正常" for key, label in CENSUS_ITEMS}


def post(client, url, body=None):
    return client.post(url, json.dumps(body if body is not None else {}), content_type="application/json")


def put(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json")


def campaign_body(**fields):
    return {
        "name": "东湖区两新组织集中摸排",
        "region": "360102",
        "starts_on": str(TODAY - timedelta(days=5)),
        "ends_on": str(TODAY + timedelta(days=20)),
        **fields,
    }


def create_campaign(client, **fields) -> dict:
    response = post(client, "/api/v1/census/campaigns", campaign_body(**fields))
    assert response.status_code == 201, response.content
    return response.json()


def test_a_campaign_through_its_workflow(personas, client_for, django_capture_on_commit_callbacks):
    make_org(personas["county"], name="东湖企业")
    county = client_for("county")
    data = create_campaign(county)
    assert data["status"] == "draft" and data["actions"] == ["start", "cancel"] and data["progress"]["total"] == 1
    url = f"/api/v1/census/campaigns/{data['id']}"
    with django_capture_on_commit_callbacks(execute=True):
        started = post(county, f"{url}/start")
    assert started.status_code == 200, started.content
    assert started.json()["status"] == "active" and started.json()["timeline"][0]["label"] == "开始摸排"
    assert Notification.objects.filter(recipient=personas["township"], title__contains="东湖区两新组织集中摸排").exists()
    # From the wrong state: the workflow's Chinese reason, nothing changed.
    again = post(county, f"{url}/start")
    assert again.status_code == 422 and again.json()["detail"] == "当前状态为“进行中”，不能开始摸排"
    assert post(county, f"{url}/cancel", {"note": "重复"}).status_code == 422
    # A street sees the county's campaign but may not close it.
    refused = post(client_for("township"), f"{url}/close", {"note": ""})
    assert refused.status_code == 422 and refused.json()["detail"] == "只有发起单位及其上级可以开始、结束或撤销该摸排行动"
    closed = post(county, f"{url}/close", {"note": "已完成"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed" and closed.json()["actions"] == []
    assert list(
        AuditEvent.objects.filter(object_id=str(data["id"]), action__startswith="campaign_").order_by("id").values_list("action", flat=True)
    ) == [
        "campaign_start",
        "campaign_close",
    ]


def test_cancelling_a_draft_needs_a_reason(personas, client_for):
    county = client_for("county")
    url = f"/api/v1/census/campaigns/{create_campaign(county)['id']}"
    refused = post(county, f"{url}/cancel", {"note": " "})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"loc": ["note"], "msg": "撤销行动时请填写原因", "type": "refused"}]
    assert post(county, f"{url}/cancel", {"note": "范围有误，重新发起"}).json()["status"] == "closed"


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"region": "360103"}, "region", "区划代码“360103”不存在或不在您的管辖范围内"),
        ({"industry": "9999"}, "industry", "行业代码“9999”不存在或不在您的管辖范围内"),
        ({"ends_on": str(TODAY - timedelta(days=30))}, "ends_on", "截止日期不能早于开始日期"),
        ({"name": " "}, "name", "请填写行动名称"),
    ],
)
def test_create_refuses_in_chinese(personas, client_for, fields, field, reason):
    response = post(client_for("county"), "/api/v1/census/campaigns", campaign_body(**fields))
    assert response.status_code == 422
    assert {"loc": [field], "msg": reason, "type": "refused"} in response.json()["errors"]
    assert not CensusCampaign.objects.exists()


def test_steps_outside_the_scope_or_without_the_capability_are_404(personas, client_for):
    data = create_campaign(client_for("county"))
    url = f"/api/v1/census/campaigns/{data['id']}"
    for persona in ("other_county", "outsider", "instructor", "member"):
        response = post(client_for(persona), f"{url}/start")
        assert response.status_code == 404 and response.json() == {"detail": "未找到"}, persona
    assert post(client_for("member"), "/api/v1/census/campaigns", campaign_body()).status_code == 403
    assert CensusCampaign.objects.get().status == "draft" and CensusCampaign.objects.count() == 1
    assert not TimelineEvent.objects.exists()


def test_records_are_saved_corrected_and_raise_a_todo(personas, client_for):
    org = make_org(personas["county"], name="应建企业", employees=40)
    other = make_org(personas["county"], name="另一企业")
    county = client_for("county")
    data = create_campaign(county)
    url = f"/api/v1/census/campaigns/{data['id']}"
    body = {"censused_on": str(TODAY), "employees": 42, "formal_members": 3, **ITEMS}
    refused = put(county, f"{url}/records/{org.pk}", body)
    assert (
        refused.status_code == 422
        and {"loc": ["campaign"], "msg": "摸排行动不在进行中，不能填报", "type": "refused"} in (refused.json()["errors"])
    )
    post(county, f"{url}/start")
    saved = put(county, f"{url}/records/{org.pk}", body)
    assert saved.status_code == 200, saved.content
    assert saved.json()["organization"]["name"] == "应建企业" and saved.json()["censused_by"] == "测试county"
    org.refresh_from_db()
    assert org.employees == 42 and Todo.objects.get(organization=org).status == "open"
    corrected = put(county, f"{url}/records/{org.pk}", {**body, "party_work": "已建立联络员制度"})
    assert corrected.json()["party_work"] == "已建立联络员制度" and CensusRecord.objects.count() == 1
    assert county.get(f"{url}/records/{org.pk}").json()["party_work"] == "已建立联络员制度"
    assert county.get(f"{url}/records/{other.pk}").status_code == 404  # not censused yet
    states = {o["name"]: o["censused"] for o in county.get(f"{url}/organizations").json()["items"]}
    assert states == {"应建企业": True, "另一企业": False}
    assert [o["name"] for o in county.get(f"{url}/organizations?state=todo").json()["items"]] == ["另一企业"]
    assert county.get(url).json()["progress"] == {"total": 2, "done": 1, "rate": 0.5}


def test_a_record_refuses_bad_values_by_field(personas, client_for):
    org = make_org(personas["county"])
    county = client_for("county")
    url = f"/api/v1/census/campaigns/{create_campaign(county)['id']}"
    post(county, f"{url}/start")
    body = {"censused_on": str(TODAY + timedelta(days=1)), "employees": 2, "formal_members": 3, **ITEMS, "investors": " "}
    response = put(county, f"{url}/records/{org.pk}", body)
    assert response.status_code == 422
    reasons = {e["loc"][0]: e["msg"] for e in response.json()["errors"]}
    assert reasons == {
        "censused_on": "摸排日期不能晚于今天",
        "investors": "请填写“出资人情况”",
        "formal_members": "党员数不能多于从业人员数",
    }
    missing = put(county, f"{url}/records/{org.pk}", {"censused_on": str(TODAY), "employees": 1, "formal_members": 0})
    assert missing.status_code == 422 and {e["msg"] for e in missing.json()["errors"]} == {"必须填写"}
    assert not CensusRecord.objects.exists()


def test_a_record_outside_the_scope_is_404_and_writes_nothing(personas, client_for):
    here = make_org(personas["county"], name="滕王阁企业")
    there = make_org(personas["county"], name="另一街道企业", region="360102004001")
    west = make_org(personas["other_county"], name="西湖企业", region="360103001001")
    county = client_for("county")
    url = f"/api/v1/census/campaigns/{create_campaign(county)['id']}"
    post(county, f"{url}/start")
    body = {"censused_on": str(TODAY), "employees": 10, "formal_members": 0, **ITEMS}
    township = client_for("township")
    assert put(township, f"{url}/records/{there.pk}", body).status_code == 404  # another street's firm
    assert put(county, f"{url}/records/{west.pk}", body).status_code == 404  # another county's firm
    assert put(client_for("other_county"), f"{url}/records/{west.pk}", body).status_code == 404  # the campaign is not theirs
    assert put(township, f"{url}/records/{here.pk}", body).status_code == 200  # the street records its own in the county's campaign
    assert list(CensusRecord.objects.values_list("organization__name", flat=True)) == ["滕王阁企业"]


def test_todos_are_listed_read_and_closed(personas, client_for):
    org = make_org(personas["county"], name="应建企业", employees=40)
    county = client_for("county")
    url = f"/api/v1/census/campaigns/{create_campaign(county)['id']}"
    post(county, f"{url}/start")
    put(county, f"{url}/records/{org.pk}", {"censused_on": str(TODAY), "employees": 40, "formal_members": 5, **ITEMS})
    todo = Todo.objects.get()
    listed = county.get("/api/v1/census/todos").json()
    assert listed["count"] == 1 and listed["items"][0]["organization"]["name"] == "应建企业"
    assert client_for("other_county").get("/api/v1/census/todos").json() == {"items": [], "count": 0}
    assert client_for("other_county").get(f"/api/v1/census/todos/{todo.pk}").status_code == 404
    assert post(client_for("other_county"), f"/api/v1/census/todos/{todo.pk}/close", {"note": "越权"}).status_code == 404
    blank = post(county, f"/api/v1/census/todos/{todo.pk}/close", {"note": "  "})
    assert blank.status_code == 422 and blank.json()["errors"][0]["msg"] == "请填写办结说明"
    too_long = post(county, f"/api/v1/census/todos/{todo.pk}/close", {"note": "长" * 301})
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["msg"] == "最多 300 个字符"
    closed = post(county, f"/api/v1/census/todos/{todo.pk}/close", {"note": "已组织召开党员大会，组建党支部"})
    assert closed.status_code == 200 and closed.json()["status"] == "done"
    assert closed.json()["timeline"][-1]["note"] == "已组织召开党员大会，组建党支部"
    assert county.get("/api/v1/census/todos").json()["count"] == 0
    assert county.get("/api/v1/census/todos?status=done").json()["count"] == 1
    again = post(county, f"/api/v1/census/todos/{todo.pk}/close", {"note": "再办一次"})
    assert again.status_code == 422 and again.json()["detail"] == "当前状态为“已办结”，不能办结"
