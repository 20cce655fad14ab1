"""Census campaigns and to-dos: the rules and their pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxin.census import services as census_services
from sanxin.census.models import CENSUS_ITEMS, Todo
from sanxin.census.selectors import campaign_progress
from sanxin.core.models import AuditEvent, Notification
from sanxin.core.workflow import timeline
from sanxin.instructors import services as instructor_services
from sanxin.party.services import party_org_create
from sanxin.regions.models import Region
from tests.conftest import PASSWORD
from tests.orgs_factories import make_org, xlsx_text

TODAY = timezone.localdate()
ITEMS = {key: f"{label}：正常" for key, label in CENSUS_ITEMS}


# -- census ------------------------------------------------------------------------


def campaign(personas, **fields):
    data = {
        "name": "东湖区两新组织集中摸排",
        "region": Region.objects.get(code="360102"),
        "starts_on": TODAY - timedelta(days=10),
        "ends_on": TODAY + timedelta(days=20),
    }
    data.update(fields)
    created = census_services.census_campaign_create(actor=personas["county"], **data)
    return census_services.campaign_start(actor=personas["county"], campaign=created)


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
    assert campaign_progress(c, user=personas["county"]) == {"total": 1, "done": 1, "rate": 1.0}


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


# -- census: progress within the scope, the list exported -------------------------------------


def test_census_progress_counts_only_the_users_scope(personas, client_for):
    express, internet = make_org(personas["county"], industry="6020"), make_org(personas["county"], industry="64")
    c = campaign(personas)
    census_services.census_record_save(
        actor=personas["county"], campaign=c, organization=internet, censused_on=TODAY, employees=40, formal_members=0, **ITEMS
    )
    assert campaign_progress(c, user=personas["county"]) == {"total": 2, "done": 1, "rate": 0.5}
    assert campaign_progress(c, user=personas["industry"]) == {"total": 1, "done": 0, "rate": 0.0}
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
    event = AuditEvent.objects.get(action="todo_close")
    assert event.detail["note"] == "已单独组建党支部" and event.object_id == str(todo.pk)
    with pytest.raises(ValidationError, match="当前状态为“已办结”，不能办结"):
        census_services.todo_close(actor=personas["county"], todo=todo, note="再次办结")


def test_todo_list_closes_filters_and_exports(personas, client_for):
    todo = open_todo(personas, name="待办企业")
    client = client_for("county")
    page = client.get("/todos/").content.decode()
    assert f"/todos/{todo.pk}/" in page and "/todos/export/?status=open" in page
    assert "请填写办结说明" in client.post(f"/todos/{todo.pk}/", {"note": ""}).content.decode()
    assert client_for("other_county").post(f"/todos/{todo.pk}/", {"note": "x"}).status_code == 404
    assert client.post(f"/todos/{todo.pk}/", {"note": "已组建"}).status_code == 302
    assert ">待办企业<" not in client.get("/todos/").content.decode()  # open ones by default
    page = client.get("/todos/", {"status": "done"}).content.decode()
    assert ">待办企业<" in page and "已组建" in page
    detail = client.get(f"/todos/{todo.pk}/").content.decode()
    assert "办理过程" in detail and "已组建" in detail and 'name="note"' not in detail  # closed: no form, its process shown
    assert client.post(f"/todos/{todo.pk}/", {"note": "再办一次"}).status_code == 404
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
    event = AuditEvent.objects.get(action="todos_close_fulfilled", object_id=str(todo.pk))
    assert event.actor_name == "system" and event.detail["new"] == "done"
    page = client_for("county").get("/todos/?status=done").content.decode()
    assert "组建中企业党支部" in page


# -- the campaign's workflow (sanxin.core.workflow) ------------------------------------------


def draft(personas, **fields):
    data = {"name": "草稿行动", "region": Region.objects.get(code="360102"), "starts_on": TODAY, "ends_on": TODAY + timedelta(days=30)}
    return census_services.census_campaign_create(actor=personas["county"], **(data | fields))


def test_a_campaign_starts_as_a_draft_and_takes_no_census_until_started(personas, django_capture_on_commit_callbacks):
    org = make_org(personas["county"])
    c = draft(personas)
    assert c.status == "draft"
    with pytest.raises(ValidationError, match="不在进行中"):
        census_services.census_record_save(
            actor=personas["county"], campaign=c, organization=org, censused_on=TODAY, employees=10, formal_members=0, **ITEMS
        )
    with django_capture_on_commit_callbacks(execute=True):
        c = census_services.campaign_start(actor=personas["county"], campaign=c)
    assert c.status == "active" and c.started_at is not None
    [event] = timeline(c)
    assert (event.transition, event.from_state, event.to_state, event.actor) == ("start", "draft", "active", personas["county"])
    audit = AuditEvent.objects.get(action="campaign_start")
    assert audit.detail == {"transition": "start", "old": "draft", "new": "active"}
    # The staff of the units inside its region are told; the starter and staff elsewhere are not.
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"township", "community", "zone"} <= told and not told & {"county", "other_county", "outsider", "province", "instructor"}
    census_services.census_record_save(
        actor=personas["community"], campaign=c, organization=org, censused_on=TODAY, employees=10, formal_members=0, **ITEMS
    )


def test_each_step_is_refused_from_the_wrong_state_and_leaves_nothing(personas):
    c = draft(personas)
    with pytest.raises(ValidationError, match="当前状态为“未开始”，不能结束行动"):
        census_services.campaign_close(actor=personas["county"], campaign=c)
    c = census_services.campaign_start(actor=personas["county"], campaign=c)
    with pytest.raises(ValidationError, match="当前状态为“进行中”，不能开始摸排"):
        census_services.campaign_start(actor=personas["county"], campaign=c)  # a double click starts once
    with pytest.raises(ValidationError, match="不能撤销行动"):
        census_services.campaign_cancel(actor=personas["county"], campaign=c, note="不需要了")
    c = census_services.campaign_close(actor=personas["county"], campaign=c)
    assert c.status == "closed" and c.closed_at is not None
    org = make_org(personas["county"])
    with pytest.raises(ValidationError, match="不在进行中"):
        census_services.census_record_save(
            actor=personas["county"], campaign=c, organization=org, censused_on=TODAY, employees=10, formal_members=0, **ITEMS
        )
    assert [e.transition for e in timeline(c)] == ["start", "close"]


def test_a_campaign_past_its_end_cannot_start(personas):
    c = draft(personas, starts_on=TODAY - timedelta(days=30), ends_on=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError, match=r"截止日期.*已过，不能开始"):
        census_services.campaign_start(actor=personas["county"], campaign=c)
    c.refresh_from_db()
    assert c.status == "draft" and timeline(c) == [] and not AuditEvent.objects.filter(action="campaign_start").exists()


def test_cancelling_a_draft_needs_a_reason(personas):
    c = draft(personas)
    with pytest.raises(ValidationError, match="撤销行动时请填写原因"):
        census_services.campaign_cancel(actor=personas["county"], campaign=c, note="  ")
    c = census_services.campaign_cancel(actor=personas["county"], campaign=c, note="与市里的行动重复")
    assert c.status == "closed" and timeline(c)[0].note == "与市里的行动重复"


def test_only_the_starters_level_or_above_steps_a_campaign_and_only_staff_who_manage(personas):
    from django.core.exceptions import PermissionDenied

    c = draft(personas)
    with pytest.raises(ValidationError, match="只有发起单位及其上级"):
        census_services.campaign_start(actor=personas["township"], campaign=c)  # sees it, takes part, does not run it
    with pytest.raises(PermissionDenied):
        census_services.campaign_start(actor=personas["instructor"], campaign=c)
    assert census_services.campaign_start(actor=personas["city"], campaign=c).status == "active"


def test_the_daily_job_closes_campaigns_past_their_end(personas):
    from django.core.exceptions import PermissionDenied

    from sanxin.census.workflow import CAMPAIGN
    from sanxin.core.workflow import transition

    running = campaign(personas, ends_on=TODAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="尚未到截止日期"):
        transition(CAMPAIGN, running, "expire", actor=None, action="campaigns_expire")
    with pytest.raises(PermissionDenied):
        transition(CAMPAIGN, running, "expire", actor=personas["county"], action="campaigns_expire")  # the system's step
    assert census_services.campaigns_expire(today=TODAY + timedelta(days=1)) == 0  # its last day
    assert census_services.campaigns_expire(today=TODAY + timedelta(days=2)) == 1
    running.refresh_from_db()
    event = timeline(running)[-1]
    assert running.status == "closed" and event.actor is None and event.actor_name == "系统" and "已过" in event.note


def test_campaign_steps_outside_scope_are_404(personas, client_for):
    c = draft(personas)
    assert client_for("other_county").post(f"/census/{c.pk}/start/").status_code == 404
    assert client_for("instructor").post(f"/census/{c.pk}/start/").status_code == 404
    assert client_for("county").post(f"/census/{c.pk}/nonsense/").status_code == 404
    c.refresh_from_db()
    assert c.status == "draft"
    page = client_for("county").get(f"/census/{c.pk}/").content.decode()
    assert f"/census/{c.pk}/start/" in page and "办理过程" in page
    client_for("county").post(f"/census/{c.pk}/start/")
    page = client_for("county").get(f"/census/{c.pk}/").content.decode()
    assert "开始摸排" in page and "进行中" in page and f"/census/{c.pk}/close/" in page


def test_a_todo_closed_by_itself_tells_who_raised_it(personas, client_for, django_capture_on_commit_callbacks):
    todo = open_todo(personas, name="自动办结企业")
    with django_capture_on_commit_callbacks(execute=True):
        party_org_create(
            actor=personas["county"],
            name="自动办结企业党支部",
            level="branch",
            establishment_form="standalone",
            region=Region.objects.get(code="360102002001"),
            covered=[todo.organization],
        )
    note = Notification.objects.get(recipient=personas["county"])
    assert "自动办结企业" in note.title and note.link == f"/todos/{todo.pk}/"
    page = client_for("county").get("/messages/").content.decode()
    assert "自动办结企业" in page and "未读" in page
    client_for("county").post("/messages/read/", {"id": note.pk})
    note.refresh_from_db()
    assert note.read_at is not None
    assert client_for("township").post("/messages/read/", {"id": note.pk}).status_code == 302  # another's message: untouched
    steps = [(e.transition, e.actor_name) for e in timeline(todo)]
    assert steps == [("fulfil", "系统")]


def test_fulfilling_a_todo_needs_the_party_organization(personas):
    from sanxin.census.workflow import TODO
    from sanxin.core.workflow import transition

    todo = open_todo(personas, name="未组建企业")
    with pytest.raises(ValidationError, match="尚未单独组建党组织"):
        transition(TODO, todo, "fulfil", actor=None, action="todos_close_fulfilled")
