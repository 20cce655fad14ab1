"""Reads of comparisons, cut to the viewer's scope: the rows, and the counts the tabs and the list show."""

from __future__ import annotations

from django.db.models import Count, Q

from sanxin.compare import evidence
from sanxin.compare.matcher import Normalizers, same_place
from sanxin.compare.models import ComparisonRow, Outcome, RegistryComparison
from sanxin.core.scope import access, scoped
from sanxin.regions.models import Region


def access_comparison(pk, *, user) -> RegistryComparison:
    return access(RegistryComparison.objects.select_related("region"), pk, user, capability="compare.use")


def access_comparison_row(comparison: RegistryComparison, pk, *, user) -> ComparisonRow:
    return access(comparison.rows.select_related("organization"), pk, user, capability="compare.use")


def comparison_list(*, user):
    return scoped(RegistryComparison.objects.select_related("region"), user)


def comparison_rows(comparison: RegistryComparison, *, user, outcome: str | None = None):
    """The rows this user may see: each sits where its organization (or the outside row) does."""
    rows = scoped(ComparisonRow.objects.filter(comparison=comparison).select_related("organization", "organization__region"), user)
    return rows.filter(outcome=outcome) if outcome else rows


def comparison_counts(comparison_ids, *, user) -> dict[int, dict[str, int]]:
    """Per comparison, the number of rows of each outcome this user may see (0 for none), and their total."""
    counts = {pk: dict.fromkeys(Outcome.values, 0) for pk in comparison_ids}
    rows = scoped(ComparisonRow.objects.filter(comparison_id__in=list(counts)), user)
    for comparison_id, outcome, n in rows.order_by().values_list("comparison_id", "outcome").annotate(n=Count("pk")):
        counts[comparison_id][outcome] = n
    for figures in counts.values():
        figures["rows"] = sum(n for outcome, n in figures.items() if outcome != Outcome.MISSING)
        figures["code_differs"] = 0
    for comparison_id, n in rows.filter(code_differs=True).order_by().values_list("comparison_id").annotate(n=Count("pk")):
        counts[comparison_id]["code_differs"] = n
    return counts


def result_summary(counts: dict[str, int]) -> str:
    """The status line of a finished comparison, from the counts the viewer may see."""
    return (
        f"外部名录 {counts['rows']:,} 行：匹配 {counts['matched']:,}，新增 {counts['new']:,}，待核实 {counts['review']:,}，"
        f"外部已注销 {counts['gone']:,}，不在比对范围 {counts['outside']:,}；平台中有而外部未列出 {counts['missing']:,}"
        + (f"；匹配中统一社会信用代码待更正 {counts['code_differs']:,}" if counts.get("code_differs") else "")
    )


def with_evidence(rows) -> list[ComparisonRow]:
    """The rows of a page, each with `shown_evidence`: its stored evidence, and for a row matched by an equal credit
    code (the matcher looks no further at it) the name and address verdicts computed here, for these rows only."""
    rows = list(rows)
    plain = [r for r in rows if r.organization is not None and "name" not in (r.evidence or {}) and r.values.get("单位名称")]
    counties = {r.organization.region_id[:6] for r in plain}
    names = {}
    if counties:
        codes = {c[:n] for c in counties for n in (2, 4, 6)}
        names = dict(Region.objects.filter(Q(code__in=codes) | Q(level=4, parent_id__in=counties)).values_list("code", "name"))
    normalizers = Normalizers(names)
    for row in rows:
        row.shown_evidence = row.evidence or {}
    for row in plain:
        organization, normalize = row.organization, normalizers[row.organization.region_id[:6]]
        ours, theirs = normalize(organization.name), normalize(row.values.get("单位名称", ""))
        score = 100.0 if ours == theirs else evidence.similarity(ours.key, theirs.key)
        address = str(row.values.get("详细地址") or "").strip()
        both = bool(address and organization.address)
        place = same_place(normalize.address(address), normalize.address(organization.address)) if both else None
        row.shown_evidence = (row.evidence or {}) | evidence.pair(
            code=(row.evidence or {}).get("code", "equal"),
            name=evidence.name_verdict(score, False, evidence.SIMILAR_FROM),
            name_score=score,
            address=evidence.address_verdict(place, both),
        )
    return rows
