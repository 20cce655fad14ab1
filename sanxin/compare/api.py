"""Data comparison (数据比对) over the API: upload an outside registry, follow the run, read the results by outcome,
decide the pairs to review, download the result.

The same selectors and services as the pages: a comparison is seen by the units inside its region, each result
row where its organization (or the outside row) sits, so the counts and rows are the caller's own, as on the page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from sanxin.compare import selectors, services
from sanxin.compare.models import ComparisonRow, ComparisonStatus, Decision, Outcome, RegistryComparison
from sanxin.compare.tasks import run_comparison
from sanxin.compare.views import COLUMNS, CompareForm
from sanxin.core.api_schemas import TEXT_VALUE, Limit, Offset, responses
from sanxin.core.audit import audit_record
from sanxin.core.exports import xlsx_bytes, xlsx_response
from sanxin.core.guards import require
from sanxin.core.recheck import LOCKED_MESSAGE, Recheck, password_recheck
from sanxin.orgs.api import OrganizationRef, choices_text, form_value

router = Router(tags=["数据比对"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WRONG_PASSWORD = "密码不正确，未导出（连续输错 5 次将锁定账号 30 分钟）"


class CountsOut(Schema):
    """Rows of each outcome that you may see (cut to your region, industry and zone)."""

    matched: int = Field(description="匹配")
    new: int = Field(description="新增（空白点候选）")
    review: int = Field(description="待核实")
    gone: int = Field(description="外部已注销")
    outside: int = Field(description="不在比对范围")
    missing: int = Field(description="平台中有而外部未列出")
    rows: int = Field(description="外部名录行数（不含“外部未列出”）")
    code_differs: int = Field(description="匹配但统一社会信用代码与平台不同、待更正的行")


class ComparisonOut(Schema):
    id: int
    filename: str = Field(description="外部名录文件名")
    region: str = Field(description="比对范围（区划代码）")
    region_name: str
    status: str = Field(description=f"状态：{choices_text(ComparisonStatus.choices)}")
    status_label: str
    finished: bool = Field(description="已结束（不再变化）")
    progress: int = Field(description="进度，0–100")
    summary: str = Field(description="结果概况（按您的数据权限计数）；未完成或失败时为说明")
    counts: CountsOut
    created_at: datetime

    @staticmethod
    def resolve_region(obj: RegistryComparison) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: RegistryComparison) -> str:
        return obj.region.full_name

    @staticmethod
    def resolve_status_label(obj: RegistryComparison) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_counts(obj: RegistryComparison) -> dict:
        return obj.viewer_counts

    @staticmethod
    def resolve_summary(obj: RegistryComparison) -> str:
        if obj.status != ComparisonStatus.DONE:
            return obj.message
        return selectors.result_summary(obj.viewer_counts)


def _with_counts(comparisons: list[RegistryComparison], user) -> list[RegistryComparison]:
    """Each comparison with the counts of the rows this user may see, for a whole page in one query."""
    counts = selectors.comparison_counts([c.pk for c in comparisons], user=user)
    for comparison in comparisons:
        comparison.viewer_counts = counts[comparison.pk]
    return comparisons


class ComparisonList(Schema):
    items: list[ComparisonOut]
    count: int


def _comparison(pk, user) -> RegistryComparison:
    """The comparison; one whose worker went silent is marked failed first, with the reason (as the page does)."""
    comparison = selectors.access_comparison(pk, user=user)
    if services.comparisons_fail_stale(RegistryComparison.objects.filter(pk=comparison.pk)):
        comparison = selectors.access_comparison(pk, user=user)
    return _with_counts([comparison], user)[0]


@router.get("", response=responses({200: ComparisonList}), summary="数据比对记录（按数据权限，计数为本人可见的行）")
def list_comparisons(request, offset: Offset = 0, limit: Limit(100) = 20):
    if not request.auth.can("compare.use"):
        raise Http404
    found = selectors.comparison_list(user=request.auth).order_by("-pk")
    page = list(found[offset : offset + limit])
    if services.comparisons_fail_stale(RegistryComparison.objects.filter(pk__in=[c.pk for c in page])):
        page = list(found.filter(pk__in=[c.pk for c in page]))
    return {"items": _with_counts(page, request.auth), "count": found.count()}


@router.post("", response=responses({201: ComparisonOut}, refusals=(403,)), summary="上传外部名录开始比对（后台运行）")
def create_comparison(
    request,
    region: Annotated[str, Form(description="比对范围的区划代码（本人数据范围内任一级）", pattern=TEXT_VALUE, max_length=12)],
    file: Annotated[UploadedFile, File(description="外部名录：与组织导入模板相同的列（统一社会信用代码可以为空），xlsx 或 CSV")],
):
    """Multipart form (`region`, `file`), as the comparison page. The answer is the new comparison (排队中); follow it
    with GET /compare/{id} until `finished`."""
    user = request.auth
    require(user, "compare.use")
    found = form_value(CompareForm(user=user), "region", region)
    comparison = services.comparison_create(actor=user, region=found, upload=file)
    run_comparison.enqueue(comparison.pk)
    return Status(201, _with_counts([selectors.access_comparison(comparison.pk, user=user)], user)[0])


@router.get("/{comparison_id}", response=responses({200: ComparisonOut}), summary="比对的状态与结果概况")
def get_comparison(request, comparison_id: int):
    return _comparison(comparison_id, request.auth)


class RowOut(Schema):
    id: int
    row_number: int | None = Field(description="外部名录中的行号；“外部未列出”的行为空")
    outcome: str = Field(description=f"结果：{choices_text(Outcome.choices)}")
    outcome_label: str
    values: dict[str, str] = Field(description="外部名录这一行的内容（按模板列名）")
    organization: OrganizationRef | None = Field(description="平台名录中对应的组织")
    score: float | None = Field(description="名称相似度")
    reason: str = Field(description="依据")
    decision: str = Field(description=f"核实结论：{choices_text(Decision.choices)}")
    decision_label: str
    acted: bool = Field(description="已处理（新增入名录或已标记注销）")
    code_differs: bool = Field(description="名称与地址一致而统一社会信用代码与平台不同：匹配，平台或外部的代码待更正")
    evidence: dict[str, str | float] = Field(
        description="比对依据：code 代码（equal 一致 / differs 不同 / absent 无）；name 名称（equal / similar 相近 / differs）及 "
        "name_score 相似度；address 地址（same 相同 / differs 不同 / unsure 不确定 / absent 无）。按信用代码匹配的行只有 code"
    )

    @staticmethod
    def resolve_outcome_label(obj: ComparisonRow) -> str:
        return obj.get_outcome_display()

    @staticmethod
    def resolve_values(obj: ComparisonRow) -> dict[str, str]:
        return {str(key): "" if value is None else str(value) for key, value in (obj.values or {}).items()}

    @staticmethod
    def resolve_decision_label(obj: ComparisonRow) -> str:
        return obj.get_decision_display()


class RowList(Schema):
    items: list[RowOut]
    count: int


@router.get("/{comparison_id}/rows", response=responses({200: RowList}), summary="比对结果行（按结果分类，只含本人可见的行）")
def list_comparison_rows(
    request,
    comparison_id: int,
    outcome: Annotated[Literal[("", *Outcome.values)], Query(description=f"结果：{choices_text(Outcome.choices)}；空为全部")] = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    comparison = selectors.access_comparison(comparison_id, user=request.auth)
    rows = selectors.comparison_rows(comparison, user=request.auth, outcome=outcome or None).order_by("outcome", "row_number", "pk")
    return {"items": list(rows[offset : offset + limit]), "count": rows.count()}


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["confirm", "reject"] = Field(description="confirm 是同一单位（成为匹配）；reject 不是同一单位（成为新增）")


@router.post(
    "/{comparison_id}/rows/{row_id}/review",
    response=responses({200: RowOut}, refusals=(403,)),
    summary="核实待核实的一行（确认或否定）",
)
def review_comparison_row(request, comparison_id: int, row_id: int, payload: DecisionIn):
    """Only a row waiting for review (待核实) can be decided, once; a row outside your scope is 404."""
    user = request.auth
    comparison = selectors.access_comparison(comparison_id, user=user)
    row = selectors.access_comparison_row(comparison, row_id, user=user)
    services.review_decide(actor=user, row=row, decision=payload.decision)
    return selectors.access_comparison_row(comparison, row.pk, user=user)


@router.post(
    "/{comparison_id}/retry", response=responses({200: ComparisonOut}, refusals=(403,)), summary="重新比对（失败的比对，本人上传的）"
)
def retry_comparison(request, comparison_id: int):
    user = request.auth
    comparison = _comparison(comparison_id, user)
    services.comparison_retry(actor=user, comparison=comparison)
    run_comparison.enqueue(comparison.pk)
    return _with_counts([selectors.access_comparison(comparison.pk, user=user)], user)[0]


EXPORT_DESCRIPTION = (
    "与比对结果页的“导出”相同的列与行（只含本人可见的行）。按安全要求第 10 条，批量导出须再次验证密码："
    "请求体（表单）中提供本人的登录密码，会话与令牌调用都一样；令牌本身不足以导出，令牌泄露不致批量泄露数据。"
    "密码复核与登录共用失败计数：同一账号与地址连续 5 次失败（登录与复核合计）锁定 30 分钟；每次失败与每次导出都记审计。"
    "密码不正确或账号已锁定时返回 403 与中文说明。密码放在请求体而不放在地址中，以免进入访问日志。"
)


@router.post(
    "/{comparison_id}/export",
    response=responses(refusals=(403,)),
    summary="下载比对结果（Excel，须复核密码）",
    description=EXPORT_DESCRIPTION,
    openapi_extra={"responses": {200: {"description": "比对结果 .xlsx", "content": {XLSX: {"schema": {}}}}}},
)
def export_comparison(
    request, comparison_id: int, password: Annotated[str, Form(description="本人的登录密码", max_length=128, pattern=TEXT_VALUE)]
):
    user = request.auth
    comparison = selectors.access_comparison(comparison_id, user=user)
    title = f"数据比对结果-{comparison.filename}"
    checked = password_recheck(user, password, action="compare.export", object_repr=title)
    if checked is Recheck.LOCKED:
        raise PermissionDenied(LOCKED_MESSAGE)
    if checked is not Recheck.PASSED:
        raise PermissionDenied(WRONG_PASSWORD)
    rows = selectors.comparison_rows(comparison, user=user).order_by("outcome", "row_number")
    content, count = xlsx_bytes(title, COLUMNS, rows)
    audit_record(actor=user, action="compare.export", object_repr=title, detail={"rows": count, "filters": {}, "via": "api"})
    return xlsx_response(f"{title}-{timezone.localtime():%Y%m%d-%H%M}.xlsx", content)
