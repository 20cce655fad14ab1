"""Scope-test routes of the home page; collected by tests/scope_registry.py."""

ROUTES: list = []
EXEMPT: dict[str, str] = {
    "dashboards:home": "统计数字按数据权限计算，见 test_home_figures_follow_scope",
}
