"""The API lists build their rows as plain dicts from .values() (no model instance, no per-row validation): each row
is exactly what the declared schema makes of the same object through its resolvers, for every persona, and a
list costs the same number of queries however many rows it shows."""

from datetime import date

import pytest

from sanxin.accounts import selectors as account_selectors
from sanxin.accounts.api import UnitOut
from sanxin.orgs import selectors as org_selectors
from sanxin.orgs.api import OrganizationOut
from sanxin.party import selectors as party_selectors
from sanxin.party.api import PartyOrgOut
from sanxin.party.services import party_org_create
from sanxin.regions.models import Region
from tests.orgs_factories import make_org

ORG_READERS = ["province", "county", "other_county", "township", "community", "industry", "zone"]


@pytest.fixture
def registry(personas, demo_zone):
    county = personas["county"]
    head = make_org(county, name="东湖总部有限公司", region="360102004001", category="platform", is_top500_private=True)
    branch = make_org(
        county,
        name="民巷分部",
        parent=head,
        zone=demo_zone,
        established_on=date(2020, 1, 2),
        formal_members=3,
        is_little_giant=True,
        address="南昌市东湖区八一大道 1 号",
        legal_representative="王建华",
    )
    make_org(county, name="南昌快递甲有限公司", industry="64", category="association")
    make_org(personas["other_county"], name="西湖快递有限公司", region="360103001001")
    committee = party_org_create(
        actor=county,
        name="东湖区快递行业党委",
        level="committee",
        establishment_form="industry",
        region=Region.objects.get(code="360102"),
        secretary="胡国华",
        founded_on=date(2021, 6, 18),
        covered=(),
    )
    party_org_create(
        actor=county,
        name="民巷分部党支部",
        level="branch",
        establishment_form="standalone",
        special_kinds=["mobile"],
        region=Region.objects.get(code="360102002"),
        parent=committee,
        founded_on=date(2022, 3, 1),
        covered=(branch,),
    )
    return head, branch


def schema_rows(schema, objects) -> list[dict]:
    return [schema.from_orm(obj).model_dump(mode="json") for obj in objects]


@pytest.mark.parametrize("persona", ORG_READERS)
def test_organization_rows_are_what_the_schema_makes_of_them(registry, personas, client_for, persona):
    expected = org_selectors.organization_list(user=personas[persona]).order_by("region_id", "name", "pk")
    data = client_for(persona).get("/api/v1/orgs?limit=200").json()
    assert data["items"] == schema_rows(OrganizationOut, expected)
    assert data["count"] == len(data["items"])


@pytest.mark.parametrize("persona", ORG_READERS)
def test_party_rows_are_what_the_schema_makes_of_them(registry, personas, client_for, persona):
    expected = party_selectors.party_org_list(user=personas[persona]).order_by("region_id", "name", "pk")
    data = client_for(persona).get("/api/v1/party?limit=200").json()
    assert data["items"] == schema_rows(PartyOrgOut, expected)
    if persona == "township":  # the county committee above the branch is outside the street's scope
        assert [item["parent"] for item in data["items"]] == [None]


def test_unit_rows_are_what_the_schema_makes_of_them(personas, client_for):
    expected = account_selectors.unit_list(user=personas["sysadmin"]).order_by("region_id", "name")
    data = client_for("sysadmin").get("/api/v1/units?limit=200").json()
    assert data["items"] == schema_rows(UnitOut, expected) and len(data["items"]) > 5


def test_a_list_costs_the_same_queries_however_many_rows(personas, client_for, django_assert_max_num_queries):
    county = personas["county"]
    street = Region.objects.get(code="360102002")

    def add(count, start):
        for n in range(start, start + count):
            org = make_org(county, parent=None, formal_members=n % 5)
            fields = {"level": "branch", "establishment_form": "standalone", "region": street, "covered": (org,)}
            party_org_create(actor=county, name=f"第{n}党支部", **fields)

    add(2, 0)
    client = client_for("county")
    baseline = {}
    for path in ("/api/v1/orgs?limit=200", "/api/v1/party?limit=200"):
        client.get(path)  # the session and its caches, once
        with django_assert_max_num_queries(50) as captured:
            assert len(client.get(path).json()["items"]) == 2
        baseline[path] = len(captured)
    add(20, 2)
    for path, queries in baseline.items():
        with django_assert_max_num_queries(queries):
            assert len(client.get(path).json()["items"]) == 22
