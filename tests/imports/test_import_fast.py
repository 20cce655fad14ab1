"""The PostgreSQL fast path of the organization import (sanxin.orgs.importing_fast): a CSV file copied into the
database and checked there. It must store exactly what the row path stores, and hand every file with a row it cannot
prove valid to the row path, whose errors (row, column, value, reason) stay as they are.

PostgreSQL only: the fast path exists only there; the row path on SQLite is covered by the other import tests."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sanxin.coverage.figures import refresh_facts
from sanxin.coverage.models import CoverageFact
from sanxin.imports.models import ImportJob
from sanxin.orgs import importing, importing_fast, importing_pg
from sanxin.orgs.models import REGISTRY_COLUMNS, Organization
from tests.imports.test_imports import csv_bytes, row, run
from tests.orgs_factories import credit_code, make_org


@pytest.fixture(autouse=True)
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("快速导入只在 PostgreSQL 上运行")


@pytest.fixture
def fast(monkeypatch):
    """Every CSV file tries the fast path; returns the list of what each try gave (a Staged table, or None)."""
    tries = []
    original = importing_fast.stage

    def spy(*args, **kwargs):
        staged = original(*args, **kwargs)
        tries.append(staged)
        return staged

    monkeypatch.setattr(importing_fast, "FAST_MIN_BYTES", 0)
    monkeypatch.setattr(importing_fast, "stage", spy)
    return tries


def stored() -> list[tuple]:
    fields = ["credit_code", *REGISTRY_COLUMNS, "zone_id", "parent__credit_code", "coverage_state", "should_establish", "edge_thinning"]
    return sorted(Organization.objects.values_list(*fields))


def facts() -> list[tuple]:
    return sorted(CoverageFact.objects.filter(month__isnull=True).values_list("region_id", "industry_id", "zone_id", "organizations"))


def job_outcome(job: ImportJob) -> tuple:
    return (job.status, job.created_count, job.updated_count, job.unchanged_count, job.rejected_count, job.errors, job.message)


def both_ways(user, content: bytes, monkeypatch, fast, mode="all"):
    """The file imported by the fast path and, on the registry as it was before, by the row path: both outcomes and
    stores. The precomputed counts each leaves must be what a full refresh computes."""
    kept = set(Organization.objects.values_list("pk", flat=True))
    outcomes = []
    for smallest in (0, 10**12):
        monkeypatch.setattr(importing_fast, "FAST_MIN_BYTES", smallest)
        job = run(user, content, name="名录.csv", mode=mode)
        left = facts()
        refresh_facts()
        assert facts() == left
        outcomes.append((job_outcome(job), stored(), left))
        Organization.objects.exclude(pk__in=kept).delete()
        refresh_facts()
    monkeypatch.setattr(importing_fast, "FAST_MIN_BYTES", 0)
    return outcomes


def test_a_clean_file_takes_the_fast_path_and_stores_what_the_row_path_stores(personas, monkeypatch, fast):
    head = credit_code()
    parent_stored = make_org(name="已在名录的集团")
    rows = [
        row(code=head, name="总部有限公司", category="互联网平台企业", **{"正式党员数": "3", "从业人员数": "10"}),
        row(name="分店", category="加盟商/站点", **{"上级单位统一社会信用代码": head, "成立日期": ""}),
        row(name="\u3000 前后有空格  ", industry="6020", category="law_firm", **{"详细地址": "民巷\t2 号", "登记状态": "注销"}),
        row(name="计数空白", **{"从业人员数": "", "正式党员数": "", "预备党员数": "", "登记状态": ""}),
        ["", "", "", "", "", "", "", "", "", "", "", "", ""],  # a blank row: skipped by both
        row(name="另一家分店", **{"上级单位统一社会信用代码": parent_stored.credit_code, "成立日期": "2024-02-29"}),
    ]
    (fast_job, fast_rows, fast_facts), (row_job, row_rows, row_facts) = both_ways(personas["county"], csv_bytes(rows), monkeypatch, fast)
    assert fast[0] is not None and fast_job[0] == "done"
    assert fast_job[:5] == ("done", 5, 0, 0, 0)
    assert (fast_job, fast_rows, fast_facts) == (row_job, row_rows, row_facts)
    branch = next(r for r in fast_rows if r[1] == "分店")
    assert branch[-4] == head  # the parent linked by its code


def test_a_reimport_counts_unchanged_and_updated_rows_as_the_row_path_does(personas, monkeypatch, fast):
    rows = [row(name="甲有限公司"), row(name="乙有限公司")]
    run(personas["county"], csv_bytes(rows), name="名录.csv")
    again = run(personas["county"], csv_bytes([rows[0], row(code=rows[1][0], name="乙有限公司（更名）")]), name="名录.csv")
    assert fast[1] is not None
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 1, 1)
    assert Organization.objects.get(credit_code=rows[1][0]).name == "乙有限公司（更名）"


TODAY = timezone.localdate()
BAD_CELLS = {
    "check digit": {"统一社会信用代码": credit_code()[:17] + "0"},
    "lower case code": {"统一社会信用代码": credit_code().lower()},
    "full-width code": {"统一社会信用代码": credit_code().translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})},
    "excel number": {"统一社会信用代码": "9.13601E+17"},
    "empty name": {"单位名称": ""},
    "long name": {"单位名称": "字" * 201},
    "control character": {"单位名称": "南昌\x07有限公司"},
    "tab at the edge": {"单位名称": "\t南昌有限公司"},
    "line separator at the edge": {"单位名称": "南昌有限公司\u2028"},
    "unknown category": {"单位类别": "国有企业"},
    "unknown industry": {"所属行业": "不存在的行业"},
    "unknown region": {"所在地区代码": "369999999999"},
    "province only": {"所在地区代码": "36"},
    "region outside the scope": {"所在地区代码": "360103001001"},
    "count with a decimal point": {"从业人员数": "30.0"},
    "count in words": {"从业人员数": "三十"},
    "members above employees": {"从业人员数": "2", "正式党员数": "3"},
    "impossible date": {"成立日期": "2020-02-30"},
    "future date": {"成立日期": (TODAY + timedelta(days=1)).isoformat()},
    "date with slashes": {"成立日期": "2020/05/01"},
    "unknown status": {"登记状态": "歇业"},
    "parent is itself": {"统一社会信用代码": "91360102MA0000001X", "上级单位统一社会信用代码": "91360102MA0000001X"},
    "parent nowhere": {"上级单位统一社会信用代码": credit_code()},
    "quoted cell": {"详细地址": '"民巷 1 号"'},
}


@pytest.mark.parametrize("case", BAD_CELLS)
def test_a_file_with_a_row_it_cannot_prove_valid_goes_the_row_path(personas, monkeypatch, fast, case):
    good = [row(name="甲有限公司"), row(name="乙有限公司")]
    content = csv_bytes([good[0], row(name="丙有限公司", **BAD_CELLS[case]), good[1]])
    (fast_job, fast_rows, fast_facts), (row_job, row_rows, row_facts) = both_ways(personas["county"], content, monkeypatch, fast)
    assert fast[0] is None
    assert (fast_job, fast_rows, fast_facts) == (row_job, row_rows, row_facts)


def test_duplicates_cycles_and_odd_layouts_go_the_row_path(personas, monkeypatch, fast):
    a, b = credit_code(), credit_code()
    files = {
        "duplicate": csv_bytes([row(code=a), row(code=a, name="同码另一家")]),
        "cycle": csv_bytes([row(code=a, **{"上级单位统一社会信用代码": b}), row(code=b, **{"上级单位统一社会信用代码": a})]),
        "blank line": csv_bytes([row(), None, row()]),
        "tabs": csv_bytes([row(), row()], delimiter="\t"),
        "extra column": csv_bytes([[*row(), "备注"]], header=[*importing.HEADER_OF.values(), "备注"]),
        "gb18030": csv_bytes([row(), row()], encoding="gb18030"),
    }
    for name, content in files.items():
        fast.clear()
        (fast_job, *fast_store), (row_job, *row_store) = both_ways(personas["county"], content, monkeypatch, fast)
        assert fast[0] is None, name
        assert (fast_job, fast_store) == (row_job, row_store), name


def test_a_code_stored_outside_the_scope_goes_the_row_path(personas, monkeypatch, fast):
    outside = make_org(region="360103001001")
    job = run(personas["county"], csv_bytes([row(code=outside.credit_code), row()]), name="名录.csv")
    assert fast[0] is None
    assert job.status == "rejected" and job.errors[0]["reason"] == importing.OUTSIDE_SCOPE


def test_a_first_bulk_load_drops_and_restores_constraints_and_indexes(personas, monkeypatch, fast):
    def definitions():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass ORDER BY 1",
                [Organization._meta.db_table],
            )
            constraints = cur.fetchall()
            cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [Organization._meta.db_table])
            return constraints, cur.fetchall()

    before = definitions()
    monkeypatch.setattr(importing_pg, "BULK_LOAD_MIN_ROWS", 2)
    job = run(personas["county"], csv_bytes([row(), row(), row()]), name="名录.csv")
    assert fast[0] is not None and job.created_count == 3
    assert definitions() == before


def test_a_failure_inside_the_write_leaves_nothing_and_the_table_whole(personas, monkeypatch, fast):
    def definitions():
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass", [Organization._meta.db_table])
            constraints = cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM pg_indexes WHERE tablename = %s", [Organization._meta.db_table])
            return constraints, cur.fetchone()[0]

    before = definitions()
    monkeypatch.setattr(importing_pg, "BULK_LOAD_MIN_ROWS", 2)

    def killed(*args, **kwargs):
        raise RuntimeError("进程被中断")

    monkeypatch.setattr(importing, "publish", killed)  # after the insert, inside the transaction
    with pytest.raises(RuntimeError):
        run(personas["county"], csv_bytes([row(), row(), row()]), name="名录.csv")
    assert fast[0] is not None
    assert not Organization.objects.exists()
    assert definitions() == before
    assert ImportJob.objects.get().status == "failed"
    with connection.cursor() as cur:  # the staging tables are gone with the job
        cur.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'sanxin\\_%%\\_organization' AND relpersistence = 't'")
        assert cur.fetchone()[0] == 0


def test_valid_only_mode_with_bad_rows_writes_the_valid_ones_as_before(personas, monkeypatch, fast):
    content = csv_bytes([row(name="甲有限公司"), row(name="坏行", **{"单位类别": "国有企业"}), row(name="乙有限公司")])
    (fast_job, *fast_store), (row_job, *row_store) = both_ways(personas["county"], content, monkeypatch, fast, mode="valid")
    assert fast[0] is None
    assert fast_job[:5] == ("done", 2, 0, 0, 1)
    assert (fast_job, fast_store) == (row_job, row_store)


def test_a_file_from_excel_with_a_byte_order_mark_and_crlf_takes_the_fast_path(personas, monkeypatch, fast):
    rows = [row(name="甲有限公司 "), row(name="乙有限公司", **{"详细地址": ""})]
    content = b"\xef\xbb\xbf" + csv_bytes(rows).replace(b"\n", b"\r\n")
    (fast_job, *fast_store), (row_job, *row_store) = both_ways(personas["county"], content, monkeypatch, fast)
    assert fast[0] is not None and fast_job[:5] == ("done", 2, 0, 0, 0)
    assert (fast_job, fast_store) == (row_job, row_store)


def test_duckdb_trims_no_character_python_keeps():
    """The fast path trusts DuckDB's trim() to take off only what str.strip() takes off (the rest is refused)."""
    import duckdb

    database = duckdb.connect()
    found = database.execute(
        "SELECT range FROM range(1, 65536) WHERE (range < 55296 OR range > 57343) AND trim(chr(CAST(range AS INTEGER)) || 'x') = 'x'"
    ).fetchall()
    assert found and all(chr(code).isspace() for (code,) in found)


def test_a_failure_while_checking_in_the_database_leaves_no_staging_table(personas, monkeypatch, fast):
    def broken(*args, **kwargs):
        raise RuntimeError("连接中断")

    monkeypatch.setattr(importing_fast, "_checked_in_database", broken)
    with pytest.raises(RuntimeError):
        run(personas["county"], csv_bytes([row(), row()]), name="名录.csv")
    assert not Organization.objects.exists()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_class WHERE relname = %s AND relpersistence = 't'", [importing_fast.CHECKED])
        assert cur.fetchone()[0] == 0
