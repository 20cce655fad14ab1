import ipaddress
import uuid

from django.conf import settings

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
        token = context.set_current(context.RequestContext(ip=client_ip(request), request_id=request.request_id))
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request.request_id
        return response
