"""Chinese names of audit actions for the audit page, as the apps declare them (sanxin.core.declare).

A service's event is named after the service (`organization_create`); exports are named `<object>.export` and
composed from the object's declared name; a declared code ending in "*" names a family of actions, which the
audit page filters by its prefix. A test checks that every action the code records has a name.
"""

from sanxin.core.declare import audit_labels, audit_objects


def action_label(code: str) -> str:
    labels, objects = audit_labels(), audit_objects()
    if code in labels:
        return labels[code]
    if code.endswith(".export") and code.removesuffix(".export") in objects:
        return f"导出{objects[code.removesuffix('.export')]}"
    return code


def action_choices() -> list[tuple[str, str]]:
    """What the audit page's 操作 dropdown offers: families of actions, then every action, in Chinese."""
    labels = audit_labels()
    families = [(code.removesuffix("*"), label) for code, label in labels.items() if code.endswith("*")]
    codes = [code for code in labels if not code.endswith("*")] + [f"{name}.export" for name in audit_objects()]
    return [*families, *sorted((code, action_label(code)) for code in codes)]
