from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from sanxin.accounts.second_factor import has_second_factor, second_factor_required

# The second factor's verification comes before a due password change (SecondFactorMiddleware); its enrolment after.
EXEMPT_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/password/", "/accounts/second-factor/verify/")
SECOND_FACTOR_EXEMPT_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/login/", "/accounts/second-factor/")


def password_change_due(user) -> bool:
    if not user.has_usable_password():  # a worker's account: they log in by phone and one-time code
        return False
    return user.must_change_password or user.password_expired(settings.SANXIN_PASSWORD_MAX_AGE)


# Session keys kept by the login signal and SessionLimitMiddleware (ISO times).
LOGIN_AT_KEY = "sanxin_login_at"
REFRESHED_AT_KEY = "sanxin_refreshed_at"


def session_start(session, now: datetime) -> None:
    """At login: the 12-hour limit counts from now, and the idle expiry was just set by the login's own save."""
    session[LOGIN_AT_KEY] = session[REFRESHED_AT_KEY] = now.isoformat()


class SessionLimitMiddleware:
    """The two session limits of security.md item 4, without a database write on every request.

    Idle: the session row's expiry (SESSION_COOKIE_AGE, 30 minutes, checked by the session backend on every
    load) is pushed forward by saving the session, at most once every SESSION_REFRESH_INTERVAL (60 s) of
    activity rather than on every request (SESSION_SAVE_EVERY_REQUEST is off). A session therefore dies
    between 29 and 30 idle minutes after its last request, never later.
    Absolute: 12 hours after login, whatever the activity.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            session = request.session
            now = timezone.now()
            started = session.get(LOGIN_AT_KEY)
            login_at = datetime.fromisoformat(started) if started else None
            if login_at is None or now - login_at > settings.SANXIN_SESSION_ABSOLUTE_LIMIT:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "会话已过期，请重新登录"}, status=401)
                messages.info(request, "登录已超过 12 小时，请重新登录")
                login_path = "/w/login/" if request.path.startswith("/w/") else reverse(settings.LOGIN_URL)  # workers: by phone
                return redirect(f"{login_path}?next={request.path}")
            refreshed = session.get(REFRESHED_AT_KEY)
            if refreshed is None or now - datetime.fromisoformat(refreshed) >= settings.SANXIN_SESSION_REFRESH_INTERVAL:
                # Changing the session makes SessionMiddleware save it, which sets a new expiry (now + 30 min).
                session[REFRESHED_AT_KEY] = now.isoformat()
        return self.get_response(request)


class PasswordPolicyMiddleware:
    """A new account, or one whose password is older than 90 days, must change it before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES) and password_change_due(user):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "请先修改密码"}, status=403)
            return redirect("accounts:password_change")
        return self.get_response(request)


class SecondFactorMiddleware:
    """Staff prove their second factor (security.md item 5) before anything else in a session.

    A session that has not is sent to enrol (no confirmed authenticator yet) or to verify; its API calls get a
    401. A new account changes its password first (PasswordPolicyMiddleware, next in line), then enrols; an
    enrolled account proves its factor before it may change its password, so a stolen password alone cannot
    take over the account. Bearer-token API calls carry no session and are not concerned.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or request.path.startswith(SECOND_FACTOR_EXEMPT_PREFIXES)
            or not second_factor_required(user)
            or user.is_verified()
        ):
            return self.get_response(request)
        enrolled = has_second_factor(user)
        if not enrolled and password_change_due(user):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "请先完成双因素认证（输入动态口令）"}, status=401)
        target = reverse("accounts:second_factor_verify" if enrolled else "accounts:second_factor_enrol")
        if request.method == "GET" and request.path != "/":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return redirect(target)
