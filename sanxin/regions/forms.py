from django import forms

from sanxin.core.scope import scoped, user_scope
from sanxin.regions.jurisdiction import scope_industries
from sanxin.regions.models import Zone, ZoneKind
from sanxin.regions.widgets import RegionPickerField


class ZoneForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=ZoneKind.choices)
    region = RegionPickerField(label="所在区划", help_text="选到区县或乡镇/街道")
    address = forms.CharField(label="地址", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].bind_user(user)


def cut_to_scope(form, user, *, industry="industry", zone="zone") -> None:
    """Offer only the industries and zones of the user's scope; a narrowed scope makes them required."""
    scope = user_scope(user)
    form.fields[zone].queryset = scoped(Zone.objects.all(), user)
    if scope.industry_ids:
        form.fields[industry].queryset = scope_industries(user)
        form.fields[industry].required = True
    if scope.zone_id:
        form.fields[zone].required = True


class RegionFilterForm(forms.Form):
    """Only to render the region picker in the list's filter bar; the list reads ?region= itself."""

    region = RegionPickerField(label="所在地区", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].bind_user(user)
