from django import forms
from django.urls import reverse

from sanxin.accounts.models import Unit, UnitKind
from sanxin.core.fields import blind_index_for
from sanxin.core.forms import HalfWidthCharField
from sanxin.core.scope import scoped
from sanxin.core.text import normalize_code
from sanxin.members.models import Member
from sanxin.orgs.lookup import OrganizationLookupField
from sanxin.regions.models import Region
from sanxin.regions.widgets import RegionPickerField, RegionPickerWidget
from sanxin.workers.models import EMPLOYER_NAME_MAX, NAME_MAX, WORK_AREA_MAX, Occupation, Platform, PlatformKind

PHONE_HELP = "11 位大陆手机号，全角数字也可"


class WorkerRegionWidget(RegionPickerWidget):
    """The region picker on a worker's own pages: the whole country's divisions (public), from /w/regions/."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        code = context["widget"]["code"]
        region = Region.objects.filter(code=code).first() if code else None
        context["widget"].update({"root": "", "api": reverse("workers:w_regions"), "label": region.full_name if region else ""})
        return context


class WorkerRegionField(RegionPickerField):
    widget = WorkerRegionWidget

    def clean(self, value):
        code = normalize_code(forms.CharField.clean(self, value))
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(f"区划代码“{code}”不存在")
        return region


def _platform_field():
    return forms.ModelMultipleChoiceField(
        label="所属平台", queryset=Platform.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )


class LoginPhoneForm(forms.Form):
    phone = HalfWidthCharField(
        label="手机号码",
        max_length=20,
        error_messages={"required": "请输入手机号码"},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "11 位手机号码"}),
    )


class LoginCodeForm(forms.Form):
    code = HalfWidthCharField(
        label="验证码",
        max_length=12,
        error_messages={"required": "请输入短信验证码"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "placeholder": "6 位数字"}),
    )


class SelfForm(forms.Form):
    """What a worker fills in at registration and corrects later."""

    name = forms.CharField(label="姓名", max_length=NAME_MAX, error_messages={"required": "请填写姓名"})
    occupation = forms.ChoiceField(label="职业", choices=Occupation.choices, error_messages={"required": "请选择职业"})
    platforms = None  # set in __init__ (the queryset is read per request)
    region = WorkerRegionField(
        label="工作区域", help_text="选到您常跑的街道（乡镇）或社区（村）", error_messages={"required": "请选择工作区域"}
    )
    work_area = forms.CharField(
        label="工作区域说明", max_length=WORK_AREA_MAX, required=False, help_text="如：八一广场周边、红谷滩万达一带"
    )
    employer_name = forms.CharField(label="所在站点/加盟商", max_length=EMPLOYER_NAME_MAX, required=False, help_text="选填")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platforms"] = _platform_field()
        self.order_fields(["name", "occupation", "platforms", "region", "work_area", "employer_name"])


class ConsentForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, max_length=20)
    accept = forms.BooleanField(label="我已阅读并同意《个人信息处理告知同意书》", required=False)
    accept_sensitive = forms.BooleanField(label="我单独同意处理上述敏感个人信息", required=False)


class ExportForm(forms.Form):
    fmt = forms.ChoiceField(label="导出格式", choices=[("xlsx", "Excel 表格（.xlsx）"), ("json", "JSON 数据（.json）")], initial="xlsx")


class DeleteForm(forms.Form):
    confirm = forms.CharField(label="请输入“确认删除”四个字", max_length=10, error_messages={"required": "请输入“确认删除”"})

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip() != "确认删除":
            raise forms.ValidationError("请输入“确认删除”四个字以确认")
        return self.cleaned_data["confirm"]


class WorkerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=NAME_MAX)
    phone = HalfWidthCharField(label="手机号码", max_length=20, help_text=PHONE_HELP)
    occupation = forms.ChoiceField(label="职业", choices=Occupation.choices)
    region = RegionPickerField(label="工作区域", help_text="选到街道（乡镇）或社区（村）")
    work_area = forms.CharField(label="工作区域说明", max_length=WORK_AREA_MAX, required=False)
    employer = OrganizationLookupField(label="所在站点/加盟商", required=False, help_text="组织名录中的站点或加盟商")
    employer_name = forms.CharField(label="站点/加盟商名称（名录外）", max_length=EMPLOYER_NAME_MAX, required=False)
    member_id_number = HalfWidthCharField(
        label="党员身份证号码",
        max_length=18,
        required=False,
        help_text="是党员的，填写其身份证号码以关联党员名册（须在您管辖范围内）；不填则不改变",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["platforms"] = _platform_field()
        self.order_fields(["name", "phone", "occupation", "platforms", "region", "work_area", "employer", "employer_name"])
        self.fields["region"].bind_user(user)
        self.fields["employer"].bind_user(user)

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.pop("member_id_number", "") or "").upper()
        if number:
            found = scoped(Member.objects.filter(id_number_index=blind_index_for("id_number", number)), self.user).first()
            if found is None:
                self.add_error("member_id_number", "在您管辖范围内没有这个身份证号码的党员")
            else:
                cleaned["member"] = found
        return cleaned


class PlatformForm(forms.Form):
    name = forms.CharField(label="平台名称", max_length=Platform._meta.get_field("name").max_length)
    kind = forms.ChoiceField(label="平台类型", choices=PlatformKind.choices)
    unit = forms.ModelChoiceField(
        label="平台企业党组织（账号单位）",
        queryset=Unit.objects.filter(kind=UnitKind.PLATFORM, is_active=True).order_by("name"),
        required=False,
        help_text="该单位的工作人员可查看涉及本平台的诉求（不显示从业人员身份）",
    )
