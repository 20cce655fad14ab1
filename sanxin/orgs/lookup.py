"""Search-as-you-type pickers for forms that must not list a whole province in a <select>.

The widget keeps the chosen key (a credit code, a Party organization's id) in a hidden input, or
several credit codes in a textarea, beside a search box. htmx asks a lookup view
(orgs:organization_lookup, party:party_org_lookup) for matches inside the user's scope and, when
one is clicked, for the widget again with that choice. The field checks every key within the
user's scope on the server, whatever the browser sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from sanxin.core.listing import query_int
from sanxin.core.scope import scoped
from sanxin.core.text import half_width, normalize_code
from sanxin.orgs.models import Organization

SUGGESTIONS = 20
MAX_SUGGESTIONS = 50
SEPARATORS = r"[\s,，;；、]+"


class LookupWidget(forms.Widget):
    template_name = "orgs/lookup_widget.html"

    def __init__(self, url_name: str, placeholder: str, *, multiple: bool = False, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name
        self.placeholder = placeholder
        self.multiple = multiple
        self.describe: Callable[[str], str] = lambda key: key  # key → what the user sees; set by the field

    def format_value(self, value):
        if value is None:
            return ""
        return str(getattr(value, "credit_code", None) or getattr(value, "pk", None) or value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        key = self.format_value(value)
        context["widget"].update(
            {
                "url": reverse(self.url_name),
                "placeholder": self.placeholder,
                "multiple": self.multiple,
                "key": key,
                "label": self.describe(key) if key and not self.multiple else "",
            }
        )
        return context


class ScopedLookupField(forms.CharField):
    """A field whose value is looked up among the objects the bound user may see."""

    url_name = ""
    placeholder = ""
    multiple = False

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", LookupWidget(self.url_name, self.placeholder, multiple=self.multiple))
        super().__init__(*args, **kwargs)
        self.user = None

    def bind_user(self, user) -> None:
        """Called on the form's own copy of the field (widgets are copied shallowly, so bind here)."""
        self.user = user
        self.widget.describe = self.describe

    def find(self, key: str):
        raise NotImplementedError

    def describe(self, key: str) -> str:
        found = self.find(key)
        return str(found) if found is not None else key


class OrganizationLookupField(ScopedLookupField):
    """One organization by its credit code, among those the user may see."""

    url_name = "orgs:organization_lookup"
    placeholder = "输入单位名称或统一社会信用代码搜索"

    def visible(self):
        return scoped(Organization.objects.all(), self.user) if self.user is not None else Organization.objects.none()

    def find(self, key: str):
        return self.visible().filter(credit_code=normalize_code(key).upper()).first()

    def describe(self, key: str) -> str:
        org = self.find(key)
        return f"{org.name}（{org.credit_code}）" if org else key

    def clean(self, value):
        code = normalize_code(super().clean(value)).upper()
        if not code:
            return None
        org = self.find(code)
        if org is None:
            raise forms.ValidationError(f"统一社会信用代码 {code} 不在您管辖的组织名录中")
        return org


class OrganizationCodesField(OrganizationLookupField):
    """Several organizations by credit code (one a line, or separated by commas), each within scope."""

    multiple = True

    def clean(self, value):
        text = forms.CharField.clean(self, value) or ""
        codes = list(dict.fromkeys(normalize_code(c).upper() for c in re.split(SEPARATORS, half_width(text)) if c.strip()))
        found = {o.credit_code: o for o in self.visible().filter(credit_code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(f"以下统一社会信用代码不在您管辖的组织名录中：{'、'.join(missing)}")
        return [found[c] for c in codes]


def organization_suggestions(user, q: str, limit: int = SUGGESTIONS):
    code, q = normalize_code(q), q.strip()  # a name is searched as typed, a code in half-width
    orgs = scoped(Organization.objects.select_related("region"), user)
    if not q:
        return orgs.none()
    if code.isascii() and code.isalnum() and any(c.isdigit() for c in code):  # a credit code, or its start
        return orgs.filter(credit_code__startswith=code.upper()).order_by("credit_code")[:limit]
    return orgs.filter(name__icontains=q).order_by("name")[:limit]


def lookup_response(request, *, make_field: Callable[[bool], ScopedLookupField], suggest: Callable, key_of: Callable, place_of: Callable):
    """The one view behind every picker: ?q= gives suggestions; ?pick= gives the widget again with
    that choice (added to the list when ?multiple=1); a pick outside the user's scope is 404."""
    name = request.GET.get("field", "")
    name = name if name.isidentifier() else "q"
    multiple = request.GET.get("multiple") == "1"
    if "pick" in request.GET:
        field = make_field(multiple)
        field.bind_user(request.user)
        key = request.GET["pick"].strip()
        found = field.find(key) if key else None
        if key and found is None:
            raise Http404
        value = key_of(found) if found is not None else ""
        if multiple:
            chosen = [c for c in re.split(SEPARATORS, request.GET.get(name, "")) if c.strip()]
            value = "\n".join(dict.fromkeys([*chosen, *([value] if value else [])]))
        return HttpResponse(field.widget.render(name, value, attrs={"id": f"id_{name}"}))
    limit = query_int(request, "limit", default=0, maximum=MAX_SUGGESTIONS) or SUGGESTIONS
    q = request.GET.get("q", "")
    items = [(key_of(obj), str(obj), place_of(obj)) for obj in suggest(request.user, q, limit)]
    context = {"items": items, "q": q.strip(), "field": name, "multiple": multiple, "url": request.path}
    return render(request, "orgs/lookup_results.html", context)
