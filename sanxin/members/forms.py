from django import forms

from sanxin.core.listing import parse_id
from sanxin.core.lookup import ScopedLookupField
from sanxin.members.models import Education, Gender, MemberStatus, RelationMode
from sanxin.members.selectors import manageable_party_orgs
from sanxin.orgs.lookup import OrganizationLookupField
from sanxin.party.models import PartyOrganization, PartyOrgStatus


class MemberForm(forms.Form):
    """The 党员 form; the rules themselves are the service's (sanxin.members.services.member_errors)."""

    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    id_number = forms.CharField(label="公民身份号码", max_length=30, help_text="18 位，末位可为 X；出生日期和性别须与之一致")
    birth_date = forms.DateField(label="出生日期", required=False, help_text="空白则按身份证号码填写")
    ethnicity = forms.CharField(label="民族", max_length=20, initial="汉族")
    education = forms.ChoiceField(label="学历", choices=[("", "—"), *Education.choices], required=False)
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    joined_on = forms.DateField(label="入党日期")
    status = forms.ChoiceField(label="党员状态", choices=MemberStatus.choices)
    party_organization = forms.ModelChoiceField(label="所在党组织", queryset=None, empty_label="请选择")
    relation_mode = forms.ChoiceField(label="组织关系情况", choices=RelationMode.choices, initial=RelationMode.LOCAL)
    occupation = forms.CharField(label="职业", max_length=50, required=False)
    employer = OrganizationLookupField(label="工作单位", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_organization"].queryset = manageable_party_orgs(user).order_by("region_id", "name")
        self.fields["party_organization"].label_from_instance = lambda p: f"{p.name}（{p.region.full_name}）"
        self.fields["employer"].bind_user(user)


class DevelopmentForm(forms.Form):
    """登记入党申请; the rules are the service's (sanxin.members.services.development_create)."""

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="公民身份号码", max_length=30, help_text="18 位，末位可为 X；出生日期按此填写")
    applied_on = forms.DateField(label="递交入党申请日期", help_text="申请时须年满 18 周岁")
    party_organization = forms.ModelChoiceField(label="培养党组织", queryset=None, empty_label="请选择")
    recommending_organization = forms.ModelChoiceField(
        label="推荐党组织",
        queryset=None,
        required=False,
        empty_label="—",
        help_text="青年人才党支部代为培养时填写：接收为预备党员后，党员编入推荐党组织",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = manageable_party_orgs(user).order_by("region_id", "name")
        for name in ("party_organization", "recommending_organization"):
            self.fields[name].queryset = orgs
            self.fields[name].label_from_instance = lambda p: f"{p.name}（{p.region.full_name}）"


class StepForm(forms.Form):
    """One step of the development workflow: the date it was decided on and a note."""

    on = forms.DateField(label="日期")
    note = forms.CharField(label="说明", max_length=500, required=False)


class AdmitForm(StepForm):
    introducer_1 = forms.ModelChoiceField(label="入党介绍人一", queryset=None, empty_label="请选择")
    introducer_2 = forms.ModelChoiceField(label="入党介绍人二", queryset=None, empty_label="请选择")
    publicity_starts_on = forms.DateField(label="公示开始日期")
    publicity_ends_on = forms.DateField(label="公示结束日期", help_text="公示不少于 5 天，结束后方可接收")

    def __init__(self, *args, introducers, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("introducer_1", "introducer_2"):
            self.fields[name].queryset = introducers


class TransferDestinationField(ScopedLookupField):
    """The receiving Party organization of a transfer: any active one on the platform (a transfer is addressed
    outside one's jurisdiction), found by name; sanxin.members.transfers.destination_suggestions."""

    url_name = "members:transfer_destination_lookup"
    placeholder = "输入接收党组织名称搜索（至少 2 个字）"

    def find(self, key: str):
        pk = parse_id(key)
        if pk is None or self.user is None or not self.user.can("members.manage"):
            return None
        return PartyOrganization.objects.filter(pk=pk, status=PartyOrgStatus.ACTIVE).select_related("region").first()

    def describe(self, key: str) -> str:
        found = self.find(key)
        return f"{found.name}（{found.region.full_name}）" if found else ""

    def clean(self, value):
        key = (super().clean(value) or "").strip()
        if not key:
            return None
        found = self.find(key)
        if found is None:
            raise forms.ValidationError("所选接收党组织不存在或已撤销，请重新搜索选择")
        return found


class TransferForm(forms.Form):
    """发起转接; the rules are the service's (sanxin.members.transfers.transfer_initiate)."""

    to_organization = TransferDestinationField(label="接收党组织", help_text="可选择平台上任一党组织，含其他市县的")
    letter_number = forms.CharField(label="介绍信编号", max_length=50)
    valid_until = forms.DateField(label="介绍信有效期至", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="转接原因", max_length=200, required=False, help_text="如：工作调动、外出务工")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organization"].bind_user(user)


class TransferStepForm(forms.Form):
    """One step of a transfer: a note (the reason, for 退回)."""

    note = forms.CharField(label="说明", max_length=500, required=False)
