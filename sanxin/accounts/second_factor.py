"""The second factor for staff (security.md item 5): TOTP through django-otp, recovery codes, lockout and reset.

Who must use it is decided in one place, `second_factor_required`. A used code is refused by the
TOTP device itself (`last_t`: only a later time step verifies). Five wrong codes in a row lock the
factor for 30 minutes, as five wrong passwords lock the login (the count lives on the user's TOTP
device, so logging in again does not start it over). Audit events never hold a code or the secret.
"""

from __future__ import annotations

import re
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanxin.accounts.models import User
from sanxin.core.audit import audit_record
from sanxin.core.models import AuditOutcome
from sanxin.core.roles import Role
from sanxin.core.scope import scoped

# Members and workers will sign in with their phone and a one-time SMS code; every other role is staff.
ROLES_WITHOUT_SECOND_FACTOR = frozenset({Role.MEMBER, Role.WORKER})
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "身份验证器"
RECOVERY_DEVICE_NAME = "恢复码"
TOTP_CODE = re.compile(r"\d{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")  # django-otp's StaticToken.random_token(): 8 base32 characters


class SecondFactorLocked(Exception):
    """Too many wrong codes: the factor refuses every code until `until`."""

    def __init__(self, until: datetime):
        super().__init__(f"动态口令验证已锁定，请于 {timezone.localtime(until):%H:%M} 后再试")
        self.until = until


def failure_limit() -> int:
    """The same limit as wrong passwords (django-axes)."""
    return settings.AXES_FAILURE_LIMIT


def lock_time():
    return settings.AXES_COOLOFF_TIME


def roles_need_second_factor(role_codes) -> bool:
    return bool(set(role_codes) - ROLES_WITHOUT_SECOND_FACTOR)


def second_factor_required(user) -> bool:
    """The one rule: staff (any role but member and worker) pass a second factor, unless the deployment turned it off."""
    if not settings.SANXIN_OTP_REQUIRED or user is None or not getattr(user, "is_authenticated", False):
        return False
    return roles_need_second_factor(user.role_codes)


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _locked_until(device: TOTPDevice, now: datetime) -> datetime | None:
    if device.throttling_failure_count < failure_limit() or device.throttling_failure_timestamp is None:
        return None
    until = device.throttling_failure_timestamp + lock_time()
    return until if until > now else None


def _recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@dataclass(frozen=True)
class SecondFactorStatus:
    required: bool
    enrolled: bool
    enrolled_at: datetime | None
    recovery_codes_left: int
    locked_until: datetime | None


def second_factor_status(user) -> SecondFactorStatus:
    """What the user page shows: never the secret or a code."""
    device = confirmed_totp(user)
    return SecondFactorStatus(
        required=settings.SANXIN_OTP_REQUIRED and roles_need_second_factor(user.role_codes),
        enrolled=device is not None,
        enrolled_at=device.created_at if device else None,
        recovery_codes_left=_recovery_codes_left(user) if device else 0,
        locked_until=_locked_until(device, timezone.now()) if device else None,
    )


def _state(user) -> dict:
    return {"totp": has_second_factor(user), "recovery_codes_left": _recovery_codes_left(user)}


def normalize_code(code: str) -> str:
    """Codes as people type them: spaces, hyphens and upper case are forgiven."""
    return re.sub(r"[\s\-]", "", code or "").lower()


# -- enrolment ------------------------------------------------------------------


def second_factor_enrol_start(*, user, pending_id: int | None = None) -> TOTPDevice:
    """The unconfirmed device whose secret the enrolment page shows.

    Each login session gets its own secret (the caller keeps its id in the session), so someone who saw
    another session's enrolment page learns nothing about the device that ends up confirmed.
    """
    if has_second_factor(user):
        raise ValidationError("已绑定身份验证器")
    if pending_id is not None:
        device = TOTPDevice.objects.filter(pk=pending_id, user=user, confirmed=False).first()
        if device is not None:
            return device
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The secret in base32, as authenticator apps take it by hand."""
    return b32encode(device.bin_key).decode()


def totp_secret_groups(device: TOTPDevice) -> list[str]:
    secret = totp_secret(device)
    return [secret[i : i + 4] for i in range(0, len(secret), 4)]


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no image file, no script: the CSP allows it)."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(scale=4, border=2, dark="#111827", light="#ffffff", omitsize=True, svgclass="sx-otp-qr", lineclass=None)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return sorted(codes)


def second_factor_enrol(*, user, device_id: int, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the device shown on the enrolment page with its first code; returns it and 10 recovery codes (shown once)."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one enrolment at a time per user
        device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
        if device is None or has_second_factor(user):
            raise ValidationError("本次绑定已失效，请刷新页面后重新扫描二维码")
        value = normalize_code(code)
        if TOTP_CODE.fullmatch(value) and device.verify_token(value):
            before = _state(user)
            device.confirmed = True
            device.throttle_reset(commit=False)
            device.save()
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = _new_recovery_codes(user)
            audit_record(actor=user, action="second_factor_enrol", obj=user, detail={"old": before, "new": _state(user)})
            return device, codes
    audit_record(actor=user, action="second_factor_enrol", obj=user, outcome=AuditOutcome.FAILURE, detail={"reason": "动态口令不正确"})
    raise ValidationError("动态口令不正确，请核对手机时间后输入身份验证器上当前显示的 6 位数字")


# -- verification ----------------------------------------------------------------


def second_factor_verify(*, user, code: str) -> Device:
    """A 6-digit code from the authenticator, or a recovery code (used up by this).

    Returns the device that verified. A wrong code raises ValidationError; the fifth wrong code in a row,
    or any code while locked, raises SecondFactorLocked. Every outcome is audited, never the code.
    """
    now = timezone.now()
    value = normalize_code(code)
    device: Device | None = None
    locked_until = None
    recovery = False
    failures = 0
    with transaction.atomic():
        totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if totp is None:
            raise ValidationError("尚未绑定身份验证器")
        locked_until = _locked_until(totp, now)
        if locked_until is None:
            if totp.throttling_failure_count >= failure_limit():
                totp.throttle_reset()  # an earlier lock has run out: a fresh count
            if TOTP_CODE.fullmatch(value):
                device = totp if totp.verify_token(value) else None  # counts a failure on the device itself
            else:
                recovery = True
                static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
                if static is not None and RECOVERY_CODE.fullmatch(value) and static.verify_token(value):
                    device = static
                    totp.throttle_reset()
                else:
                    totp.throttle_increment()
            failures = totp.throttling_failure_count
    if locked_until is not None:
        audit_record(actor=user, action="second_factor_verify", obj=user, outcome=AuditOutcome.DENIED, detail={"reason": "已锁定"})
        raise SecondFactorLocked(locked_until)
    if device is not None:
        if recovery:
            audit_record(
                actor=user, action="second_factor_verify.recovery", obj=user, detail={"recovery_codes_left": _recovery_codes_left(user)}
            )
        else:
            audit_record(actor=user, action="second_factor_verify", obj=user, detail={"device": "totp"})
        return device
    kind = "恢复码" if recovery else "动态口令"
    audit_record(
        actor=user,
        action="second_factor_verify",
        obj=user,
        outcome=AuditOutcome.FAILURE,
        detail={"kind": "recovery" if recovery else "totp", "failures": failures},
    )
    if failures >= failure_limit():
        minutes = int(lock_time().total_seconds() // 60)
        audit_record(actor=user, action="second_factor_verify.lockout", obj=user, outcome=AuditOutcome.DENIED, detail={"minutes": minutes})
        raise SecondFactorLocked(now + lock_time())
    left = failure_limit() - failures
    raise ValidationError(f"{kind}不正确或已使用过，还可尝试 {left} 次")


# -- reset by the security administrator ------------------------------------------


def second_factor_reset(*, actor, user: User) -> None:
    """Remove a user's authenticator and recovery codes (lost phone, lockout): they enrol again at their next login.

    Only the security administrator, only for a user inside their scope, never for themselves.
    """
    if actor is None or not actor.can("roles.grant"):
        raise PermissionError("无权执行此操作")
    if not scoped(User.objects.filter(pk=user.pk), actor).exists():
        raise PermissionError("该用户不在您的管辖范围内")
    if user.pk == actor.pk:
        reason = "不能重置自己的双因素认证，请由另一位安全管理员操作"
        audit_record(actor=actor, action="second_factor_reset", obj=user, outcome=AuditOutcome.DENIED, detail={"reason": reason})
        raise ValidationError(reason)
    with transaction.atomic():
        before = _state(user)
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(actor=actor, action="second_factor_reset", obj=user, detail={"old": before, "new": _state(user)})
