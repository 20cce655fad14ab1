"""Staff pages (/hazards/: the list with filters, a detail with its actions and timeline, the export, photos after
the scope check) and the worker's phone pages (/w/hazards/: my reports, report one with the duplicate offer,
follow one, join one)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sanxin.core import offline
from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page, parse_id
from sanxin.core.masking import mask_name, mask_phone
from sanxin.core.photos import photo_response
from sanxin.core.scope import scoped
from sanxin.core.views_helpers import capability_required, posted, save_form
from sanxin.core.workflow import timeline
from sanxin.hazards import selectors, services
from sanxin.hazards.forms import HazardForm
from sanxin.hazards.models import OPEN_STATUSES, HazardCategory, HazardReport, HazardSource, HazardStatus
from sanxin.hazards.workflow import STAFF_ACTIONS, WORKFLOW
from sanxin.workers.decorators import worker_required

SORTS = {"submitted": "submitted_at", "status": "status", "place": "place", "category": "category"}
FILTERS = ("q", "status", "category", "region", "source")


def reporter_label(report: HazardReport) -> str:
    """Who reported it, as staff see it: masked (the report is about the place, not the person)."""
    if report.source == HazardSource.OPEN311:
        return report.posted_by_unit.name if report.posted_by_unit_id else "Open311 接口"
    if report.reporter is None:
        return "（已注销）"
    return f"{mask_name(report.reporter.name)} {mask_phone(report.reporter.phone)}"


def staff_actor_name(event) -> str:
    """Who took a step, as staff see it: a unit's staff by name, a worker masked as on the rest of the page."""
    if event.actor is not None and event.actor.unit_id is None:
        return mask_name(event.actor_name)
    return event.actor_name


def _rows(request):
    params = {k: request.GET.get(k, "") for k in FILTERS}
    return selectors.hazard_list(user=request.user, **params)


@capability_required("hazards.view")
def hazard_list(request):
    listing = list_page(request, _rows(request), sortable=SORTS, default_sort="-submitted")
    context = {
        "listing": listing,
        "rows": [(r, reporter_label(r)) for r in listing.page],
        "statuses": HazardStatus.choices,
        "categories": HazardCategory.choices,
        "sources": HazardSource.choices,
        "to_verify": selectors.to_verify_count(request.user),
    }
    return render(request, "hazards/list.html", context)


COLUMNS = [
    Column("编号", lambda r: r.number, 12),
    Column("类别", lambda r: r.get_category_display(), 14),
    Column("情况描述", lambda r: r.text, 60),
    Column("地点", lambda r: r.place, 30),
    Column("所在社区", lambda r: r.region.full_name, 30),
    Column("经度", lambda r: r.longitude, 12),
    Column("纬度", lambda r: r.latitude, 12),
    Column("上报人", reporter_label, 20),
    Column("来源", lambda r: r.get_source_display(), 14),
    Column("责任单位", lambda r: r.unit.name, 24),
    Column("状态", lambda r: r.get_status_display(), 10),
    Column("重复于", lambda r: r.duplicate_of.number if r.duplicate_of_id else "", 12),
    Column("派单给", lambda r: r.dispatched_to.name if r.dispatched_to_id else "", 20),
    Column("上报时间", lambda r: r.submitted_at, 18),
    Column("附议人数", lambda r: r.supporter_count, 8),
    Column("办结答复", lambda r: r.reply, 40),
]


@capability_required("hazards.view")
def hazard_export(request):
    rows = _rows(request).order_by("-submitted_at", "-pk").iterator(chunk_size=2000)
    return export_list(request, title="隐患随手拍", columns=COLUMNS, rows=rows, action="hazard")


def _candidates(report, user):
    rows = scoped(selectors.duplicate_candidates(report), user).filter(region__code__startswith=report.region_id[:9])
    return list(rows.select_related("region")[:30])


@capability_required("hazards.view")
def hazard_detail(request, pk):
    report = selectors.access_hazard(pk, user=request.user)
    can_handle = selectors.may_handle(request.user, report)
    actions = {t.name: t for t in WORKFLOW.available(report, request.user) if t.name in STAFF_ACTIONS} if can_handle else {}
    earlier = selectors.valid_nearby(report) if report.status == HazardStatus.SUBMITTED else None
    context = {
        "report": report,
        "reporter": reporter_label(report),
        "events": [(e, staff_actor_name(e)) for e in timeline(report)],
        "actions": actions,
        "earlier": earlier,
        "candidates": _candidates(report, request.user) if {"mark_duplicate", "correct_duplicate"} & set(actions) else [],
        "targets": selectors.dispatch_targets(request.user) if "dispatch" in actions else [],
        "supporters": report.supporters.count(),
        "photos": list(report.photos.all()),
    }
    return render(request, "hazards/detail.html", context)


@require_POST
@capability_required("hazards.handle")
def hazard_act(request, pk, action):
    if action not in STAFF_ACTIONS:
        raise Http404
    report = selectors.access_hazard(pk, user=request.user, for_write=True)
    user = request.user
    note = request.POST.get("note", "")
    try:
        if action == "verify_valid":
            services.hazard_verify_valid(actor=user, report=report)
        elif action == "verify_invalid":
            services.hazard_verify_invalid(actor=user, report=report, reason=note)
        elif action in ("mark_duplicate", "correct_duplicate"):
            candidates = {c.pk: c for c in _candidates(report, user)}
            original = candidates.get(parse_id(request.POST.get("original", "")) or 0)
            if action == "mark_duplicate":
                services.hazard_mark_duplicate(actor=user, report=report, original=original, note=note)
            else:
                services.hazard_correct(actor=user, report=report, to=HazardStatus.DUPLICATE, reason=note, original=original)
        elif action == "dispatch":
            unit = selectors.dispatch_targets(user).filter(pk=parse_id(request.POST.get("unit", "")) or 0).first()
            services.hazard_dispatch(actor=user, report=report, unit=unit, note=note)
        elif action == "resolve":
            services.hazard_resolve(actor=user, report=report, reply=note)
        elif action == "correct_invalid":
            services.hazard_correct(actor=user, report=report, to=HazardStatus.INVALID, reason=note)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"{report.number}：已{WORKFLOW.by_name[action].label}")
    return redirect("hazards:detail", pk=report.pk)


@capability_required("hazards.view")
def hazard_photo(request, pk, photo_pk):
    report = selectors.access_hazard(pk, user=request.user)
    photo = report.photos.filter(pk=parse_id(photo_pk) or 0).first()
    if photo is None:
        raise Http404
    return photo_response(HazardReport.UPLOAD_FOLDER, photo.stored_name)


# The worker's phone pages.


@worker_required
def my_list(request):
    rows = list(selectors.my_reports(request.worker).order_by("-submitted_at", "-pk"))
    joined = list(selectors.my_joined(request.worker).order_by("-submitted_at")[:20])
    return render(request, "hazards/w_list.html", {"reports": rows, "joined": joined})


def _float(value):
    try:
        number = float(str(value or "").strip())
    except ValueError:
        return None
    return number if number == number and abs(number) < 1000 else None


def _nearby(request, source) -> list:
    category = source.get("category", "")
    if category not in HazardCategory.values:
        return []
    lon, lat = _float(source.get("longitude")), _float(source.get("latitude"))
    if lon is None or lat is None:
        return []
    rows = selectors.nearby_open(category=category, longitude=lon, latitude=lat, exclude_worker=request.worker)
    return [(r, round(d)) for r, d in rows]


@worker_required
def my_new(request):
    form = HazardForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        worker=request.worker,
        initial={"client_key": str(uuid.uuid4())},
    )

    def save(fields):
        return services.hazard_create(actor=request.user, photos=request.FILES.getlist("photos"), **fields)

    report = save_form(request, form, save)
    if report is not None:  # also what the phone's outbox gets when it sends a report kept offline
        message = f"随手拍已上报（{report.number}），将由{report.unit.name}核实"
        return offline.done(request, message=message, to=reverse("hazards:my_detail", args=[report.pk]))

    def page(status=200):
        nearby = _nearby(request, request.POST if request.method == "POST" else request.GET)
        return render(request, "hazards/w_new.html", {"form": form, "nearby": nearby}, status=status)

    if request.method == "POST":
        return offline.refused(request, form=form, page=lambda: page(400))
    return page()


@worker_required
def my_nearby(request):
    """The duplicate offer, as a fragment the form loads when the category or the position changes."""
    return render(request, "hazards/_nearby.html", {"nearby": _nearby(request, request.GET)})


@worker_required
def my_detail(request, pk):
    report = selectors.access_my_report(pk, worker=request.worker)
    context = {"report": report, "events": timeline(report), "photos": list(report.photos.all())}
    return render(request, "hazards/w_detail.html", context)


@worker_required
def my_photo(request, pk, photo_pk):
    report = selectors.access_my_report(pk, worker=request.worker)
    photo = report.photos.filter(pk=parse_id(photo_pk) or 0).first()
    if photo is None:
        raise Http404
    return photo_response(HazardReport.UPLOAD_FOLDER, photo.stored_name)


@require_POST
@worker_required
def my_join(request, pk):
    """ "我也看到了": join an open report nearby (seen only as category, place, state and distance)."""
    report = HazardReport.objects.filter(pk=parse_id(pk) or 0, status__in=OPEN_STATUSES).first()
    if report is None:
        raise Http404
    try:
        services.hazard_join(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request, f"已附议：{report.get_category_display()}（{report.place or report.region.name}），社区会一并核实处理，无需重复上报"
        )
    return redirect("hazards:my_list")
