import ipaddress
import json
import re
import uuid

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import JsonResponse

from sanxin.core import context


def client_ip(request) -> str | None:
    """The client's address, for the audit trail and the login lockout alike.

    Behind N trusted proxies (SANXIN_PROXY_COUNT) the client is the
    N-th address from the right of X-Forwarded-For: the last proxy appended the one before it, and
    anything further left was written by the client and cannot be trusted. Without proxies, REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "SANXIN_PROXY_COUNT", 0) or 0
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class RequestContextMiddleware:
    """Gives every request an id (echoed in X-Request-ID) and records the client address for audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = context.set_current(context.RequestContext(ip=client_ip(request), request_id=request.request_id, request=request))
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


REFUSED_CONTROL = "请求中含有不可见的控制字符（如 NUL），已拒绝"
# C0 control characters: none in a path or a name; in a value tab, LF and CR are ordinary text.
_CONTROL_IN_NAME = re.compile(r"[\x00-\x1f]")
_CONTROL_IN_VALUE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _pairs_clean(pairs) -> bool:
    return all(not _CONTROL_IN_NAME.search(name) and not any(_CONTROL_IN_VALUE.search(v) for v in values) for name, values in pairs)


def _json_clean(document) -> bool:
    """Every string of a decoded JSON document, keys as names and the rest as values; iterative, for any depth."""
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if _CONTROL_IN_VALUE.search(value):
                return False
        elif isinstance(value, dict):
            if any(_CONTROL_IN_NAME.search(key) for key in value):
                return False
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return True


def has_control_characters(request) -> bool:
    """NUL and its kin in the path, the query string, a cookie, form fields (not the bytes of uploaded files)
    or a JSON body. PostgreSQL refuses NUL in text outright, and no person types the others."""
    if _CONTROL_IN_NAME.search(request.path):
        return True
    if not _pairs_clean(request.GET.lists()):
        return True
    # A cookie too: Django unquotes "\\000" in a quoted value to NUL, and the session lookup would take it to the database.
    if any(_CONTROL_IN_NAME.search(name) or _CONTROL_IN_NAME.search(value) for name, value in request.COOKIES.items()):
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    if request.content_type in _FORM_TYPES:
        # Field names and values; of files only the field names (Django drops control characters from file names).
        return not _pairs_clean(request.POST.lists()) or any(_CONTROL_IN_NAME.search(name) for name in request.FILES)
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body)
        except (ValueError, RecursionError):
            return False  # not JSON (or nested past what Python reads): the API answers that itself
        return not _json_clean(body)
    return False


class ControlCharacterMiddleware:
    """Refuses, for the whole site, a request carrying control characters (security.md items 17, 19).

    The API answers with a Chinese JSON 400; pages with Django's 400 page (handler400), by raising BadRequest.
    It sits before the session middleware, so such a request touches neither the session nor the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": REFUSED_CONTROL}, status=400, json_dumps_params={"ensure_ascii": False})
            raise BadRequest(REFUSED_CONTROL)
        return self.get_response(request)
