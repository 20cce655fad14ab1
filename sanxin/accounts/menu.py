"""The left menu: the items the apps declare (sanxin.core.declare), grouped, each shown only to users with its capability."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

from sanxin.core.declare import menu_items, role_capabilities


@lru_cache(maxsize=512)
def _menu(role_codes: frozenset, script_prefix: str) -> tuple[dict, ...]:
    # The menu depends on the roles alone: built once per set of roles, not on every page.
    capabilities = role_capabilities(role_codes)
    groups: dict[str, list[dict]] = {}
    for item in menu_items():
        if item.capability in capabilities:
            entry = {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name, "icon": item.icon}
            groups.setdefault(item.group, []).append(entry)
    return tuple({"label": label, "items": tuple(items)} for label, items in groups.items())


def menu_for(user) -> tuple[dict, ...]:
    if not user.is_active:
        return ()
    return _menu(frozenset(user.role_codes), get_script_prefix())


def menu_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match and match.namespace else ""
    return {"menu": menu_for(user), "menu_current": current}
