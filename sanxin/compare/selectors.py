"""Reads of comparisons, cut to the viewer's scope: the rows, and the counts the tabs and the list show."""

from __future__ import annotations

from django.db.models import Count

from sanxin.compare.models import ComparisonRow, Outcome, RegistryComparison
from sanxin.core.scope import access, scoped


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
    return counts


def result_summary(counts: dict[str, int]) -> str:
    """The status line of a finished comparison, from the counts the viewer may see."""
    return (
        f"外部名录 {counts['rows']:,} 行：匹配 {counts['matched']:,}，新增 {counts['new']:,}，待核实 {counts['review']:,}，"
        f"外部已注销 {counts['gone']:,}，不在比对范围 {counts['outside']:,}；平台中有而外部未列出 {counts['missing']:,}"
    )
