"""The demo's appeals: every state, one escalated, one shielded about 美团外卖; a second run adds nothing."""

from pathlib import Path

from sanxin.appeals.models import Appeal, AppealStatus
from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.appeals import seed_demo_appeals
from sanxin.demo.workers import seed_demo_workers
from sanxin.workers.models import Worker


def test_demo_appeals(db, tmp_path: Path):
    seed_demo_accounts(tmp_path / "accounts.txt")
    assert seed_demo_appeals() >= 7
    assert seed_demo_appeals() == 0
    states = set(Appeal.objects.values_list("status", flat=True))
    assert states >= {"submitted", "in_progress", "waiting", "resolved", "closed", "returned"}
    escalated = Appeal.objects.get(escalation_level=1)
    assert escalated.status == AppealStatus.SUBMITTED and escalated.unit.region_id == "360102"
    shielded = Appeal.objects.get(shielded=True)
    assert shielded.platform.name == "美团外卖"
    assert Worker.objects.filter(user__username="worker").exists()  # the demo worker has things to do
    assert Appeal.objects.filter(worker__user__username="worker", status__in=["waiting", "resolved"]).count() == 2


def test_after_the_workers_demo_the_demo_worker_has_an_appeal_to_answer_and_one_to_rate(db, tmp_path: Path):
    seed_demo_accounts(tmp_path / "accounts.txt")
    seed_demo_workers()
    seed_demo_appeals()
    mine = Appeal.objects.filter(worker__user__username="worker")
    assert set(mine.values_list("status", flat=True)) >= {"waiting", "resolved", "in_progress"}
    assert mine.get(shielded=True).worker.name == "赵快跑"
