"""The API lists in-process, on the database pages_bench.py prepared: time per request, queries, and where the
time goes (cProfile), with production settings and the county officer's token, through Django's test client.

    .venv/bin/python bench/api_profile.py                 # ms per request and queries of each list
    .venv/bin/python bench/api_profile.py --profile orgs  # plus the top of cProfile for /api/v1/orgs
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages_bench import DEFAULT_DATABASE, PERSONA, TOKEN_NAME, production_environment  # noqa: E402

# name → (path, persona): the county officer; units are listed to the account managers only.
LISTS = {
    "orgs": ("/api/v1/orgs?limit=50", PERSONA),
    "orgs_filtered": ("/api/v1/orgs?limit=50&region=360102002&coverage=blank", PERSONA),
    "party": ("/api/v1/party?limit=50", PERSONA),
    "units": ("/api/v1/units?limit=50", "sysadmin"),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200, help="timed requests of each list (the best of 3 rounds counts)")
    parser.add_argument("--profile", default="", help="a list to run under cProfile: " + ", ".join(LISTS))
    parser.add_argument("--verbose", action="store_true", help="print the queries of the last list")
    parser.add_argument("--data-dir", default=str(ROOT / "data" / "pages-bench"))
    args = parser.parse_args()
    os.environ.update(production_environment(Path(args.data_dir), os.environ.get("DATABASE_URL", DEFAULT_DATABASE)))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from sanxin.accounts.models import User
    from sanxin.accounts.tokens import api_token_create, api_token_revoke

    clients = {}
    for username in {persona for _, persona in LISTS.values()}:
        user = User.objects.get(username=username)
        for old in user.api_tokens.filter(name=TOKEN_NAME + "（进程内）", revoked_at__isnull=True):
            api_token_revoke(actor=None, token=old)
        _, token = api_token_create(actor=None, user=user, name=TOKEN_NAME + "（进程内）", days=30)
        clients[username] = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="127.0.0.1")

    def get(name):
        path, persona = LISTS[name]
        response = clients[persona].get(path, secure=True)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        return response

    queries = []
    print(f"{'list':<14} {'ms/request':>10} {'CPU ms':>7} {'queries':>8} {'rows':>5} {'bytes':>7}")
    for name in LISTS:
        response = get(name)  # warm: connections, caches, imports
        queries.clear()
        with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
            get(name)
        wall, cpu = min(_timed(get, name, args.requests) for _ in range(3))
        rows = len(response.json()["items"])
        print(f"{name:<14} {wall * 1000:>10.2f} {cpu * 1000:>7.2f} {len(queries):>8} {rows:>5} {len(response.content):>7}")
        if args.verbose:
            print("".join(f"    {sql}\n" for sql in queries))
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            get(args.profile)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


def _timed(get, name: str, count: int) -> tuple[float, float]:
    """(wall, this process's CPU) seconds per request; the CPU excludes PostgreSQL's and waits on a busy machine."""
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        get(name)
    return (time.perf_counter() - started) / count, (time.process_time() - cpu) / count


if __name__ == "__main__":
    main()
