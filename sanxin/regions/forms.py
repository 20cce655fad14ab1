from django import forms

from sanxin.regions.models import ZoneKind
from sanxin.regions.widgets import RegionPickerField


class ZoneForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=ZoneKind.choices)
    region = RegionPickerField(label="所在区划", help_text="选到区县或乡镇/街道")
    address = forms.CharField(label="地址", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].bind_user(user)
