"""Reads of volunteer teams and service records, cut to the scope; the hours totals; what a worker sees."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.http import Http404

from sanxin.core.scope import access, scoped
from sanxin.core.text import half_width
from sanxin.volunteers.models import RecordStatus, ServiceRecord, ServiceRecordMember, TeamKind, TeamMember, VolunteerTeam

CONFIRMED = {"record__status": RecordStatus.CONFIRMED}
TENTH = Decimal("0.1")


def _hours(value) -> Decimal:
    """Hours as the same Decimal on every database (SQLite sums decimals as floats)."""
    return Decimal(str(value or 0)).quantize(TENTH)


def team_list(*, user, q: str = "", kind: str = "", region: str = ""):
    rows = scoped(VolunteerTeam.objects.select_related("region", "unit", "leader"), user)
    if q:
        rows = rows.filter(name__icontains=q.strip())
    if kind in TeamKind.values:
        rows = rows.filter(kind=kind)
    region = half_width(region or "").strip()
    if region.isdigit():
        rows = rows.filter(region__code__under=region)
    return rows.annotate(member_count=Count("members", filter=Q(members__left_at__isnull=True), distinct=True))


def access_team(pk, *, user, for_write: bool = False) -> VolunteerTeam:
    queryset = VolunteerTeam.objects.select_related("region", "unit", "leader")
    if for_write:
        return access(queryset, pk, user, capability="volunteers.manage", own_place_only=True)
    return access(queryset, pk, user, capability="volunteers.view")


def record_list(*, user, status: str = "", team: str = "", region: str = ""):
    rows = scoped(ServiceRecord.objects.select_related("team", "team__region", "submitted_by"), user)
    if status in RecordStatus.values:
        rows = rows.filter(status=status)
    team = half_width(team or "").strip()
    if team.isdecimal() and len(team) < 12:
        rows = rows.filter(team_id=int(team))
    region = half_width(region or "").strip()
    if region.isdigit():
        rows = rows.filter(team__region__code__under=region)
    return rows.annotate(member_count=Count("served", distinct=True))


def access_record(pk, *, user, for_write: bool = False) -> ServiceRecord:
    queryset = ServiceRecord.objects.select_related("team", "team__region", "submitted_by")
    if for_write:
        return access(queryset, pk, user, capability="volunteers.manage", own_place_only=True)
    return access(queryset, pk, user, capability="volunteers.view")


def active_members(team):
    return TeamMember.objects.filter(team=team, left_at__isnull=True).select_related("worker").order_by("joined_at", "pk")


def team_hours(team) -> Decimal:
    """Confirmed person-hours of the team (hours × members who served)."""
    return _hours(ServiceRecordMember.objects.filter(record__team=team, **CONFIRMED).aggregate(n=Sum("record__hours"))["n"])


def member_hours(team) -> dict[int, Decimal]:
    """Confirmed hours of each worker in the team."""
    rows = (
        ServiceRecordMember.objects.filter(record__team=team, worker__isnull=False, **CONFIRMED)
        .values("worker_id")
        .annotate(total=Sum("record__hours"))
        .values_list("worker_id", "total")
    )
    return {worker_id: _hours(total) for worker_id, total in rows}


def worker_hours(worker, team=None) -> Decimal:
    rows = ServiceRecordMember.objects.filter(worker=worker, **CONFIRMED)
    if team is not None:
        rows = rows.filter(record__team=team)
    return _hours(rows.aggregate(n=Sum("record__hours"))["n"])


def served_names(record) -> list[str]:
    return [s.worker.name if s.worker else "（已注销）" for s in record.served.select_related("worker")]


# The worker's own.


def my_teams(worker):
    return VolunteerTeam.objects.filter(members__worker=worker, members__left_at__isnull=True).select_related("region", "leader").distinct()


def teams_to_join(worker):
    mine = my_teams(worker).values("pk")
    return (
        VolunteerTeam.objects.filter(is_active=True, region__code__under=worker.region_id[:6])
        .exclude(pk__in=mine)
        .select_related("region")
        .order_by("name")[:100]
    )


def team_for_worker(pk, worker) -> VolunteerTeam:
    """A team the worker is in, or one in service in their county they may join; 404 otherwise."""
    text = str(pk)
    team = (
        VolunteerTeam.objects.select_related("region", "leader").filter(pk=int(text)).first()
        if text.isdecimal() and len(text) < 12
        else None
    )
    if team is None:
        raise Http404
    member = TeamMember.objects.filter(team=team, worker=worker, left_at__isnull=True).exists()
    if not member and not (team.is_active and team.region_id.startswith(worker.region_id[:6])):
        raise Http404
    return team


def is_member(team, worker) -> bool:
    return TeamMember.objects.filter(team=team, worker=worker, left_at__isnull=True).exists()


def my_records(worker, team):
    return ServiceRecord.objects.filter(team=team, served__worker=worker).order_by("-day", "-pk")[:50]


def worker_card(worker) -> dict | None:
    teams = list(my_teams(worker)[:3])
    if not teams:
        return None
    return {"template": "volunteers/w_home_card.html", "teams": teams, "hours": worker_hours(worker)}


def worker_data(worker) -> list[tuple[str, str]]:
    rows = [("志愿服务队", f"{m.team.name}（{m.joined_at:%Y-%m-%d} 加入{'，已退出' if m.left_at else ''}）")
            for m in TeamMember.objects.filter(worker=worker).select_related("team")]  # fmt: skip
    rows += [
        (
            "志愿服务记录",
            f"{s.record.day:%Y-%m-%d} {s.record.team.name} {s.record.hours} 小时 {s.record.get_status_display()}：{s.record.work}",
        )
        for s in ServiceRecordMember.objects.filter(worker=worker).select_related("record", "record__team")
    ]
    return rows


def staff_card(user) -> dict | None:
    """The home card (SanxinApp.staff_cards): service records in scope waiting for confirmation."""
    if not user.can("volunteers.manage"):
        return None
    return {"template": "volunteers/staff_card.html", "waiting": record_list(user=user, status=RecordStatus.SUBMITTED).order_by().count()}
