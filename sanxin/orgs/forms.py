from django import forms

from sanxin.core.forms import HalfWidthCharField, HalfWidthIntegerField
from sanxin.orgs.lookup import OrganizationLookupField
from sanxin.orgs.models import OrgCategory, RegistrationStatus
from sanxin.regions.forms import cut_to_scope
from sanxin.regions.models import Industry, Zone
from sanxin.regions.widgets import RegionPickerField


class OrganizationForm(forms.Form):
    credit_code = HalfWidthCharField(label="统一社会信用代码", max_length=18)
    name = forms.CharField(label="单位名称", max_length=200)
    category = forms.ChoiceField(label="单位类别", choices=OrgCategory.choices)
    industry = forms.ModelChoiceField(label="所属行业", queryset=Industry.objects.all())
    region = RegionPickerField(label="所在地区")
    zone = forms.ModelChoiceField(label="所在园区/楼宇", queryset=Zone.objects.none(), required=False)
    address = forms.CharField(label="详细地址", max_length=300, required=False)
    legal_representative = forms.CharField(label="法定代表人", max_length=50, required=False)
    employees = HalfWidthIntegerField(label="从业人员数", min_value=0, initial=0)
    formal_members = HalfWidthIntegerField(label="正式党员数", min_value=0, initial=0)
    probationary_members = HalfWidthIntegerField(label="预备党员数", min_value=0, initial=0)
    established_on = forms.DateField(label="成立日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    registration_status = forms.ChoiceField(label="登记状态", choices=RegistrationStatus.choices, initial=RegistrationStatus.ACTIVE)
    status_reason = forms.CharField(label="状态变更原因", max_length=200, required=False, help_text="登记状态改为注销、吊销或迁出时必填")
    parent = OrganizationLookupField(label="上级单位", required=False, help_text="集团 → 分支机构，平台 → 加盟商/站点")
    is_top500_private = forms.BooleanField(label="民营企业500强", required=False)
    is_top100_internet = forms.BooleanField(label="互联网企业100强", required=False)
    is_little_giant = forms.BooleanField(label="专精特新“小巨人”", required=False)
    is_above_scale = forms.BooleanField(label="规模以上", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].bind_user(user)
        self.fields["parent"].bind_user(user)
        cut_to_scope(self, user)
