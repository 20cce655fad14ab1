"""Import jobs: store the upload, check every row, write all-or-nothing (or only the valid rows), audit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils import timezone

from sanxin.core.audit import audit_record
from sanxin.core.guards import require
from sanxin.core.jobs import fail_stale
from sanxin.core.text import visible
from sanxin.core.uploads import job_file, purge_uploads, store_table_upload, stored_file_again
from sanxin.imports.models import RUNNING, STALE_AFTER, ImportJob, ImportMode, ImportStatus
from sanxin.imports.readers import UnreadableFile, read_rows
from sanxin.imports.registry import get_spec
from sanxin.imports.spec import FileError, ImportConflict, ImportScope, Staged, check_header

MAX_ERRORS_KEPT = 100_000
# An import creating at least this many rows refreshes the planner's statistics of the tables it filled.
ANALYZE_MIN_ROWS = 10_000


def import_files_purge() -> int:
    """The daily job: uploaded import files past the retention are deleted; the jobs and their errors stay."""
    return purge_uploads(ImportJob.objects.all(), action="import_files_purge")


STALE_HOURS = int(STALE_AFTER.total_seconds() // 3600)
STALE_QUEUED = (
    f"排队超过 {STALE_HOURS} 小时仍未开始：后台任务进程可能没有运行，未导入任何数据。可点击“重新导入”，如仍不开始请联系运维人员。"
)
STALE_RUNNING = (
    f"导入超过 {STALE_HOURS} 小时没有进展，后台进程可能已被中断。写入在同一事务中进行，中断不会留下部分数据；可点击“重新导入”再次运行。"
)


def import_jobs_fail_stale(jobs=None) -> int:
    """Jobs silent for STALE_AFTER are marked failed with the reason (their worker died or never ran); audited.

    Called by the job pages for the jobs they show and daily for everyone's; returns how many were marked."""
    jobs = ImportJob.objects.all() if jobs is None else jobs
    common = {"failed_status": ImportStatus.FAILED, "action": "import_jobs_fail_stale", "stale_after": STALE_AFTER}
    queued = fail_stale(jobs, running_statuses=[ImportStatus.QUEUED], reason=STALE_QUEUED, **common)
    running = fail_stale(jobs, running_statuses=[ImportStatus.CHECKING, ImportStatus.WRITING], reason=STALE_RUNNING, **common)
    return len(queued) + len(running)


def import_job_retry(*, actor, job: ImportJob) -> ImportJob:
    """A new job for the same stored file (a failed job's own record stays as it was); audited. Enqueue it."""
    require(actor, "imports.use")
    get_spec(job.registry, user=actor)  # the capability, still
    if actor is None or job.user_id != actor.pk:
        raise ValidationError("只能重新导入本人上传的文件")
    if job.status != ImportStatus.FAILED:
        raise ValidationError("只有失败的导入任务可以重新导入")
    stored = stored_file_again(job)
    with transaction.atomic():
        retry = ImportJob.objects.create(user=actor, registry=job.registry, filename=job.filename, stored_name=stored, mode=job.mode)
        audit_record(actor=actor, action="import_job_retry", obj=retry, detail={"retry_of": job.pk, "file": job.filename, "mode": job.mode})
    return retry


@transaction.atomic
def import_job_create(*, actor, registry: str, upload, mode: str = ImportMode.ALL) -> ImportJob:
    require(actor, "imports.use")
    get_spec(registry, user=actor)  # None: the operator from the shell
    if mode not in ImportMode.values:
        raise ValidationError({"mode": "导入方式不正确"})
    name, stored = store_table_upload(upload, ImportJob.UPLOAD_FOLDER)
    job = ImportJob.objects.create(user=actor, registry=registry, filename=name, stored_name=stored, mode=mode)
    audit_record(
        actor=actor,
        action="import_job_create",
        obj=job,
        detail={"registry": registry, "file": name, "mode": mode},
        actor_name="" if actor else "system",
    )
    return job


class JobAbandoned(Exception):
    """The job was marked failed (silent too long) while this run was still going: stop, write nothing."""


def _progress(job: ImportJob, status: str, progress: int, **fields) -> None:
    # updated_at too: a job whose worker was killed is recognised by its silence (ImportJob.stale).
    if "message" in fields:
        fields["message"] = visible(fields["message"])[:500]
    ImportJob.objects.filter(pk=job.pk).update(status=status, progress=progress, updated_at=timezone.now(), **fields)


def _report(job: ImportJob, status: str, progress: int) -> None:
    """Progress of a running job; if the job was meanwhile marked failed as silent, this run stops here."""
    if not ImportJob.objects.filter(pk=job.pk, status__in=RUNNING).update(status=status, progress=progress, updated_at=timezone.now()):
        raise JobAbandoned


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
                cur.execute(
                    f"UPDATE {table} SET progress = %s, updated_at = %s WHERE id = %s AND status = %s",  # noqa: S608
                    [progress, timezone.now(), self.job.pk, ImportStatus.WRITING],
                )
                abandoned = cur.rowcount == 0
        except DatabaseError:
            self.enabled = False
            return
        if abandoned:
            raise JobAbandoned  # rolls the write back: the job was marked failed meanwhile

    def __exit__(self, *exc):
        if self.side is not None:
            self.side.close()


def _fail(job: ImportJob, message: str) -> ImportJob:
    message = visible(message)
    _progress(job, ImportStatus.FAILED, 100, message=message[:500])
    audit_record(actor=job.user, action="import_job_run", obj=job, outcome="failure", detail={"reason": message})
    return ImportJob.objects.get(pk=job.pk)


def _refresh_statistics(spec, created: int) -> None:
    """ANALYZE the tables a large import filled, once it has committed and before the job shows as done.

    Until autovacuum comes by (minutes later, or never between two loads), PostgreSQL plans with the row counts
    and value distributions from before the import: a province's first 100,000 organizations would still be
    planned as an empty table, a scan where an index serves."""
    if connection.vendor != "postgresql" or created < ANALYZE_MIN_ROWS:
        return
    with connection.cursor() as cursor:
        for table in spec.tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def import_job_run(job_id: int) -> ImportJob:
    """Check and write; a failure at any point leaves no rows of this file written."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    spec = get_spec(job.registry)
    # Only a queued job starts: one marked failed meanwhile (its retry is a new job) or already run stays as it is.
    started = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.CHECKING, progress=1, updated_at=timezone.now()
    )
    if not started:
        return ImportJob.objects.get(pk=job.pk)
    staged: list[Staged] = []
    try:
        return _check_and_write(job, spec, staged)
    finally:
        for table in staged:  # the staging table of a fast-path file, dropped once written (or refused)
            table.close()


def _check_and_write(job: ImportJob, spec, staged: list[Staged]) -> ImportJob:
    def reading(share: float) -> None:
        _report(job, ImportStatus.CHECKING, 1 + int(4 * share))

    try:
        path = job_file(job)
        if not job.stored_name or not path.exists():
            raise FileError("上传的文件已不存在（超过保存期限后已删除），请重新上传")
        # A large file may be copied into the database and checked there as a whole (every row valid), or not.
        fast = spec.stage(path, job.filename, user=job.user, progress=reading) if spec.stage else None
        if fast is not None:
            staged.append(fast)
        else:
            header, rows = read_rows(path, job.filename, progress=reading)
            check_header(header, spec.columns)
            if not rows:
                raise FileError("文件只有表头，没有数据行")
        _report(job, ImportStatus.CHECKING, 5)
    except (UnreadableFile, FileError) as exc:
        return _fail(job, str(exc))
    except JobAbandoned:
        return ImportJob.objects.get(pk=job.pk)
    total = len(fast) if fast is not None else len(rows)

    def checking(done: int) -> None:
        _report(job, ImportStatus.CHECKING, 5 + int(60 * done / max(total, 1)))

    try:
        valid, errors = (fast, []) if fast is not None else spec.validate(rows, user=job.user, progress=checking)
    except JobAbandoned:
        return ImportJob.objects.get(pk=job.pk)
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
            action="import_job_run",
            obj=job,
            outcome="failure",
            detail={"rejected": len(error_rows), "total": total},
        )
        return ImportJob.objects.get(pk=job.pk)
    if not ImportJob.objects.filter(pk=job.pk, status__in=RUNNING).update(
        status=ImportStatus.WRITING, progress=70, updated_at=timezone.now(), **result
    ):
        return ImportJob.objects.get(pk=job.pk)  # marked failed while checking: nothing is written
    try:
        with _WriteProgress(job) as report, transaction.atomic():
            counts = spec.write(valid, scope=ImportScope.of(job.user), progress=lambda share: report(70 + int(20 * share)))
            report(90)
            spec.after_write(counts.touched_ids, total)
            detail = {
                "total": total,
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "rejected": len(error_rows),
                "mode": job.mode,
            }
            audit_record(actor=job.user, action="import_job_run", obj=job, detail=detail)
    except ImportConflict as exc:
        return _fail(job, str(exc))
    except JobAbandoned:
        return ImportJob.objects.get(pk=job.pk)
    except Exception as exc:
        _fail(job, f"写入失败，未导入任何数据：{exc}")
        raise
    _refresh_statistics(spec, counts.created)
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
