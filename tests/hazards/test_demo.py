"""The demo's hazard reports: the demo worker 赵快跑 has one valid (points published), one duplicate, one dispatched;
a second run adds nothing."""

from pathlib import Path

from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.hazards import seed_demo_hazards
from sanxin.demo.workers import seed_demo_workers
from sanxin.hazards.models import HazardReport


def test_demo_hazards(db, tmp_path: Path, listener):
    seed_demo_accounts(tmp_path / "accounts.txt")
    assert seed_demo_hazards() == 0  # no demo worker yet
    seed_demo_workers()
    assert seed_demo_hazards() >= 6
    assert seed_demo_hazards() == 0
    mine = HazardReport.objects.filter(reporter__user__username="worker")
    assert mine.first().reporter.name == "赵快跑"
    assert set(mine.values_list("status", flat=True)) == {"valid", "duplicate", "dispatched"}
    assert set(HazardReport.objects.values_list("status", flat=True)) >= {
        "submitted",
        "valid",
        "duplicate",
        "dispatched",
        "resolved",
        "invalid",
    }
    merited = [payload for kind, payload in listener if kind == "merited"]
    assert any(p["worker"].name == "赵快跑" and p["kind"] == "hazard_valid" for p in merited)
    assert not any(p["source"] == f"hazard:{mine.get(status='duplicate').pk}" for p in merited)
