"""security.md 26 on PostgreSQL with real threads, each its own connection: the last item redeemed once, a balance
spent by many taps never below zero, the same earning published at once posts once. SQLite has no row locks
(SELECT … FOR UPDATE is a no-op there and writers lock the whole file), so these run only on PostgreSQL; the CI runs
them there."""

import threading
import time
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from sanxin.accounts.models import User
from sanxin.accounts.services import grant_initial_roles
from sanxin.core.events import publish
from sanxin.points import services
from sanxin.points.models import EarningRule, PointsAccount, PointsEntry, Redemption, Reward
from sanxin.workers.models import Occupation, Worker
from tests.points.conftest import make_reward

N = 12

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("行锁并发只在 PostgreSQL 上验证（SQLite 没有行锁）")
    # A transactional test flushes every table, the data migration's national rules too.
    EarningRule.objects.get_or_create(kind="hazard_valid", region_code="", defaults={"points": 10})


def run_at_once(target, args_list) -> list:
    barrier = threading.Barrier(len(args_list))
    outcomes: list = []
    lock = threading.Lock()

    def run(*args):
        try:
            barrier.wait()
            result = target(*args)
            with lock:
                outcomes.append(("ok", result))
        except ValidationError as error:
            with lock:
                outcomes.append(("refused", " ".join(error.messages)))
        except Exception as error:
            with lock:
                outcomes.append(("error", repr(error)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def make_workers(n) -> list[User]:
    users = []
    for i in range(n):
        user = User.objects.create(username=f"rider{i}", full_name=f"骑手{i}")
        grant_initial_roles(user=user, roles=["worker"])
        worker = Worker.objects.create(
            name=f"骑手{i}", phone=f"139000{i:05d}", occupation=Occupation.DELIVERY_RIDER, region_id="360102002001", user=user
        )
        publish(
            "workers.merited",
            worker=worker,
            source=f"seed:{i}",
            kind="selection_award",
            region_code="360102002001",
            reason="初始",
            points=100,
        )
        users.append(user)
    return users


def test_many_workers_redeeming_the_last_item_one_succeeds(personas):
    users = make_workers(N)
    reward = make_reward(stock=1, cost=30)
    outcomes = run_at_once(
        lambda user: services.points_redeem(actor=user, reward=reward, client_key=str(uuid.uuid4())), [(u,) for u in users]
    )
    assert [o[0] for o in outcomes].count("ok") == 1, outcomes
    assert all("已兑完" in text for kind, text in outcomes if kind == "refused"), outcomes
    assert Reward.objects.get(pk=reward.pk).stock == 0
    assert Redemption.objects.count() == 1
    assert sorted(PointsAccount.objects.values_list("balance", flat=True)) == [70] + [100] * (N - 1)


def test_taps_spending_more_than_the_balance_never_go_negative(personas):
    (user,) = make_workers(1)  # 100 points
    reward = make_reward(stock=100, cost=30)
    outcomes = run_at_once(lambda: services.points_redeem(actor=user, reward=reward, client_key=str(uuid.uuid4())), [()] * N)
    assert [o[0] for o in outcomes].count("ok") == 3, outcomes  # 3 × 30 ≤ 100 < 4 × 30
    assert all("积分不足" in text for kind, text in outcomes if kind == "refused"), outcomes
    account = PointsAccount.objects.get(worker__user=user)
    assert account.balance == 10
    assert Reward.objects.get(pk=reward.pk).stock == 97
    assert min(PointsEntry.objects.values_list("balance_after", flat=True)) >= 0


def test_a_double_tap_with_one_client_key_is_one_redemption(personas):
    (user,) = make_workers(1)
    reward = make_reward(stock=100, cost=30)
    key = str(uuid.uuid4())
    outcomes = run_at_once(lambda: services.points_redeem(actor=user, reward=reward, client_key=key).pk, [()] * N)
    assert {o[0] for o in outcomes} == {"ok"}, outcomes
    assert len({o[1] for o in outcomes}) == 1
    assert Redemption.objects.count() == 1 and PointsAccount.objects.get(worker__user=user).balance == 70


def test_the_same_merit_published_at_once_posts_once(personas):
    worker = Worker.objects.get(user=personas["worker"])

    def merit():
        publish("workers.merited", worker=worker, source="hazard:77", kind="hazard_valid", region_code="360102002001", reason="核实有效")

    outcomes = run_at_once(merit, [()] * N)
    assert {o[0] for o in outcomes} == {"ok"}, outcomes
    assert PointsEntry.objects.filter(source="hazard:77").count() == 1
    assert PointsAccount.objects.get(worker=worker).balance == 10


def test_a_source_posted_by_another_transaction_meanwhile_moves_no_balance(personas):
    """The race the one-statement posting must survive: the second posting cannot see the first's uncommitted entry,
    moves its account, then its insert finds the source taken; its balance must end where it began."""
    first, second = (Worker.objects.get(user=user) for user in make_workers(2))
    posted = threading.Event()

    def hold_open():
        with transaction.atomic():
            entry = services.merit(worker=first, source="hazard:race", kind="hazard_valid", region_code="360102002001")
            posted.set()
            time.sleep(0.5)  # the other posting is now waiting on the source's unique key
        return entry.pk

    def post_meanwhile():
        posted.wait(5)
        with transaction.atomic():
            return services.merit(worker=second, source="hazard:race", kind="hazard_valid", region_code="360102002001")

    outcomes = run_at_once(lambda job: job(), [(hold_open,), (post_meanwhile,)])
    assert sorted(o[0] for o in outcomes) == ["ok", "ok"], outcomes
    assert [o[1] for o in outcomes].count(None) == 1, outcomes
    assert PointsEntry.objects.filter(source="hazard:race").count() == 1
    assert PointsAccount.objects.get(worker=first).balance == 110
    account = PointsAccount.objects.get(worker=second)
    assert (account.balance, account.earned) == (100, 100)
    assert PointsEntry.objects.filter(account=account).count() == 1


def test_one_withdrawal_at_once_reverses_once(personas):
    worker = Worker.objects.get(user=personas["worker"])
    publish("workers.merited", worker=worker, source="hazard:78", kind="hazard_valid", region_code="360102002001", reason="核实有效")
    outcomes = run_at_once(lambda: publish("workers.merit_withdrawn", source="hazard:78", reason="更正"), [()] * N)
    assert {o[0] for o in outcomes} == {"ok"}, outcomes
    assert PointsEntry.objects.filter(reversal_of__source="hazard:78").count() == 1
    assert PointsAccount.objects.get(worker=worker).balance == 0


def test_cancel_and_fulfil_at_once_one_wins(personas):
    (user,) = make_workers(1)
    reward = make_reward(stock=5, cost=30)
    redemption = services.points_redeem(actor=user, reward=reward)
    county = personas["county"]

    def act(name):
        fresh = Redemption.objects.get(pk=redemption.pk)
        if name == "cancel":
            return services.points_redemption_cancel(actor=user, redemption=fresh).status
        return services.points_redemption_fulfil(actor=county, redemption=fresh, code=fresh.code).status

    outcomes = run_at_once(act, [("cancel",), ("fulfil",)] * 3)
    assert [o[0] for o in outcomes].count("ok") == 1, outcomes
    final = Redemption.objects.get(pk=redemption.pk)
    balance = PointsAccount.objects.get(worker__user=user).balance
    stock = Reward.objects.get(pk=reward.pk).stock
    assert (balance, stock) == ((100, 5) if final.status == "cancelled" else (70, 4))
