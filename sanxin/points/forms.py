"""Forms of the staff pages; numbers are text here and the service parses them (full-width digits accepted, a
Chinese reason for anything else)."""

from django import forms

from sanxin.points.models import DESCRIPTION_MAX, NAME_MAX, EarningKind, RewardKind


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label="积分事项", choices=[("", "请选择"), *EarningKind.choices])
    region_code = forms.CharField(label="地区代码", max_length=12, required=False, help_text="该地区及其下级；空为全国（仅全国管理单位）")
    points = forms.CharField(label="每次（每小时）积分", max_length=20)
    active = forms.BooleanField(label="启用", required=False, initial=True)
    note = forms.CharField(label="说明", max_length=200, required=False)


class RewardForm(forms.Form):
    name = forms.CharField(label="名称", max_length=NAME_MAX)
    kind = forms.ChoiceField(label="类型", choices=RewardKind.choices)
    cost = forms.CharField(label="所需积分", max_length=20)
    stock = forms.CharField(label="库存", max_length=20)
    region_code = forms.CharField(label="适用地区代码", max_length=12, required=False, help_text="空为本单位管辖区域")
    valid_until = forms.DateField(label="兑换截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label="说明", max_length=DESCRIPTION_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    active = forms.BooleanField(label="上架", required=False, initial=True)


class ReportForm(forms.Form):
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    level = forms.ChoiceField(label="按", choices=[("street", "街道（乡镇）"), ("county", "区县")], initial="street")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["start"] > data["end"]:
                raise forms.ValidationError("开始日期不能晚于结束日期")
            if (data["end"] - data["start"]).days > 3660:
                raise forms.ValidationError("统计期间最长十年")
        return data
