"""Scope-test routes of the coverage area; collected by tests/scope_registry.py.

The coverage routes show counts, not rows: tests/test_coverage.py::test_summary_counts_follow_every_scope
compares them for every persona with an oracle computed from the organization rows.
"""

ROUTES: list = []
EXEMPT: dict[str, str] = {
    "coverage:overview": "统计数字，见 test_coverage.py::test_summary_counts_follow_every_scope",
    "coverage:export": (
        "按区划、行业、园区的统计，与页面同源，见 test_coverage.py::test_summary_counts_follow_every_scope、"
        "test_industry_and_zone_breakdowns_export"
    ),
    "api:coverage_summary": "统计数字，见 test_coverage.py::test_summary_counts_follow_every_scope",
    "api:coverage_breakdown": "统计数字，越权区划 404，见 test_coverage.py::test_summary_refuses_outside_scope_and_unknown_codes",
}
