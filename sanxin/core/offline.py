"""Offline submissions from the phone pages: sent when the network returns, created exactly once.

The phone keeps a form submitted without network in its outbox (static/js/outbox.js) and posts it again later,
possibly more than once (a reply lost in a basement looks like a failure to the phone). What a page and a view must
do to take part (worked examples: the member's leave request, sanxin/mine/views.py::meeting_leave and
templates/mine/meeting_detail.html; the 亮身份 report's client_key, sanxin/members/identity.py):

The form (template, in the phone shell templates/mobile/base.html, which loads outbox.js)
    <form method="post" action="{{ url(...) }}" enctype="multipart/form-data" data-offline="上报诉求">
      {{ csrf_input }}
      <input type="hidden" name="client_key">          {# outbox.js fills a fresh UUID on every page load #}
      ...
    data-offline is the Chinese label the outbox lists the entry under. The action must be explicit (or the page's
    own URL). File inputs are kept on the phone as they are (photos). Do not mark forms holding ID numbers or
    passwords: what is kept stays on the phone until sent.

The Django form: client_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput); the view
passes it on; `parse_client_key` turns a missing or malformed one into None (no dedupe, never a refusal).

The model (when the form creates a row)
    client_key = models.UUIDField("客户端提交标识", null=True, blank=True, editable=False)
    Meta.constraints += [models.UniqueConstraint(fields=["<owner>", "client_key"],
                                                 condition=Q(client_key__isnull=False), name="<model>_once_per_client_key")]

The service (when the form creates a row)
    def appeal_submit(*, actor, client_key=None, **fields) -> Appeal:
        require(actor, ...)                                # the capability first, as always
        key = parse_client_key(client_key)
        def create():                                     # validates, creates with client_key=key, audits, notifies
            ...
        appeal, _ = create_once(Appeal, owner={"worker": worker}, client_key=key, create=create)
        return appeal
    The lookup comes before `create`: a repeat answers the row already made even if the same data would now be
    refused (a duplicate check, a closed window). `create` runs in a savepoint: a repeat racing the first loses on
    the unique constraint, rolls back whole (its audit event and on-commit notifications too) and answers the
    first row. A write that is an idempotent update (the leave request: the same reason again changes nothing)
    needs no client_key.

The view
    Answer through `done(request, message=..., to=url)` on success and `refused(request, form=form, page=...)` on a
    validation refusal. With the outbox's header (X-Sanxin-Outbox: 1) they answer JSON ({"ok": true, "message",
    "redirect"} / 400 {"ok": false, "message", "errors"}); without it the browser gets the redirect or the page
    with the form's errors, as before. The flash message is set in both cases, so the phone's next page shows it.
    A replay comes later than the act: `kept_at(request)` is when the phone kept the entry (the phone's own
    clock, so only for display or a bounded correction such as the check-in time; never for a deadline).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils import timezone

# Bump when the service worker's own logic changes; the static files' names (hashed in production) bump it too.
CACHE_VERSION = 1
OUTBOX_HEADER = "X-Sanxin-Outbox"
KEPT_AT_HEADER = "X-Sanxin-Kept-At"
KEPT_AT_LIMIT = timedelta(days=7)
T = TypeVar("T")

# What the phone shell needs to draw a page with no network (templates/base.html and templates/mobile/base.html).
SHELL_ASSETS = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff",
    "css/sanxin.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "js/sanxin.js",
    "js/outbox.js",
    "img/favicon.svg",
    "img/app-192.png",
    "img/app-512.png",
]
THEME_COLOR = "#a3141a"  # the phone shell's top bar (static/css/sanxin.css .sx-topbar)


# ------------------------------------------------------------------------------------------------ exactly once


def parse_client_key(value) -> uuid.UUID | None:
    """The client_key a form posted: a UUID, or None when missing or malformed (then no dedupe, a plain create)."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value or "").strip())
    except ValueError:
        return None


def create_once(model: type[T], *, owner: dict, client_key, create: Callable[[], T]) -> tuple[T, bool]:
    """The row `owner` already created with this client_key, or `create()`'s new row: (row, created).

    `owner` names the owner fields of the model's unique constraint ({"worker": worker}); `create` must store
    client_key on the row. Without a client_key it simply creates. Runs `create` in a savepoint: a concurrent
    arrival of the same key loses on the unique constraint, rolls back whole and answers the winner's row."""
    key = parse_client_key(client_key)
    if key is None:
        return create(), True
    existing = model.objects.filter(**owner, client_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = model.objects.filter(**owner, client_key=key).first()
        if existing is None:
            raise
        return existing, False


# ------------------------------------------------------------------------------------------- answering the outbox


def kept_at(request: HttpRequest, *, now: datetime | None = None) -> datetime | None:
    """When the phone kept this entry (header X-Sanxin-Kept-At, ISO 8601 from the phone's clock): None when absent,
    malformed, in the future or more than KEPT_AT_LIMIT ago."""
    text = request.headers.get(KEPT_AT_HEADER, "")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    now = now or timezone.now()
    return moment if now - KEPT_AT_LIMIT <= moment <= now + timedelta(minutes=5) else None


def from_outbox(request: HttpRequest) -> bool:
    """The phone's outbox (or its online submit through fetch) posted this, and wants JSON back."""
    return request.headers.get(OUTBOX_HEADER) == "1"


def done(request: HttpRequest, *, message: str, to: str) -> HttpResponse:
    """Success: the flash message, then JSON for the outbox or the redirect for a browser."""
    messages.success(request, message)
    if from_outbox(request):
        return JsonResponse({"ok": True, "message": message, "redirect": to})
    return redirect(to)


def form_errors(form) -> dict[str, list[str]]:
    """A bound form's errors by the field's Chinese label ("" for the form as a whole)."""
    out: dict[str, list[str]] = {}
    for name, errors in form.errors.items():
        label = str(form.fields[name].label) if name in form.fields else ""
        out.setdefault(label, []).extend(str(e) for e in errors)
    return out


def refused(request: HttpRequest, *, form=None, errors: list[str] | None = None, page: Callable[[], HttpResponse]) -> HttpResponse:
    """A validation refusal: JSON 400 with the Chinese errors for the outbox, or `page()` (the form again) for a browser."""
    if not from_outbox(request):
        return page()
    by_field = form_errors(form) if form is not None else {}
    if errors:
        by_field.setdefault("", []).extend(errors)
    text = "；".join(f"{label}：{e}" if label else e for label, items in by_field.items() for e in items)
    return JsonResponse({"ok": False, "message": text or "提交未被接受", "errors": by_field}, status=400)


def asset_urls() -> list[str]:
    return [static(name) for name in SHELL_ASSETS]


def cache_version() -> str:
    """The service worker's cache name suffix: the code version, the assets' names (hashed in production) and
    their sizes and times (so a changed file reaches the phone in development too, where names are not hashed)."""
    parts = [str(CACHE_VERSION), *asset_urls()]
    for name in SHELL_ASSETS:
        path = finders.find(name)
        if path:
            stat = Path(path).stat()
            parts.append(f"{stat.st_size}:{stat.st_mtime_ns}")
    return f"v{CACHE_VERSION}-{hashlib.sha256(chr(10).join(parts).encode()).hexdigest()[:10]}"
