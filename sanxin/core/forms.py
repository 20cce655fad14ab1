"""Form fields every app's forms share."""

from django import forms

from sanxin.core.text import half_width


class HalfWidthCharField(forms.CharField):
    """A code typed with a Chinese input method (９１３６…) reads as the half-width code it is, before any check."""

    def to_python(self, value):
        return half_width(super().to_python(value)).strip()


class HalfWidthIntegerField(forms.IntegerField):
    """A number typed full-width (３０, －５) reads as half-width, before the number check and its limits."""

    def to_python(self, value):
        return super().to_python(half_width(value).strip() if isinstance(value, str) else value)
