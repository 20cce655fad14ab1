"""Scope-test routes of the data comparison area; collected by tests/scope_registry.py."""

from django.urls import reverse

from sanxin.compare.models import ComparisonRow, RegistryComparison
from tests.scope_registry import Entity, Route

COMPARISON = Entity(RegistryComparison, region_code=lambda c: c.region_id, marker=lambda c: c.filename, reaches_down=True)
# A result row sits where its organization does (or, for a new row, where the outside registry puts it).
COMPARISON_ROW = Entity(
    ComparisonRow,
    region_code=lambda r: r.region_code,
    marker=lambda r: r.values["单位名称"],
    industry_id=lambda r: r.industry_id,
    zone_id=lambda r: r.zone_id,
)


def _county_comparison() -> RegistryComparison:
    return RegistryComparison.objects.get(region_id="360102")


def _rows_page(outcome: str):
    return lambda: f"/compare/{_county_comparison().pk}/?outcome={outcome}&size=100"


ROUTES = [
    Route("compare:list", "list", COMPARISON, "compare.use", list_url="/compare/?size=100"),
    Route("compare:detail", "detail", COMPARISON, "compare.use", url=lambda c: reverse("compare:detail", args=[c.pk])),
    Route("compare:export", "detail_export", COMPARISON, "compare.use", url=lambda c: reverse("compare:export", args=[c.pk])),
    # The county's results, as every persona: rows and the total of each tab, and every row of the export.
    Route(
        "compare:detail",
        "list",
        COMPARISON_ROW,
        "compare.use",
        list_url=_rows_page("matched"),
        queryset=lambda: ComparisonRow.objects.filter(comparison=_county_comparison(), outcome="matched"),
    ),
    Route(
        "compare:detail",
        "list",
        COMPARISON_ROW,
        "compare.use",
        list_url=_rows_page("new"),
        queryset=lambda: ComparisonRow.objects.filter(comparison=_county_comparison(), outcome="new"),
    ),
    Route(
        "compare:export",
        "export",
        COMPARISON_ROW,
        "compare.use",
        list_url=lambda: reverse("compare:export", args=[_county_comparison().pk]),
        queryset=lambda: ComparisonRow.objects.filter(comparison=_county_comparison()),
    ),
]
EXEMPT: dict[str, str] = {
    "compare:review": "只接受 POST；比对与行都经 access 取得，见 test_compare.py::test_pages",
    "compare:create_new": "只接受 POST；比对经 access 取得，见 test_compare.py::test_pages",
    "compare:retry": "只接受 POST；比对经 access 取得，只有上传人能重新比对，见 test_compare.py::test_silent_comparison_fails_then_retried",
    "compare:deregister": "只接受 POST；比对经 access 取得，见 test_compare.py::test_pages",
}
