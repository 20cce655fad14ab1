"""API authentication: the staff session (with CSRF) or a bearer token."""

import hashlib

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from sanxin.accounts.models import ApiToken


def token_digest(raw: str) -> str:
    from sanxin.core.crypto import sm3

    return sm3(raw.encode()).hex() if raw else hashlib.sha256(b"").hexdigest()


class StaffSession(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        return user


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user", "user__unit")
            .filter(digest=token_digest(token), expires_at__gt=timezone.now(), user__is_active=True)
            .first()
        )
        if found is None or found.user.must_change_password:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user
