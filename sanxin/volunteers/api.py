"""Volunteer teams over the API, through the same selectors and services as the pages."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema

from sanxin.core.api_schemas import Limit, Offset, QueryText, list_response, responses
from sanxin.volunteers import selectors, services
from sanxin.volunteers.models import RecordStatus, TeamKind
from sanxin.workers.selectors import api_worker

router = Router(tags=["志愿服务队"])
worker_router = Router(tags=["志愿服务队（从业人员本人）"])


class VolunteerTeamOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    unit: str
    region: str
    region_name: str
    leader: str = Field(description="队长姓名；无则为空")
    members: int
    is_active: bool


class VolunteerTeamList(Schema):
    items: list[VolunteerTeamOut]
    count: int


class VolunteerTeamDetailOut(VolunteerTeamOut):
    hours: float = Field(description="已确认服务时长（人·小时）")


def team_row(t, members: int) -> dict:
    return {
        "id": t.pk,
        "name": t.name,
        "kind": t.kind,
        "kind_label": t.get_kind_display(),
        "unit": t.unit.name,
        "region": t.region_id,
        "region_name": t.region.full_name,
        "leader": t.leader.name if t.leader else "",
        "members": members,
        "is_active": t.is_active,
    }


@router.get("", response=responses({200: VolunteerTeamList}), summary="志愿服务队（按数据权限）")
def list_volunteer_teams(
    request,
    q: QueryText("队伍名称（包含）") = "",
    kind: Literal[("", *TeamKind.values)] = "",
    region: QueryText("地区代码（含下级）", "360102") = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    if not request.auth.can("volunteers.view"):
        raise Http404
    found = selectors.team_list(user=request.auth, q=q, kind=kind, region=region).order_by("region_id", "name", "pk")
    return list_response([team_row(t, t.member_count) for t in found[offset : offset + limit]], found.count())


class VolunteerRecordOut(Schema):
    id: int
    team_id: int
    team: str
    day: date
    hours: float
    work: str
    status: str
    members: int


class VolunteerRecordList(Schema):
    items: list[VolunteerRecordOut]
    count: int


def record_row(r) -> dict:
    return {"id": r.pk, "team_id": r.team_id, "team": r.team.name, "day": r.day, "hours": float(r.hours), "work": r.work,
            "status": r.status, "members": r.member_count}  # fmt: skip


@router.get("/records", response=responses({200: VolunteerRecordList}), summary="志愿服务记录（按数据权限）")
def list_volunteer_records(
    request,
    status: Literal[("", *RecordStatus.values)] = "",
    region: QueryText("地区代码（含下级）", "360102") = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    if not request.auth.can("volunteers.view"):
        raise Http404
    found = selectors.record_list(user=request.auth, status=status, region=region).order_by("-day", "pk")
    return list_response([record_row(r) for r in found[offset : offset + limit]], found.count())


@router.get("/{team_id}", response=responses({200: VolunteerTeamDetailOut}), summary="单个志愿服务队")
def get_volunteer_team(request, team_id: int):
    t = selectors.access_team(team_id, user=request.auth)
    return team_row(t, selectors.active_members(t).count()) | {"hours": float(selectors.team_hours(t))}


@router.post("/records/{record_id}/confirm", response=responses({200: VolunteerRecordOut}, refusals=(403,)), summary="确认服务记录")
def confirm_volunteer_record(request, record_id: int):
    record = selectors.access_record(record_id, user=request.auth, for_write=True)
    services.record_confirm(actor=request.auth, record=record)
    return record_row(selectors.record_list(user=request.auth).get(pk=record.pk))


# The worker's own.


class MyTeamOut(Schema):
    team: VolunteerTeamOut
    my_hours: float = Field(description="本人在本队已确认的服务时长（小时）")


class MyTeamsOut(Schema):
    hours: float = Field(description="本人已确认的服务时长合计（小时）")
    items: list[MyTeamOut]


@worker_router.get("", response=responses({200: MyTeamsOut}), summary="我的志愿服务队和时长（本人）")
def my_volunteer_teams(request):
    worker = api_worker(request.auth, "volunteers.join")
    items = [
        {"team": team_row(t, selectors.active_members(t).count()), "my_hours": float(selectors.worker_hours(worker, t))}
        for t in selectors.my_teams(worker).select_related("unit")
    ]
    return {"hours": float(selectors.worker_hours(worker)), "items": items}


class MyJoinOut(Schema):
    team_id: int
    created: bool = Field(description="本次是否新加入（重复提交只记一次）")


@worker_router.post("/{team_id}/join", response=responses({200: MyJoinOut}, refusals=(403,)), summary="加入本区县的队伍（本人）")
def join_volunteer_team(request, team_id: int):
    worker = api_worker(request.auth, "volunteers.join")
    team = selectors.team_for_worker(team_id, worker)
    _, created = services.volunteer_member_join(actor=request.auth, worker=worker, team=team)
    return {"team_id": team.pk, "created": created}
