"""Search-as-you-type pickers for forms that must not list a whole province in a <select>.

The widget keeps the chosen key (a credit code, an id) in a hidden input, or several keys in a textarea,
beside a search box. htmx asks the app's lookup view for matches inside the user's scope and, when one is
clicked, for the widget again with that choice. The field checks every key within the user's scope on the
server, whatever the browser sent. The apps' own fields (sanxin.orgs.lookup, sanxin.party.forms) say how
their objects are found and shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from sanxin.core.listing import query_int

SUGGESTIONS = 20
MAX_SUGGESTIONS = 50
SEPARATORS = r"[\s,，;；、]+"


class LookupWidget(forms.Widget):
    template_name = "includes/lookup_widget.html"

    def __init__(self, url_name: str, placeholder: str, *, multiple: bool = False, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name
        self.placeholder = placeholder
        self.multiple = multiple
        self.describe: Callable[[str], str] = lambda key: key  # key → what the user sees; set by the field
        self.key_of: Callable[[object], str] = lambda obj: str(obj.pk)  # an object → its key; set by the field

    def format_value(self, value):
        if value is None:
            return ""
        return self.key_of(value) if hasattr(value, "pk") else str(value)

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
        self.widget.key_of = self.key_of

    def key_of(self, obj) -> str:
        return str(obj.pk)

    def find(self, key: str):
        raise NotImplementedError

    def describe(self, key: str) -> str:
        found = self.find(key)
        return str(found) if found is not None else key


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
    return render(request, "includes/lookup_results.html", context)
