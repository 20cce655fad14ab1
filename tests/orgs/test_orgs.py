"""The organization registry: services, rules and pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from sanxin.core.models import AuditEvent
from sanxin.orgs.models import CoverageState, Organization
from sanxin.orgs.services import organization_deregister, organization_update
from sanxin.regions.models import Industry, Region
from tests.conftest import PASSWORD
from tests.orgs_factories import credit_code, make_org


def test_create_is_audited_and_starts_blank(personas):
    org = make_org(personas["county"], name="南昌顺达快递有限公司")
    assert org.kind == "economic" and org.coverage_state == CoverageState.BLANK
    event = AuditEvent.objects.get(action="organization_create", object_id=str(org.pk))
    assert event.actor_name == "county" and event.detail["new"]["name"] == "南昌顺达快递有限公司"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"credit_code": "91360102MA35XXXXX1"}, "credit_code", "统一社会信用代码"),
        ({"name": "  "}, "name", "单位名称不能为空"),
        ({"category": "nonsense"}, "category", "单位类别"),
        ({"region": None}, "region", "所在地区代码不存在"),
        ({"employees": 2, "formal_members": 3}, "formal_members", "不能多于从业人员数"),
        ({"established_on": date.today() + timedelta(days=2)}, "established_on", "成立日期不能晚于今天"),
    ],
)
def test_bad_fields_refused_in_chinese(personas, fields, field, message):
    with pytest.raises(ValidationError) as caught:
        make_org(personas["county"], **fields)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Organization.objects.exists()


def test_region_must_be_county_level_or_below(personas):
    with pytest.raises(ValidationError, match="区县一级"):
        make_org(personas["province"], region="3601")


def test_cannot_create_outside_own_scope(personas):
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        make_org(personas["county"], region="360103001001")


def test_duplicate_credit_code_refused(personas):
    org = make_org(personas["county"])
    with pytest.raises(ValidationError, match="已在名录中"):
        make_org(personas["county"], credit_code=org.credit_code)


def test_update_audits_the_changes(personas):
    org = make_org(personas["county"], employees=10)
    organization_update(actor=personas["county"], organization=org, employees=12, formal_members=3)
    event = AuditEvent.objects.filter(action="organization_update").latest("id")
    assert event.detail["changes"]["employees"] == {"old": 10, "new": 12}
    org.refresh_from_db()
    assert org.should_establish  # three formal members, no Party organization of its own


def test_deregister_needs_reason_and_a_deregistered_status(personas):
    org = make_org(personas["county"])
    with pytest.raises(ValidationError):
        organization_deregister(actor=personas["county"], organization=org, status="active", reason="x")
    with pytest.raises(ValidationError):
        organization_deregister(actor=personas["county"], organization=org, status="cancelled", reason=" ")
    organization_deregister(actor=personas["county"], organization=org, status="cancelled", reason="市场监管注销")
    assert Organization.objects.get(pk=org.pk).registration_status == "cancelled"


def test_list_filters_and_search(personas, client_for):
    a = make_org(personas["county"], name="东湖甲快递有限公司", is_top500_private=True)
    make_org(personas["county"], name="东湖乙网络科技有限公司", industry="64")
    client = client_for("county")
    page = client.get("/orgs/", {"q": "甲快递"}).content.decode()
    assert "东湖甲快递有限公司" in page and "东湖乙网络" not in page
    assert "东湖甲快递有限公司" in client.get("/orgs/", {"q": a.credit_code}).content.decode()
    page = client.get("/orgs/", {"industry": "64"}).content.decode()
    assert "东湖乙网络" in page and "东湖甲快递" not in page
    page = client.get("/orgs/", {"flag": "is_top500_private"}).content.decode()
    assert "东湖甲快递" in page and "东湖乙网络" not in page
    page = client.get("/orgs/", {"coverage": "blank"}).content.decode()
    assert "东湖甲快递" in page


def create_form(**fields) -> dict:
    """What the create page posts for a small private firm in a 东湖区 community; `fields` override."""
    return {
        "credit_code": credit_code(),
        "name": "东湖新创有限公司",
        "category": "private",
        "industry": Industry.objects.get(code="64").pk,
        "region": "360102002001",
        "employees": 5,
        "formal_members": 0,
        "probationary_members": 0,
        "registration_status": "active",
        **fields,
    }


def test_create_page_explains_errors_and_keeps_input(client_for):
    client = client_for("county")
    response = client.post("/orgs/new/", create_form(credit_code="123", name="留着的名称", industry=""))
    page = response.content.decode()
    assert "留着的名称" in page
    assert "这个字段是必填项" in page  # industry missing
    assert not Organization.objects.filter(name="留着的名称").exists()


def test_create_page_creates(client_for):
    client = client_for("county")
    code = credit_code()
    response = client.post("/orgs/new/", create_form(credit_code=code, name="东湖新创有限公司"))
    assert response.status_code == 302
    org = Organization.objects.get(credit_code=code)
    assert client.get(f"/orgs/{org.pk}/").status_code == 200


def test_export_asks_password_again_and_is_audited(personas, client_for):
    make_org(personas["county"], name="导出测试有限公司")
    client = client_for("county")
    assert "再次输入您的登录密码" in client.get("/orgs/export/").content.decode()
    wrong = client.post("/orgs/export/", {"password": "wrong"})
    assert wrong.status_code == 400 and AuditEvent.objects.filter(action="organization.export", outcome="denied").exists()
    ok = client.post("/orgs/export/", {"password": PASSWORD})
    assert ok["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="organization.export", outcome="success").exists()


def test_full_region_path_on_hover(personas, client_for):
    make_org(personas["county"])
    page = client_for("county").get("/orgs/").content.decode()
    assert f'title="{Region.objects.get(code="360102002001").full_name}"' in page


# -- the place of an organization within the scope (条块) ---------------------------------


def test_place_outside_scope_names_each_part(personas, demo_zone):
    from sanxin.regions.jurisdiction import place_outside_scope

    express, internet = Industry.objects.get(code="6020"), Industry.objects.get(code="64")
    inside = Region.objects.get(code="360102002001")
    assert place_outside_scope(personas["industry"], region=inside, industry=express) == {}
    assert place_outside_scope(personas["industry"], region="320102001001", industry=internet.pk).keys() == {"region", "industry"}
    assert "快递" in place_outside_scope(personas["industry"], region=inside, industry=internet)["industry"]
    assert place_outside_scope(personas["zone"], region=inside, industry=internet, zone=demo_zone) == {}
    assert "八一广场商圈" in place_outside_scope(personas["zone"], region=inside, industry=internet, zone=None)["zone"]
    assert place_outside_scope(None, region="320102", industry=None) == {}  # a system job
    assert place_outside_scope(personas["member"], region=inside, industry=express) == {"region": "您没有管辖范围，不能登记"}


def test_industry_committee_registers_only_its_industry(personas):
    with pytest.raises(ValidationError) as caught:
        make_org(personas["industry"], industry="64")
    assert caught.value.message_dict["industry"] == ["所属行业须为您管辖的行业（快递）"]
    org = make_org(personas["industry"], industry="6020", region="360103001001")
    with pytest.raises(ValidationError, match="所属行业须为您管辖的行业"):
        organization_update(actor=personas["industry"], organization=org, industry=Industry.objects.get(code="64"))
    assert Organization.objects.get(pk=org.pk).industry.code == "6020"


def test_zone_committee_registers_only_in_its_zone(personas, demo_zone):
    with pytest.raises(ValidationError, match="须在您管辖的园区/楼宇（八一广场商圈）内"):
        make_org(personas["zone"])
    org = make_org(personas["zone"], zone=demo_zone)
    with pytest.raises(ValidationError, match="八一广场商圈"):
        organization_update(actor=personas["zone"], organization=org, zone=None)


def test_form_offers_only_scoped_choices(personas, client_for, demo_zone):
    make_org(personas["county"], name="不应出现在下拉框里的企业")
    page = client_for("industry").get("/orgs/new/").content.decode()
    industry_select = page[page.index('name="industry"') : page.index("</select>", page.index('name="industry"'))]
    assert ">快递<" in industry_select and industry_select.count("<option") == 2
    page = client_for("zone").get("/orgs/new/").content.decode()
    zone_select = page[page.index('name="zone"') : page.index("</select>", page.index('name="zone"'))]
    assert "八一广场商圈" in zone_select and 'name="zone" required' in page.replace(' class="form-select"', "")
    # The parent is searched for, not listed: no organization appears on the form.
    assert "不应出现在下拉框里的企业" not in client_for("county").get("/orgs/new/").content.decode()


def test_create_page_refuses_another_industry(client_for):
    response = client_for("industry").post("/orgs/new/", create_form(name="越界行业企业"))
    assert "选择一个有效的选项" in response.content.decode()
    assert not Organization.objects.filter(name="越界行业企业").exists()


# -- parent organization: searched within the scope --------------------------------------


def test_parent_must_be_inside_the_scope(personas, client_for):
    outside = make_org(personas["other_county"], name="西湖总部", region="360103001001")
    with pytest.raises(ValidationError, match="上级单位不在您的管辖范围内"):
        make_org(personas["county"], parent=outside)
    data = create_form(name="越界分支", category="franchisee", industry=Industry.objects.get(code="6020").pk, parent=outside.credit_code)
    page = client_for("county").post("/orgs/new/", data).content.decode()
    assert f"统一社会信用代码 {outside.credit_code} 不在您管辖的组织名录中" in page
    head = make_org(personas["county"], name="东湖总部")
    response = client_for("county").post("/orgs/new/", {**data, "parent": head.credit_code.lower()})
    assert response.status_code == 302 and Organization.objects.get(name="越界分支").parent == head


def test_edit_keeps_a_parent_outside_the_scope(personas, client_for):
    head = make_org(personas["province"], name="省外总部", region="360103001001")
    site = make_org(personas["province"], name="东湖站点", category="franchisee", parent=head)
    client = client_for("county")
    page = client.get(f"/orgs/{site.pk}/edit/").content.decode()
    assert head.credit_code not in page and 'name="parent"' not in page
    data = {f: getattr(site, f) for f in ("credit_code", "name", "category", "employees", "formal_members", "probationary_members")}
    data |= {"industry": site.industry_id, "region": site.region_id, "registration_status": "active", "address": "新地址"}
    assert client.post(f"/orgs/{site.pk}/edit/", data).status_code == 302
    site.refresh_from_db()
    assert site.address == "新地址" and site.parent == head


def test_organization_lookup_suggests_and_picks_within_scope(personas, client_for):
    mine = make_org(personas["county"], name="东湖查找测试有限公司")
    other = make_org(personas["other_county"], name="西湖查找测试有限公司", region="360103001001")
    client = client_for("county")
    page = client.get("/orgs/lookup/", {"field": "parent", "q": "查找测试"}).content.decode()
    assert "东湖查找测试有限公司" in page and "西湖查找测试" not in page
    assert mine.credit_code in client.get("/orgs/lookup/", {"field": "parent", "q": mine.credit_code[:10]}).content.decode()
    assert "没有找到" in client.get("/orgs/lookup/", {"field": "parent", "q": "不存在的名称"}).content.decode()
    picked = client.get("/orgs/lookup/", {"field": "parent", "pick": mine.credit_code}).content.decode()
    assert f'name="parent" value="{mine.credit_code}"' in picked and "已选：东湖查找测试有限公司" in picked
    assert client.get("/orgs/lookup/", {"field": "parent", "pick": other.credit_code}).status_code == 404
    # Several codes: a pick is added to those already listed.
    added = client.get("/orgs/lookup/", {"field": "covered_codes", "multiple": "1", "pick": mine.credit_code, "covered_codes": "91X\n"})
    assert f"91X\n{mine.credit_code}</textarea>" in added.content.decode()


def test_list_region_filter_is_the_region_picker(personas, client_for):
    make_org(personas["county"], name="街道甲企业")
    make_org(personas["county"], name="街道乙企业", region="360102004001")
    client = client_for("county")
    page = client.get("/orgs/").content.decode()
    assert "data-region-picker" in page and 'data-root="360102"' in page
    page = client.get("/orgs/", {"region": "360102004"}).content.decode()
    assert "街道乙企业" in page and "街道甲企业" not in page and 'data-value="360102004"' in page


# -- registration status ------------------------------------------------------------------


def test_deregistering_through_the_edit_form_needs_a_reason(personas, client_for):
    org = make_org(personas["county"], name="将注销企业")
    with pytest.raises(ValidationError, match="请填写原因"):
        organization_update(actor=personas["county"], organization=org, registration_status="cancelled")
    assert Organization.objects.get(pk=org.pk).registration_status == "active"
    data = {f: getattr(org, f) for f in ("credit_code", "name", "category", "employees", "formal_members", "probationary_members")}
    data |= {"industry": org.industry_id, "region": org.region_id, "registration_status": "cancelled"}
    client = client_for("county")
    page = client.post(f"/orgs/{org.pk}/edit/", data).content.decode()
    assert "登记状态改为注销、吊销或迁出时，请填写原因" in page
    assert client.post(f"/orgs/{org.pk}/edit/", {**data, "status_reason": "市场监管部门注销"}).status_code == 302
    assert Organization.objects.get(pk=org.pk).registration_status == "cancelled"
    event = AuditEvent.objects.get(action="organization_deregister", object_id=str(org.pk))
    assert event.detail == {"old": "active", "new": "cancelled", "reason": "市场监管部门注销"}
    # Back to 存续 is an ordinary edit.
    organization_update(actor=personas["county"], organization=org, registration_status="active")
    assert Organization.objects.get(pk=org.pk).registration_status == "active"


def test_full_width_codes_find_organizations_everywhere(personas, client_for):
    from sanxin.party.services import party_org_create
    from sanxin.regions.models import Region

    org = make_org(personas["county"], name="全角检索企业")
    wide = org.credit_code.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHJKLMNPQRTUWXY"})
    client = client_for("county")
    assert ">全角检索企业<" in client.get("/orgs/", {"q": wide}).content.decode()
    assert ">全角检索企业<" in client.get("/orgs/", {"region": "３６０１０２", "q": "全角检索"}).content.decode()
    assert "全角检索企业" in client.get("/orgs/lookup/", {"field": "parent", "q": wide[:12]}).content.decode()
    assert client.get("/api/v1/coverage/summary", {"region": "３６０１０２"}).status_code == 200
    branch = party_org_create(
        actor=personas["county"],
        name="全角覆盖党支部",
        level="branch",
        establishment_form="joint",
        region=Region.objects.get(code="360102002"),
    )
    data = {"name": "全角覆盖党支部", "level": "branch", "establishment_form": "joint", "region": "360102002", "term_years": 3}
    response = client.post(f"/party/{branch.pk}/edit/", data | {"status": "active", "covered_codes": wide})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(branch.covered_organizations.all()) == [org]
