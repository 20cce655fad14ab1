"""The organization pickers: one organization, or several, by credit code among those the user may see."""

from __future__ import annotations

import re

from django import forms

from sanxin.core.lookup import SEPARATORS, SUGGESTIONS, ScopedLookupField
from sanxin.core.scope import scoped
from sanxin.core.text import half_width, normalize_code
from sanxin.orgs.models import Organization


class OrganizationLookupField(ScopedLookupField):
    """One organization by its credit code, among those the user may see."""

    url_name = "orgs:organization_lookup"
    placeholder = "输入单位名称或统一社会信用代码搜索"

    def key_of(self, obj) -> str:
        return obj.credit_code

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
