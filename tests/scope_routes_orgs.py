"""Scope-test routes of the orgs area; collected by tests/scope_registry.py."""

from tests.scope_registry import Route

ROUTES: list[Route] = []
EXEMPT: dict[str, str] = {}
