"""Staff pages of workers and platforms (/workers/…): thin, reading through the selectors and writing through the
services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from sanxin.core.declare import worker_record_sections
from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page, parse_id
from sanxin.core.views_helpers import capability_required, posted, save_form
from sanxin.workers import selectors, services
from sanxin.workers.forms import PlatformForm, WorkerForm
from sanxin.workers.models import Occupation, Platform

SORTS = {"name": "name", "region": "region_id", "created": "created_at", "active": "last_active_at"}
FILTERS = ("q", "occupation", "platform", "region")
COLUMNS = [
    Column("姓名", lambda w: w.name, 12),
    Column("手机号码", lambda w: w.phone_masked, 14),
    Column("职业", lambda w: w.get_occupation_display(), 12),
    Column("所属平台", lambda w: "、".join(p.name for p in w.platforms.all()), 24),
    Column("工作区域代码", lambda w: w.region_id, 14),
    Column("工作区域", lambda w: w.region.full_name, 30),
    Column("工作区域说明", lambda w: w.work_area, 24),
    Column("所在站点/加盟商", lambda w: w.employer.name if w.employer_id else w.employer_name, 24),
    Column("来源", lambda w: w.get_source_display(), 12),
    Column("同意书版本", lambda w: w.consent_version, 12),
    Column("同意时间", lambda w: w.consented_at, 18),
]


def _filtered(request):
    return selectors.worker_list(user=request.user, **{k: request.GET.get(k, "") for k in FILTERS})


@capability_required("workers.view")
def worker_list(request):
    rows = _filtered(request).prefetch_related("platforms")
    context = {
        "listing": list_page(request, rows, sortable=SORTS, default_sort="region"),
        "occupations": Occupation.choices,
        "platforms": Platform.objects.all(),
        "can_manage": request.user.can("workers.manage"),
        "can_import": request.user.can("imports.use"),
    }
    return render(request, "workers/worker_list.html", context)


@capability_required("workers.view")
def worker_export(request):
    rows = _filtered(request).select_related("employer").prefetch_related("platforms").order_by("region_id", "name", "pk")
    return export_list(request, title="从业人员名册", columns=COLUMNS, rows=rows, action="worker")


def _detail(request, worker, *, phone: str = ""):
    context = {
        "w": worker,
        "phone": phone,
        "can_manage": request.user.can("workers.manage") and selectors.can_write(worker, request.user),
        "can_unmask": request.user.can("workers.unmask"),
        "member": selectors.visible_member(worker, request.user),
        "sections": worker_record_sections(worker),
    }
    return render(request, "workers/worker_detail.html", context)


@capability_required("workers.view")
def worker_detail(request, pk):
    return _detail(request, selectors.access_worker(pk, user=request.user))


@never_cache
@capability_required("workers.unmask")
def worker_unmask(request, pk):
    worker = selectors.access_worker(pk, user=request.user)
    return _detail(request, worker, phone=services.worker_unmask(actor=request.user, worker=worker))


def _form_page(request, form, *, title, worker=None):
    return render(request, "workers/worker_form.html", {"form": form, "title": title, "w": worker})


@capability_required("workers.manage")
def worker_create(request):
    form = WorkerForm(posted(request), user=request.user)
    worker = save_form(request, form, lambda fields: services.worker_create(actor=request.user, **fields))
    if worker is not None:
        messages.success(request, "已登记从业人员")
        return redirect("workers:worker_detail", pk=worker.pk)
    return _form_page(request, form, title="登记从业人员")


@capability_required("workers.manage")
def worker_edit(request, pk):
    worker = selectors.access_worker(pk, user=request.user, for_write=True)
    initial = {
        "name": worker.name,
        "phone": worker.phone,
        "occupation": worker.occupation,
        "platforms": list(worker.platforms.all()),
        "region": worker.region,
        "work_area": worker.work_area,
        "employer": worker.employer.credit_code if worker.employer_id else "",
        "employer_name": worker.employer_name,
    }
    form = WorkerForm(posted(request), user=request.user, initial=initial)
    saved = save_form(request, form, lambda fields: services.worker_update(actor=request.user, worker=worker, **fields))
    if saved is not None:
        messages.success(request, "已保存")
        return redirect("workers:worker_detail", pk=worker.pk)
    return _form_page(request, form, title="修改从业人员", worker=worker)


def _platform_viewer(user) -> bool:
    return user.can("workers.platforms") or user.can("workers.view")


@login_required
def platform_list(request):
    if not _platform_viewer(request.user):
        raise Http404
    context = {"platforms": selectors.platform_list(), "can_manage": request.user.can("workers.platforms")}
    return render(request, "workers/platform_list.html", context)


@capability_required("workers.platforms")
def platform_create(request):
    form = PlatformForm(posted(request))
    platform = save_form(request, form, lambda fields: services.platform_create(actor=request.user, **fields))
    if platform is not None:
        messages.success(request, f"已新增平台“{platform.name}”")
        return redirect("workers:platform_list")
    return render(request, "workers/platform_form.html", {"form": form, "title": "新增平台"})


@capability_required("workers.platforms")
def platform_edit(request, pk):
    platform_id = parse_id(pk)
    if platform_id is None:
        raise Http404
    platform = get_object_or_404(Platform, pk=platform_id)
    initial = {"name": platform.name, "kind": platform.kind, "unit": platform.unit}
    form = PlatformForm(posted(request), initial=initial)
    saved = save_form(request, form, lambda fields: services.platform_update(actor=request.user, platform=platform, **fields))
    if saved is not None:
        messages.success(request, "已保存")
        return redirect("workers:platform_list")
    return render(request, "workers/platform_form.html", {"form": form, "title": f"修改平台：{platform.name}", "platform": platform})
