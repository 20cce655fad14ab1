"""Pages of the second factor: enrolment at first login, verification at every login, reset by the security administrator."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from sanxin.accounts import second_factor
from sanxin.accounts.selectors import access_user
from sanxin.core.views_helpers import capability_required, posted

PENDING_DEVICE_SESSION_KEY = "sanxin_otp_pending_device"


class CodeForm(forms.Form):
    """The templates draw the input themselves, empty each time: a refused code is not shown back."""

    code = forms.CharField(label="动态口令", max_length=32, error_messages={"required": "请输入动态口令"})


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _locked_response(request, error: second_factor.SecondFactorLocked):
    """As a locked login: the session ends and the page says until when."""
    logout(request)
    return render(request, "accounts/second_factor_locked.html", {"until": error.until}, status=429)


@never_cache
@login_required
def enrol(request):
    """First login of a staff account: scan the QR code, confirm with a first code, then see the recovery codes once."""
    user = request.user
    if second_factor.has_second_factor(user):
        return redirect(_next_url(request) if user.is_verified() else "accounts:second_factor_verify")
    if not second_factor.second_factor_required(user):
        return redirect(_next_url(request))
    device = second_factor.second_factor_enrol_start(user=user, pending_id=request.session.get(PENDING_DEVICE_SESSION_KEY))
    request.session[PENDING_DEVICE_SESSION_KEY] = device.pk
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = second_factor.second_factor_enrol(user=user, device_id=device.pk, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error.messages)
        else:
            request.session.pop(PENDING_DEVICE_SESSION_KEY, None)
            otp_login(request, device)
            groups = [f"{code[:4]}-{code[4:]}" for code in codes]
            return render(request, "accounts/second_factor_recovery.html", {"codes": groups, "next": _next_url(request)})
    context = {
        "form": form,
        "qr_svg": second_factor.totp_qr_svg(device),
        "secret_groups": second_factor.totp_secret_groups(device),
        "issuer": settings.OTP_TOTP_ISSUER,
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "accounts/second_factor_enrol.html", context)


@never_cache
@login_required
def verify(request):
    """Every login of an enrolled staff account: a code from the authenticator, or a recovery code (used up)."""
    user = request.user
    if not second_factor.has_second_factor(user):
        return redirect("accounts:second_factor_enrol")
    if user.is_verified():
        return redirect(_next_url(request))
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor.second_factor_verify(user=user, code=form.cleaned_data["code"])
        except second_factor.SecondFactorLocked as error:
            return _locked_response(request, error)
        except ValidationError as error:
            form.add_error("code", error.messages)
        else:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = second_factor.second_factor_status(user).recovery_codes_left
                messages.warning(
                    request, f"已使用一个恢复码（每个只能用一次），还剩 {left} 个。如手机丢失，请联系安全管理员重置双因素认证。"
                )
            return redirect(_next_url(request))
    status = second_factor.second_factor_status(user)
    context = {"form": form, "locked_until": status.locked_until, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "accounts/second_factor_verify.html", context)


@require_POST
@capability_required("roles.grant")
def reset(request, pk):
    """The security administrator removes a user's authenticator and recovery codes; the user enrols again."""
    target = access_user(pk, user=request.user, capability="roles.grant")
    try:
        second_factor.second_factor_reset(actor=request.user, user=target)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已重置“{target.display_name}”的双因素认证，该用户下次登录时须重新绑定身份验证器")
    return redirect("accounts:user_detail", pk=target.pk)
