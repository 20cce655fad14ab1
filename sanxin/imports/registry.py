"""The import specs the apps declare (SanxinApp.import_specs), by key."""

from __future__ import annotations

from functools import cache

from django.http import Http404
from django.utils.module_loading import import_string

from sanxin.core.declare import import_spec_paths
from sanxin.imports.spec import ImportSpec


@cache
def import_specs() -> dict[str, ImportSpec]:
    specs = [import_string(path) for path in import_spec_paths()]
    return {spec.key: spec for spec in specs}


def get_spec(key: str, *, user=None) -> ImportSpec:
    """The spec of registry `key`; 404 for an unknown one, or when `user` may not import it (None: the operator)."""
    spec = import_specs().get(key)
    if spec is None or (user is not None and not (user.can("imports.use") and user.can(spec.capability))):
        raise Http404
    return spec
