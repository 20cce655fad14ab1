"""Data comparison over the API: upload → status → rows → review decision → download (with the password again)."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from sanxin.compare.models import ComparisonRow, RegistryComparison
from sanxin.core.models import AuditEvent
from tests.compare.test_compare import entry, outside
from tests.conftest import PASSWORD
from tests.orgs_factories import credit_code, make_org


@pytest.fixture
def known(personas):
    county = personas["county"]
    return {
        "coded": make_org(county, name="南昌顺达快递有限公司"),
        "typo": make_org(county, name="南昌赣江网络科技有限公司", address="东湖区民巷 18 号"),
        "street": make_org(county, name="东湖另一街道有限公司", region="360102004001"),
    }


def upload(client, rows, region="360102"):
    return client.post("/api/v1/compare", {"region": region, "file": SimpleUploadedFile("外部名录.xlsx", outside(rows))})


def run(client, known) -> dict:
    rows = [
        entry("南昌顺达快递有限公司", code=known["coded"].credit_code),
        entry("南昌顺达快递有限公司", code=credit_code()),  # the same name under another credit code: to review
        entry("南昌全新甲有限公司"),
        entry("东湖另一街道新企业", region="360102004001"),
    ]
    response = upload(client, rows)
    assert response.status_code == 201, response.content
    return response.json()


def xlsx_names(content: bytes) -> set[str]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_upload_status_rows_review_and_download(personas, client_for, known):
    client = client_for("county")
    created = run(client, known)
    status = client.get(f"/api/v1/compare/{created['id']}").json()
    assert status["status"] == "done" and status["finished"] is True
    counts = status["counts"]
    assert (counts["matched"], counts["review"], counts["new"], counts["rows"]) == (1, 1, 2, 4)
    assert status["summary"].startswith("外部名录 4 行：匹配 1，新增 2，待核实 1")
    rows = client.get(f"/api/v1/compare/{created['id']}/rows?outcome=review").json()
    assert rows["count"] == 1
    [pending] = rows["items"]
    assert pending["values"]["单位名称"] == "南昌顺达快递有限公司" and pending["organization"]["name"] == "南昌顺达快递有限公司"
    assert client.get(f"/api/v1/compare/{created['id']}/rows").json()["count"] == ComparisonRow.objects.count()
    decided = client.post(
        f"/api/v1/compare/{created['id']}/rows/{pending['id']}/review", json.dumps({"decision": "confirm"}), content_type="application/json"
    )
    assert decided.status_code == 200 and decided.json()["outcome"] == "matched" and decided.json()["decision"] == "confirmed"
    assert client.get(f"/api/v1/compare/{created['id']}").json()["counts"]["matched"] == 2
    again = client.post(
        f"/api/v1/compare/{created['id']}/rows/{pending['id']}/review", json.dumps({"decision": "reject"}), content_type="application/json"
    )
    assert again.status_code == 422 and again.json()["detail"] == "这一行已核实过，不在待核实状态"
    download = client.post(f"/api/v1/compare/{created['id']}/export", {"password": PASSWORD})
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert {"南昌顺达快递有限公司", "南昌全新甲有限公司", "东湖另一街道新企业"} <= xlsx_names(download.content)
    event = AuditEvent.objects.get(action="compare.export", outcome="success")
    assert event.actor_name == "county" and event.detail["via"] == "api" and event.detail["rows"] >= 4
    assert AuditEvent.objects.filter(action="review_decide").count() == 1


def test_the_download_asks_for_the_password_again(personas, client_for, known):
    client = client_for("county")
    created = run(client, known)
    wrong = client.post(f"/api/v1/compare/{created['id']}/export", {"password": "不是这个密码"})
    assert wrong.status_code == 403 and wrong.json() == {"detail": "密码不正确，未导出（连续输错 5 次将锁定账号 30 分钟）"}
    missing = client.post(f"/api/v1/compare/{created['id']}/export", {})
    assert missing.status_code == 422 and missing.json()["errors"][0]["msg"] == "必须填写"
    assert AuditEvent.objects.filter(action="compare.export", outcome="denied").count() == 1
    assert not AuditEvent.objects.filter(action="compare.export", outcome="success").exists()
    for _ in range(4):
        client.post(f"/api/v1/compare/{created['id']}/export", {"password": "还是不对"})
    locked = client.post(f"/api/v1/compare/{created['id']}/export", {"password": PASSWORD})
    assert locked.status_code in (401, 403)  # locked: the session was ended with the fifth failure
    assert not AuditEvent.objects.filter(action="compare.export", outcome="success").exists()


def test_rows_counts_and_download_are_cut_to_the_viewers_scope(personas, client_for, known):
    created = run(client_for("county"), known)
    township = client_for("township")  # 滕王阁街道: not the rows of 360102004
    status = township.get(f"/api/v1/compare/{created['id']}").json()
    assert status["counts"]["rows"] == 3 and status["counts"]["new"] == 1
    names = {r["values"].get("单位名称") for r in township.get(f"/api/v1/compare/{created['id']}/rows?outcome=new").json()["items"]}
    assert names == {"南昌全新甲有限公司"}
    download = township.post(f"/api/v1/compare/{created['id']}/export", {"password": PASSWORD})
    assert "东湖另一街道新企业" not in xlsx_names(download.content)
    row = ComparisonRow.objects.get(outcome="new", region_code="360102004001")
    review = township.post(
        f"/api/v1/compare/{created['id']}/rows/{row.pk}/review", json.dumps({"decision": "confirm"}), content_type="application/json"
    )
    assert review.status_code == 404
    for persona in ("other_county", "outsider"):
        other = client_for(persona)
        for url in (f"/api/v1/compare/{created['id']}", f"/api/v1/compare/{created['id']}/rows"):
            assert other.get(url).status_code == 404
        assert other.post(f"/api/v1/compare/{created['id']}/export", {"password": PASSWORD}).status_code == 404
        assert other.post(f"/api/v1/compare/{created['id']}/retry").status_code == 404
    assert client_for("other_county").get("/api/v1/compare").json() == {"items": [], "count": 0}
    assert ComparisonRow.objects.get(pk=row.pk).decision == "pending"


def test_refusals(personas, client_for, known):
    client = client_for("county")
    outside_region = upload(client, [entry("某公司")], region="360103")
    assert outside_region.status_code == 422
    assert outside_region.json()["errors"] == [{"loc": ["region"], "msg": "区划代码“360103”不存在或不在您的管辖范围内", "type": "refused"}]
    bad_decision = client.post("/api/v1/compare/1/rows/1/review", json.dumps({"decision": "maybe"}), content_type="application/json")
    assert bad_decision.status_code == 422 and bad_decision.json()["errors"][0]["msg"] == "应为 'confirm'、'reject' 之一"
    assert upload(client_for("member"), [entry("某公司")]).status_code == 403
    assert not RegistryComparison.objects.exists()


def test_a_failed_comparison_is_retried_by_its_uploader(personas, client_for, known):
    client = client_for("county")
    response = client.post("/api/v1/compare", {"region": "360102", "file": SimpleUploadedFile("坏.csv", "只有一列\n".encode())})
    created = response.json()
    status = client.get(f"/api/v1/compare/{created['id']}").json()
    assert status["status"] == "failed" and status["summary"]
    assert client_for("province").post(f"/api/v1/compare/{created['id']}/retry").json()["detail"] == "只能重新比对本人上传的名录"
    retried = client.post(f"/api/v1/compare/{created['id']}/retry")
    assert retried.status_code == 200 and retried.json()["status"] == "failed"  # the same file fails the same way, run again
    assert AuditEvent.objects.filter(action="comparison_retry").count() == 1
