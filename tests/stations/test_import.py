"""The station import: the service's rules per row and column, upsert by (region, name), the command."""

import io

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from sanxin.imports.services import import_job_create, import_job_run
from sanxin.stations.importing import COLUMNS
from sanxin.stations.models import Station

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


def row(name, **extra):
    values = {
        "名称": name,
        "类型": "小哥驿站",
        "运营单位": "滕王阁街道党工委",
        "所在地区代码": "360102002001",
        "详细地址": "南昌市东湖区榕门路 8 号",
        "经度": "115.892151",
        "纬度": "28.676493",
        "开放时间": "08:00-20:00",
        "是否24小时": "否",
        "设施": "饮水、卫生间、充电",
        "六有": "有场所、有设施",
        "是否在运营": "是",
        "备注": "",
    }
    values.update(extra)
    return [values[h] for h in HEADER]


def run(user, rows):
    job = import_job_create(actor=user, registry="stations", upload=SimpleUploadedFile("阵地.xlsx", xlsx(rows)), mode="all")
    return import_job_run(job.pk)


def test_import_creates_then_upserts(personas):
    county = personas["county"]
    job = run(county, [row("滕王阁小哥驿站"), row("榕门路司机之家", 类型="司机之家", 是否24小时="是", 开放时间="")])
    assert job.status == "done", job.errors
    station = Station.objects.get(name="滕王阁小哥驿站")
    assert station.amenities == ["water", "toilet", "charging"] and station.checklist["facilities"]
    assert Station.objects.get(name="榕门路司机之家").open_24h
    run(
        county,
        [
            row("滕王阁小哥驿站", 六有="有场所、有设施、有标志、有党旗、有书报、有制度"),
            row("榕门路司机之家", 类型="司机之家", 是否24小时="是", 开放时间=""),
        ],
    )
    station.refresh_from_db()
    assert station.checklist_complete and Station.objects.count() == 2


def test_import_refuses_rows_naming_column(personas):
    job = run(
        personas["county"],
        [
            row("境外驿站", 经度="2.35", 纬度="48.85"),
            row("外区驿站", 所在地区代码="360103001"),
            row("怪设施驿站", 设施="桑拿"),
            row("重复驿站"),
            row("重复驿站"),
        ],
    )
    assert job.status == "rejected"
    reasons = {(e["row"], e["column"]): e["reason"] for e in job.errors}
    assert "中国境内" in reasons[(2, "经度")]
    assert "管辖范围" in reasons[(3, "所在地区代码")]
    assert "桑拿" in reasons[(4, "设施")]
    assert (5, "名称") in reasons and (6, "名称") in reasons
    assert not Station.objects.exists()


def test_template_and_command(personas, client_for, tmp_path, capsys):
    response = client_for("county").get("/imports/stations/template.xlsx")
    assert response.status_code == 200
    path = tmp_path / "stations.xlsx"
    path.write_bytes(xlsx([row("命令行驿站")]))
    call_command("import_data", "stations", str(path))
    assert "新增 1" in capsys.readouterr().out and Station.objects.filter(name="命令行驿站").exists()
