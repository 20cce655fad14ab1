from django import forms
from django.contrib.auth.forms import AuthenticationForm

from sanxin.accounts.models import Unit, UnitKind
from sanxin.accounts.tokens import VALIDITY_DAYS
from sanxin.core.roles import Role
from sanxin.core.scope import scoped
from sanxin.regions.models import Industry, Zone
from sanxin.regions.widgets import RegionPickerField

GENERIC_LOGIN_ERROR = "账号或密码不正确，或账号已停用"


class LoginForm(AuthenticationForm):
    error_messages = {"invalid_login": GENERIC_LOGIN_ERROR, "inactive": GENERIC_LOGIN_ERROR}


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 12 位，含大写字母、小写字母、数字、符号中的至少 3 类，不能是常见密码或最近 5 次用过的密码。",
    )
    new_password_again = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", "两次输入的新密码不一致")
        return data


class UnitForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=100)
    kind = forms.ChoiceField(label="单位类型", choices=UnitKind.choices)
    region = RegionPickerField(label="管辖区划", required=False)
    parent = forms.ModelChoiceField(label="上级单位", queryset=Unit.objects.none(), required=False)
    industries = forms.ModelMultipleChoiceField(
        label="限定行业", queryset=Industry.objects.all(), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    zone = forms.ModelChoiceField(label="限定园区/楼宇", queryset=Zone.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].bind_user(user)
        self.fields["parent"].queryset = scoped(Unit.objects.all(), user)
        self.fields["zone"].queryset = scoped(Zone.objects.all(), user)

    def clean(self):
        data = super().clean()
        if data.get("kind") != UnitKind.SYSTEM and not data.get("region"):
            self.add_error("region", "非系统运维单位必须选择管辖区划")
        return data


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label="账号", regex=r"^[A-Za-z0-9_.@-]{3,150}$", error_messages={"invalid": "账号只能包含字母、数字和 _ . @ -，3 至 150 位"}
    )
    full_name = forms.CharField(label="姓名", max_length=50)
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.none())
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), help_text="用户首次登录时必须修改。"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoped(Unit.objects.filter(is_active=True), user)


class UserEditForm(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50)
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.none())
    phone = forms.CharField(
        label="手机号码", max_length=20, required=False, help_text="显示的是打码后的号码；不改则原样保存，输入新号码即更换，清空即删除。"
    )
    is_active = forms.BooleanField(label="启用", required=False)

    def __init__(self, *args, user, phone_masked: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoped(Unit.objects.filter(is_active=True), user)
        # The form never carries the full number (security.md item 22): it shows the masked one.
        self.phone_masked = phone_masked
        self.initial["phone"] = phone_masked

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return None if self.phone_masked and phone == self.phone_masked else phone  # None: unchanged


class UserRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(label="角色", choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple)
    actor_password = forms.CharField(
        label="请输入您的登录密码以确认", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="令牌名称", max_length=64, help_text="说明用途，如“数据同步脚本”")
    days = forms.TypedChoiceField(
        label="有效期", coerce=int, choices=[(d, f"{d} 天") for d in VALIDITY_DAYS], initial=90, widget=forms.Select
    )
