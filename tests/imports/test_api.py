"""Imports over the API: upload → job status → errors (JSON and file) → retry; jobs stay their uploader's."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from sanxin.core.models import AuditEvent
from sanxin.imports.models import ImportJob
from sanxin.orgs.models import Organization
from tests.imports.test_imports import row, xlsx


def upload(client, content: bytes, name="名录.xlsx", registry="organizations", mode="all"):
    return client.post("/api/v1/imports/jobs", {"registry": registry, "mode": mode, "file": SimpleUploadedFile(name, content)})


def test_upload_status_and_result(personas, client_for):
    client = client_for("county")
    response = upload(client, xlsx([row(name="南昌甲有限公司"), row(name="南昌乙有限公司")]))
    assert response.status_code == 201, response.content
    job = response.json()  # the test settings run the background task at once
    status = client.get(f"/api/v1/imports/jobs/{job['id']}").json()
    assert status["finished"] is True and status["status"] == "done" and status["progress"] == 100
    assert (status["total_rows"], status["created_count"], status["error_count"]) == (2, 2, 0)
    assert set(Organization.objects.values_list("name", flat=True)) == {"南昌甲有限公司", "南昌乙有限公司"}
    assert AuditEvent.objects.filter(action="import_job_create", actor_name="county").exists()
    assert [j["id"] for j in client.get("/api/v1/imports/jobs").json()["items"]] == [job["id"]]


def test_errors_by_row_column_and_reason_and_their_file(personas, client_for):
    client = client_for("county")
    content = xlsx([row(name="好的有限公司"), row(**{"单位类别": "国有企业"}), row(region="360103001001")])
    job = upload(client, content).json()
    status = client.get(f"/api/v1/imports/jobs/{job['id']}").json()
    assert status["status"] == "rejected" and status["rejected_count"] == 2 and "全部有效才导入" in status["message"]
    errors = client.get(f"/api/v1/imports/jobs/{job['id']}/errors").json()
    assert errors["count"] == 2
    assert {(e["row"], e["column"]) for e in errors["items"]} == {(3, "单位类别"), (4, "所在地区代码")}
    assert client.get(f"/api/v1/imports/jobs/{job['id']}/errors?limit=1&offset=1").json()["items"] == errors["items"][1:]
    download = client.get(f"/api/v1/imports/jobs/{job['id']}/errors.xlsx")
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    assert [c.value for c in sheet[2]][:2] == [3, "单位类别"]
    assert AuditEvent.objects.filter(action="import.errors_download", object_id=str(job["id"])).exists()
    assert not Organization.objects.exists()


def test_valid_rows_only(personas, client_for):
    job = upload(client_for("county"), xlsx([row(name="好的有限公司"), row(**{"单位类别": "国有企业"})]), mode="valid").json()
    status = client_for("county").get(f"/api/v1/imports/jobs/{job['id']}").json()
    assert status["status"] == "done" and status["created_count"] == 1 and status["rejected_count"] == 1


def test_a_job_is_its_uploaders_only(personas, client_for):
    job = upload(client_for("county"), xlsx([row(**{"单位类别": "国有企业"})])).json()
    for persona in ("township", "province", "member"):
        other = client_for(persona)
        for suffix in ("", "/errors", "/errors.xlsx"):
            response = other.get(f"/api/v1/imports/jobs/{job['id']}{suffix}")
            assert response.status_code == 404 and response.json() == {"detail": "未找到"}, (persona, suffix)
        assert other.post(f"/api/v1/imports/jobs/{job['id']}/retry").status_code == 404
    assert client_for("township").get("/api/v1/imports/jobs").json() == {"items": [], "count": 0}
    assert ImportJob.objects.count() == 1 and not AuditEvent.objects.filter(action="import.errors_download").exists()


def test_refusals(personas, client_for):
    client = client_for("county")
    xls = upload(client, b"\xd0\xcf\x11\xe0", name="旧格式.xls")
    assert xls.status_code == 422 and xls.json()["errors"][0]["loc"] == ["file"] and ".xls" in xls.json()["detail"]
    unknown = upload(client, xlsx([row()]), registry="nonsense")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"][-1] == "registry"
    missing = client.post("/api/v1/imports/jobs", {"registry": "organizations"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["msg"] == "必须填写"
    assert upload(client_for("member"), xlsx([row()])).status_code == 403  # no import capability: the service refuses
    assert not ImportJob.objects.exists()


def test_a_silent_job_fails_when_seen_and_is_retried(personas, client_for):
    client = client_for("county")
    job = upload(client, xlsx([row(name="重来有限公司")])).json()
    Organization.objects.all().delete()
    ImportJob.objects.filter(pk=job["id"]).update(status="writing", updated_at=timezone.now())
    refused = client.post(f"/api/v1/imports/jobs/{job['id']}/retry")  # still alive: not to be run twice
    assert refused.status_code == 422 and refused.json()["detail"] == "只有失败的导入任务可以重新导入"
    ImportJob.objects.filter(pk=job["id"]).update(updated_at=timezone.now() - timedelta(hours=2))
    status = client.get(f"/api/v1/imports/jobs/{job['id']}").json()
    assert status["status"] == "failed" and "没有进展" in status["message"]
    retry = client.post(f"/api/v1/imports/jobs/{job['id']}/retry")
    assert retry.status_code == 201 and retry.json()["id"] != job["id"]
    assert client.get(f"/api/v1/imports/jobs/{retry.json()['id']}").json()["status"] == "done"
    assert Organization.objects.filter(name="重来有限公司").exists()
