from django import forms

from sanxin.life.models import Frequency, MeetingMode, MeetingType
from sanxin.life.selectors import meeting_party_org_choices

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.Form):
    """The meeting form; the rules themselves are the service's (sanxin.life.services.meeting_errors)."""

    party_organization = forms.ModelChoiceField(label="党组织", queryset=None, empty_label="请选择")
    meeting_type = forms.ModelChoiceField(label="会议类型", queryset=MeetingType.objects.all(), empty_label="请选择")
    topic = forms.CharField(label="主题", max_length=200)
    starts_at = forms.DateTimeField(label="开始时间", widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    ends_at = forms.DateTimeField(label="结束时间", widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    mode = forms.ChoiceField(label="形式", choices=MeetingMode.choices, initial=MeetingMode.OFFLINE)
    place = forms.CharField(label="地点", max_length=200, required=False, help_text="线下、线上线下结合的会议须填写")
    link = forms.CharField(label="线上会议链接", max_length=500, required=False, help_text="线上、线上线下结合的会议须填写（链接或会议号）")
    host = forms.CharField(label="主持人", max_length=50, required=False)
    recorder = forms.CharField(label="记录人", max_length=50, required=False)
    lecturer = forms.CharField(label="授课人", max_length=50, required=False, help_text="党课填写")
    agenda = forms.CharField(label="议程", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label="会议记录", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_organization"].queryset = meeting_party_org_choices(user).select_related("region")
        self.fields["party_organization"].label_from_instance = lambda p: f"{p.name}（{p.region.full_name}）"


class SignInForm(forms.Form):
    code = forms.CharField(
        label="会议码",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}),
        help_text="会场屏幕上显示的 6 位数字",
    )


class PhotoForm(forms.Form):
    # A plain file field: the type is read from the content by sanxin.core.photos, not by the form.
    photo = forms.FileField(label="会议照片", help_text="JPEG、PNG 等照片，不超过 10 MB；上传时去除拍摄位置等信息")


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(label="频次", choices=Frequency.choices)
