"""The region picker for forms: cascading selects from the user's scope down, plus a search box."""

from django import forms
from django.urls import reverse

from sanxin.core.scope import scoped
from sanxin.core.text import normalize_code
from sanxin.regions.models import CODE_LENGTH_LEVEL, Region
from sanxin.regions.selectors import region_root_code


class RegionPickerWidget(forms.TextInput):
    template_name = "regions/region_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.root = ""
        self.user = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        code = value.code if isinstance(value, Region) else (value or "")
        if not code and len(self.root) == 12:
            code = self.root  # a community-level user has exactly one region to choose: it is chosen
        context["widget"].update({"root": self.root, "api": reverse("api:list_regions"), "code": code, "label": self._label(code)})
        return context

    def _label(self, code: str) -> str:
        """The chosen region and its ancestors, but only the levels inside the user's scope."""
        if not code or self.user is None:
            return ""
        path = [*Region(code=code, level=CODE_LENGTH_LEVEL.get(len(code), 0)).ancestor_codes, code]
        names = dict(scoped(Region.objects.filter(code__in=path), self.user).values_list("code", "name"))
        return " ".join(names[c] for c in sorted(names)) if code in names else ""


class RegionPickerField(forms.CharField):
    widget = RegionPickerWidget

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 12)
        super().__init__(*args, **kwargs)
        self.user = None

    def bind_user(self, user) -> None:
        self.user = user
        self.widget.user = user
        self.widget.root = region_root_code(user)

    def prepare_value(self, value):
        return value.code if isinstance(value, Region) else value

    def to_python(self, value):
        return normalize_code(super().to_python(value))  # a code typed full-width (３６０１０２) is the same code

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        regions = scoped(Region.objects.all(), self.user) if self.user is not None else Region.objects.none()
        region = regions.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(f"区划代码“{code}”不存在或不在您的管辖范围内")
        return region
