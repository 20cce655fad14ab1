"""Scope-test routes of the coverage area; collected by tests/scope_registry.py."""

ROUTES: list = []
EXEMPT: dict[str, str] = {}
