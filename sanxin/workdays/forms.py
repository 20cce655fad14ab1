from django import forms

from sanxin.workdays.models import DayAdjustment


class AdjustmentForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(label="安排", choices=[("0", "放假"), ("1", "调休上班")], coerce=lambda v: v == "1", initial="0")
    name = forms.CharField(label="节日名称", max_length=DayAdjustment._meta.get_field("name").max_length, required=False)
    note = forms.CharField(label="依据", max_length=DayAdjustment._meta.get_field("note").max_length, required=False)
