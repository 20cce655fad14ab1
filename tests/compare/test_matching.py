"""Matching that generalises: each variant class of an outside registry, each near-duplicate distractor, each
threshold rule broken and refused, the evidence kept per pair, and the mark for a credit code to correct."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import uscc

from sanxin.compare import thresholds
from sanxin.compare.evidence import labels
from sanxin.compare.matcher import Known, Matcher, Similar, code_decision, codes_apart, similar_decision
from sanxin.compare.normalize import NameNormalizer, sounds_the_same
from sanxin.compare.services import comparison_create, comparison_run
from sanxin.regions.models import Region
from tests.compare.test_compare import entry, outside
from tests.conftest import PASSWORD
from tests.orgs_factories import make_org
from tests.test_scope import xlsx_strings

NAMES = {
    "36": "江西省",
    "3601": "南昌市",
    "360102": "东湖区",
    "360102002": "滕王阁街道",
    "360102003": "公园街道",
    "360103": "西湖区",
    "360103001": "南浦街道",
}
NORMALIZE = NameNormalizer(["江西省", "南昌市", "东湖区"], ["滕王阁街道", "公园街道"])


def code(body: str) -> str:
    body = f"91{body}"[:17].ljust(17, "0")
    return body + uscc.calc_check_digit(body)


SHUNDA = code("360102MA35L5XK")
PLATFORM = [
    Known(1, SHUNDA, "南昌顺达快递有限公司", "360102002001", "南昌市东湖区滕王阁街道中山路128号"),
    Known(2, code("360102MA35L5XL"), "江西鑫源商贸有限公司", "360102002001", "南昌市东湖区阳明路9号"),
    Known(3, code("360102MA35L5XM"), "南昌南京路餐饮管理有限公司", "360102003001", "南昌市东湖区南京东路3号"),
    Known(4, code("360102MA35L5XN"), "顺丰速运（南昌）有限公司东湖分公司", "360102002001", "南昌市东湖区八一大道5号"),
    Known(5, code("360102MA35L5XP"), "南昌洪都物流有限公司", "360102003001", "南昌市东湖区胜利路20号"),
    Known(6, code("360103MA35L5XQ"), "南昌赣江网络科技有限公司", "360103001001", "南昌市西湖区孺子路7号"),
]


def one(values: dict, known=PLATFORM, region="3601"):
    return Matcher(known, region_code=region, region_names=NAMES).match_row(2, values)


def row(name, *, credit_code="", region="360102002001", address=""):
    return {"统一社会信用代码": credit_code, "单位名称": name, "所在地区代码": region, "详细地址": address, "登记状态": "存续"}


def linked(result):
    return result.organization_id if result.outcome in ("matched", "gone") else None


@pytest.mark.parametrize(
    ("variant", "name", "address", "region", "organization"),
    [
        ("prefix added", "江西省南昌市顺达快递有限公司", "", "360102002001", 1),
        ("prefix dropped", "顺达快递有限公司", "", "360102", 1),
        ("sound-alike in the city (南唱)", "南唱顺达快递有限公司", "", "360102", 1),
        ("sound-alike in the full city name", "南唱市顺达快递有限公司", "", "360102", 1),
        ("look-alike in the province (江酉省)", "江酉省南昌市顺达快递有限公司", "", "360102", 1),
        ("look-alike suffix (南昌巿)", "南昌巿顺达快递有限公司", "", "360102", 1),
        ("mistyped suffix before a region word (江西劣南昌)", "江西劣南昌顺达快递有限公司", "", "360102", 1),
        ("typo in the county name (东胡区)", "东胡区顺达快递有限公司", "", "360102", 1),
        ("county missing", "南昌市顺达快递有限公司", "", "360102", 1),
        ("county extra", "南昌东湖顺达快递有限公司", "", "360102", 1),
        ("county in brackets", "顺达快递（南昌东湖）有限公司", "", "360102", 1),
        ("mistyped place in brackets", "顺达快递（南唱）有限公司", "", "360102", 1),
        ("half-width brackets", "顺丰速运(南昌)有限公司东湖分公司", "", "360102", 4),
        ("branch's own place after the legal form", "顺丰速运有限公司南昌东湖分公司", "", "360102", 4),
        ("legal form", "南昌顺达快递有限责任公司", "", "360102", 1),
        ("spaces and full width", "南昌 顺达快递　有限公司", "", "360102", 1),
        ("city only as the row's region", "南昌顺达快递有限公司", "", "3601", 1),
        ("brand sound-alike, same address", "南昌顺大快递有限公司", "东湖区中山路128号", "360102", 1),
        ("brand sound-alike, no address", "南昌顺大快递有限公司", "", "360102", 1),
        ("address without the street", "南昌市洪都物流有限公司", "东湖区胜利路２０号", "360102", 5),
        ("address with the street", "南昌洪都物流有限公司", "南昌市东湖区公园街道胜利路20号", "360102", 5),
    ],
)
def test_variant_classes_match(variant, name, address, region, organization):
    result = one(row(name, region=region, address=address))
    assert linked(result) == organization, (variant, result)


def test_nanjing_inside_a_nanchang_name_is_not_a_misspelt_nanchang():
    assert NORMALIZE("南昌南京路餐饮管理有限公司").key == "南京路餐饮管理"
    assert NORMALIZE("南京路餐饮管理有限公司").key == "南京路餐饮管理"
    assert NORMALIZE("南京顺达快递有限公司").key == "南京顺达快递"  # 京 does not sound like 昌
    assert NORMALIZE("南唱顺达快递有限公司").key == "顺达快递"
    assert linked(one(row("南京路餐饮管理有限公司", region="360102003001"))) == 3
    assert linked(one(row("南京顺达快递有限公司", region="360102"))) is None


def test_a_brand_that_sounds_like_a_suffix_keeps_it():
    # 兴 sounds like 省 (xing): 江西兴晟 is a brand after 江西, not 江西省 misheard.
    assert NORMALIZE("江西兴晟商贸有限公司").key == "兴晟商贸"
    assert NORMALIZE("江西省兴晟商贸有限公司").key == "兴晟商贸"
    # ... but a look-alike of the suffix, or another region word after it, is the suffix mistyped.
    assert NORMALIZE("江西劣兴晟商贸有限公司").key == "兴晟商贸"
    assert NORMALIZE("江西星南昌兴晟商贸有限公司").key == "兴晟商贸"


def test_repair_is_remembered():
    assert NORMALIZE("南唱顺达快递有限公司").repaired and not NORMALIZE("南昌顺达快递有限公司").repaired
    assert NORMALIZE("顺达快递（南唱）有限公司").repaired


def test_sounds_the_same():
    assert sounds_the_same("鑫源商贸", "鑫元商贸") and sounds_the_same("顺达", "顺大")
    assert not sounds_the_same("鑫源商贸", "鑫汇商贸") and not sounds_the_same("鑫源商贸", "鑫源商贸")


@pytest.mark.parametrize(
    ("distractor", "values"),
    [
        ("sound-alike brand at another address", row("南昌顺大快递有限公司", address="东湖区中山路300号")),
        ("sound-alike brand on another road", row("南昌顺大快递有限公司", address="东湖区阳明路128号")),
        ("sister firm at the same address, one character apart", row("南昌顺发快递有限公司", address="东湖区中山路128号")),
        ("sister firm at the same address, another line", row("南昌顺达物流有限公司", address="东湖区中山路128号")),
        ("same name in another county", row("南昌顺达快递有限公司", region="360103001001")),
        ("mistyped prefix, another address", row("南唱顺达快递有限公司", address="东湖区中山路300号")),
        (
            "sister registered the same day: the next code, one character apart, same address",
            row("南昌顺发快递有限公司", credit_code=code("360102MA35L5XL"[:-1] + "9"), address="东湖区中山路128号"),
        ),
    ],
)
def test_distractors_are_not_linked(distractor, values):
    assert linked(one(values)) is None, distractor


def mistyped_county(credit_code: str) -> str:
    body = credit_code[:5] + ("3" if credit_code[5] != "3" else "4") + credit_code[6:17]
    return body + uscc.calc_check_digit(body)


def test_a_mistyped_code_with_name_and_address_agreeing_is_matched_and_marked_for_correction():
    typed = mistyped_county(SHUNDA)
    assert uscc.is_valid(typed) and codes_apart(typed, SHUNDA) <= thresholds.CODE_DIGITS
    result = one(row("南昌顺达快递有限公司", credit_code=typed, address="南昌市东湖区中山路128号"))
    assert (result.outcome, result.organization_id, result.code_differs) == ("matched", 1, True)
    assert SHUNDA in result.reason and typed in result.reason and "更正" in result.reason
    assert result.evidence | {"name_score": 0} == {"code": "differs", "name": "equal", "name_score": 0, "address": "same"}
    # with a mistyped region prefix too
    both = one(row("南唱市顺达快递有限公司", credit_code=typed, address="东湖区中山路128号"))
    assert (linked(both), both.code_differs) == (1, True)


def test_a_different_code_and_a_different_name_is_not_a_match():
    typed = mistyped_county(SHUNDA)
    result = one(row("南昌顺发快递有限公司", credit_code=typed, address="南昌市东湖区中山路128号"))
    assert result.outcome == "new" and not result.code_differs


def test_a_different_code_with_the_name_alone_is_left_for_review_or_new_by_address():
    typed = mistyped_county(SHUNDA)
    assert one(row("南昌顺达快递有限公司", credit_code=typed)).outcome == "review"  # no address to settle it
    assert one(row("南昌顺达快递有限公司", credit_code=typed, address="东湖区中山路300号")).outcome == "new"


def test_a_code_far_from_the_platforms_is_not_corrected():
    far = code("360102MA99999999")
    assert codes_apart(far, SHUNDA) > thresholds.CODE_DIGITS
    result = one(row("南昌顺达快递有限公司", credit_code=far, address="南昌市东湖区中山路128号"))
    assert result.outcome != "matched" and not result.code_differs


def test_evidence_of_each_path():
    assert one(row("x", credit_code=SHUNDA)).evidence == {"code": "equal"}
    assert one(row("南昌顺达快递有限公司", region="360102")).evidence == {"code": "absent", "name": "equal"}
    near = one(row("南昌顺大快递有限公司", address="东湖区中山路128号")).evidence
    assert near["code"] == "absent" and near["name"] == "similar" and near["address"] == "same" and 0 < near["name_score"] < 100
    assert labels(near)[0] == ("无代码", "gray") and ("地址相同", "green") in labels(near)


BASE = Similar(index=0, score=100.0, runner_up=0.0, sound=False, place=None, has_addresses=False)


def similar(**changes) -> Similar:
    values = {f: getattr(BASE, f) for f in Similar.__slots__} | changes
    return Similar(**values)


def test_similar_rules_each_broken_and_refused():
    t = thresholds
    assert similar_decision(similar(score=t.AUTO_MATCH)) == "match"
    assert similar_decision(similar(score=t.AUTO_MATCH - 0.1)) != "match"  # below AUTO_MATCH, nothing else
    assert similar_decision(similar(score=t.AUTO_MATCH, place=False)) != "match"  # at another place
    assert similar_decision(similar(score=t.AUTO_MATCH, runner_up=t.AUTO_MATCH - t.MARGIN + 0.1)) != "match"  # no margin
    assert similar_decision(similar(score=t.AT_SAME_ADDRESS, place=True, has_addresses=True)) == "match"
    assert similar_decision(similar(score=t.AT_SAME_ADDRESS - 0.1, place=True, has_addresses=True)) != "match"
    assert similar_decision(similar(score=t.SOUND_ALIKE, sound=True)) == "match"
    assert similar_decision(similar(score=t.SOUND_ALIKE - 0.1, sound=True)) != "match"
    assert similar_decision(similar(score=t.SOUND_ALIKE, sound=True, place=False)) != "match"
    assert similar_decision(similar(score=t.REVIEW - 0.1)) == "new"


def test_code_rules_each_broken_and_refused():
    t = thresholds
    agreed = similar(score=100.0, place=True, has_addresses=True)
    assert code_decision(agreed, t.CODE_DIGITS) == "correct"
    assert code_decision(agreed, t.CODE_DIGITS + 1) != "correct"  # codes too far apart
    assert code_decision(similar(score=100.0, place=None), 1) != "correct"  # the address does not settle it
    assert code_decision(similar(score=100.0, place=False, has_addresses=True), 1) == "new"
    assert code_decision(similar(score=t.CODE_NAME, place=True, has_addresses=True), 1) == "correct"
    assert code_decision(similar(score=t.CODE_NAME - 0.1, place=True, has_addresses=True), 1) != "correct"
    assert code_decision(similar(score=100.0, runner_up=100.0, place=True, has_addresses=True), 1) != "correct"  # two alike


def test_forked_workers_carry_evidence_and_the_correction_mark(monkeypatch):
    from sanxin.compare import matcher

    monkeypatch.setattr(matcher, "CHUNK", 1)
    typed = mistyped_county(SHUNDA)
    rows = [
        {"row": 2, "values": row("南昌顺达快递有限公司", credit_code=typed, address="东湖区中山路128号")},
        {"row": 3, "values": row("南昌顺大快递有限公司", address="东湖区中山路128号")},
        {"row": 4, "values": row("某某", credit_code=SHUNDA)},
    ]

    def results(workers):
        found = Matcher(PLATFORM, region_code="3601", region_names=NAMES).run(rows, workers=workers)
        return [(r.row_number, r.outcome, r.organization_id, r.code_differs, r.evidence) for r in found]

    assert results(2) == results(1)
    assert results(1)[0][3] is True


def test_the_correction_mark_and_evidence_are_kept_and_shown(personas, client_for):
    county = personas["county"]
    org = make_org(county, name="南昌顺达快递有限公司", address="东湖区中山路128号")
    typed = mistyped_county(org.credit_code)
    rows = [
        entry("南昌顺达快递有限公司", code=typed, 详细地址="东湖区中山路128号"),
        entry("江西省南昌市顺达快递有限公司", code=org.credit_code, 详细地址="东湖区中山路128号"),
    ]
    comparison = comparison_create(
        actor=county, region=Region.objects.get(code="360102"), upload=SimpleUploadedFile("名录.xlsx", outside(rows))
    )
    comparison = comparison_run(comparison.pk)
    corrected = comparison.rows.get(row_number=2)
    assert corrected.outcome == "matched" and corrected.code_differs and corrected.evidence["code"] == "differs"
    assert comparison.rows.get(row_number=3).evidence == {"code": "equal"}
    client = client_for("county")
    page = client.get(f"/compare/{comparison.pk}/?outcome=matched").content.decode()
    assert "代码待更正" in page and "代码不同" in page and "地址相同" in page
    assert page.count("名称一致") >= 2  # the row matched by its code: the name compared for the page
    assert "信用代码待更正 1" in page
    api = client.get(f"/api/v1/compare/{comparison.pk}/rows?outcome=matched").json()["items"]
    flagged = {item["row_number"]: (item["code_differs"], item["evidence"].get("code")) for item in api}
    assert flagged == {2: (True, "differs"), 3: (False, "equal")}
    assert client.get(f"/api/v1/compare/{comparison.pk}").json()["counts"]["code_differs"] == 1
    exported = xlsx_strings(client.post(f"/compare/{comparison.pk}/export/", {"password": PASSWORD}).content)
    assert "信用代码待更正" in exported and any("代码不同" in cell for cell in exported), exported


@pytest.mark.parametrize(
    ("region", "name", "address"),
    [
        ("", "南昌市东湖区顺达快递有限公司", ""),  # no region: the county read from the name
        ("3601", "东湖区顺达快递有限公司", ""),  # the city only
        ("", "顺达快递(东湖)有限公司", "江西省南昌市东湖区滕王阁街道中山路128号"),  # the county read from the address
        ("36", "东湖顺达快递有限公司", "南昌市东湖区中山路128号"),  # the province only, the county's short form in the name
    ],
)
def test_a_row_without_its_county_is_placed_by_the_county_its_address_or_name_names(region, name, address):
    for comparing in ("36", "3601"):
        result = one(row(name, region=region, address=address), region=comparing)
        assert (result.outcome, result.organization_id) == ("matched", 1), (comparing, result)
        assert result.reason.endswith("（所在地区代码未写到区县，按地址或名称所写定为东湖区）")
    assert "定为" not in one(row("南昌顺达快递有限公司")).reason  # a row with its county says nothing of it


def test_a_row_without_its_county_naming_no_county_or_another_stays_unplaced():
    # 西湖区 named in the address: the 东湖 firm of that name is not taken for it
    result = one(row("顺达快递有限公司", region="", address="南昌市西湖区孺子路7号"))
    assert linked(result) is None
    # a county of another city (or none at all) places nothing: the row is compared across the city as before
    assert one(row("南昌市新建区顺达快递有限公司", region="")).organization_id != 6
    assert one(row("南昌顺达快递有限公司", region="")).outcome == "matched"  # no county named: across the city, as before


def test_a_row_without_its_county_naming_a_county_outside_the_compared_one_is_outside():
    gan_jiang = row("南昌赣江网络科技有限公司", region="", address="南昌市西湖区孺子路7号")
    result = one(gan_jiang, region="360102")
    assert (result.outcome, result.reason) == ("outside", "所在地区代码未写到区县，地址或名称所写的西湖区不在本次比对范围内")
    assert one(row("西湖区顺达快递有限公司", region=""), region="360102").outcome == "outside"  # the name names it
    assert one(row("南昌市西湖区顺达快递有限公司", region="3601"), region="360102").outcome == "outside"  # only the city
    # the same row compared across the city is placed in 西湖区 and found there
    assert (one(gan_jiang).outcome, one(gan_jiang).organization_id) == ("matched", 6)
    # a county the compared one's own: compared there as before
    assert one(row("顺达快递有限公司", region="", address="南昌市东湖区中山路128号"), region="360102").organization_id == 1


def test_a_county_name_two_places_bear_is_read_as_the_one_of_the_row_or_comparison():
    names = NAMES | {"3602": "景德镇市", "360299": "东湖区"}  # a second 东湖区 in another city

    def placed(values, region="3601"):
        return Matcher(PLATFORM, region_code=region, region_names=names).match_row(2, values)

    assert placed(row("东湖区顺达快递有限公司", region="")).organization_id == 1  # 南昌's, the compared city's
    assert placed(row("景德镇市东湖区顺达快递有限公司", region=""), region="36").organization_id != 1  # the city named: the other
    assert placed(row("景德镇市东湖区顺达快递有限公司", region="")).outcome == "outside"
    # across the province with nothing to tell them apart: unsure, compared across the province as before
    assert "定为" not in placed(row("东湖区某某有限公司", region=""), region="36").reason


@pytest.mark.django_db
def test_a_county_comparison_knows_the_other_counties_of_its_province_and_every_province_and_city(personas):
    from sanxin.compare.services import region_names

    names = region_names(Region.objects.get(code="360102"))
    assert {names["360102"], names["360103"], names["3601"], names["36"]} == {"东湖区", "西湖区", "南昌市", "江西省"}
    assert not any(code.startswith("360103") and len(code) > 6 for code in names)  # no townships of the others
    assert {names["32"], names["3201"]} == {"江苏省", "南京市"} and "320102" not in names  # not another province's counties
    county = personas["county"]
    make_org(county, name="南昌赣江网络科技有限公司", address="南昌市东湖区阳明路1号")
    make_org(county, name="南昌顺达快递有限公司", address="南昌市东湖区中山路128号")
    rows = [
        entry("南昌赣江网络科技有限公司", region="", 详细地址="南昌市西湖区孺子路7号"),
        entry("顺达快递有限公司", region="", 详细地址="江苏省南京市玄武区中山路1号"),
    ]
    comparison = comparison_create(
        actor=county, region=Region.objects.get(code="360102"), upload=SimpleUploadedFile("名录.xlsx", outside(rows))
    )
    found = comparison_run(comparison.pk).rows
    assert (found.get(row_number=2).outcome, found.get(row_number=2).organization_id) == ("outside", None)
    assert (found.get(row_number=3).outcome, found.get(row_number=3).reason) == (
        "outside",
        "所在地区代码未写到区县，地址或名称所写的南京市不在本次比对范围内",
    )


def test_a_branch_is_not_placed_by_the_county_its_name_begins_with():
    """A branch's name begins with its head office's place (南昌市西湖区…东湖分公司): only its address places it."""
    branch = row("南昌市西湖区赣江网络科技有限公司东湖分公司", region="")
    assert one(branch, region="360102").outcome != "outside"  # compared in 东湖区, not set aside
    assert "定为" not in one(branch).reason
    placed = one(row("南昌市西湖区赣江网络科技有限公司东湖分公司", region="", address="南昌市东湖区阳明路1号"))
    assert placed.reason.endswith("定为东湖区）")
    assert (
        one(row("南昌市西湖区赣江网络科技有限公司东湖分公司", region="", address="南昌市西湖区孺子路7号"), region="360102").outcome
        == "outside"
    )


def test_a_row_without_its_county_naming_only_another_city_is_outside():
    names = NAMES | {"3604": "九江市", "360402": "濂溪区"}

    def compared(values, region="3601"):
        return Matcher(PLATFORM, region_code=region, region_names=names).match_row(2, values)

    result = compared(row("九江市顺达快递有限公司", region="", address="九江市庐山路1号"))
    assert (result.outcome, result.reason) == ("outside", "所在地区代码未写到区县，地址或名称所写的九江市不在本次比对范围内")
    assert compared(row("九江市顺达快递有限公司", region="")).outcome == "outside"  # the name alone
    # the compared county's own city, or the province, named without a county: compared across the region as before
    assert compared(row("南昌顺达快递有限公司", region="", address="南昌市中山路128号"), region="360102").organization_id == 1
    assert compared(row("顺达快递有限公司", region="", address="江西省南昌市中山路128号")).organization_id == 1
    assert compared(row("九江市顺达快递有限公司", region=""), region="36").outcome != "outside"  # inside the province


def test_a_row_without_its_county_naming_a_city_of_another_province_is_outside():
    names = NAMES | {"32": "江苏省", "3201": "南京市", "1101": "市辖区"}

    def compared(values, region="36"):
        return Matcher(PLATFORM, region_code=region, region_names=names).match_row(2, values)

    result = compared(row("顺达快递有限公司", region="", address="江苏省南京市玄武区中山路1号"))
    assert (result.outcome, result.reason) == ("outside", "所在地区代码未写到区县，地址或名称所写的南京市不在本次比对范围内")
    assert compared(row("南京市顺达快递有限公司", region="")).outcome == "outside"  # the city alone, in the name
    assert compared(row("顺达快递有限公司", region="", address="江苏省玄武区中山路1号")).outcome == "outside"  # the province
    # a road named after the city is no city: 南京东路 is in 东湖区
    assert compared(row("南昌南京路餐饮管理有限公司", region="", address="南京东路3号"), region="3601").organization_id == 3
    # a grouping of the division files (市辖区) is no place an address names
    assert compared(row("南昌顺达快递有限公司", region="", address="市辖区中山路128号"), region="3601").organization_id == 1
