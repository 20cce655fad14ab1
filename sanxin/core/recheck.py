"""The password asked again before a bulk export, a role change or a password change (security.md item 10).

A wrong password here counts as a failed login: the same django-axes lockout (five failures for the
username and address lock it for 30 minutes, login included) and the same audit. The session that
reaches the limit is ended, so whoever holds it must log in again, which the lockout refuses.
"""

from __future__ import annotations

import enum

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed

from sanxin.core import context
from sanxin.core.audit import audit_record

LOCKED_MESSAGE = "密码复核连续失败次数过多，账号已锁定 30 分钟，请稍后重新登录"


class RecheckLockedOut(Exception):
    """Raised by services whose re-check reached the lockout: the session is over, the view sends to login."""


class Recheck(enum.Enum):
    PASSED = "passed"
    WRONG = "wrong"
    LOCKED = "locked"  # the session has been ended


def password_recheck(user, password: str, *, action: str, obj=None, object_repr: str = "", outcome: str = "denied") -> Recheck:
    """Check `user`'s password; a failure is audited under `action` and counted toward the login lockout."""
    request = context.current().request
    credentials = {"username": user.get_username()}
    if request is not None and AxesProxyHandler.is_locked(request, credentials):
        return _locked(request, user, action=action, obj=obj, object_repr=object_repr)
    if user.check_password(password or ""):
        return Recheck.PASSED
    audit_record(actor=user, action=action, obj=obj, object_repr=object_repr, outcome=outcome, detail={"reason": "密码复核失败"})
    if request is None:  # a service called outside a request (the shell, a job): nothing to count against
        return Recheck.WRONG
    user_login_failed.send(sender=__name__, credentials=credentials, request=request, recheck=True)
    if AxesProxyHandler.is_locked(request, credentials):
        return _locked(request, user, action=action, obj=obj, object_repr=object_repr)
    return Recheck.WRONG


def _locked(request, user, *, action: str, obj, object_repr: str) -> Recheck:
    detail = {"reason": "账号已锁定，密码复核被拒绝"}
    audit_record(actor=user, action=action, obj=obj, object_repr=object_repr, outcome="denied", detail=detail)
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        logout(request)
    return Recheck.LOCKED
