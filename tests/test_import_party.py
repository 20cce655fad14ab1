"""Party organization import: same framework, upsert by region + name, covered organizations set."""

import io

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from sanxin.imports.registries.party_organizations import COLUMNS
from sanxin.imports.services import import_job_create, import_job_run
from sanxin.orgs.models import CoverageState
from sanxin.party.models import PartyOrganization
from tests.orgs_factories import make_org

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


def row(name, covered="", parent="", level="党支部", form="单独组建", region="360102002", **extra):
    values = {
        "党组织名称": name,
        "层级": level,
        "上级党组织名称": parent,
        "组建方式": form,
        "所在地区代码": region,
        "所属行业": "快递",
        "书记": "胡国华",
        "成立日期": "2021-07-01",
        "任期（年）": "3",
        "上次换届日期": "",
        "状态": "正常",
        "覆盖单位统一社会信用代码": covered,
    }
    values.update(extra)
    return [values[h] for h in HEADER]


def run(user, rows, mode="all"):
    job = import_job_create(actor=user, registry="party_organizations", upload=SimpleUploadedFile("党组织.xlsx", xlsx(rows)), mode=mode)
    return import_job_run(job.pk)


def test_import_party_orgs_with_parent_and_coverage(personas):
    a, b = make_org(personas["county"], name="甲快递"), make_org(personas["county"], name="乙快递")
    rows = [
        row("东湖区快递行业党委", level="党委", form="行业统建"),
        row("快递联合党支部", covered=f"{a.credit_code}；{b.credit_code}", parent="东湖区快递行业党委", form="联合组建"),
    ]
    job = run(personas["county"], rows)
    assert (job.status, job.created_count) == ("done", 2), job.errors
    branch = PartyOrganization.objects.get(name="快递联合党支部")
    assert branch.parent.name == "东湖区快递行业党委" and branch.next_election_due.isoformat() == "2024-07-01"
    a.refresh_from_db()
    assert a.coverage_state == CoverageState.ORG_COVERED
    again = run(personas["county"], rows)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)


def test_rules_and_scope(personas):
    outside = make_org(personas["other_county"], region="360103001001")
    job = run(
        personas["county"],
        [
            row("好党支部"),
            row("坏任期", **{"任期（年）": "4"}),
            row("越界覆盖", covered=outside.credit_code),
            row("越界地区", region="360103001"),
            row("无上级", parent="不存在的党委"),
        ],
    )
    assert job.status == "rejected" and not PartyOrganization.objects.exists()
    reasons = {(e["row"], e["column"]): e["reason"] for e in job.errors}
    assert "3 年或 5 年" in reasons[(3, "任期（年）")]
    assert "不在您管辖的组织名录中" in reasons[(4, "覆盖单位统一社会信用代码")]
    assert "不在您的管辖范围内" in reasons[(5, "所在地区代码")]
    assert "不在名录中" in reasons[(6, "上级党组织名称")]
