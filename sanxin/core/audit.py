"""The audit trail: record an event, verify the HMAC-SM3 chain, purge past retention.

Every service write calls `audit_record`. Events never hold passwords, codes,
session ids or full ID numbers: `detail` goes through `_scrub`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, models, transaction
from django.utils import timezone

from sanxin.core import context, crypto
from sanxin.core.masking import mask_id_number
from sanxin.core.models import AuditChainHead, AuditEvent, AuditOutcome

RETENTION = timedelta(days=190)
SECRET_KEYS = {"password", "password1", "password2", "old_password", "new_password", "code", "otp", "token", "session", "sessionid"}
# Any key containing one of these is a secret too (actor_password, csrfmiddlewaretoken, session_key, api_secret, ...).
SECRET_KEY_PARTS = ("password", "passwd", "token", "secret", "sessionid", "session_key")
ID_NUMBER_KEYS = {"id_number", "id_card", "ric"}


def _is_secret_key(key: str) -> bool:
    key = key.lower()
    return key in SECRET_KEYS or any(part in key for part in SECRET_KEY_PARTS)


def _mask_ids(value):
    if isinstance(value, dict):
        return {str(k): _mask_ids(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mask_ids(v) for v in value]
    return mask_id_number(str(value)) if value else value


def _scrub(value):
    if isinstance(value, dict):
        scrubbed = {}
        for k, v in value.items():
            key = str(k)
            if _is_secret_key(key):
                scrubbed[key] = "***"
            elif key.lower() in ID_NUMBER_KEYS:
                scrubbed[key] = _mask_ids(v)  # never a full ID number (security.md item 13)
            else:
                scrubbed[key] = _scrub(v)
        return scrubbed
    if isinstance(value, (list, tuple)):
        return [_scrub(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "id": event.pk,
        "t": event.occurred_at.isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "outcome": event.outcome,
        "ip": event.ip,
        "request_id": event.request_id,
        "detail": event.detail,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def chain_value(previous: str, event: AuditEvent) -> str:
    return crypto.hmac_sm3(crypto.derived_key("audit-chain"), previous.encode() + b"|" + _canonical(event)).hex()


def _head_for_update() -> AuditChainHead:
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    return head


def audit_record(
    *,
    actor=None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    outcome: str = AuditOutcome.SUCCESS,
    detail: dict | None = None,
    actor_name: str = "",
) -> AuditEvent:
    """Append one event. Runs in the caller's transaction, so a rolled-back write leaves no event."""
    ctx = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id, actor_name = actor.pk, actor_name or actor.get_username()
    else:
        actor_id = None
    with transaction.atomic():
        head = _head_for_update()
        # Ids are dense and handed out under the head lock, so a gap means a deleted row.
        event = AuditEvent(
            pk=head.last_event_id + 1,
            occurred_at=timezone.now(),
            actor_id=actor_id,
            actor_name=actor_name[:150],
            action=action,
            object_type=object_type[:64],
            object_id=str(object_id)[:64],
            object_repr=object_repr[:200],
            outcome=outcome,
            ip=ctx.ip,
            request_id=ctx.request_id,
            # JSON round trip so the chain covers exactly what the database gives back.
            detail=json.loads(json.dumps(_scrub(detail or {}), ensure_ascii=False)),
        )
        event.chain = chain_value(head.last_chain, event)
        event.save(force_insert=True)
        head.last_event_id, head.last_chain = event.pk, event.chain
        _save_head(head, ["last_event_id", "last_chain"])
    return event


def changes(before: dict, after: dict) -> dict:
    """What changed between two snapshots of an object: field → {"old", "new"}."""
    return {key: {"old": before.get(key), "new": after.get(key)} for key in {**before, **after} if before.get(key) != after.get(key)}


def audit_changes(*, actor, action: str, obj, before: dict, after: dict, **detail) -> AuditEvent | None:
    """The one way a write records its old and new values: only the fields that changed; nothing when none did."""
    changed = changes(before, after)
    if not changed:
        return None
    return audit_record(actor=actor, action=action, obj=obj, detail={"changes": changed, **detail})


@dataclass
class ChainProblem:
    event_id: int | None
    reason: str


def head_mac(head: AuditChainHead) -> str:
    values = f"{head.last_event_id}|{head.last_chain}|{head.anchor_event_id}|{head.anchor_chain}"
    return crypto.hmac_sm3(crypto.derived_key("audit-head"), values.encode()).hex()


def _save_head(head: AuditChainHead, fields: list[str]) -> None:
    head.mac = head_mac(head)
    head.save(update_fields=[*fields, "mac"])


def verify_chain(batch_size: int = 5000) -> list[ChainProblem]:
    """Recompute the chain from the anchor; report every row whose value does not follow."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        return [] if not AuditEvent.objects.exists() else [ChainProblem(None, "审计链头记录缺失")]
    problems: list[ChainProblem] = []
    if head.mac != head_mac(head):
        problems.append(ChainProblem(None, "审计链头记录被改动（末尾或开头的事件可能被删除）"))
    previous = head.anchor_chain
    last_id = head.anchor_event_id
    expected_id = None
    rows = AuditEvent.objects.filter(pk__gt=head.anchor_event_id).order_by("pk")
    for event in rows.iterator(chunk_size=batch_size):
        if expected_id is not None and event.pk != expected_id:
            problems.append(ChainProblem(expected_id, f"第 {expected_id}–{event.pk - 1} 号事件缺失（被删除）"))
        recomputed = chain_value(previous, event)
        if event.chain != recomputed:
            problems.append(ChainProblem(event.pk, f"第 {event.pk} 号事件的内容或链值与链不符（被修改或其前有事件被删除）"))
        previous = event.chain
        last_id = event.pk
        expected_id = event.pk + 1
    if last_id != head.last_event_id or previous != head.last_chain:
        problems.append(ChainProblem(head.last_event_id, "审计链末尾与链头记录不符（末尾事件被删除或修改）"))
    return problems


class RetentionError(Exception):
    pass


def audit_purge(*, actor, before) -> int:
    """Delete events older than `before`; refuses anything younger than the 190-day retention."""
    limit = timezone.now() - RETENTION
    if before > limit:
        raise RetentionError(f"审计事件至少保留 190 天，只能清理 {limit:%Y-%m-%d %H:%M} 之前的事件")
    with transaction.atomic():
        head = _head_for_update()
        # Only a prefix of the chain can go (the rest must still verify from the new anchor), and never a
        # younger event, even if the clock once went back and a young event sits before an old one.
        doomed = AuditEvent.objects.filter(occurred_at__lt=before)
        first_kept = AuditEvent.objects.filter(occurred_at__gte=before).order_by("pk").values_list("pk", flat=True).first()
        if first_kept is not None:
            doomed = doomed.filter(pk__lt=first_kept)
        last = doomed.order_by("-pk").first()
        if last is None:
            return 0
        with _purge_allowed():
            count, _ = AuditEvent.objects.filter(pk__lte=last.pk).delete()
        head.anchor_event_id, head.anchor_chain = last.pk, last.chain
        _save_head(head, ["anchor_event_id", "anchor_chain"])
    audit_record(actor=actor, action="audit_purge", detail={"before": before.isoformat(), "deleted": count})
    return count


class _purge_allowed:
    """On PostgreSQL the trigger refuses DELETE unless this transaction set sanxin.audit_purge."""

    def __enter__(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT set_config('sanxin.audit_purge', 'on', true)")

    def __exit__(self, *exc):
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT set_config('sanxin.audit_purge', 'off', true)")
        return False
