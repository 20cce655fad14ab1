"""流动党员 pages: the list of members out, in and lost (tabs with counts), and a member's mobility page with the
registrations' history and the forms to register, end, mark lost and recover. Thin: the rules are
sanxin.members.mobility's."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxin.core.listing import list_page
from sanxin.core.scope import may_access
from sanxin.core.views_helpers import apply_validation_error, capability_required, form_errors_text
from sanxin.members import mobility, selectors
from sanxin.members.identity_views import ReportTargetField

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class OutflowForm(forms.Form):
    destination = forms.CharField(label="流入地", max_length=200, required=False, help_text="如：浙江省杭州市余杭区")
    destination_organization = ReportTargetField(
        label="流入地党组织", required=False, help_text="流入地党组织在本平台上的，搜索选择；不在平台上的只填流入地"
    )
    starts_on = forms.DateField(label="外出日期", **DATE)
    ends_on = forms.DateField(label="预计返回日期", required=False, **DATE)
    contact = forms.CharField(label="流动期间联系电话", max_length=20, required=False)
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination_organization"].bind_user(user)


class InflowForm(forms.Form):
    home_organization = forms.CharField(label="组织关系所在党组织", max_length=200, help_text="名称或所在地")
    starts_on = forms.DateField(label="流入日期", **DATE)
    ends_on = forms.DateField(label="预计流动结束日期", required=False, **DATE)
    contact = forms.CharField(label="联系电话", max_length=20, required=False)
    note = forms.CharField(label="说明", max_length=500, required=False)


class LostForm(forms.Form):
    on = forms.DateField(label="失联日期", **DATE)
    reason = forms.CharField(label="失联原因", max_length=500, required=False)


class RecoverForm(forms.Form):
    on = forms.DateField(label="恢复联系日期", **DATE)
    note = forms.CharField(label="情况说明", max_length=500, required=False)


class EndForm(forms.Form):
    ends_on = forms.DateField(label="结束日期", **DATE)
    note = forms.CharField(label="说明", max_length=500, required=False)


ACTIONS = {
    "outflow": (lambda data, user: OutflowForm(data, user=user), mobility.mobile_outflow_register, "已登记流出"),
    "inflow": (lambda data, user: InflowForm(data, prefix="inflow"), mobility.mobile_inflow_register, "已登记流入"),
    "lost": (lambda data, user: LostForm(data, prefix="lost"), mobility.member_mark_lost, "已标记失联"),
    "recover": (lambda data, user: RecoverForm(data, prefix="recover"), mobility.member_recover, "已恢复联系"),
}


@capability_required("members.view")
def mobile_list(request):
    tab = request.GET.get("tab", "outflow")
    tab = tab if tab in dict(mobility.TABS) else "outflow"
    q = request.GET.get("q", "")
    if tab == "lost":
        rows = mobility.lost_member_list(user=request.user, q=q)
        sorts = {"name": "name", "org": "party_organization__name", "since": "lost_on"}
    else:
        rows = mobility.mobile_registration_list(user=request.user, direction=tab, q=q)
        sorts = {"name": "member__name", "org": "member__party_organization__name", "since": "starts_on"}
    listing = list_page(request, rows, sortable=sorts, default_sort="-since")
    context = {
        "listing": listing,
        "tab": tab,
        "tabs": mobility.TABS,
        "counts": mobility.mobile_counts(user=request.user, q=q),
        "q": q,
        "today": timezone.localdate(),
        # The destination side of an outflow sees the registration, not the member's own page.
        "member_pages": selectors.visible_member_ids([g.member_id for g in listing.page], user=request.user) if tab != "lost" else set(),
    }
    return render(request, "members/mobile_list.html", context)


def _page(request, member, *, bound=None, status=200):
    can_keep = request.user.can("members.manage") and may_access(selectors.access_member, member.pk, user=request.user, for_write=True)
    forms_by_action = {name: make(None, request.user) for name, (make, _, _) in ACTIONS.items()}
    if bound:
        forms_by_action.update(bound)
    context = {
        "m": member,
        "can_keep": can_keep,
        "forms": forms_by_action,
        "end_form": EndForm(prefix="end"),
        "today": timezone.localdate(),
        **mobility.member_mobility(member, user=request.user),
    }
    return render(request, "members/member_mobility.html", context, status=status)


@capability_required("members.view")
def member_mobility(request, pk):
    return _page(request, selectors.access_member(pk, user=request.user))


@require_POST
@capability_required("members.manage")
def member_mobility_action(request, pk, action):
    member = selectors.access_member(pk, user=request.user, for_write=True)
    if action not in ACTIONS:
        raise Http404
    make, service, done = ACTIONS[action]
    form = make(request.POST, request.user)
    if form.is_valid():
        try:
            service(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{done}：{member.name}")
            return redirect("members:member_mobility", pk=member.pk)
    return _page(request, member, bound={action: form}, status=400)


@require_POST
@capability_required("members.manage")
def mobile_registration_end(request, pk):
    registration = mobility.access_mobile_registration(pk, user=request.user, for_write=True)
    form = EndForm(request.POST, prefix="end")
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
    else:
        try:
            mobility.mobile_registration_end(actor=request.user, registration=registration, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已结束{registration.get_direction_display()}登记")
    return redirect("members:member_mobility", pk=registration.member_id)
