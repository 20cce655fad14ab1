"""亮身份报到 pages: the phone pages of the person reporting, and the receiving side's list, form and decisions.
Thin: the rules are sanxin.members.identity's."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sanxin.core.listing import list_page
from sanxin.core.lookup import ScopedLookupField, lookup_response
from sanxin.core.scope import may_access
from sanxin.core.views_helpers import apply_validation_error, capability_required, form_errors_text, posted
from sanxin.core.workflow import timeline
from sanxin.members import identity
from sanxin.members.models import IdentityDecision, IdentityReportStatus, MemberStatus


class ReportTargetField(ScopedLookupField):
    """The Party organization reported to: any active one on the platform, searched by name."""

    url_name = "members:identity_target_lookup"
    placeholder = "输入党组织名称搜索，如“滕王阁 联合党支部”"

    def find(self, key: str):
        return identity.report_target(key)

    def describe(self, key: str) -> str:
        found = self.find(key)
        return f"{found.name}（{found.region.full_name}）" if found else ""

    def clean(self, value):
        key = (forms.CharField.clean(self, value) or "").strip()
        if not key:
            if self.required:
                raise forms.ValidationError("请搜索并选择要报到的党组织")
            return None
        found = self.find(key)
        if found is None:
            raise forms.ValidationError("所选党组织不存在或已撤销，请重新搜索选择")
        return found


class IdentityReportForm(forms.Form):
    """亮身份报到; the rules are the service's (sanxin.members.identity.report_errors)."""

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="公民身份号码", max_length=30, help_text="加密保存，页面上只显示部分号码")
    phone = forms.CharField(label="手机号码", max_length=20, help_text="党组织确认时与您联系")
    joined_on = forms.DateField(label="入党日期", widget=forms.DateInput(attrs={"type": "date"}))
    member_status = forms.ChoiceField(label="党员状态", choices=MemberStatus.choices, initial=MemberStatus.FULL)
    home_organization = forms.CharField(label="组织关系所在党组织", max_length=200, help_text="现组织关系所在党组织的名称或所在地")
    occupation = forms.CharField(label="职业", max_length=50, help_text="如快递员、外卖骑手、网约车司机")
    employer_name = forms.CharField(label="工作单位", max_length=200, required=False, help_text="所在站点、公司或平台")
    party_organization = ReportTargetField(label="报到党组织", help_text="一般为工作所在街道的快递外卖联合党支部")
    # The phone's key for this submission (static/js/outbox.js fills it): sent twice, reported once; a malformed key is ignored.
    client_key = forms.CharField(label="客户端提交标识", required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_organization"].bind_user(user)


class ConfirmForm(forms.Form):
    decision = forms.ChoiceField(label="确认方式", choices=IdentityDecision.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="说明", max_length=500, required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(label="不予确认的原因", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _submit(request, form, *, by_staff: bool):
    if request.method == "POST" and form.is_valid():
        try:
            return identity.identity_report_submit(actor=request.user, by_staff=by_staff, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
    return None


# --------------------------------------------------------------------------------------- the person's phone pages


@capability_required("members.report_identity")
def identity_mine(request):
    reports = identity.identity_report_list(user=request.user, mine=True).order_by("-created_at", "-pk")[:50]
    return render(request, "members/identity_mine.html", {"reports": reports})


@capability_required("members.report_identity")
def identity_report_new(request):
    initial = {"name": request.user.display_name} if request.method != "POST" else None
    form = IdentityReportForm(posted(request), user=request.user, initial=initial)
    report = _submit(request, form, by_staff=False)
    if report is not None:
        messages.success(request, f"已向“{report.party_organization.name}”报到，请等待党组织确认")
        return redirect("members:identity_mine")
    return render(request, "members/identity_report_new.html", {"form": form})


@login_required
def identity_target_lookup(request):
    """Suggestions for the Party organization reported to (names and places of active ones only, 2 characters at least)."""
    if not (request.user.can("members.report_identity") or request.user.can("members.manage")):
        raise Http404
    return lookup_response(
        request,
        make_field=lambda multiple: ReportTargetField(),
        suggest=lambda user, q, limit: identity.report_targets(q, limit=limit),
        key_of=lambda p: str(p.pk),
        place_of=lambda p: p.region.full_name,
    )


# -------------------------------------------------------------------------------------------- the receiving side

SORTS = {"submitted": "created_at", "name": "name", "org": "party_organization__name", "status": "status"}


@capability_required("members.view")
def identity_list(request):
    filters = {k: request.GET.get(k, "") for k in ("q", "party_org")}
    all_statuses = identity.identity_report_list(user=request.user, **filters)
    status = request.GET.get("status", "")
    status = status if status in IdentityReportStatus.values else ""
    rows = all_statuses.filter(status=status) if status else all_statuses
    listing = list_page(request, rows, sortable=SORTS, default_sort="-submitted")
    params = request.GET.copy()
    for name in ("status", "page"):
        params.pop(name, None)
    period = identity.parse_period(request.GET.get("period", ""))
    context = {
        "listing": listing,
        "counts": identity.identity_status_counts(all_statuses),
        "status": status,
        "base_query": params.urlencode(),
        "period": period,
        "periods": identity.period_choices(),
        "by_region": identity.identity_counts_by_region(user=request.user, period=period),
        "can_manage": request.user.can("members.manage"),
    }
    return render(request, "members/identity_list.html", context)


@capability_required("members.manage")
def identity_create(request):
    form = IdentityReportForm(posted(request), user=request.user)
    report = _submit(request, form, by_staff=True)
    if report is not None:
        messages.success(request, f"已为“{report.name}”登记亮身份报到")
        return redirect("members:identity_detail", pk=report.pk)
    return render(request, "members/identity_form.html", {"form": form, "title": "代为登记亮身份报到"})


def _can_decide(request, report) -> bool:
    return bool(identity.IDENTITY.available(report, request.user)) and may_access(
        identity.access_identity_report, report.pk, user=request.user, for_write=True
    )


@capability_required("members.view")
def identity_detail(request, pk):
    report = identity.access_identity_report(pk, user=request.user)
    context = {
        "r": report,
        "can_decide": _can_decide(request, report),
        "confirm_form": ConfirmForm(prefix="confirm"),
        "decline_form": DeclineForm(prefix="decline"),
        "timeline": timeline(report),
    }
    return render(request, "members/identity_detail.html", context)


@require_POST
@capability_required("members.manage")
def identity_confirm(request, pk):
    report = identity.access_identity_report(pk, user=request.user, for_write=True)
    form = ConfirmForm(request.POST, prefix="confirm")
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("members:identity_detail", pk=report.pk)
    try:
        identity.identity_report_confirm(
            actor=request.user, report=report, decision=form.cleaned_data["decision"], note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已确认“{report.name}”的报到：{IdentityDecision(form.cleaned_data['decision']).label}")
    return redirect("members:identity_detail", pk=report.pk)


@require_POST
@capability_required("members.manage")
def identity_decline(request, pk):
    report = identity.access_identity_report(pk, user=request.user, for_write=True)
    form = DeclineForm(request.POST, prefix="decline")
    if not form.is_valid():
        messages.error(request, form_errors_text(form))  # over-long: refused, not read as empty
        return redirect("members:identity_detail", pk=report.pk)
    try:
        identity.identity_report_decline(actor=request.user, report=report, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已不予确认“{report.name}”的报到")
    return redirect("members:identity_detail", pk=report.pk)
