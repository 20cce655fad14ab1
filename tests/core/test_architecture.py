"""The shape of the code: imports go down only, apps declare themselves, capabilities are declared once."""

import ast
import re
from collections import defaultdict
from pathlib import Path

from django.conf import settings

from sanxin.core.declare import capabilities, declared_apps, menu_items

SANXIN = Path(settings.BASE_DIR) / "sanxin"


def app_imports() -> dict[str, set[str]]:
    """app → the other apps it imports, counting imports inside functions (migrations aside)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in SANXIN.rglob("*.py"):
        parts = path.relative_to(SANXIN).parts
        if "migrations" in parts or len(parts) < 2:
            continue
        app = parts[0]
        graph.setdefault(app, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                if name.startswith("sanxin.") and name.split(".")[1] != app:
                    graph[app].add(name.split(".")[1])
    return graph


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports, if there is one."""
    state: dict[str, str] = {}

    def visit(app, path):
        state[app] = "open"
        for other in sorted(graph.get(app, ())):
            if state.get(other) == "open":
                return [*path[path.index(other) :], other]
            if other not in state and (found := visit(other, [*path, other])):
                return found
        state[app] = "done"
        return None

    for app in sorted(graph):
        if app not in state and (found := visit(app, [app])):
            return found
    return None


def test_the_circle_finder_finds_a_circle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_imports_go_down_only():
    found = cycle(app_imports())
    assert found is None, f"应用之间的导入形成了循环：{' → '.join(found)}"


def test_core_imports_no_app():
    assert app_imports()["core"] == set(), "core 只放机制，不能导入任何应用"


def test_every_installed_app_but_the_demo_declares_itself():
    declared = {config.name for config in declared_apps()}
    ours = {name for name in settings.INSTALLED_APPS if name.startswith("sanxin.")}
    assert ours - declared == {"sanxin.demo"}


def test_every_capability_used_is_declared_and_every_declared_one_used():
    source = "\n".join(path.read_text(encoding="utf-8") for path in SANXIN.rglob("*.py") if "migrations" not in path.parts)
    # Where a capability is checked: user.can("…"), @capability_required("…"), capability="…", `"…" if for_write else "…"`.
    used = set(re.findall(r'(?:\.can\(|capability_required\(|capability=)"([a-z_.]+)"', source))
    used |= {code for pair in re.findall(r'"([a-z_.]+)" if for_write else "([a-z_.]+)"', source) for code in pair}
    used |= {item.capability for item in menu_items()}  # a menu item shows for its capability
    declared = set(capabilities())
    assert used - declared == set(), f"未声明的权限：{sorted(used - declared)}"
    assert declared - used == set(), f"声明了却没有用到的权限：{sorted(declared - used)}"


def test_the_menu_comes_from_the_apps():
    from django.urls import reverse

    items = menu_items()
    assert {item.url_name for item in items} >= {"dashboards:home", "orgs:organization_list", "census:campaign_list", "accounts:audit_list"}
    for item in items:
        assert reverse(item.url_name)
        assert item.capability in capabilities(), item
    assert items[0].url_name == "dashboards:home"


def test_a_services_audit_event_is_named_after_the_service():
    """In the services (modules that write), an audited function records its own name as the action, or its name
    and a qualifier ("second_factor_verify.lockout"); a private helper records the name of a public service."""
    services = [p for p in SANXIN.rglob("*.py") if p.name in ("services.py", "second_factor.py", "tokens.py", "backup.py")]
    assert len(services) >= 10
    wrong = []
    for path in services:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        public = {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")}
        for function in (node for node in tree.body if isinstance(node, ast.FunctionDef)):
            for call in ast.walk(function):
                if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "audit_record":
                    action = next((k.value for k in call.keywords if k.arg == "action"), None)
                    if not isinstance(action, ast.Constant):
                        continue
                    name = action.value.split(".")[0]
                    allowed = {function.name} if not function.name.startswith("_") else public
                    if name not in allowed:
                        wrong.append(f"{path.relative_to(SANXIN)}:{function.name} records {action.value}")
    assert wrong == [], wrong
