"""Earning and withdrawing by the events of the contract (workers.merited, workers.merit_withdrawn), the earning
rules (most specific prefix wins), the database's own refusal of a negative balance, and the erasure."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sanxin.core.events import publish
from sanxin.points import ledger, services
from sanxin.points.models import EarningRule, PointsAccount, PointsEntry, Redemption
from sanxin.workers.services import worker_erase
from tests.points.conftest import earn


def balance(worker) -> int:
    account = PointsAccount.objects.filter(worker=worker).first()
    return account.balance if account else 0


def test_default_rules_are_seeded_for_the_whole_country(db):
    rules = dict(EarningRule.objects.filter(region_code="").values_list("kind", "points"))
    assert rules == {"hazard_valid": 10, "volunteer_hours": 5, "care_checkin": 3, "selection_award": 100}


def test_merit_by_rule_posts_once_per_source(worker):
    assert not PointsAccount.objects.filter(worker=worker).exists()  # created on first need
    for _ in range(3):
        publish(
            "workers.merited", worker=worker, source="hazard:1", kind="hazard_valid", region_code="360102002001", reason="路灯损坏核实有效"
        )
    entry = PointsEntry.objects.get(source="hazard:1")
    assert (entry.amount, entry.balance_after, entry.kind, entry.reason) == (10, 10, "hazard_valid", "路灯损坏核实有效")
    assert balance(worker) == 10
    assert PointsAccount.objects.get(worker=worker).earned == 10


def test_most_specific_prefix_wins_and_hours_round_down(worker, personas):
    EarningRule.objects.create(kind="volunteer_hours", region_code="360102", points=8)
    EarningRule.objects.create(kind="volunteer_hours", region_code="360102002", points=7)
    publish(
        "workers.merited",
        worker=worker,
        source="v:1",
        kind="volunteer_hours",
        region_code="360102002001",
        reason="服务",
        quantity=Decimal("2.5"),
    )
    assert PointsEntry.objects.get(source="v:1").amount == 17  # 7 × 2.5 = 17.5 → 17
    publish("workers.merited", worker=worker, source="v:2", kind="volunteer_hours", region_code="360102003001", reason="服务", quantity=1)
    assert PointsEntry.objects.get(source="v:2").amount == 8
    publish("workers.merited", worker=worker, source="v:3", kind="volunteer_hours", region_code="360103001001", reason="服务", quantity=1)
    assert PointsEntry.objects.get(source="v:3").amount == 5  # the national default


def test_a_rule_edit_counts_for_the_next_posting_at_once(worker, personas):
    """No copy of the rules outlives an edit (on PostgreSQL the rule is read in the posting's own statement)."""
    publish("workers.merited", worker=worker, source="e:1", kind="hazard_valid", region_code="360102002001", reason="隐患")
    rule = EarningRule.objects.get(kind="hazard_valid", region_code="")
    rule.points = 12
    rule.save()
    publish("workers.merited", worker=worker, source="e:2", kind="hazard_valid", region_code="360102002001", reason="隐患")
    local = EarningRule.objects.create(kind="hazard_valid", region_code="360102002", points=4)
    publish("workers.merited", worker=worker, source="e:3", kind="hazard_valid", region_code="360102002001", reason="隐患")
    local.active = False
    local.save()
    publish("workers.merited", worker=worker, source="e:4", kind="hazard_valid", region_code="360102002001", reason="隐患")
    local.delete()
    publish("workers.merited", worker=worker, source="e:5", kind="hazard_valid", region_code="360102002001", reason="隐患")
    amounts = list(PointsEntry.objects.filter(source__startswith="e:").order_by("source").values_list("amount", "balance_after"))
    assert amounts == [(10, 10), (12, 22), (4, 26), (12, 38)]  # e:4 posts nothing: the street's rule is off


def test_an_inactive_or_zero_rule_posts_nothing(worker):
    EarningRule.objects.create(kind="care_checkin", region_code="360102", points=3, active=False)
    EarningRule.objects.create(kind="hazard_valid", region_code="360102", points=0)
    publish("workers.merited", worker=worker, source="c:1", kind="care_checkin", region_code="360102002001", reason="生日会")
    publish("workers.merited", worker=worker, source="h:1", kind="hazard_valid", region_code="360102002001", reason="隐患")
    publish("workers.merited", worker=worker, source="x:1", kind="unknown", region_code="360102002001", reason="?", points=5)
    publish("workers.merited", worker=worker, source="n:1", kind="hazard_valid", region_code="360103001001", reason="负", quantity=-2)
    assert not PointsEntry.objects.exists()


def test_fixed_points_are_posted_as_given(worker):
    earn(worker, points=200, source="selection_award:3")
    assert balance(worker) == 200


def test_withdrawal_reverses_once(worker):
    earn(worker, points=50, source="hazard:9", kind="hazard_valid")
    for _ in range(2):
        publish("workers.merit_withdrawn", source="hazard:9", reason="核实结果更正为重复上报", actor=None)
    reversal = PointsEntry.objects.get(reversal_of__source="hazard:9")
    assert (reversal.amount, reversal.balance_after, reversal.shortfall) == (-50, 0, 0)
    assert balance(worker) == 0
    publish("workers.merit_withdrawn", source="nothing:1", reason="无")  # nothing to reverse: no error
    earn(worker, points=50, source="hazard:9", kind="hazard_valid")  # the same source again earns nothing
    assert balance(worker) == 0


def test_withdrawal_after_spending_takes_what_is_left(worker):
    earn(worker, points=50, source="award:1")
    account = PointsAccount.objects.get(worker=worker)
    with transaction.atomic():
        ledger.post(ledger.locked_account(worker), amount=-40, kind="redeem", source="redeem:test", reason="兑换")
    publish("workers.merit_withdrawn", source="award:1", reason="撤销获奖")
    reversal = PointsEntry.objects.get(reversal_of__source="award:1")
    assert (reversal.amount, reversal.shortfall, reversal.balance_after) == (-10, 40, 0)
    assert "少扣 40 分" in reversal.reason
    account.refresh_from_db()
    assert account.balance == 0


def test_the_service_refuses_a_negative_balance_in_chinese(worker):
    earn(worker, points=5)
    with pytest.raises(ValidationError, match="积分不足"), transaction.atomic():
        ledger.post(ledger.locked_account(worker), amount=-6, kind="redeem", source="r:x", reason="兑换")
    assert balance(worker) == 5


def test_the_database_refuses_a_negative_balance(worker):
    earn(worker, points=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsAccount.objects.filter(worker=worker).update(balance=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(
            account=PointsAccount.objects.get(worker=worker), amount=-6, balance_after=-1, kind="redeem", source="r:y", reason="x"
        )


def test_the_source_is_unique_in_the_database(worker):
    earn(worker, points=5, source="s:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(
            account=PointsAccount.objects.get(worker=worker), amount=5, balance_after=10, kind="hazard_valid", source="s:1", reason="x"
        )


def test_erasure_deletes_account_entries_and_redemptions_and_returns_stock(worker, reward, personas):
    earn(worker, points=100)
    services.points_redeem(actor=personas["worker"], reward=reward)
    reward.refresh_from_db()
    assert reward.stock == 4
    worker_erase(actor=None, worker=worker, reason="本人删除")
    assert not PointsAccount.objects.exists() and not PointsEntry.objects.exists() and not Redemption.objects.exists()
    reward.refresh_from_db()
    assert reward.stock == 5
