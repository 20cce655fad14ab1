"""Where the organization import's time goes, phase by phase (the fast path's functions timed where they are called).

DATABASE_URL=postgres://postgres@127.0.0.1:5432/sanxin_bench python bench/import_phases.py --rows 1000000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import import_bench as bench

TIMES: dict[str, float] = {}


def timed(module, name: str) -> None:
    function = getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            TIMES[name] = TIMES.get(name, 0.0) + time.perf_counter() - started

    setattr(module, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    bench.setup_database()
    from sanxin.coverage import compute, figures
    from sanxin.imports import services
    from sanxin.orgs import importing, importing_fast, importing_pg

    phases = [
        (importing_fast, "_plain"),
        (importing_fast, "_check_file"),
        (importing_fast, "_checked_in_database"),
        (importing, "write_with_copy"),
        (importing_pg, "_new_rows"),
        (figures, "refresh_facts"),
        (compute, "recompute_organizations"),
        (compute, "recompute_all"),
        (services, "_refresh_statistics"),
        (services, "import_job_create"),
    ]
    for module, name in phases:
        timed(module, name)
    compute.refresh_facts = figures.refresh_facts  # imported by name there
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "organizations.csv"
        bench.generate(path, args.rows)
        bench.reset()
        for label in ("首次导入", "同一文件再导入"):
            TIMES.clear()
            seconds, message = bench.ours(path)
            print(f"{label}：{seconds:.1f} 秒，{args.rows / seconds:,.0f} 行/秒 —— {message}")
            print("  " + "，".join(f"{name} {value:.1f} 秒" for name, value in TIMES.items()))
        bench.reset()


if __name__ == "__main__":
    main()
