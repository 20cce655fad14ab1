"""The left menu: the items the apps declare (sanxin.core.declare), grouped, each shown only to users with its capability."""

from django.urls import reverse

from sanxin.core.declare import menu_items


def menu_for(user) -> list[dict]:
    groups: dict[str, list[dict]] = {}
    for item in menu_items():
        if user.can(item.capability):
            entry = {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name, "icon": item.icon}
            groups.setdefault(item.group, []).append(entry)
    return [{"label": label, "items": items} for label, items in groups.items()]


def menu_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match and match.namespace else ""
    return {"menu": menu_for(user), "menu_current": current}
