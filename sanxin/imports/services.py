"""Import jobs: store the upload, check every row, write all-or-nothing (or only the valid rows), audit."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from sanxin.core.audit import audit_record
from sanxin.imports.models import ImportJob, ImportMode, ImportStatus
from sanxin.imports.readers import UnreadableFile, read_table
from sanxin.imports.registry import get_registry
from sanxin.imports.spec import FileError, check_header

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
ALLOWED_SUFFIXES = (".xlsx", ".csv")


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_file(job: ImportJob) -> Path:
    return upload_dir() / job.stored_name


@transaction.atomic
def import_job_create(*, actor, registry: str, upload, mode: str = ImportMode.ALL) -> ImportJob:
    get_registry(registry, user=actor)  # None: the operator from the shell
    name = Path(upload.name).name
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise ValidationError({"file": "只支持 .xlsx 或 .csv 文件"})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": "文件超过 200 MB，请拆分后上传"})
    if mode not in ImportMode.values:
        raise ValidationError({"mode": "导入方式不正确"})
    stored = secrets.token_hex(16) + Path(name).suffix.lower()
    with (upload_dir() / stored).open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    job = ImportJob.objects.create(user=actor, registry=registry, filename=name[:255], stored_name=stored, mode=mode)
    audit_record(
        actor=actor, action=f"import.{registry}.upload", obj=job, detail={"file": name, "mode": mode}, actor_name="" if actor else "system"
    )
    return job


def _progress(job: ImportJob, status: str, progress: int, **fields) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=status, progress=progress, **fields)


def import_job_run(job_id: int) -> ImportJob:
    """Check and write; a failure at any point leaves no rows of this file written."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    registry = get_registry(job.registry)
    _progress(job, ImportStatus.CHECKING, 5)
    try:
        header, rows = read_table(job_file(job), job.filename)
        check_header(header, registry.columns)
    except (UnreadableFile, FileError) as exc:
        _progress(job, ImportStatus.FAILED, 100, message=str(exc)[:500])
        audit_record(actor=job.user, action=f"import.{job.registry}", obj=job, outcome="failure", detail={"reason": str(exc)})
        return ImportJob.objects.get(pk=job.pk)
    total = len(rows)

    def checking(done: int) -> None:
        _progress(job, ImportStatus.CHECKING, 5 + int(60 * done / max(total, 1)))

    valid, errors = registry.validate(rows, user=job.user, progress=checking)
    error_rows = {e.row for e in errors}
    result = {"total_rows": total, "rejected_count": len(error_rows), "errors": [e.as_dict() for e in errors]}
    if errors and job.mode == ImportMode.ALL:
        _progress(job, ImportStatus.REJECTED, 100, message=f"有 {len(error_rows)} 行不符合要求，按“全部有效才导入”未写入任何数据", **result)
        audit_record(
            actor=job.user,
            action=f"import.{job.registry}",
            obj=job,
            outcome="failure",
            detail={"rejected": len(error_rows), "total": total},
        )
        return ImportJob.objects.get(pk=job.pk)
    _progress(job, ImportStatus.WRITING, 70, **result)
    try:
        with transaction.atomic():
            counts = registry.write(valid)
            registry.after_write(counts.touched_ids, total)
            detail = {
                "total": total,
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "rejected": len(error_rows),
                "mode": job.mode,
            }
            audit_record(actor=job.user, action=f"import.{job.registry}", obj=job, detail=detail)
    except Exception as exc:
        _progress(job, ImportStatus.FAILED, 100, message=f"写入失败，未导入任何数据：{exc}"[:500])
        raise
    message = f"新增 {counts.created:,} 条，更新 {counts.updated:,} 条，未变 {counts.unchanged:,} 条，拒绝 {len(error_rows):,} 行"
    _progress(
        job,
        ImportStatus.DONE,
        100,
        created_count=counts.created,
        updated_count=counts.updated,
        unchanged_count=counts.unchanged,
        message=message,
    )
    return ImportJob.objects.get(pk=job.pk)
