"""Writes of volunteer teams, members and service records: each checks the actor, gives a Chinese reason naming
the field, and audits under its own name. A record locks its members' worker rows, so one person's hours on one
day never pass 24 across records, teams or two clerks at once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from sanxin.core.audit import audit_changes, audit_record
from sanxin.core.guards import Refused, require
from sanxin.core.scope import region_in_scope, scoped
from sanxin.core.text import control_character, control_character_reason, half_width
from sanxin.core.workflow import timeline_event, transition
from sanxin.regions.models import Region, RegionLevel
from sanxin.volunteers.models import (
    DESCRIPTION_MAX,
    HOURS_MAX_PER_DAY,
    NAME_MAX,
    WORK_MAX,
    RecordStatus,
    ServiceRecord,
    ServiceRecordMember,
    TeamKind,
    TeamMember,
    VolunteerTeam,
)
from sanxin.volunteers.workflow import WORKFLOW
from sanxin.workers.models import Worker

MEMBERS_MAX = 200


def _text(value, label: str, limit: int, required: bool, errors: dict, name: str) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors[name] = f"请填写{label}"
    elif len(text) > limit:
        errors[name] = f"{label}最多 {limit} 个字（现有 {len(text)} 个）"
    elif found := control_character(text):
        errors[name] = f"{label}{control_character_reason(found)}"
    return text


def _worker_id(value) -> int | None:
    if isinstance(value, Worker):
        return value.pk
    text = half_width(str(value or "")).strip()
    return int(text) if text.isdecimal() and len(text) < 12 else None


def _visible_worker(actor, value) -> Worker | None:
    pk = _worker_id(value)
    if pk is None:
        return None
    rows = Worker.objects.filter(pk=pk)
    return (scoped(rows, actor) if actor is not None else rows).first()


def _team_guard(actor, team: VolunteerTeam) -> None:
    if actor is not None and not region_in_scope(actor, team.region_id):
        raise Refused("该队伍不在本单位管辖范围内")


def team_snapshot(team: VolunteerTeam) -> dict:
    return {
        "name": team.name,
        "kind": team.kind,
        "region": team.region_id,
        "leader": team.leader_id,
        "description": team.description,
        "is_active": team.is_active,
    }


def _team_cleaned(fields: dict, *, actor) -> dict:
    errors: dict = {}
    cleaned = {
        "name": _text(fields.get("name"), "队伍名称", NAME_MAX, True, errors, "name"),
        "description": _text(fields.get("description"), "简介", DESCRIPTION_MAX, False, errors, "description"),
        "kind": fields.get("kind"),
        "is_active": bool(fields.get("is_active", True)),
    }
    if cleaned["kind"] not in TeamKind.values:
        errors["kind"] = "类型应为：" + "、".join(str(label) for _, label in TeamKind.choices)
    region = fields.get("region")
    if not isinstance(region, Region):
        code = half_width(str(region or "")).strip()
        region = Region.objects.filter(code=code).first() if code.isdigit() and len(code) <= 12 else None
    if region is None:
        errors["region"] = "所在地区代码不存在"
    elif region.level < RegionLevel.COUNTY:
        errors["region"] = "队伍的所在地区须是区县、街道（乡镇）或社区（村）"
    elif actor is not None and not region_in_scope(actor, region.code):
        errors["region"] = "所在地区不在本单位管辖范围内"
    cleaned["region"] = region
    leader = fields.get("leader")
    if leader not in (None, ""):
        leader = _visible_worker(actor, leader)
        if leader is None:
            errors["leader"] = "队长须是本单位管辖范围内登记的从业人员"
    cleaned["leader"] = leader or None
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def volunteer_team_create(*, actor, **fields) -> VolunteerTeam:
    require(actor, "volunteers.manage", person=True)
    if not actor.unit_id:
        raise Refused("没有所属单位的账号不能组建队伍")
    cleaned = _team_cleaned(fields, actor=actor)
    if VolunteerTeam.objects.filter(region=cleaned["region"], name=cleaned["name"]).exists():
        raise ValidationError({"name": f"{cleaned['region'].name}已有名为“{cleaned['name']}”的队伍"})
    team = VolunteerTeam.objects.create(**cleaned, unit=actor.unit, created_by=actor)
    if team.leader is not None:
        TeamMember.objects.get_or_create(team=team, worker=team.leader, defaults={"joined_at": timezone.now(), "added_by": actor})
    audit_record(actor=actor, action="volunteer_team_create", obj=team, detail={"new": team_snapshot(team)})
    return team


@transaction.atomic
def team_update(*, actor, team: VolunteerTeam, **changes) -> VolunteerTeam:
    require(actor, "volunteers.manage", person=True)
    team = VolunteerTeam.objects.select_for_update().get(pk=team.pk)
    _team_guard(actor, team)
    before = team_snapshot(team)
    current = {"name": team.name, "kind": team.kind, "region": team.region, "leader": team.leader, "description": team.description,
               "is_active": team.is_active}  # fmt: skip
    cleaned = _team_cleaned(current | {k: v for k, v in changes.items() if k in current}, actor=actor)
    if VolunteerTeam.objects.filter(region=cleaned["region"], name=cleaned["name"]).exclude(pk=team.pk).exists():
        raise ValidationError({"name": f"{cleaned['region'].name}已有名为“{cleaned['name']}”的队伍"})
    for name, value in cleaned.items():
        setattr(team, name, value)
    team.save()
    if team.leader is not None:
        _join(team, team.leader, actor)
    audit_changes(actor=actor, action="volunteer_team_update", obj=team, before=before, after=team_snapshot(team))
    return team


def _join(team: VolunteerTeam, worker: Worker, actor) -> tuple[TeamMember, bool]:
    member = TeamMember.objects.filter(team=team, worker=worker).first()
    if member is not None and member.left_at is None:
        return member, False
    if member is None:
        member = TeamMember.objects.create(team=team, worker=worker, joined_at=timezone.now(), added_by=actor)
    else:
        member.joined_at, member.left_at, member.added_by = timezone.now(), None, actor
        member.save(update_fields=["joined_at", "left_at", "added_by", "updated_at"])
    return member, True


@transaction.atomic
def volunteer_member_add(*, actor, team: VolunteerTeam, worker) -> TeamMember:
    """Staff add a worker of their territory (a second click adds nobody twice)."""
    require(actor, "volunteers.manage", person=True)
    team = VolunteerTeam.objects.select_for_update().get(pk=team.pk)
    _team_guard(actor, team)
    found = _visible_worker(actor, worker)
    if found is None:
        raise ValidationError({"worker": "该从业人员不存在或不在本单位管辖范围内"})
    member, created = _join(team, found, actor)
    if created:
        audit_record(actor=actor, action="volunteer_member_add", obj=team, detail={"worker": found.pk})
    return member


@transaction.atomic
def volunteer_member_remove(*, actor, team: VolunteerTeam, worker) -> None:
    require(actor, "volunteers.manage", person=True)
    _team_guard(actor, team)
    member = TeamMember.objects.filter(team=team, worker_id=_worker_id(worker), left_at__isnull=True).first()
    if member is None:
        raise ValidationError("该从业人员不是本队队员")
    member.left_at = timezone.now()
    member.save(update_fields=["left_at", "updated_at"])
    if team.leader_id == member.worker_id:
        VolunteerTeam.objects.filter(pk=team.pk).update(leader=None)
    audit_record(actor=actor, action="volunteer_member_remove", obj=team, detail={"worker": member.worker_id})


def _own(actor, worker: Worker) -> None:
    require(actor, "volunteers.join", person=True)
    if worker.user_id != actor.pk:
        raise Refused("只能为本人办理")


@transaction.atomic
def volunteer_member_join(*, actor, worker: Worker, team: VolunteerTeam) -> tuple[TeamMember, bool]:
    """The worker joins a team in service in their county."""
    _own(actor, worker)
    team = VolunteerTeam.objects.select_for_update().get(pk=team.pk)
    if not team.is_active:
        raise ValidationError("该队伍已不在册，不能加入")
    if not team.region_id.startswith(worker.region_id[:6]):
        raise ValidationError("只能加入本人工作区域所在区县的队伍")
    member, created = _join(team, worker, actor)
    if created:
        audit_record(actor=actor, action="volunteer_member_join", obj=team, detail={"worker": worker.pk})
    return member, created


@transaction.atomic
def volunteer_member_leave(*, actor, worker: Worker, team: VolunteerTeam) -> None:
    _own(actor, worker)
    member = TeamMember.objects.filter(team=team, worker=worker, left_at__isnull=True).first()
    if member is None:
        raise ValidationError("您不是该队伍的队员")
    member.left_at = timezone.now()
    member.save(update_fields=["left_at", "updated_at"])
    if team.leader_id == worker.pk:
        VolunteerTeam.objects.filter(pk=team.pk).update(leader=None)
    audit_record(actor=actor, action="volunteer_member_leave", obj=team, detail={"worker": worker.pk})


def parse_hours(value) -> Decimal:
    """Hours as typed (full-width digits fold): more than 0, at most 24, at most one decimal place."""
    text = half_width(str(value if value is not None else "")).strip()
    if not text:
        raise ValidationError({"hours": "请填写服务时长"})
    if len(text) > 10:
        raise ValidationError({"hours": "服务时长应为 0.5～24 小时之间的数，如 2 或 1.5"})
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise ValidationError({"hours": "服务时长应为数字，如 2 或 1.5"}) from None
    if not hours.is_finite():
        raise ValidationError({"hours": "服务时长应为数字，如 2 或 1.5"})
    if hours <= 0:
        raise ValidationError({"hours": "服务时长应大于 0"})
    if hours > HOURS_MAX_PER_DAY:
        raise ValidationError({"hours": "服务时长每天不能超过 24 小时"})
    if hours != hours.quantize(Decimal("0.1")):
        raise ValidationError({"hours": "服务时长最多保留一位小数，如 1.5"})
    return hours.quantize(Decimal("0.1"))


def _day(value) -> date:
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(half_width(str(value or "")).strip())
        except ValueError:
            raise ValidationError({"day": "服务日期应为日期，如 2026-12-01"}) from None
    if day > timezone.localdate():
        raise ValidationError({"day": "服务日期不能晚于今天"})
    return day


def may_submit(actor, team: VolunteerTeam) -> bool:
    """Staff who keep the team's region, or the team's leader."""
    if actor is None:
        return False
    if actor.can("volunteers.manage") and region_in_scope(actor, team.region_id):
        return True
    return actor.can("volunteers.join") and team.leader_id is not None and team.leader.user_id == actor.pk


def volunteer_record_submit(*, actor, team: VolunteerTeam, day, hours, work: str, members) -> ServiceRecord:
    """A day's service: each listed member served `hours` (submitted, waiting for staff to confirm)."""
    if not may_submit(actor, team):
        raise Refused("只有本队队长或管辖单位工作人员可以填报服务记录")
    errors: dict = {}
    work = _text(work, "服务内容", WORK_MAX, True, errors, "work")
    if errors:
        raise ValidationError(errors)
    hours = parse_hours(hours)
    day = _day(day)
    ids = [_worker_id(m) for m in (members or [])]
    if not ids or None in ids:
        raise ValidationError({"members": "请选择参加服务的队员"})
    ids = sorted(set(ids))
    if len(ids) > MEMBERS_MAX:
        raise ValidationError({"members": f"一条记录最多 {MEMBERS_MAX} 名队员"})
    with transaction.atomic():
        team = VolunteerTeam.objects.select_for_update().get(pk=team.pk)
        current = set(TeamMember.objects.filter(team=team, left_at__isnull=True, worker_id__in=ids).values_list("worker_id", flat=True))
        if len(current) != len(ids):
            raise ValidationError({"members": "所选人员中有人不是本队队员"})
        workers = list(Worker.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        done = dict(
            ServiceRecordMember.objects.filter(
                worker_id__in=ids, record__day=day, record__status__in=(RecordStatus.SUBMITTED, RecordStatus.CONFIRMED)
            )
            .values("worker_id")
            .annotate(total=Sum("record__hours"))
            .values_list("worker_id", "total")
        )
        over = [w.name for w in workers if Decimal(str(done.get(w.pk) or 0)) + hours > HOURS_MAX_PER_DAY]
        if over:
            raise ValidationError({"hours": f"{'、'.join(over[:5])} 在 {day:%Y-%m-%d} 已登记的服务时长加上本次超过 24 小时"})
        record = ServiceRecord.objects.create(team=team, day=day, hours=hours, work=work, submitted_by=actor)
        ServiceRecordMember.objects.bulk_create([ServiceRecordMember(record=record, worker=w) for w in workers])
        timeline_event(record, actor=actor, transition="submit", label="填报", old="", new=record.status, new_label="待确认")
        audit_record(actor=actor, action="volunteer_record_submit", obj=record,
                     detail={"new": {"team": team.pk, "day": str(day), "hours": str(hours), "members": ids}})  # fmt: skip
    return record


def record_confirm(*, actor, record: ServiceRecord) -> ServiceRecord:
    _team_guard(actor, record.team)
    return transition(WORKFLOW, record, "confirm", actor=actor, action="volunteer_record_confirm")


def record_reject(*, actor, record: ServiceRecord, reason: str = "") -> ServiceRecord:
    _team_guard(actor, record.team)
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ValidationError({"note": "退回原因最多 500 个字"})
    if found := control_character(reason):
        raise ValidationError({"note": "退回原因" + control_character_reason(found)})
    return transition(WORKFLOW, record, "reject", actor=actor, action="volunteer_record_reject", note=reason)


def volunteer_anonymise_for_worker(*, worker: Worker, **payload) -> None:
    """The "workers.erased" handler: memberships go; the hours stay with the team, without the worker."""
    TeamMember.objects.filter(worker=worker).delete()
    ServiceRecordMember.objects.filter(worker=worker).update(worker=None)
    VolunteerTeam.objects.filter(leader=worker).update(leader=None)
    audit_record(actor=None, action="volunteer_anonymise_for_worker", object_type="workers.worker", object_id=str(worker.pk),
                 actor_name="system")  # fmt: skip
