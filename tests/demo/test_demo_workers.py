"""The demo's workers: six platforms (美团外卖 with its Party committee), ~40 workers in 东湖区, and the demo worker
who logs in at /w/login/ by phone, the code shown in the page in the demo."""

import re
from pathlib import Path

from django.test import Client

from sanxin.accounts.models import User
from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.workers import DEMO_WORKER_PHONE, PLATFORMS, seed_demo_workers
from sanxin.workers.models import Platform, Worker


def test_demo_workers_and_the_demo_worker_logs_in_by_phone(db, tmp_path: Path, settings):
    settings.SANXIN_OTP_REQUIRED = False
    settings.SANXIN_DEMO = True
    settings.SANXIN_SMS_BACKEND = "sanxin.workers.sms.ConsoleBackend"
    seed_demo_accounts(tmp_path / "accounts.txt")
    added = seed_demo_workers()
    assert added >= 40 and seed_demo_workers() == 0
    assert set(Platform.objects.values_list("name", flat=True)) == {p[0] for p in PLATFORMS}
    meituan = Platform.objects.get(name="美团外卖")
    assert meituan.unit is not None and meituan.unit.kind == "platform"
    assert User.objects.get(username="meituan").unit == meituan.unit
    assert Worker.objects.filter(region__code__startswith="360102").count() == added
    assert Worker.objects.filter(consented_at__isnull=False).count() > 25
    assert len(set(Worker.objects.values_list("platforms__name", flat=True))) == 6
    county = Client()
    county.force_login(User.objects.get(username="dh_county"))
    assert f"共 <strong>{added}</strong> 条" in county.get("/workers/").content.decode()
    client = Client()
    client.post("/w/login/", {"step": "send", "phone": DEMO_WORKER_PHONE})
    page = client.get("/w/login/").content.decode()
    assert "演示环境" in page
    code = re.search(r'data-demo-code="(\d{6})"', page).group(1)
    assert client.post("/w/login/", {"step": "verify", "code": code})["Location"] == "/w/"
    home = client.get("/w/").content.decode()
    assert "赵快跑" in home and "美团外卖" in home
