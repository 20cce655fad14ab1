from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page, parse_id
from sanxin.core.scope import may_access
from sanxin.core.views_helpers import capability_required, posted, posted_files, save_form
from sanxin.core.workflow import timeline
from sanxin.party.models import PartyOrgLevel
from sanxin.study import selectors, services
from sanxin.study.forms import MaterialForm, ShareForm, WithdrawForm
from sanxin.study.models import MaterialKind, MaterialStatus, StudyMaterial
from sanxin.study.workflow import WORKFLOW

SORTS = {"created": "created_at", "title": "title", "published": "published_at"}
FILTERS = ("q", "status", "kind")
RATE_SORTS = {
    "org": "party_organization__name",
    "region": "party_organization__region_id",
    "rate": "rate",
    "due": "due_on",
    "shared": "created_at",
}
RATE_FILTERS = ("material", "q", "region", "level", "progress")
PROGRESS = (("incomplete", "未全部学完"), ("complete", "已全部学完"), ("overdue", "已过截止日期未学完"))


def rate_text(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@capability_required("study.view")
def material_list(request):
    rows = selectors.material_list(user=request.user, **{k: request.GET.get(k, "") for k in FILTERS})
    context = {
        "listing": list_page(request, rows, sortable=SORTS, default_sort="-created"),
        "statuses": MaterialStatus.choices,
        "kinds": MaterialKind.choices,
        "can_manage": request.user.can("study.manage"),
    }
    return render(request, "study/material_list.html", context)


def _form_page(request, form, *, title, material=None):
    return render(request, "study/material_form.html", {"form": form, "title": title, "material": material})


@capability_required("study.manage")
def material_create(request):
    form = MaterialForm(posted(request), posted_files(request))
    del form.fields["remove_attachment"]
    material = save_form(request, form, lambda fields: services.material_create(actor=request.user, **fields))
    if material is not None:
        messages.success(request, f"已保存草稿“{material.title}”；发布后即可分享给党组织")
        return redirect("study:material_detail", pk=material.pk)
    return _form_page(request, form, title="新建学习资料")


@capability_required("study.manage")
def material_edit(request, pk):
    material = selectors.access_material(pk, user=request.user, for_write=True)
    initial = {f: getattr(material, f) for f in services.FIELDS}
    form = MaterialForm(posted(request), posted_files(request), initial=initial)
    if not material.has_attachment:
        del form.fields["remove_attachment"]
    saved = save_form(request, form, lambda fields: services.material_update(actor=request.user, material=material, **fields))
    if saved is not None:
        messages.success(request, "已保存")
        return redirect("study:material_detail", pk=material.pk)
    return _form_page(request, form, title=f"编辑：{material.title}", material=material)


def _can_manage(request, material) -> bool:
    return request.user.can("study.manage") and may_access(selectors.access_material, material.pk, user=request.user, for_write=True)


@capability_required("study.view")
def material_detail(request, pk):
    material = selectors.access_material(pk, user=request.user)
    shares = selectors.material_shares(material, user=request.user)
    can_manage = _can_manage(request, material)
    context = {
        "material": material,
        "shares": shares,
        "totals": selectors.totals(shares),
        "can_manage": can_manage,
        "transitions": WORKFLOW.available(material, request.user) if can_manage else [],
        "withdraw_form": WithdrawForm(),
        "timeline": timeline(material),
        "rate_text": rate_text,
    }
    return render(request, "study/material_detail.html", context)


@require_POST
@capability_required("study.manage")
def material_publish(request, pk):
    material = selectors.access_material(pk, user=request.user, for_write=True)
    try:
        services.material_publish(actor=request.user, material=material)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已发布“{material.title}”，现在可以分享给党组织")
    return redirect("study:material_detail", pk=material.pk)


@require_POST
@capability_required("study.manage")
def material_withdraw(request, pk):
    material = selectors.access_material(pk, user=request.user, for_write=True)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写撤回原因（不超过 500 字）")
        services.material_withdraw(actor=request.user, material=material, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已撤回“{material.title}”，党员不能再标记学完")
    return redirect("study:material_detail", pk=material.pk)


@capability_required("study.manage")
def material_share(request, pk):
    material = selectors.access_material(pk, user=request.user, for_write=True)
    form = ShareForm(posted(request), user=request.user)
    result = save_form(request, form, lambda fields: services.material_share(actor=request.user, material=material, **fields))
    if result is not None:
        new, existing = result
        messages.success(request, f"已分享给 {new} 个党组织" + (f"（另有 {existing} 个此前已分享，未重复）" if existing else ""))
        return redirect("study:material_detail", pk=material.pk)
    context = {"material": material, "form": form, "levels": PartyOrgLevel.choices}
    return render(request, "study/material_share.html", context)


def attachment_response(material: StudyMaterial) -> FileResponse:
    """The PDF, for a view that has checked the scope: downloaded, never shown inline, never sniffed or cached."""
    path = services.attachment_path(material.attachment_stored) if material.attachment_stored else None
    if path is None or not path.exists():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, material.attachment_name or "附件.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@capability_required("study.view")
def material_attachment(request, pk):
    return attachment_response(selectors.access_material(pk, user=request.user))


# Rates: per Party organization and material, with the basis of each figure (done / expected) beside it.


def _rates(request):
    return selectors.share_list(user=request.user, **{k: request.GET.get(k, "") for k in RATE_FILTERS})


@capability_required("study.view")
def rate_list(request):
    rows = _rates(request)
    material = selectors.material_list(user=request.user).filter(pk=parse_id(request.GET.get("material", "")) or 0).first()
    context = {
        "listing": list_page(request, rows, sortable=RATE_SORTS, default_sort="rate"),
        "totals": selectors.totals(rows),
        "levels": PartyOrgLevel.choices,
        "progress": PROGRESS,
        "material": material,
        "rate_text": rate_text,
        "today": timezone.localdate(),
    }
    return render(request, "study/rate_list.html", context)


RATE_COLUMNS = [
    Column("学习资料", lambda s: s.material.title, 40),
    Column("党组织", lambda s: s.party_organization.name, 36),
    Column("所在地区", lambda s: s.party_organization.region.full_name, 30),
    Column("党组织类型", lambda s: s.party_organization.get_level_display(), 12),
    Column("应学人数", lambda s: s.expected, 10),
    Column("已学完人数", lambda s: s.done, 10),
    Column("完成率", lambda s: rate_text(s.rate), 10),
    Column("学习截止日期", lambda s: s.due_on, 14),
    Column("分享日期", lambda s: s.created_at, 18),
]


@capability_required("study.view")
def rate_export(request):
    rows = _rates(request).order_by("party_organization__region_id", "party_organization__name", "pk").iterator(chunk_size=2000)
    return export_list(request, title="学习情况", columns=RATE_COLUMNS, rows=rows, action="study_rate")


@capability_required("study.view")
def share_detail(request, pk):
    """One organization's progress on one material: who there has not marked it done (names only, no ranking)."""
    share = selectors.access_share(pk, user=request.user)
    context = {"share": share, "not_done": selectors.not_done_members(share), "rate_text": rate_text}
    return render(request, "study/share_detail.html", context)


# The member's phone pages.


@login_required
def mine(request):
    if not request.user.can("study.learn"):
        raise Http404
    rows = list(selectors.my_materials(request.user))
    context = {
        "member": selectors.own_member(request.user),
        "to_study": [m for m in rows if m.status == MaterialStatus.PUBLISHED and m.done_at is None],
        "done": [m for m in rows if m.done_at is not None],
        "withdrawn": [m for m in rows if m.status == MaterialStatus.WITHDRAWN and m.done_at is None],
        "count": len(rows),
        "today": timezone.localdate(),
    }
    return render(request, "study/mine.html", context)


@login_required
def mine_detail(request, pk):
    material = selectors.access_my_material(pk, user=request.user)
    return render(request, "study/mine_detail.html", {"material": material})


@require_POST
@login_required
def mine_done(request, pk):
    material = selectors.access_my_material(pk, user=request.user)
    if material.done_at is not None:  # a second click of the same button: nothing to write, nothing to refuse
        messages.info(request, f"您已于 {timezone.localtime(material.done_at):%Y-%m-%d %H:%M} 学完，无需重复标记")
        return redirect("study:mine_detail", pk=material.pk)
    try:
        services.material_mark_done(actor=request.user, material=material)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已标记学完：{material.title}")
    return redirect("study:mine_detail", pk=material.pk)


@login_required
def mine_attachment(request, pk):
    return attachment_response(selectors.access_my_material(pk, user=request.user))
