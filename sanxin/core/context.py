"""Who is asking and from where, for the audit trail, without passing the request everywhere."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    request_id: str = ""
    request: object | None = None  # the HttpRequest, for the few checks that need it (the password re-check's lockout)


_current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar("sanxin_request", default=RequestContext())  # noqa: B039 (frozen, immutable)


def current() -> RequestContext:
    return _current.get()


def set_current(ctx: RequestContext) -> contextvars.Token:
    return _current.set(ctx)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)
