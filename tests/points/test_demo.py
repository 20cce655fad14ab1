"""The demo's points: the catalogue with 免费健康体检 and one item out of stock; 赵快跑 with points from several
sources, a fulfilled redemption and a pending one; a second run adds nothing."""

from pathlib import Path

from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.points import seed_demo_points
from sanxin.demo.workers import seed_demo_workers
from sanxin.points.models import PointsAccount, PointsEntry, Redemption, Reward
from tests.conftest import logged_in_client


def test_demo_points(db, tmp_path: Path):
    seed_demo_accounts(tmp_path / "accounts.txt")
    seed_demo_workers()
    assert seed_demo_points() == 5
    assert seed_demo_points() == 0
    assert Reward.objects.filter(name="免费健康体检").exists() and Reward.objects.filter(stock=0).count() == 1
    kinds = set(PointsEntry.objects.filter(account__worker__name="赵快跑", amount__gt=0).values_list("kind", flat=True))
    assert kinds == {"hazard_valid", "volunteer_hours", "care_checkin", "selection_award"}
    assert set(Redemption.objects.filter(worker__name="赵快跑").values_list("status", flat=True)) == {"fulfilled", "requested"}
    account = PointsAccount.objects.get(worker__name="赵快跑")
    assert account.balance == 10 + 10 + 15 + 3 + 100 - 20 - 50
    client = logged_in_client(account.worker.user)
    page = client.get("/w/points/").content.decode()
    assert "最美外卖配送员" in page and str(account.balance) in page
    assert "骑手安全头盔" in client.get("/w/points/rewards/").content.decode()
