"""Apps declare themselves: an app's AppConfig, a `SanxinApp`, names its capabilities, menu items, daily jobs,
audit action labels, API routers and import specs. The mechanisms (the menu, `user.can`, the daily jobs, the
audit page, the API, the import framework) read them from here and hold no list of apps, so adding an app is
a new folder, a line in INSTALLED_APPS and one `include` in the URLs.

Dotted paths, not objects: an AppConfig is imported before the models are ready.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Capability:
    code: str  # "<app>.<what>", checked by user.can(code)
    label: str
    roles: frozenset[str]  # the roles that bring it


@dataclass(frozen=True)
class MenuItem:
    group: str  # the menu group's label, e.g. "两新组织"
    label: str
    url_name: str
    capability: str
    icon: str = "bi-dot"
    order: int = 100  # position: groups sort by their first item, items within a group by this


class SanxinApp(AppConfig):
    # Django takes the one AppConfig of an app's apps.py marked default; this base, imported there, is not one.
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.default = True

    capabilities: tuple[Capability, ...] = ()
    menu: tuple[MenuItem, ...] = ()
    daily_jobs: dict[str, str] = {}  # job name → dotted path of a callable taking no arguments
    audit_labels: dict[str, str] = {}  # action code (a service's name) → Chinese; "prefix*" names a family of codes
    audit_objects: dict[str, str] = {}  # object name → Chinese, for the composed "<object>.export"
    api_routers: tuple[tuple[str, str], ...] = ()  # (prefix under /api/v1, dotted path of a Ninja Router)
    import_specs: tuple[str, ...] = ()  # dotted paths of sanxin.imports ImportSpec objects
    seeded_models: tuple[str, ...] = ()  # models whose rows the app's data migrations write (backup restores over them)
    # Cards on a worker's phone home page: dotted paths of callables (worker) -> dict | None, the dict naming its
    # "template" and the context it needs (stations near, appeals waiting for the worker …).
    worker_cards: tuple[str, ...] = ()
    # Cards on a staff member's home page (the work waiting for them): dotted paths of callables (user) -> dict |
    # None, the dict naming its "template" and its context; an app with nothing for this user gives None.
    staff_cards: tuple[str, ...] = ()
    # Links on the worker's phone pages (home and 我的): (path, Bootstrap icon, Chinese label).
    worker_links: tuple[tuple[str, str, str], ...] = ()
    # The worker's own data an app holds, for their data export: dotted paths of callables (worker) ->
    # list[(Chinese label, text)].
    worker_data: tuple[str, ...] = ()
    # Sections on the staff worker record (honours …): dotted paths of callables (worker) -> dict | None, the dict
    # naming its "template" and the context it needs, like worker_cards.
    worker_record_sections: tuple[str, ...] = ()


def declared_apps() -> list[SanxinApp]:
    """The declaring apps, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, SanxinApp)]


@cache
def capabilities() -> dict[str, Capability]:
    found: dict[str, Capability] = {}
    for config in declared_apps():
        for capability in config.capabilities:
            if capability.code in found:
                raise ValueError(f"capability {capability.code} declared twice")
            found[capability.code] = capability
    return found


@cache
def role_capabilities(roles: frozenset[str]) -> frozenset[str]:
    """The capabilities a set of roles brings."""
    return frozenset(code for code, capability in capabilities().items() if capability.roles & roles)


def worker_cards(worker) -> list[dict]:
    """The cards the apps put on a worker's home page, in INSTALLED_APPS order; an app with nothing to say gives None."""
    cards = [import_string(path)(worker) for config in declared_apps() for path in config.worker_cards]
    return [card for card in cards if card]


def staff_cards(user) -> list[dict]:
    """The cards the apps put on a staff member's home page, in INSTALLED_APPS order."""
    cards = [import_string(path)(user) for config in declared_apps() for path in config.staff_cards]
    return [card for card in cards if card]


def worker_record_sections(worker) -> list[dict]:
    """The sections the apps add to the staff worker record, in INSTALLED_APPS order (None: nothing to add)."""
    sections = [import_string(path)(worker) for config in declared_apps() for path in config.worker_record_sections]
    return [section for section in sections if section]


def worker_links() -> list[tuple[str, str, str]]:
    return [link for config in declared_apps() for link in config.worker_links]


def worker_data(worker) -> list[tuple[str, str]]:
    """What each app holds of the worker, as label/text rows, in INSTALLED_APPS order."""
    return [row for config in declared_apps() for path in config.worker_data for row in import_string(path)(worker)]


def menu_items() -> list[MenuItem]:
    items = [item for config in declared_apps() for item in config.menu]
    first = {}
    for item in sorted(items, key=lambda i: i.order):
        first.setdefault(item.group, item.order)
    return sorted(items, key=lambda i: (first[i.group], i.order))


def daily_jobs() -> dict[str, str]:
    return {name: path for config in declared_apps() for name, path in config.daily_jobs.items()}


def audit_labels() -> dict[str, str]:
    return {code: label for config in declared_apps() for code, label in config.audit_labels.items()}


def audit_objects() -> dict[str, str]:
    return {name: label for config in declared_apps() for name, label in config.audit_objects.items()}


def api_routers() -> list[tuple[str, str]]:
    return [router for config in declared_apps() for router in config.api_routers]


def import_spec_paths() -> list[str]:
    return [path for config in declared_apps() for path in config.import_specs]


def seeded_tables() -> list[str]:
    return [config.get_model(name)._meta.db_table for config in declared_apps() for name in config.seeded_models]
