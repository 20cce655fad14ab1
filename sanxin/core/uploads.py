"""Uploaded files are kept only as long as they are useful: results live in the database, the file itself
(names of legal representatives and the like) is deleted after SANXIN_UPLOAD_RETENTION."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from sanxin.core.audit import audit_record


def purge_uploads(records: QuerySet, folder: Path, *, action: str) -> int:
    """Delete the stored files of `records` (models with `stored_name` and `updated_at`) untouched since the retention."""
    old = records.filter(updated_at__lt=timezone.now() - settings.SANXIN_UPLOAD_RETENTION).exclude(stored_name="")
    names = list(old.values_list("stored_name", flat=True))
    for name in names:
        (folder / name).unlink(missing_ok=True)
    count = old.update(stored_name="")
    if count:
        audit_record(actor=None, actor_name="system", action=action, detail={"files": count})
    return count
