"""数据比对: normalization, matching outcomes, review, actions, the command and scope."""

import io
from pathlib import Path

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from sanxin.compare.matcher import Known, match, same_place
from sanxin.compare.models import ComparisonRow, RegistryComparison
from sanxin.compare.normalize import NameNormalizer
from sanxin.compare.services import comparison_create, comparison_run, create_new_organizations, deregister_gone, review_decide
from sanxin.core.models import AuditEvent
from sanxin.orgs.importing import COLUMNS
from sanxin.orgs.models import Organization
from sanxin.regions.models import Region
from tests.conftest import PASSWORD
from tests.orgs_factories import credit_code, make_org
from tests.test_scope import xlsx_strings

HEADER = [c.header for c in COLUMNS]
NORMALIZE = NameNormalizer(["江西省", "南昌市", "东湖区"], ["滕王阁街道"])


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
    assert NORMALIZE(a) == NORMALIZE(b)


def test_branch_never_equals_head_office():
    head = NORMALIZE("顺丰速运（南昌）有限公司")
    branch = NORMALIZE("顺丰速运（南昌）有限公司东湖分公司")
    assert branch.is_branch and not head.is_branch and branch.key != head.key
    assert NORMALIZE("顺丰速运有限公司南昌东湖分公司") == branch  # the city before the branch's own place
    assert NORMALIZE("顺丰速运南昌民巷营业点") != NORMALIZE("顺丰速运南昌章江路营业点")


def test_only_the_firms_own_regions_are_prefixes():
    # 滕王阁 is a township here: an address may name it, a firm's legal prefix may not, so a brand keeps it.
    assert NORMALIZE("滕王阁文化传媒有限公司").key == "滕王阁文化传媒"
    assert NORMALIZE.address("南昌市东湖区滕王阁街道中山路１２８号") == "中山路128号"


def test_same_place():
    assert same_place("中山路128号", "中山路128号") is True
    assert same_place("中山路128号", "中山路130号") is False  # another number is another place
    assert same_place("中山路128号", "阳明路7号") is False
    assert same_place("滕王阁", "中山路") is False


KNOWN = [
    Known(1, "91360102MA35L5XK4B", "南昌鑫源商贸有限公司", "360102002001", "南昌市东湖区中山路128号"),
    Known(2, "91360102MA35L5XL2L", "南昌顺达快递有限公司", "360102002001", "南昌市东湖区阳明路9号"),
]
NAMES = {"36": "江西省", "3601": "南昌市", "360102": "东湖区", "360102002": "滕王阁街道"}


def matched(values):
    results = match([{"row": 2, "values": values}], KNOWN, region_code="360102", region_names=NAMES)
    return results[0]


def test_a_different_credit_code_is_never_matched_by_name():
    result = matched({"统一社会信用代码": "91360102MA35L5XM0Y", "单位名称": "南昌鑫源商贸有限公司", "所在地区代码": "360102"})
    assert result.outcome == "review" and result.organization_id == 1 and "信用代码不同" in result.reason
    result = matched({"统一社会信用代码": "91360102MA35L5XM0Y", "单位名称": "南昌鑫源贸易有限公司", "所在地区代码": "360102"})
    assert result.outcome == "new"


def test_address_decides_near_names():
    typo = {"单位名称": "南昌鑫元商贸有限公司", "所在地区代码": "360102", "详细地址": "东湖区中山路１２８号"}
    assert (matched(typo).outcome, matched(typo).organization_id) == ("matched", 1)
    elsewhere = typo | {"详细地址": "东湖区中山路300号"}
    assert matched(elsewhere).outcome == "new" and "另一地址" in matched(elsewhere).reason
    unknown = typo | {"详细地址": ""}  # 元 for 源 sounds the same: a typo of the pinyin input, no address needed
    assert (matched(unknown).outcome, matched(unknown).organization_id) == ("matched", 1)
    other_sound = typo | {"单位名称": "南昌鑫汇商贸有限公司", "详细地址": ""}  # 汇 is not 源 misheard: not taken
    assert matched(other_sound).outcome in ("review", "new")


def test_rows_outside_the_region_are_set_aside():
    result = matched({"单位名称": "南昌鑫源商贸有限公司", "所在地区代码": "360103001001"})
    assert result.outcome == "outside"


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
            entry("南昌顺达快递有限公司", code=credit_code()),  # the same name under another credit code
            entry("西湖某某有限公司", region="360103001001"),  # located in another county
        ],
    )
    result = outcomes(comparison)
    assert result["南昌顺达快递有限公司（更名中）"] == ("matched", o["coded"].pk)
    assert result["江西省南昌市顺丰速运有限责任公司"] == ("matched", o["named"].pk)
    assert result["顺丰速运(南昌)有限公司东湖分公司"] == ("matched", o["branch"].pk)
    assert result["南昌赣江网路科技有限公司"][0] in ("matched", "review") and result["南昌赣江网路科技有限公司"][1] == o["typo"].pk
    assert result["东湖洁美家政服务有限公司"][0] == "review"
    assert result["南昌全新供应链管理有限公司"] == ("new", None)
    assert result["南昌已注销物流有限公司"][0] == "gone"  # deregistered there
    assert result["南昌顺达快递有限公司"][0] == "review"
    assert result["西湖某某有限公司"] == ("outside", None)
    missing = {r.organization.name for r in comparison.rows.filter(outcome="missing")}
    assert "南昌已关门商贸有限公司" in missing  # not listed there: shown, never acted on
    assert "西湖邻居有限公司" not in missing  # another county is not in this comparison
    assert "东湖洁美家政服务有限公司" not in missing  # a review candidate is not missing
    assert comparison.counts["rows"] == 9 and comparison.counts["missing"] == len(missing)
    assert AuditEvent.objects.filter(action="comparison_run").exists()


def test_review_confirm_and_reject(personas, registry):
    comparison = run(personas["county"], [entry("东湖洁美家政服务有限公司"), entry("东湖洁美家政服务有限公司", region="360102002002")])
    first, second = comparison.rows.filter(outcome="review").order_by("row_number")
    review_decide(actor=personas["county"], row=first, decision="confirm")
    review_decide(actor=personas["county"], row=second, decision="reject")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.outcome == "matched" and second.outcome == "new" and second.organization is None
    with pytest.raises(ValidationError, match="已核实过"):
        review_decide(actor=personas["county"], row=first, decision="reject")


def test_create_new_and_deregister_gone(personas, registry):
    comparison = run(personas["county"], [entry("南昌全新甲有限公司", code=credit_code()), entry("南昌全新乙有限公司", code="")])
    new_rows = list(comparison.rows.filter(outcome="new"))
    created, problems = create_new_organizations(actor=personas["county"], comparison=comparison, rows=new_rows)
    assert created == 1 and Organization.objects.filter(name="南昌全新甲有限公司").exists()
    assert problems[0]["column"] == "统一社会信用代码" and problems[0]["row"] == 3
    missing = list(comparison.rows.filter(outcome="missing").select_related("organization"))
    assert deregister_gone(actor=personas["county"], comparison=comparison, rows=missing) == 0  # absence alone changes nothing
    assert Organization.objects.get(pk=registry["gone"].pk).registration_status == "active"


def test_deregister_only_the_chosen_gone_rows(personas, registry, client_for):
    o = registry
    comparison = run(
        personas["county"],
        [entry("x", code=o["gone"].credit_code, 登记状态="吊销"), entry("y", code=o["coded"].credit_code, 登记状态="注销")],
    )
    revoked, cancelled = comparison.rows.filter(outcome="gone").order_by("row_number")
    client = client_for("county")
    client.post(f"/compare/{comparison.pk}/deregister/", {"row": [revoked.pk]})
    assert Organization.objects.get(pk=o["gone"].pk).registration_status == "revoked"  # as the outside registry says
    assert Organization.objects.get(pk=o["coded"].pk).registration_status == "active"  # not chosen
    assert AuditEvent.objects.filter(action="organization_deregister").count() == 1
    client.post(f"/compare/{comparison.pk}/deregister/", {"row": [revoked.pk]})
    assert AuditEvent.objects.filter(action="organization_deregister").count() == 1  # once only
    assert "请先勾选" in client.post(f"/compare/{comparison.pk}/deregister/", follow=True).content.decode()
    assert cancelled.acted is False


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
    row = comparison.rows.filter(outcome="missing").first()
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
    assert any(r[2] == "外部未列出" for r in rows)
    assert "匹配 1" in capsys.readouterr().out
    assert ComparisonRow.objects.exists()


def test_rows_keep_their_numbers_after_a_blank_line(personas, registry):
    row = ",{},私营企业,快递,360102002001,,,10,,,,存续,"
    body = "\n".join([",".join(HEADER), row.format("南昌全新戊有限公司"), ",,,,,,,,,,,,", row.format("南昌全新己有限公司")])
    comparison = comparison_create(
        actor=personas["county"], region=Region.objects.get(code="360102"), upload=SimpleUploadedFile("名录.csv", body.encode())
    )
    comparison = comparison_run(comparison.pk)
    numbers = dict(comparison.rows.filter(row_number__isnull=False).values_list("values__单位名称", "row_number"))
    assert numbers == {"南昌全新戊有限公司": 2, "南昌全新己有限公司": 4}


def test_forked_workers_give_the_same_outcomes(monkeypatch):
    """Large comparisons fork workers that share the index; the outcomes are those of one process."""
    from sanxin.compare import matcher

    monkeypatch.setattr(matcher, "CHUNK", 2)
    rows = [
        {"row": 2, "values": {"单位名称": "南昌鑫元商贸有限公司", "所在地区代码": "360102", "详细地址": "东湖区中山路128号"}},
        {"row": 3, "values": {"统一社会信用代码": "91360102MA35L5XL2L", "单位名称": "顺达", "所在地区代码": "360102"}},
        {"row": 4, "values": {"单位名称": "南昌全新商贸有限公司", "所在地区代码": "360102"}},
        {"row": 5, "values": {"单位名称": "某某", "所在地区代码": "360103001001"}},
        {"row": 6, "values": {"单位名称": "南昌鑫源商贸有限公司", "所在地区代码": "360102", "详细地址": ""}},
    ]

    def outcomes(workers):
        return [
            (r.row_number, r.outcome, r.organization_id, r.score, r.reason)
            for r in matcher.Matcher(KNOWN, region_code="360102", region_names=NAMES).run(rows, workers=workers)
        ]

    assert outcomes(2) == outcomes(1)
    assert [o[1] for o in outcomes(2)] == ["matched", "matched", "new", "outside", "matched"]


@pytest.fixture
def mixed_registry(personas, demo_zone):
    """The county's organizations: express and other industries, inside and outside the demo zone."""
    county = personas["county"]
    return {
        "express_zone": make_org(county, name="南昌快递甲有限公司", zone=demo_zone),
        "express": make_org(county, name="南昌快递乙有限公司"),
        "other_zone": make_org(county, name="南昌软件丙有限公司", industry="64", zone=demo_zone),
        "other": make_org(county, name="南昌软件丁有限公司", industry="64"),
    }


def tab_counts(page: str) -> dict[str, int]:
    import re

    return {label: int(n.replace(",", "")) for label, n in re.findall(r">(\w+)（([\d,]+)）</a>", page)}


def test_results_tabs_and_export_are_cut_to_the_viewers_industry_and_zone(personas, mixed_registry, client_for):
    o = mixed_registry
    comparison = run(
        personas["county"],
        [entry("x", code=org.credit_code) for org in o.values()] + [entry("南昌新开软件有限公司", 所属行业="软件和信息技术服务业")],
    )
    seen = {
        "county": {"南昌快递甲有限公司", "南昌快递乙有限公司", "南昌软件丙有限公司", "南昌软件丁有限公司"},
        "industry": {"南昌快递甲有限公司", "南昌快递乙有限公司"},
        "zone": {"南昌快递甲有限公司", "南昌软件丙有限公司"},
    }
    for persona, names in seen.items():
        client = client_for(persona)
        page = client.get(f"/compare/{comparison.pk}/?outcome=matched&size=100").content.decode()
        shown = {org.name for org in o.values() if org.name in page}
        assert shown == names, persona
        tabs = tab_counts(page)
        assert tabs["匹配"] == len(names), persona
        assert f"匹配 {len(names)}" in page  # the status line
        new_rows = 1 if persona == "county" else 0  # a new software firm: not the express line's, not in the zone
        assert tabs["新增"] == new_rows, persona
        listed = client.get("/compare/").content.decode()
        assert f'<td class="text-end">{len(names)}</td>' in listed, persona
        exported = client.post(f"/compare/{comparison.pk}/export/", {"password": PASSWORD})
        strings = xlsx_strings(exported.content)
        assert {org.name for org in o.values() if org.name in strings} == names, persona
        assert ("南昌新开软件有限公司" in strings) == (persona == "county"), persona


def test_a_row_outside_the_viewers_scope_cannot_be_decided(personas, mixed_registry, client_for):
    comparison = run(personas["county"], [entry("南昌软件丁有限公司", code=credit_code(), 所属行业="软件和信息技术服务业")])
    row = comparison.rows.get(outcome="review")
    url = f"/compare/{comparison.pk}/rows/{row.pk}/review/"
    assert client_for("industry").post(url, {"decision": "confirm"}).status_code == 404
    row.refresh_from_db()
    assert row.decision == "pending"


def test_an_empty_or_unknown_decision_is_refused(personas, registry, client_for):
    comparison = run(personas["county"], [entry("东湖洁美家政服务有限公司")])
    row = comparison.rows.get(outcome="review")
    client = client_for("county")
    for data in ({}, {"decision": ""}, {"decision": "maybe"}):
        page = client.post(f"/compare/{comparison.pk}/rows/{row.pk}/review/", data, follow=True).content.decode()
        assert "请选择核实结论" in page
        row.refresh_from_db()
        assert (row.outcome, row.decision) == ("review", "pending")
    with pytest.raises(ValidationError, match="请选择核实结论"):
        review_decide(actor=personas["county"], row=row, decision="")
    assert not AuditEvent.objects.filter(action="review_decide").exists()


def test_counts_follow_a_review_decision(personas, registry, client_for):
    comparison = run(personas["county"], [entry("东湖洁美家政服务有限公司"), entry("东湖洁美家政服务有限公司", region="360102002002")])
    client = client_for("county")
    before = tab_counts(client.get(f"/compare/{comparison.pk}/").content.decode())
    first = comparison.rows.filter(outcome="review").order_by("row_number").first()
    client.post(f"/compare/{comparison.pk}/rows/{first.pk}/review/", {"decision": "confirm"})
    page = client.get(f"/compare/{comparison.pk}/").content.decode()
    after = tab_counts(page)
    assert after["待核实"] == before["待核实"] - 1 and after["匹配"] == before["匹配"] + 1
    assert f"待核实 {after['待核实']}" in page
    listed = client.get("/compare/").content.decode()
    assert f'<td class="text-end">{after["匹配"]}</td>' in listed


def test_new_organizations_from_a_zone_committees_comparison_join_its_zone(personas, demo_zone, client_for):
    code = credit_code()
    comparison = run(personas["zone"], [entry("南昌商圈新开有限公司", code=code, region="360102002001")])
    client = client_for("zone")
    client.post(f"/compare/{comparison.pk}/create-new/")
    created = Organization.objects.get(credit_code=code)
    assert created.zone_id == demo_zone.pk
    assert client.get(f"/orgs/{created.pk}/").status_code == 200


def test_new_organizations_are_checked_against_the_actors_scope_at_the_write(personas, monkeypatch):
    """The write re-checks the actor's scope: a code registered outside it since the check is refused."""
    from sanxin.imports.spec import ImportConflict

    code = credit_code()
    comparison = run(personas["county"], [entry("南昌全新庚有限公司", code=code)])
    rows = list(comparison.rows.filter(outcome="new"))
    from sanxin.orgs import importing as org_registry

    real_validate = org_registry.validate

    def validate_then_someone_registers_it(table, *, user, progress=None):
        result = real_validate(table, user=user, progress=progress)
        make_org(personas["other_county"], credit_code=code, name="西湖抢先有限公司", region="360103001001")
        return result

    monkeypatch.setattr(org_registry, "validate", validate_then_someone_registers_it)
    with pytest.raises(ImportConflict):  # without the actor's scope it overwrote the other county's organization
        create_new_organizations(actor=personas["county"], comparison=comparison, rows=rows)
    assert not Organization.objects.filter(name="南昌全新庚有限公司").exists()


def test_silent_comparison_fails_then_retried(personas, registry, client_for):
    from datetime import timedelta

    from django.utils import timezone

    from sanxin.compare.services import STALE_AFTER

    comparison = comparison_create(
        actor=personas["county"], region=Region.objects.get(code="360102"), upload=SimpleUploadedFile("名录.xlsx", outside([entry("甲")]))
    )
    # The worker died before it started: silent for longer than STALE_AFTER.
    RegistryComparison.objects.filter(pk=comparison.pk).update(
        status="running", updated_at=timezone.now() - STALE_AFTER - timedelta(minutes=1)
    )
    client = client_for("county")
    page = client.get(f"/compare/{comparison.pk}/").content.decode()
    comparison.refresh_from_db()
    assert comparison.status == "failed" and "没有进展" in comparison.message
    assert "没有进展" in page and f"/compare/{comparison.pk}/retry/" in page
    assert AuditEvent.objects.filter(action="comparisons_fail_stale", object_id=str(comparison.pk)).exists()
    # Only its uploader may retry it; then it runs on the stored file.
    assert f"/compare/{comparison.pk}/retry/" not in client_for("province").get(f"/compare/{comparison.pk}/").content.decode()
    client_for("province").post(f"/compare/{comparison.pk}/retry/")
    comparison.refresh_from_db()
    assert comparison.status == "failed"
    client.post(f"/compare/{comparison.pk}/retry/")
    comparison.refresh_from_db()
    assert comparison.status == "done" and comparison.rows.filter(outcome="new").exists()  # tests run tasks at once
    assert AuditEvent.objects.filter(action="comparison_retry").count() == 1
    # A done comparison is not retried.
    page = client.post(f"/compare/{comparison.pk}/retry/", follow=True).content.decode()
    assert "只有失败的比对可以重新比对" in page


def test_a_run_marked_failed_meanwhile_stops_without_writing(personas, registry, monkeypatch):
    from sanxin.compare import services

    comparison = comparison_create(
        actor=personas["county"], region=Region.objects.get(code="360102"), upload=SimpleUploadedFile("名录.xlsx", outside([entry("乙")]))
    )
    real_read = services._read

    def read_then_marked_failed(c):
        rows = real_read(c)
        RegistryComparison.objects.filter(pk=c.pk).update(status="failed", message="已标记为失败")
        return rows

    monkeypatch.setattr(services, "_read", read_then_marked_failed)
    result = comparison_run(comparison.pk)
    assert result.status == "failed" and not result.rows.exists()


@pytest.mark.parametrize("bad", ["\x00", "\x1b"])
def test_a_control_character_in_the_outside_file_fails_it_saying_where(personas, registry, bad):
    comparison = run(personas["county"], [entry("丙"), entry(f"丁{bad}有限公司")])
    assert comparison.status == "failed" and "第 3 行「单位名称」含有不可见的控制字符" in comparison.message
    assert not comparison.rows.exists()


def test_full_width_codes_in_the_outside_file_match(personas, registry):
    code = registry["coded"].credit_code
    full_width = code.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHJKLMNPQRTUWXY"})
    comparison = run(personas["county"], [entry("某某", code=full_width, region="３６０１０２００２００１")])
    assert comparison.rows.get(row_number=2).outcome == "matched"


def test_huge_row_ids_are_refused_quietly(personas, registry, client_for):
    comparison = run(personas["county"], [entry("x", code=registry["gone"].credit_code, 登记状态="吊销")])
    response = client_for("county").post(f"/compare/{comparison.pk}/deregister/", {"row": ["99999999999999999999", "²"]})
    assert response.status_code == 302
