"""Party organizations: the coverage they give, their rules and their pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxin.census.models import CENSUS_ITEMS
from sanxin.orgs.models import CoverageState
from sanxin.party.models import PartyOrganization
from sanxin.party.services import next_election_due, party_org_update
from tests.orgs_factories import make_org, party_org

TODAY = timezone.localdate()
ITEMS = {key: f"{label}：正常" for key, label in CENSUS_ITEMS}


# -- Party organizations ---------------------------------------------------------


def test_standalone_party_org_gives_org_coverage_and_own(personas):
    org = make_org(personas["county"], formal_members=5, employees=60)
    assert org.should_establish
    party_org(personas["county"], covered=[org])
    org.refresh_from_db()
    assert org.coverage_state == CoverageState.ORG_COVERED and org.has_own_party_org and not org.should_establish


def test_joint_branch_covers_several_but_is_not_their_own(personas):
    a = make_org(personas["county"], formal_members=3, employees=10)
    b = make_org(personas["county"], formal_members=1, employees=10)
    party_org(personas["county"], name="联合党支部", covered=[a, b], establishment_form="joint")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.coverage_state == b.coverage_state == CoverageState.ORG_COVERED
    assert a.should_establish and not a.has_own_party_org  # 应建未建 stays: three members, no own organization


def test_dissolving_uncovers(personas):
    org = make_org(personas["county"])
    p = party_org(personas["county"], covered=[org])
    party_org_update(actor=personas["county"], party_org=p, status="dissolved")
    org.refresh_from_db()
    assert org.coverage_state == CoverageState.BLANK


def test_next_election_due_from_last_election_or_founding():
    assert next_election_due(founded_on=date(2020, 5, 1), last_election_on=None, term_years=3) == date(2023, 5, 1)
    assert next_election_due(founded_on=date(2020, 5, 1), last_election_on=date(2024, 2, 29), term_years=5) == date(2029, 2, 28)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"term_years": 4}, "任期应为 3 年或 5 年"),
        ({"level": "club"}, "层级"),
        ({"founded_on": TODAY + timedelta(days=1)}, "成立日期不能晚于今天"),
        ({"last_election_on": date(2019, 1, 1)}, "上次换届日期不能早于成立日期"),
    ],
)
def test_party_org_rules(personas, fields, message):
    with pytest.raises(ValidationError, match=message):
        party_org(personas["county"], **fields)


def test_party_org_cannot_be_its_own_ancestor(personas):
    top = party_org(personas["county"], name="党委", level="committee")
    child = party_org(personas["county"], name="支部", parent=top)
    with pytest.raises(ValidationError, match="不能是本组织或其下级"):
        party_org_update(actor=personas["county"], party_org=top, parent=child)


def test_duplicate_name_in_region_refused(personas):
    party_org(personas["county"])
    with pytest.raises(ValidationError, match="已有名为"):
        party_org(personas["county"])


def test_election_reminders_on_the_list(personas, client_for):
    overdue = party_org(personas["county"], name="超期党支部", founded_on=date(2019, 1, 1))
    soon = party_org(personas["county"], name="将到期党支部", founded_on=TODAY.replace(year=TODAY.year - 3) + timedelta(days=30))
    later = party_org(personas["county"], name="新党支部", founded_on=TODAY - timedelta(days=10))
    assert overdue.election_overdue and soon.election_due_soon and not later.election_due_soon
    client = client_for("county")
    page = client.get("/party/").content.decode()
    assert "1 个党组织已超期未换届" in page and "1 个党组织将在 90 天内到期换届" in page
    listed = client.get("/party/", {"election": "soon"}).content.decode()
    assert "将到期党支部" in listed and "超期党支部" not in listed
    assert "已超期" in client.get(f"/party/{overdue.pk}/").content.decode()


def test_party_org_form_refuses_codes_outside_scope(personas, client_for):
    outside = make_org(personas["other_county"], region="360103001001")
    response = client_for("county").post(
        "/party/new/",
        {
            "name": "越界党支部",
            "level": "branch",
            "establishment_form": "joint",
            "region": "360102002",
            "term_years": 3,
            "status": "active",
            "covered_codes": outside.credit_code,
        },
    )
    assert "不在您管辖的组织名录中" in response.content.decode()
    assert not PartyOrganization.objects.filter(name="越界党支部").exists()


def test_tree_shows_hierarchy(personas, client_for):
    top = party_org(personas["county"], name="东湖区快递行业党委", level="committee", establishment_form="industry")
    party_org(personas["county"], name="顺达快递党支部", parent=top)
    page = client_for("county").get("/party/tree/").content.decode()
    assert page.index("东湖区快递行业党委") < page.index("顺达快递党支部")
    assert "sx-depth-1" in page
