"""Staff pages: list with search and filters, detail masked and unmask audited, create and edit, export masked,
platforms; another county's workers are 404."""

import io

import pytest
from openpyxl import load_workbook

from sanxin.core.models import AuditEvent
from sanxin.workers.models import Worker
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_list_search_filters_and_total(client_for, rider, far_rider, platforms):
    client = client_for("county")
    page = client.get("/workers/").content.decode()
    assert ">李骑手<" in page and "王远方" not in page and "138****5678" in page and "13812345678" not in page
    assert "共 <strong>2</strong> 条" in page  # 李骑手 and the worker persona
    assert ">李骑手<" in client.get("/workers/?q=李").content.decode()
    assert ">李骑手<" in client.get("/workers/?q=１３８１２３４５６７８").content.decode()
    assert ">李骑手<" not in client.get("/workers/?q=13812345679").content.decode()
    assert ">李骑手<" not in client.get(f"/workers/?platform={platforms['顺丰速运'].pk}").content.decode()
    assert ">李骑手<" in client.get(f"/workers/?platform={platforms['美团外卖'].pk}").content.decode()
    assert ">李骑手<" not in client.get("/workers/?occupation=courier").content.decode()
    assert ">李骑手<" in client.get("/workers/?region=360102002").content.decode()
    assert ">李骑手<" not in client.get("/workers/?region=360102004").content.decode()
    for odd in ("?platform=99999999999999999999999", "?region=%EF%BC%93", "?page=-1&size=7", "?q=" + "x" * 500):
        assert client.get("/workers/" + odd).status_code == 200


def test_detail_masked_and_unmask_audited(client_for, rider):
    client = client_for("county")
    page = client.get(f"/workers/{rider.pk}/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    shown = client.get(f"/workers/{rider.pk}/unmask/").content.decode()
    assert "13812345678" in shown
    assert AuditEvent.objects.filter(action="worker_unmask", object_id=str(rider.pk)).exists()
    # Industry and zone staff see workers but not full numbers.
    assert client_for("zone").get(f"/workers/{rider.pk}/unmask/").status_code == 404


def test_another_countys_worker_is_404(client_for, far_rider):
    client = client_for("county")
    for path in (f"/workers/{far_rider.pk}/", f"/workers/{far_rider.pk}/unmask/", f"/workers/{far_rider.pk}/edit/"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/workers/{far_rider.pk}/edit/", {"name": "x"}).status_code == 404
    assert client.get(f"/api/v1/workers/{far_rider.pk}").status_code == 404
    assert client.get("/workers/99999999999999999999999/").status_code == 404


def test_create_and_edit(client_for, platforms):
    client = client_for("township")
    data = {
        "name": "新骑手",
        "phone": "１３６００００１１１１",
        "occupation": "delivery_rider",
        "region": "360102002001",
        "platforms": [platforms["饿了么"].pk],
    }
    response = client.post("/workers/new/", data)
    assert response.status_code == 302
    worker = Worker.objects.get(name="新骑手")
    assert worker.phone == "13600001111" and worker.source == "staff"
    again = client.post("/workers/new/", {**data, "name": "重复"})
    assert "该手机号码已登记为从业人员" in again.content.decode()
    long_name = client.post("/workers/new/", {**data, "name": "长" * 51, "phone": "13600002222"})
    assert "50" in long_name.content.decode() and not Worker.objects.filter(phone_index__isnull=True).exists()
    outside = client.post("/workers/new/", {**data, "phone": "13600003333", "region": "360103001"})
    assert "不在您的管辖范围内" in outside.content.decode()
    edit = client.post(f"/workers/{worker.pk}/edit/", {**data, "name": "改名骑手"})
    assert edit.status_code == 302
    worker.refresh_from_db()
    assert worker.name == "改名骑手"
    assert client.post("/workers/new/", {}).status_code == 200


def test_export_masks_phones(client_for, rider, far_rider):
    client = client_for("county")
    assert client.get("/workers/export/").status_code == 200
    response = client.post("/workers/export/", {"password": PASSWORD})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c}
    assert "李骑手" in cells and "138****5678" in cells and "13812345678" not in cells and "王远方" not in cells
    assert AuditEvent.objects.filter(action="worker.export").exists()


def test_platform_pages(client_for, platforms):
    county = client_for("county")
    assert "美团外卖" in county.get("/workers/platforms/").content.decode()
    assert county.post("/workers/platforms/new/", {"name": "货拉拉", "kind": "freight"}).status_code == 302
    duplicate = county.post("/workers/platforms/new/", {"name": "货拉拉", "kind": "freight"})
    assert "已存在" in duplicate.content.decode()
    pk = platforms["饿了么"].pk
    assert county.post(f"/workers/platforms/{pk}/edit/", {"name": "饿了么外卖", "kind": "food_delivery"}).status_code == 302
    assert client_for("township").get("/workers/platforms/new/").status_code == 404
    assert client_for("sysadmin").get("/workers/platforms/").status_code == 200
    assert client_for("member").get("/workers/platforms/").status_code == 404
    assert client_for("worker").get("/workers/").status_code == 404


def test_menu_group(client_for):
    page = client_for("county").get("/").content.decode()
    assert "新就业群体" in page and "从业人员" in page


def test_link_a_member_record_by_id_number(client_for, personas, rider, platforms):
    from tests.members_factories import make_member
    from tests.orgs_factories import party_org

    branch = party_org(personas["county"], name="滕王阁快递党支部")
    member = make_member(personas["county"], branch, name="李骑手")
    client = client_for("county")
    data = {"name": "李骑手", "phone": "13812345678", "occupation": "delivery_rider", "region": "360102002"}
    missing = client.post(f"/workers/{rider.pk}/edit/", {**data, "member_id_number": "110101199001011234"})
    assert "没有这个身份证号码的党员" in missing.content.decode()
    linked = client.post(f"/workers/{rider.pk}/edit/", {**data, "member_id_number": member.id_number.lower()})
    assert linked.status_code == 302
    rider.refresh_from_db()
    assert rider.member_id == member.pk
    assert "滕王阁快递党支部" in client.get(f"/workers/{rider.pk}/").content.decode()
    client.post(f"/workers/{rider.pk}/edit/", data)  # blank keeps the link
    rider.refresh_from_db()
    assert rider.member_id == member.pk
