"""Pages of relation transfers (组织关系转接): the list (转出 / 转入 tabs, state filter, export), the detail with the
steps the user's side may take and the timeline, the form that starts one from a member's page, and the search
for the receiving Party organization."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page
from sanxin.core.lookup import lookup_response
from sanxin.core.views_helpers import apply_validation_error, capability_required, form_errors_text, posted
from sanxin.members import selectors, transfers
from sanxin.members.forms import TransferDestinationField, TransferForm, TransferStepForm
from sanxin.members.models import TransferState
from sanxin.members.workflow import TRANSFER

SORTS = {"initiated": "initiated_on", "name": "member__name", "state": "state", "valid": "valid_until"}
DIRECTIONS = (("", "全部"), ("out", "转出"), ("in", "转入"))
COLUMNS = [
    Column("介绍信编号", lambda t: t.letter_number, 20),
    Column("党员姓名", lambda t: t.member.name),
    Column("公民身份号码", lambda t: t.member.id_number_masked, 22),
    Column("转出党组织", lambda t: t.from_organization.name, 36),
    Column("转出地区", lambda t: t.from_organization.region.full_name, 30),
    Column("接收党组织", lambda t: t.to_organization.name, 36),
    Column("接收地区", lambda t: t.to_organization.region.full_name, 30),
    Column("转接原因", lambda t: t.reason, 20),
    Column("状态", lambda t: t.get_state_display()),
    Column("发起日期", lambda t: t.initiated_on),
    Column("有效期至", lambda t: t.valid_until),
    Column("接收日期", lambda t: t.accepted_on),
    Column("退回日期", lambda t: t.rejected_on),
    Column("退回原因", lambda t: t.reject_reason, 30),
    Column("完成日期", lambda t: t.completed_on),
    Column("撤销日期", lambda t: t.cancelled_on),
]


def _direction(request) -> str:
    direction = request.GET.get("direction", "")
    return direction if direction in ("out", "in") else ""


def _filtered(request):
    state = request.GET.get("state", "")
    return transfers.transfer_list(
        user=request.user,
        direction=_direction(request),
        state=state if state in TransferState.values else "",
        q=request.GET.get("q", "").strip(),
    )


@capability_required("members.view")
def transfer_list(request):
    listing = list_page(request, _filtered(request), sortable=SORTS, default_sort="-initiated")
    params = request.GET.copy()
    for name in ("direction", "page"):
        params.pop(name, None)
    context = {
        "listing": listing,
        "direction": _direction(request),
        "directions": DIRECTIONS,
        "tab_query": params.urlencode(),
        "states": TransferState.choices,
        "today": timezone.localdate(),
    }
    return render(request, "members/transfer_list.html", context)


@capability_required("members.view")
def transfer_export(request):
    rows = _filtered(request).order_by("-initiated_on", "-pk").iterator(chunk_size=2000)
    return export_list(request, title="组织关系转接", columns=COLUMNS, rows=rows, action="transfer")


@capability_required("members.view")
def transfer_detail(request, pk):
    transfer = transfers.access_transfer(pk, user=request.user)
    steps = transfers.transfer_steps(transfer, request.user)
    context = {
        "t": transfer,
        "m": transfer.member,
        "member_visible": transfers.member_visible(transfer, request.user),
        "steps": steps,
        "step_forms": {step.name: _step_form(step) for step in steps},
        "timeline": transfers.transfer_timeline(transfer),
    }
    return render(request, "members/transfer_detail.html", context)


def _step_form(step, data=None):
    form = TransferStepForm(data, prefix=step.name)
    if step.note_required:
        form.fields["note"].label = "退回原因"
        form.fields["note"].required = True
        form.fields["note"].error_messages["required"] = "请填写退回原因"
    return form


@require_POST
@capability_required("members.manage")
def transfer_step(request, pk, step):
    transfer = transfers.access_transfer(pk, user=request.user, for_write=True)
    if step not in TRANSFER.by_name:
        raise Http404
    form = _step_form(TRANSFER.by_name[step], request.POST)
    if not form.is_valid():  # an over-long note is refused, not dropped
        messages.error(request, form_errors_text(form))
        return redirect("members:transfer_detail", pk=transfer.pk)
    try:
        transfers.STEP_SERVICES[step](actor=request.user, transfer=transfer, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已{TRANSFER.by_name[step].label}")
    return redirect("members:transfer_detail", pk=transfer.pk)


@capability_required("members.manage")
def transfer_create(request, pk):
    """发起转接 from the member's page: only where the member's Party organization is kept (else 404)."""
    member = selectors.access_member(pk, user=request.user, for_write=True)
    initial = {"valid_until": timezone.localdate() + timedelta(days=transfers.DEFAULT_VALIDITY_DAYS)}
    form = TransferForm(posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = transfers.transfer_initiate(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已发起“{member.name}”的组织关系转接")
            return redirect("members:transfer_detail", pk=transfer.pk)
    context = {"form": form, "m": member, "open_transfer": transfers.open_transfer_of(member)}
    return render(request, "members/transfer_form.html", context)


@capability_required("members.manage")
def transfer_destination_lookup(request):
    """Suggestions for the receiving Party organization: any active one on the platform, by name."""
    return lookup_response(
        request,
        make_field=lambda multiple: TransferDestinationField(),
        suggest=transfers.destination_suggestions,
        key_of=lambda p: str(p.pk),
        place_of=lambda p: p.region.full_name,
    )
