"""Offline submissions from the phone pages: sent when the network returns, created exactly once.

The phone keeps a form submitted without network in its outbox (static/js/outbox.js) and posts it again later,
possibly more than once (a reply lost in a basement looks like a failure to the phone). What a page and a view must
do to take part:

The form (template)
    <form method="post" action="..." data-offline="上报诉求">   {# the Chinese label the outbox lists it under #}
      {{ csrf_input }}
      <input type="hidden" name="client_key">                  {# outbox.js fills a fresh UUID on every load #}
      ...
    The action must be explicit or the page's own URL; file inputs are kept on the phone too.

The model (when the form creates a row)
    client_key = models.UUIDField("客户端提交标识", null=True, blank=True, editable=False)
    Meta.constraints: models.UniqueConstraint(fields=["<owner>", "client_key"], condition=Q(client_key__isnull=False),
                                              name="<model>_once_per_client_key")

The service (when the form creates a row)
    def appeal_submit(*, actor, client_key=None, **fields):
        ...                                        # capability checks first
        row, created = create_once(Appeal, owner={"worker": worker}, client_key=client_key,
                                   create=lambda: _validated_create(actor, fields, client_key=client_key))
    `create` validates, creates the row with client_key, audits and notifies; it runs in a savepoint, so a second
    arrival racing the first rolls back whole and answers the first row. A repeat arrives before validation runs:
    it answers the existing row even if the same data would now be refused (a duplicate check, a closed window).
    A view whose write is an idempotent update (the member's leave request) needs no client_key.

The view
    Answer through `done(...)` on success and `refused(...)` on a validation refusal. With the outbox's header
    (X-Sanxin-Outbox: 1) they answer JSON ({"ok": true, "message", "redirect"} / 400 {"ok": false, "message",
    "errors"}); without it the browser gets the redirect (with the flash message) or the page with the form's
    errors as before. The flash message is set in both cases, so the phone's next page shows it.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static

# Bump when the service worker's own logic changes; the static files' names (hashed in production) bump it too.
CACHE_VERSION = 1
OUTBOX_HEADER = "X-Sanxin-Outbox"
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
    """The service worker's cache name suffix: the code version and the assets' (hashed in production) names."""
    digest = hashlib.sha256("\n".join(asset_urls()).encode()).hexdigest()[:10]
    return f"v{CACHE_VERSION}-{digest}"
