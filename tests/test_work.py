"""Party organizations, instructors and census campaigns: the rules and their pages."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from sanxin.core.models import AuditEvent
from sanxin.orgs import census_services, instructor_services
from sanxin.orgs.models import CENSUS_ITEMS, CoverageState, Instructor, Todo
from sanxin.party.models import PartyOrganization
from sanxin.party.services import next_election_due, party_org_create, party_org_update
from sanxin.regions.models import Region
from tests.conftest import PASSWORD
from tests.orgs_factories import make_org

TODAY = timezone.localdate()
ITEMS = {key: f"{label}：正常" for key, label in CENSUS_ITEMS}


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c is not None)


def party_org(actor, name="测试党支部", covered=(), **fields):
    data = {
        "level": "branch",
        "establishment_form": "standalone",
        "region": Region.objects.get(code="360102002"),
        "founded_on": date(2020, 5, 1),
        "term_years": 3,
    }
    data.update(fields)
    return party_org_create(actor=actor, name=name, covered=covered, **data)


# -- Party organizations ---------------------------------------------------------


def test_standalone_party_org_gives_org_coverage_and_own(personas):
    org = make_org(personas["county"], formal_members=5, employees=60)
    assert org.should_establish
    party_org(personas["county"], covered=[org])
    org.refresh_from_db()
    assert org.coverage_state == CoverageState.ORG_COVERED and org.has_own_party_org and not org.should_establish


def test_joint_branch_covers_several_but_is_not_their_own(personas):
    a = make_org(personas["county"], formal_members=3, employees=10)
    b = make_org(personas["county"], formal_members=1, employees=10)
    party_org(personas["county"], name="联合党支部", covered=[a, b], establishment_form="joint")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.coverage_state == b.coverage_state == CoverageState.ORG_COVERED
    assert a.should_establish and not a.has_own_party_org  # 应建未建 stays: three members, no own organization


def test_dissolving_uncovers(personas):
    org = make_org(personas["county"])
    p = party_org(personas["county"], covered=[org])
    party_org_update(actor=personas["county"], party_org=p, status="dissolved")
    org.refresh_from_db()
    assert org.coverage_state == CoverageState.BLANK


def test_next_election_due_from_last_election_or_founding():
    assert next_election_due(founded_on=date(2020, 5, 1), last_election_on=None, term_years=3) == date(2023, 5, 1)
    assert next_election_due(founded_on=date(2020, 5, 1), last_election_on=date(2024, 2, 29), term_years=5) == date(2029, 2, 28)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"term_years": 4}, "任期应为 3 年或 5 年"),
        ({"level": "club"}, "层级"),
        ({"founded_on": TODAY + timedelta(days=1)}, "成立日期不能晚于今天"),
        ({"last_election_on": date(2019, 1, 1)}, "上次换届日期不能早于成立日期"),
    ],
)
def test_party_org_rules(personas, fields, message):
    with pytest.raises(ValidationError, match=message):
        party_org(personas["county"], **fields)


def test_party_org_cannot_be_its_own_ancestor(personas):
    top = party_org(personas["county"], name="党委", level="committee")
    child = party_org(personas["county"], name="支部", parent=top)
    with pytest.raises(ValidationError, match="不能是本组织或其下级"):
        party_org_update(actor=personas["county"], party_org=top, parent=child)


def test_duplicate_name_in_region_refused(personas):
    party_org(personas["county"])
    with pytest.raises(ValidationError, match="已有名为"):
        party_org(personas["county"])


def test_election_reminders_on_the_list(personas, client_for):
    overdue = party_org(personas["county"], name="超期党支部", founded_on=date(2019, 1, 1))
    soon = party_org(personas["county"], name="将到期党支部", founded_on=TODAY.replace(year=TODAY.year - 3) + timedelta(days=30))
    later = party_org(personas["county"], name="新党支部", founded_on=TODAY - timedelta(days=10))
    assert overdue.election_overdue and soon.election_due_soon and not later.election_due_soon
    client = client_for("county")
    page = client.get("/party/").content.decode()
    assert "1 个党组织已超期未换届" in page and "1 个党组织将在 90 天内到期换届" in page
    listed = client.get("/party/", {"election": "soon"}).content.decode()
    assert "将到期党支部" in listed and "超期党支部" not in listed
    assert "已超期" in client.get(f"/party/{overdue.pk}/").content.decode()


def test_party_org_form_refuses_codes_outside_scope(personas, client_for):
    outside = make_org(personas["other_county"], region="360103001001")
    response = client_for("county").post(
        "/party/new/",
        {
            "name": "越界党支部",
            "level": "branch",
            "establishment_form": "joint",
            "region": "360102002",
            "term_years": 3,
            "status": "active",
            "covered_codes": outside.credit_code,
        },
    )
    assert "不在您管辖的组织名录中" in response.content.decode()
    assert not PartyOrganization.objects.filter(name="越界党支部").exists()


def test_tree_shows_hierarchy(personas, client_for):
    top = party_org(personas["county"], name="东湖区快递行业党委", level="committee", establishment_form="industry")
    party_org(personas["county"], name="顺达快递党支部", parent=top)
    page = client_for("county").get("/party/tree/").content.decode()
    assert page.index("东湖区快递行业党委") < page.index("顺达快递党支部")
    assert "sx-depth-1" in page


# -- instructors -------------------------------------------------------------------


def instructor(personas):
    return instructor_services.instructor_create(actor=personas["county"], name="郭明亮", kind="instructor", unit=personas["county"].unit)


def test_active_assignment_gives_work_coverage_and_ending_removes_it(personas):
    org = make_org(personas["county"])
    a = instructor_services.assignment_create(actor=personas["county"], instructor=instructor(personas), organization=org, started_on=TODAY)
    org.refresh_from_db()
    assert org.coverage_state == CoverageState.WORK_COVERED
    instructor_services.assignment_end(actor=personas["county"], assignment=a, ended_on=TODAY - timedelta(days=0))
    from sanxin.orgs.coverage import recompute_organizations

    recompute_organizations([org.pk], today=TODAY + timedelta(days=1))
    org.refresh_from_db()
    assert org.coverage_state == CoverageState.BLANK


def test_overlapping_assignment_and_bad_dates_refused(personas):
    org = make_org(personas["county"])
    who = instructor(personas)
    instructor_services.assignment_create(actor=personas["county"], instructor=who, organization=org, started_on=TODAY)
    with pytest.raises(ValidationError, match="已选派"):
        instructor_services.assignment_create(
            actor=personas["county"], instructor=who, organization=org, started_on=TODAY + timedelta(days=5)
        )
    with pytest.raises(ValidationError, match="不能早于开始日期"):
        instructor_services.assignment_create(
            actor=personas["county"],
            instructor=who,
            organization=make_org(personas["county"]),
            started_on=TODAY,
            ended_on=TODAY - timedelta(days=1),
        )


def test_visit_rules(personas):
    org = make_org(personas["county"])
    a = instructor_services.assignment_create(
        actor=personas["county"], instructor=instructor(personas), organization=org, started_on=TODAY - timedelta(days=5)
    )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        instructor_services.visit_create(actor=personas["county"], assignment=a, visited_on=TODAY + timedelta(days=1), content="x")
    with pytest.raises(ValidationError, match="不在选派期间内"):
        instructor_services.visit_create(actor=personas["county"], assignment=a, visited_on=TODAY - timedelta(days=30), content="x")
    visit = instructor_services.visit_create(
        actor=personas["county"], assignment=a, visited_on=TODAY, content="指导建立党员活动室", problems="缺少制度上墙"
    )
    assert visit.problems == "缺少制度上墙"


def test_assignment_end_outside_scope_is_404(personas, client_for):
    org = make_org(personas["county"])
    a = instructor_services.assignment_create(actor=personas["county"], instructor=instructor(personas), organization=org, started_on=TODAY)
    assert client_for("other_county").post(f"/assignments/{a.pk}/end/").status_code == 404
    assert client_for("county").post(f"/assignments/{a.pk}/end/").status_code == 302
    assert Instructor.objects.get(pk=a.instructor_id).assignments.get().ended_on == TODAY


# -- census ------------------------------------------------------------------------


def campaign(personas, **fields):
    data = {
        "name": "东湖区两新组织集中摸排",
        "region": Region.objects.get(code="360102"),
        "starts_on": TODAY - timedelta(days=10),
        "ends_on": TODAY + timedelta(days=20),
    }
    data.update(fields)
    return census_services.census_campaign_create(actor=personas["county"], **data)


def test_census_meeting_the_condition_raises_a_todo_once(personas):
    org = make_org(personas["county"], employees=40)
    c = campaign(personas)
    census_services.census_record_save(
        actor=personas["county"], campaign=c, organization=org, censused_on=TODAY, employees=40, formal_members=4, **ITEMS
    )
    org.refresh_from_db()
    assert org.formal_members == 4 and org.should_establish
    assert Todo.objects.filter(organization=org, status="open").count() == 1
    census_services.census_record_save(
        actor=personas["county"], campaign=c, organization=org, censused_on=TODAY, employees=40, formal_members=5, **ITEMS
    )
    assert Todo.objects.filter(organization=org, status="open").count() == 1
    assert census_services.campaign_progress(c, user=personas["county"]) == {"total": 1, "done": 1, "rate": 1.0}


def test_census_below_condition_raises_nothing(personas):
    org = make_org(personas["county"])
    census_services.census_record_save(
        actor=personas["county"], campaign=campaign(personas), organization=org, censused_on=TODAY, employees=40, formal_members=2, **ITEMS
    )
    assert not Todo.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"censused_on": TODAY + timedelta(days=1)}, "不能晚于今天"),
        ({"censused_on": TODAY - timedelta(days=11)}, "应在行动期间"),
        ({"operation": " "}, "经营运行情况"),
        ({"formal_members": 50}, "不能多于从业人员数"),
    ],
)
def test_census_rules(personas, change, message):
    org = make_org(personas["county"])
    data = {"censused_on": TODAY, "employees": 40, "formal_members": 1, **ITEMS, **change}
    with pytest.raises(ValidationError, match=message):
        census_services.census_record_save(actor=personas["county"], campaign=campaign(personas), organization=org, **data)


def test_census_refuses_org_outside_campaign(personas):
    outside = make_org(personas["other_county"], region="360103001001")
    with pytest.raises(ValidationError, match="不在本次摸排范围内"):
        census_services.census_record_save(
            actor=personas["county"],
            campaign=campaign(personas),
            organization=outside,
            censused_on=TODAY,
            employees=1,
            formal_members=0,
            **ITEMS,
        )


def test_campaign_outside_scope_and_bad_dates_refused(personas):
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        campaign(personas, region=Region.objects.get(code="360103"))
    with pytest.raises(ValidationError, match="截止日期不能早于开始日期"):
        campaign(personas, ends_on=TODAY - timedelta(days=20))


def test_census_record_outside_scope_is_404(personas, client_for):
    org = make_org(personas["county"])
    c = campaign(personas)
    assert client_for("other_county").get(f"/census/{c.pk}/orgs/{org.pk}/").status_code == 404
    assert client_for("county").get(f"/census/{c.pk}/orgs/{org.pk}/").status_code == 200


def test_census_page_progress_and_form(personas, client_for):
    org = make_org(personas["county"], name="待摸排有限公司")
    c = campaign(personas)
    client = client_for("county")
    page = client.get(f"/census/{c.pk}/").content.decode()
    assert "待摸排有限公司" in page and "未摸排" in page and "0/1" in page
    response = client.post(
        f"/census/{c.pk}/orgs/{org.pk}/",
        {"censused_on": TODAY.isoformat(), "employees": 30, "formal_members": 3, "probationary_members": 0, **ITEMS},
    )
    assert response.status_code == 302
    page = client.get(f"/census/{c.pk}/").content.decode()
    assert "1/1" in page and "符合单独组建条件" in page


def test_instructor_sees_and_logs_only_own_assignments(personas, client_for):
    mine, other = make_org(personas["county"], name="我联系的企业"), make_org(personas["county"], name="别人联系的企业")
    me = instructor_services.instructor_create(
        actor=personas["county"], name="郭明亮", kind="instructor", unit=personas["county"].unit, user=personas["instructor"]
    )
    colleague = instructor_services.instructor_create(actor=personas["county"], name="彭晓梅", kind="liaison", unit=personas["county"].unit)
    a = instructor_services.assignment_create(actor=personas["county"], instructor=me, organization=mine, started_on=TODAY)
    b = instructor_services.assignment_create(actor=personas["county"], instructor=colleague, organization=other, started_on=TODAY)
    client = client_for("instructor")
    page = client.get("/orgs/").content.decode()
    assert "我联系的企业" in page and "别人联系的企业" not in page
    response = client.post(f"/assignments/{a.pk}/visit/", {"visited_on": TODAY.isoformat(), "content": "指导组建党支部"})
    assert response.status_code == 302 and a.visits.count() == 1
    assert client.post(f"/assignments/{b.pk}/visit/", {"visited_on": TODAY.isoformat(), "content": "x"}).status_code == 404
    assert client.get(f"/orgs/{mine.pk}/edit/").status_code == 404  # viewing is not editing


# -- instructors within a narrowed scope ---------------------------------------------------


def test_industry_and_zone_committees_see_the_instructors_of_their_line(personas, client_for, demo_zone):
    express = make_org(personas["county"], name="快递网点", industry="6020", zone=demo_zone)
    internet = make_org(personas["county"], name="网络公司", industry="64")
    county = personas["county"]
    on_express = instructor_services.instructor_create(actor=county, name="快递线指导员", kind="instructor", unit=county.unit)
    on_internet = instructor_services.instructor_create(actor=county, name="互联网线指导员", kind="instructor", unit=county.unit)
    instructor_services.assignment_create(actor=county, instructor=on_express, organization=express, started_on=TODAY)
    instructor_services.assignment_create(actor=county, instructor=on_internet, organization=internet, started_on=TODAY)
    own = instructor_services.instructor_create(
        actor=personas["industry"], name="行业党委指导员", kind="liaison", unit=personas["industry"].unit
    )
    for persona in ("industry", "zone"):
        page = client_for(persona).get("/instructors/").content.decode()
        assert ">快递线指导员<" in page and ">互联网线指导员<" not in page, persona
        assert client_for(persona).get(f"/instructors/{on_internet.pk}/").status_code == 404
    assert ">行业党委指导员<" in client_for("industry").get("/instructors/").content.decode()  # its own, before any assignment
    assert client_for("industry").get(f"/instructors/{own.pk}/").status_code == 200
    page = client_for("county").get("/instructors/").content.decode()
    assert ">快递线指导员<" in page and ">互联网线指导员<" in page


def test_instructor_unit_must_be_of_the_line(personas, client_for):
    with pytest.raises(ValidationError, match="派出单位不在您的管辖范围内"):
        instructor_services.instructor_create(actor=personas["industry"], name="越界", kind="instructor", unit=personas["county"].unit)
    page = client_for("industry").get("/instructors/new/").content.decode()
    assert personas["industry"].unit.name in page and personas["county"].unit.name not in page


def test_assignment_to_an_organization_outside_the_scope_is_refused(personas, client_for):
    outside = make_org(personas["other_county"], region="360103001001")
    who = instructor(personas)
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        instructor_services.assignment_create(actor=personas["county"], instructor=who, organization=outside, started_on=TODAY)
    page = (
        client_for("county")
        .post(f"/instructors/{who.pk}/", {"credit_code": outside.credit_code, "started_on": TODAY.isoformat()})
        .content.decode()
    )
    assert f"统一社会信用代码 {outside.credit_code} 不在您管辖的组织名录中" in page
    assert 'hx-get="/orgs/lookup/?field=credit_code"' in page


def test_instructor_exports(personas, client_for):
    org = make_org(personas["county"], name="走访过的企业")
    who = instructor(personas)
    a = instructor_services.assignment_create(actor=personas["county"], instructor=who, organization=org, started_on=TODAY)
    instructor_services.visit_create(actor=personas["county"], assignment=a, visited_on=TODAY, content="宣讲政策", problems="缺场地")
    instructor_services.assignment_create(
        actor=personas["county"], instructor=who, organization=make_org(personas["county"], name="未走访企业"), started_on=TODAY
    )
    client = client_for("county")
    assert "/instructors/export/" in client.get("/instructors/").content.decode()
    assert f"/instructors/{who.pk}/export/" in client.get(f"/instructors/{who.pk}/").content.decode()
    assert client.post("/instructors/export/", {"password": "wrong"}).status_code == 400
    assert "郭明亮" in xlsx_text(client.post("/instructors/export/", {"password": PASSWORD}).content)
    text = xlsx_text(client.post(f"/instructors/{who.pk}/export/", {"password": PASSWORD}).content)
    assert "走访过的企业" in text and "宣讲政策" in text and "缺场地" in text and "未走访企业" in text
    assert AuditEvent.objects.filter(action="instructor.export", outcome="success").count() == 2
    assert AuditEvent.objects.filter(action="instructor.export", outcome="denied").count() == 1


# -- census: progress within the scope, the list exported -------------------------------------


def test_census_progress_counts_only_the_users_scope(personas, client_for):
    express, internet = make_org(personas["county"], industry="6020"), make_org(personas["county"], industry="64")
    c = campaign(personas)
    census_services.census_record_save(
        actor=personas["county"], campaign=c, organization=internet, censused_on=TODAY, employees=40, formal_members=0, **ITEMS
    )
    assert census_services.campaign_progress(c, user=personas["county"]) == {"total": 2, "done": 1, "rate": 0.5}
    assert census_services.campaign_progress(c, user=personas["industry"]) == {"total": 1, "done": 0, "rate": 0.0}
    assert "0/1" in client_for("industry").get(f"/census/{c.pk}/").content.decode()
    assert "0/1" in client_for("industry").get("/census/").content.decode()
    assert express.pk


def test_census_list_export(personas, client_for):
    c = campaign(personas)
    make_org(personas["county"])
    client = client_for("county")
    assert "/census/export/" in client.get("/census/").content.decode()
    text = xlsx_text(client.post("/census/export/", {"password": PASSWORD}).content)
    assert c.name in text and "东湖区" in text
    assert AuditEvent.objects.filter(action="census.export", outcome="success").exists()


# -- to-dos ------------------------------------------------------------------------------------


def open_todo(personas, name="应建企业"):
    org = make_org(personas["county"], name=name, employees=40)
    census_services.census_record_save(
        actor=personas["county"], campaign=campaign(personas), organization=org, censused_on=TODAY, employees=40, formal_members=4, **ITEMS
    )
    return Todo.objects.get(organization=org)


def test_todo_close_rules(personas):
    todo = open_todo(personas)
    with pytest.raises(ValidationError, match="请填写办结说明"):
        census_services.todo_close(actor=personas["county"], todo=todo, note="  ")
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        census_services.todo_close(actor=personas["other_county"], todo=todo, note="越权办结")
    census_services.todo_close(actor=personas["county"], todo=todo, note="已单独组建党支部")
    todo.refresh_from_db()
    assert (todo.status, todo.closed_on, todo.closed_by, todo.close_note) == ("done", TODAY, personas["county"], "已单独组建党支部")
    event = AuditEvent.objects.get(action="todo.close")
    assert event.detail["note"] == "已单独组建党支部" and event.object_id == str(todo.pk)
    with pytest.raises(ValidationError, match="该待办已办结"):
        census_services.todo_close(actor=personas["county"], todo=todo, note="再次办结")


def test_todo_list_closes_filters_and_exports(personas, client_for):
    todo = open_todo(personas, name="待办企业")
    client = client_for("county")
    page = client.get("/todos/").content.decode()
    assert f"/todos/{todo.pk}/close/" in page and "/todos/export/?status=open" in page
    assert "请填写办结说明" in client.post(f"/todos/{todo.pk}/close/", {"note": ""}).content.decode()
    assert client_for("other_county").post(f"/todos/{todo.pk}/close/", {"note": "x"}).status_code == 404
    assert client.post(f"/todos/{todo.pk}/close/", {"note": "已组建"}).status_code == 302
    assert ">待办企业<" not in client.get("/todos/").content.decode()  # open ones by default
    page = client.get("/todos/", {"status": "done"}).content.decode()
    assert ">待办企业<" in page and "已组建" in page and f"/todos/{todo.pk}/close/" not in page
    assert ">待办企业<" in client.get("/todos/", {"status": ""}).content.decode()
    text = xlsx_text(client.post("/todos/export/?status=done", {"password": PASSWORD}).content)
    assert "待办企业" in text and "已组建" in text
    assert "待办企业" not in xlsx_text(client.post("/todos/export/", {"password": PASSWORD}).content)


def test_todo_closes_by_itself_once_the_party_organization_is_established(personas, client_for):
    """However it is established (form, import, a founding date reached): the coverage pass closes it."""
    todo = open_todo(personas, name="组建中企业")
    org = todo.organization
    # A joint branch covering it is not its own Party organization: the to-do stays open.
    party_org_create(
        actor=personas["county"],
        name="联合党支部",
        level="branch",
        establishment_form="joint",
        region=Region.objects.get(code="360102002"),
        covered=[org],
    )
    todo.refresh_from_db()
    assert todo.status == "open"
    party_org_create(
        actor=personas["county"],
        name="组建中企业党支部",
        level="branch",
        establishment_form="standalone",
        region=Region.objects.get(code="360102002001"),
        founded_on=TODAY,
        covered=[org],
    )
    todo.refresh_from_db()
    assert todo.status == "done" and todo.closed_on == TODAY and todo.closed_by is None
    assert "组建中企业党支部" in todo.close_note and "自动办结" in todo.close_note
    event = AuditEvent.objects.get(action="todo.close", object_id=str(todo.pk))
    assert event.actor_name == "system" and event.detail["new"] == "done"
    page = client_for("county").get("/todos/?status=done").content.decode()
    assert "组建中企业党支部" in page
