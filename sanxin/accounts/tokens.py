"""API bearer tokens: issued to a person for themselves, shown once, stored only as an SM3 digest."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanxin.accounts.models import ApiToken, User
from sanxin.core.audit import audit_record
from sanxin.core.crypto import sm3

TOKEN_PREFIX = "sx_"
VALIDITY_DAYS = (30, 90, 180, 365)
MAX_ACTIVE_TOKENS = 10


def token_digest(raw: str) -> str:
    return sm3(raw.encode()).hex()


def _check_owner(actor, user: User) -> None:
    """A token is always one's own; only the operator's shell (actor None) issues for someone else."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionError("只能管理本人的接口令牌")


@transaction.atomic
def api_token_create(*, actor, user: User, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """Returns the token and its raw value; the raw value is never stored and cannot be shown again."""
    _check_owner(actor, user)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写令牌名称，如“数据同步脚本”"})
    if days not in VALIDITY_DAYS:
        raise ValidationError({"days": f"有效期只能是 {'、'.join(map(str, VALIDITY_DAYS))} 天之一"})
    if not user.is_active:
        raise ValidationError("账号已停用，不能创建接口令牌")
    active = user.api_tokens.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(f"每个账号最多 {MAX_ACTIVE_TOKENS} 个有效令牌，请先撤销不用的令牌")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:64], digest=token_digest(raw), expires_at=timezone.now() + timedelta(days=days))
    audit_record(
        actor=actor,
        actor_name="" if actor else "system",
        action="api_token_create",
        obj=token,
        detail={"user": user.username, "days": days},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    _check_owner(actor, token.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor, actor_name="" if actor else "system", action="api_token_revoke", obj=token, detail={"user": token.user.username}
        )
    return token
