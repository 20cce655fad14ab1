"""The API: staff list and detail (masked, scoped); the worker's own /api/v1/w/me."""

import pytest

from sanxin.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_staff_list_and_detail_masked(client_for, rider, far_rider):
    client = client_for("county")
    data = client.get("/api/v1/workers").json()
    names = {item["name"] for item in data["items"]}
    assert "李骑手" in names and "王远方" not in names and data["count"] == len(names)
    row = next(item for item in data["items"] if item["name"] == "李骑手")
    assert row["phone_masked"] == "138****5678" and "13812345678" not in str(data)
    assert row["platforms"][0]["name"] == "美团外卖"
    assert client.get(f"/api/v1/workers/{rider.pk}").json()["region"] == "360102002"
    assert client.get(f"/api/v1/workers/{far_rider.pk}").status_code == 404
    assert client.get("/api/v1/workers?occupation=pilot").status_code == 422
    assert client_for("member").get("/api/v1/workers").status_code == 404


def test_me_get_patch_export(client_for, platforms):
    client = client_for("worker")
    me = client.get("/api/v1/w/me").json()
    assert me["phone_masked"] == "139****9000" and me["consent_current"] is True
    changed = client.patch(
        "/api/v1/w/me", {"work_area": "八一广场周边", "platforms": [platforms["顺丰速运"].pk]}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["work_area"] == "八一广场周边"
    assert [p["name"] for p in changed.json()["platforms"]] == ["顺丰速运"]
    refused = client.patch("/api/v1/w/me", {"phone": "13800000000"}, content_type="application/json")
    assert refused.status_code == 422
    too_long = client.patch("/api/v1/w/me", {"name": "长" * 51}, content_type="application/json")
    assert too_long.status_code == 422
    county = client.patch("/api/v1/w/me", {"region": "360102000"}, content_type="application/json")
    assert county.status_code == 422
    export = client.get("/api/v1/w/me/export")
    assert export.status_code == 200 and export.json()["手机号码"] == "13900139000"
    assert AuditEvent.objects.filter(action="worker_export_self").exists()


def test_me_is_only_for_workers(client_for):
    assert client_for("county").get("/api/v1/w/me").status_code == 404
    assert client_for("member").get("/api/v1/w/me/export").status_code == 404
