"""A street's branch (the secretary, a local, a mobile and a lost member), another branch of the same street, and
another county's branch; materials published by the county."""

import pytest

from sanxin.regions.models import Region
from sanxin.study.services import material_create, material_publish
from tests.members_factories import make_member
from tests.orgs_factories import party_org

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def branch(personas):
    return party_org(personas["county"], name="滕王阁快递党支部")


@pytest.fixture
def second_branch(personas):
    return party_org(personas["county"], name="滕王阁外卖党支部", level="general_branch")


@pytest.fixture
def other_branch(personas):
    return party_org(personas["other_county"], name="西湖区物流党支部", region=Region.objects.get(code="360103"))


@pytest.fixture
def members(personas, branch, second_branch, other_branch):
    county = personas["county"]
    return {
        "secretary": make_member(county, branch, name="胡书记", user=personas["secretary"]),
        "member": make_member(county, branch, name="林小勇", relation_mode="mobile", user=personas["member"]),
        "local": make_member(county, branch, name="王芳", gender="female"),
        "lost": make_member(county, branch, name="陈晨", relation_mode="lost"),
        "second": make_member(county, second_branch, name="李强"),
        "elsewhere": make_member(personas["other_county"], other_branch, name="周建华"),
    }


def make_material(actor, **fields):
    data = {"title": "学习党的二十届四中全会精神", "kind": "article", "body": "全文学习。\n第二段。", "link": ""}
    return material_create(actor=actor, **(data | fields))


@pytest.fixture
def material(personas):
    return material_publish(actor=personas["county"], material=make_material(personas["county"]))
