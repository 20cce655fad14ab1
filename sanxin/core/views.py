from django.shortcuts import render

from sanxin.accounts.roles import Cap
from sanxin.core.listing import list_page
from sanxin.core.models import AuditEvent, AuditOutcome
from sanxin.core.views_helpers import capability_required

AUDIT_SORTS = {"time": "id", "actor": "actor_name", "action": "action"}


@capability_required(Cap.AUDIT_VIEW)
def audit_list(request):
    """The audit trail; only the audit administrator reaches it, everyone else gets 404."""
    events = AuditEvent.objects.all()
    if q := request.GET.get("q", "").strip():
        events = events.filter(actor_name__icontains=q) | events.filter(object_repr__icontains=q)
    if action := request.GET.get("action", "").strip():
        events = events.filter(action__startswith=action)
    if outcome := request.GET.get("outcome", ""):
        events = events.filter(outcome=outcome)
    if start := request.GET.get("start", ""):
        events = events.filter(occurred_at__date__gte=start)
    if end := request.GET.get("end", ""):
        events = events.filter(occurred_at__date__lte=end)
    listing = list_page(request, events, sortable=AUDIT_SORTS, default_sort="-time")
    return render(request, "core/audit_list.html", {"listing": listing, "outcomes": AuditOutcome.choices})
