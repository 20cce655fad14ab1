from django import forms

from sanxin.care.models import DESCRIPTION_MAX, PLACE_MAX, TITLE_MAX, CareType
from sanxin.core.scope import scoped
from sanxin.regions.widgets import RegionPickerField
from sanxin.stations.models import Station
from sanxin.workers.models import Occupation


def moment(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=25,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ActivityForm(forms.Form):
    """The activity form; the rules are the service's (sanxin.care.services.activity_errors)."""

    title = forms.CharField(label="活动名称", max_length=TITLE_MAX)
    type = forms.ChoiceField(label="活动类型", choices=CareType.choices)
    region = RegionPickerField(label="所在地区", help_text="区县、街道（乡镇）或社区（村）")
    station = forms.ChoiceField(label="服务阵地", required=False, help_text="在服务阵地举办的，选择后地点可不填")
    place = forms.CharField(label="活动地点", required=False, max_length=PLACE_MAX)
    starts_at = moment("开始时间")
    ends_at = moment("结束时间")
    capacity = forms.CharField(label="名额", max_length=9, help_text="报名人数上限")
    signup_opens_at = moment("报名开始时间")
    signup_closes_at = moment("报名截止时间", "不晚于活动结束时间；活动开始后不能再报名")
    signup_required = forms.BooleanField(label="须先报名才能扫码签到", required=False, initial=True)
    occupations = forms.MultipleChoiceField(
        label="面向人群",
        required=False,
        choices=Occupation.choices,
        help_text="不选表示面向全部新就业群体",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    description = forms.CharField(label="活动内容", required=False, max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].bind_user(user)
        stations = scoped(Station.objects.filter(is_open=True), user).order_by("region_id", "name")[:500]
        self.fields["station"].choices = [("", "（不在服务阵地）")] + [(str(s.pk), s.name) for s in stations]


class CancelForm(forms.Form):
    note = forms.CharField(label="取消原因", max_length=500)
