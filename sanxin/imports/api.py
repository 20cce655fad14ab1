"""Registry imports over the API: upload a file, follow its job, read its errors, download the error file, retry.

A job belongs to the person who uploaded the file (sanxin.imports.selectors): anyone else gets 404 for it, its
errors and its error file, as on the pages. The file is checked and written in the background (django-tasks),
the same service and task as the upload page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from sanxin.core.api_schemas import Limit, Offset, responses
from sanxin.core.audit import audit_record
from sanxin.core.exports import xlsx_response
from sanxin.core.guards import require
from sanxin.imports import services
from sanxin.imports.models import ImportJob, ImportMode
from sanxin.imports.registry import get_spec, import_specs
from sanxin.imports.selectors import access_import_job, import_job_list
from sanxin.imports.tasks import run_import
from sanxin.imports.templates_xlsx import errors_bytes

router = Router(tags=["数据导入"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REGISTRIES = {key: spec.label for key, spec in import_specs().items()}
MODE_TEXT = "导入方式：all 全部有效才导入（默认）；valid 只导入有效行"
REGISTRY_TEXT = "名录：" + "；".join(f"{key} {label}" for key, label in REGISTRIES.items())
STATUS_TEXT = "状态：queued 排队中；checking 校验中；writing 导入中；done 已完成；rejected 未导入（有错误行）；failed 失败"


class ImportJobOut(Schema):
    id: int
    registry: str = Field(description=REGISTRY_TEXT)
    registry_label: str
    filename: str = Field(description="上传时的文件名")
    mode: str = Field(description=MODE_TEXT)
    status: str = Field(description=STATUS_TEXT)
    status_label: str = Field(description="状态名称（超过 1 小时没有进展的显示“已中断”）")
    finished: bool = Field(description="已结束（不再变化）")
    progress: int = Field(description="进度，0–100")
    message: str = Field(description="结果说明")
    total_rows: int
    created_count: int = Field(description="新增条数")
    updated_count: int = Field(description="更新条数")
    unchanged_count: int = Field(description="未变条数")
    rejected_count: int = Field(description="有错误的行数")
    error_count: int = Field(description="错误条数（见 /errors）")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_error_count(obj: ImportJob) -> int:
        return len(obj.errors)


class ImportJobList(Schema):
    items: list[ImportJobOut]
    count: int


class RowErrorOut(Schema):
    row: int = Field(description="原文件中的行号（表头为第 1 行，空行不影响行号）")
    column: str = Field(description="列名")
    value: str = Field(description="填写的值")
    reason: str = Field(description="原因")


class RowErrorList(Schema):
    items: list[RowErrorOut]
    count: int


def _job(pk, user) -> ImportJob:
    """The caller's own job; one whose worker went silent is marked failed first, with the reason (as the page does)."""
    job = access_import_job(pk, user=user)
    if job.stale and services.import_jobs_fail_stale(ImportJob.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    return job


@router.post(
    "/jobs",
    response=responses({201: ImportJobOut}, refusals=(403,)),
    summary="上传名录文件导入（后台校验并写入）",
)
def create_import_job(
    request,
    registry: Annotated[Literal[tuple(REGISTRIES)], Form(description=REGISTRY_TEXT)],
    file: Annotated[UploadedFile, File(description="按导入模板填写的 .xlsx 或 .csv（UTF-8 / GB18030），最大 200 MB")],
    mode: Annotated[Literal[tuple(ImportMode.values)], Form(description=MODE_TEXT)] = ImportMode.ALL.value,
):
    """Multipart form (`registry`, `mode`, `file`), as the upload page. The answer is the new job (排队中); follow it with
    GET /imports/jobs/{id} until `finished`, then read its errors. Without the import capability 403; a registry you
    may not import is 404."""
    user = request.auth
    require(user, "imports.use")
    spec = get_spec(registry, user=user)
    job = services.import_job_create(actor=user, registry=spec.key, upload=file, mode=mode)
    run_import.enqueue(job.pk)
    return Status(201, access_import_job(job.pk, user=user))


@router.get("/jobs", response=responses({200: ImportJobList}), summary="我的导入任务")
def list_import_jobs(request, offset: Offset = 0, limit: Limit(100) = 20):
    """Only the jobs of files you uploaded, newest first."""
    if not request.auth.can("imports.use"):
        raise Http404
    jobs = import_job_list(user=request.auth)
    page = list(jobs.order_by("-pk")[offset : offset + limit])
    if services.import_jobs_fail_stale(ImportJob.objects.filter(pk__in=[job.pk for job in page if job.stale])):
        page = list(jobs.filter(pk__in=[job.pk for job in page]).order_by("-pk"))
    return {"items": page, "count": jobs.count()}


@router.get("/jobs/{job_id}", response=responses({200: ImportJobOut}), summary="导入任务的状态与结果")
def get_import_job(request, job_id: int):
    return _job(job_id, request.auth)


@router.get("/jobs/{job_id}/errors", response=responses({200: RowErrorList}), summary="导入任务的错误清单（按行、列、原因）")
def list_import_errors(request, job_id: int, offset: Offset = 0, limit: Limit(1000) = 200):
    job = _job(job_id, request.auth)
    return {"items": job.errors[offset : offset + limit], "count": len(job.errors)}


@router.get(
    "/jobs/{job_id}/errors.xlsx",
    response=responses(),
    summary="下载错误清单（Excel）",
    openapi_extra={"responses": {200: {"description": "错误清单 .xlsx（行号、列名、填写值、原因）", "content": {XLSX: {"schema": {}}}}}},
)
def download_import_errors(request, job_id: int):
    """The same file as the page's 下载错误清单, audited as that download is."""
    job = _job(job_id, request.auth)
    audit_record(actor=request.auth, action="import.errors_download", obj=job, detail={"rows": len(job.errors)})
    return xlsx_response(f"错误清单-{job.filename}.xlsx", errors_bytes(job.errors))


@router.post(
    "/jobs/{job_id}/retry",
    response=responses({201: ImportJobOut}, refusals=(403,)),
    summary="重新导入（失败的任务，用同一文件新建任务）",
)
def retry_import_job(request, job_id: int):
    user = request.auth
    job = _job(job_id, user)
    retry = services.import_job_retry(actor=user, job=job)
    run_import.enqueue(retry.pk)
    return Status(201, access_import_job(retry.pk, user=user))
