"""The first line of every service: the actor may do this. One function and one exception, so a page answers
Django's 403 page and the API maps the refusal once (403 in Chinese); `actor=None` is the system (a daily
job, the operator's shell command), which services trust unless they need a person."""

from django.core.exceptions import PermissionDenied

REFUSED = "无权执行此操作"


class Refused(PermissionDenied, PermissionError):
    """A service refused its actor: Django's PermissionDenied (a 403 page) and a PermissionError (the API's 403)."""


def require(actor, capability: str, *, person: bool = False) -> None:
    """`actor` holds `capability`; with `person`, the system may not act either."""
    if actor is None:
        if person:
            raise Refused(REFUSED)
        return
    if not actor.can(capability):
        raise Refused(REFUSED)
