"""The staff pages (1440 px) and the worker's phone pages, through the test client."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from sanxin.core.events import publish
from sanxin.core.models import AuditEvent
from sanxin.points import services
from sanxin.points.models import EarningRule, PointsAccount, PointsEntry, Redemption, Reward
from tests.conftest import PASSWORD
from tests.points.conftest import earn


def balance(worker):
    return PointsAccount.objects.get(worker=worker).balance


def test_worker_redeems_and_cancels_on_the_phone(client_for, worker, reward):
    earn(worker, points=100)
    client = client_for("worker")
    home = client.get("/w/").content.decode()
    assert 'data-card="points"' in home and "100" in home and "/w/points/rewards/" in home
    page = client.get("/w/points/rewards/").content.decode()
    assert "免费健康体检" in page and "30 分" in page
    key = str(uuid.uuid4())
    response = client.post(f"/w/points/rewards/{reward.pk}/redeem/", {"client_key": key})
    redemption = Redemption.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/w/points/redemptions/{redemption.pk}/"
    client.post(f"/w/points/rewards/{reward.pk}/redeem/", {"client_key": key})  # the double click
    assert Redemption.objects.count() == 1 and balance(worker) == 70
    detail = client.get(f"/w/points/redemptions/{redemption.pk}/").content.decode()
    assert redemption.code[:4] in detail and "取消兑换" in detail
    client.post(f"/w/points/redemptions/{redemption.pk}/cancel/")
    assert balance(worker) == 100
    history = client.get("/w/points/").content.decode()
    assert "取消兑换“免费健康体检”，退回积分" in history and "+30" in history and "-30" in history


def test_refusals_show_in_chinese_on_the_phone(client_for, worker, reward):
    earn(worker, points=10)
    client = client_for("worker")
    assert "积分不足" in client.get("/w/points/rewards/").content.decode()
    response = client.post(f"/w/points/rewards/{reward.pk}/redeem/", follow=True)
    assert "积分不足：兑换“免费健康体检”需要 30 分，您现有 10 分" in response.content.decode()
    assert not Redemption.objects.exists()


def test_another_countys_reward_and_someone_elses_redemption_are_404(client_for, personas, worker, far_reward, other_worker, reward):
    earn(worker, points=100)
    client = client_for("worker")
    assert client.post(f"/w/points/rewards/{far_reward.pk}/redeem/").status_code == 404
    assert client.post("/w/points/rewards/99999999999999999999/redeem/").status_code == 404
    earn(other_worker, points=100, source="other:1")
    theirs = Redemption.objects.create(worker=other_worker, reward=reward, cost=30, code="12345678", requested_at=timezone.now())
    assert client.get(f"/w/points/redemptions/{theirs.pk}/").status_code == 404
    assert client.post(f"/w/points/redemptions/{theirs.pk}/cancel/").status_code == 404


def test_staff_fulfil_by_code(client_for, personas, worker, reward):
    earn(worker, points=100)
    redemption = services.points_redeem(actor=personas["worker"], reward=reward)
    county = client_for("county")
    found = county.get(f"/points/redemptions/code/?code={redemption.code}")
    assert found["Location"] == f"/points/redemptions/{redemption.pk}/"
    assert (
        "未找到该兑换码"
        in client_for("other_county").get(f"/points/redemptions/code/?code={redemption.code}", follow=True).content.decode()
    )
    page = county.get(found["Location"]).content.decode()
    assert "确认领取" in page and "兑换" in page
    wrong = county.post(f"/points/redemptions/{redemption.pk}/fulfil/", {"code": "１２"}, follow=True).content.decode()
    assert "兑换码不符" in wrong
    county.post(f"/points/redemptions/{redemption.pk}/fulfil/", {"code": redemption.code})
    redemption.refresh_from_db()
    assert redemption.status == "fulfilled"
    assert client_for("other_county").post(f"/points/redemptions/{redemption.pk}/revoke/", {"note": "x"}).status_code == 404
    refused = county.post(f"/points/redemptions/{redemption.pk}/revoke/", {"note": "误操作"}, follow=True).content.decode()
    assert "当前状态为“已领取”" in refused
    assert balance(worker) == 70


def test_staff_manage_the_catalogue_and_see_refusals(client_for, personas):
    client = client_for("county")
    bad = client.post("/points/rewards/", {"name": "免费理发", "kind": "service", "cost": "-3", "stock": "ten"}).content.decode()
    assert "所需积分不能小于 1" in bad and "库存须为整数" in bad
    huge = client.post("/points/rewards/", {"name": "免费理发", "kind": "service", "cost": "9" * 30, "stock": "1"}).content.decode()
    assert "所需积分" in huge and not Reward.objects.exists()
    empty = client.post("/points/rewards/", {}).content.decode()
    assert "必填" in empty or "请填写" in empty
    ok = client.post("/points/rewards/", {"name": "免费理发", "kind": "service", "cost": "２０", "stock": "１０", "active": "on"})
    assert ok.status_code == 302
    reward = Reward.objects.get()
    assert (reward.cost, reward.stock, reward.region_id, reward.unit.name) == (20, 10, "360102", "东湖区委两新工委")
    assert client_for("other_county").get(f"/points/rewards/{reward.pk}/").status_code == 404


def test_rules_page_saves_refuses_and_deletes(client_for, personas):
    client = client_for("county")
    page = client.get("/points/rules/").content.decode()
    assert "上级规则" in page and "随手拍核实有效" in page
    refused = client.post("/points/rules/", {"kind": "hazard_valid", "region_code": "360103", "points": "5"}).content.decode()
    assert "不在本单位管辖范围内" in refused
    negative = client.post("/points/rules/", {"kind": "hazard_valid", "region_code": "360102", "points": "-5"}).content.decode()
    assert "积分不能小于 0" in negative
    assert (
        client.post("/points/rules/", {"kind": "hazard_valid", "region_code": "360102", "points": "１５", "active": "on"}).status_code
        == 302
    )
    rule = EarningRule.objects.get(region_code="360102")
    assert rule.points == 15
    assert client_for("other_county").post(f"/points/rules/{rule.pk}/delete/").status_code == 404
    assert client_for("township").get("/points/rules/").status_code == 404  # the rules are the county's
    client.post(f"/points/rules/{rule.pk}/delete/")
    assert not EarningRule.objects.filter(pk=rule.pk).exists()
    assert AuditEvent.objects.filter(action="points_rule_delete").exists()


def test_report_by_kind_and_region_and_its_export(client_for, personas, worker, reward):
    earn(worker, points=100, region="360102002001")
    publish("workers.merited", worker=worker, source="h:1", kind="hazard_valid", region_code="360103001001", reason="西湖区隐患")
    services.points_redeem(actor=personas["worker"], reward=reward)
    today = timezone.localdate()
    url = f"/points/?start={today - timedelta(days=1):%Y-%m-%d}&end={today:%Y-%m-%d}&level=street"
    page = client_for("county").get(url).content.decode()
    assert 'data-total="earned">100<' in page and 'data-total="spent">30<' in page and "360102002" in page and "360103001" not in page
    other = client_for("other_county").get(url).content.decode()
    assert 'data-total="earned">10<' in other and "360102002" not in other
    county_level = client_for("province").get(url.replace("street", "county")).content.decode()
    assert "360102" in county_level and "360103" in county_level and 'data-total="earned">110<' in county_level
    assert "开始日期不能晚于结束日期" in client_for("county").get(f"/points/?start={today:%Y-%m-%d}&end=2000-01-01").content.decode()
    assert client_for("county").get("/points/?start=0001-01-01&end=9999-12-31").status_code == 200
    export = client_for("county").post(f"/points/export/?start={today:%Y-%m-%d}&end={today:%Y-%m-%d}", {"password": PASSWORD})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="points_report.export").exists()


def test_worker_ledger_page_follows_the_workers_scope(client_for, worker):
    earn(worker, points=100)
    page = client_for("community").get(f"/points/workers/{worker.pk}/").content.decode()
    assert "data-balance>100<" in page and "测试获奖" in page
    assert client_for("other_county").get(f"/points/workers/{worker.pk}/").status_code == 404


def test_worker_data_export_lists_points(client_for, worker):
    from sanxin.core.declare import worker_data

    earn(worker, points=100)
    rows = worker_data(worker)
    assert ("积分余额", "100 分") in rows and any(label == "积分记录" and "测试获奖" in text for label, text in rows)


def test_links_are_declared():
    from sanxin.core.declare import worker_links

    assert ("/w/points/", "bi-coin", "我的积分") in worker_links()


@pytest.mark.parametrize("path", ["/w/points/", "/w/points/rewards/", "/w/points/redemptions/"])
def test_phone_pages_need_a_worker(client_for, path):
    assert client_for("county").get(path).status_code == 404


def test_entries_are_never_written_twice_for_one_source(worker):
    earn(worker, points=5, source="s")
    earn(worker, points=7, source="s")
    assert list(PointsEntry.objects.values_list("amount", flat=True)) == [5]
