"""One-time login codes for workers (security.md 6): six digits, stored only as an HMAC-SM3 digest, valid five
minutes, used once, at most a few wrong tries per code; sending is rate-limited per phone and per IP.
Neither the code nor the full phone ever reaches the audit trail."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sanxin.core import crypto
from sanxin.core.audit import audit_record
from sanxin.core.fields import blind_index_for
from sanxin.core.masking import mask_phone
from sanxin.core.models import AuditOutcome
from sanxin.core.validators import validate_mobile
from sanxin.workers.models import OneTimeCode
from sanxin.workers.sms import SmsError, sms_backend

CODE_DIGITS = 6


def _setting(name: str, default):
    return getattr(settings, name, default)


def code_lifetime() -> timedelta:
    return timedelta(seconds=_setting("SANXIN_OTP_LIFETIME_SECONDS", 300))


def max_failures() -> int:
    return _setting("SANXIN_OTP_MAX_FAILURES", 5)


def phone_interval() -> timedelta:
    return timedelta(seconds=_setting("SANXIN_OTP_PHONE_INTERVAL_SECONDS", 60))


def phone_hourly() -> int:
    return _setting("SANXIN_OTP_PHONE_PER_HOUR", 5)


def ip_hourly() -> int:
    return _setting("SANXIN_OTP_IP_PER_HOUR", 20)


def code_digest(phone_index: str, code: str) -> str:
    return crypto.blind_index(f"{phone_index}|{code}", purpose="worker-otp")


@dataclass
class SentCode:
    phone: str
    expires_at: datetime
    demo_code: str | None = None  # only when the console backend shows it in the page (the demo)


def clean_phone(phone: str) -> str:
    """The phone as stored: full-width digits folded, spaces, dashes and +86 dropped; refused in Chinese."""
    try:
        return validate_mobile(phone or "")
    except ValidationError:
        raise ValidationError({"phone": "请输入正确的 11 位手机号码"}) from None


@transaction.atomic
def code_send(*, phone: str, ip: str | None, now: datetime | None = None) -> SentCode:
    """A new code to `phone`; refused (ValidationError on "phone") past the rate limits."""
    now = now or timezone.now()
    phone = clean_phone(phone)
    index = blind_index_for("phone", phone)
    recent = OneTimeCode.objects.select_for_update().filter(phone_index=index, created_at__gt=now - timedelta(hours=1))
    sent = list(recent.values_list("created_at", flat=True))
    if sent and now - max(sent) < phone_interval():
        wait = int((phone_interval() - (now - max(sent))).total_seconds()) + 1
        raise ValidationError({"phone": f"验证码发送过于频繁，请 {wait} 秒后再试"})
    if len(sent) >= phone_hourly():
        raise ValidationError({"phone": f"该手机号 1 小时内获取验证码已达 {phone_hourly()} 次，请稍后再试"})
    if ip and OneTimeCode.objects.filter(ip=ip, created_at__gt=now - timedelta(hours=1)).count() >= ip_hourly():
        raise ValidationError({"phone": "当前网络获取验证码过于频繁，请 1 小时后再试"})
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    expires = now + code_lifetime()
    OneTimeCode.objects.create(phone_index=index, code_hash=code_digest(index, code), ip=ip or None, created_at=now, expires_at=expires)
    backend = sms_backend()
    minutes = int(code_lifetime().total_seconds() // 60)
    try:
        backend.send(phone, f"【三新党建】您的登录验证码为 {code}，{minutes} 分钟内有效。如非本人操作请忽略。")
    except SmsError:
        raise ValidationError({"phone": "短信发送失败，请稍后重试"}) from None
    audit_record(action="worker_code_send", object_type="workers.onetimecode", object_repr=mask_phone(phone))
    return SentCode(phone=phone, expires_at=expires, demo_code=code if getattr(backend, "shows_code_in_page", False) else None)


def code_verify(*, phone: str, code: str, now: datetime | None = None) -> str:
    """The cleaned phone when `code` is the phone's current code (then used up); else a ValidationError on "code".
    A wrong try counts against the code even though the refusal is raised (it is written outside any rollback)."""
    now = now or timezone.now()
    phone = clean_phone(phone)
    index = blind_index_for("phone", phone)
    code = "".join(ch for ch in str(code or "") if not ch.isspace())
    # Only the newest code counts: sending a new one retires the older ones.
    latest = OneTimeCode.objects.filter(phone_index=index).order_by("-created_at").first()
    if latest is not None and latest.used_at is not None:
        _failed(phone, "验证码已使用")
        raise ValidationError({"code": "验证码已使用，请重新获取"})
    if latest is None or latest.expires_at <= now:
        _failed(phone, "无有效验证码")
        raise ValidationError({"code": "验证码已失效，请重新获取"})
    if latest.failed_attempts >= max_failures():
        _failed(phone, "错误次数过多")
        raise ValidationError({"code": "验证码错误次数过多，已失效，请重新获取"})
    if not (len(code) == CODE_DIGITS and code.isascii() and code.isdigit()) or not hmac.compare_digest(
        latest.code_hash, code_digest(index, code)
    ):
        OneTimeCode.objects.filter(pk=latest.pk).update(failed_attempts=F("failed_attempts") + 1)
        left = max_failures() - latest.failed_attempts - 1
        _failed(phone, "验证码错误")
        if left <= 0:
            raise ValidationError({"code": "验证码错误次数过多，已失效，请重新获取"})
        raise ValidationError({"code": f"验证码不正确，还可再试 {left} 次"})
    # Used once: the conditional update lets only one of two racing requests through.
    if not OneTimeCode.objects.filter(pk=latest.pk, used_at__isnull=True).update(used_at=now):
        raise ValidationError({"code": "验证码已使用，请重新获取"})
    return phone


def _failed(phone: str, reason: str) -> None:
    audit_record(
        action="worker_login_failed",
        object_type="workers.worker",
        object_repr=mask_phone(phone),
        outcome=AuditOutcome.FAILURE,
        detail={"reason": reason},
    )


def codes_purge(*, now: datetime | None = None) -> int:
    """Codes older than a day, used or not, are deleted (the daily job)."""
    now = now or timezone.now()
    deleted, _ = OneTimeCode.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    return deleted
