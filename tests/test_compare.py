"""数据比对: normalization, matching outcomes, review, actions, the command and scope."""

import io
from pathlib import Path

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from sanxin.compare.models import ComparisonRow, RegistryComparison
from sanxin.compare.normalize import normalize_name, region_words
from sanxin.compare.services import comparison_create, comparison_run, create_new_organizations, deregister_gone, review_decide
from sanxin.core.models import AuditEvent
from sanxin.imports.registries.organizations import COLUMNS
from sanxin.orgs.models import Organization
from sanxin.regions.models import Region
from tests.orgs_factories import credit_code, make_org

HEADER = [c.header for c in COLUMNS]
WORDS = region_words(["江西省", "南昌市", "东湖区", "滕王阁街道"])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("顺丰速运（南昌）有限公司", "顺丰速运(南昌)有限公司"),
        ("顺丰速运（南昌）有限公司", "江西省南昌市顺丰速运有限责任公司"),
        ("南昌赣江网络科技有限公司", "赣江网络科技股份有限公司"),
        ("ＡＢＣ物流有限公司", "ABC物流有限公司"),
        ("顺丰速运【南昌】有限公司", "顺丰速运 (南昌) 有限公司"),
    ],
)
def test_variants_normalize_alike(a, b):
    assert normalize_name(a, WORDS) == normalize_name(b, WORDS)


def test_branch_never_equals_head_office():
    head = normalize_name("顺丰速运（南昌）有限公司", WORDS)
    branch = normalize_name("顺丰速运（南昌）有限公司东湖分公司", WORDS)
    assert branch.is_branch and not head.is_branch and branch.key != head.key
    assert normalize_name("顺丰速运南昌民巷营业点", WORDS) != normalize_name("顺丰速运南昌章江路营业点", WORDS)


def outside(rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, values in enumerate([HEADER, *[[row.get(h, "") for h in HEADER] for row in rows]]):
        for c, value in enumerate(values):
            sheet.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


def entry(name, code="", region="360102002001", **extra):
    return {
        "统一社会信用代码": code,
        "单位名称": name,
        "单位类别": "私营企业",
        "所属行业": "快递",
        "所在地区代码": region,
        "从业人员数": "10",
        "登记状态": "存续",
        **extra,
    }


def run(user, rows, region="360102"):
    comparison = comparison_create(
        actor=user, region=Region.objects.get(code=region), upload=SimpleUploadedFile("名录.xlsx", outside(rows))
    )
    return comparison_run(comparison.pk)


@pytest.fixture
def registry(personas):
    county = personas["county"]
    return {
        "coded": make_org(county, name="南昌顺达快递有限公司"),
        "named": make_org(county, name="顺丰速运（南昌）有限公司"),
        "branch": make_org(county, name="顺丰速运（南昌）有限公司东湖分公司"),
        "typo": make_org(county, name="南昌赣江网络科技有限公司", address="东湖区民巷 18 号"),
        "gone": make_org(county, name="南昌已关门商贸有限公司"),
        "twin_a": make_org(county, name="东湖洁美家政服务有限公司"),
        "twin_b": make_org(county, name="东湖洁美家政服务有限公司", region="360102002002"),
        "west": make_org(personas["other_county"], name="西湖邻居有限公司", region="360103001001"),
    }


def outcomes(comparison):
    return {(r.values.get("单位名称") or r.organization.name): (r.outcome, r.organization_id) for r in comparison.rows.all()}


def test_outcomes(personas, registry):
    o = registry
    comparison = run(
        personas["county"],
        [
            entry("南昌顺达快递有限公司（更名中）", code=o["coded"].credit_code),  # code wins over the name
            entry("江西省南昌市顺丰速运有限责任公司"),  # name variant, no code
            entry("顺丰速运(南昌)有限公司东湖分公司"),  # the branch, not the head office
            entry("南昌赣江网路科技有限公司", 详细地址="东湖区民巷18号"),  # a typo
            entry("东湖洁美家政服务有限公司"),  # two candidates of that name in the county
            entry("南昌全新供应链管理有限公司", code=credit_code()),  # not in the platform
            entry("南昌已注销物流有限公司", code=make_org(personas["county"], name="南昌已注销物流有限公司").credit_code, 登记状态="注销"),
        ],
    )
    result = outcomes(comparison)
    assert result["南昌顺达快递有限公司（更名中）"] == ("matched", o["coded"].pk)
    assert result["江西省南昌市顺丰速运有限责任公司"] == ("matched", o["named"].pk)
    assert result["顺丰速运(南昌)有限公司东湖分公司"] == ("matched", o["branch"].pk)
    assert result["南昌赣江网路科技有限公司"][0] in ("matched", "review") and result["南昌赣江网路科技有限公司"][1] == o["typo"].pk
    assert result["东湖洁美家政服务有限公司"][0] == "review"
    assert result["南昌全新供应链管理有限公司"] == ("new", None)
    gone = {r.organization.name for r in comparison.rows.filter(outcome="gone")}
    assert "南昌已关门商贸有限公司" in gone and "南昌已注销物流有限公司" in gone
    assert "西湖邻居有限公司" not in gone  # another county is not in this comparison
    assert comparison.counts["rows"] == 7 and AuditEvent.objects.filter(action="compare.run").exists()


def test_review_confirm_and_reject(personas, registry):
    comparison = run(personas["county"], [entry("东湖洁美家政服务有限公司"), entry("东湖洁美家政服务有限公司", region="360102002002")])
    first, second = comparison.rows.filter(outcome="review").order_by("row_number")
    review_decide(actor=personas["county"], row=first, confirm=True)
    review_decide(actor=personas["county"], row=second, confirm=False)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.outcome == "matched" and second.outcome == "new" and second.organization is None
    with pytest.raises(ValidationError, match="不在待核实状态"):
        review_decide(actor=personas["county"], row=first, confirm=False)


def test_create_new_and_deregister_gone(personas, registry):
    comparison = run(personas["county"], [entry("南昌全新甲有限公司", code=credit_code()), entry("南昌全新乙有限公司", code="")])
    new_rows = list(comparison.rows.filter(outcome="new"))
    created, problems = create_new_organizations(actor=personas["county"], comparison=comparison, rows=new_rows)
    assert created == 1 and Organization.objects.filter(name="南昌全新甲有限公司").exists()
    assert problems[0]["column"] == "统一社会信用代码" and problems[0]["row"] == 3
    gone_rows = list(comparison.rows.filter(outcome="gone").select_related("organization"))
    done = deregister_gone(actor=personas["county"], comparison=comparison, rows=gone_rows)
    assert done == len(gone_rows) and Organization.objects.get(pk=registry["gone"].pk).registration_status == "cancelled"
    assert deregister_gone(actor=personas["county"], comparison=comparison, rows=gone_rows) == 0  # once only


def test_region_outside_scope_refused(personas):
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        run(personas["county"], [entry("x")], region="360103")


def test_pages(personas, registry, client_for):
    client = client_for("county")
    response = client.post(
        "/compare/", {"region": "360102", "file": SimpleUploadedFile("外部.xlsx", outside([entry("南昌全新丙有限公司")]))}
    )
    comparison = RegistryComparison.objects.get()
    assert response["Location"] == f"/compare/{comparison.pk}/"
    page = client.get(f"/compare/{comparison.pk}/?outcome=new").content.decode()
    assert "南昌全新丙有限公司" in page and "新增单位加入名录" in page
    assert client_for("other_county").get(f"/compare/{comparison.pk}/").status_code == 404
    assert client_for("other_county").post(f"/compare/{comparison.pk}/deregister/").status_code == 404
    row = comparison.rows.filter(outcome="gone").first()
    assert client_for("other_county").post(f"/compare/{comparison.pk}/rows/{row.pk}/review/", {"decision": "confirm"}).status_code == 404


def test_command(personas, registry, tmp_path: Path, capsys):
    source = tmp_path / "market.xlsx"
    source.write_bytes(outside([entry("江西省南昌市顺丰速运有限责任公司"), entry("南昌全新丁有限公司")]))
    result = tmp_path / "result.xlsx"
    call_command("compare_registry", str(source), "--region", "360102", "--out", str(result))
    sheet = load_workbook(result).worksheets[0]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert rows[0][:4] == [2, "江西省南昌市顺丰速运有限责任公司", "匹配", registry["named"].credit_code]
    assert rows[1][2] == "新增"
    assert any(r[2] == "消失/已注销" for r in rows)
    assert "匹配 1" in capsys.readouterr().out
    assert ComparisonRow.objects.exists()
