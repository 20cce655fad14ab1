from django import template
from django.utils.html import format_html

from sanxin.core.listing import PAGE_SIZES

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_th(context, key: str, label: str):
    """A sortable column header: click toggles ascending/descending."""
    listing = context["listing"]
    current = listing.sort
    if current == key:
        target, arrow = f"-{key}", " ▲"
    elif current == f"-{key}":
        target, arrow = key, " ▼"
    else:
        target, arrow = key, ""
    query = f"{listing.query}&" if listing.query else ""
    return format_html('<th scope="col"><a class="sx-sort" href="?{}sort={}">{}{}</a></th>', query, target, label, arrow)


@register.simple_tag
def page_sizes():
    return PAGE_SIZES


@register.filter
def pct(value, digits: int = 1):
    """A 0–1 fraction as a percentage with one decimal: 0.1234 → 12.3%."""
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%"


@register.simple_tag
def region_label(region):
    """A region's name with its full path on hover."""
    if region is None:
        return "—"
    return format_html('<span class="sx-nowrap" title="{}">{}</span>', region.full_name, region.name)


@register.filter
def bs(field):
    """Render a form field's widget with the Bootstrap class that fits it."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", "")
    if input_type in ("checkbox", "radio") or widget.__class__.__name__.startswith("Checkbox"):
        css = "form-check-input" if input_type == "checkbox" else ""
    elif input_type == "select" or widget.__class__.__name__.endswith("Select") or "Select" in widget.__class__.__name__:
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css}) if css else field.as_widget()


@register.filter
def audit_action(code: str) -> str:
    from sanxin.core.audit_labels import action_label

    return action_label(code)
