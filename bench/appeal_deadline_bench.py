"""Appeal deadlines in working days for many appeals at once: our calendar (chinesecalendar plus the
administrator's DayAdjustment table, read once into sanxin.appeals.deadlines.DueTable) beside one chinesecalendar
call per appeal (`chinese_calendar.find_workday`, with an `is_workday` to start from a day off right), on the same
appeals; both must give the same dates.

    .venv/bin/python bench/appeal_deadline_bench.py --appeals 1000000 --peer 100000

Appeals are submitted on random days from January 2025 to November 2026 (the package knows no later year), each
with the limit of a random level (accept in 1 working day, resolve in 5 at a street, 3 at a county or above). The
peer runs on the first `--peer` appeals (all of them with `--peer 0`) and its time is scaled to the whole run. No
administrator's adjustment lies in these years here, so the package's answer is the right one to compare with.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SANXIN_DEBUG", "1")
os.environ.setdefault("SANXIN_MASTER_KEY", "ab" * 32)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--appeals", type=int, default=1_000_000)
    parser.add_argument("--peer", type=int, default=100_000, help="appeals the peer computes (0: all)")
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "workdays", verbosity=0)
    import chinese_calendar

    from sanxin.appeals.deadlines import DueTable

    rng = random.Random(20261001)
    first = date(2025, 1, 1)
    days = [first + timedelta(days=rng.randrange(690)) for _ in range(args.appeals)]
    counts = [rng.choice((1, 5, 3)) for _ in range(args.appeals)]

    started = time.perf_counter()
    table = DueTable(date(2025, 1, 1), date(2026, 12, 31))
    built = time.perf_counter() - started
    started = time.perf_counter()
    ours = table.add_many(days, counts)
    computed = time.perf_counter() - started

    sample = args.peer or args.appeals
    started = time.perf_counter()
    # find_workday(0, day) is `day` itself when it is a working day, else the next one: from a day off, n - 1.
    peer = [
        chinese_calendar.find_workday(n - (not chinese_calendar.is_workday(day)), day)
        for day, n in zip(days[:sample], counts[:sample], strict=True)
    ]
    peer_time = (time.perf_counter() - started) * args.appeals / sample
    assert peer == ours[:sample], "the two calendars disagree"
    print(f"appeals: {args.appeals:,}")
    print(f"ours: calendar read {built * 1000:.0f} ms + due dates {computed:.2f} s = {built + computed:.2f} s")
    how = f"measured on {sample:,}, scaled" if sample < args.appeals else "measured"
    print(f"chinesecalendar find_workday per appeal: {peer_time:.2f} s ({how})")
    print(f"ratio: {peer_time / (built + computed):.1f}×; the same dates on the {sample:,} compared")


if __name__ == "__main__":
    main()
