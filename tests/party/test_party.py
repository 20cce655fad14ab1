"""Party organizations inside the scope: where they sit, their parent, the organizations they cover, the reminders."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from sanxin.core.models import AuditEvent
from sanxin.party.models import PartyOrganization
from sanxin.party.services import party_org_create, party_org_update
from sanxin.regions.models import Industry, Region
from tests.conftest import PASSWORD
from tests.orgs_factories import make_org, xlsx_text

TODAY = timezone.localdate()


def party_org(actor, name="测试党支部", region="360102002", covered=(), **fields):
    data = {"level": "branch", "establishment_form": "joint", "region": Region.objects.get(code=region), "term_years": 3}
    return party_org_create(actor=actor, name=name, covered=covered, **(data | fields))


def form_data(**fields):
    data = {"name": "表单党支部", "level": "branch", "establishment_form": "joint", "region": "360102002", "term_years": 3}
    return data | {"status": "active"} | fields


# -- where a Party organization sits ----------------------------------------------------


def test_create_form_offers_only_scoped_choices(personas, client_for):
    party_org(personas["county"], name="不应列出的党委", level="committee")
    page = client_for("industry").get("/party/new/").content.decode()
    industries = page[page.index('name="industry"') : page.index("</select>", page.index('name="industry"'))]
    assert ">快递<" in industries and industries.count("<option") == 2 and "required" in industries
    page = client_for("zone").get("/party/new/").content.decode()
    zones = page[page.index('name="zone"') : page.index("</select>", page.index('name="zone"'))]
    assert ">八一广场商圈<" in zones and zones.count("<option") == 2
    # The parent is a search box, not a list of every Party organization in the scope.
    page = client_for("county").get("/party/new/").content.decode()
    assert "不应列出的党委" not in page and 'hx-get="/party/lookup/?field=parent"' in page


def test_industry_committee_creates_only_in_its_industry(personas, client_for):
    with pytest.raises(ValidationError, match=r"所属行业须为您管辖的行业（快递）"):
        party_org(personas["industry"], industry=Industry.objects.get(code="64"))
    with pytest.raises(ValidationError, match="所属行业须为您管辖的行业"):
        party_org(personas["industry"])  # no industry: the committee could not see it afterwards
    p = party_org(personas["industry"], industry=Industry.objects.get(code="6020"))
    with pytest.raises(ValidationError, match="所属行业须为您管辖的行业"):
        party_org_update(actor=personas["industry"], party_org=p, industry=Industry.objects.get(code="64"))
    response = client_for("industry").post("/party/new/", form_data(industry=Industry.objects.get(code="64").pk))
    assert "选择一个有效的选项" in response.content.decode()
    assert not PartyOrganization.objects.filter(name="表单党支部").exists()


def test_zone_committee_creates_only_in_its_zone(personas, demo_zone):
    with pytest.raises(ValidationError, match="须在您管辖的园区/楼宇（八一广场商圈）内"):
        party_org(personas["zone"], region="360102")
    assert party_org(personas["zone"], region="360102", zone=demo_zone).zone == demo_zone


def test_parent_must_be_inside_the_scope(personas, client_for):
    outside = party_org(personas["other_county"], name="西湖区党委", region="360103", level="committee")
    inside = party_org(personas["county"], name="东湖区党委", region="360102", level="committee")
    with pytest.raises(ValidationError, match="上级党组织不在您的管辖范围内"):
        party_org(personas["county"], parent=outside)
    client = client_for("county")
    page = client.post("/party/new/", form_data(parent=outside.pk)).content.decode()
    assert "所选上级党组织不存在或不在您的管辖范围内" in page
    assert client.post("/party/new/", form_data(parent=inside.pk)).status_code == 302
    assert PartyOrganization.objects.get(name="表单党支部").parent == inside


def test_party_org_lookup_within_scope(personas, client_for):
    mine = party_org(personas["county"], name="东湖检索党支部", secretary="林书记")
    other = party_org(personas["other_county"], name="西湖检索党支部", region="360103")
    client = client_for("county")
    page = client.get("/party/lookup/", {"field": "parent", "q": "检索党支部"}).content.decode()
    assert ">东湖检索党支部<" in page and "西湖检索党支部" not in page
    assert ">东湖检索党支部<" in client.get("/party/lookup/", {"field": "parent", "q": "林书记"}).content.decode()
    picked = client.get("/party/lookup/", {"field": "parent", "pick": mine.pk}).content.decode()
    assert f'name="parent" value="{mine.pk}"' in picked and "东湖检索党支部" in picked
    assert client.get("/party/lookup/", {"field": "parent", "pick": other.pk}).status_code == 404
    assert client.get("/party/lookup/", {"field": "parent", "pick": "x"}).status_code == 404


# -- covered organizations inside and outside the scope ----------------------------------


def test_township_edits_a_joint_branch_that_also_covers_outside_its_scope(personas, client_for):
    here = make_org(personas["county"], name="街道内企业")
    there = make_org(personas["county"], name="别的街道企业", region="360102004001")
    branch = party_org(personas["county"], name="跨街道联合党支部", covered=[here, there])
    client = client_for("township")
    page = client.get(f"/party/{branch.pk}/edit/").content.decode()
    assert here.credit_code in page and there.credit_code not in page
    data = form_data(name="跨街道联合党支部", secretary="新书记", covered_codes=here.credit_code)
    assert client.post(f"/party/{branch.pk}/edit/", data).status_code == 302
    branch.refresh_from_db()
    assert branch.secretary == "新书记" and set(branch.covered_organizations.all()) == {here, there}
    assert client.post(f"/party/{branch.pk}/edit/", data | {"covered_codes": ""}).status_code == 302
    assert set(branch.covered_organizations.all()) == {there}  # the township removed only what it sees
    there.refresh_from_db()
    assert there.coverage_state == "org"


def test_covering_an_organization_outside_the_scope_is_refused(personas):
    outside = make_org(personas["other_county"], region="360103001001")
    with pytest.raises(ValidationError, match="以下组织不在您的管辖范围内"):
        party_org(personas["county"], covered=[outside])
    branch = party_org(personas["county"])
    with pytest.raises(ValidationError, match=outside.credit_code):
        party_org_update(actor=personas["county"], party_org=branch, covered=[outside])
    assert not branch.covered_organizations.exists()


def test_covered_codes_are_searched_and_added(personas, client_for):
    org = make_org(personas["county"], name="待覆盖企业")
    page = client_for("county").get("/party/new/").content.decode()
    assert 'hx-get="/orgs/lookup/?field=covered_codes&amp;multiple=1"' in page
    response = client_for("county").post("/party/new/", form_data(covered_codes=f"{org.credit_code.lower()}，"))
    assert response.status_code == 302
    assert list(PartyOrganization.objects.get(name="表单党支部").covered_organizations.all()) == [org]


# -- election reminders -------------------------------------------------------------------


def test_election_reminders_export(personas, client_for):
    party_org(personas["county"], name="超期党支部", founded_on=date(2019, 1, 1))
    party_org(personas["county"], name="将到期党支部", founded_on=TODAY.replace(year=TODAY.year - 3) + timedelta(days=30))
    party_org(personas["county"], name="刚成立党支部", founded_on=TODAY - timedelta(days=10))
    client = client_for("county")
    page = client.get("/party/").content.decode()
    assert "/party/export/?election=soon" in page and "/party/export/?election=overdue" in page
    assert "再次输入您的登录密码" in client.get("/party/export/", {"election": "soon"}).content.decode()
    response = client.post("/party/export/?election=soon", {"password": PASSWORD})
    text = xlsx_text(response.content)
    assert "将到期党支部" in text and "超期党支部" not in text and "刚成立党支部" not in text
    event = AuditEvent.objects.get(action="party_org.export", outcome="success")
    assert event.detail == {"rows": 1, "filters": {"election": "soon"}}


def test_list_region_filter_is_the_region_picker(personas, client_for):
    party_org(personas["county"], name="街道党支部")
    party_org(personas["county"], name="区级党委", region="360102", level="committee")
    page = client_for("county").get("/party/", {"region": "360102002"}).content.decode()
    assert "data-region-picker" in page and ">街道党支部<" in page and ">区级党委<" not in page


# -- what a viewer may see of a Party organization ------------------------------------------


def test_list_and_export_count_only_the_covered_organizations_in_scope(personas, client_for):
    inside = make_org(personas["county"], region="360102002001")
    outside = [make_org(personas["county"], region=code) for code in ("360102002002", "360102004001", "360102004002")]
    joint = party_org(personas["county"], name="四家联合党支部", region="360102002001", covered=[inside, *outside])
    community = client_for("community")
    assert community.get(f"/party/{joint.pk}/").status_code == 200
    page = community.get("/party/?size=100").content.decode()
    row = page[page.index("四家联合党支部") :]
    row = row[: row.index("</tr>")]
    assert '<td class="text-end">1</td>' in row, row  # not 4
    exported = load_workbook(io.BytesIO(community.post("/party/export/", {"password": PASSWORD}).content), read_only=True)
    header, *rows = exported.worksheets[0].iter_rows(values_only=True)
    record = dict(zip(header, next(r for r in rows if r[0] == "四家联合党支部"), strict=True))
    assert record["覆盖组织数"] == 1
    county_rows = load_workbook(io.BytesIO(client_for("county").post("/party/export/", {"password": PASSWORD}).content), read_only=True)
    header, *rows = county_rows.worksheets[0].iter_rows(values_only=True)
    assert dict(zip(header, next(r for r in rows if r[0] == "四家联合党支部"), strict=True))["覆盖组织数"] == 4


def test_export_names_no_parent_the_viewer_cannot_open(personas, client_for):
    parent = party_org(personas["county"], name="街道综合党委", level="committee", region="360102002")
    child = party_org(personas["county"], name="社区党支部", region="360102002001", parent=parent)
    community = client_for("community")
    assert community.get(f"/party/{parent.pk}/").status_code == 404
    assert community.get(f"/party/{child.pk}/").status_code == 200
    text = xlsx_text(community.post("/party/export/", {"password": PASSWORD}).content)
    assert "社区党支部" in text and "街道综合党委" not in text
    assert "街道综合党委" in xlsx_text(client_for("township").post("/party/export/", {"password": PASSWORD}).content)


def test_a_party_organization_covering_a_firm_is_seen_there_but_edited_only_at_its_own_place(personas, client_for):
    firm = make_org(personas["county"], region="360102002001")
    branch = party_org(personas["county"], name="街道快递联合党支部", region="360102002", covered=[firm])
    community = client_for("community")
    assert community.get(f"/party/{branch.pk}/").status_code == 200
    assert "街道快递联合党支部" in community.get("/party/?size=100").content.decode()
    assert "街道快递联合党支部" in community.get(f"/orgs/{firm.pk}/").content.decode()
    assert community.get(f"/party/{branch.pk}/edit/").status_code == 404
    assert community.post(f"/party/{branch.pk}/edit/", form_data(name="改名")).status_code == 404
    assert PartyOrganization.objects.get(pk=branch.pk).name == "街道快递联合党支部"
