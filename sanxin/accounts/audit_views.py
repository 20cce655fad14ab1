from django import forms
from django.shortcuts import render

from sanxin.core.audit import audit_record
from sanxin.core.audit_labels import action_choices
from sanxin.core.listing import list_page
from sanxin.core.models import AuditEvent, AuditOutcome
from sanxin.core.views_helpers import capability_required

AUDIT_SORTS = {"time": "id", "actor": "actor_name", "action": "action"}


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": f"{label}应为有效日期，格式如 2026-01-31"}
    )


class AuditFilterForm(forms.Form):
    q = forms.CharField(label="操作人或对象", required=False, max_length=150)
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "全部"), *action_choices()], error_messages={"invalid_choice": "操作不在可选范围内"}
    )
    outcome = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), *AuditOutcome.choices])
    start = _date_field("起始日期")
    end = _date_field("截止日期")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "截止日期不能早于起始日期")
        return data


def _filtered(events, data: dict):
    if q := data["q"].strip():
        events = events.filter(actor_name__icontains=q) | events.filter(object_repr__icontains=q)
    if action := data["action"].strip():
        events = events.filter(action__startswith=action)
    if data["outcome"]:
        events = events.filter(outcome=data["outcome"])
    if data["start"]:
        events = events.filter(occurred_at__date__gte=data["start"])
    if data["end"]:
        events = events.filter(occurred_at__date__lte=data["end"])
    return events


@capability_required("audit.view")
def audit_list(request):
    """The audit trail; only the audit administrator reaches it, everyone else gets 404.

    Reading the trail is itself audited (security.md item 8): one event per page view, with its filters."""
    form = AuditFilterForm(request.GET)
    if form.is_valid():
        events = _filtered(AuditEvent.objects.all(), form.cleaned_data)
        filters = {k: str(v) for k, v in form.cleaned_data.items() if v}
    else:
        events = AuditEvent.objects.none()
        filters = {k: v for k, v in request.GET.items() if k in form.fields}
    audit_record(
        actor=request.user,
        action="audit.view",
        object_type="core.auditevent",
        object_repr="审计日志",
        outcome="success" if form.is_valid() else "failure",
        detail={"filters": filters, "page": request.GET.get("page", "1")},
    )
    listing = list_page(request, events, sortable=AUDIT_SORTS, default_sort="-time")
    context = {"listing": listing, "outcomes": AuditOutcome.choices, "form": form, "actions": form.fields["action"].choices}
    return render(request, "accounts/audit_list.html", context)
