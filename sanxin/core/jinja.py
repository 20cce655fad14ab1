"""The Jinja2 environment of the pages: the helpers the templates call, a URL cache, checked lookups in tests.

Pages are rendered by Jinja2 (templates/), compiled to Python once per process: a list of 50 rows costs a few
milliseconds instead of the Django engine's twenty (about 10,000 variable lookups a page). Form widgets and
third-party templates stay with the Django engine (app templates/ directories).
"""

from __future__ import annotations

import inspect
from functools import lru_cache

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma as django_intcomma
from django.http import HttpRequest
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, json_script
from django.utils.timezone import template_localtime
from jinja2 import ChainableUndefined, Environment, Undefined, pass_context

from sanxin.core.audit_labels import action_label
from sanxin.core.listing import PAGE_SIZES

# A stand-in id per argument position: reversed once per URL name and arity, then replaced by the real ids.
_SLOTS = tuple(f"9{i}87654321987654321" for i in range(6))


@lru_cache(maxsize=2048)
def _url_shape(urlconf, prefix: str, name: str, arity: int) -> tuple[str, ...]:
    path = reverse(name, urlconf=urlconf, args=[int(slot) for slot in _SLOTS[:arity]])
    parts: list[str] = []
    for slot in _SLOTS[:arity]:
        head, _, path = path.partition(slot)
        parts.append(head)
    return (*parts, path)


def url(name: str, *args, **kwargs) -> str:
    """`{{ url('orgs:organization_detail', o.pk) }}`: reverse(), with integer ids placed into a shape reversed
    once, because a list page asks for the same route fifty times."""
    if kwargs or not args or len(args) > len(_SLOTS) or not all(type(arg) is int and arg >= 0 for arg in args):
        return reverse(name, args=args or None, kwargs=kwargs or None)
    shape = _url_shape(get_urlconf(), get_script_prefix(), name, len(args))
    out = [shape[0]]
    for arg, tail in zip(args, shape[1:], strict=True):
        out.append(str(arg))
        out.append(tail)
    return "".join(out)


@pass_context
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


def region_label(region):
    """A region's name with its full path on hover."""
    if region is None or isinstance(region, Undefined):
        return "—"
    return format_html('<span class="sx-nowrap" title="{}">{}</span>', region.full_name, region.name)


def pct(value, digits: int = 1):
    """A 0–1 fraction as a percentage with one decimal: 0.1234 → 12.3%."""
    if value is None or isinstance(value, Undefined):
        return "—"
    return f"{value * 100:.{digits}f}%"


def intcomma(value):
    if type(value) is int:
        return f"{value:,}"
    return django_intcomma(value)


def date(value, arg=None):
    """Django's date filter, on the local time as the Django engine gives it."""
    if value is None or isinstance(value, Undefined):
        return ""
    return defaultfilters.date(template_localtime(value), arg)


def bs(field):
    """Render a form field's widget with the Bootstrap class that fits it."""
    widget = field.field.widget
    name = widget.__class__.__name__
    input_type = getattr(widget, "input_type", "")
    if input_type in ("checkbox", "radio") or name.startswith("Checkbox"):
        css = "form-check-input" if input_type == "checkbox" else ""
    elif input_type == "select" or "Select" in name:
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css}) if css else field.as_widget()


class CheckedEnvironment(Environment):
    """In tests, a name looked up on a real object that lacks it is an error, not an empty string, and a
    method printed without its call (a Django-template habit) is refused: a typo fails the page's test."""

    def getattr(self, obj, attribute):
        value = super().getattr(obj, attribute)
        # A dict, None and the request (a bag that each middleware adds to) may lack a name, as in Django.
        if isinstance(value, Undefined) and obj is not None and not isinstance(obj, (Undefined, dict, HttpRequest)):
            raise AttributeError(f"模板取值错误：{type(obj).__name__} 没有 {attribute}")
        return value


def _refuse_uncalled(value):
    if inspect.ismethod(value) or inspect.isfunction(value) or inspect.isbuiltin(value):
        raise TypeError(f"模板输出了未调用的方法 {value.__qualname__}，应写作 {value.__name__}()")
    return value


def is_none(value) -> bool:
    """`x is none` is true of a missing name too, as `is None` was in the Django engine."""
    return value is None or isinstance(value, Undefined)


def environment(**options) -> Environment:
    checked = getattr(settings, "SANXIN_TEMPLATES_CHECKED", False)
    options["undefined"] = ChainableUndefined  # as the Django engine: a missing name prints nothing
    if checked:
        options["finalize"] = _refuse_uncalled
    env = (CheckedEnvironment if checked else Environment)(**options)
    env.globals.update(
        url=url,
        static=static,
        sort_th=sort_th,
        region_label=region_label,
        page_sizes=PAGE_SIZES,
    )
    env.filters.update(
        pct=pct,
        intcomma=intcomma,
        date=date,
        bs=bs,
        audit_action=action_label,
        add=defaultfilters.add,
        truncatechars=defaultfilters.truncatechars,
        floatformat=defaultfilters.floatformat,
        json_script=json_script,
    )
    env.tests["none"] = is_none
    return env
