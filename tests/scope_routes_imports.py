"""Scope-test routes of the imports area; collected by tests/scope_registry.py."""

ROUTES: list = []
EXEMPT: dict[str, str] = {}
