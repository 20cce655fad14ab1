"""The writes of the member's own pages: viewing their own unmasked data, exporting it, and making (or resetting) the
calendar subscription. Each checks mine.view and is audited; all act on the actor's own record only."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from sanxin.core.audit import audit_record
from sanxin.core.guards import require
from sanxin.core.masking import mask_id_number, mask_phone
from sanxin.mine.calendar import new_token, token_hash
from sanxin.mine.export import as_json, as_xlsx, my_data
from sanxin.mine.models import CalendarFeed
from sanxin.mine.selectors import my_member

EXPORT_FORMATS = {"json": "JSON", "xlsx": "Excel（xlsx）"}


def mine_unmask(*, actor) -> dict[str, str]:
    """The user's own full ID number and phone: allowed to them, and every viewing audited (security.md 12, 22)."""
    require(actor, "mine.view", person=True)
    member = my_member(actor)
    if member is None:
        raise ValidationError("您的账号未关联党员信息")
    audit_record(
        actor=actor,
        action="mine_unmask",
        obj=member,
        detail={"fields": ["id_number", "phone"], "id_number": mask_id_number(member.id_number), "phone": mask_phone(member.phone)},
    )
    return {"id_number": member.id_number, "phone": member.phone}


def mine_export(*, actor, fmt: str, full: bool = True) -> tuple[bytes, int]:
    """The user's own data as a file (JSON or xlsx) and how many rows it holds; audited with the row counts.
    `full`: with the ID numbers and phones in full (the page, after the password); masked otherwise (the API)."""
    require(actor, "mine.view", person=True)
    if fmt not in EXPORT_FORMATS:
        raise ValidationError({"fmt": "导出格式应为 JSON 或 Excel（xlsx）"})
    parts = my_data(actor, full=full)
    content = as_json(parts) if fmt == "json" else as_xlsx(parts)
    counts = {part.key: len(part.rows) for part in parts}
    audit_record(actor=actor, action="mine_export", object_repr="本人数据", detail={"format": fmt, "full": full, "rows": counts})
    return content, sum(counts.values())


@transaction.atomic
def mine_calendar_reset(*, actor) -> str:
    """A new secret subscription token for the user's meeting calendar; the old address stops working at once.
    Returns the token (shown once; only its hash is kept)."""
    require(actor, "mine.view", person=True)
    token = new_token()
    feed = CalendarFeed.objects.select_for_update().filter(user=actor).first()
    if feed is None:
        CalendarFeed.objects.create(user=actor, token_hash=token_hash(token))
        replaced = False
    else:
        feed.token_hash = token_hash(token)
        feed.save(update_fields=["token_hash", "updated_at"])
        replaced = True
    audit_record(actor=actor, action="mine_calendar_reset", object_repr="会议日历订阅地址", detail={"replaced": replaced})
    return token
