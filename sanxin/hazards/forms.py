from django import forms

from sanxin.hazards.models import PLACE_MAX, TEXT_MAX, HazardCategory
from sanxin.regions.models import Region


class HazardForm(forms.Form):
    """The worker's form; the rules are the service's (sanxin.hazards.services.report_errors)."""

    category = forms.ChoiceField(label="隐患类别", choices=[("", "请选择"), *HazardCategory.choices])
    text = forms.CharField(
        label="情况描述", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}), help_text=f"看到了什么，不超过 {TEXT_MAX} 字"
    )
    place = forms.CharField(label="地点", max_length=PLACE_MAX, required=False, help_text="如：某小区 3 栋楼下、某路口东侧")
    region = forms.ChoiceField(label="所在社区", required=False)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    client_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, worker, **kwargs):
        super().__init__(*args, **kwargs)
        street = worker.region_id[:9]
        places = Region.objects.filter(code__startswith=street, level__gte=4).order_by("code")
        self.fields["region"].choices = [("", "按当前位置判断（无位置时为我登记的社区）"), *((r.code, r.name) for r in places)]
        self.fields["region"].initial = worker.region_id
