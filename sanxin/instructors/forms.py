from django import forms

from sanxin.accounts.models import Unit
from sanxin.instructors.models import InstructorKind
from sanxin.instructors.selectors import units_in_line
from sanxin.orgs.lookup import OrganizationLookupField

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


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    content = forms.CharField(label="指导内容", widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(label="发现问题", widget=forms.Textarea(attrs={"rows": 2}), required=False)
