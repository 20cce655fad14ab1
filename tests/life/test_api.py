"""Meetings over the API: the page's filters and services, the same scope, attendance and a member's sign-in."""

import json
from datetime import timedelta

from django.utils import timezone

from sanxin.core.models import AuditEvent
from sanxin.life.api import MeetingOut
from sanxin.life.models import Meeting, MeetingType
from sanxin.life.services import sign_in_token
from tests.life.conftest import make_meeting


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def body(branch, **fields):
    starts = timezone.now() + timedelta(days=1)
    data = {
        "party_organization": branch.pk,
        "meeting_type": MeetingType.objects.get(code="branch_committee").pk,
        "topic": "九月支委会",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=1)).isoformat(),
        "mode": "online",
        "link": "腾讯会议 888-000-111",
    }
    return data | fields


def test_create_read_update_and_attendance(personas, client_for, branch, members):
    client = client_for("county")
    response = post(client, "/api/v1/meetings", body(branch))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["expected"] == 4 and {a["name"] for a in data["attendances"]} == {"胡书记", "林小勇", "王芳", "赵磊"}
    pk = data["id"]
    response = patch(client, f"/api/v1/meetings/{pk}", {"minutes": "研究发展党员工作", "topic": "九月支委会（改）"})
    assert response.status_code == 200 and response.json()["minutes"] == "研究发展党员工作"
    response = patch(
        client,
        f"/api/v1/meetings/{pk}/attendance",
        {"attendances": [{"member": members["local"].pk, "state": "leave", "leave_reason": ""}]},
    )
    assert response.status_code == 422 and "王芳：请假须填写请假事由" in text(response)
    response = patch(
        client,
        f"/api/v1/meetings/{pk}/attendance",
        {
            "attendances": [
                {"member": members["local"].pk, "state": "leave", "leave_reason": "产假"},
                {"member": members["pocket"].pk, "state": "online"},
            ]
        },
    )
    assert response.status_code == 200
    states = {a["name"]: (a["state"], a["leave_reason"]) for a in response.json()["attendances"]}
    assert states["王芳"] == ("leave", "产假") and states["赵磊"] == ("online", "")
    assert response.json()["attended"] == 1
    assert set(AuditEvent.objects.filter(action__startswith="meeting_").values_list("action", flat=True)) == {
        "meeting_create",
        "meeting_update",
        "meeting_attendance_update",
    }


def test_rules_and_scope(personas, client_for, branch, other_branch, members):
    response = post(client_for("county"), "/api/v1/meetings", body(branch, link=""))
    assert response.status_code == 422 and "线上会议须填写线上会议链接或会议号" in text(response)
    response = post(client_for("other_county"), "/api/v1/meetings", body(branch))
    assert response.status_code == 422 and "不存在或不在您的管辖范围内" in text(response)
    assert post(client_for("member"), "/api/v1/meetings", body(branch)).status_code == 403
    assert not Meeting.objects.exists()
    meeting = make_meeting(personas["county"], branch)
    other = client_for("other_county")
    assert other.get(f"/api/v1/meetings/{meeting.pk}").status_code == 404
    assert patch(other, f"/api/v1/meetings/{meeting.pk}", {"topic": "改"}).status_code == 404
    assert patch(other, f"/api/v1/meetings/{meeting.pk}/attendance", {"attendances": []}).status_code == 404
    assert client_for("member").get(f"/api/v1/meetings/{meeting.pk}").status_code == 200
    assert patch(client_for("member"), f"/api/v1/meetings/{meeting.pk}", {"topic": "改"}).status_code == 404


def test_filters_as_the_page(personas, client_for, branch, other_branch, members):
    march = timezone.make_aware(timezone.datetime(2026, 3, 20, 15, 0))
    make_meeting(personas["county"], branch, starts_at=march, topic="三月党课")
    make_meeting(personas["other_county"], other_branch, starts_at=march + timedelta(days=40), topic="西湖党课")
    client = client_for("province")

    def topics(query=""):
        return {m["topic"] for m in client.get(f"/api/v1/meetings{query}").json()["items"]}

    assert topics() == {"三月党课", "西湖党课"}
    assert topics(f"?party_org={branch.pk}") == {"三月党课"} and topics("?period=2026-Q2") == {"西湖党课"}
    assert client.get("/api/v1/meetings?period=三月").status_code == 422
    assert {m["topic"] for m in client_for("county").get("/api/v1/meetings").json()["items"]} == {"三月党课"}


def test_list_rows_are_what_the_schema_makes_of_them(personas, client_for, branch, members):
    make_meeting(personas["county"], branch)
    item = client_for("county").get("/api/v1/meetings").json()["items"][0]
    assert MeetingOut(**item).model_dump(mode="json") == item


def test_sign_in_by_code_and_by_token(personas, client_for, meeting, members):
    client = client_for("member")
    response = post(client, "/api/v1/meetings/sign-in", {"code": meeting.code})
    assert response.status_code == 200 and response.json()["state"] == "online"
    response = post(client, "/api/v1/meetings/sign-in", {"token": sign_in_token(meeting)})
    assert response.status_code == 422 and "无需重复签到" in text(response)
    response = post(client_for("secretary"), "/api/v1/meetings/sign-in", {"token": sign_in_token(meeting)})
    assert response.status_code == 200 and response.json()["state_label"] == "到会"
    response = post(client_for("county"), "/api/v1/meetings/sign-in", {"code": meeting.code})
    assert response.status_code == 422 and "未关联党员信息" in text(response)
    assert post(client, "/api/v1/meetings/sign-in", {}).status_code == 422


def test_times_without_an_offset_are_refused_naming_the_field(personas, client_for, branch, members):
    client = client_for("county")
    naive = (timezone.localtime() + timedelta(days=1)).replace(tzinfo=None, microsecond=0)
    for field, label in (("starts_at", "开始时间"), ("ends_at", "结束时间")):
        shifted = naive if field == "starts_at" else naive + timedelta(hours=1)
        response = post(client, "/api/v1/meetings", body(branch, **{field: shifted.isoformat()}))
        assert response.status_code == 422, response.content
        assert response.json()["errors"] == [
            {"loc": [field], "msg": f"{label}须带时区，如 2026-03-20T15:00:00+08:00（北京时间）", "type": "refused"}
        ]
    assert not Meeting.objects.exists()
    meeting = make_meeting(personas["county"], branch)
    response = patch(client, f"/api/v1/meetings/{meeting.pk}", {"ends_at": (naive + timedelta(hours=3)).isoformat()})
    assert response.status_code == 422 and "结束时间须带时区" in text(response)
    before = meeting.ends_at
    meeting.refresh_from_db()
    assert meeting.ends_at == before
    # With the offset (or Z) it is taken as written.
    aware = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    response = patch(
        client, f"/api/v1/meetings/{meeting.pk}", {"starts_at": aware.isoformat(), "ends_at": (aware + timedelta(hours=1)).isoformat()}
    )
    assert response.status_code == 200, response.content
    meeting.refresh_from_db()
    assert meeting.starts_at == aware
