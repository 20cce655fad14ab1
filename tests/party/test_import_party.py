"""Party organization import: same framework, upsert by region + name, covered organizations set."""

import io

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from sanxin.imports.services import import_job_create, import_job_run
from sanxin.orgs.models import CoverageState
from sanxin.party.importing import COLUMNS, OUTSIDE_SCOPE
from sanxin.party.models import PartyOrganization
from tests.orgs_factories import make_org

HEADER = [c.header for c in COLUMNS]


def xlsx(rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, values in enumerate([HEADER, *rows]):
        for c, value in enumerate(values or []):  # None: a blank row
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
    assert "名录中，也不在本文件中" in reasons[(6, "上级党组织名称")]


def test_parent_is_found_within_the_scope_and_above_the_rows_region(personas):
    county, other = personas["county"], personas["other_county"]
    run(other, [row("快递行业党委", level="党委", form="行业统建", region="360103")])
    run(county, [row("快递行业党委", level="党委", form="行业统建", region="360102"), row("邻街道党支部", region="360102004")])
    job = run(county, [row("滕王阁快递党支部", parent="快递行业党委"), row("借邻街道", parent="邻街道党支部")])
    assert job.status == "rejected"
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "上级党组织名称")]  # a sibling region is not above
    run(county, [row("滕王阁快递党支部", parent="快递行业党委")])
    branch = PartyOrganization.objects.get(name="滕王阁快递党支部")
    assert branch.parent.region_id == "360102"  # the county's, never the other county's namesake
    # The other county's committee is not found from here, even by its exact name.
    job = run(other, [row("西湖快递党支部", region="360103001", parent="快递行业党委")])
    assert PartyOrganization.objects.get(name="西湖快递党支部").parent.region_id == "360103"
    job = run(county, [row("另一党支部", region="360102002", parent="西湖快递党支部")])
    assert "您管辖的本地区或上级地区的名录中" in job.errors[0]["reason"]


def test_existing_party_organization_outside_the_scope_is_not_updated(personas, demo_zone):
    run(personas["county"], [row("民巷联合党支部", form="联合组建", secretary="原书记")])
    job = run(personas["zone"], [row("民巷联合党支部", form="联合组建", **{"书记": "改书记"}), row("商圈党支部")], mode="valid")
    assert (job.created_count, job.rejected_count) == (1, 1)
    assert job.errors[0] == {"row": 2, "column": "党组织名称", "value": "民巷联合党支部", "reason": OUTSIDE_SCOPE}
    assert PartyOrganization.objects.get(name="民巷联合党支部").secretary == "胡国华"
    assert PartyOrganization.objects.get(name="商圈党支部").zone == demo_zone  # a zone committee's new rows join its zone


def test_an_industry_committee_imports_only_its_industry(personas):
    run(personas["county"], [row("律师行业党委", level="党委", form="行业统建", region="360102", **{"所属行业": "律师"})])
    job = run(
        personas["industry"],
        [
            row("快递党支部"),
            row("无行业党支部", **{"所属行业": ""}),
            row("互联网党支部", **{"所属行业": "互联网"}),
            row("律师行业党委", level="党委", form="行业统建", region="360102", **{"所属行业": "快递"}),
        ],
    )
    reasons = {(e["row"], e["column"]): e["reason"] for e in job.errors}
    assert reasons == {
        (3, "所属行业"): "所属行业须为您管辖的行业（快递）",
        (4, "所属行业"): "所属行业须为您管辖的行业（快递）",
        (5, "党组织名称"): OUTSIDE_SCOPE,
    }


def test_parent_cycles_are_refused(personas):
    job = run(personas["county"], [row("甲党支部", parent="乙党支部"), row("乙党支部", parent="甲党支部")])
    assert {e["row"] for e in job.errors} == {2, 3} and "循环" in job.errors[0]["reason"]
    run(personas["county"], [row("总支", level="党总支"), row("支部", parent="总支")])
    job = run(personas["county"], [row("总支", level="党总支", parent="支部")])
    assert job.status == "rejected" and "循环" in job.errors[0]["reason"]


def test_a_new_parent_alone_counts_as_an_update(personas):
    run(personas["county"], [row("一支部"), row("党委", level="党委")])
    job = run(personas["county"], [row("一支部", parent="党委"), row("党委", level="党委")])
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 1)
    assert PartyOrganization.objects.get(name="一支部").parent.name == "党委"


def test_rows_keep_their_numbers_across_blank_rows(personas):
    job = run(personas["county"], [row("好党支部"), None, row("坏任期", **{"任期（年）": "4"})])
    assert [e["row"] for e in job.errors] == [4]


def test_term_and_name_typed_oddly(personas):
    job = run(personas["county"], [row("全角任期", **{"任期（年）": "５"}), row("上标任期", **{"任期（年）": "²"}), row("长" * 201)])
    reasons = {(e["row"], e["column"]): e["reason"] for e in job.errors}
    assert reasons == {(3, "任期（年）"): "任期应为 3 年或 5 年", (4, "党组织名称"): "党组织名称不能超过 200 个字，本行 201 个字"}


def test_a_row_outside_the_users_regions_reveals_nothing_about_namesakes_there(personas):
    run(personas["other_county"], [row("西湖党支部", region="360103001")])
    job = run(personas["county"], [row("西湖党支部", region="360103001")])
    assert [(e["column"], e["reason"]) for e in job.errors] == [("所在地区代码", "所在地区不在您的管辖范围内")]


def test_covered_organizations_outside_the_importers_scope_stay(personas):
    """A joint branch covers a firm of another township; the township's own import must not drop it."""
    mine = make_org(personas["county"], name="滕王阁快递")
    theirs = make_org(personas["county"], name="百花洲快递", region="360102004001")
    county_row = row("跨街道联合党支部", covered=f"{mine.credit_code}；{theirs.credit_code}", form="联合组建")
    assert run(personas["county"], [county_row]).status == "done"
    job = run(personas["township"], [row("跨街道联合党支部", covered=mine.credit_code, form="联合组建")])
    assert job.status == "done", job.errors
    branch = PartyOrganization.objects.get(name="跨街道联合党支部")
    assert set(branch.covered_organizations.values_list("name", flat=True)) == {"滕王阁快递", "百花洲快递"}
    theirs.refresh_from_db()
    assert theirs.coverage_state == CoverageState.ORG_COVERED
