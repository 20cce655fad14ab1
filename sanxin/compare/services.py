"""数据比对: store the outside file, match it, let a person review pairs, act on the results; all audited."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanxin.compare.matcher import match
from sanxin.compare.models import ComparisonRow, ComparisonStatus, Decision, Outcome, RegistryComparison
from sanxin.core.audit import audit_record
from sanxin.core.scope import region_in_scope, scoped, user_scope
from sanxin.core.validators import normalize_credit_code
from sanxin.imports.readers import UnreadableFile, read_table
from sanxin.imports.registries import organizations as org_registry
from sanxin.imports.spec import FileError, check_header
from sanxin.orgs.coverage import recompute_organizations
from sanxin.orgs.models import Organization
from sanxin.orgs.services import organization_deregister

HEADERS = [c.header for c in org_registry.COLUMNS]


def compare_dir() -> Path:
    path = Path(settings.DATA_DIR) / "compare"
    path.mkdir(parents=True, exist_ok=True)
    return path


@transaction.atomic
def comparison_create(*, actor, region, upload) -> RegistryComparison:
    if region is None or (actor is not None and not user_scope(actor).nationwide and not region_in_scope(actor, region.code)):
        raise ValidationError({"region": "比对范围不在您的管辖范围内"})
    if region.level < 3:
        raise ValidationError({"region": "比对范围至少选到区县一级"})
    name = Path(upload.name).name
    if not name.lower().endswith((".xlsx", ".csv")):
        raise ValidationError({"file": "只支持 .xlsx 或 .csv 文件"})
    stored = secrets.token_hex(16) + Path(name).suffix.lower()
    with (compare_dir() / stored).open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    comparison = RegistryComparison.objects.create(user=actor, region=region, filename=name[:255], stored_name=stored)
    audit_record(
        actor=actor,
        action="compare.upload",
        obj=comparison,
        detail={"file": name, "region": region.code},
        actor_name="" if actor else "system",
    )
    return comparison


def comparison_run(comparison_id: int) -> RegistryComparison:
    comparison = RegistryComparison.objects.select_related("region", "user").get(pk=comparison_id)
    RegistryComparison.objects.filter(pk=comparison.pk).update(status=ComparisonStatus.RUNNING, progress=10)
    try:
        header, body = read_table(compare_dir() / comparison.stored_name, comparison.filename)
        check_header(header, org_registry.COLUMNS)
    except (UnreadableFile, FileError) as exc:
        RegistryComparison.objects.filter(pk=comparison.pk).update(status=ComparisonStatus.FAILED, progress=100, message=str(exc)[:500])
        return RegistryComparison.objects.get(pk=comparison.pk)
    rows = [
        {"row": number, "values": dict(zip(HEADERS, (cells + [""] * len(HEADERS))[: len(HEADERS)], strict=True))}
        for number, cells in enumerate(body, start=2)
    ]
    organizations = Organization.objects.filter(region__code__startswith=comparison.region_id)
    if comparison.user is not None:
        organizations = scoped(organizations, comparison.user)
    results = match(rows, list(organizations), comparison.region)
    with transaction.atomic():
        ComparisonRow.objects.filter(comparison=comparison).delete()
        ComparisonRow.objects.bulk_create(
            [
                ComparisonRow(
                    comparison=comparison,
                    row_number=r.row_number,
                    values=r.values,
                    outcome=r.outcome,
                    organization_id=r.organization_id,
                    score=r.score,
                    reason=r.reason[:200],
                )
                for r in results
            ],
            batch_size=2000,
        )
        counts = {outcome: sum(1 for r in results if r.outcome == outcome) for outcome in Outcome.values}
        counts["rows"] = len(rows)
        RegistryComparison.objects.filter(pk=comparison.pk).update(
            status=ComparisonStatus.DONE,
            progress=100,
            counts=counts,
            message=f"外部名录 {len(rows):,} 行：匹配 {counts['matched']:,}，新增 {counts['new']:,}，待核实 {counts['review']:,}；"
            f"平台中消失或已注销 {counts['gone']:,}",
        )
        audit_record(
            actor=comparison.user, action="compare.run", obj=comparison, detail=counts, actor_name="" if comparison.user else "system"
        )
    return RegistryComparison.objects.get(pk=comparison.pk)


@transaction.atomic
def review_decide(*, actor, row: ComparisonRow, confirm: bool) -> ComparisonRow:
    """Confirming makes the pair a match; rejecting makes the outside row new."""
    if row.outcome != Outcome.REVIEW or row.decision != Decision.PENDING:
        raise ValidationError("这一行不在待核实状态")
    row.decision = Decision.CONFIRMED if confirm else Decision.REJECTED
    row.outcome = Outcome.MATCHED if confirm else Outcome.NEW
    if not confirm:
        row.organization = None
    row.decided_by, row.decided_at = actor, timezone.now()
    row.save()
    audit_record(actor=actor, action="compare.review", obj=row.comparison, detail={"row": row.row_number, "decision": row.decision})
    return row


@transaction.atomic
def create_new_organizations(*, actor, comparison: RegistryComparison, rows: list[ComparisonRow]) -> tuple[int, list[dict]]:
    """Create the new ones whose data are complete and valid; explain the others by row and column."""
    candidates = [r for r in rows if r.outcome == Outcome.NEW and not r.acted]
    table = [[r.values.get(h, "") for h in HEADERS] for r in candidates]
    valid, errors = org_registry.validate(table, user=actor)
    number_of = {index: r for index, r in enumerate(candidates, start=2)}
    for parsed in valid:
        parsed.row = number_of[parsed.row].row_number
    problems = [{"row": number_of[e.row].row_number, "column": e.column, "value": e.value, "reason": e.reason} for e in errors]
    counts = org_registry.write(valid)
    recompute_organizations(counts.touched_ids)
    created_codes = {p.credit_code for p in valid}
    acted = [r.pk for r in candidates if normalize_credit_code(r.values.get("统一社会信用代码", "")) in created_codes]
    ComparisonRow.objects.filter(pk__in=acted).update(acted=True)
    audit_record(actor=actor, action="compare.create_new", obj=comparison, detail={"created": counts.created, "rejected": len(problems)})
    return counts.created, problems


@transaction.atomic
def deregister_gone(*, actor, comparison: RegistryComparison, rows: list[ComparisonRow]) -> int:
    done = 0
    for row in rows:
        if row.outcome != Outcome.GONE or row.acted or row.organization is None or row.organization.is_deregistered:
            continue
        organization_deregister(actor=actor, organization=row.organization, status="cancelled", reason=f"数据比对：{row.reason}")
        row.acted = True
        row.save(update_fields=["acted"])
        done += 1
    return done
