from django import forms
from django.db.models import Q

from sanxin.core.listing import parse_id
from sanxin.core.lookup import ScopedLookupField
from sanxin.core.scope import scoped
from sanxin.orgs.lookup import OrganizationCodesField
from sanxin.party.models import EstablishmentForm, PartyOrganization, PartyOrgLevel, PartyOrgStatus, SpecialKind
from sanxin.regions.forms import cut_to_scope
from sanxin.regions.models import Industry, Zone
from sanxin.regions.widgets import RegionPickerField


class InlineCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "party/inline_checkboxes.html"


class PartyOrgLookupField(ScopedLookupField):
    """A Party organization by id, among those the user may see."""

    url_name = "party:party_org_lookup"
    placeholder = "输入党组织名称或书记姓名搜索"

    def find(self, key: str):
        pk = parse_id(key)
        if pk is None or self.user is None:
            return None
        return scoped(PartyOrganization.objects.select_related("region"), self.user).filter(pk=pk).first()

    def describe(self, key: str) -> str:
        found = self.find(key)
        return f"{found.name}（{found.region.full_name}）" if found else ""

    def clean(self, value):
        key = (super().clean(value) or "").strip()
        if not key:
            return None
        found = self.find(key)
        if found is None:
            raise forms.ValidationError("所选上级党组织不存在或不在您的管辖范围内，请重新搜索选择")
        return found


def party_org_suggestions(user, q: str, limit: int):
    q = q.strip()
    orgs = scoped(PartyOrganization.objects.select_related("region"), user)
    if not q:
        return orgs.none()
    return orgs.filter(Q(name__icontains=q) | Q(secretary=q)).order_by("name")[:limit]


class PartyOrganizationForm(forms.Form):
    name = forms.CharField(label="党组织名称", max_length=200)
    level = forms.ChoiceField(label="层级", choices=PartyOrgLevel.choices)
    parent = PartyOrgLookupField(label="上级党组织", required=False)
    establishment_form = forms.ChoiceField(label="组建方式", choices=EstablishmentForm.choices)
    special_kinds = forms.MultipleChoiceField(label="特殊类型", choices=SpecialKind.choices, required=False, widget=InlineCheckboxes)
    region = RegionPickerField(label="所在地区")
    industry = forms.ModelChoiceField(label="所属行业", queryset=Industry.objects.all(), required=False)
    zone = forms.ModelChoiceField(label="所在园区/楼宇", queryset=Zone.objects.none(), required=False)
    secretary = forms.CharField(label="书记", max_length=50, required=False)
    founded_on = forms.DateField(label="成立日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    term_years = forms.TypedChoiceField(label="任期", choices=[(3, "3 年"), (5, "5 年")], coerce=int, initial=3)
    last_election_on = forms.DateField(label="上次换届日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label="状态", choices=PartyOrgStatus.choices, initial=PartyOrgStatus.ACTIVE)
    covered_codes = OrganizationCodesField(
        label="覆盖的组织",
        required=False,
        help_text="所覆盖两新组织的统一社会信用代码；联合党支部可覆盖多家。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].bind_user(user)
        self.fields["parent"].bind_user(user)
        self.fields["covered_codes"].bind_user(user)
        cut_to_scope(self, user)
