"""The 两个覆盖 story in a real browser: a county officer reads the rates and drills down, imports the
registry from the template (bad rows explained, nothing half-imported), compares an outside registry
and confirms a pair; a township and an express-delivery officer see only their part."""

import csv
import io

import pytest
from openpyxl import load_workbook

from sanxin.orgs.importing import COLUMNS
from sanxin.orgs.models import Organization
from tests.conftest import ARTIFACTS, log_in
from tests.orgs_factories import credit_code, make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county_registry(personas):
    county = personas["county"]
    return {
        "express": make_org(county, name="南昌顺达快递有限公司", formal_members=4, employees=40, address="东湖区民巷18号"),
        "food": make_org(county, name="南昌鲜到家餐饮管理有限公司", industry="H", region="360102004001"),
        "west": make_org(personas["other_county"], name="西湖邻居商贸有限公司", region="360103001001"),
    }


def figure(page, label: str) -> str:
    return page.locator(".sx-stat", has_text=label).first.locator(".sx-stat-value").inner_text().strip()


def test_county_officer_reads_the_rates_and_drills_down(browser, live_server, personas, county_registry):
    page = log_in(browser, live_server, "county")
    page.click("text=两个覆盖")
    assert figure(page, "两新组织") == str(Organization.objects.filter(region__code__startswith="360102").count())
    assert "西湖邻居" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "coverage-county.png"), full_page=True)
    # One level down: the township of the express firm, then the blank spots behind its number.
    page.locator("table a", has_text="滕王阁街道").first.click()
    page.wait_for_load_state()
    assert "滕王阁街道" in page.locator(".breadcrumb").inner_text()
    page.locator(".sx-stat", has_text="空白点").locator("a").first.click()
    page.wait_for_load_state()
    assert "南昌顺达快递有限公司" in page.inner_text("table") and "鲜到家" not in page.inner_text("table")
    page.close()


def test_import_from_the_template_explains_bad_rows(browser, live_server, personas, county_registry, tmp_path):
    page = log_in(browser, live_server, "county")
    page.goto(f"{live_server.url}/imports/organizations/")
    with page.expect_download() as download:
        page.click("text=导入模板")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    book = load_workbook(template)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    good = {
        "统一社会信用代码": credit_code(),
        "单位名称": "南昌新到快递有限公司",
        "单位类别": "私营企业",
        "所属行业": "快递",
        "所在地区代码": "360102002001",
        "从业人员数": "25",
        "正式党员数": "3",
    }
    bad = good | {"统一社会信用代码": "91360102MA35L5XK4X", "单位名称": "南昌错码物流有限公司", "所在地区代码": "360103001001"}
    for values in (good, bad):
        sheet.append([values.get(h, "") for h in headers])
    book.save(template)
    page.set_input_files("input[type=file]", str(template))
    page.click("button:has-text('上传并校验')")
    page.wait_for_selector("text=错误明细")
    errors = page.inner_text("#job-status table")
    assert "统一社会信用代码" in errors and "所在地区" in errors and "3" in errors  # row 3, both columns, in Chinese
    assert not Organization.objects.filter(name="南昌新到快递有限公司").exists()  # nothing unless all valid
    page.screenshot(path=str(ARTIFACTS / "import-errors.png"), full_page=True)
    # The corrected file goes in.
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([headers, [good.get(h, "") for h in headers]])
    corrected = tmp_path / "corrected.csv"
    corrected.write_bytes(buffer.getvalue().encode("gb18030"))
    page.goto(f"{live_server.url}/imports/organizations/")
    page.set_input_files("input[type=file]", str(corrected))
    page.click("button:has-text('上传并校验')")
    page.wait_for_selector("text=新增 1 条")
    assert Organization.objects.get(name="南昌新到快递有限公司").region_id == "360102002001"
    page.close()


def test_comparison_with_a_pair_to_confirm(browser, live_server, personas, county_registry, tmp_path):
    express = county_registry["express"]
    rows = [
        [c.header for c in COLUMNS],
        # the same name under another credit code and no address to settle it: a pair to confirm
        [credit_code(), "南昌顺达快递有限公司", "私营企业", "快递", "360102002001", "", "", "40", "", "", "", "存续", ""],
        [credit_code(), "南昌全新供应链管理有限公司", "私营企业", "快递", "360102002001", "", "", "10", "", "", "", "存续", ""],
    ]
    source = tmp_path / "市场监管名录.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    page = log_in(browser, live_server, "county")
    page.click("text=数据比对")
    page.set_input_files("input[type=file]", str(source))
    page.click("button:has-text('开始比对')")
    page.wait_for_selector(".nav-tabs")
    assert "待核实（1）" in page.inner_text(".nav-tabs") and "新增（1）" in page.inner_text(".nav-tabs")
    page.screenshot(path=str(ARTIFACTS / "compare-review.png"), full_page=True)
    page.click("button:has-text('是同一单位')")
    page.wait_for_load_state()
    page.goto(page.url.split("?")[0] + "?outcome=matched")
    assert express.name in page.inner_text("table") and "确认是同一单位" in page.inner_text("table")
    page.close()


@pytest.mark.parametrize(
    ("persona", "sees", "hidden"),
    [
        ("township", ["南昌顺达快递"], ["鲜到家", "西湖邻居"]),  # 滕王阁街道 only
        ("industry", ["南昌顺达快递", "西湖邻居"], ["鲜到家"]),  # express firms of the whole province only
    ],
)
def test_narrower_officers_see_only_their_part(browser, live_server, personas, county_registry, persona, sees, hidden):
    page = log_in(browser, live_server, persona)
    page.goto(f"{live_server.url}/orgs/?size=100")
    listing = page.inner_text("table")
    assert all(name in listing for name in sees) and not any(name in listing for name in hidden)
    page.goto(f"{live_server.url}/coverage/")
    page.screenshot(path=str(ARTIFACTS / f"coverage-{persona}.png"), full_page=True)
    assert figure(page, "两新组织") == str(len(sees))
    page.close()
