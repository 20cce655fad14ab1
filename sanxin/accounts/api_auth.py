"""API authentication: the staff session (with CSRF) or a bearer token."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from sanxin.accounts.models import ApiToken
from sanxin.accounts.tokens import token_digest

# How fresh ApiToken.last_used_at is kept: a write per token per minute at most, not one per request.
LAST_USED_RESOLUTION = timedelta(seconds=60)


class StaffSession(SessionAuth):
    def _get_key(self, request):
        # Without a session cookie this is no session call (a bearer client): there is nothing for CSRF to protect.
        if self.param_name not in request.COOKIES:
            return None
        try:
            return super()._get_key(request)
        except HttpError:
            raise HttpError(403, "CSRF 校验失败，请刷新页面后重试") from None

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        return user


def note_token_use(token: ApiToken, now) -> None:
    """Records the token's use at most once a LAST_USED_RESOLUTION: within it a request writes nothing. The
    UPDATE is conditional, so requests racing past the first check still write once between them."""
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION), pk=token.pk).update(
        last_used_at=now
    )


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        if not token:
            return None
        found = (
            ApiToken.objects.select_related("user", "user__unit")
            .filter(digest=token_digest(token), expires_at__gt=timezone.now(), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None or found.user.must_change_password:
            return None
        note_token_use(found, timezone.now())
        request.user = found.user
        return found.user
