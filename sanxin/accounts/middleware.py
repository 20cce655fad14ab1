from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

EXEMPT_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/password/")


class SessionLimitMiddleware:
    """Ends a staff session 12 hours after login whatever the activity (idle expiry is the cookie age)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            started = request.session.get("sanxin_login_at")
            login_at = datetime.fromisoformat(started) if started else None
            if login_at is None or timezone.now() - login_at > settings.SANXIN_SESSION_ABSOLUTE_LIMIT:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "会话已过期，请重新登录"}, status=401)
                messages.info(request, "登录已超过 12 小时，请重新登录")
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
        return self.get_response(request)


class PasswordPolicyMiddleware:
    """A new account, or one whose password is older than 90 days, must change it before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and (user.must_change_password or user.password_expired(settings.SANXIN_PASSWORD_MAX_AGE))
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "请先修改密码"}, status=403)
            return redirect("accounts:password_change")
        return self.get_response(request)
