from django import forms

from sanxin.regions.widgets import RegionPickerField
from sanxin.stations.models import ADDRESS_MAX, AMENITIES, CHECKLIST, HOURS_MAX, NAME_MAX, NOTE_MAX, OPERATOR_MAX, StationType


def checkboxes():  # a fresh widget for each field
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class StationForm(forms.Form):
    """The station form; the rules are the service's (sanxin.stations.services.station_errors)."""

    name = forms.CharField(label="名称", max_length=NAME_MAX)
    type = forms.ChoiceField(label="类型", choices=StationType.choices)
    operator_name = forms.CharField(label="运营单位", required=False, max_length=OPERATOR_MAX)
    region = RegionPickerField(label="所在地区", help_text="选到街道（乡镇）或社区（村）")
    address = forms.CharField(label="详细地址", max_length=ADDRESS_MAX)
    longitude = forms.CharField(label="经度", max_length=20, help_text="如 115.892151（中国境内）")
    latitude = forms.CharField(label="纬度", max_length=20, help_text="如 28.676493")
    opening_hours = forms.CharField(label="开放时间", required=False, max_length=HOURS_MAX, help_text="如 08:00-20:00")
    open_24h = forms.BooleanField(label="24 小时开放", required=False)
    amenities = forms.MultipleChoiceField(
        label="服务设施", required=False, choices=AMENITIES, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )
    checklist = forms.MultipleChoiceField(
        label="六有", required=False, choices=CHECKLIST, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )
    is_open = forms.BooleanField(label="在运营", required=False, initial=True)
    note = forms.CharField(label="备注", required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].bind_user(user)


class PhotoForm(forms.Form):
    item = forms.ChoiceField(label="六有项目", choices=CHECKLIST)
    # A plain file field: the type is read from the content by sanxin.core.photos, not by the form.
    photo = forms.FileField(label="照片", help_text="JPEG、PNG 等，不超过 10 MB；位置等信息会被去除")


class DemandPointForm(forms.Form):
    name = forms.CharField(label="名称", max_length=NAME_MAX)
    region = RegionPickerField(label="所在地区", help_text="区县、街道或社区")
    longitude = forms.CharField(label="经度", max_length=20)
    latitude = forms.CharField(label="纬度", max_length=20)
    weight = forms.CharField(label="权重（约聚集人数）", max_length=7, initial="1")
    note = forms.CharField(label="备注", required=False, max_length=NOTE_MAX)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].bind_user(user)
