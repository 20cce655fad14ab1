"""Instructors: assignments give work coverage, visits, who sees whom, exports."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxin.census.models import CENSUS_ITEMS
from sanxin.core.models import AuditEvent
from sanxin.instructors import services as instructor_services
from sanxin.instructors.models import Instructor
from sanxin.orgs.models import CoverageState
from tests.conftest import PASSWORD
from tests.orgs_factories import make_org, xlsx_text

TODAY = timezone.localdate()
ITEMS = {key: f"{label}：正常" for key, label in CENSUS_ITEMS}


# -- instructors -------------------------------------------------------------------


def instructor(personas):
    return instructor_services.instructor_create(actor=personas["county"], name="郭明亮", kind="instructor", unit=personas["county"].unit)


def test_active_assignment_gives_work_coverage_and_ending_removes_it(personas):
    org = make_org(personas["county"])
    a = instructor_services.assignment_create(actor=personas["county"], instructor=instructor(personas), organization=org, started_on=TODAY)
    org.refresh_from_db()
    assert org.coverage_state == CoverageState.WORK_COVERED
    instructor_services.assignment_end(actor=personas["county"], assignment=a, ended_on=TODAY - timedelta(days=0))
    from sanxin.coverage.compute import recompute_organizations

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
