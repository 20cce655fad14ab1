"""A street's branch with a secretary, a local, a mobile, a pocket and a lost member, and another county's branch."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanxin.life.models import MeetingType
from sanxin.life.services import meeting_create
from sanxin.regions.models import Region
from tests.members_factories import make_member
from tests.orgs_factories import party_org


@pytest.fixture
def branch(personas):
    return party_org(personas["county"], name="滕王阁快递党支部")


@pytest.fixture
def other_branch(personas):
    return party_org(personas["other_county"], name="西湖区物流党支部", region=Region.objects.get(code="360103"))


@pytest.fixture
def members(personas, branch, other_branch):
    county = personas["county"]
    return {
        "secretary": make_member(county, branch, name="胡书记", user=personas["secretary"]),
        "member": make_member(county, branch, name="林小勇", relation_mode="mobile", user=personas["member"]),
        "local": make_member(county, branch, name="王芳", gender="female"),
        "pocket": make_member(county, branch, name="赵磊", relation_mode="pocket"),
        "lost": make_member(county, branch, name="陈晨", relation_mode="lost"),
        "elsewhere": make_member(personas["other_county"], other_branch, name="周建华"),
    }


def lecture():
    return MeetingType.objects.get(code="party_lecture")


def meeting_fields(party_organization, **fields) -> dict:
    starts = fields.pop("starts_at", timezone.now() + timedelta(minutes=10))
    data = {
        "party_organization": party_organization,
        "meeting_type": lecture(),
        "topic": "学习党的二十届四中全会精神",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "mode": "mixed",
        "place": "滕王阁街道党群服务中心",
        "link": "腾讯会议 123-456-789",
        "host": "胡书记",
        "recorder": "王芳",
        "lecturer": "胡书记",
    }
    return data | fields


def make_meeting(actor, party_organization, **fields):
    return meeting_create(actor=actor, **meeting_fields(party_organization, **fields))


@pytest.fixture
def meeting(personas, branch, members):
    return make_meeting(personas["county"], branch)
