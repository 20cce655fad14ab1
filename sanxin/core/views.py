"""The message centre: each user's own messages (the default notification backend)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxin.core.listing import list_page, parse_id
from sanxin.core.models import Notification


@login_required
def messages_list(request):
    messages = Notification.objects.filter(recipient=request.user)
    listing = list_page(request, messages, sortable={"time": "id"}, default_sort="-time")
    return render(request, "core/messages.html", {"listing": listing})


@require_POST
@login_required
def messages_read(request):
    """Mark the user's unread messages read (one, by ?id=, or all)."""
    unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
    if "id" in request.POST:
        unread = unread.filter(pk=parse_id(request.POST["id"]) or 0)
    unread.update(read_at=timezone.now())
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "core:messages")
