"""API authentication: the staff session (with CSRF) or a bearer token."""

from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from sanxin.accounts.models import ApiToken
from sanxin.accounts.tokens import token_digest


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
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user
