"""Staff pages (/care/: the list, an activity with its sign-ups, actions and timeline, its printable code, the
people served by region) and the worker's phone pages (/w/care/: my activities, open ones, sign up, cancel,
check in by code)."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxin.care import selectors, services
from sanxin.care.forms import ActivityForm
from sanxin.care.models import ActivityStatus, CareType
from sanxin.care.workflow import WORKFLOW
from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page
from sanxin.core.scope import may_access
from sanxin.core.views_helpers import act, capability_required, posted, save_form
from sanxin.core.workflow import timeline
from sanxin.workers.decorators import worker_required
from sanxin.workers.models import Occupation

FILTERS = ("q", "type", "status", "region", "start", "end")
SORTS = {"starts": "starts_at", "title": "title", "region": "region_id", "type": "type", "status": "status"}


def _filters(request) -> dict:
    return {k: request.GET.get(k, "").strip() for k in FILTERS}


@capability_required("care.view")
def activity_list(request):
    rows = selectors.with_counts(selectors.activity_list(user=request.user, **_filters(request)))
    context = {
        "listing": list_page(request, rows, sortable=SORTS, default_sort="-starts"),
        "types": CareType.choices,
        "statuses": ActivityStatus.choices,
        "can_manage": request.user.can("care.manage"),
    }
    return render(request, "care/list.html", context)


EXPORT_COLUMNS = [
    Column("活动名称", lambda a: a.title, 30),
    Column("活动类型", lambda a: a.get_type_display(), 12),
    Column("状态", lambda a: a.get_status_display(), 8),
    Column("组织单位", lambda a: a.unit.name, 24),
    Column("所在地区", lambda a: a.region.full_name, 30),
    Column("所在地区代码", lambda a: a.region_id, 14),
    Column("活动地点", lambda a: a.place, 30),
    Column("开始时间", lambda a: a.starts_at, 18),
    Column("结束时间", lambda a: a.ends_at, 18),
    Column("名额", lambda a: a.capacity, 8),
    Column("报名人数", lambda a: a.signed_count, 10),
    Column("签到人数", lambda a: a.checked_count, 10),
    Column("现场未报名服务人数", lambda a: a.walk_ins, 12),
    Column("服务人数", lambda a: a.checked_count + a.walk_ins, 10),
]


@capability_required("care.view")
def activity_export(request):
    rows = selectors.with_counts(selectors.activity_list(user=request.user, **_filters(request))).order_by("-starts_at", "pk")
    return export_list(request, title="关爱活动", columns=EXPORT_COLUMNS, rows=rows.iterator(chunk_size=2000), action="care_activity")


@capability_required("care.manage")
def care_activity_create(request):
    form = ActivityForm(posted(request), initial={"signup_required": True}, user=request.user)
    activity = save_form(request, form, lambda fields: services.care_activity_create(actor=request.user, **fields))
    if activity is not None:
        messages.success(request, f"已新建关爱活动“{activity.title}”（草稿），核对后请发布")
        return redirect("care:detail", pk=activity.pk)
    return render(request, "care/form.html", {"form": form, "title": "新建关爱活动", "activity": None})


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


@capability_required("care.manage")
def activity_edit(request, pk):
    activity = selectors.access_activity(pk, user=request.user, for_write=True)
    initial = {name: getattr(activity, name) for name in services.FIELDS if name not in ("region", "station")}
    initial |= {name: _local(getattr(activity, name)) for name in services.MOMENTS}
    initial |= {"region": activity.region_id, "station": str(activity.station_id or "")}
    form = ActivityForm(posted(request), initial=initial, user=request.user)
    saved = save_form(request, form, lambda fields: services.activity_update(actor=request.user, activity=activity, **fields))
    if saved is not None:
        messages.success(request, "已保存")
        return redirect("care:detail", pk=activity.pk)
    return render(request, "care/form.html", {"form": form, "title": f"编辑：{activity.title}", "activity": activity})


@capability_required("care.view")
def activity_detail(request, pk):
    activity = selectors.access_activity(pk, user=request.user)
    can_manage = may_access(selectors.access_activity, activity.pk, user=request.user, for_write=True)
    signups = list(selectors.signups_of(activity))
    checked = sum(1 for s in signups if s.checked_in_at)
    context = {
        "activity": activity,
        "signups": signups,
        "signed": sum(1 for s in signups if s.status == "signed_up"),
        "checked": checked,
        "served": checked + activity.walk_ins,
        "occupations": [Occupation(o).label for o in activity.occupations],
        "events": timeline(activity),
        "actions": WORKFLOW.available(activity, request.user) if can_manage else [],
        "can_manage": can_manage,
        "under_way": activity.status == ActivityStatus.PUBLISHED and activity.starts_at <= timezone.now(),
    }
    return render(request, "care/detail.html", context)


@require_POST
@capability_required("care.manage")
def activity_act(request, pk):
    activity = selectors.access_activity(pk, user=request.user, for_write=True)
    action = services.ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    kwargs = {"reason": request.POST.get("note", "")} if action is services.activity_cancel else {}
    act(request, lambda: action(actor=request.user, activity=activity, **kwargs), done="已办理")
    return redirect("care:detail", pk=activity.pk)


@require_POST
@capability_required("care.manage")
def walk_ins(request, pk):
    activity = selectors.access_activity(pk, user=request.user, for_write=True)
    act(
        request,
        lambda: services.walk_ins_set(actor=request.user, activity=activity, count=request.POST.get("walk_ins", "")),
        done="已登记现场未报名服务人数",
    )
    return redirect("care:detail", pk=activity.pk)


@require_POST
@capability_required("care.manage")
def staff_checkin(request, pk):
    signup = selectors.access_signup(pk, user=request.user, for_write=True)
    act(request, lambda: services.checkin_by_staff(actor=request.user, signup=signup), done=f"已为{signup.worker.name}签到")
    return redirect("care:detail", pk=signup.activity_id)


def checkin_url(request, activity) -> str:
    return request.build_absolute_uri(reverse("care:my_checkin", args=[activity.checkin_code]))


@capability_required("care.view")
def activity_code(request, pk):
    """The printable check-in code: a QR code of the check-in address and the short code to type."""
    activity = selectors.access_activity(pk, user=request.user)
    url = checkin_url(request, activity)
    svg = segno.make(url, error="q").svg_inline(scale=10, border=2, omitsize=True, svgclass="sx-care-qr", lineclass=None)
    return render(request, "care/code.html", {"activity": activity, "qr_svg": svg, "checkin_address": url})


def _served_context(request) -> dict:
    start, end = request.GET.get("start", "").strip(), request.GET.get("end", "").strip()
    level = request.GET.get("level", "9").strip()
    type_ = request.GET.get("type", "").strip()
    rows, totals = selectors.served_by_region(user=request.user, start=start, end=end, level=level, type=type_)
    return {"rows": rows, "totals": totals, "total": sum(totals.values()), "level": level if level in selectors.LEVELS else "9"}


@capability_required("care.view")
def served(request):
    context = _served_context(request) | {"types": CareType.choices, "levels": selectors.LEVELS}
    return render(request, "care/served.html", context)


@capability_required("care.view")
def served_export(request):
    context = _served_context(request)
    columns = [
        Column("地区代码", lambda r: r["region"], 14),
        Column("地区", lambda r: r["name"], 20),
        Column("活动数", lambda r: r["activities"], 8),
    ]
    columns += [Column(str(label), lambda r, code=code: r["by_type"].get(code, 0), 10) for code, label in CareType.choices]
    columns.append(Column("服务人数合计", lambda r: r["total"], 12))
    return export_list(request, title="关爱活动服务人数", columns=columns, rows=context["rows"], action="care_served")


# The worker's phone pages.


def _worker_joins(request) -> None:
    if not request.user.can("care.join"):
        raise Http404


@worker_required
def my_care(request):
    _worker_joins(request)
    worker = request.worker
    mine = list(selectors.my_signups(worker)[:100])
    mine_ids = {s.activity_id for s in mine}
    now = timezone.now()
    context = {
        "upcoming": [s for s in mine if s.activity.ends_at > now and s.activity.status == ActivityStatus.PUBLISHED],
        "past": [s for s in mine if not (s.activity.ends_at > now and s.activity.status == ActivityStatus.PUBLISHED)],
        "open": [a for a in selectors.open_for_worker(worker, now=now) if a.pk not in mine_ids],
        "now": now,
    }
    return render(request, "care/w_list.html", context)


@worker_required
def enter_code(request):
    """The short code typed by hand (the QR code would not scan): on to the check-in page."""
    _worker_joins(request)
    code = request.GET.get("code", "")
    try:
        activity = services.activity_by_code(code)
    except Http404:
        messages.error(request, "签到码不正确，请核对活动现场张贴的 8 位签到码")
        return redirect("care:my_care")
    return redirect("care:my_checkin", code=activity.checkin_code)


@worker_required
def my_activity(request, pk):
    _worker_joins(request)
    activity = selectors.activity_for_worker(pk, request.worker)
    now = timezone.now()
    context = {
        "activity": activity,
        "signup": selectors.signup_of(activity, request.worker),
        "left": selectors.places_left(activity),
        "occupations": [Occupation(o).label for o in activity.occupations],
        "signup_open": activity.status == ActivityStatus.PUBLISHED
        and activity.signup_opens_at <= now < min(activity.signup_closes_at, activity.starts_at),
        "before_start": now < activity.starts_at,
    }
    return render(request, "care/w_detail.html", context)


@require_POST
@worker_required
def my_signup(request, pk):
    _worker_joins(request)
    activity = selectors.activity_for_worker(pk, request.worker)
    try:
        _, created = services.care_signup_create(actor=request.user, worker=request.worker, activity=activity)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "报名成功，请按时参加；活动现场扫码签到" if created else "您已报名该活动")
    return redirect("care:my_activity", pk=activity.pk)


@require_POST
@worker_required
def my_cancel(request, pk):
    _worker_joins(request)
    activity = selectors.activity_for_worker(pk, request.worker)
    act(request, lambda: services.care_signup_cancel(actor=request.user, worker=request.worker, activity=activity), done="已取消报名")
    return redirect("care:my_activity", pk=activity.pk)


@worker_required
def my_checkin(request, code):
    _worker_joins(request)
    activity = services.activity_by_code(code)
    if request.method == "POST":
        act(
            request,
            lambda: services.care_checkin(actor=request.user, worker=request.worker, code=activity.checkin_code),
            done=f"签到成功：{activity.title}",
        )
        return redirect("care:my_checkin", code=activity.checkin_code)
    context = {"activity": activity, "signup": selectors.signup_of(activity, request.worker)}
    return render(request, "care/w_checkin.html", context)
