"""The registries that import through this framework. Members, workers and stations join later."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404

from sanxin.accounts.roles import Cap
from sanxin.imports.registries import organizations, party_organizations
from sanxin.imports.spec import ImportColumn


@dataclass(frozen=True)
class Registry:
    key: str
    label: str
    columns: list[ImportColumn]
    validate: Callable
    write: Callable
    after_write: Callable[[list[int], int], None]  # touched ids, total rows
    capability: str
    list_url_name: str


def _refresh_coverage(ids: list[int], total: int) -> None:
    from sanxin.orgs.coverage import recompute_all, recompute_organizations

    if len(ids) > 20000:
        recompute_all()
    elif ids:
        recompute_organizations(ids)


REGISTRIES = {
    "organizations": Registry(
        key="organizations",
        label="两新组织名录",
        columns=organizations.COLUMNS,
        validate=organizations.validate,
        write=organizations.write,
        after_write=_refresh_coverage,
        capability=Cap.ORGS_MANAGE,
        list_url_name="orgs:organization_list",
    ),
    "party_organizations": Registry(
        key="party_organizations",
        label="党组织名录",
        columns=party_organizations.COLUMNS,
        validate=party_organizations.validate,
        write=party_organizations.write,
        after_write=_refresh_coverage,
        capability=Cap.PARTY_MANAGE,
        list_url_name="party:party_org_list",
    ),
}


def get_registry(key: str, *, user=None) -> Registry:
    registry = REGISTRIES.get(key)
    if registry is None or (user is not None and not (user.can(Cap.IMPORT) and user.can(registry.capability))):
        raise Http404
    return registry
