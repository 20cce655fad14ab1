"""Uploaded files, for every kind of upload job (sanxin.core.models.UploadJob): stored under DATA_DIR/<folder>
with a random name, checked for type and size on the way in, and kept only as long as they are useful — the
results live in the database, the file itself (names of legal representatives and the like) is deleted after
SANXIN_UPLOAD_RETENTION."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from sanxin.core.audit import audit_record
from sanxin.core.text import XLS

TABLE_SUFFIXES = (".xlsx", ".csv")
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def upload_folder(folder: str) -> Path:
    path = Path(settings.DATA_DIR) / folder
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_file(job) -> Path:
    """Where an upload job's file is (or was)."""
    return upload_folder(job.UPLOAD_FOLDER) / job.stored_name


def store_table_upload(upload, folder: str) -> tuple[str, str]:
    """Check an uploaded table (xlsx or CSV, at most 200 MB) and store it; (the name the user gave, the stored name)."""
    name = Path(upload.name).name
    if name.lower().endswith(".xls"):
        raise ValidationError({"file": XLS})
    if not name.lower().endswith(TABLE_SUFFIXES):
        raise ValidationError({"file": "只支持 .xlsx 或 .csv 文件"})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": "文件超过 200 MB，请拆分后上传"})
    stored = secrets.token_hex(16) + Path(name).suffix.lower()
    with (upload_folder(folder) / stored).open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return name[:255], stored


def require_stored_file(job) -> Path:
    """The job's file, or a Chinese refusal if it was deleted after the retention (a retry needs it)."""
    source = job_file(job) if job.stored_name else None
    if source is None or not source.exists():
        days = settings.SANXIN_UPLOAD_RETENTION.days
        raise ValidationError(f"上传的文件已在保存期（{days} 天）满后删除，请重新上传该文件")
    return source


def stored_file_again(job) -> str:
    """Another stored name for a job's file (a retry runs on it; each name goes with its own job's retention)."""
    source = require_stored_file(job)
    stored = secrets.token_hex(16) + Path(job.stored_name).suffix
    try:
        os.link(source, source.with_name(stored))  # one copy on disk
    except OSError:
        shutil.copyfile(source, source.with_name(stored))
    return stored


def purge_uploads(records: QuerySet, *, action: str) -> int:
    """Delete the stored files of these upload jobs untouched since the retention; the jobs stay."""
    old = records.filter(updated_at__lt=timezone.now() - settings.SANXIN_UPLOAD_RETENTION).exclude(stored_name="")
    folder = upload_folder(records.model.UPLOAD_FOLDER)
    names = list(old.values_list("stored_name", flat=True))
    for name in names:
        (folder / name).unlink(missing_ok=True)
    count = old.update(stored_name="")
    if count:
        audit_record(actor=None, actor_name="system", action=action, detail={"files": count})
    return count
