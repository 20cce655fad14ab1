"""Scope-test routes of the compare area; collected by tests/scope_registry.py."""

ROUTES: list = []
EXEMPT: dict[str, str] = {}
