"""Staff pages (/volunteers/: teams, a team with its members, hours and records, the records to confirm) and the
worker's phone pages (/w/teams/: my teams, members, my hours, join a team of my county; a leader reports)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page
from sanxin.core.masking import mask_name
from sanxin.core.scope import may_access, scoped
from sanxin.core.views_helpers import act, capability_required, posted, save_form
from sanxin.core.workflow import timeline
from sanxin.regions.widgets import RegionPickerField
from sanxin.volunteers import selectors, services
from sanxin.volunteers.models import DESCRIPTION_MAX, NAME_MAX, RecordStatus, TeamKind
from sanxin.volunteers.workflow import WORKFLOW
from sanxin.workers.decorators import worker_required
from sanxin.workers.models import Worker


class TeamForm(forms.Form):
    name = forms.CharField(label="队伍名称", max_length=NAME_MAX)
    kind = forms.ChoiceField(label="类型", choices=TeamKind.choices)
    region = RegionPickerField(label="所在地区", help_text="区县、街道（乡镇）或社区（村）")
    leader = forms.ChoiceField(label="队长", required=False, help_text="本范围内登记的从业人员，可不选")
    description = forms.CharField(label="简介", required=False, max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label="在册", required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].bind_user(user)
        workers = scoped(Worker.objects.all(), user).order_by("name", "pk")[:500]
        self.fields["leader"].choices = [("", "（暂无）")] + [(str(w.pk), f"{w.name}（{w.get_occupation_display()}）") for w in workers]


def _team_filters(request) -> dict:
    return {k: request.GET.get(k, "").strip() for k in ("q", "kind", "region")}


@capability_required("volunteers.view")
def team_list(request):
    rows = selectors.team_list(user=request.user, **_team_filters(request))
    context = {
        "listing": list_page(
            request,
            rows,
            sortable={"name": "name", "region": "region_id", "kind": "kind", "members": "member_count"},
            default_sort="region",
        ),
        "kinds": TeamKind.choices,
        "can_manage": request.user.can("volunteers.manage"),
    }
    return render(request, "volunteers/list.html", context)


TEAM_COLUMNS = [
    Column("队伍名称", lambda t: t.name, 30),
    Column("类型", lambda t: t.get_kind_display(), 12),
    Column("组建单位", lambda t: t.unit.name, 24),
    Column("所在地区", lambda t: t.region.full_name, 30),
    Column("队长", lambda t: t.leader.name if t.leader else "", 10),
    Column("队员数", lambda t: t.member_count, 8),
    Column("已确认服务时长（人·小时）", lambda t: float(selectors.team_hours(t)), 14),
    Column("在册", lambda t: t.is_active, 6),
]


@capability_required("volunteers.view")
def team_export(request):
    rows = selectors.team_list(user=request.user, **_team_filters(request)).order_by("region_id", "name", "pk")
    return export_list(request, title="志愿服务队", columns=TEAM_COLUMNS, rows=rows.iterator(chunk_size=500), action="volunteer_team")


@capability_required("volunteers.manage")
def volunteer_team_create(request):
    form = TeamForm(posted(request), initial={"is_active": True}, user=request.user)
    team = save_form(request, form, lambda fields: services.volunteer_team_create(actor=request.user, **fields))
    if team is not None:
        messages.success(request, f"已组建“{team.name}”")
        return redirect("volunteers:detail", pk=team.pk)
    return render(request, "volunteers/form.html", {"form": form, "title": "组建队伍", "team": None})


@capability_required("volunteers.manage")
def team_edit(request, pk):
    team = selectors.access_team(pk, user=request.user, for_write=True)
    initial = {"name": team.name, "kind": team.kind, "region": team.region_id, "leader": str(team.leader_id or ""),
               "description": team.description, "is_active": team.is_active}  # fmt: skip
    form = TeamForm(posted(request), initial=initial, user=request.user)
    saved = save_form(request, form, lambda fields: services.team_update(actor=request.user, team=team, **fields))
    if saved is not None:
        messages.success(request, "已保存")
        return redirect("volunteers:detail", pk=team.pk)
    return render(request, "volunteers/form.html", {"form": form, "title": f"编辑：{team.name}", "team": team})


@capability_required("volunteers.view")
def team_detail(request, pk):
    team = selectors.access_team(pk, user=request.user)
    can_manage = may_access(selectors.access_team, team.pk, user=request.user, for_write=True)
    members = list(selectors.active_members(team))
    hours = selectors.member_hours(team)
    member_ids = {m.worker_id for m in members}
    candidates = []
    if can_manage:
        workers = scoped(Worker.objects.filter(region__code__under=team.region_id[:6]), request.user).exclude(pk__in=member_ids)
        candidates = list(workers.order_by("name", "pk")[:300])
    context = {
        "team": team,
        "members": [(m, hours.get(m.worker_id, 0)) for m in members],
        "total": selectors.team_hours(team),
        "records": list(selectors.record_list(user=request.user, team=str(team.pk))[:50]),
        "can_manage": can_manage,
        "candidates": candidates,
        "today": timezone.localdate(),
    }
    return render(request, "volunteers/detail.html", context)


@require_POST
@capability_required("volunteers.manage")
def volunteer_member_add(request, pk):
    team = selectors.access_team(pk, user=request.user, for_write=True)
    act(
        request,
        lambda: services.volunteer_member_add(actor=request.user, team=team, worker=request.POST.get("worker", "")),
        done="已添加队员",
    )
    return redirect("volunteers:detail", pk=team.pk)


@require_POST
@capability_required("volunteers.manage")
def volunteer_member_remove(request, pk, worker_pk):
    team = selectors.access_team(pk, user=request.user, for_write=True)
    act(request, lambda: services.volunteer_member_remove(actor=request.user, team=team, worker=worker_pk), done="已移出队员")
    return redirect("volunteers:detail", pk=team.pk)


def _submit(request, team):
    try:
        services.volunteer_record_submit(
            actor=request.user,
            team=team,
            day=request.POST.get("day", ""),
            hours=request.POST.get("hours", ""),
            work=request.POST.get("work", ""),
            members=request.POST.getlist("members"),
        )
    except ValidationError as error:
        messages.error(request, "未保存：" + "；".join(error.messages))
        return False
    messages.success(request, "已填报服务记录，待工作人员确认")
    return True


@require_POST
@capability_required("volunteers.manage")
def record_new(request, pk):
    team = selectors.access_team(pk, user=request.user, for_write=True)
    _submit(request, team)
    return redirect("volunteers:detail", pk=team.pk)


def _record_filters(request) -> dict:
    return {k: request.GET.get(k, "").strip() for k in ("status", "team", "region")}


@capability_required("volunteers.view")
def record_list(request):
    rows = selectors.record_list(user=request.user, **_record_filters(request))
    context = {
        "listing": list_page(request, rows, sortable={"day": "day", "status": "status", "hours": "hours"}, default_sort="-day"),
        "statuses": RecordStatus.choices,
    }
    return render(request, "volunteers/records.html", context)


RECORD_COLUMNS = [
    Column("服务日期", lambda r: r.day, 12),
    Column("队伍", lambda r: r.team.name, 24),
    Column("所在地区", lambda r: r.team.region.full_name, 30),
    Column("每人时长（小时）", lambda r: float(r.hours), 10),
    Column("人数", lambda r: r.member_count, 8),
    Column("服务内容", lambda r: r.work, 40),
    Column("状态", lambda r: r.get_status_display(), 8),
]


@capability_required("volunteers.view")
def record_export(request):
    rows = selectors.record_list(user=request.user, **_record_filters(request)).order_by("-day", "pk")
    return export_list(
        request, title="志愿服务记录", columns=RECORD_COLUMNS, rows=rows.iterator(chunk_size=2000), action="volunteer_record"
    )


@capability_required("volunteers.view")
def record_detail(request, pk):
    record = selectors.access_record(pk, user=request.user)
    can_manage = may_access(selectors.access_record, record.pk, user=request.user, for_write=True)
    context = {
        "record": record,
        "names": selectors.served_names(record),
        "events": timeline(record),
        "actions": WORKFLOW.available(record, request.user) if can_manage else [],
    }
    return render(request, "volunteers/record.html", context)


@require_POST
@capability_required("volunteers.manage")
def record_act(request, pk):
    record = selectors.access_record(pk, user=request.user, for_write=True)
    action = request.POST.get("action", "")
    try:
        if action == "confirm":
            services.record_confirm(actor=request.user, record=record)
        elif action == "reject":
            services.record_reject(actor=request.user, record=record, reason=request.POST.get("note", ""))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已办理")
    return redirect("volunteers:record", pk=record.pk)


# The worker's phone pages.


def _joins(request) -> None:
    if not request.user.can("volunteers.join"):
        raise Http404


@worker_required
def my_teams(request):
    _joins(request)
    worker = request.worker
    teams = list(selectors.my_teams(worker))
    context = {
        "teams": [(t, selectors.worker_hours(worker, t)) for t in teams],
        "hours": selectors.worker_hours(worker),
        "to_join": list(selectors.teams_to_join(worker)),
    }
    return render(request, "volunteers/w_list.html", context)


@worker_required
def my_team(request, pk):
    _joins(request)
    worker = request.worker
    team = selectors.team_for_worker(pk, worker)
    member = selectors.is_member(team, worker)
    leader = team.leader_id == worker.pk
    members = list(selectors.active_members(team)) if member else []
    context = {
        "team": team,
        "member": member,
        "leader": leader,
        # Other members see each other's surname only; the leader, who reports their hours, sees names.
        "members": [(m, m.worker.name if leader or m.worker_id == worker.pk else mask_name(m.worker.name)) for m in members],
        "count": selectors.active_members(team).count(),
        "my_hours": selectors.worker_hours(worker, team),
        "records": list(selectors.my_records(worker, team)) if member else [],
        "today": timezone.localdate(),
    }
    return render(request, "volunteers/w_team.html", context)


@require_POST
@worker_required
def my_join(request, pk):
    _joins(request)
    team = selectors.team_for_worker(pk, request.worker)
    try:
        _, created = services.volunteer_member_join(actor=request.user, worker=request.worker, team=team)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已加入{team.name}" if created else "您已是本队队员")
    return redirect("volunteers:my_team", pk=team.pk)


@require_POST
@worker_required
def my_leave(request, pk):
    _joins(request)
    team = selectors.team_for_worker(pk, request.worker)
    act(request, lambda: services.volunteer_member_leave(actor=request.user, worker=request.worker, team=team), done=f"已退出{team.name}")
    return redirect("volunteers:my_teams")


@require_POST
@worker_required
def my_record_new(request, pk):
    _joins(request)
    team = selectors.team_for_worker(pk, request.worker)
    _submit(request, team)
    return redirect("volunteers:my_team", pk=team.pk)
