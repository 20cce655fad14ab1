"""Instructors, assignments and visits over the API: the pages' services, the same scope."""

import json
from datetime import timedelta

from django.utils import timezone

from sanxin.accounts.models import Unit
from sanxin.core.models import AuditEvent
from sanxin.instructors import services as instructor_services
from sanxin.instructors.models import Instructor, InstructorAssignment, InstructorVisit
from tests.orgs_factories import make_org

TODAY = timezone.localdate()


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def county_unit(personas) -> Unit:
    return personas["county"].unit


def test_an_instructor_is_created_assigned_visited_and_ended(personas, client_for):
    org = make_org(personas["county"], name="民巷快递有限公司")
    county = client_for("county")
    created = post(county, "/api/v1/instructors", {"name": "王建国", "unit": county_unit(personas).pk, "title": "组织员"})
    assert created.status_code == 201, created.content
    instructor = created.json()
    assert instructor["unit_name"] == "东湖区委两新工委" and instructor["active_assignments"] == 0
    assigned = post(
        county, f"/api/v1/instructors/{instructor['id']}/assignments", {"credit_code": org.credit_code, "started_on": str(TODAY)}
    )
    assert assigned.status_code == 201, assigned.content
    assignment = assigned.json()
    assert assignment["organization"]["name"] == "民巷快递有限公司" and assignment["active"] is True
    org.refresh_from_db()
    assert org.coverage_state == "work"  # the same service: the assignment brings work coverage
    assert county.get(f"/api/v1/instructors/{instructor['id']}").json()["active_assignments"] == 1
    visit = post(county, f"/api/v1/assignments/{assignment['id']}/visits", {"visited_on": str(TODAY), "content": "指导建立联络员制度"})
    assert visit.status_code == 201 and visit.json()["content"] == "指导建立联络员制度"
    detail = county.get(f"/api/v1/assignments/{assignment['id']}").json()
    assert [v["content"] for v in detail["visits"]] == ["指导建立联络员制度"]
    ended = post(county, f"/api/v1/assignments/{assignment['id']}/end", {})
    assert ended.status_code == 200 and ended.json()["ended_on"] == str(TODAY)
    again = post(county, f"/api/v1/assignments/{assignment['id']}/end", {})
    assert again.status_code == 422 and again.json()["errors"] == [{"loc": ["ended_on"], "msg": "该选派已结束", "type": "refused"}]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"instructor_create", "assignment_create", "visit_create", "assignment_end"} <= actions


def test_refusals_name_the_field_in_chinese(personas, client_for):
    org = make_org(personas["county"])
    west = make_org(personas["other_county"], region="360103001001")
    instructor = instructor_services.instructor_create(actor=personas["county"], name="李明", kind="instructor", unit=county_unit(personas))
    county = client_for("county")
    url = f"/api/v1/instructors/{instructor.pk}/assignments"
    outside = post(county, url, {"credit_code": west.credit_code, "started_on": str(TODAY)})
    assert outside.json()["errors"] == [
        {"loc": ["credit_code"], "msg": f"统一社会信用代码 {west.credit_code} 不在您管辖的组织名录中", "type": "refused"}
    ]
    backwards = post(county, url, {"credit_code": org.credit_code, "started_on": str(TODAY), "ended_on": str(TODAY - timedelta(days=1))})
    assert backwards.json()["errors"] == [{"loc": ["ended_on"], "msg": "结束日期不能早于开始日期", "type": "refused"}]
    post(county, url, {"credit_code": org.credit_code, "started_on": str(TODAY - timedelta(days=30))})
    overlap = post(county, url, {"credit_code": org.credit_code, "started_on": str(TODAY)})
    assert overlap.status_code == 422 and "在该期间已选派到" in overlap.json()["detail"]
    other_unit = personas["other_county"].unit
    unit = post(county, "/api/v1/instructors", {"name": "越界", "unit": other_unit.pk})
    assert unit.json()["errors"] == [
        {"loc": ["unit"], "msg": f"派出单位编号“{other_unit.pk}”不存在或不在您的管辖范围内", "type": "refused"}
    ]
    blank = post(county, "/api/v1/instructors", {"name": "", "unit": county_unit(personas).pk})
    assert blank.status_code == 422 and blank.json()["errors"][0]["msg"] == "至少 1 个字符"
    assignment = InstructorAssignment.objects.get()
    future = post(county, f"/api/v1/assignments/{assignment.pk}/visits", {"visited_on": str(TODAY + timedelta(days=1)), "content": "x"})
    assert future.json()["errors"] == [{"loc": ["visited_on"], "msg": "走访日期不能晚于今天", "type": "refused"}]
    assert InstructorAssignment.objects.count() == 1 and Instructor.objects.count() == 1 and not InstructorVisit.objects.exists()


def test_outside_the_scope_is_404_and_nothing_is_written(personas, client_for):
    org = make_org(personas["county"], region="360102004001")
    instructor = instructor_services.instructor_create(actor=personas["county"], name="李明", kind="instructor", unit=county_unit(personas))
    assignment = instructor_services.assignment_create(actor=personas["county"], instructor=instructor, organization=org, started_on=TODAY)
    for persona in ("other_county", "outsider", "township"):  # 滕王阁街道 sees neither the county's instructor there nor the firm
        client = client_for(persona)
        assert client.get(f"/api/v1/instructors/{instructor.pk}").status_code == 404, persona
        assert client.get(f"/api/v1/assignments/{assignment.pk}").status_code == 404
        assert post(client, f"/api/v1/assignments/{assignment.pk}/end", {}).status_code == 404
        assert post(client, f"/api/v1/assignments/{assignment.pk}/visits", {"visited_on": str(TODAY), "content": "越权"}).status_code == 404
        response = post(
            client, f"/api/v1/instructors/{instructor.pk}/assignments", {"credit_code": org.credit_code, "started_on": str(TODAY)}
        )
        assert response.status_code == 404 and response.json() == {"detail": "未找到"}
    assert client_for("member").get("/api/v1/instructors").status_code == 404
    assert post(client_for("member"), "/api/v1/instructors", {"name": "无权", "unit": county_unit(personas).pk}).status_code == 403
    assignment.refresh_from_db()
    assert assignment.ended_on is None and not InstructorVisit.objects.exists() and InstructorAssignment.objects.count() == 1


def test_an_instructor_sees_and_logs_only_their_own(personas, client_for):
    mine = make_org(personas["county"], name="我联系的企业")
    other = make_org(personas["county"], name="别人联系的企业")
    me = instructor_services.instructor_create(
        actor=personas["county"], name="本人", kind="instructor", unit=county_unit(personas), user=personas["instructor"]
    )
    colleague = instructor_services.instructor_create(actor=personas["county"], name="同事", kind="instructor", unit=county_unit(personas))
    own = instructor_services.assignment_create(actor=personas["county"], instructor=me, organization=mine, started_on=TODAY)
    theirs = instructor_services.assignment_create(actor=personas["county"], instructor=colleague, organization=other, started_on=TODAY)
    client = client_for("instructor")
    assert [i["name"] for i in client.get("/api/v1/instructors").json()["items"]] == ["本人"]
    assert client.get(f"/api/v1/instructors/{colleague.pk}").status_code == 404
    assert post(client, f"/api/v1/assignments/{own.pk}/visits", {"visited_on": str(TODAY), "content": "上门指导"}).status_code == 201
    assert post(client, f"/api/v1/assignments/{theirs.pk}/visits", {"visited_on": str(TODAY), "content": "越权"}).status_code == 404
    assert post(client, f"/api/v1/assignments/{own.pk}/end", {}).status_code == 404  # ending is for the staff who manage
    assert post(client, "/api/v1/instructors", {"name": "自己加的", "unit": county_unit(personas).pk}).status_code == 403
    assert list(InstructorVisit.objects.values_list("content", flat=True)) == ["上门指导"]


def test_list_searches_by_name(personas, client_for):
    for name in ("王建国", "李明"):
        instructor_services.instructor_create(actor=personas["county"], name=name, kind="instructor", unit=county_unit(personas))
    client = client_for("county")
    assert [i["name"] for i in client.get("/api/v1/instructors?q=建国").json()["items"]] == ["王建国"]
    assert client.get("/api/v1/instructors?limit=1&offset=1").json()["count"] == 2
    assert client_for("other_county").get("/api/v1/instructors").json() == {"items": [], "count": 0}
