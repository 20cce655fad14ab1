"""The registry import: template, checks with row/column/reason, all-or-nothing, upsert, scope, command."""

import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import load_workbook

from sanxin.core.models import AuditEvent
from sanxin.core.uploads import MAX_UPLOAD_BYTES
from sanxin.imports.models import ImportJob
from sanxin.imports.readers import read_rows, read_table
from sanxin.imports.services import import_job_create, import_job_run
from sanxin.imports.spec import ImportConflict, ImportScope, parse_count, parse_date
from sanxin.orgs.importing import COLUMNS, OUTSIDE_SCOPE
from sanxin.orgs.models import CoverageState, Organization
from tests.orgs_factories import credit_code, make_org

HEADER = [c.header for c in COLUMNS]


def row(code=None, name="南昌示例有限公司", category="私营企业", industry="快递", region="360102002001", **extra):
    values = {
        "统一社会信用代码": code or credit_code(),
        "单位名称": name,
        "单位类别": category,
        "所属行业": industry,
        "所在地区代码": region,
        "详细地址": "民巷 1 号",
        "法定代表人": "王建华",
        "从业人员数": "30",
        "正式党员数": "3",
        "预备党员数": "0",
        "成立日期": "2020-05-01",
        "登记状态": "存续",
        "上级单位统一社会信用代码": "",
    }
    values.update(extra)
    return [values[h] for h in HEADER]


def xlsx(rows, header=HEADER) -> bytes:
    """A sheet with the header in row 1; a row given as None stays blank. Numbers and dates are typed cells."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values or []):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, day)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8", header=HEADER, delimiter=",") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(str(v) for v in r) if r is not None else "" for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def run(user, content: bytes, name="名录.xlsx", mode="all") -> ImportJob:
    job = import_job_create(actor=user, registry="organizations", upload=SimpleUploadedFile(name, content), mode=mode)
    return import_job_run(job.pk)


def test_template_columns_dropdowns_and_instructions(client_for):
    response = client_for("county").get("/imports/organizations/template.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "统一社会信用代码",
        "单位名称",
        "单位类别",
        "所属行业",
        "所在地区代码",
        "详细地址",
        "法定代表人",
        "从业人员数",
        "正式党员数",
        "预备党员数",
        "成立日期",
        "登记状态",
        "上级单位统一社会信用代码",
    ]
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert {"C2", "D2", "L2"} <= set(validations)
    assert "填写说明" in book.sheetnames


def test_valid_file_imports_and_reimport_changes_nothing(personas):
    rows = [row(name="甲有限公司"), row(name="乙有限公司", **{"正式党员数": "0"})]
    job = run(personas["county"], xlsx(rows))
    assert (job.status, job.created_count, job.updated_count, job.unchanged_count, job.rejected_count) == ("done", 2, 0, 0, 0)
    assert Organization.objects.get(name="甲有限公司").should_establish  # coverage computed after the import
    again = run(personas["county"], xlsx(rows))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    changed = [rows[0], row(code=rows[1][0], name="乙有限公司（更名）")]
    third = run(personas["county"], xlsx(changed))
    assert (third.created_count, third.updated_count, third.unchanged_count) == (0, 1, 1)
    assert AuditEvent.objects.filter(action="import_job_run", outcome="success").count() == 3


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        ({"统一社会信用代码": "91360102MA35XXXXX1"}, "统一社会信用代码", "统一社会信用代码"),
        ({"单位名称": ""}, "单位名称", "不能为空"),
        ({"单位类别": "国有企业"}, "单位类别", "不在可选范围内"),
        ({"所属行业": "航天"}, "所属行业", "不在行业字典中"),
        ({"所在地区代码": "999999999999"}, "所在地区代码", "不存在"),
        ({"所在地区代码": "360103001001"}, "所在地区代码", "不在您的管辖范围内"),
        ({"从业人员数": "很多"}, "从业人员数", "整数"),
        ({"成立日期": "去年"}, "成立日期", "无法识别"),
        ({"成立日期": "2999-01-01"}, "成立日期", "不能晚于今天"),
        ({"登记状态": "停业"}, "登记状态", "存续、注销、吊销 或 迁出"),
        ({"正式党员数": "40"}, "正式党员数", "不能多于从业人员数"),
        ({"上级单位统一社会信用代码": "91360102MA00000001"}, "上级单位统一社会信用代码", "名录中，也不在本文件中"),
    ],
)
def test_each_rule_reported_by_row_column_and_reason(personas, change, column, reason):
    job = run(personas["county"], xlsx([row(name="好的有限公司"), row(**change)]))
    assert job.status == "rejected" and job.rejected_count == 1
    assert any(e["row"] == 3 and e["column"] == column and reason in e["reason"] for e in job.errors), job.errors
    assert not Organization.objects.exists()  # all-or-nothing: not even the good row


def test_valid_rows_only_mode(personas):
    job = run(personas["county"], xlsx([row(name="好的有限公司"), row(**{"单位类别": "国有企业"})]), mode="valid")
    assert (job.status, job.created_count, job.rejected_count) == ("done", 1, 1)
    assert list(Organization.objects.values_list("name", flat=True)) == ["好的有限公司"]


def test_duplicate_keys_inside_the_file(personas):
    code = credit_code()
    job = run(personas["county"], xlsx([row(code=code), row(code=code, name="同码不同名")]))
    assert {e["row"] for e in job.errors if "重复" in e["reason"]} == {2, 3}


def test_parent_in_same_file_is_linked(personas):
    head = credit_code()
    job = run(
        personas["county"],
        xlsx(
            [
                row(code=head, name="平台总部", category="互联网平台企业"),
                row(name="平台站点", category="加盟商/站点", **{"上级单位统一社会信用代码": head}),
            ]
        ),
    )
    assert job.created_count == 2
    assert Organization.objects.get(name="平台站点").parent.name == "平台总部"


def test_wrong_header_explained(personas):
    header = HEADER.copy()
    header[2], header[3] = header[3], header[2]
    job = run(personas["county"], xlsx([row()], header=header))
    assert job.status == "failed" and "第 3 列应为“单位类别”" in job.message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding(personas, encoding):
    job = run(personas["county"], csv_bytes([row(name="CSV有限公司")], encoding), name="名录.csv")
    assert job.created_count == 1 and Organization.objects.get().name == "CSV有限公司"


def test_other_file_types_refused(personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="只支持"):
        import_job_create(actor=personas["county"], registry="organizations", upload=SimpleUploadedFile("a.txt", b"x"))


def test_failure_while_writing_leaves_nothing(personas, monkeypatch):
    from sanxin.imports import registry

    def boom(ids, total):
        raise RuntimeError("断电")

    spec = registry.import_specs()["organizations"]
    monkeypatch.setitem(registry.import_specs(), "organizations", spec.__class__(**{**spec.__dict__, "after_write": boom}))
    with pytest.raises(RuntimeError):
        run(personas["county"], xlsx([row(), row()]))
    assert not Organization.objects.exists()
    assert ImportJob.objects.get().status == "failed"


def test_pages_upload_progress_and_errors(personas, client_for):
    client = client_for("county")
    page = client.get("/imports/organizations/").content.decode()
    assert "导入两新组织名录" in page and "导入模板" in page
    response = client.post(
        "/imports/organizations/", {"file": SimpleUploadedFile("坏.xlsx", xlsx([row(**{"单位类别": "国有企业"})])), "mode": "all"}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/jobs/{job.pk}/"
    detail = client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert "单位类别不在可选范围内" in detail and "下载错误清单" in detail
    errors = client.get(f"/imports/jobs/{job.pk}/errors.xlsx")
    sheet = load_workbook(io.BytesIO(errors.content)).worksheets[0]
    assert [c.value for c in sheet[2]][:2] == [2, "单位类别"]
    # Someone else's job, its errors and its file stay invisible.
    other = client_for("township")
    assert other.get(f"/imports/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/imports/jobs/{job.pk}/errors.xlsx").status_code == 404
    assert "坏.xlsx" not in other.get("/imports/jobs/").content.decode()


def test_import_needs_the_capability(client_for):
    assert client_for("member").get("/imports/organizations/").status_code == 404
    assert client_for("county").get("/imports/nonsense/").status_code == 404


def test_command(personas, tmp_path: Path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([row(name="命令行有限公司")]))
    call_command("import_data", "organizations", str(good))
    assert "新增 1" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row(**{"单位类别": "国有企业"})]))
    out_file = tmp_path / "errors.xlsx"
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_data", "organizations", str(bad), "--errors", str(out_file), "--user", "county")
    assert out_file.exists()
    call_command("import_data", "organizations", str(good))
    assert "未变 1" in capsys.readouterr().out


def test_coverage_state_of_imported_rows_is_computed(personas):
    run(personas["county"], xlsx([row(name="新导入企业")]))
    assert Organization.objects.get().coverage_state == CoverageState.BLANK


def test_every_problem_of_a_row_is_reported_at_once(personas):
    bad = {"所在地区代码": "360103001001", "从业人员数": "5", "正式党员数": "9", "成立日期": "2999-01-01"}
    job = run(personas["county"], xlsx([row(**bad)]))
    columns = {e["column"] for e in job.errors}
    assert {"所在地区代码", "正式党员数", "成立日期"} <= columns


# --- Scope: an import writes only inside the importing user's scope ---------------------------------


def test_existing_organization_outside_the_scope_cannot_be_taken_over(personas):
    firm = make_org(personas["other_county"], region="360103001001", name="西湖区某物流有限公司")
    hijack = row(code=firm.credit_code, name="改名接管", region="360102002001")
    job = run(personas["county"], xlsx([row(name="正常新增"), hijack]))
    assert job.status == "rejected"
    [error] = [e for e in job.errors if e["row"] == 3]
    assert (error["column"], error["reason"]) == ("统一社会信用代码", OUTSIDE_SCOPE)
    assert "西湖" not in str(job.errors) and "360103" not in str(job.errors)  # nothing about the other organization
    again = run(personas["county"], xlsx([row(name="正常新增"), hijack]), mode="valid")
    assert (again.created_count, again.rejected_count) == (1, 1)
    firm.refresh_from_db()
    assert (firm.name, firm.region_id) == ("西湖区某物流有限公司", "360103001001")


def test_the_operator_from_the_shell_is_not_restricted(personas):
    firm = make_org(personas["other_county"], region="360103001001", name="西湖区某物流有限公司")
    job = run(None, xlsx([row(code=firm.credit_code, name="迁入东湖", region="360102002001")]))
    assert (job.status, job.updated_count) == ("done", 1)
    firm.refresh_from_db()
    assert (firm.name, firm.region_id) == ("迁入东湖", "360102002001")


def test_an_industry_committee_imports_only_its_industry(personas):
    lawyers = make_org(personas["county"], industry="7231", name="某律师事务所")
    job = run(
        personas["industry"],
        xlsx([row(name="快递网点"), row(name="互联网公司", industry="互联网"), row(code=lawyers.credit_code, name="律所改名")]),
    )
    reasons = {(e["row"], e["column"]): e["reason"] for e in job.errors}
    assert reasons == {(3, "所属行业"): "所属行业须为您管辖的行业（快递）", (4, "统一社会信用代码"): OUTSIDE_SCOPE}
    run(personas["industry"], xlsx([row(name="快递网点")]))
    assert Organization.objects.get(name="快递网点").industry.code == "6020"


def test_a_zone_committee_imports_into_its_zone(personas, demo_zone):
    outside_zone = make_org(personas["county"], name="园区外企业")
    job = run(personas["zone"], xlsx([row(name="园区新企业"), row(code=outside_zone.credit_code, name="拉进园区")]), mode="valid")
    assert (job.created_count, job.rejected_count) == (1, 1)
    assert job.errors[0]["reason"] == OUTSIDE_SCOPE
    assert Organization.objects.get(name="园区新企业").zone == demo_zone
    again = run(personas["zone"], xlsx([row(code=Organization.objects.get(name="园区新企业").credit_code, name="园区新企业（更名）")]))
    assert (again.updated_count, Organization.objects.get(name="园区新企业（更名）").zone) == (1, demo_zone)


def test_parent_outside_the_scope_is_refused(personas):
    group = make_org(personas["other_county"], region="360103001001")
    job = run(personas["county"], xlsx([row(**{"上级单位统一社会信用代码": group.credit_code})]))
    assert job.errors[0]["reason"] == "上级单位不在您管辖的名录中，也不在本文件中"
    assert run(None, xlsx([row(**{"上级单位统一社会信用代码": group.credit_code})])).created_count == 1


def test_a_code_registered_elsewhere_after_the_check_stops_the_write(personas):
    """The scope is checked again inside the write's transaction."""
    from sanxin.orgs import importing as organizations

    code = credit_code()
    valid, errors = organizations.validate([(2, row(code=code))], user=personas["county"])
    assert valid and not errors
    make_org(personas["other_county"], region="360103001001", credit_code=code, name="抢先登记")
    with pytest.raises(ImportConflict):
        organizations.write(valid, scope=ImportScope.of(personas["county"]))
    assert Organization.objects.get(credit_code=code).name == "抢先登记"


def test_parent_cycles_are_refused(personas):
    a, b = credit_code(), credit_code()
    job = run(personas["county"], xlsx([row(code=a, **{"上级单位统一社会信用代码": b}), row(code=b, **{"上级单位统一社会信用代码": a})]))
    assert {(e["row"], e["column"]) for e in job.errors} == {(2, "上级单位统一社会信用代码"), (3, "上级单位统一社会信用代码")}
    assert "循环" in job.errors[0]["reason"]
    run(personas["county"], xlsx([row(code=a, name="集团"), row(code=b, name="分公司", **{"上级单位统一社会信用代码": a})]))
    # The stored chain counts too: the group cannot become its branch's branch.
    job = run(personas["county"], xlsx([row(code=a, name="集团", **{"上级单位统一社会信用代码": b})]))
    assert job.status == "rejected" and "循环" in job.errors[0]["reason"]


# --- Row numbers as the user sees them -----------------------------------------------------------------


def test_rows_keep_their_numbers_across_blank_rows_in_xlsx(personas, client_for):
    rows = [
        row(name="第二行"),
        None,
        None,
        row(name="第五行", **{"单位类别": "国有企业"}),
        None,
        row(name="第七行", **{"成立日期": "去年"}),
    ]
    job = run(personas["county"], xlsx(rows))
    assert [(e["row"], e["column"]) for e in job.errors] == [(5, "单位类别"), (7, "成立日期")]
    assert job.total_rows == 3
    sheet = load_workbook(io.BytesIO(client_for("county").get(f"/imports/jobs/{job.pk}/errors.xlsx").content)).worksheets[0]
    assert [sheet.cell(r, 1).value for r in (2, 3)] == [5, 7]


def test_rows_keep_their_numbers_across_blank_lines_in_csv(personas):
    rows = [
        row(name="第二行"),
        None,
        row(name="第四行", **{"单位类别": "国有企业"}),
        ["", "", ""],
        row(name="第六行", **{"成立日期": "去年"}),
    ]
    job = run(personas["county"], csv_bytes(rows), name="名录.csv")
    assert [(e["row"], e["column"]) for e in job.errors] == [(4, "单位类别"), (6, "成立日期")]


def test_rows_keep_their_numbers_below_blank_rows_above_the_header(personas, tmp_path):
    path = tmp_path / "名录.xlsx"
    path.write_bytes(xlsx([row(**{"单位类别": "国有企业"})], header=HEADER))
    from openpyxl import load_workbook as open_book

    book = open_book(path)
    book.worksheets[0].insert_rows(1, amount=2)
    book.save(path)
    job = run(personas["county"], path.read_bytes())
    assert job.errors[0]["row"] == 4


def test_read_table_keeps_its_shape_for_other_callers(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes([row(name="甲"), None, row(name="乙")]))
    header, body = read_table(path)
    assert header == HEADER and [cells[1] for cells in body] == ["甲", "乙"]
    header, numbered = read_rows(path)
    assert [number for number, _ in numbered] == [2, 4]


# --- What users run into -----------------------------------------------------------------------------


def test_header_with_spaces_stars_and_half_width_brackets_is_accepted(personas):
    header = [f" {h} " for h in HEADER]
    header[0], header[1] = "*统一社会 信用代码", "单位名称\n"
    assert run(personas["county"], xlsx([row(name="表头宽松")], header=header)).created_count == 1


def test_missing_column_is_named(personas):
    header = [h for h in HEADER if h != "所属行业"]
    values = row()
    del values[HEADER.index("所属行业")]
    job = run(personas["county"], xlsx([values], header=header))
    assert job.status == "failed" and job.message.startswith("表头缺少列：所属行业。")


def test_cells_typed_by_excel_are_read(personas):
    typed = row(name="类型化单元格", **{"成立日期": datetime(2020, 5, 1), "从业人员数": 30, "正式党员数": 3.0, "预备党员数": 0})
    serial = row(name="日期序号", **{"成立日期": 43952})
    job = run(personas["county"], xlsx([typed, serial]))
    assert job.created_count == 2, job.errors
    assert {str(o.established_on) for o in Organization.objects.all()} == {"2020-05-01"}
    assert Organization.objects.get(name="类型化单元格").employees == 30


def test_credit_code_saved_as_a_number_by_excel_is_explained(personas):
    number_cell = row(code=913601020000000001)
    csv_from_excel = row(code="9.13601E+17")
    for content, name in ((xlsx([number_cell]), "名录.xlsx"), (csv_bytes([csv_from_excel]), "名录.csv")):
        job = run(personas["county"], content, name=name)
        assert job.errors[0]["value"] == "9.13601E+17" and "设为“文本”格式" in job.errors[0]["reason"]


def test_a_file_with_only_the_header(personas):
    job = run(personas["county"], xlsx([None, None]))
    assert (job.status, job.message) == ("failed", "文件只有表头，没有数据行")


def test_a_file_over_200_mb_is_refused(personas, tmp_path):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import UploadedFile

    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(MAX_UPLOAD_BYTES + 1)  # sparse: takes no disk
    with big.open("rb") as handle, pytest.raises(ValidationError, match="文件超过 200 MB，请拆分后上传"):
        upload = UploadedFile(handle, name="big.csv", size=big.stat().st_size)
        import_job_create(actor=personas["county"], registry="organizations", upload=upload)
    assert not ImportJob.objects.exists()


def test_gb18030_csv_with_a_byte_order_mark(personas):
    content = "\ufeff".encode("gb18030") + csv_bytes([row(name="国标编码有限公司")], "gb18030")
    assert content.startswith(b"\x84\x31\x95\x33")
    job = run(personas["county"], content, name="名录.csv")
    assert job.created_count == 1, job.message


def test_unicode_text_saved_by_excel(personas):
    content = csv_bytes([row(name="制表符分隔有限公司")], "utf-16", delimiter="\t")
    assert run(personas["county"], content, name="名录.csv").created_count == 1


def test_valid_rows_only_when_every_row_is_bad(personas):
    job = run(personas["county"], xlsx([row(**{"单位类别": "国有企业"}), row(**{"所属行业": "航天"})]), mode="valid")
    assert (job.status, job.rejected_count, job.message) == ("rejected", 2, "全部 2 行都不符合要求，未写入任何数据")


def test_a_failure_while_checking_leaves_the_job_failed(personas, monkeypatch):
    from sanxin.imports import registry

    def broken(rows, *, user, progress=None):
        raise RuntimeError("校验程序出错")

    spec = registry.import_specs()["organizations"]
    monkeypatch.setitem(registry.import_specs(), "organizations", spec.__class__(**{**spec.__dict__, "validate": broken}))
    with pytest.raises(RuntimeError):
        run(personas["county"], xlsx([row()]))
    job = ImportJob.objects.get()
    assert job.status == "failed" and "校验时出错" in job.message


def test_a_silent_job_is_marked_failed_when_seen(personas, client_for):
    client = client_for("county")
    job = import_job_create(actor=personas["county"], registry="organizations", upload=SimpleUploadedFile("卡住.xlsx", xlsx([row()])))
    ImportJob.objects.filter(pk=job.pk).update(status="writing", progress=70)
    fresh = client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert "导入中" in fresh and "hx-get" in fresh
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=2))
    page = client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert "失败" in page and "不会留下部分数据" in page and "hx-get" not in page and "重新导入" in page
    assert ImportJob.objects.get(pk=job.pk).status == "failed"
    assert AuditEvent.objects.filter(action="import_jobs_fail_stale", object_id=str(job.pk), outcome="failure").count() == 1
    listing = client.get("/imports/jobs/").content.decode()
    assert "失败" in listing and "两新组织名录" in listing


@pytest.mark.django_db(transaction=True)
def test_progress_moves_while_writing_on_postgresql(personas, monkeypatch):
    """The write is one transaction; its progress reaches the page through a second connection."""
    from django.db import DEFAULT_DB_ALIAS, connection, connections

    from sanxin.imports import registry

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer: the progress shows when the write commits")
    seen = []

    def look(ids, total):
        other = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with other.cursor() as cur:
                cur.execute("SELECT status, progress FROM imports_importjob")
                seen.extend(cur.fetchall())
        finally:
            other.close()

    spec = registry.import_specs()["organizations"]
    monkeypatch.setitem(registry.import_specs(), "organizations", spec.__class__(**{**spec.__dict__, "after_write": look}))
    job = run(personas["county"], xlsx([row(), row()]))
    assert job.status == "done"
    assert seen == [("writing", 90)]


def organization_indexes() -> list:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the COPY path and its index handling are PostgreSQL's")
    with connection.cursor() as cur:
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'orgs_organization' ORDER BY indexname")
        return cur.fetchall()


def import_capturing_sql(user, rows, monkeypatch, *, after_write=None):
    """Run an import with a bulk-load threshold of two rows; the job and the SQL it sent."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sanxin.imports import registry
    from sanxin.orgs import importing_pg as organizations_pg

    monkeypatch.setattr(organizations_pg, "BULK_LOAD_MIN_ROWS", 2)
    if after_write:
        spec = registry.import_specs()["organizations"]
        monkeypatch.setitem(registry.import_specs(), "organizations", spec.__class__(**{**spec.__dict__, "after_write": after_write}))
    with CaptureQueriesContext(connection) as queries:
        try:
            job = run(user, xlsx(rows))
        except RuntimeError:
            job = ImportJob.objects.get()
    return job, [q["sql"] for q in queries]


def test_a_first_large_load_builds_the_indexes_after_the_insert(personas, monkeypatch):
    before = organization_indexes()
    head = credit_code()
    rows = [row(code=head, name="总部有限公司"), row(name="分店", **{"上级单位统一社会信用代码": head}), row(name="另一家")]
    job, sql = import_capturing_sql(personas["county"], rows, monkeypatch)
    assert (job.status, job.created_count) == ("done", 3)
    assert any(s.startswith("DROP INDEX") for s in sql)
    assert organization_indexes() == before  # every index back, as it was defined
    assert Organization.objects.get(name="分店").parent.credit_code == head
    assert Organization.objects.get(name="总部有限公司").should_establish  # three formal members, no Party organization


def test_an_import_smaller_than_the_registry_keeps_the_indexes(personas, monkeypatch):
    before = organization_indexes()
    for name in ("甲", "乙", "丙"):
        make_org(personas["county"], name=f"已在名录{name}")
    job, sql = import_capturing_sql(personas["county"], [row(), row()], monkeypatch)
    assert (job.status, job.created_count) == ("done", 2)
    assert not any(s.startswith("DROP INDEX") for s in sql)
    assert organization_indexes() == before


def test_a_large_load_that_fails_leaves_the_indexes_and_no_rows(personas, monkeypatch):
    before = organization_indexes()

    def boom(ids, total):
        raise RuntimeError("断电")

    job, sql = import_capturing_sql(personas["county"], [row(), row(), row()], monkeypatch, after_write=boom)
    assert job.status == "failed" and any(s.startswith("DROP INDEX") for s in sql)
    assert organization_indexes() == before and not Organization.objects.exists()


def test_values_too_large_for_the_registry_are_row_errors(personas):
    """Not a failed write of the whole file."""
    job = run(personas["county"], xlsx([row(name="长" * 201), row(**{"从业人员数": "3000000000"})]), mode="valid")
    reasons = {(e["row"], e["column"]): e["reason"] for e in job.errors}
    assert reasons[(2, "单位名称")] == "单位名称不能超过 200 个字，本行 201 个字"
    assert reasons[(3, "从业人员数")] == "数值过大，不能超过 2,147,483,647"
    assert job.status == "rejected"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-05-01", "2020-05-01"),
        ("2020-5-1", "2020-05-01"),
        ("2020/05/01", "2020-05-01"),
        ("2020年5月1日", "2020-05-01"),
        ("43952", "2020-05-01"),
    ],
)
def test_dates_in_the_forms_people_type(text, expected):
    assert parse_date(text).isoformat() == expected


@pytest.mark.parametrize("text", ["2020-02-30", "2020-13-01", "明年"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValueError, match="无法识别"):
        parse_date(text)


@pytest.mark.parametrize(("text", "expected"), [("30", 30), ("1,200", 1200), ("30.0", 30), ("３０", 30), ("", 0)])
def test_counts_in_the_forms_people_type(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["-1", "2.5", "²", "很多"])
def test_counts_that_are_not_counts(text):
    with pytest.raises(ValueError, match="整数"):
        parse_count(text)


def test_a_file_wrong_throughout_keeps_a_bounded_error_list(personas, monkeypatch):
    from sanxin.imports import services

    monkeypatch.setattr(services, "MAX_ERRORS_KEPT", 2)
    job = run(personas["county"], xlsx([row(**{"单位类别": "国有企业"}) for _ in range(3)]))
    assert (job.rejected_count, len(job.errors)) == (3, 2)
    assert job.message.endswith("（错误过多，只列出前 2 条）")
