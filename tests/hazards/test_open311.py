"""Open311 GeoReport v2 at /open311/v2/, driven by the PyPI client `georeport` against the live server (JSON and
XML), and POST by a unit's API token (the client has no POST; plain requests, as a hotline system would)."""

from datetime import timedelta

import pytest
import requests
from django.test import Client
from django.utils import timezone
from georeport import GeoReport

from sanxin.accounts.tokens import api_token_create
from sanxin.hazards import services
from sanxin.hazards.models import HazardReport, HazardSource, HazardStatus
from sanxin.hazards.open311 import mask_text
from tests.hazards.conftest import LON_300M, report

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published(personas):
    """One report verified valid (published, open), one resolved (closed), one still to verify (not published)."""
    community = personas["community"]
    light = report(personas["worker"], category="street_light", text="路灯不亮，联系人王先生 13812345678。", place="民巷路 12 号灯杆")
    services.hazard_verify_valid(actor=community, report=light)
    lane = services.hazard_verify_valid(actor=community, report=report(personas["worker"], longitude=LON_300M))
    services.hazard_resolve(actor=community, report=lane, reply="已清理，测试worker 反映的问题已解决。")
    pending = report(personas["worker"], category="manhole", place="未核实的井盖")
    return light, lane, pending


def test_services_by_the_client(live_server, personas):
    client = GeoReport(f"{live_server.url}/open311/v2")
    services_list = client.get_service_list()
    assert [s["service_code"] for s in services_list][:3] == ["fire_lane", "street_light", "manhole"]
    assert services_list[0]["service_name"] == "消防通道堵塞" and services_list[0]["metadata"] is False
    assert client.get_service_definition("manhole")["service_code"] == "manhole"
    xml = GeoReport(f"{live_server.url}/open311/v2", output_format="xml").get_service_list()
    assert xml[1]["service_name"] == "路灯损坏"


def test_requests_by_the_client_publish_only_verified_reports_without_personal_data(live_server, published):
    light, lane, pending = published
    client = GeoReport(f"{live_server.url}/open311/v2")
    rows = client.get_service_requests()
    assert {r["service_request_id"] for r in rows} == {str(light.pk), str(lane.pk)}
    row = client.get_service_request(str(light.pk))
    assert row["status"] == "open" and row["service_code"] == "street_light" and row["service_name"] == "路灯损坏"
    assert row["agency_responsible"] == "民巷社区党委" and row["address"] == "民巷路 12 号灯杆"
    assert row["lat"] == 28.68 and row["long"] == 115.9 and row["media_url"] == ""
    assert row["requested_datetime"].endswith("+08:00") and row["updated_datetime"]
    assert "13812345678" not in row["description"] and "138****5678" in row["description"] and "王先生" not in row["description"]
    closed = client.get_service_request(str(lane.pk))
    assert closed["status"] == "closed" and "测试worker" not in closed["status_notes"] and "已清理" in closed["status_notes"]
    text = str(rows)
    assert "测试worker" not in text and "13900139000" not in text
    assert [r["service_request_id"] for r in client.get_service_requests(status="closed")] == [str(lane.pk)]
    assert [r["service_request_id"] for r in client.get_service_requests(service_code="street_light")] == [str(light.pk)]
    ids = client.get_service_requests(service_request_id=f"{light.pk},{pending.pk}")
    assert [r["service_request_id"] for r in ids] == [str(light.pk)]
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()
    assert client.get_service_requests(start_date=tomorrow, end_date=(timezone.now() + timedelta(days=2)).isoformat()) == []
    xml = GeoReport(f"{live_server.url}/open311/v2", output_format="xml").get_service_request(str(light.pk))
    assert xml["service_request_id"] == str(light.pk) and xml["status"] == "open"
    with pytest.raises(requests.HTTPError):
        client.get_service_request(str(pending.pk))  # not verified: not published


def test_errors_are_open311_errors_in_chinese(live_server, published):
    base = f"{live_server.url}/open311/v2"
    for path, code, says in [
        ("/requests.json?status=pending", 400, "open 或 closed"),
        ("/requests.json?service_code=bogus", 400, "没有服务代码"),
        ("/requests.json?start_date=yesterday", 400, "W3C"),
        ("/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z", 400, "90 天"),
        ("/requests.json?service_request_id=1;drop", 400, "逗号分隔"),
        ("/requests/abc.json", 404, "没有该编号"),
        ("/requests/99999999.json", 404, "没有该编号"),
        ("/services/bogus.json", 404, "没有服务代码"),
        ("/requests.csv", 404, ".json 或 .xml"),
    ]:
        answer = requests.get(base + path, timeout=10)
        assert answer.status_code == code, path
        body = answer.json()
        assert body[0]["code"] == code and says in body[0]["description"], path
    xml = requests.get(base + "/requests.xml?status=x", timeout=10)
    assert xml.status_code == 400 and "<errors><error><code>400</code>" in xml.text


def test_post_lands_in_the_posting_units_scope(live_server, personas):
    _, raw = api_token_create(actor=personas["township"], user=personas["township"], name="12345 热线")
    base = f"{live_server.url}/open311/v2/requests.json"
    fields = {"api_key": raw, "service_code": "manhole", "description": "井盖缺失，有人差点踩空", "address_id": "360102002001"}
    answer = requests.post(base, data=fields, timeout=10)
    assert answer.status_code == 201, answer.text
    made = HazardReport.objects.get(pk=int(answer.json()[0]["service_request_id"]))
    assert made.source == HazardSource.OPEN311 and made.posted_by_unit.name == "滕王阁街道党工委"
    assert made.unit.name == "民巷社区党委" and made.status == HazardStatus.SUBMITTED and made.reporter is None
    assert "民巷社区党委" in answer.json()[0]["service_notice"]
    # Another county's region: refused, nothing made.
    refused = requests.post(base, data=fields | {"address_id": "360103001001"}, timeout=10)
    assert refused.status_code == 403 and "不在本单位" in refused.json()[0]["description"]
    for bad, code, says in [
        ({"api_key": "sx_wrong"}, 403, "api_key 无效"),
        ({"api_key": ""}, 403, "api_key 无效"),
        ({"service_code": ""}, 400, "缺少 service_code"),
        ({"service_code": "bogus"}, 400, "隐患类别不在可选范围"),
        ({"description": ""}, 400, "请填写情况描述"),
        ({"description": "长" * 1001}, 400, "最多 1000 个字"),
        ({"address_id": "", "lat": "99", "long": "115.9"}, 400, "中国境内"),
        ({"address_id": ""}, 400, "请提供位置"),
        ({"address_id": "abc"}, 400, "区划代码"),
    ]:
        answer = requests.post(base, data=fields | bad, timeout=10)
        assert answer.status_code == code, bad
        assert says in answer.json()[0]["description"], (bad, answer.text)
    _, worker_raw = api_token_create(actor=personas["worker"], user=personas["worker"], name="自己的")
    answer = requests.post(base, data=fields | {"api_key": worker_raw}, timeout=10)
    assert answer.status_code == 403 and "无权上报" in answer.json()[0]["description"]
    assert HazardReport.objects.count() == 1


def test_post_by_position_and_control_characters(personas):
    _, raw = api_token_create(actor=personas["county"], user=personas["county"], name="热线")
    client = Client()
    answer = client.post(
        "/open311/v2/requests.json", {"api_key": raw, "service_code": "road", "description": "路面塌陷", "lat": "28.68", "long": "115.9"}
    )
    assert answer.status_code == 201
    made = HazardReport.objects.get()
    assert made.region_id == "360102"  # no community centre known near: the unit's own region
    nul = client.post(
        "/open311/v2/requests.json", {"api_key": raw, "service_code": "road", "description": "路面\x00塌陷", "address_id": "360102"}
    )
    assert nul.status_code == 400
    assert HazardReport.objects.count() == 1


def test_masking_inside_descriptions():
    text = "王先生 13812345678，座机 0791-86861234，身份证 36010219900101123X，骑手张三丰说的。"
    masked = mask_text(text, names=["张三丰"])
    assert "13812345678" not in masked and "86861234" not in masked and "19900101" not in masked
    assert "王先生" not in masked and "张三丰" not in masked and "张**" in masked
