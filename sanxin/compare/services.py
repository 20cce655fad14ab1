"""数据比对: store the outside file, match it, let a person review pairs, act on the results; all audited."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sanxin.compare.matcher import Known, Matcher, collection_paused
from sanxin.compare.models import ComparisonRow, ComparisonStatus, Decision, Outcome, RegistryComparison
from sanxin.core.audit import audit_record
from sanxin.core.events import publish
from sanxin.core.guards import require
from sanxin.core.jobs import fail_stale
from sanxin.core.scope import region_in_scope, scoped, user_scope
from sanxin.core.uploads import job_file, purge_uploads, require_stored_file, store_table_upload
from sanxin.core.validators import normalize_credit_code
from sanxin.imports.readers import UnreadableFile, read_rows
from sanxin.imports.spec import FileError, ImportScope, check_header, chunked, read_cells
from sanxin.orgs import importing as org_registry
from sanxin.orgs.models import DEREGISTERED, Organization, RegistrationStatus
from sanxin.orgs.services import organization_deregister
from sanxin.regions.models import Industry, Region

HEADERS = [c.header for c in org_registry.COLUMNS]


def comparison_files_purge() -> int:
    """The daily job: outside registry files past the retention are deleted; the results stay."""
    return purge_uploads(RegistryComparison.objects.all(), action="comparison_files_purge")


@transaction.atomic
def comparison_create(*, actor, region, upload) -> RegistryComparison:
    require(actor, "compare.use")
    if region is None or (actor is not None and not user_scope(actor).nationwide and not region_in_scope(actor, region.code)):
        raise ValidationError({"region": "比对范围不在您的管辖范围内"})
    name, stored = store_table_upload(upload, RegistryComparison.UPLOAD_FOLDER)
    comparison = RegistryComparison.objects.create(user=actor, region=region, filename=name, stored_name=stored)
    audit_record(
        actor=actor,
        action="comparison_create",
        obj=comparison,
        detail={"file": name, "region": region.code},
        actor_name="" if actor else "system",
    )
    return comparison


RUNNING = RegistryComparison.RUNNING_STATUSES
STALE_AFTER = RegistryComparison.STALE_AFTER  # it reports at every step and every CHUNK rows of the matcher
STALE_REASON = "比对超过 1 小时没有进展，后台进程可能已被中断（或没有运行），已标记为失败；可点击“重新比对”再次运行"


class ComparisonAbandoned(Exception):
    """The comparison was marked failed (stale) while this run was still going: it stops without writing."""


def _progress(comparison: RegistryComparison, **fields) -> None:
    # updated_at too: a comparison whose worker died is recognised by its silence (comparisons_fail_stale).
    changed = RegistryComparison.objects.filter(pk=comparison.pk, status__in=RUNNING).update(updated_at=timezone.now(), **fields)
    if not changed:
        raise ComparisonAbandoned


def comparisons_fail_stale(comparisons=None) -> int:
    """Comparisons silent for STALE_AFTER are marked failed with the reason; audited. The pages call it for what
    they show, the daily jobs for everyone's."""
    comparisons = RegistryComparison.objects.all() if comparisons is None else comparisons
    failed = fail_stale(
        comparisons,
        running_statuses=RUNNING,
        failed_status=ComparisonStatus.FAILED,
        reason=STALE_REASON,
        action="comparisons_fail_stale",
        stale_after=STALE_AFTER,
    )
    return len(failed)


@transaction.atomic
def comparison_retry(*, actor, comparison: RegistryComparison) -> RegistryComparison:
    """Run a failed comparison again on its stored file (its uploader only); audited. Enqueue it."""
    require(actor, "compare.use")
    comparison = RegistryComparison.objects.select_for_update().get(pk=comparison.pk)
    if actor is None or comparison.user_id != actor.pk:
        raise ValidationError("只能重新比对本人上传的名录")
    if comparison.status != ComparisonStatus.FAILED:
        raise ValidationError("只有失败的比对可以重新比对")
    require_stored_file(comparison)  # a retry runs on the stored file
    old = {"status": comparison.status, "message": comparison.message}
    RegistryComparison.objects.filter(pk=comparison.pk).update(
        status=ComparisonStatus.QUEUED, progress=0, message="", updated_at=timezone.now()
    )
    audit_record(actor=actor, action="comparison_retry", obj=comparison, detail={"old": old, "new": {"status": ComparisonStatus.QUEUED}})
    return RegistryComparison.objects.get(pk=comparison.pk)


def known_organizations(comparison: RegistryComparison) -> list[Known]:
    organizations = Organization.objects.filter(region__code__under=comparison.region_id)
    if comparison.user is not None:
        organizations = scoped(organizations, comparison.user)
    fields = ("id", "credit_code", "name", "region_id", "address", "registration_status")
    with collection_paused():
        return [
            Known(pk, code, name, region, address, status in DEREGISTERED)
            for pk, code, name, region, address, status in organizations.values_list(*fields).iterator(chunk_size=20000)
        ]


def region_names(region) -> dict[str, str]:
    """Names the matcher strips from firm names and addresses: the region's ancestors and everything down to townships;
    and the other cities and counties of its province, and every province and city of the country, so that a row
    whose address names one is known as outside."""
    regions = Region.objects.filter(
        Q(code__in=region.ancestor_codes)
        | Q(code__under=region.code, level__lte=4)
        | Q(code__under=region.code[:2], level__lte=3)
        | Q(level__lte=2)
    )
    return dict(regions.values_list("code", "name"))


class RowPlace:
    """Where each result row sits, so a viewer sees only the rows of their own scope (region, industry,
    zone): a row about a platform organization sits where that organization does; any other row where
    the outside registry puts it (its region code if it names a real one inside the compared region, else
    the compared region: a row placed elsewhere is the uploader's own data, set aside as outside) and in
    its industry, in the zone of the uploader if their scope is a zone (a zone committee's list is of its
    zone, as in an import)."""

    def __init__(self, comparison: RegistryComparison, organization_ids: list[int]):
        self.default_region = comparison.region_id
        self.zone_id = user_scope(comparison.user).zone_id if comparison.user is not None else None
        fields = ("pk", "region_id", "industry_id", "zone_id")
        self.organizations = {
            pk: {"region_code": region, "industry_id": industry, "zone_id": zone}
            for chunk in chunked(sorted(set(organization_ids)))
            for pk, region, industry, zone in Organization.objects.filter(pk__in=chunk).values_list(*fields)
        }
        self.industries = {i.name: i.pk for i in Industry.objects.all()} | {i.code: i.pk for i in Industry.objects.all()}
        self.regions: dict[str, bool] = {}

    def _known_region(self, code: str) -> bool:
        if code not in self.regions:
            self.regions[code] = Region.objects.filter(code=code).exists()
        return self.regions[code]

    def __call__(self, result) -> dict:
        if result.organization_id in self.organizations:
            return self.organizations[result.organization_id]
        code = str(result.values.get("所在地区代码") or "").strip()
        return {
            "region_code": code if code.startswith(self.default_region) and self._known_region(code) else self.default_region,
            "industry_id": self.industries.get(str(result.values.get("所属行业") or "").strip()),
            "zone_id": self.zone_id,
        }


def _read(comparison: RegistryComparison) -> list[dict]:
    """The outside rows as the matcher reads them: cells by header, codes and numbers in half-width. A cell with
    an invisible control character fails the file, saying where (nothing of it could be stored or shown)."""
    header, body = read_rows(job_file(comparison), comparison.filename)
    check_header(header, org_registry.COLUMNS)
    rows, problems = [], []
    width = len(org_registry.COLUMNS)
    with collection_paused():  # a row per line of the file, all kept
        for number, cells in body:
            text, errors, _ = read_cells(number, (cells + [""] * width)[:width], org_registry.COLUMNS)
            problems += [e for e in errors if e.reason.startswith("含有不可见的控制字符")]
            rows.append({"row": number, "values": {column.header: text[column.key] for column in org_registry.COLUMNS}})
    if problems:
        where = "；".join(f"第 {e.row} 行「{e.column}」" for e in problems[:5])
        more = f"等 {len(problems):,} 处" if len(problems) > 5 else ""
        raise FileError(f"{where}{more}含有不可见的控制字符（如 NUL），请删除后重新上传")
    return rows


def comparison_run(comparison_id: int) -> RegistryComparison:
    comparison = RegistryComparison.objects.select_related("region", "user").get(pk=comparison_id)
    try:
        _progress(comparison, status=ComparisonStatus.RUNNING, progress=5)
        return _run(comparison)
    except ComparisonAbandoned:
        return RegistryComparison.objects.get(pk=comparison.pk)


def _run(comparison: RegistryComparison) -> RegistryComparison:
    try:
        rows = _read(comparison)
    except (UnreadableFile, FileError) as exc:
        _progress(comparison, status=ComparisonStatus.FAILED, progress=100, message=str(exc)[:500])
        return RegistryComparison.objects.get(pk=comparison.pk)
    _progress(comparison, progress=10)
    matcher = Matcher(known_organizations(comparison), region_code=comparison.region_id, region_names=region_names(comparison.region))
    results = matcher.run(rows, progress=lambda done: _progress(comparison, progress=10 + int(70 * done / len(rows))))
    _progress(comparison, progress=80)
    counts = Counter(r.outcome for r in results)
    counts = {outcome: counts.get(outcome, 0) for outcome in Outcome.values} | {"rows": len(rows)}
    counts["code_differs"] = sum(1 for r in results if r.code_differs)
    place = RowPlace(comparison, [r.organization_id for r in results if r.organization_id])
    with transaction.atomic():
        ComparisonRow.objects.filter(comparison=comparison).delete()
        ComparisonRow.objects.bulk_create(
            (
                ComparisonRow(
                    comparison=comparison,
                    row_number=r.row_number,
                    values=r.values,
                    outcome=r.outcome,
                    organization_id=r.organization_id,
                    score=r.score,
                    reason=r.reason[:200],
                    code_differs=r.code_differs,
                    evidence=r.evidence,
                    **place(r),
                )
                for r in results
            ),
            batch_size=5000,
        )
        _progress(comparison, status=ComparisonStatus.DONE, progress=100, counts=counts, message="")
        audit_record(
            actor=comparison.user, action="comparison_run", obj=comparison, detail=counts, actor_name="" if comparison.user else "system"
        )
    return RegistryComparison.objects.get(pk=comparison.pk)


DECISIONS = {"confirm": Decision.CONFIRMED, "reject": Decision.REJECTED}


@transaction.atomic
def review_decide(*, actor, row: ComparisonRow, decision: str) -> ComparisonRow:
    """Confirming makes the pair a match; rejecting makes the outside row new. Nothing else is a decision."""
    require(actor, "compare.use")
    if decision not in DECISIONS:
        raise ValidationError({"decision": "请选择核实结论：“是同一单位”或“不是同一单位”"})
    row = ComparisonRow.objects.select_for_update().get(pk=row.pk)  # a double click decides once
    if row.outcome != Outcome.REVIEW or row.decision != Decision.PENDING:
        raise ValidationError("这一行已核实过，不在待核实状态")
    old = {"outcome": row.outcome, "decision": row.decision, "organization": row.organization_id}
    row.decision = DECISIONS[decision]
    confirm = row.decision == Decision.CONFIRMED
    row.outcome = Outcome.MATCHED if confirm else Outcome.NEW
    if not confirm:
        row.organization = None
    row.decided_by, row.decided_at = actor, timezone.now()
    row.save()
    new = {"outcome": row.outcome, "decision": row.decision, "organization": row.organization_id}
    audit_record(actor=actor, action="review_decide", obj=row.comparison, detail={"row": row.row_number, "old": old, "new": new})
    return row


@transaction.atomic
def create_new_organizations(*, actor, comparison: RegistryComparison, rows: list[ComparisonRow]) -> tuple[int, list[dict]]:
    """Create the new ones whose data are complete and valid; explain the others by row and column."""
    require(actor, "orgs.manage")
    candidates = [r for r in rows if r.outcome == Outcome.NEW and not r.acted]
    table = [(r.row_number, [r.values.get(h, "") for h in HEADERS]) for r in candidates]
    valid, errors = org_registry.validate(table, user=actor)
    problems = [{"row": e.row, "column": e.column, "value": e.value, "reason": e.reason} for e in errors]
    # The actor's own scope: re-checked inside the write, and a zone committee's new organizations join its zone.
    counts = org_registry.write(valid, scope=ImportScope.of(actor))
    publish("organizations.changed", ids=counts.touched_ids)
    created_codes = {p.credit_code for p in valid}
    acted = [r.pk for r in candidates if normalize_credit_code(r.values.get("统一社会信用代码", "")) in created_codes]
    ComparisonRow.objects.filter(pk__in=acted).update(acted=True)
    audit_record(
        actor=actor, action="create_new_organizations", obj=comparison, detail={"created": counts.created, "rejected": len(problems)}
    )
    return counts.created, problems


STATUS_OF = {label: value for value, label in RegistrationStatus.choices}


@transaction.atomic
def deregister_gone(*, actor, comparison: RegistryComparison, rows: list[ComparisonRow]) -> int:
    """Marks the chosen organizations as the outside registry shows them (注销/吊销/迁出); other rows are left alone."""
    require(actor, "orgs.manage")
    done = 0
    for row in rows:
        if row.outcome != Outcome.GONE or row.acted or row.organization is None or row.organization.is_deregistered:
            continue
        status = STATUS_OF[row.values.get("登记状态", "").strip()]
        organization_deregister(actor=actor, organization=row.organization, status=status, reason=f"数据比对：{row.reason}")
        row.acted = True
        row.save(update_fields=["acted"])
        done += 1
    return done
