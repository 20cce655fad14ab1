"""The member import: same framework, upsert by the ID number's blind index, errors by row and column."""

import io
from datetime import date

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from sanxin.core.models import AuditEvent
from sanxin.imports.services import import_job_create, import_job_run
from sanxin.members.importing import COLUMNS, OUTSIDE_SCOPE
from sanxin.members.models import Member
from sanxin.regions.models import Region
from tests.members_factories import id_number, make_member
from tests.orgs_factories import party_org

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


def row(name, number, *, org="滕王阁快递党支部", region="360102002", **extra):
    values = {
        "姓名": name,
        "性别": "男",
        "公民身份号码": number,
        "出生日期": "",
        "民族": "汉族",
        "学历": "大学本科",
        "手机号码": "13800138000",
        "入党日期": "2015-07-01",
        "党员状态": "正式党员",
        "所在党组织名称": org,
        "党组织所在地区代码": region,
        "组织关系情况": "流动党员（在此参加组织生活）",
        "职业": "快递员",
        "工作单位统一社会信用代码": "",
    }
    values.update(extra)
    return [values[h] for h in HEADER]


def run(user, rows):
    job = import_job_create(actor=user, registry="members", upload=SimpleUploadedFile("党员.xlsx", xlsx(rows)), mode="all")
    return import_job_run(job.pk)


def test_import_creates_then_upserts_by_id_number(personas):
    party_org(personas["county"], name="滕王阁快递党支部")
    first, second = id_number(date(1990, 1, 1)), id_number(date(1991, 2, 2))
    job = run(personas["county"], [row("甲", first), row("乙", second)])
    assert (job.status, job.created_count) == ("done", 2), job.errors
    member = Member.objects.get(name="甲")
    assert member.birth_date == date(1990, 1, 1) and member.relation_mode == "mobile" and member.phone == "13800138000"
    # The same ID number written lower-case or full-width is the same member: updated, not added.
    full_width = second.replace("1", "１")
    again = run(personas["county"], [row("甲", first.lower()), row("乙", full_width, 党员状态="预备党员")])
    assert (again.status, again.created_count, again.updated_count, again.unchanged_count) == ("done", 0, 1, 1), again.errors
    assert Member.objects.get(name="乙").status == "probationary" and Member.objects.count() == 2
    assert AuditEvent.objects.filter(action="member_create").count() == 2
    text = " ".join(str(e.detail) for e in AuditEvent.objects.filter(action__startswith="member_"))
    assert first not in text and second not in text and "13800138000" not in text


def test_errors_by_row_and_column(personas):
    party_org(personas["county"], name="滕王阁快递党支部")
    party_org(personas["other_county"], name="西湖区党支部", region=Region.objects.get(code="360103"))
    elsewhere = make_member(personas["other_county"], Region.objects.get(code="360103").party_organizations.get())
    today = date.today()
    young = today.replace(year=today.year - 17)
    good = id_number(date(1990, 1, 1))
    rows = [
        row("好", good),
        row("坏校验位", "360102199001010010"),
        row("少年", id_number(young), 入党日期=today.isoformat()),
        row("越界党组织", id_number(), org="西湖区党支部", region="360103"),
        row("别处已登记", elsewhere.id_number),
        row("坏手机", id_number(), 手机号码="12345"),
        row("坏日期", id_number(), 入党日期="去年"),
        row("重复", good),
    ]
    job = run(personas["county"], rows)
    assert job.status == "rejected" and not Member.objects.filter(party_organization__region_id="360102002").exists()
    reasons = {(e["row"], e["column"]): e["reason"] for e in job.errors}
    assert reasons[(3, "公民身份号码")] == "身份证号码校验位不正确"
    assert "党员应年满 18 周岁" in reasons[(4, "出生日期")]
    assert reasons[(5, "所在党组织名称")] == "该地区没有这个党组织，或不在您的管辖范围内"
    assert reasons[(6, "公民身份号码")] == OUTSIDE_SCOPE
    assert "不是有效的 11 位大陆手机号" in reasons[(7, "手机号码")]
    assert (8, "入党日期") in reasons
    assert reasons[(2, "公民身份号码")] == reasons[(9, "公民身份号码")] == "同一身份证号码在本文件中重复出现"


def test_template_and_command(personas, client_for, tmp_path, capsys):
    response = client_for("county").get("/imports/members/template.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    party_org(personas["county"], name="滕王阁快递党支部")
    path = tmp_path / "members.xlsx"
    path.write_bytes(xlsx([row("命令行党员", id_number())]))
    call_command("import_data", "members", str(path))
    assert "新增 1" in capsys.readouterr().out and Member.objects.filter(name="命令行党员").exists()


def test_lost_contact_is_neither_set_nor_left_by_an_import(personas):
    """失联 goes through the lost-contact services (sanxin.members.mobility); a blank cell keeps a lost member lost."""
    branch = party_org(personas["county"], name="滕王阁快递党支部")
    lost = make_member(personas["county"], branch, name="已失联", relation_mode="lost")
    present = make_member(personas["county"], branch, name="在册")
    new = id_number(date(1993, 3, 3))
    job = run(
        personas["county"],
        [
            row("新登记失联", new, 组织关系情况="失联党员"),
            row("在册", present.id_number, 组织关系情况="失联党员"),
            row("已失联", lost.id_number, 组织关系情况="组织关系在本组织"),
        ],
    )
    assert job.status == "rejected"
    reasons = {(e["row"], e["column"]): e["reason"] for e in job.errors}
    assert (
        reasons[(2, "组织关系情况")]
        == reasons[(3, "组织关系情况")]
        == ("不能在党员信息中直接设为失联，请在该党员的“流动情况”页“标记失联”（须填写失联日期和原因）")
    )
    assert reasons[(4, "组织关系情况")] == "该党员已标记为失联，不能在党员信息中直接更改组织关系情况，请先在其“流动情况”页“恢复联系”"
    assert not Member.objects.filter(name="新登记失联").exists()
    present.refresh_from_db()
    assert present.relation_mode == "local"
    # Blank or 失联党员 for the lost member: they stay lost, other columns update.
    again = run(personas["county"], [row("已失联", lost.id_number, 组织关系情况="", 职业="网约车司机")])
    assert again.status == "done", again.errors
    lost.refresh_from_db()
    assert lost.relation_mode == "lost" and lost.occupation == "网约车司机"
