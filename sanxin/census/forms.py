from django import forms

from sanxin.census.models import CENSUS_ITEMS
from sanxin.regions.models import Industry
from sanxin.regions.widgets import RegionPickerField

DATE = forms.DateInput(attrs={"type": "date"})


class CampaignForm(forms.Form):
    name = forms.CharField(label="行动名称", max_length=200)
    region = RegionPickerField(label="摸排范围")
    industry = forms.ModelChoiceField(label="限定行业", queryset=Industry.objects.all(), required=False)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="截止日期", widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].bind_user(user)


class CensusRecordForm(forms.Form):
    censused_on = forms.DateField(label="摸排日期", widget=DATE)
    employees = forms.IntegerField(label="从业人员数", min_value=0)
    formal_members = forms.IntegerField(label="正式党员数", min_value=0)
    probationary_members = forms.IntegerField(label="预备党员数", min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in CENSUS_ITEMS:
            self.fields[key] = forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 2}))


class TodoCloseForm(forms.Form):
    note = forms.CharField(
        label="办结说明",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：已于某日单独组建党支部",
        error_messages={"required": "请填写办结说明"},
    )
