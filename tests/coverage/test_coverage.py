"""两个覆盖: per-organization rules, precomputed counts and rates, the summary API and the page."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from sanxin.core.models import AuditEvent
from sanxin.coverage.compute import coverage_daily, recompute_organizations
from sanxin.coverage.figures import refresh_facts, snapshot_month
from sanxin.coverage.models import CoverageFact, MassOrganizationWork
from sanxin.instructors import services as instructor_services
from sanxin.orgs.models import DEREGISTERED, CoverageState, Organization
from sanxin.orgs.services import organization_deregister, organization_update
from sanxin.party.services import party_org_create
from sanxin.regions.models import Region, Zone
from tests.conftest import PASSWORD, PERSONAS
from tests.orgs_factories import make_org

TODAY = timezone.localdate()


def cover(actor, orgs, form="standalone", name="党支部", region="360102002", **fields):
    return party_org_create(
        actor=actor, name=name, level="branch", establishment_form=form, region=Region.objects.get(code=region), covered=orgs, **fields
    )


@pytest.fixture
def registry(personas, demo_zone):
    """A small registry across two counties, two industries and the zone, with every coverage state."""
    county, other = personas["county"], personas["other_county"]
    o = {
        "covered": make_org(county, name="有党支部企业", formal_members=5, employees=50),
        "joint_a": make_org(county, name="联建甲", formal_members=3, employees=20, industry="64"),
        "joint_b": make_org(county, name="联建乙", employees=20, zone=demo_zone),
        "instructed": make_org(county, name="有指导员企业", region="360102004001"),
        "mass": make_org(county, name="工会开展工作企业", region="360102004001", industry="64"),
        "blank": make_org(county, name="空白企业", formal_members=4, employees=30),
        "gone": make_org(county, name="已注销企业"),
        "west": make_org(other, name="西湖企业", region="360103001001"),
    }
    cover(county, [o["covered"]])
    cover(county, [o["joint_a"], o["joint_b"]], form="joint", name="联合党支部")
    who = instructor_services.instructor_create(actor=county, name="指导员", kind="instructor", unit=county.unit)
    instructor_services.assignment_create(actor=county, instructor=who, organization=o["instructed"], started_on=TODAY - timedelta(days=3))
    MassOrganizationWork.objects.create(organization=o["mass"], kind="union", started_on=TODAY - timedelta(days=30))
    recompute_organizations([o["mass"].pk])
    organization_deregister(actor=county, organization=o["gone"], status="revoked", reason="吊销")
    for org in o.values():
        org.refresh_from_db()
    return o


def test_states_per_organization(registry):
    o = registry
    assert o["covered"].coverage_state == CoverageState.ORG_COVERED and o["covered"].has_own_party_org and not o["covered"].should_establish
    assert o["joint_a"].coverage_state == CoverageState.ORG_COVERED and o["joint_a"].should_establish  # joint is not its own
    assert o["instructed"].coverage_state == CoverageState.WORK_COVERED
    assert o["mass"].coverage_state == CoverageState.WORK_COVERED
    assert o["blank"].coverage_state == CoverageState.BLANK and o["blank"].should_establish


def test_ended_mass_work_and_future_party_org_do_not_cover(personas):
    org = make_org(personas["county"])
    MassOrganizationWork.objects.create(organization=org, kind="youth_league", started_on=date(2024, 1, 1), ended_on=date(2024, 12, 31))
    cover(personas["county"], [org], founded_on=TODAY - timedelta(days=10))
    recompute_organizations([org.pk], today=TODAY - timedelta(days=20))
    org.refresh_from_db()
    assert org.coverage_state == CoverageState.BLANK  # the branch did not exist yet, the league's work had ended


def test_edge_thinning(personas):
    head = make_org(personas["county"], name="平台总部", category="platform")
    site = make_org(personas["county"], name="平台站点", category="franchisee", parent=head)
    cover(personas["county"], [head])
    head.refresh_from_db()
    assert head.edge_thinning
    cover(personas["county"], [site], name="站点党支部")
    head.refresh_from_db()
    assert not head.edge_thinning


def test_summary_api_for_the_county(registry, client_for):
    data = client_for("county").get("/api/v1/coverage/summary").json()
    # Seven active organizations in 东湖区 (the revoked one is not counted).
    assert data["organizations"] == 6
    assert data["org_covered"] == 3 and data["work_covered"] == 5 and data["blank"] == 1
    assert data["should_establish"] == 2
    assert data["org_coverage_rate"] == pytest.approx(3 / 6, abs=1e-4)
    assert data["work_coverage_rate"] == pytest.approx(5 / 6, abs=1e-4)
    assert 0 <= data["org_coverage_rate"] <= 1


def test_summary_filters(registry, client_for):
    client = client_for("province")
    assert client.get("/api/v1/coverage/summary", {"region": "360102004"}).json()["organizations"] == 2
    assert client.get("/api/v1/coverage/summary", {"industry": "64"}).json()["organizations"] == 2
    assert client.get("/api/v1/coverage/summary", {"region": "360103", "industry": "6020"}).json()["organizations"] == 1
    assert client.get("/api/v1/coverage/summary").json()["organizations"] == 7


def test_summary_refuses_outside_scope_and_unknown_codes(registry, client_for):
    client = client_for("county")
    assert client.get("/api/v1/coverage/summary", {"region": "360103"}).status_code == 404
    assert client.get("/api/v1/coverage/summary", {"industry": "nope"}).status_code == 404
    assert client_for("member").get("/api/v1/coverage/summary").status_code == 404


def oracle(user) -> int:
    """Active organizations a persona may count, worked out in Python from the rows."""
    from tests.scope_registry import ORGANIZATION
    from tests.test_scope import entity_visible

    return sum(
        1 for org in Organization.objects.all() if org.registration_status not in DEREGISTERED and entity_visible(user, ORGANIZATION, org)
    )


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("member", "secretary", "instructor")])
def test_summary_counts_follow_every_scope(registry, personas, client_for, persona):
    data = client_for(persona).get("/api/v1/coverage/summary")
    if not personas[persona].can("coverage.view"):
        assert data.status_code == 404
        return
    assert data.json()["organizations"] == oracle(personas[persona])
    page = client_for(persona).get("/coverage/").content.decode()
    assert f">{oracle(personas[persona])}<" in page


def test_breakdown_drills_one_level(registry, client_for):
    rows = client_for("county").get("/api/v1/coverage/breakdown").json()
    assert {r["code"]: r["organizations"] for r in rows} == {"360102002": 4, "360102004": 2}
    rows = client_for("county").get("/api/v1/coverage/breakdown", {"region": "360102004"}).json()
    assert {r["code"] for r in rows} == {"360102004001"}


def test_moving_an_organization_moves_its_count(registry, personas, client_for):
    organization_update(actor=personas["province"], organization=registry["blank"], region=Region.objects.get(code="360103001001"))
    client = client_for("province")
    assert client.get("/api/v1/coverage/summary", {"region": "360102"}).json()["organizations"] == 5
    assert client.get("/api/v1/coverage/summary", {"region": "360103"}).json()["organizations"] == 2


def test_facts_match_a_full_rebuild(registry):
    before = sorted(
        CoverageFact.objects.filter(month__isnull=True).values_list("region_id", "industry_id", "zone_id", "organizations", "blank"),
        key=str,
    )
    refresh_facts()
    after = sorted(
        CoverageFact.objects.filter(month__isnull=True).values_list("region_id", "industry_id", "zone_id", "organizations", "blank"),
        key=str,
    )
    assert before == after


def test_snapshot_and_trend(registry, client_for):
    snapshot_month(date(2026, 10, 1))
    snapshot_month(date(2026, 10, 1))  # again: replaces, not doubles
    assert CoverageFact.objects.filter(month=date(2026, 10, 1)).count() == CoverageFact.objects.filter(month__isnull=True).count()
    page = client_for("county").get("/coverage/").content.decode()
    assert "coverage-trend-data" in page and "2026-10" in page


def test_page_links_numbers_to_lists(registry, client_for):
    page = client_for("county").get("/coverage/").content.decode()
    assert "/orgs/?region=360102&industry=&zone=&coverage=blank" in page.replace("&amp;", "&")
    assert "50.0%" in page  # 组织覆盖率 3/6


def test_zone_committee_sees_its_zone(registry, client_for):
    data = client_for("zone").get("/api/v1/coverage/summary").json()
    assert data["organizations"] == 1  # only 联建乙 sits in the zone


def test_refresh_command(registry):
    from io import StringIO

    out = StringIO()
    call_command("refresh_coverage", "--recompute", "--snapshot", "2026-09", stdout=out)
    assert "2026-09" in out.getvalue()
    with pytest.raises(Exception, match="格式不正确"):
        call_command("refresh_coverage", "--snapshot", "2026/09")
    assert Zone.objects.exists()


# -- every figure has its list ----------------------------------------------------------------

FIGURE_LISTS = {  # summary figure → the ?coverage= list behind it
    "org_covered": "org",
    "work_covered": "work_covered",
    "blank": "blank",
    "should_establish": "should_establish",
    "meets_condition": "meets_condition",
    "own_party_org": "own_party_org",
    "edge_thinning": "edge_thinning",
}


def listed(client, **params) -> int:
    page = client.get("/orgs/", params).content.decode()
    return int(re.search(r"共 <strong>([\d,]+)</strong> 条", page).group(1).replace(",", ""))


@pytest.mark.parametrize("persona", ["county", "industry", "zone"])
def test_every_figure_links_to_a_list_of_that_many(registry, client_for, persona):
    client = client_for(persona)
    summary = client.get("/api/v1/coverage/summary").json()
    page = client.get("/coverage/").content.decode().replace("&amp;", "&")
    root = {"county": "360102", "industry": "36", "zone": "360102"}[persona]
    assert listed(client, region=root, status="active") == summary["organizations"]
    for figure, coverage in FIGURE_LISTS.items():
        assert f"/orgs/?region={root}&industry=&zone=&coverage={coverage}" in page, figure
        assert listed(client, region=root, coverage=coverage) == summary[figure], figure


def test_trend_follows_the_zone(registry, client_for, demo_zone):
    snapshot_month(date(2026, 10, 1))
    client = client_for("county")
    whole = client.get("/coverage/").content.decode()
    zoned = client.get("/coverage/", {"zone": demo_zone.pk}).content.decode()
    assert '"organizations": 6' in whole
    assert '"organizations": 1' in zoned and '"organizations": 6' not in zoned


def test_industry_and_zone_breakdowns_export(registry, client_for, demo_zone):
    client = client_for("county")
    page = client.get("/coverage/").content.decode().replace("&amp;", "&")
    assert "/coverage/export/?by=industry&region=360102&zone=" in page and "/coverage/export/?by=zone&region=360102&industry=" in page
    by_industry = xlsx_rows(client.post("/coverage/export/?by=industry", {"password": PASSWORD}).content)
    assert by_industry[0][:2] == ("行业代码", "行业") and {(r[0], r[2]) for r in by_industry[1:]} == {("6020", 4), ("64", 2)}
    by_zone = xlsx_rows(client.post("/coverage/export/?by=zone", {"password": PASSWORD}).content)
    assert [(r[1], r[2]) for r in by_zone[1:]] == [("八一广场商圈", 1)]
    # The industry committee's export counts its industry only.
    rows = xlsx_rows(client_for("industry").post("/coverage/export/?by=industry", {"password": PASSWORD}).content)
    assert {(r[0], r[2]) for r in rows[1:]} == {("6020", 5)}
    assert client.post("/coverage/export/?by=nonsense", {"password": PASSWORD}).status_code == 404
    assert AuditEvent.objects.filter(action="coverage.export", outcome="success").count() == 3


def xlsx_rows(content: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    return list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))


# -- the daily job ----------------------------------------------------------------------------------


def test_coverage_daily_follows_the_date_and_is_idempotent(personas, client_for):
    county = personas["county"]
    who = instructor_services.instructor_create(actor=county, name="指导员", kind="instructor", unit=county.unit)
    ending = make_org(county, name="选派将结束企业")
    starting = make_org(county, name="选派将开始企业")
    instructor_services.assignment_create(
        actor=county, instructor=who, organization=ending, started_on=TODAY - timedelta(days=10), ended_on=TODAY + timedelta(days=1)
    )
    instructor_services.assignment_create(actor=county, instructor=who, organization=starting, started_on=TODAY + timedelta(days=2))
    assert [Organization.objects.get(pk=o.pk).coverage_state for o in (ending, starting)] == ["work", "blank"]
    later = TODAY + timedelta(days=2)
    first = coverage_daily(today=later)
    assert first["changed"] == 2
    assert [Organization.objects.get(pk=o.pk).coverage_state for o in (ending, starting)] == ["blank", "work"]
    facts = CoverageFact.objects.filter(month__isnull=True).aggregate(blank=Sum("blank"), work=Sum("work_covered"))
    assert facts == {"blank": 1, "work": 1}  # the counts moved with the organizations
    assert coverage_daily(today=later)["changed"] == 0


def test_coverage_daily_keeps_the_month_end_snapshot(registry):
    month_end = date(2026, 4, 30)
    result = coverage_daily(today=month_end)
    assert result["snapshot"] == date(2026, 4, 1)
    cells = CoverageFact.objects.filter(month=date(2026, 4, 1)).count()
    assert cells == CoverageFact.objects.filter(month__isnull=True).count() > 0
    assert coverage_daily(today=month_end)["snapshot"] == date(2026, 4, 1)  # again: replaced, not doubled
    assert CoverageFact.objects.filter(month=date(2026, 4, 1)).count() == cells
    # Mid-month nothing is due while last month's snapshot exists ...
    assert coverage_daily(today=date(2026, 5, 12))["snapshot"] is None
    # ... and a missed month end is caught up once.
    assert coverage_daily(today=date(2026, 7, 3))["snapshot"] == date(2026, 6, 1)
    assert coverage_daily(today=date(2026, 7, 4))["snapshot"] is None


def test_daily_command(registry):
    from io import StringIO

    out = StringIO()
    call_command("refresh_coverage", "--daily", stdout=out)
    assert "每日任务完成" in out.getvalue()


def test_drill_down_reaches_the_community_and_its_organizations(registry, client_for):
    client = client_for("county")
    street = client.get("/coverage/?region=360102002").content.decode().replace("&amp;", "&")
    assert '<a href="?region=360102002001&industry=&zone=">' in street  # community names are links
    community = client.get("/coverage/?region=360102002001").content.decode()
    assert "本社区/村的组织" in community
    blank, covered = community.index(">空白企业<"), community.index(">有党支部企业<")
    assert blank < covered  # blank spots first
    assert f'href="/orgs/{registry["blank"].pk}/"' in community
    assert ">已注销企业<" not in community and ">有指导员企业<" not in community  # deregistered; another community
    express = client.get("/coverage/?region=360102002001&industry=6020").content.decode()
    assert ">联建甲<" not in express and ">空白企业<" in express  # the page's filters hold
