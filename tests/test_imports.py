"""The registry import: template, checks with row/column/reason, all-or-nothing, upsert, scope, command."""

import io
from pathlib import Path

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from sanxin.core.models import AuditEvent
from sanxin.imports.models import ImportJob
from sanxin.imports.registries.organizations import COLUMNS
from sanxin.imports.services import import_job_create, import_job_run
from sanxin.orgs.models import CoverageState, Organization
from tests.orgs_factories import credit_code

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
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            sheet.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8") -> bytes:
    lines = [",".join(HEADER)] + [",".join(str(v) for v in r) for r in rows]
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
    assert AuditEvent.objects.filter(action="import.organizations", outcome="success").count() == 3


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
        ({"上级单位统一社会信用代码": "91360102MA00000001"}, "上级单位统一社会信用代码", "不在名录中"),
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

    spec = registry.REGISTRIES["organizations"]
    monkeypatch.setitem(registry.REGISTRIES, "organizations", spec.__class__(**{**spec.__dict__, "after_write": boom}))
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
