"""Authentication events go to the audit trail (security.md item 12)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from sanxin.accounts.middleware import session_start
from sanxin.core.audit import audit_record


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    session_start(request.session, timezone.now())
    audit_record(actor=user, action="auth.login", obj=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, recheck=False, **kwargs):
    if recheck:
        return  # a failed password re-check, audited under its own action by sanxin.core.recheck
    username = str(credentials.get("username", ""))[:150]
    audit_record(action="auth.login_failed", object_type="accounts.user", object_repr=username, outcome="failure", actor_name=username)


@receiver(user_locked_out)
def audit_locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        action="auth.lockout",
        object_type="accounts.user",
        object_repr=str(username)[:150],
        outcome="denied",
        actor_name=str(username)[:150],
        detail={"minutes": 30},
    )


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user)
