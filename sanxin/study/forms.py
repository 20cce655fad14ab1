from django import forms

from sanxin.party.models import PartyOrgLevel
from sanxin.study.models import BODY_MAX, LINK_MAX, TITLE_MAX, MaterialKind
from sanxin.study.selectors import shareable_party_orgs


class MaterialForm(forms.Form):
    """The material form; the rules themselves are the service's (sanxin.study.services.material_errors)."""

    title = forms.CharField(label="标题", max_length=TITLE_MAX)
    kind = forms.ChoiceField(label="类型", choices=MaterialKind.choices, initial=MaterialKind.ARTICLE)
    body = forms.CharField(
        label="正文", required=False, max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 10}), help_text="纯文本，原样显示"
    )
    link = forms.CharField(label="链接", required=False, max_length=LINK_MAX, help_text="以 http:// 或 https:// 开头的网址；视频链接必填")
    # A plain file field: the type is read from the content by the service, not by the form.
    attachment = forms.FileField(label="附件（PDF）", required=False, help_text="PDF 文件，不超过 20 MB")
    remove_attachment = forms.BooleanField(label="删除现有附件", required=False)


class WithdrawForm(forms.Form):
    note = forms.CharField(label="撤回原因", max_length=500)


class ShareForm(forms.Form):
    region = forms.CharField(label="地区代码", required=False, max_length=12, help_text="分享给该地区（含下级）所有状态正常的党组织")
    level = forms.ChoiceField(label="党组织类型", required=False, choices=[("", "全部类型"), *PartyOrgLevel.choices])
    party_orgs = forms.ModelMultipleChoiceField(label="或选择党组织", queryset=None, required=False)
    due_on = forms.DateField(label="学习截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["party_orgs"]
        field.queryset = shareable_party_orgs(user).select_related("region").order_by("region_id", "name")
        field.label_from_instance = lambda p: f"{p.name}（{p.region.full_name}）"
        field.widget.attrs["size"] = 8
