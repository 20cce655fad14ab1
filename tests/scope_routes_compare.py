"""Scope-test routes of the data comparison area; collected by tests/scope_registry.py."""

from django.urls import reverse

from sanxin.accounts.roles import Cap
from sanxin.compare.models import RegistryComparison
from tests.scope_registry import Entity, Route

COMPARISON = Entity(RegistryComparison, region_code=lambda c: c.region_id, marker=lambda c: c.filename)

ROUTES = [
    Route("compare:list", "list", COMPARISON, Cap.COMPARE, list_url="/compare/?size=100"),
    Route("compare:detail", "detail", COMPARISON, Cap.COMPARE, url=lambda c: reverse("compare:detail", args=[c.pk])),
    Route("compare:export", "detail_export", COMPARISON, Cap.COMPARE, url=lambda c: reverse("compare:export", args=[c.pk])),
]
EXEMPT: dict[str, str] = {
    "compare:review": "只接受 POST；比对与行都经 access 取得，见 test_compare.py::test_pages",
    "compare:create_new": "只接受 POST；比对经 access 取得，见 test_compare.py::test_pages",
    "compare:deregister": "只接受 POST；比对经 access 取得，见 test_compare.py::test_pages",
}
