"""The worker's own pages: see (masked, unmask audited), correct, export, delete (reaching history)."""

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from sanxin.accounts.models import User
from sanxin.core.events import subscribe, unsubscribe
from sanxin.core.models import AuditEvent
from sanxin.workers.models import Worker
from sanxin.workers.services import WORKER_ERASED

pytestmark = pytest.mark.django_db
PHONE = "13900139000"


def test_home_and_tab_bar(client_for):
    page = client_for("worker").get("/w/").content.decode()
    for path, label in (("/w/", "首页"), ("/w/stations/", "驿站"), ("/w/appeals/", "诉求"), ("/w/me/", "我的")):
        assert f'href="{path}"' in page and label in page
    assert 'aria-current="page" href="/w/"' in page
    assert "告知同意书" in page


def test_member_tab_bar_unchanged(client_for):
    page = client_for("member").get("/m/me/").content.decode()
    assert 'href="/w/stations/"' not in page and "会议" in page


def test_me_masks_and_unmask_is_audited(client_for):
    client = client_for("worker")
    page = client.get("/w/me/").content.decode()
    assert "139****9000" in page and PHONE not in page
    shown = client.get("/w/me/unmask/").content.decode()
    assert PHONE in shown
    event = AuditEvent.objects.get(action="worker_unmask_self")
    assert PHONE not in json.dumps(event.detail) and "测试" not in event.object_repr


def test_correct_own_data(client_for, platforms):
    client = client_for("worker")
    response = client.post(
        "/w/me/edit/", {"name": "测试改名", "occupation": "courier", "region": "360102002", "platforms": [platforms["饿了么"].pk]}
    )
    assert response.status_code == 302
    worker = Worker.objects.get(phone_index__isnull=False, user__username="worker")
    assert worker.name == "测试改名" and worker.region_id == "360102002"
    assert list(worker.platforms.values_list("name", flat=True)) == ["饿了么"]
    event = AuditEvent.objects.get(action="worker_update_self")
    assert "测试改名" not in json.dumps(event.detail, ensure_ascii=False)
    bad = client.post("/w/me/edit/", {"name": "名" * 51, "occupation": "courier", "region": "360102002"})
    assert bad.status_code == 400 and "50" in bad.content.decode()
    nul = client.post("/w/me/edit/", {"name": "", "occupation": "pilot", "region": "999999999"})
    assert nul.status_code == 400


def test_export_own_data_xlsx_and_json(client_for):
    client = client_for("worker")
    response = client.post("/w/me/export/", {"fmt": "xlsx"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    values = {row[0]: row[1] for row in book.active.iter_rows(values_only=True)}
    assert values["手机号码"] == PHONE and values["姓名"] == "测试worker"
    data = json.loads(client.post("/w/me/export/", {"fmt": "json"}).content)
    assert data["手机号码"] == PHONE
    assert AuditEvent.objects.filter(action="worker_export_self").count() == 2
    assert client.post("/w/me/export/", {"fmt": "pdf"}).status_code == 400


def test_delete_own_data_reaches_history(db, platforms, sms_outbox):
    """Registered as a worker registers (by phone and code), the history written about them and by them
    keeps no name or phone once they delete themselves."""
    from tests.workers.conftest import last_code

    client = Client()
    client.post("/w/login/", {"step": "send", "phone": "13600136000"})
    client.post("/w/login/", {"step": "verify", "code": last_code(sms_outbox)})
    client.post("/w/register/", {"name": "赵删除", "occupation": "courier", "region": "360102002001", "work_area": "八一广场"})
    client.post("/w/consent/", {"version": "2026.1", "accept": "on", "accept_sensitive": "on"})
    client.post("/w/me/edit/", {"name": "赵删除改", "occupation": "courier", "region": "360102002001"})
    client.post("/w/me/export/", {"fmt": "json"})
    worker = Worker.objects.get(name="赵删除改")
    user_id = worker.user_id
    heard = []

    def listener(*, worker, user_id, **_):
        heard.append((worker.pk, user_id))

    subscribe(WORKER_ERASED, listener)
    client.get("/w/me/unmask/")  # history with the worker in it
    assert client.post("/w/me/delete/", {"confirm": "删除"}).status_code == 400
    assert Worker.objects.filter(pk=worker.pk).exists()
    try:
        response = client.post("/w/me/delete/", {"confirm": "确认删除"})
    finally:
        unsubscribe(WORKER_ERASED, listener)
    assert response.status_code == 302 and response["Location"] == "/w/login/"
    assert heard == [(worker.pk, user_id)]
    assert not Worker.objects.filter(pk=worker.pk).exists()
    assert not User.objects.filter(pk=user_id).exists()
    for e in AuditEvent.objects.all():
        text = json.dumps((e.object_repr, e.actor_name, e.detail), ensure_ascii=False)
        assert "13600136000" not in text and "赵删除" not in text, (e.action, text)
    assert AuditEvent.objects.filter(action="worker_erase").exists()
    assert client.get("/w/me/")["Location"].startswith("/w/login/")


def test_consent_page_needs_a_worker(client_for):
    assert Client().get("/w/consent/")["Location"].startswith("/w/login/")
    assert client_for("county").get("/w/consent/").status_code == 404


def test_pin_the_work_area_from_the_phone_and_clear_it(client_for, personas):
    """The pinned position sorts 附近驿站 and is a demand point of the circle; the audit says it changed, not where."""
    phone = client_for("worker")
    assert "用手机当前位置标注" in phone.get("/w/me/area/").content.decode()
    response = phone.post("/w/me/area/", {"longitude": "１１５.９０１２", "latitude": "28.6801"})  # full-width digits fold
    assert response.status_code == 302
    worker = Worker.objects.get(user=personas["worker"])
    assert (str(worker.work_longitude), str(worker.work_latitude)) == ("115.901200", "28.680100")
    event = AuditEvent.objects.get(action="worker_pin_work_area")
    assert "115.9" not in json.dumps(event.detail) and event.detail["pinned"] == {"old": False, "new": True}
    assert "已标注" in phone.get("/w/me/").content.decode()
    phone.post("/w/me/area/", {"clear": "1"})
    worker.refresh_from_db()
    assert worker.work_longitude is None and worker.work_latitude is None


@pytest.mark.parametrize(
    ("longitude", "latitude", "reason"),
    [
        ("200", "28.68", "经度须在中国境内"),
        ("115.9", "", "请填写纬度"),
        ("东经115", "28.68", "经度应为数字"),
        ("nan", "28.68", "经度须在中国境内"),
    ],
)
def test_a_wrong_position_is_refused_and_nothing_changes(client_for, personas, longitude, latitude, reason):
    response = client_for("worker").post("/w/me/area/", {"longitude": longitude, "latitude": latitude})
    assert response.status_code == 400 and reason in response.content.decode()
    assert Worker.objects.get(user=personas["worker"]).work_longitude is None


def other_apps_rows(worker):
    return [("测试应用的记录", f"{worker.name}的积分 12"), ("测试明细", "第一条"), ("测试明细", "第二条")]


def test_other_apps_links_and_data_reach_the_workers_pages_and_export(client_for, monkeypatch):
    """Apps above workers declare links (SanxinApp.worker_links) and the data they hold (worker_data); the
    home and 我的 show the links, the worker's export carries the rows."""
    from django.apps import apps

    config = apps.get_app_config("stations")
    monkeypatch.setattr(config, "worker_links", (("/w/test-link/", "bi-star", "测试服务"),), raising=False)
    monkeypatch.setattr(config, "worker_data", ("tests.workers.test_phone_pages.other_apps_rows",), raising=False)
    client = client_for("worker")
    for page in ("/w/", "/w/me/"):
        assert 'href="/w/test-link/"' in client.get(page).content.decode()
    data = json.loads(client.post("/w/me/export/", {"fmt": "json"}).content)
    assert data["测试应用的记录"] == "测试worker的积分 12"
    assert data["测试明细"] == ["第一条", "第二条"]  # a repeated label keeps every row
