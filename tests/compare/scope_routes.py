"""Scope-test routes of the data comparison area; collected by tests/scope_registry.py."""

from django.urls import reverse

from sanxin.compare.models import ComparisonRow, Outcome, RegistryComparison
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


OUTCOMES = [o.value for o in Outcome]


def _county_comparison() -> RegistryComparison:
    return RegistryComparison.objects.get(region_id="360102")


def _rows_page(outcome: str):
    return lambda: f"/compare/{_county_comparison().pk}/?outcome={outcome}&size=100"


def _api_rows(outcome: str):
    return lambda: f"/api/v1/compare/{_county_comparison().pk}/rows?outcome={outcome}&limit=200"


ROUTES = [
    Route("compare:list", "list", COMPARISON, "compare.use", list_url="/compare/?size=100"),
    Route("compare:detail", "detail", COMPARISON, "compare.use", url=lambda c: reverse("compare:detail", args=[c.pk])),
    Route("compare:export", "detail_export", COMPARISON, "compare.use", url=lambda c: reverse("compare:export", args=[c.pk])),
    # The county's results, as every persona: rows and the total of each tab, and every row of the export.
    *[
        Route(
            "compare:detail",
            "list",
            COMPARISON_ROW,
            "compare.use",
            list_url=_rows_page(outcome),
            queryset=lambda outcome=outcome: ComparisonRow.objects.filter(comparison=_county_comparison(), outcome=outcome),
        )
        for outcome in OUTCOMES
    ],
    Route(
        "compare:export",
        "export",
        COMPARISON_ROW,
        "compare.use",
        list_url=lambda: reverse("compare:export", args=[_county_comparison().pk]),
        queryset=lambda: ComparisonRow.objects.filter(comparison=_county_comparison()),
    ),
    Route(
        "api:list_comparisons",
        "api_list",
        COMPARISON,
        "compare.use",
        list_url="/api/v1/compare?limit=100",
        api_items=lambda data: [item["filename"] for item in data["items"]],
    ),
    Route("api:get_comparison", "api_detail", COMPARISON, "compare.use", url=lambda c: f"/api/v1/compare/{c.pk}"),
    *[
        Route(
            "api:list_comparison_rows",
            "api_list",
            COMPARISON_ROW,
            "compare.use",
            list_url=_api_rows(outcome),
            api_items=lambda data: [item["values"]["单位名称"] for item in data["items"]],
            queryset=lambda outcome=outcome: ComparisonRow.objects.filter(comparison=_county_comparison(), outcome=outcome),
        )
        for outcome in OUTCOMES
    ],
    # The download over the API asks for the password too (a form field): every comparison, then every row of the county's.
    Route("api:export_comparison", "detail_export", COMPARISON, "compare.use", url=lambda c: f"/api/v1/compare/{c.pk}/export"),
    Route(
        "api:export_comparison",
        "export",
        COMPARISON_ROW,
        "compare.use",
        list_url=lambda: f"/api/v1/compare/{_county_comparison().pk}/export",
        queryset=lambda: ComparisonRow.objects.filter(comparison=_county_comparison()),
    ),
]
EXEMPT: dict[str, str] = {
    "compare:review": "只接受 POST；比对与行都经 access 取得，见 test_compare.py::test_pages",
    "compare:create_new": "只接受 POST；比对经 access 取得，见 test_compare.py::test_pages",
    "compare:retry": "只接受 POST；比对经 access 取得，只有上传人能重新比对，见 test_compare.py::test_silent_comparison_fails_then_retried",
    "compare:deregister": "只接受 POST；比对经 access 取得，见 test_compare.py::test_pages",
    "api:create_comparison": "上传外部名录；比对范围用表单的区划选择字段按数据权限查找，范围外 422，见 test_api.py::test_refusals",
    "api:review_comparison_row": (
        "只接受 POST；比对与行都经 access 取得，范围外的行 404 且不改动，"
        "见 tests/compare/test_api.py::test_rows_counts_and_download_are_cut_to_the_viewers_scope"
    ),
    "api:retry_comparison": (
        "只接受 POST；比对经 access 取得，只有上传人能重新比对，"
        "见 tests/compare/test_api.py::test_a_failed_comparison_is_retried_by_its_uploader"
    ),
}
