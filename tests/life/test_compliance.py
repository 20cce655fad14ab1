"""三会一课落实率: every rule of the precomputed table (required from the most specific region, only active Party
organizations, the current period due and not overdue), its refresh on every meeting write (the increments equal a
rebuild), the reminders (once each), the pages, the API and the scope cuts."""

import importlib
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sanxin.core.models import Notification
from sanxin.life import compliance, selectors
from sanxin.life.compliance_figures import Selection, compliance_summary, parse_selection, secretary_due
from sanxin.life.models import ComplianceFact, ComplianceRecord, ComplianceReminder, Meeting, MeetingType
from sanxin.life.services import meeting_type_set_frequency, meeting_update
from sanxin.party.models import PartyOrganization
from sanxin.regions.models import Region
from tests.conftest import PASSWORD
from tests.life.conftest import make_meeting
from tests.orgs_factories import party_org, xlsx_text

MAY_15 = date(2026, 5, 15)


def kind(code):
    return MeetingType.objects.get(code=code)


def records(org, code):
    return {r.period: r for r in ComplianceRecord.objects.filter(party_organization=org, meeting_type__code=code)}


def aware(day: date, hour=15):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def held_on(actor, org, code, day: date):
    """A meeting of the type that started on `day` (written straight, as an import would: no refresh)."""
    return Meeting.objects.create(
        party_organization=org, meeting_type=kind(code), topic=f"{code} {day}", starts_at=aware(day), ends_at=aware(day, 17), code="000000"
    )


def facts_snapshot():
    fields = ("region_id", "parent", "org_level", "establishment_form", "meeting_type_id", "year", "quarter", "half")
    rows = ComplianceFact.objects.values_list(*fields, "required", "met", "due", "overdue", "held")
    return {row[:8]: row[8:] for row in rows if any(row[8:])}


# ----------------------------------------------------------------------------------------------------------- rules


def test_required_comes_from_the_most_specific_region(personas, branch, other_branch):
    lecture = kind("party_lecture")
    meeting_type_set_frequency(actor=personas["province"], meeting_type=lecture, frequency="monthly")
    meeting_type_set_frequency(actor=personas["county"], meeting_type=lecture, frequency="half_yearly")
    compliance.rebuild_all(today=MAY_15)
    assert set(records(branch, "party_lecture")) == {"2025-H1", "2025-H2", "2026-H1"}  # the county's own setting
    assert "2026-05" in records(other_branch, "party_lecture")  # the province's, for another county
    assert {r.frequency for r in records(other_branch, "party_lecture").values()} == {"monthly"}
    assert set(records(other_branch, "life_meeting")) == {"2025", "2026"}  # the default where no region set one


def test_the_current_period_is_due_not_overdue(personas, branch):
    held_on(personas["county"], branch, "branch_committee", date(2026, 4, 3))
    compliance.rebuild_all(today=MAY_15)
    committee = records(branch, "branch_committee")
    assert committee["2026-04"].held == 1 and committee["2026-04"].met and not committee["2026-04"].overdue
    assert committee["2026-03"].overdue and not committee["2026-03"].met
    assert not committee["2026-05"].overdue and not committee["2026-05"].met  # due: May is not over
    assert "2026-06" not in committee  # a period not begun owes nothing yet
    # The period ends: on the day after its last, what was due is overdue.
    compliance.rebuild_all(today=date(2026, 5, 31))
    assert not records(branch, "branch_committee")["2026-05"].overdue
    compliance.rebuild_all(today=date(2026, 6, 1))
    assert records(branch, "branch_committee")["2026-05"].overdue


def test_only_active_party_organizations_owe_and_not_before_founded(personas, branch):
    young = party_org(personas["county"], name="新建快递党支部", founded_on=date(2026, 3, 10))
    gone = party_org(personas["county"], name="已撤销党支部")
    PartyOrganization.objects.filter(pk=gone.pk).update(status="dissolved")
    compliance.rebuild_all(today=MAY_15)
    assert not ComplianceRecord.objects.filter(party_organization=gone).exists()
    assert set(records(young, "branch_committee")) == {"2026-03", "2026-04", "2026-05"}  # founded in March
    assert set(records(young, "branch_general")) == {"2026-Q1", "2026-Q2"}
    assert len(records(branch, "branch_committee")) == 12 + 5  # last year and this year's five months


def test_rates_count_met_against_met_and_overdue(personas, branch):
    for month in (1, 2, 3):
        held_on(personas["county"], branch, "branch_committee", date(2026, month, 5))
    held_on(personas["county"], branch, "branch_committee", date(2026, 3, 20))  # a second in March is still one period met
    compliance.rebuild_all(today=MAY_15)
    county = Region.objects.get(code="360102")
    q1 = compliance_summary(user=personas["county"], region=county, selection=Selection(2026, quarter=1))
    # A quarter holds the monthly and quarterly periods inside it (three monthly types, two quarterly ones).
    assert q1["required"] == 3 * 3 + 2 and q1["held"] == 4 and q1["met"] == 3  # a second March meeting is one period
    assert q1["overdue"] == 11 - 3 and q1["due"] == 0 and q1["rate"] == round(3 / 11, 4)
    q2 = compliance_summary(user=personas["county"], region=county, selection=Selection(2026, quarter=2))
    assert (q2["required"], q2["met"], q2["due"], q2["overdue"]) == (3 * 2 + 2, 0, 3 + 2, 3)  # April over; May and Q2 due
    assert q2["rate"] == 0.0
    year = compliance_summary(user=personas["county"], region=county, selection=Selection(2026))
    assert year["required"] == 3 * 5 + 2 * 2 + 2  # the yearly and half-yearly periods too (begun, not over)
    assert compliance_summary(user=personas["county"], region=county, selection=Selection(2027))["rate"] is None


def test_a_meeting_written_refreshes_the_table_and_the_increments_equal_a_rebuild(personas, branch, members):
    county = personas["county"]
    compliance.rebuild_all()
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=10)
    this_month = today.replace(day=1)
    key = compliance.period_of("monthly", last_month).key
    assert records(branch, "branch_committee")[key].overdue
    meeting = make_meeting(county, branch, meeting_type=kind("branch_committee"), starts_at=aware(last_month))
    assert records(branch, "branch_committee")[key].met and not records(branch, "branch_committee")[key].overdue
    incremental = facts_snapshot()
    compliance.rebuild_facts()
    assert facts_snapshot() == incremental
    # Moved to this month: last month overdue again, this month met.
    meeting_update(actor=county, meeting=meeting, starts_at=aware(this_month), ends_at=aware(this_month, 17))
    assert records(branch, "branch_committee")[key].overdue
    assert records(branch, "branch_committee")[compliance.period_of("monthly", this_month).key].met
    incremental = facts_snapshot()
    compliance.rebuild_facts()
    assert facts_snapshot() == incremental
    # Gone: nothing held this month any more.
    Meeting.objects.get(pk=meeting.pk).delete()
    assert not records(branch, "branch_committee")[compliance.period_of("monthly", this_month).key].met
    incremental = facts_snapshot()
    compliance.rebuild_facts()
    assert facts_snapshot() == incremental


def test_a_frequency_set_for_a_region_refreshes_its_party_organizations(personas, branch):
    compliance.rebuild_all()
    assert {r.frequency for r in records(branch, "party_lecture").values()} == {"quarterly"}
    meeting_type_set_frequency(actor=personas["county"], meeting_type=kind("party_lecture"), frequency="monthly")
    assert {r.frequency for r in records(branch, "party_lecture").values()} == {"monthly"}


def test_the_rebuild_command_and_the_daily_job(personas, branch, capsys):
    call_command("rebuild_compliance")
    assert "已重新计算" in capsys.readouterr().out
    assert ComplianceRecord.objects.filter(party_organization=branch).exists()
    assert compliance.compliance_daily(today=MAY_15)["records"] == ComplianceRecord.objects.count()


# ------------------------------------------------------------------------------------------------------- reminders


def test_reminders_go_to_the_secretary_once_each(personas, branch, members, django_capture_on_commit_callbacks):
    secretary = personas["secretary"]
    compliance.rebuild_all(today=date(2026, 5, 26))
    with django_capture_on_commit_callbacks(execute=True):
        sent = compliance.compliance_reminders(today=date(2026, 5, 26))
    assert sent == {"due_soon": 3, "overdue": 0}  # May's three monthly meetings; the quarter ends in June
    titles = list(Notification.objects.filter(recipient=secretary).values_list("title", flat=True))
    assert len(titles) == 3 and all("2026年5月" in t and "还有 5 天截止" in t for t in titles)
    with django_capture_on_commit_callbacks(execute=True):
        assert compliance.compliance_reminders(today=date(2026, 5, 27)) == {"due_soon": 0, "overdue": 0}  # sent once
    compliance.rebuild_all(today=date(2026, 6, 2))
    with django_capture_on_commit_callbacks(execute=True):
        assert compliance.compliance_reminders(today=date(2026, 6, 2)) == {"due_soon": 0, "overdue": 3}
        assert compliance.compliance_reminders(today=date(2026, 6, 3)) == {"due_soon": 0, "overdue": 0}
    assert Notification.objects.filter(recipient=secretary, title__contains="已超期 2 天").count() == 3
    assert ComplianceReminder.objects.count() == 6
    assert not Notification.objects.exclude(recipient=secretary).exists()  # no one else


def test_a_meeting_held_is_not_reminded(personas, branch, members, django_capture_on_commit_callbacks):
    for code in ("branch_committee", "group_meeting", "theme_day"):
        held_on(personas["county"], branch, code, date(2026, 5, 4))
    compliance.rebuild_all(today=date(2026, 5, 26))
    with django_capture_on_commit_callbacks(execute=True):
        assert compliance.compliance_reminders(today=date(2026, 5, 26)) == {"due_soon": 0, "overdue": 0}


def test_the_secretary_home_shows_what_is_due_and_the_identity_reports(personas, branch, other_branch, members, client_for):
    from sanxin.members.identity import identity_report_submit
    from tests.members.test_identity import fields

    compliance.rebuild_all()
    due = secretary_due(user=personas["secretary"])
    assert due["due_count"] >= 3 and due["overdue_count"] > 0
    assert {d["record"].party_organization_id for d in due["due"] + due["overdue"]} == {branch.pk}  # only their own
    report = identity_report_submit(actor=personas["county"], by_staff=True, **fields(branch, name="张骑手"))
    identity_report_submit(actor=personas["other_county"], by_staff=True, **fields(other_branch, name="李外卖"))
    page = client_for("secretary").get("/").content.decode()
    assert "本期应开会议" in page and "超期未开" in page and "待确认的亮身份报到" in page
    assert f'href="/members/identity/{report.pk}/">张骑手<' in page and "全部 1 件" in page and "李外卖" not in page
    assert secretary_due(user=personas["county"]) is None  # not a secretary
    assert "本期应开会议" not in client_for("county").get("/").content.decode()


# ---------------------------------------------------------------------------------------------- pages, API, scope


def test_the_pages_drill_down_by_region(personas, branch, other_branch, client_for):
    compliance.rebuild_all()
    client = client_for("province")
    page = client.get(reverse("life:compliance_overview")).content.decode()
    assert "三会一课落实率" in page and ">南昌市<" in page
    page = client.get(reverse("life:compliance_overview") + "?region=3601").content.decode()
    assert ">东湖区<" in page and ">西湖区<" in page
    page = client.get(reverse("life:compliance_orgs") + "?region=360102").content.decode()
    assert branch.name in page and other_branch.name not in page
    page = client.get(
        reverse("life:compliance_overdue") + "?region=360102&meeting_type=" + str(kind("branch_committee").pk)
    ).content.decode()
    assert branch.name in page and "超期天数" in page
    page = client.get(reverse("life:compliance_overview") + "?period=2026-Q9").content.decode()
    assert "期间应写作" in page


def test_the_overdue_export_asks_for_the_password(personas, branch, client_for):
    compliance.rebuild_all()
    client = client_for("county")
    url = reverse("life:compliance_overdue_export") + "?period=" + str(timezone.localdate().year)
    assert "密码" in client.get(url).content.decode()
    response = client.post(url, {"password": PASSWORD})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert branch.name in xlsx_text(response.content) and "超期天数" in xlsx_text(response.content)


def test_scope_cuts_the_rates_and_the_lists(personas, branch, other_branch, client_for):
    compliance.rebuild_all()
    year = Selection(timezone.localdate().year)
    county = compliance_summary(user=personas["county"], region=Region.objects.get(code="360102"), selection=year)
    other = compliance_summary(user=personas["other_county"], region=Region.objects.get(code="360103"), selection=year)
    city = compliance_summary(user=personas["province"], region=Region.objects.get(code="3601"), selection=year)
    assert county["required"] == other["required"] > 0
    assert city["required"] == county["required"] + other["required"]
    client = client_for("other_county")
    assert client.get(reverse("life:compliance_overview") + "?region=360102").status_code == 404
    assert client.get("/api/v1/compliance/rates?region=360102").status_code == 404
    assert branch.name not in client.get(reverse("life:compliance_overdue")).content.decode()
    assert client_for("member").get(reverse("life:compliance_overview")).status_code == 404
    assert client_for("secretary").get("/api/v1/compliance/overdue").status_code == 404


def test_a_narrowed_scope_reads_the_records_and_agrees_with_the_facts(personas, branch, client_for):
    """The industry committee's scope is cut by industry: its figures come from the records of its industry."""
    from sanxin.regions.models import Industry

    express = Industry.objects.get(code="6020")
    inside = party_org(personas["province"], name="快递行业党支部", industry=express)
    compliance.rebuild_all()
    year = Selection(timezone.localdate().year)
    narrowed = compliance_summary(user=personas["industry"], region=None, selection=year)
    own = ComplianceRecord.objects.filter(party_organization=inside, year=year.year)
    assert narrowed["required"] == own.count() and narrowed["overdue"] == own.filter(overdue=True).count()


def test_the_api_answers_the_page_figures(personas, branch, client_for):
    compliance.rebuild_all()
    client = client_for("county")
    data = client.get("/api/v1/compliance/rates?period=" + str(timezone.localdate().year)).json()
    page_summary = compliance_summary(user=personas["county"], region=Region.objects.get(code="360102"), selection=parse_selection(""))
    assert data["summary"] == page_summary and data["region"] == "360102"
    assert {r["code"] for r in data["by_region"]} == {"360102002"}
    assert client.get("/api/v1/compliance/rates?period=2026-Q5").status_code == 422
    listed = client.get("/api/v1/compliance/overdue?limit=5").json()
    assert listed["count"] == ComplianceRecord.objects.filter(overdue=True, year=timezone.localdate().year).count()
    assert listed["items"][0]["party_organization"]["name"] == branch.name and listed["items"][0]["days_overdue"] > 0


@pytest.mark.parametrize("path", ["/api/v1/compliance/overdue?limit=200", "/api/v1/compliance/rates"])
def test_query_counts_do_not_grow_with_rows(personas, client_for, django_assert_max_num_queries, path):
    county = personas["county"]
    party_org(county, name="第一党支部")
    compliance.rebuild_all()
    client = client_for("county")
    client.get(path)
    with django_assert_max_num_queries(60) as captured:
        client.get(path)
    for n in range(8):
        party_org(county, name=f"第{n + 2}党支部")
    compliance.rebuild_all()
    with django_assert_max_num_queries(len(captured)):
        assert client.get(path).status_code == 200


def test_below_a_street_the_figures_come_from_the_records_and_agree_with_the_facts(personas, client_for):
    county = personas["county"]
    for n, code in enumerate(("360102002001", "360102002002", "360102002001")):
        org = party_org(county, name=f"社区第{n}党支部", region=Region.objects.get(code=code))
        held_on(county, org, "branch_committee", date(2026, 4, 3))
    compliance.rebuild_all(today=MAY_15)
    street = Region.objects.get(code="360102002")
    year = Selection(2026)
    from sanxin.life.compliance_figures import breakdown_by_region

    communities = breakdown_by_region(user=county, region=street, selection=year)  # from the records
    assert [r["code"] for r in communities] == ["360102002001", "360102002002"]
    total = compliance_summary(user=county, region=street, selection=year)  # from the facts
    for name in ("required", "met", "due", "overdue", "held"):
        assert sum(r[name] for r in communities) == total[name]
    one = compliance_summary(user=county, region=Region.objects.get(code="360102002001"), selection=year)
    assert one == {k: v for k, v in communities[0].items() if k not in ("code", "name")}
    assert all(len(code) <= 9 for code in ComplianceFact.objects.values_list("region_id", flat=True))  # none for communities


def test_a_period_is_read_in_full_width_and_anything_else_is_refused(personas, client_for):
    assert parse_selection("２０２６－ｑ３") == Selection(2026, quarter=3)
    assert parse_selection(" 2025-h1 ") == Selection(2025, half=1)
    for bad in ("2026-Q5", "2026-09", "26", "2026-Q3;drop", "x" * 500):
        assert parse_selection(bad) is None, bad
    client = client_for("county")
    assert "期间应写作 2026、2026-H1 或 2026-Q3" in client.get("/life/compliance/?period=2026-13").content.decode()
    assert client.get("/api/v1/compliance/overdue?period=2026-09").status_code == 422
    assert client.get("/api/v1/compliance/overdue?level=" + "x" * 30).status_code == 422
    assert client.get("/life/compliance/overdue/?level=nonsense").status_code == 200  # no rows, not an error


# ------------------------------------------------------------------------------------ the levels a type applies to


BRANCH_TYPES = {"branch_general", "branch_committee", "group_meeting"}


def test_a_branch_meeting_is_required_of_a_branch_not_of_a_committee(personas, branch, client_for):
    county = personas["county"]
    assert {t.code for t in MeetingType.objects.all() if t.levels} == BRANCH_TYPES  # migration 0004
    assert kind("branch_committee").levels == ["branch", "provisional"] and kind("party_lecture").levels == []
    committee = party_org(county, name="滕王阁街道党委", level="committee")
    general = party_org(county, name="滕王阁商圈党总支", level="general_branch")
    provisional = party_org(county, name="滕王阁项目临时党支部", level="provisional")
    held_on(county, committee, "branch_committee", date(2026, 4, 3))  # held anyway: not required, not counted
    compliance.rebuild_all(today=MAY_15)
    for org in (committee, general):
        for code in BRANCH_TYPES:
            assert not records(org, code)  # no record: never overdue, never due
        assert set(records(org, "party_lecture")) == {"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"}
        assert records(org, "theme_day")["2026-04"].overdue
    for org in (branch, provisional):
        assert records(org, "branch_committee")["2026-04"].overdue
    assert not ComplianceFact.objects.filter(org_level__in=["committee", "general_branch"], meeting_type__code__in=BRANCH_TYPES).exists()
    county_region = Region.objects.get(code="360102")
    q2 = compliance_summary(user=county, region=county_region, selection=Selection(2026, quarter=2))
    # By 15 May, Q2 holds two monthly periods and one quarterly one: a branch owes all five types (8 periods), a
    # 党委 or 党总支 only 党课 and 主题党日 (3); the 党委's 支部委员会 is not counted as held.
    assert q2["required"] == 2 * 8 + 2 * 3 and q2["held"] == 0
    # required_and_held agrees: a 党委 is not asked for the branch's meetings, a 党支部 is.
    assert {row["type"].code for row in selectors.required_and_held(committee, year=2026)} == {
        t.code for t in MeetingType.objects.all()
    } - BRANCH_TYPES
    assert {row["type"].code for row in selectors.required_and_held(provisional, year=2026)} >= BRANCH_TYPES
    # The overdue list does not name the 党委 for 支部委员会.
    page = client_for("county").get(reverse("life:compliance_overdue"), {"year": 2026, "meeting_type": kind("branch_committee").pk})
    assert "滕王阁街道党委" not in page.content.decode() and "滕王阁快递党支部" in page.content.decode()


def test_a_meeting_of_a_type_not_required_keeps_the_rollups_equal_to_a_rebuild(personas, branch):
    county = personas["county"]
    committee = party_org(county, name="滕王阁街道党委", level="committee")
    compliance.rebuild_all()
    today = timezone.localdate()
    meeting = make_meeting(county, committee, meeting_type=kind("branch_committee"), starts_at=aware(today.replace(day=1)))
    make_meeting(county, committee, meeting_type=kind("theme_day"), starts_at=aware(today.replace(day=1)))
    make_meeting(county, branch, meeting_type=kind("branch_committee"), starts_at=aware(today.replace(day=1)))
    assert not records(committee, "branch_committee")
    assert records(committee, "theme_day")[compliance.period_of("monthly", today).key].met
    incremental = facts_snapshot()
    compliance.rebuild_all()
    assert facts_snapshot() == incremental
    Meeting.objects.get(pk=meeting.pk).delete()
    incremental = facts_snapshot()
    compliance.rebuild_all()
    assert facts_snapshot() == incremental


def test_the_meeting_types_page_shows_the_levels(personas, client_for):
    page = client_for("county").get(reverse("life:meeting_type_list")).content.decode()
    assert "党支部、临时党支部" in page and "各级党组织" in page


def test_the_migration_drops_what_a_committee_was_counted_for_a_branch_meeting(personas, branch):
    from django.apps import apps

    migration = importlib.import_module("sanxin.life.migrations.0004_meeting_type_levels")
    committee = party_org(personas["county"], name="滕王阁街道党委", level="committee")
    MeetingType.objects.filter(code__in=BRANCH_TYPES).update(levels=[])  # as before the migration
    compliance.rebuild_all()
    assert records(committee, "branch_committee")
    migration.set_branch_only(apps, None)
    assert not records(committee, "branch_committee") and records(branch, "branch_committee")
    migrated = facts_snapshot()
    compliance.rebuild_all()
    assert facts_snapshot() == migrated
