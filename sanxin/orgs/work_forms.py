from django import forms

from sanxin.accounts.models import Unit
from sanxin.orgs.lookup import OrganizationLookupField
from sanxin.orgs.models import CENSUS_ITEMS, InstructorKind
from sanxin.orgs.selectors import units_in_line
from sanxin.regions.models import Industry
from sanxin.regions.widgets import RegionPickerField

DATE = forms.DateInput(attrs={"type": "date"})


class InstructorForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    kind = forms.ChoiceField(label="类型", choices=InstructorKind.choices)
    unit = forms.ModelChoiceField(label="派出单位", queryset=Unit.objects.none())
    title = forms.CharField(label="职务", max_length=100, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_in_line(user)


class AssignmentForm(forms.Form):
    credit_code = OrganizationLookupField(label="选派到的组织")
    started_on = forms.DateField(label="开始日期", widget=DATE)
    ended_on = forms.DateField(label="结束日期", widget=DATE, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit_code"].bind_user(user)


class TodoCloseForm(forms.Form):
    note = forms.CharField(
        label="办结说明",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：已于某日单独组建党支部",
        error_messages={"required": "请填写办结说明"},
    )


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    content = forms.CharField(label="指导内容", widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(label="发现问题", widget=forms.Textarea(attrs={"rows": 2}), required=False)


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
