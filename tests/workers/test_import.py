"""The worker import: template, upsert by phone, errors by row and column, `import_data workers FILE`."""

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from sanxin.imports.services import import_job_create, import_job_run
from sanxin.workers.importing import COLUMNS, OUTSIDE_SCOPE
from sanxin.workers.models import Worker

pytestmark = pytest.mark.django_db
HEADER = [c.header for c in COLUMNS]


def xlsx(rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, values in enumerate([HEADER, *rows]):
        for c, value in enumerate(values):
            sheet.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


def row(name, phone, *, occupation="外卖骑手", platforms="美团外卖、饿了么", region="360102002", area="", employer=""):
    return [name, phone, occupation, platforms, region, area, employer]


def run(user, content: bytes, mode="all"):
    job = import_job_create(actor=user, registry="workers", upload=SimpleUploadedFile("w.xlsx", content), mode=mode)
    return import_job_run(job.pk)


def test_header_is_the_agreed_one():
    assert HEADER == ["姓名", "手机号码", "职业", "所属平台", "工作区域代码", "工作区域说明", "所在站点统一社会信用代码"]


def test_template_download(client_for):
    response = client_for("county").get("/imports/workers/template.xlsx")
    assert response.status_code == 200


def test_upsert_by_phone(personas, platforms):
    job = run(personas["county"], xlsx([row("甲", "13811110001"), row("乙", "１３８１１１１０００２", region="360102002001", area="民巷")]))
    assert (job.created_count, job.rejected_count) == (2, 0), job.errors
    first = Worker.objects.get(name="甲")
    assert first.source == "import" and set(first.platforms.values_list("name", flat=True)) == {"美团外卖", "饿了么"}
    again = run(personas["county"], xlsx([row("甲", "13811110001"), row("乙改", "13811110002", region="360102002001", area="民巷")]))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 1, 1), again.errors
    assert Worker.objects.filter(name="乙改").exists()


def test_rows_refused_with_reasons(personas, platforms, far_rider):
    job = run(
        personas["county"],
        xlsx(
            [
                row("长" * 51, "13811110001"),
                row("坏号", "1381111"),
                row("坏职业", "13811110003", occupation="飞行员"),
                row("坏平台", "13811110004", platforms="不存在平台"),
                row("外县", "13811110005", region="360103001"),
                row("区县级", "13811110006", region="360102"),
                row("别人的", "13987654321"),
                row("重复", "13811110008"),
                row("重复", "13811110008"),
            ]
        ),
    )
    reasons = {(e["row"], e["column"]): e["reason"] for e in job.errors}
    assert job.created_count == 0
    assert "不能超过 50 个字" in reasons[(2, "姓名")]
    assert "11 位" in reasons[(3, "手机号码")]
    assert "职业应为" in reasons[(4, "职业")] or "可选" in reasons[(4, "职业")]
    assert "不存在平台" in reasons[(5, "所属平台")]
    assert "不在您的管辖范围内" in reasons[(6, "工作区域代码")]
    assert "街道" in reasons[(7, "工作区域代码")]
    assert reasons[(8, "手机号码")] == OUTSIDE_SCOPE
    assert "重复" in reasons[(9, "手机号码")]


def test_import_data_command(tmp_path, platforms):
    path = tmp_path / "workers.xlsx"
    path.write_bytes(xlsx([row("命令行", "13811119999")]))
    out = io.StringIO()
    call_command("import_data", "workers", str(path), stdout=out)
    assert "新增 1" in out.getvalue()
    assert Worker.objects.filter(name="命令行").exists()
