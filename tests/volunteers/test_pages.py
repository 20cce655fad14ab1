"""Staff pages (/volunteers/) and the worker's phone pages (/w/teams/), over HTTP; the API."""

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from sanxin.volunteers import selectors, services
from sanxin.volunteers.models import ServiceRecord, TeamMember, VolunteerTeam


@pytest.fixture
def phone(personas):
    client = Client()
    client.force_login(personas["worker"])
    return client


def today() -> str:
    return timezone.localdate().isoformat()


def test_staff_creates_a_team_adds_members_and_confirms_hours(client_for, worker):
    client = client_for("county")
    response = client.post("/volunteers/new/", {"name": "东湖红运先锋", "kind": "hongyun", "region": "360102", "is_active": "on"})
    team = VolunteerTeam.objects.get()
    assert response["Location"] == f"/volunteers/{team.pk}/"
    page = client.get(f"/volunteers/{team.pk}/").content.decode()
    assert worker.name in page  # a candidate of the county
    client.post(f"/volunteers/{team.pk}/members/", {"worker": str(worker.pk)})
    client.post(f"/volunteers/{team.pk}/members/", {"worker": str(worker.pk)})  # a double click
    assert TeamMember.objects.filter(team=team).count() == 1
    form = {"day": today(), "hours": "25", "work": "巡逻", "members": [worker.pk]}
    bad = client.post(f"/volunteers/{team.pk}/records/new/", form, follow=True)
    assert "不能超过 24 小时" in bad.content.decode() and not ServiceRecord.objects.exists()
    client.post(f"/volunteers/{team.pk}/records/new/", form | {"hours": "3", "work": "护送老人过马路"})
    record = ServiceRecord.objects.get()
    assert "护送老人过马路" in client.get("/volunteers/records/?status=submitted").content.decode()
    refused = client.post(f"/volunteers/records/{record.pk}/act/", {"action": "reject", "note": ""}, follow=True).content.decode()
    assert "请填写退回原因" in refused
    client.post(f"/volunteers/records/{record.pk}/act/", {"action": "confirm"})
    record.refresh_from_db()
    assert record.status == "confirmed"
    assert "3.0 人·小时" in client.get(f"/volunteers/{team.pk}/").content.decode()
    assert client.get("/volunteers/export/").status_code == 200
    client.post(f"/volunteers/{team.pk}/members/{worker.pk}/remove/")
    assert not selectors.is_member(team, worker)


def test_other_county_gets_404(client_for, county, team, worker):
    record = services.volunteer_record_submit(
        actor=county, team=team, day=timezone.localdate(), hours="2", work="巡逻", members=[worker.pk]
    )
    client = client_for("other_county")
    assert client.get(f"/volunteers/{team.pk}/").status_code == 404
    assert client.get(f"/volunteers/{team.pk}/edit/").status_code == 404
    assert client.post(f"/volunteers/{team.pk}/members/", {"worker": str(worker.pk)}).status_code == 404
    assert client.post(f"/volunteers/{team.pk}/members/{worker.pk}/remove/").status_code == 404
    assert client.post(f"/volunteers/{team.pk}/records/new/", {"hours": "1"}).status_code == 404
    assert client.post(f"/volunteers/records/{record.pk}/act/", {"action": "confirm"}).status_code == 404
    assert client.get(f"/volunteers/records/{record.pk}/").status_code == 404
    assert client_for("industry").post(f"/volunteers/records/{record.pk}/act/", {"action": "confirm"}).status_code == 404
    record.refresh_from_db()
    assert record.status == "submitted"


def test_worker_sees_team_hours_joins_and_leaves(phone, county, team, worker):
    record = services.volunteer_record_submit(
        actor=county, team=team, day=timezone.localdate(), hours="1.5", work="巡逻", members=[worker.pk]
    )
    services.record_confirm(actor=county, record=record)
    page = phone.get("/w/teams/").content.decode()
    assert team.name in page and "1.5 小时" in page
    own = phone.get(f"/w/teams/{team.pk}/").content.decode()
    assert "钱*" in own and "退出队伍" in own and "填报服务记录" not in own
    phone.post(f"/w/teams/{team.pk}/leave/")
    assert not selectors.is_member(team, worker)
    assert "加入队伍" in phone.get(f"/w/teams/{team.pk}/").content.decode()
    phone.post(f"/w/teams/{team.pk}/join/")
    phone.post(f"/w/teams/{team.pk}/join/")
    assert TeamMember.objects.filter(team=team, worker=worker, left_at__isnull=True).count() == 1


def test_leader_reports_from_the_phone(phone, county, team, worker):
    form = {"day": today(), "hours": "2", "work": "驿站值班", "members": [worker.pk]}
    assert phone.post(f"/w/teams/{team.pk}/records/new/", form).status_code == 403
    services.team_update(actor=county, team=team, leader=str(worker.pk))
    response = phone.post(f"/w/teams/{team.pk}/records/new/", form | {"hours": "２"})
    assert response.status_code == 302
    assert ServiceRecord.objects.get().hours == Decimal("2.0")


def test_worker_cannot_see_another_countys_team(phone, personas):
    theirs = services.volunteer_team_create(actor=personas["other_county"], name="西湖志愿服务队", kind="volunteer", region="360103")
    assert phone.get(f"/w/teams/{theirs.pk}/").status_code == 404
    assert phone.post(f"/w/teams/{theirs.pk}/join/").status_code == 404


def test_staff_cannot_use_worker_pages(client_for):
    assert client_for("county").get("/w/teams/").status_code == 404


# The API.


def test_api_teams_records_confirm(client_for, county, team, worker):
    record = services.volunteer_record_submit(
        actor=county, team=team, day=timezone.localdate(), hours="2", work="巡逻", members=[worker.pk]
    )
    client = client_for("county")
    assert client.get("/api/v1/volunteers").json()["items"][0]["members"] == 2
    assert client.get("/api/v1/volunteers/records?status=submitted").json()["count"] == 1
    assert client_for("other_county").post(f"/api/v1/volunteers/records/{record.pk}/confirm").status_code == 404
    confirmed = client.post(f"/api/v1/volunteers/records/{record.pk}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    again = client.post(f"/api/v1/volunteers/records/{record.pk}/confirm")
    assert again.status_code == 422 and "不能确认" in again.json()["detail"]
    assert client.get(f"/api/v1/volunteers/{team.pk}").json()["hours"] == 2.0
    mine = client_for("worker").get("/api/v1/w/teams").json()
    assert mine["hours"] == 2.0 and mine["items"][0]["team"]["id"] == team.pk


def test_api_worker_joins(client_for, county):
    team = services.volunteer_team_create(actor=county, name="东湖志愿服务队", kind="volunteer", region="360102")
    client = client_for("worker")
    assert client.post(f"/api/v1/w/teams/{team.pk}/join").json() == {"team_id": team.pk, "created": True}
    assert client.post(f"/api/v1/w/teams/{team.pk}/join").json() == {"team_id": team.pk, "created": False}
    assert client_for("county").get("/api/v1/w/teams").status_code == 404


def test_edit_page_and_home_card(client_for, phone, team, worker):
    client = client_for("county")
    assert team.name in client.get(f"/volunteers/{team.pk}/edit/").content.decode()
    data = {"name": "新名字", "kind": "commando", "region": "360102002", "leader": str(worker.pk), "is_active": "on"}
    assert client.post(f"/volunteers/{team.pk}/edit/", data).status_code == 302
    team.refresh_from_db()
    assert team.name == "新名字" and team.leader == worker
    home = phone.get("/w/").content.decode()
    assert 'data-card="teams"' in home and "新名字" in home and "/w/teams/" in home
    assert "填报服务记录" in phone.get(f"/w/teams/{team.pk}/").content.decode()
