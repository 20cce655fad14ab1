"""Organization import into PostgreSQL: ours end to end vs raw COPY vs django-import-export, same rows.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/sanxin_bench python bench/import_bench.py --rows 200000
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SANXIN_DEBUG", "1")
os.environ.setdefault("SANXIN_MASTER_KEY", "ab" * 32)


def setup_database() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from sanxin.regions.models import Region

    if not Region.objects.filter(code="36").exists():
        call_command("load_regions", "--province", "36", verbosity=0)


def generate(path: Path, rows: int, seed: int = 36) -> None:
    from stdnum.cn import uscc

    from sanxin.orgs.importing import COLUMNS
    from sanxin.regions.models import Region

    rng = random.Random(seed)
    communities = list(Region.objects.filter(code__startswith="36", level=5).values_list("code", flat=True))
    categories = ["私营企业", "互联网平台企业", "加盟商/站点", "行业协会商会", "律师事务所"]
    industries = ["快递", "外卖配送", "互联网", "批发零售", "制造业"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in COLUMNS])
        for i in range(rows):
            body = f"9136{i:013d}"
            employees = rng.randrange(1, 500)
            writer.writerow(
                [
                    body + uscc.calc_check_digit(body),
                    f"江西测试{i}号有限公司",
                    rng.choice(categories),
                    rng.choice(industries),
                    rng.choice(communities),
                    f"测试路 {i} 号",
                    "王建华",
                    employees,
                    min(employees, rng.randrange(0, 6)),
                    0,
                    f"20{rng.randrange(10, 25)}-0{rng.randrange(1, 10)}-1{rng.randrange(0, 9)}",
                    "存续",
                    "",
                ]
            )


def reset() -> None:
    from django.db import connection

    from sanxin.coverage.models import CoverageFact
    from sanxin.orgs.models import Organization

    with connection.cursor() as cur:
        cur.execute(f"TRUNCATE {Organization._meta.db_table}, {CoverageFact._meta.db_table} CASCADE")


def ours(path: Path) -> tuple[float, str]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanxin.imports.services import import_job_create, import_job_run

    started = time.perf_counter()
    job = import_job_create(actor=None, registry="organizations", upload=SimpleUploadedFile(path.name, path.read_bytes()))
    job = import_job_run(job.pk)
    return time.perf_counter() - started, job.message


def raw_copy(path: Path) -> float:
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE bench_copy (c1 text, c2 text, c3 text, c4 text, c5 text, c6 text, c7 text, c8 int, c9 int, "
            "c10 int, c11 date, c12 text, c13 text) ON COMMIT DROP"
        )
        with path.open("rb") as handle, cur.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
    return time.perf_counter() - started


def import_export(path: Path, sample: int) -> float | None:
    try:
        from import_export import resources
        from tablib import Dataset
    except ImportError:
        return None
    from sanxin.orgs.models import Organization
    from sanxin.regions.models import Industry

    industry = {i.name: i.pk for i in Industry.objects.all()}

    class OrganizationResource(resources.ModelResource):
        class Meta:
            model = Organization
            import_id_fields = ("credit_code",)
            fields = ("credit_code", "name", "category", "industry", "region", "employees", "formal_members")
            use_bulk = True

    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = [r for _, r in zip(range(sample), reader, strict=False)]
    dataset = Dataset(headers=["credit_code", "name", "category", "industry", "region", "employees", "formal_members"])
    for r in rows:
        dataset.append([r[0], r[1], "private", industry.get(r[3]), r[4], r[7], r[8]])
    reset()
    started = time.perf_counter()
    result = OrganizationResource().import_data(dataset, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - started
    assert not result.has_errors()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--peer-sample", type=int, default=20_000)
    args = parser.parse_args()
    setup_database()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("请用 DATABASE_URL 指向 PostgreSQL 运行本基准")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "organizations.csv"
        started = time.perf_counter()
        generate(path, args.rows)
        print(f"生成 {args.rows:,} 行：{time.perf_counter() - started:.1f} 秒，{path.stat().st_size / 1e6:.0f} MB")
        reset()
        seconds, message = ours(path)
        print(f"本平台导入（端到端，逐行校验）：{seconds:.1f} 秒，{args.rows / seconds:,.0f} 行/秒 —— {message}")
        seconds_again, message = ours(path)
        print(f"同一文件再导入（无变化）：{seconds_again:.1f} 秒 —— {message}")
        copy_seconds = raw_copy(path)
        print(f"裸 COPY：{copy_seconds:.1f} 秒，{args.rows / copy_seconds:,.0f} 行/秒；本平台为其 {copy_seconds / seconds:.0%}")
        peer = import_export(path, args.peer_sample)
        if peer is None:
            print("未安装 django-import-export（pip install -r bench/requirements.txt）")
        else:
            peer_rate = args.peer_sample / peer
            ratio = args.rows / seconds / peer_rate
            print(f"django-import-export（{args.peer_sample:,} 行样本）：{peer_rate:,.0f} 行/秒；本平台为其 {ratio:.1f} 倍")
        reset()


if __name__ == "__main__":
    main()
