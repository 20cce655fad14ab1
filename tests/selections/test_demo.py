"""The demo's selections: the city's 最美外卖配送员 awarded with 赵快跑 honoured (points published), the county's
最美快递员 in publicity with one objection pending; a second run adds nothing."""

from pathlib import Path

from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.selections import seed_demo_selections
from sanxin.demo.workers import seed_demo_workers
from sanxin.selections.models import Campaign, Honour, Objection
from sanxin.selections.selectors import notice_rows


def test_demo_selections(db, tmp_path: Path, merits):
    seed_demo_accounts(tmp_path / "accounts.txt")
    seed_demo_workers()
    assert seed_demo_selections() == 2
    assert seed_demo_selections() == 0
    awarded = Campaign.objects.get(status="awarded")
    assert awarded.unit.region_id == "3601" and awarded.kind == "delivery"
    honour = Honour.objects.get(worker__user__username="worker")
    assert honour.worker.name == "赵快跑" and honour.campaign == awarded and honour.points == 200
    assert any(m["worker"] == honour.worker and m["points"] == 200 and m["kind"] == "selection_award" for m in merits["merited"])
    running = Campaign.objects.get(status="publicity")
    assert Objection.objects.filter(nomination__campaign=running, status="pending").count() == 1
    assert notice_rows(running)
