"""Meeting types: the defaults of domain.md, a region's own frequency for its subtree (the most specific region
wins), set only by a region officer for their own region, audited."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sanxin.core.guards import Refused
from sanxin.core.models import AuditEvent
from sanxin.life.models import MeetingType, MeetingTypeFrequency
from sanxin.life.selectors import frequency_for
from sanxin.life.services import meeting_type_set_frequency

DEFAULTS = {
    "支部党员大会": "quarterly",
    "支部委员会": "monthly",
    "党小组会": "monthly",
    "党课": "quarterly",
    "主题党日": "monthly",
    "组织生活会": "yearly",
    "民主评议党员": "yearly",
}


def test_the_defaults_are_seeded(db):
    assert dict(MeetingType.objects.values_list("name", "frequency")) == DEFAULTS
    assert list(MeetingType.objects.values_list("name", flat=True)) == list(DEFAULTS)


def test_the_most_specific_region_wins(personas):
    lecture = MeetingType.objects.get(name="党课")
    meeting_type_set_frequency(actor=personas["province"], meeting_type=lecture, frequency="monthly")
    meeting_type_set_frequency(actor=personas["county"], meeting_type=lecture, frequency="half_yearly")
    assert frequency_for(lecture, "360102002001") == "half_yearly"  # a community of the county
    assert frequency_for(lecture, "360103") == "monthly"  # another county of the province
    assert frequency_for(lecture, "320102") == "quarterly"  # another province: the default
    events = AuditEvent.objects.filter(action="meeting_type_set_frequency").order_by("pk")
    assert [(e.detail["region"], e.detail["old"], e.detail["new"]) for e in events] == [
        ("36", None, "monthly"),
        ("360102", None, "half_yearly"),
    ]


def test_choosing_what_holds_above_removes_the_own_setting(personas):
    lecture = MeetingType.objects.get(name="党课")
    meeting_type_set_frequency(actor=personas["province"], meeting_type=lecture, frequency="monthly")
    meeting_type_set_frequency(actor=personas["county"], meeting_type=lecture, frequency="yearly")
    meeting_type_set_frequency(actor=personas["county"], meeting_type=lecture, frequency="monthly")
    assert not MeetingTypeFrequency.objects.filter(region_id="360102").exists()
    assert frequency_for(lecture, "360102") == "monthly"
    assert AuditEvent.objects.filter(action="meeting_type_set_frequency").order_by("pk").last().detail == {
        "region": "360102",
        "old": "yearly",
        "new": None,
        "in_force": "monthly",
    }


def test_only_a_region_officer_sets_it_for_their_own_region(personas):
    lecture = MeetingType.objects.get(name="党课")
    for persona in ("township", "secretary", "member", "industry"):
        with pytest.raises(Refused):
            meeting_type_set_frequency(actor=personas[persona], meeting_type=lecture, frequency="monthly")
    with pytest.raises(ValidationError) as refused:
        meeting_type_set_frequency(actor=personas["county"], meeting_type=lecture, frequency="weekly")
    assert refused.value.message_dict["frequency"] == ["频次不在可选范围内"]
    assert not MeetingTypeFrequency.objects.exists()


def test_the_page_shows_what_holds_here_and_sets_it(personas, client_for):
    lecture = MeetingType.objects.get(name="党课")
    meeting_type_set_frequency(actor=personas["province"], meeting_type=lecture, frequency="monthly")
    client = client_for("county")
    page = client.get(reverse("life:meeting_type_list")).content.decode()
    assert "江西省" in page and "民主评议党员" in page and 'name="frequency"' in page
    response = client.post(reverse("life:meeting_type_frequency", args=[lecture.pk]), {"frequency": "yearly"}, follow=True)
    assert "本地区“党课”的频次为：每年一次" in response.content.decode()
    assert MeetingTypeFrequency.objects.get(region_id="360102").frequency == "yearly"
    township = client_for("township")
    assert 'name="frequency"' not in township.get(reverse("life:meeting_type_list")).content.decode()
    assert township.post(reverse("life:meeting_type_frequency", args=[lecture.pk]), {"frequency": "monthly"}).status_code == 404
    other = client_for("other_county").get(reverse("life:meeting_type_list")).content.decode()
    assert '<span class="tag tag-red">本地区设置</span>' not in other and "每年一次</strong>" not in other.split("党课")[1][:200]
