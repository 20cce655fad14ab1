"""The points ledger on PostgreSQL: postings per second with 16 concurrent clients (processes, each its own
connection) beside the same postings one at a time, and the invariants checked after the concurrent run.

    createdb -h 127.0.0.1 -U postgres sanxin_points_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sanxin_points_bench .venv/bin/python bench/points_bench.py --postings 20000

A posting is one "workers.merited" event through the real handler (sanxin.points.services.merit: the account row
locked, the entry with its unique source appended, the balance moved, one transaction each, as a source app's write
would commit it). The workers are `--workers` riders of one community, the sources random over them, so clients
contend for the same accounts. The concurrent run mixes in, per client, the same source published a second time
(must post nothing), redemptions of a reward with little stock and taps spending more than a balance holds. After
it: every account's balance equals the sum of its entries, no balance or balance_after is negative, every source
posted once, the reward's redemptions never exceed its stock. The one-at-a-time peer posts the same number of new
sources from one connection.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SANXIN_DEBUG", "1")
os.environ.setdefault("SANXIN_MASTER_KEY", "ab" * 32)

COMMUNITY = "360102002001"


def _setup():
    import django

    django.setup()


def _client(args):
    """One client: its own process and connection; posts its share, republishes a few sources, taps redeem."""
    _index, sources, duplicates, worker_ids, reward_id, redeem_users, seed = args
    _setup()
    from django.core.exceptions import ValidationError
    from django.db import connection, transaction

    from sanxin.accounts.models import User
    from sanxin.points import services
    from sanxin.points.models import Reward
    from sanxin.workers.models import Worker

    workers = {w.pk: w for w in Worker.objects.filter(pk__in=set(worker_ids))}
    rng = random.Random(seed)
    posted = redeemed = refused = 0
    started = time.perf_counter()
    for source, worker_id in sources:
        with transaction.atomic():
            entry = services.merit(
                worker=workers[worker_id], source=source, kind="hazard_valid", region_code=COMMUNITY, reason="随手拍核实有效"
            )
        posted += entry is not None
    elapsed = time.perf_counter() - started
    for source, worker_id in duplicates:  # published again by another client: nothing
        with transaction.atomic():
            posted += services.merit(worker=workers[worker_id], source=source, kind="hazard_valid", region_code=COMMUNITY) is not None
    reward = Reward.objects.get(pk=reward_id)
    for user_id in redeem_users:
        user = User.objects.get(pk=user_id)
        for _ in range(rng.randint(1, 4)):
            try:
                services.points_redeem(actor=user, reward=reward, client_key=str(uuid.uuid4()))
                redeemed += 1
            except ValidationError:
                refused += 1
    connection.close()
    return posted, elapsed, redeemed, refused


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postings", type=int, default=20_000, help="new postings in each mode")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=500)
    parser.add_argument("--stock", type=int, default=40)
    args = parser.parse_args()
    _setup()
    from django.core.management import call_command
    from django.db import connection, connections, transaction
    from django.db.models import Min, Sum

    if connection.vendor != "postgresql":
        sys.exit("points_bench 需要 PostgreSQL（DATABASE_URL=postgres://…）")
    call_command("migrate", verbosity=0)
    from sanxin.accounts.models import Unit, User
    from sanxin.accounts.services import grant_initial_roles
    from sanxin.points import services
    from sanxin.points.models import EarningRule, PointsAccount, PointsEntry, Redemption, Reward
    from sanxin.regions.models import Region
    from sanxin.workers.models import Occupation, Worker

    print("准备数据 …", flush=True)
    PointsEntry.objects.update(reversal_of=None)
    Redemption.objects.all().delete()
    PointsEntry.objects.all().delete()
    PointsAccount.objects.all().delete()
    Reward.objects.filter(name__startswith="压测").delete()
    for code, name, level, parent in [
        ("36", "江西省", 1, None),
        ("3601", "南昌市", 2, "36"),
        ("360102", "东湖区", 3, "3601"),
        ("360102002", "滕王阁街道", 4, "360102"),
        (COMMUNITY, "民巷社区", 5, "360102002"),
    ]:
        Region.objects.get_or_create(code=code, defaults={"name": name, "level": level, "parent_id": parent, "full_name": name})
    EarningRule.objects.get_or_create(kind="hazard_valid", region_code="", defaults={"points": 10})
    have = list(Worker.objects.filter(name__startswith="压测骑手").order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        for n in range(len(have), args.workers):
            user = User.objects.create(username=f"bench-rider-{n}", full_name=f"压测骑手{n}")
            grant_initial_roles(user=user, roles=["worker"])
            Worker.objects.create(
                name=f"压测骑手{n}", phone=f"1390{n:07d}", occupation=Occupation.DELIVERY_RIDER, region_id=COMMUNITY, user=user
            )
    workers = list(Worker.objects.filter(name__startswith="压测骑手").order_by("pk")[: args.workers])
    unit, _ = Unit.objects.get_or_create(name="压测东湖区委两新工委", defaults={"kind": "liangxin", "region_id": "360102"})
    reward = Reward.objects.create(name="压测体检", kind="service", cost=25, stock=args.stock, unit=unit, region_id="360102")
    rng = random.Random(20261202)
    run = uuid.uuid4().hex[:8]

    # One at a time: the same number of postings from one connection.
    serial_sources = [(f"bench:{run}:serial:{i}", rng.choice(workers)) for i in range(args.postings)]
    started = time.perf_counter()
    for source, worker in serial_sources:
        with transaction.atomic():
            services.merit(worker=worker, source=source, kind="hazard_valid", region_code=COMMUNITY, reason="随手拍核实有效")
    serial = time.perf_counter() - started
    print(f"逐条记账：{args.postings:,} 笔 {serial:.1f} 秒，{args.postings / serial:,.0f} 笔/秒", flush=True)

    # Concurrent: the same number of new postings split over the clients.
    ids = [w.pk for w in workers]
    concurrent_sources = [(f"bench:{run}:concurrent:{i}", rng.choice(ids)) for i in range(args.postings)]
    shares = [concurrent_sources[i :: args.clients] for i in range(args.clients)]
    users = [w.user_id for w in workers]
    tasks = []
    for i in range(args.clients):
        other = shares[(i + 1) % args.clients]
        duplicates = other[: max(1, len(other) // 20)]
        tapping = users[i * 3 : i * 3 + 3]  # three riders per client, some tapping more than their balance holds
        tasks.append((i, shares[i], duplicates, ids, reward.pk, tapping, i))
    connections.close_all()
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    with context.Pool(args.clients) as pool:
        results = pool.map(_client, tasks)
    wall = time.perf_counter() - started
    posted = sum(r[0] for r in results)
    slowest = max(r[1] for r in results)
    redeemed = sum(r[2] for r in results)
    refused = sum(r[3] for r in results)
    rate = args.postings / slowest
    print(
        f"{args.clients} 个并发客户端：{posted:,} 笔 {slowest:.1f} 秒（最慢客户端的记账时间），{rate:,.0f} 笔/秒；"
        f"是逐条记账的 {rate / (args.postings / serial):.2f} 倍；含重复发布和兑换的总耗时 {wall:.1f} 秒",
        flush=True,
    )

    # The invariants.
    problems = []
    if posted != args.postings:
        problems.append(f"新记账 {posted} 笔 ≠ {args.postings}（重复发布的来源被记了账）")
    sums = dict(PointsEntry.objects.values("account").annotate(total=Sum("amount")).values_list("account", "total"))
    wrong = [a.pk for a in PointsAccount.objects.all() if a.balance != sums.get(a.pk, 0)]
    if wrong:
        problems.append(f"{len(wrong)} 个账户余额与明细之和不符")
    lowest = PointsAccount.objects.aggregate(m=Min("balance"))["m"]
    lowest_after = PointsEntry.objects.aggregate(m=Min("balance_after"))["m"]
    if (lowest or 0) < 0 or (lowest_after or 0) < 0:
        problems.append("出现负余额")
    reward.refresh_from_db()
    taken = Redemption.objects.filter(reward=reward).count()
    if taken + reward.stock != args.stock or taken > args.stock:
        problems.append(f"兑换 {taken} 次、剩余库存 {reward.stock}，与初始库存 {args.stock} 不符（重复扣减）")
    print(f"兑换：成功 {redeemed} 次（库存 {args.stock}），拒绝 {refused} 次；最低余额 {lowest}，最低变动后余额 {lowest_after}")
    print("校验：" + ("全部通过（0 重复扣减，0 负余额，每个来源一笔）" if not problems else "；".join(problems)))
    print(
        f"机器：{platform.node()}，{os.cpu_count()} 核，{platform.python_version()}，{connection.cursor().connection.info.server_version}"
    )
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
