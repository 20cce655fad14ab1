"""Staff pages (/appeals/: the lists by tab, a detail with its actions and timeline, the export, the routing table,
the 三率 board) and the worker's phone pages (/w/appeals/: my appeals, raise one, follow one)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxin.appeals import figures, selectors, services
from sanxin.appeals.forms import AppealForm, RoutingRuleForm, StaffAppealForm, rule_initial
from sanxin.appeals.models import OPEN_STATUSES, Appeal, AppealCategory, AppealStatus, Rating
from sanxin.appeals.shield import AppealView
from sanxin.appeals.workflow import STAFF_ACTIONS, WORKFLOW
from sanxin.core import offline
from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page, parse_id
from sanxin.core.photos import photo_response
from sanxin.core.views_helpers import capability_required, posted, save_form
from sanxin.core.workflow import timeline
from sanxin.workers.decorators import worker_required
from sanxin.workers.models import Platform

SORTS = {"submitted": "submitted_at", "due": "due_at", "status": "status", "place": "place"}
FILTERS = ("tab", "q", "status", "category", "region", "unit", "platform", "basis")


def _rows(request):
    params = {k: request.GET.get(k, "") for k in FILTERS}
    params["tab"] = params["tab"] if params["tab"] in selectors.TABS else "all"
    return selectors.appeal_list(user=request.user, **params), params["tab"]


def _counts(user) -> dict:
    return {tab: selectors.appeal_list(user=user, tab=tab).order_by().count() for tab in selectors.TABS}


@capability_required("appeals.view")
def appeal_list(request):
    rows, tab = _rows(request)
    listing = list_page(request, rows, sortable=SORTS, default_sort="due" if tab != "all" else "-submitted")
    context = {
        "listing": listing,
        "views": [AppealView(a, request.user) for a in listing.page],
        "tab": tab,
        "tabs": selectors.TABS,
        "counts": _counts(request.user),
        "statuses": AppealStatus.choices,
        "categories": AppealCategory.choices,
        "platforms": Platform.objects.all(),
        "now": timezone.now(),
        "basis_label": figures.basis(timezone.now()).get(request.GET.get("basis", ""), ("", None))[0],
    }
    return render(request, "appeals/list.html", context)


def _columns(user) -> list[Column]:
    def view(a):
        return AppealView(a, user)

    return [
        Column("编号", lambda a: a.number, 12),
        Column("类型", lambda a: a.get_kind_display(), 12),
        Column("类别", lambda a: a.get_category_display(), 16),
        Column("诉求人", lambda a: view(a).worker_name, 12),
        Column("诉求内容", lambda a: view(a).text, 60),
        Column("发生地点", lambda a: a.place, 30),
        Column("所在区划", lambda a: a.region.full_name, 30),
        Column("涉及平台", lambda a: a.platform.name if a.platform_id else "", 12),
        Column("承办单位", lambda a: a.unit.name, 24),
        Column("状态", lambda a: a.get_status_display(), 12),
        Column("提交时间", lambda a: a.submitted_at, 18),
        Column("办理时限", lambda a: a.due_at, 18),
        Column("升级次数", lambda a: a.escalation_level, 8),
        Column("附议人数", lambda a: a.supporter_count, 8),
        Column("办理答复", lambda a: view(a).reply, 40),
        Column("评价", lambda a: a.get_rating_display(), 10),
    ]


@capability_required("appeals.view")
def appeal_export(request):
    rows, _ = _rows(request)
    rows = rows.order_by("-submitted_at", "-pk").iterator(chunk_size=2000)
    return export_list(request, title="诉求", columns=_columns(request.user), rows=rows, action="appeal")


@capability_required("appeals.view")
def appeal_detail(request, pk):
    appeal = selectors.access_appeal(pk, user=request.user)
    can_handle = selectors.may_handle(request.user, appeal)
    actions = [t for t in WORKFLOW.available(appeal, request.user) if t.name in STAFF_ACTIONS] if can_handle else []
    view = AppealView(appeal, request.user)
    events = timeline(appeal)
    context = {
        "appeal": appeal,
        "view": view,
        "events": [(e, view.actor_name(e), view.note(e)) for e in events],
        "actions": {t.name: t for t in actions},
        "targets": selectors.transfer_targets(appeal.unit) if "transfer" in {t.name for t in actions} else [],
        "overdue": appeal.status in OPEN_STATUSES and appeal.status != AppealStatus.WAITING and appeal.due_at < timezone.now(),
        "supporters": appeal.supporters.count(),
        "photos": list(appeal.photos.all()),
    }
    return render(request, "appeals/detail.html", context)


@capability_required("appeals.handle")
def appeal_create(request):
    """Raised by staff on a worker's or a firm's behalf."""
    form = StaffAppealForm(posted(request))

    def save(fields):
        phone = fields.pop("worker_phone", "")
        worker = selectors.worker_by_phone(phone, user=request.user) if phone else None
        if phone and worker is None:
            raise ValidationError({"worker_phone": "本单位管辖范围内没有登记此手机号码的从业人员"})
        return services.appeal_create(actor=request.user, worker=worker, **fields)

    appeal = save_form(request, form, save)
    if appeal is not None:
        messages.success(request, f"已登记诉求 {appeal.number}，分派至{appeal.unit.name}")
        return redirect("appeals:detail", pk=appeal.pk)
    return render(request, "appeals/new.html", {"form": form})


@require_POST
@capability_required("appeals.handle")
def appeal_act(request, pk, action):
    if action not in STAFF_ACTIONS:
        raise Http404
    appeal = selectors.access_appeal(pk, user=request.user, for_write=True)
    text = request.POST.get("note", "")
    user = request.user
    try:
        if len(text) > 2000:
            raise ValidationError("说明最多 2000 个字")
        if action == "accept":
            services.appeal_accept(actor=user, appeal=appeal)
        elif action == "start":
            services.appeal_start(actor=user, appeal=appeal)
        elif action == "ask":
            services.appeal_ask(actor=user, appeal=appeal, question=text)
        elif action == "resolve":
            services.appeal_resolve(actor=user, appeal=appeal, reply=text)
        elif action == "transfer":
            target = selectors.transfer_targets(appeal.unit).filter(pk=parse_id(request.POST.get("unit", "")) or 0).first()
            services.appeal_transfer(actor=user, appeal=appeal, unit=target, reason=text)
        elif action == "return":
            services.appeal_return(actor=user, appeal=appeal, reason=text)
        elif action == "escalate_manual":
            services.appeal_escalate(actor=user, appeal=appeal, reason=text)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"{appeal.number}：已{WORKFLOW.by_name[action].label}")
    return redirect("appeals:detail", pk=appeal.pk)


@capability_required("appeals.view")
def appeal_photo(request, pk, photo_pk):
    appeal = selectors.access_appeal(pk, user=request.user)
    photo = appeal.photos.filter(pk=parse_id(photo_pk) or 0).first()
    if photo is None:
        raise Http404
    return photo_response(Appeal.UPLOAD_FOLDER, photo.stored_name)


# The routing table.


@capability_required("appeals.route")
def routing(request):
    form = RoutingRuleForm(posted(request), user=request.user)

    def save(fields):
        return services.routing_rule_save(actor=request.user, **fields)

    if save_form(request, form, save) is not None:
        messages.success(request, "已保存分派规则")
        return redirect("appeals:routing")
    rules = selectors.routing_rules(user=request.user).order_by("region_id", "category")
    return render(request, "appeals/routing.html", {"form": form, "rules": rules})


@capability_required("appeals.route")
def routing_edit(request, pk):
    rule = selectors.access_rule(pk, user=request.user)
    form = RoutingRuleForm(posted(request), user=request.user, initial=rule_initial(rule))
    if save_form(request, form, lambda fields: services.routing_rule_save(actor=request.user, rule=rule, **fields)) is not None:
        messages.success(request, "已修改分派规则")
        return redirect("appeals:routing")
    return render(request, "appeals/routing_edit.html", {"form": form, "rule": rule})


@require_POST
@capability_required("appeals.route")
def routing_delete(request, pk):
    rule = selectors.access_rule(pk, user=request.user)
    services.routing_rule_delete(actor=request.user, rule=rule)
    messages.success(request, "已删除分派规则")
    return redirect("appeals:routing")


# 三率.


@capability_required("appeals.rates")
def rates(request):
    by = request.GET.get("by", "response")
    by = by if by in figures.RATES else "response"
    context = {
        "units": figures.by_unit(request.user, by=by),
        "regions": figures.by_region(request.user, by=by),
        "total": figures.totals(request.user),
        "by": by,
        "rate_names": figures.RATES,
    }
    return render(request, "appeals/rates.html", context)


# The worker's phone pages.


@worker_required
def my_list(request):
    rows = list(selectors.my_appeals(request.worker).order_by("-submitted_at", "-pk"))
    return render(request, "appeals/w_list.html", {"appeals": rows, "open": [a for a in rows if a.status in OPEN_STATUSES]})


def _nearby(request, source) -> list:
    category = source.get("category", "")
    region = source.get("region", "") or request.worker.region_id
    if category not in AppealCategory.values or not str(region).isdigit():
        return []
    try:
        lon = float(source.get("longitude") or "") if source.get("longitude") else None
        lat = float(source.get("latitude") or "") if source.get("latitude") else None
    except ValueError:
        lon = lat = None
    return selectors.nearby_open(category=category, region_code=region, longitude=lon, latitude=lat, exclude_worker=request.worker)


@worker_required
def my_new(request):
    form = AppealForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        worker=request.worker,
        initial={"client_key": str(uuid.uuid4())},
    )

    def save(fields):
        return services.appeal_create(actor=request.user, photos=request.FILES.getlist("photos"), **fields)

    appeal = save_form(request, form, save)
    if appeal is not None:  # also what the phone's outbox gets when it sends an appeal kept offline (sanxin.core.offline)
        message = f"诉求已提交（{appeal.number}），将由{appeal.unit.name}受理"
        return offline.done(request, message=message, to=reverse("appeals:my_detail", args=[appeal.pk]))

    def page(status=200):
        nearby = _nearby(request, request.POST if request.method == "POST" else request.GET)
        return render(request, "appeals/w_new.html", {"form": form, "nearby": nearby}, status=status)

    if request.method == "POST":
        return offline.refused(request, form=form, page=lambda: page(400))
    return page()


@worker_required
def my_nearby(request):
    """The duplicate offer, as a fragment the form loads when the category or place changes."""
    return render(request, "appeals/_nearby.html", {"nearby": _nearby(request, request.GET)})


@worker_required
def my_detail(request, pk):
    appeal = selectors.access_my_appeal(pk, worker=request.worker)
    context = {"appeal": appeal, "events": timeline(appeal), "ratings": Rating.choices, "photos": list(appeal.photos.all())}
    return render(request, "appeals/w_detail.html", context)


@worker_required
def my_photo(request, pk, photo_pk):
    appeal = selectors.access_my_appeal(pk, worker=request.worker)
    photo = appeal.photos.filter(pk=parse_id(photo_pk) or 0).first()
    if photo is None:
        raise Http404
    return photo_response(Appeal.UPLOAD_FOLDER, photo.stored_name)


@require_POST
@worker_required
def my_act(request, pk, action):
    appeal = selectors.access_my_appeal(pk, worker=request.worker)
    user = request.user
    try:
        if action == "answer":
            services.appeal_answer(actor=user, appeal=appeal, answer=request.POST.get("answer", ""))
            done = "已提交答复，办理计时已恢复"
        elif action == "rate":
            services.appeal_rate(actor=user, appeal=appeal, rating=request.POST.get("rating", ""))
            done = "感谢您的评价"
        elif action == "reopen":
            services.appeal_reopen(actor=user, appeal=appeal)
            done = "已重新办理（每件诉求只能重新办理一次）"
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("appeals:my_detail", pk=appeal.pk)


@require_POST
@worker_required
def my_support(request, pk):
    """ "我也遇到了": join an open appeal nearby (seen only as category, place and state)."""
    appeal = Appeal.objects.filter(pk=parse_id(pk) or 0, status__in=OPEN_STATUSES).first()
    if appeal is None:
        raise Http404
    try:
        services.appeal_support(actor=request.user, appeal=appeal)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已附议：{appeal.get_category_display()}（{appeal.place}），承办单位会一并处理，无需重复提交")
    return redirect("appeals:my_list")
