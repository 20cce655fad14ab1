"""An empty POST to a form is checked like any other: the page says in Chinese what is missing and nothing is
written (a form bound to `request.POST or None` showed an empty POST as a blank form again)."""

import pytest

from sanxin.accounts.models import Unit, User
from sanxin.census.models import CensusCampaign
from sanxin.instructors.models import Instructor
from sanxin.life.models import Meeting
from sanxin.members.models import Development, IdentityReport, Member
from sanxin.orgs.models import Organization
from sanxin.party.models import PartyOrganization
from sanxin.regions.models import Zone
from sanxin.study.models import StudyMaterial

FORMS = [
    ("county", "/orgs/new/", Organization),
    ("county", "/party/new/", PartyOrganization),
    ("county", "/members/new/", Member),
    ("county", "/members/development/new/", Development),
    ("county", "/instructors/new/", Instructor),
    ("county", "/census/new/", CensusCampaign),
    ("county", "/zones/new/", Zone),
    ("county", "/life/meetings/new/", Meeting),
    ("county", "/members/identity/new/", IdentityReport),
    ("county", "/study/materials/new/", StudyMaterial),
    ("sysadmin", "/units/new/", Unit),
    ("sysadmin", "/users/new/", User),
]


@pytest.mark.parametrize(("persona", "url", "model"), FORMS, ids=[f[1] for f in FORMS])
def test_an_empty_post_says_what_is_missing_and_writes_nothing(client_for, persona, url, model):
    client = client_for(persona)
    before = model.objects.count()
    response = client.post(url, {})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    assert model.objects.count() == before
