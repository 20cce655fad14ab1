from django import forms

from sanxin.accounts.models import Unit
from sanxin.appeals.models import PLACE_MAX, TEXT_MAX, AppealCategory, AppealKind, RoutingRule
from sanxin.appeals.selectors import HANDLING_KINDS
from sanxin.core.scope import scoped
from sanxin.regions.models import Region
from sanxin.workers.models import Platform

WORKER_CHOICES = [(c.value, c.label) for c in AppealCategory if not c.value.startswith("firm_")]


class AppealForm(forms.Form):
    """The worker's form; the rules are the service's (sanxin.appeals.services.appeal_errors)."""

    category = forms.ChoiceField(label="诉求类别", choices=[("", "请选择"), *WORKER_CHOICES])
    text = forms.CharField(
        label="诉求内容",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"说清楚遇到了什么困难，不超过 {TEXT_MAX} 字",
    )
    place = forms.CharField(label="发生地点", max_length=PLACE_MAX, help_text="如：某小区北门、某路口")
    region = forms.ChoiceField(label="所在社区（街道）")
    platform = forms.ModelChoiceField(label="涉及平台（可不选）", queryset=Platform.objects.all(), required=False, empty_label="不涉及平台")
    shielded = forms.BooleanField(
        label="对平台隐藏我的身份", required=False, initial=True, help_text="勾选后，平台企业党组织只能看到诉求内容，看不到您的姓名和手机号"
    )
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    client_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, worker, **kwargs):
        super().__init__(*args, **kwargs)
        street = worker.region_id[:9]
        places = Region.objects.filter(code__startswith=street).filter(code__regex=r"^\d{9}(\d{3})?$").order_by("code")
        self.fields["region"].choices = [(r.code, r.name) for r in places] or [(worker.region_id, worker.region_id)]
        self.fields["region"].initial = worker.region_id


class StaffAppealForm(forms.Form):
    """Staff raise an appeal on a worker's behalf (by the worker's phone, found in their own area) or a firm's
    difficulty (助企服务); the rules are the service's."""

    kind = forms.ChoiceField(label="诉求类型", choices=AppealKind.choices, initial=AppealKind.WORKER)
    worker_phone = forms.CharField(
        label="诉求人手机号码", max_length=20, required=False, help_text="已登记的从业人员按手机号码查找；不填则不关联从业人员"
    )
    firm_name = forms.CharField(label="企业名称", max_length=100, required=False, help_text="助企服务必填")
    category = forms.ChoiceField(label="诉求类别", choices=[("", "请选择"), *AppealCategory.choices])
    text = forms.CharField(label="诉求内容", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    place = forms.CharField(label="发生地点", max_length=PLACE_MAX)
    region = forms.CharField(label="所在区划代码", max_length=12, help_text="街道或社区的区划代码，须在本单位管辖范围内")
    platform = forms.ModelChoiceField(label="涉及平台", queryset=Platform.objects.all(), required=False, empty_label="不涉及平台")
    shielded = forms.BooleanField(label="对平台隐藏诉求人身份", required=False, initial=True)


class RoutingRuleForm(forms.Form):
    region = forms.CharField(label="地区代码", max_length=12, help_text="该地区及其下级发生的诉求")
    category = forms.ChoiceField(label="诉求类别", choices=[("", "全部类别"), *AppealCategory.choices], required=False)
    unit = forms.ModelChoiceField(label="承办单位", queryset=Unit.objects.none())
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoped(Unit.objects.filter(kind__in=HANDLING_KINDS, is_active=True), user).order_by(
            "region_id", "name"
        )


def rule_initial(rule: RoutingRule) -> dict:
    return {"region": rule.region_id, "category": rule.category, "unit": rule.unit_id, "note": rule.note}
