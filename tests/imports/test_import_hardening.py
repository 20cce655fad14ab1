"""Imports against hostile and clumsy files: bounded reading, control characters, over-long text, full-width input,
Excel's numbers, consequent rules, silent jobs and their retry. Each test fails without its fix."""

import io
import json
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from sanxin.core.declare import daily_jobs
from sanxin.core.models import AuditEvent
from sanxin.core.uploads import job_file
from sanxin.imports import readers
from sanxin.imports.models import ImportJob
from sanxin.imports.readers import NOT_XLSX, XLS, UnreadableFile, read_rows
from sanxin.imports.services import import_job_create, import_job_retry, import_job_run, import_jobs_fail_stale
from sanxin.orgs.models import Organization
from tests.imports.test_imports import HEADER, csv_bytes, row, run, xlsx
from tests.orgs_factories import credit_code

BASE_DIR = Path(settings.BASE_DIR)


def errors_by_cell(job) -> dict:
    return {(e["row"], e["column"]): e["reason"] for e in job.errors}


# --- 8. Bounded reading ---------------------------------------------------------------------------------------


def stray_cell_book(path: Path) -> Path:
    """The template's header, one good row, and one stray cell at the sheet's far corner (as a misplaced Ctrl+End leaves)."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(row(name="远处有一格的文件"))
    sheet["XFD1048576"] = "x"
    book.save(path)
    return path


def read_rows_in_512_mb(path):
    """`read_rows` in a process whose address space is capped at 512 MB: a reader that allocates the sheet's
    rectangle dies there instead of taking the machine."""
    program = (
        "import json, resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (512 * 1024**2, 512 * 1024**2))\n"
        "from pathlib import Path\n"
        "from sanxin.imports.readers import read_rows\n"
        "header, rows = read_rows(Path(sys.argv[1]))\n"
        "print(json.dumps([header, rows], ensure_ascii=False))\n"
    )
    done = subprocess.run([sys.executable, "-c", program, str(path)], cwd=BASE_DIR, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_a_stray_cell_at_xfd1048576_is_read_in_little_memory(tmp_path):
    """A whole-range reader asks for 16,384 × 1,048,576 cells (512 GB) and aborts; this one reads two rows in 512 MB."""
    path = stray_cell_book(tmp_path / "远处.xlsx")
    assert path.stat().st_size < 20_000
    header, rows = read_rows_in_512_mb(path)
    assert header == HEADER
    assert [(number, cells[1]) for number, cells in rows] == [(2, "远处有一格的文件")]  # the far cell is outside the columns read


def test_a_file_with_a_stray_cell_imports(personas, tmp_path):
    path = stray_cell_book(tmp_path / "远处.xlsx")
    job = run(personas["county"], path.read_bytes())
    assert (job.status, job.created_count) == ("done", 1), job.message


def test_columns_right_of_the_bound_are_not_read(tmp_path):
    path = tmp_path / "宽.csv"
    path.write_bytes(csv_bytes([[*row(), *["备注"] * 100]]))
    header, rows = read_rows(path)
    assert len(header) == len(HEADER) and len(rows[0][1]) == readers.READ_COLUMNS


@pytest.mark.parametrize("name", ["多.xlsx", "多.csv"])
def test_a_file_over_the_row_limit_is_refused_with_the_limit(personas, monkeypatch, name):
    monkeypatch.setattr(readers, "MAX_ROWS", 2)
    content = xlsx([row(), row(), row()]) if name.endswith(".xlsx") else csv_bytes([row(), row(), row()])
    job = run(personas["county"], content, name=name)
    assert (job.status, job.message) == ("failed", "文件超过 2 行，请拆分后上传")
    assert not Organization.objects.exists()


def test_the_row_limit_is_a_province(monkeypatch):
    assert readers.MAX_ROWS == 5_000_000 and readers.too_many_rows(readers.MAX_ROWS) == "文件超过 5,000,000 行，请拆分后上传"


def test_reading_reports_progress(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "PROGRESS_EVERY", 2)
    seen = []
    for name, content in (("a.xlsx", xlsx([row() for _ in range(6)])), ("a.csv", csv_bytes([row() for _ in range(6)]))):
        path = tmp_path / name
        path.write_bytes(content)
        seen.clear()
        read_rows(path, progress=seen.append)
        assert seen and all(0 <= share <= 1 for share in seen), name


def test_xlsx_cells_typed_and_escaped_by_excel_read_as_before(tmp_path):
    """Shared and inline strings, numbers, dates (built-in and custom formats), booleans, and Excel's _xHHHH_ escapes."""
    book = Workbook()
    sheet = book.active
    sheet.append(["甲", "乙", "丙", "丁", "戊", "己"])
    sheet.append(["文字", 30, 2.5, True, "带_x0001_控制符", "  两边空格  "])
    from datetime import datetime

    sheet["G2"] = datetime(2020, 5, 1)
    sheet["H2"] = datetime(2020, 5, 1, 8, 30)
    sheet["I2"] = 913601020000000001
    sheet["I2"].number_format = "0"
    path = tmp_path / "类型.xlsx"
    book.save(path)
    _, rows = read_rows(path)
    assert rows == [(2, ["文字", "30", "2.5", "True", "带\x01控制符", "两边空格", "2020-05-01", "2020-05-01 08:30:00", "9.13601E+17"])]


# --- 16. Files that are not what they say, in Chinese -------------------------------------------------------------


def not_xlsx_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("名录.xlsx", not_xlsx_zip(), NOT_XLSX),
        ("名录.xlsx", b"\x00\x01 not a zip at all", NOT_XLSX),
        ("名录.xlsx", b"", NOT_XLSX),
        ("名录.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, readers.OLE),
        ("名录.xlsx", csv_bytes([row()]), NOT_XLSX),
        ("名录.csv", b"", "文件是空的"),
        ("名录.csv", b"\xff\xfe\x41", "CSV 文件的 UTF-16 编码有误（文件可能不完整），请重新导出后上传"),
        ("名录.csv", xlsx([row()]), "文件内容是 Excel 文件而不是 CSV：请把扩展名改为 .xlsx，或在 Excel 中另存为 CSV"),
    ],
)
def test_unreadable_files_fail_in_chinese(personas, name, content, message):
    job = run(personas["county"], content, name=name)
    assert (job.status, job.message) == ("failed", message)


def test_a_truncated_xlsx_fails_in_chinese(personas):
    content = xlsx([row() for _ in range(50)])
    job = run(personas["county"], content[: len(content) // 2])
    assert (job.status, job.message) == ("failed", NOT_XLSX)


def test_xls_is_named(personas, tmp_path):
    path = tmp_path / "旧.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(UnreadableFile, match=r"不支持 \.xls（Excel 97-2003）格式，请在 Excel 中另存为 \.xlsx"):
        read_rows(path)
    with pytest.raises(ValidationError) as refused:
        import_job_create(actor=personas["county"], registry="organizations", upload=SimpleUploadedFile("旧.xls", path.read_bytes()))
    assert refused.value.message_dict == {"file": [XLS]}


def test_a_csv_with_a_10_mb_cell_is_a_row_error(personas):
    huge = "长" * (10 * 1024 * 1024 // 3)
    job = run(personas["county"], csv_bytes([row(name="正常"), row(**{"详细地址": huge})]), name="名录.csv", mode="valid")
    assert job.created_count == 1 and job.rejected_count == 1
    [error] = job.errors
    assert (error["row"], error["column"]) == (3, "详细地址")
    assert error["reason"] == f"详细地址不能超过 300 个字，本行 {len(huge):,} 个字"
    assert len(error["value"]) < 300 and error["value"].endswith(f"（共 {len(huge):,} 个字）")


# --- 10. Control characters are row errors ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["名录.csv", "名录.xlsx"])
def test_control_characters_are_row_errors_and_other_rows_import(personas, name):
    """On PostgreSQL a NUL once failed the whole job; it is the cell's error now, on both databases."""
    rows = [
        row(name="好的一行"),
        row(name="名称\x00中间"),
        row(name="地址有转义符", **{"详细地址": "民巷\x1b[31m 1 号"}),
        row(code=credit_code() + "\x00", name="代码里有空字符"),
        row(name="地区里有空字符", region="360102\x00002001"),
        row(name="另一行好的"),
    ]
    content = csv_bytes(rows) if name.endswith(".csv") else xlsx(rows)
    job = run(personas["county"], content, name=name, mode="valid")
    assert (job.status, job.created_count, job.rejected_count) == ("done", 2, 4), job.message
    reasons = errors_by_cell(job)
    assert reasons == {
        (3, "单位名称"): "含有不可见的控制字符（NUL），请删除后重新填写",
        (4, "详细地址"): "含有不可见的控制字符（ESC），请删除后重新填写",
        (5, "统一社会信用代码"): "含有不可见的控制字符（NUL），请删除后重新填写",
        (6, "所在地区代码"): "含有不可见的控制字符（NUL），请删除后重新填写",
    }
    assert job.errors[0]["value"] == "名称␀中间"  # shown, and storable
    assert set(Organization.objects.values_list("name", flat=True)) == {"好的一行", "另一行好的"}


@pytest.mark.django_db(transaction=True)
def test_a_control_character_in_the_header_fails_in_chinese(personas):
    header = [*HEADER, "单位类别"]
    header[2] = "单位\x00类别"
    job = run(personas["county"], csv_bytes([row()], header=header), name="名录.csv")
    assert job.status == "failed" and "第 3 列应为“单位类别”，文件中是“单位␀类别”" in job.message


# --- 12. A credit code with an E is a code ------------------------------------------------------------------------


def test_a_valid_code_with_an_e_is_not_taken_for_a_number(personas):
    job = run(personas["county"], csv_bytes([row(code="9136082103156E0393")]), name="名录.csv")
    assert (job.status, job.created_count) == ("done", 1), job.errors
    assert Organization.objects.get().credit_code == "9136082103156E0393"


@pytest.mark.parametrize("code", ["9.13601E+17", "9E+17", "9.13601020000000E+17"])
def test_what_excel_made_of_a_code_is_still_explained(personas, code):
    job = run(personas["county"], csv_bytes([row(code=code)]), name="名录.csv")
    assert "设为“文本”格式" in job.errors[0]["reason"]


# --- 13. Over-long text is refused with the limit, everywhere -----------------------------------------------------


@pytest.mark.parametrize(("column", "limit"), [("单位名称", 200), ("详细地址", 300), ("法定代表人", 50)])
def test_over_long_text_is_refused_with_its_limit(personas, column, limit):
    job = run(personas["county"], xlsx([row(**{column: "字" * 30_000})]))
    assert errors_by_cell(job) == {(2, column): f"{column}不能超过 {limit} 个字，本行 30,000 个字"}
    assert not Organization.objects.exists()


def test_limits_come_from_the_model():
    from sanxin.orgs import importing as organizations
    from sanxin.party import importing as party_organizations
    from sanxin.party.models import PartyOrganization

    limits = {c.key: c.max_length for c in organizations.COLUMNS if c.max_length}
    assert limits == {k: Organization._meta.get_field(k).max_length for k in ("name", "address", "legal_representative")}
    party = {c.key: c.max_length for c in party_organizations.COLUMNS if c.max_length}
    assert party == {"name": 200, "parent": 200, "secretary": PartyOrganization._meta.get_field("secretary").max_length}


def test_the_staging_table_takes_its_types_from_the_model():
    from django.db import connection

    from sanxin.orgs.importing_pg import _stage_columns

    columns = dict(part.split(" ", 1) for part in _stage_columns().split(", "))
    assert columns["address"] == Organization._meta.get_field("address").db_type(connection)
    assert columns["parent_code"] == columns["credit_code"]


def test_the_comparison_refuses_over_long_text_when_creating(personas):
    from sanxin.compare.services import create_new_organizations
    from tests.compare.test_compare import entry
    from tests.compare.test_compare import run as compare

    comparison = compare(personas["county"], [entry("南昌长地址有限公司", code=credit_code(), 详细地址="路" * 30_000)])
    rows = list(comparison.rows.filter(outcome="new"))
    created, problems = create_new_organizations(actor=personas["county"], comparison=comparison, rows=rows)
    assert created == 0 and not Organization.objects.filter(name="南昌长地址有限公司").exists()
    assert [(p["row"], p["column"], p["reason"]) for p in problems] == [(2, "详细地址", "详细地址不能超过 300 个字，本行 30,000 个字")]


# --- 14. A count that cannot be read is the only error -----------------------------------------------------------


@pytest.mark.parametrize("employees", ["-5", "2.5", "很多", "9223372036854775808", "1e308"])
def test_an_unreadable_employee_count_brings_no_consequent_error(personas, employees):
    job = run(personas["county"], csv_bytes([row(**{"从业人员数": employees, "正式党员数": "3"})]), name="名录.csv")
    assert list(errors_by_cell(job)) == [(2, "从业人员数")], job.errors


def test_a_huge_count_is_said_to_be_too_large(personas):
    job = run(personas["county"], csv_bytes([row(**{"从业人员数": "9" * 5000})]), name="名录.csv")
    assert errors_by_cell(job) == {(2, "从业人员数"): "数值过大，不能超过 2,147,483,647"}


# --- 15. Full-width input -----------------------------------------------------------------------------------------

FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}  # ASCII → its full-width form


def full(text: str) -> str:
    return text.translate(FULL_WIDTH)


def test_full_width_codes_counts_and_dates_are_read_as_half_width(personas):
    code = credit_code()
    typed = row(
        code=full(code),
        name="全角（南昌）有限公司",
        region=full("360102002001"),
        **{"从业人员数": "３０", "正式党员数": "３", "成立日期": full("2020-05-01"), "详细地址": "民巷\u3000１号"},
    )
    job = run(personas["county"], xlsx([typed]))
    assert (job.status, job.created_count) == ("done", 1), job.errors
    org = Organization.objects.get()
    assert (org.credit_code, org.region_id, org.employees, str(org.established_on)) == (code, "360102002001", 30, "2020-05-01")
    assert org.name == "全角（南昌）有限公司" and org.address == "民巷\u3000１号"  # names and addresses are kept as written


def test_a_wrong_full_width_code_is_quoted_half_width(personas):
    job = run(personas["county"], xlsx([row(code=full("91360102MA35L5XK4")), row(region=full("999999999999"))]))
    reasons = errors_by_cell(job)
    assert reasons[(2, "统一社会信用代码")] == "统一社会信用代码“91360102MA35L5XK4”应为 18 位"
    assert reasons[(3, "所在地区代码")] == "所在地区代码不存在"
    assert job.errors[0]["value"] == "91360102MA35L5XK4"  # the value as checked: half-width


def test_full_width_in_the_party_import(personas):
    from tests.orgs_factories import make_org
    from tests.party.test_import_party import row as party_row
    from tests.party.test_import_party import run as party_run

    firm = make_org(personas["county"], name="全角覆盖企业")
    typed = party_row("全角党支部", covered=full(firm.credit_code), region=full("360102002"), **{"任期（年）": "５"})
    job = party_run(personas["county"], [typed])
    assert (job.status, job.created_count) == ("done", 1), job.errors


# --- 9. Silent jobs fail with a reason and can be run again -------------------------------------------------------


def silent(job, hours=2, status="writing"):
    ImportJob.objects.filter(pk=job.pk).update(status=status, updated_at=timezone.now() - timedelta(hours=hours))


def upload(user, rows, name="名录.xlsx"):
    return import_job_create(actor=user, registry="organizations", upload=SimpleUploadedFile(name, xlsx(rows)))


def test_the_daily_job_fails_silent_jobs_and_spares_live_ones(personas):
    assert daily_jobs()["import_stale"] == "sanxin.imports.services.import_jobs_fail_stale"
    dead, queued, live, slow = (upload(personas["county"], [row()]) for _ in range(4))
    silent(dead)
    silent(queued, status="queued")
    silent(slow, hours=0.5, status="checking")
    assert import_jobs_fail_stale() == 2
    status = dict(ImportJob.objects.values_list("pk", "status"))
    assert (status[dead.pk], status[queued.pk], status[live.pk], status[slow.pk]) == ("failed", "failed", "queued", "checking")
    assert "中断不会留下部分数据" in ImportJob.objects.get(pk=dead.pk).message
    assert "后台任务进程可能没有运行" in ImportJob.objects.get(pk=queued.pk).message
    assert AuditEvent.objects.filter(action="import_jobs_fail_stale").count() == 2
    assert import_jobs_fail_stale() == 0


def test_a_job_failed_as_silent_does_not_start_or_write_later(personas, monkeypatch):
    job = upload(personas["county"], [row()])
    silent(job, status="queued")
    import_jobs_fail_stale()
    assert import_job_run(job.pk).status == "failed" and not Organization.objects.exists()
    # A run that goes on after its job was marked failed stops at its next report, before writing.
    from sanxin.imports import registry

    other = upload(personas["county"], [row()])
    spec = registry.import_specs()["organizations"]

    def validate_then_fall_silent(rows, *, user, progress=None):
        result = spec.validate(rows, user=user, progress=progress)
        silent(other, status="checking")
        import_jobs_fail_stale()
        progress(len(rows))
        return result

    monkeypatch.setitem(
        registry.import_specs(), "organizations", spec.__class__(**{**spec.__dict__, "validate": validate_then_fall_silent})
    )
    assert import_job_run(other.pk).status == "failed" and not Organization.objects.exists()


def test_retry_runs_the_same_file_again(personas, client_for):
    client = client_for("county")
    job = upload(personas["county"], [row(name="重来一次有限公司")])
    silent(job)
    assert "重新导入" in client.get(f"/imports/jobs/{job.pk}/").content.decode()
    response = client.post(f"/imports/jobs/{job.pk}/retry/")
    retry = ImportJob.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/imports/jobs/{retry.pk}/"
    assert (retry.status, retry.created_count, retry.filename) == ("done", 1, job.filename)
    assert ImportJob.objects.get(pk=job.pk).status == "failed"  # the failed run stays on record
    assert AuditEvent.objects.filter(action="import_job_retry", object_id=str(retry.pk)).exists()
    with pytest.raises(ValidationError, match="只有失败的导入任务可以重新导入"):
        import_job_retry(actor=personas["county"], job=retry)


def test_only_the_owner_retries(personas, client_for):
    job = upload(personas["county"], [row()])
    silent(job)
    import_jobs_fail_stale()
    assert client_for("township").post(f"/imports/jobs/{job.pk}/retry/").status_code == 404
    assert client_for("county").get(f"/imports/jobs/{job.pk}/retry/").status_code == 405
    assert ImportJob.objects.count() == 1


def test_retry_after_the_file_was_deleted_asks_for_the_upload(personas, client_for):
    job = upload(personas["county"], [row()])
    silent(job)
    import_jobs_fail_stale()
    job_file(job).unlink()
    ImportJob.objects.filter(pk=job.pk).update(stored_name="")
    page = client_for("county").post(f"/imports/jobs/{job.pk}/retry/", follow=True).content.decode()
    assert "上传的文件已在保存期（30 天）满后删除，请重新上传该文件" in page
    assert ImportJob.objects.count() == 1


def test_an_xlsx_that_unpacks_too_large_is_refused(personas, monkeypatch):
    monkeypatch.setattr(readers, "MAX_SHEET_BYTES", 1024**2)
    job = run(personas["county"], xlsx([row() for _ in range(5000)]))
    assert (job.status, job.message) == ("failed", "xlsx 文件解压后过大（超过 1 MB），请拆分后上传")


def test_entity_expansion_in_a_sheet_is_refused(personas):
    """A billion-laughs sheet: expat refuses the amplification, the user reads that the file is not a valid xlsx."""
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e0 "lol">{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&e9;</t></is></c></row></sheetData></worksheet>'
    )
    source = zipfile.ZipFile(io.BytesIO(xlsx([row()])))
    crafted = io.BytesIO()
    with zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            archive.writestr(name, sheet if name == "xl/worksheets/sheet1.xml" else source.read(name))
    job = run(personas["county"], crafted.getvalue())
    assert (job.status, job.message) == ("failed", NOT_XLSX)
