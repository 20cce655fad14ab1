"""Import jobs: store the upload, check every row, write all-or-nothing (or only the valid rows), audit."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils import timezone

from sanxin.core.audit import audit_record
from sanxin.core.uploads import purge_uploads
from sanxin.imports.models import ImportJob, ImportMode, ImportStatus
from sanxin.imports.readers import UnreadableFile, read_rows
from sanxin.imports.registry import get_registry
from sanxin.imports.spec import FileError, ImportConflict, ImportScope, check_header

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
ALLOWED_SUFFIXES = (".xlsx", ".csv")
MAX_ERRORS_KEPT = 100_000


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_file(job: ImportJob) -> Path:
    return upload_dir() / job.stored_name


def import_files_purge() -> int:
    """The daily job: uploaded import files past the retention are deleted; the jobs and their errors stay."""
    return purge_uploads(ImportJob.objects.all(), upload_dir(), action="import.files_purge")


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
    # updated_at too: a job whose worker was killed is recognised by its silence (ImportJob.stale).
    ImportJob.objects.filter(pk=job.pk).update(status=status, progress=progress, updated_at=timezone.now(), **fields)


class _WriteProgress:
    """The write runs in one transaction, invisible to the page until it commits; on PostgreSQL its
    progress goes through a second connection so the progress bar moves meanwhile. Best effort: if the
    side connection cannot write, the bar simply waits for the end."""

    def __init__(self, job: ImportJob):
        self.job = job
        # Inside someone else's transaction (tests, a caller's atomic block) the job row may be locked by it.
        self.enabled = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.side = None

    def __enter__(self):
        return self

    def __call__(self, progress: int) -> None:
        if not self.enabled:
            return
        try:
            if self.side is None:
                self.side = connections.create_connection(DEFAULT_DB_ALIAS)
                with self.side.cursor() as cur:
                    cur.execute("SET lock_timeout = '2s'")
            with self.side.cursor() as cur:
                table = ImportJob._meta.db_table  # the model's own name; every value is a parameter
                cur.execute(f"UPDATE {table} SET progress = %s, updated_at = %s WHERE id = %s", [progress, timezone.now(), self.job.pk])  # noqa: S608
        except DatabaseError:
            self.enabled = False

    def __exit__(self, *exc):
        if self.side is not None:
            self.side.close()


def _fail(job: ImportJob, message: str) -> ImportJob:
    _progress(job, ImportStatus.FAILED, 100, message=message[:500])
    audit_record(actor=job.user, action=f"import.{job.registry}", obj=job, outcome="failure", detail={"reason": message})
    return ImportJob.objects.get(pk=job.pk)


def import_job_run(job_id: int) -> ImportJob:
    """Check and write; a failure at any point leaves no rows of this file written."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    registry = get_registry(job.registry)
    _progress(job, ImportStatus.CHECKING, 5)
    try:
        header, rows = read_rows(job_file(job), job.filename)
        check_header(header, registry.columns)
        if not rows:
            raise FileError("文件只有表头，没有数据行")
    except (UnreadableFile, FileError) as exc:
        return _fail(job, str(exc))
    total = len(rows)

    def checking(done: int) -> None:
        _progress(job, ImportStatus.CHECKING, 5 + int(60 * done / max(total, 1)))

    try:
        valid, errors = registry.validate(rows, user=job.user, progress=checking)
    except Exception as exc:
        _fail(job, f"校验时出错，未导入任何数据：{exc}")
        raise
    error_rows = {e.row for e in errors}
    # A file that is wrong throughout (another registry's file, a shifted column) must not become a huge job row.
    result = {"total_rows": total, "rejected_count": len(error_rows), "errors": [e.as_dict() for e in errors[:MAX_ERRORS_KEPT]]}
    too_many = f"（错误过多，只列出前 {MAX_ERRORS_KEPT:,} 条）" if len(errors) > MAX_ERRORS_KEPT else ""
    if errors and (job.mode == ImportMode.ALL or not valid):
        if job.mode == ImportMode.ALL:
            message = f"有 {len(error_rows):,} 行不符合要求，按“全部有效才导入”未写入任何数据{too_many}"
        else:
            message = f"全部 {total:,} 行都不符合要求，未写入任何数据{too_many}"
        _progress(job, ImportStatus.REJECTED, 100, message=message, **result)
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
        with _WriteProgress(job) as report, transaction.atomic():
            counts = registry.write(valid, scope=ImportScope.of(job.user), progress=lambda share: report(70 + int(20 * share)))
            report(90)
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
    except ImportConflict as exc:
        return _fail(job, str(exc))
    except Exception as exc:
        _fail(job, f"写入失败，未导入任何数据：{exc}")
        raise
    message = f"新增 {counts.created:,} 条，更新 {counts.updated:,} 条，未变 {counts.unchanged:,} 条，拒绝 {len(error_rows):,} 行{too_many}"
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
