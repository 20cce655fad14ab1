"""Every list page and API list costs the same number of queries for 2 rows as for 5 (issue 13: no N+1).

Each added row brings related objects of its own (region, industry, zone, unit, user, parent, covered
organizations, assignments, records), so a relation read row by row shows up as extra queries. A first
request warms what is cached once (menus, the filter form's choices); the next two are measured.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanxin.accounts.models import Unit, UnitKind
from sanxin.accounts.services import grant_initial_roles, user_create
from sanxin.census.models import CensusCampaign, CensusRecord, Todo
from sanxin.compare.models import RegistryComparison
from sanxin.core.audit import audit_record
from sanxin.core.models import Notification
from sanxin.core.roles import Role
from sanxin.imports.models import ImportJob
from sanxin.instructors.models import Instructor, InstructorAssignment, InstructorVisit
from sanxin.life.compliance import rebuild_all
from sanxin.life.models import Attendance, Meeting, MeetingType
from sanxin.members.models import Development, IdentityReport, LostContact, Member, MobileRegistration, Transfer
from sanxin.orgs.models import Organization
from sanxin.party.models import PartyOrganization
from sanxin.regions.models import Industry, Region, Zone, ZoneKind
from tests.conftest import PASSWORD
from tests.members_factories import id_number, member_fields
from tests.orgs_factories import credit_code

LAST_YEAR = timezone.localdate().year - 1  # the 三会一课 lists: a whole year overdue for every Party organization
# (persona who sees the rows, URL, the name every added row shows there followed by its number)
PAGES = [
    ("province", "/orgs/", "计数组织"),
    ("province", "/party/", "计数党支部"),
    ("province", "/members/", "计数党员"),
    ("province", "/members/development/", "计数发展"),
    ("province", "/members/transfers/", "计数转接"),
    ("province", "/members/identity/", "计数报到"),
    ("province", "/members/mobile/?tab=outflow", "计数党员"),
    ("province", "/members/mobile/?tab=inflow", "计数流入"),
    ("province", "/members/mobile/?tab=lost", "计数失联"),
    ("province", "/life/meetings/", "计数会议"),
    ("province", "/life/compliance/orgs/", "计数党支部"),
    ("province", f"/life/compliance/overdue/?period={LAST_YEAR}", "计数党支部"),
    ("province", "/census/", "计数摸排"),
    ("province", "/todos/", "计数组织"),
    ("province", "/instructors/", "计数指导员"),
    ("province", "/zones/", "计数园区"),
    ("province", "/compare/", "计数比对"),
    ("province", "/imports/jobs/", "计数导入"),
    ("province", "/messages/", "计数消息"),
    ("sysadmin", "/units/", "计数单位"),
    ("sysadmin", "/users/", "计数用户"),
    ("auditadmin", "/audit/", "计数组织"),
]
API_LISTS = [
    pytest.param(persona, url, marker, id=url, marks=marks)
    for persona, url, marker, marks in [
        ("province", "/api/v1/orgs", "计数组织", ()),
        ("province", "/api/v1/party", "计数党支部", ()),
        ("province", "/api/v1/members", "计数党员", ()),
        ("province", "/api/v1/developments", "计数发展", ()),
        ("province", "/api/v1/transfers", "计数转接", ()),
        ("province", "/api/v1/identity-reports", "计数报到", ()),
        ("province", "/api/v1/mobile-registrations", "计数党员", ()),
        ("province", "/api/v1/meetings", "计数会议", ()),
        ("province", f"/api/v1/compliance/overdue?period={LAST_YEAR}", "计数党支部", ()),
        ("province", "/api/v1/census/campaigns", "计数摸排", ()),
        ("province", "/api/v1/census/todos", "计数组织", ()),
        ("province", "/api/v1/instructors", "计数指导员", ()),
        ("province", "/api/v1/imports/jobs", "计数导入", ()),
        ("province", "/api/v1/compare", "计数比对", ()),
        ("province", "/api/v1/regions?parent=360102002", "计数社区", ()),
        ("sysadmin", "/api/v1/units", "计数单位", ()),
    ]
]


class World:
    """Rows of every listed kind, each with related objects of its own."""

    def __init__(self, personas):
        self.personas = personas
        self.serial = 0
        self.communities = list(Region.objects.filter(code__under="360102", level=5).order_by("code")[:40])
        self.industries = list(Industry.objects.order_by("code")[:6])
        self.jiujiang = list(Region.objects.filter(code__under="3604", level=4).order_by("code")[:10])
        self.parent_org = None
        self.parent_party_org = None
        self.parent_unit = Unit.objects.create(name="计数上级单位", kind=UnitKind.SOCIAL_WORK_DEPT, region_id="3601")

    def add(self, n: int) -> None:
        for _ in range(n):
            self.serial += 1
            self._add_one(self.serial)
        rebuild_all()  # the 三会一课 table of the Party organizations added

    def _add_one(self, i: int) -> None:
        province = self.personas["province"]
        region = self.communities[i % len(self.communities)]
        industry = self.industries[i % len(self.industries)]
        zone = Zone.objects.create(name=f"计数园区{i}", kind=ZoneKind.PARK, region=region)
        unit = Unit.objects.create(
            name=f"计数单位{i}", kind=UnitKind.COMMUNITY, region=region, parent=self.parent_unit, zone=zone if i % 2 else None
        )
        unit.industries.set([industry])
        user = user_create(
            actor=None, username=f"count{i}", full_name=f"计数用户{i}", unit=unit, password=PASSWORD, must_change_password=False
        )
        grant_initial_roles(user=user, roles=[Role.GRASSROOTS_STAFF])

        org = Organization.objects.create(
            credit_code=credit_code(),
            name=f"计数组织{i}",
            kind="economic",
            category="platform" if i % 3 == 0 else "private",
            industry=industry,
            region=region,
            zone=zone,
            parent=self.parent_org,
            edge_thinning=i % 3 == 0,
        )
        self.parent_org = self.parent_org or org
        party_org = PartyOrganization.objects.create(
            name=f"计数党支部{i}",
            level="branch",
            establishment_form="joint",
            region=region,
            industry=industry,
            zone=zone,
            parent=self.parent_party_org,
        )
        party_org.covered_organizations.add(org, self.parent_org)
        self.parent_party_org = self.parent_party_org or party_org
        member = Member.objects.create(**member_fields(party_org, name=f"计数党员{i}", employer=org, user=user))
        Development.objects.create(
            name=f"计数发展{i}",
            id_number=id_number(date(1998, 1, 1)),
            birth_date=date(1998, 1, 1),
            party_organization=party_org,
            recommending_organization=self.parent_party_org,
            applied_on=date(2025, 1, 1) + timedelta(days=i),
            introducer_1=member,
            introducer_2=member,
        )
        # Each transfer goes to a Party organization of its own in another city (九江市).
        receiving = PartyOrganization.objects.create(
            name=f"计数接收{i}", level="branch", establishment_form="joint", region=self.jiujiang[i % len(self.jiujiang)]
        )
        Transfer.objects.create(
            member=member,
            from_organization=party_org,
            to_organization=receiving,
            letter_number=f"计数转接{i}",
            initiated_on=date(2026, 1, 1) + timedelta(days=i),
            valid_until=date(2026, 6, 30),
        )
        IdentityReport.objects.create(
            name=f"计数报到{i}",
            id_number=id_number(date(1996, 1, 1)),
            phone="13912345678",
            joined_on=date(2018, 7, 1),
            member_status="full",
            home_organization="外省某党支部",
            occupation="外卖骑手",
            party_organization=party_org,
            reporter=user,
            decided_by=user,
            member=member,
        )
        MobileRegistration.objects.create(
            member=member,
            direction="outflow",
            destination_organization=self.parent_party_org,
            starts_on=date(2026, 1, 1) + timedelta(days=i),
        )
        came = Member.objects.create(**member_fields(party_org, name=f"计数流入{i}", relation_mode="mobile"))
        MobileRegistration.objects.create(member=came, direction="inflow", home_organization="外省某党支部", starts_on=date(2026, 1, i))
        lost = Member.objects.create(**member_fields(party_org, name=f"计数失联{i}", relation_mode="lost"))
        LostContact.objects.create(member=lost, lost_on=date(2026, 2, 1) + timedelta(days=i), reason="电话停机", previous_mode="local")
        meeting = Meeting.objects.create(
            party_organization=party_org,
            meeting_type=MeetingType.objects.order_by("pk")[i % 7],
            topic=f"计数会议{i}",
            starts_at=timezone.now() - timedelta(days=i),
            ends_at=timezone.now() - timedelta(days=i, hours=-2),
            place="会议室",
            code=f"{i:06d}",
            created_by=user,
        )
        Attendance.objects.create(meeting=meeting, member=member, member_name=member.name, relation_mode="local", state="present")

        campaign = CensusCampaign.objects.create(
            name=f"计数摸排{i}",
            region=region,
            industry=industry,
            starts_on=date(2026, 1, 1) + timedelta(days=i),
            ends_on=date(2026, 12, 31),
            created_by_unit=unit,
            status="running",
        )
        record = CensusRecord.objects.create(
            campaign=campaign, organization=org, censused_by=user, employees=30, formal_members=3, censused_on=date(2026, 3, 1)
        )
        Todo.objects.create(kind="establish", organization=org, census_record=record, due_on=date(2026, 6, 30), closed_by=user)

        instructor = Instructor.objects.create(name=f"计数指导员{i}", unit=unit, user=user)
        assignment = InstructorAssignment.objects.create(instructor=instructor, organization=org, started_on=date(2026, 1, 1))
        InstructorVisit.objects.create(assignment=assignment, visited_on=date(2026, 2, 1), content="走访")

        RegistryComparison.objects.create(
            region=region, filename=f"计数比对{i}.xlsx", stored_name="x", status="done", user=user, counts={"matched": i}
        )
        ImportJob.objects.create(registry="organizations", filename=f"计数导入{i}.xlsx", stored_name="x", status="done", user=province)
        Notification.objects.create(recipient=province, title=f"计数消息{i}", link="/orgs/")
        audit_record(actor=user, action="organization_update", obj=org, detail={"i": i})
        Region.objects.create(code=f"360102002{900 + i}", name=f"计数社区{i}", level=5, parent_id="360102002", full_name=f"计数社区{i}")


@pytest.fixture
def world(personas):
    return World(personas)


def normalized(sql: str) -> str:
    """The query's shape: numbers blanked and IN lists of any length alike."""
    return re.sub(r"IN \((?:N, )*N\)", "IN (…)", re.sub(r"\d+", "N", sql))


def measured(client, url: str) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    text = json.dumps(response.json(), ensure_ascii=False) if url.startswith("/api/") else response.content.decode()
    return [q["sql"] for q in queries], text


def extra_queries(fewer: list[str], more: list[str]) -> list[str]:
    """The queries of `more` beyond those of `fewer`, compared with their numbers blanked out."""
    left = Counter(normalized(sql) for sql in fewer)
    extra = []
    for sql in more:
        key = normalized(sql)
        if left[key]:
            left[key] -= 1
        else:
            extra.append(sql)
    return extra


def assert_constant(client, url: str, marker: str, world: World) -> None:
    world.add(2)
    measured(client, url)  # what is cached once per process or session is filled here
    few, _ = measured(client, url)
    world.add(3)
    many, text = measured(client, url)
    # The measurement means something only if the rows added are on the measured page.
    assert all(f"{marker}{i}" in text for i in range(1, 6)), f"{url}: the added rows are not all shown"
    extra = extra_queries(few, many)
    assert len(many) == len(few), f"{url}: {len(few)} queries for 2 rows, {len(many)} for 5; the extra ones:\n" + "\n".join(extra)


@pytest.mark.parametrize(("persona", "url", "marker"), PAGES, ids=[url for _, url, _ in PAGES])
def test_a_list_page_costs_the_same_queries_for_more_rows(world, client_for, persona, url, marker):
    assert_constant(client_for(persona), url, marker, world)


@pytest.mark.parametrize(("persona", "url", "marker"), API_LISTS)
def test_an_api_list_costs_the_same_queries_for_more_rows(world, client_for, persona, url, marker):
    assert_constant(client_for(persona), url, marker, world)
