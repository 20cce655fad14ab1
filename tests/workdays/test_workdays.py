"""The one working-day calendar: chinesecalendar's holidays and 调休, the administrator's table over it, weekdays for a
year the package does not know; the table's page and API for the system administrator only, every change audited."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from sanxin.core.guards import Refused
from sanxin.core.models import AuditEvent
from sanxin.workdays.calendar import MAX_WORKDAYS, WorkCalendar, add_workdays, package_knows, workdays_between
from sanxin.workdays.models import DayAdjustment
from sanxin.workdays.services import workday_adjustment_delete, workday_adjustment_save


def test_the_package_s_holidays_and_make_up_days(db):
    assert workdays_between(date(2025, 10, 1), date(2025, 10, 8)) == 0  # National Day and Mid-autumn, 8 days off
    assert workdays_between(date(2025, 9, 28), date(2025, 9, 28)) == 1  # a Sunday worked (调休上班)
    assert workdays_between(date(2025, 10, 11), date(2025, 10, 12)) == 1  # Saturday worked, Sunday off
    assert workdays_between(date(2025, 10, 9), date(2025, 10, 1)) == 0  # backwards: none
    # Five working days from Tuesday 30 September 2025: 9, 10, 11 (Saturday worked), 13 and 14 October.
    assert add_workdays(date(2025, 9, 30), 5) == date(2025, 10, 14)


def test_a_year_the_package_does_not_know_counts_weekdays_and_the_table(db, personas):
    year = 2027
    if package_knows(year):
        pytest.skip("the installed chinesecalendar already ships 2027")  # the table's rule is tested below either way
    assert workdays_between(date(2027, 1, 1), date(2027, 1, 10)) == 6  # Fri 1, Mon 4 to Fri 8 … no holiday known
    workday_adjustment_save(actor=personas["sysadmin"], day=date(2027, 1, 1), is_workday=False, name="元旦")
    assert workdays_between(date(2027, 1, 1), date(2027, 1, 10)) == 5


def test_the_table_wins_over_the_package(db, personas):
    admin = personas["sysadmin"]
    workday_adjustment_save(actor=admin, day=date(2025, 10, 8), is_workday=True, name="", note="假设的更正通知")
    workday_adjustment_save(actor=admin, day=date(2025, 9, 30), is_workday=False, name="国庆节")
    assert workdays_between(date(2025, 9, 29), date(2025, 10, 9)) == 3  # 29 Sept, 8 Oct (entered), 9 Oct
    calendar = WorkCalendar(date(2025, 9, 1), date(2025, 10, 31))
    assert calendar.is_workday(date(2025, 10, 8)) and not calendar.is_workday(date(2025, 9, 30))


def test_only_the_system_administrator_writes_and_each_write_is_audited(db, personas):
    with pytest.raises(Refused):
        workday_adjustment_save(actor=personas["province"], day=date(2026, 10, 9), is_workday=False)
    assert not DayAdjustment.objects.exists()
    admin = personas["sysadmin"]
    entry = workday_adjustment_save(actor=admin, day=date(2026, 10, 9), is_workday=False, name="测试")
    workday_adjustment_save(actor=admin, day=date(2026, 10, 9), is_workday=True, name="测试", note="更正")  # replaces it
    assert DayAdjustment.objects.get().is_workday
    events = list(AuditEvent.objects.filter(action="workday_adjustment_save").order_by("pk"))
    assert events[0].detail["new"]["is_workday"] is False
    assert events[1].detail["changes"] == {"is_workday": {"old": False, "new": True}, "note": {"old": "", "new": "更正"}}
    with pytest.raises(Refused):
        workday_adjustment_delete(actor=personas["county"], adjustment=entry)
    workday_adjustment_delete(actor=admin, adjustment=DayAdjustment.objects.get())
    assert not DayAdjustment.objects.exists() and AuditEvent.objects.filter(action="workday_adjustment_delete").count() == 1


def test_bounds_are_refused_in_chinese(db, personas):
    admin = personas["sysadmin"]
    with pytest.raises(ValidationError, match="日期应在 2000 年至"):
        workday_adjustment_save(actor=admin, day=date(1999, 12, 31), is_workday=False)
    with pytest.raises(ValidationError, match="日期应在 2000 年至"):
        workday_adjustment_save(actor=admin, day=date(9999, 1, 1), is_workday=False)
    with pytest.raises(ValidationError, match="节日名称不能超过 20 个字"):
        workday_adjustment_save(actor=admin, day=date(2026, 1, 1), is_workday=False, name="节" * 21)
    with pytest.raises(ValueError, match="工作日数应在 1 到"):
        add_workdays(date(2026, 1, 1), MAX_WORKDAYS + 1)
    assert not DayAdjustment.objects.exists()


def test_the_page_for_the_administrator_and_nobody_else(client_for):
    admin = client_for("sysadmin")
    page = admin.get("/workdays/?year=2025").content.decode()
    assert "国庆节" in page and "2025-09-28" in page and "调休上班" in page and "系统自带" in page
    response = admin.post("/workdays/?year=2025", {"day": "2025-10-08", "is_workday": "1", "name": "", "note": "更正通知"})
    assert response.status_code == 302
    page = admin.get("/workdays/?year=2025").content.decode()
    assert "管理员录入" in page and "更正通知" in page
    empty = admin.post("/workdays/", {}).content.decode()
    assert "这个字段是必填项" in empty
    assert DayAdjustment.objects.count() == 1
    for persona in ("province", "county", "secretary", "member", "auditadmin"):
        client = client_for(persona)
        assert client.get("/workdays/").status_code == 404, persona  # as for every page outside one's capabilities
        assert client.post(f"/workdays/{DayAdjustment.objects.get().pk}/delete/").status_code == 404, persona
    assert DayAdjustment.objects.count() == 1
    admin.post(f"/workdays/{DayAdjustment.objects.get().pk}/delete/")
    assert not DayAdjustment.objects.exists()
    assert admin.post("/workdays/99999/delete/").status_code == 404


def test_the_api_reads_for_everyone_and_writes_for_the_administrator(client_for):
    county = client_for("county")
    data = county.get("/api/v1/workdays?year=2025").json()
    assert data["known"] and {"day": "2025-10-01", "is_workday": False, "name": "国庆节", "source": "package", "id": None} in data["days"]
    body = json.dumps({"day": "2025-10-08", "is_workday": True, "note": "更正"})
    assert county.post("/api/v1/workdays", body, content_type="application/json").status_code == 403
    admin = client_for("sysadmin")
    response = admin.post("/api/v1/workdays", body, content_type="application/json")
    assert response.status_code == 201
    entry = next(d for d in response.json()["days"] if d["day"] == "2025-10-08")
    assert entry["source"] == "table" and entry["is_workday"]
    assert county.delete(f"/api/v1/workdays/{entry['id']}").status_code == 403
    assert admin.delete(f"/api/v1/workdays/{entry['id']}").status_code == 200 and not DayAdjustment.objects.exists()
    assert admin.get("/api/v1/workdays?year=1999").status_code == 422
