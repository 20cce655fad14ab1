import re

from django import forms

from sanxin.core.scope import scoped
from sanxin.orgs.models import Organization
from sanxin.party.models import EstablishmentForm, PartyOrganization, PartyOrgLevel, PartyOrgStatus, SpecialKind
from sanxin.regions.models import Industry, Zone
from sanxin.regions.widgets import RegionPickerField


class PartyOrganizationForm(forms.Form):
    name = forms.CharField(label="党组织名称", max_length=200)
    level = forms.ChoiceField(label="层级", choices=PartyOrgLevel.choices)
    parent = forms.ModelChoiceField(label="上级党组织", queryset=PartyOrganization.objects.none(), required=False)
    establishment_form = forms.ChoiceField(label="组建方式", choices=EstablishmentForm.choices)
    special_kinds = forms.MultipleChoiceField(
        label="特殊类型", choices=SpecialKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    region = RegionPickerField(label="所在地区")
    industry = forms.ModelChoiceField(label="所属行业", queryset=Industry.objects.all(), required=False)
    zone = forms.ModelChoiceField(label="所在园区/楼宇", queryset=Zone.objects.none(), required=False)
    secretary = forms.CharField(label="书记", max_length=50, required=False)
    founded_on = forms.DateField(label="成立日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    term_years = forms.TypedChoiceField(label="任期", choices=[(3, "3 年"), (5, "5 年")], coerce=int, initial=3)
    last_election_on = forms.DateField(label="上次换届日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label="状态", choices=PartyOrgStatus.choices, initial=PartyOrgStatus.ACTIVE)
    covered_codes = forms.CharField(
        label="覆盖的组织",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="填写所覆盖两新组织的统一社会信用代码，每行一个或用逗号分隔；联合党支部可覆盖多家。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].bind_user(user)
        self.fields["parent"].queryset = scoped(PartyOrganization.objects.all(), user)
        self.fields["zone"].queryset = scoped(Zone.objects.all(), user)

    def clean_covered_codes(self):
        codes = [c.strip().upper() for c in re.split(r"[\s,，;；]+", self.cleaned_data["covered_codes"]) if c.strip()]
        found = {o.credit_code: o for o in scoped(Organization.objects.filter(credit_code__in=codes), self.user)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(f"以下统一社会信用代码不在您管辖的组织名录中：{'、'.join(missing)}")
        return [found[c] for c in dict.fromkeys(codes)]
