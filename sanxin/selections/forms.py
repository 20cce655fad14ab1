from django import forms

from sanxin.selections.models import DEEDS_MAX, DESCRIPTION_MAX, TITLE_MAX, CampaignKind
from sanxin.workers.models import Occupation


class CampaignForm(forms.Form):
    """The organiser's form; the rules are the service's (sanxin.selections.services.campaign_create)."""

    kind = forms.ChoiceField(label="评选类型", choices=[("", "请选择"), *CampaignKind.choices])
    title = forms.CharField(label="评选名称", max_length=TITLE_MAX, required=False, help_text="不填时用评选类型的名称")
    occupation = forms.ChoiceField(label="面向职业", choices=[("", "按评选类型"), *Occupation.choices], required=False)
    region = forms.CharField(label="评选范围（区划代码）", max_length=12, help_text="本单位的区划或其下级，如 3601")
    places = forms.CharField(label="名额", max_length=9)
    nominate_from = forms.DateField(label="推荐开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    nominate_until = forms.DateField(label="推荐截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    publicity_days = forms.CharField(label="公示期（工作日）", max_length=9, initial="5")
    award_points = forms.CharField(label="表彰积分（每人）", max_length=9, initial="0")
    honour_title = forms.CharField(label="荣誉称号", max_length=TITLE_MAX, required=False, help_text="不填时与评选名称相同")
    description = forms.CharField(label="评选说明", max_length=DESCRIPTION_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NominationForm(forms.Form):
    worker = forms.ChoiceField(label="被推荐人")
    deeds = forms.CharField(label="主要事迹", max_length=DEEDS_MAX, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", "请选择")] + [(str(w.pk), f"{w.name}（{w.region.name}）") for w in workers]
