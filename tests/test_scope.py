"""The scope harness: every registered route, as every persona, leaks nothing outside the scope."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from sanxin.accounts.models import Unit, UnitKind
from sanxin.accounts.services import user_create
from sanxin.census.models import CensusCampaign, Todo
from sanxin.instructors.models import Instructor, InstructorAssignment
from sanxin.orgs.models import Organization
from sanxin.party.models import PartyOrganization
from sanxin.regions.models import Industry, Region, Zone, ZoneKind
from tests.conftest import PASSWORD, PERSONAS, logged_in_client, make_demo_zone, make_persona
from tests.scope_registry import EXEMPT, ROUTES, WORLD

# Places objects are put, from inside the smallest scope to another province.
PLACES = ["360102002001", "360102002002", "360102004", "360102", "360103", "3601", "3602", "36", "320102", "32"]


STAFF_ROLES = {"system_admin", "security_admin", "audit_admin", "region_staff", "industry_staff", "grassroots_staff", "zone_staff"}


def has_territory(user) -> bool:
    return bool(set(user.roles.values_list("role", flat=True)) & STAFF_ROLES)


def persona_sees(
    user, region_code: str | None, industry_id=None, zone_id=None, *, cut_by_industry=False, cut_by_zone=False, reaches_down=False
) -> bool:
    """The oracle: worked out from the persona's unit, independently of scoped()."""
    unit = user.unit
    if unit is None or not unit.is_active or not has_territory(user):
        return False
    if unit.kind == UnitKind.SYSTEM:
        return True
    if region_code is None:
        return False
    if not region_code.startswith(unit.region_id) and not (reaches_down and unit.region_id.startswith(region_code)):
        return False
    industries = set(unit.industries.values_list("id", flat=True))
    if cut_by_industry and industries and industry_id not in industries:
        return False
    if cut_by_zone and unit.zone_id and zone_id != unit.zone_id:
        return False
    return True


def entity_visible(user, entity, obj) -> bool:
    if not has_territory(user):
        return entity.personal is not None and entity.personal(obj, user)
    if entity.places is not None:
        return any(
            persona_sees(user, region, industry, zone, cut_by_industry=True, cut_by_zone=True)
            for region, industry, zone in entity.places(obj)
        )
    return persona_sees(
        user,
        entity.region_code(obj),
        entity.industry_id(obj) if entity.industry_id else None,
        entity.zone_id(obj) if entity.zone_id else None,
        cut_by_industry=entity.industry_id is not None,
        cut_by_zone=entity.zone_id is not None,
        reaches_down=entity.reaches_down,
    )


ORG_PLACES = [p for p in PLACES if len(p) >= 6]


def make_world_organizations(zone):
    """Organizations at every place of county level or below, in two industries, some in the zone."""
    express, other = Industry.objects.get(code="6020"), Industry.objects.get(code="64")
    serial = 0
    for place in ORG_PLACES:
        for industry in (express, other):
            for in_zone in (False, True):
                serial += 1
                Organization.objects.create(
                    credit_code=f"MARK{serial:014d}",
                    name=f"标记组织{place}-{industry.code}-{'Z' if in_zone else 'N'}",
                    kind="economic",
                    category="private",
                    industry=industry,
                    region_id=place,
                    zone=zone if in_zone else None,
                )


def make_world_party_orgs(zone):
    """Party organizations at every place of county level or below, in two industries, some in the zone, each
    covering the organization of its own place; those below the county have the county's as parent, and one
    county branch also covers a community's firm of another industry in the zone (so it is seen from there)."""
    express, other = Industry.objects.get(code="6020"), Industry.objects.get(code="64")
    for place in sorted(ORG_PLACES, key=len):
        for industry in (express, other):
            for in_zone in (False, True):
                suffix = f"{industry.code}-{'Z' if in_zone else 'N'}"
                county = PartyOrganization.objects.filter(name=f"标记党支部360102-{suffix}").first()
                party_org = PartyOrganization.objects.create(
                    name=f"标记党支部{place}-{suffix}",
                    level="branch",
                    establishment_form="joint",
                    region_id=place,
                    industry=industry,
                    zone=zone if in_zone else None,
                    parent=county if place.startswith("360102") and place != "360102" else None,
                )
                party_org.covered_organizations.add(Organization.objects.get(name=f"标记组织{place}-{suffix}"))
    PartyOrganization.objects.get(name="标记党支部360102-6020-N").covered_organizations.add(
        Organization.objects.get(name="标记组织360102002001-64-Z")
    )


def make_world_work(personas):
    """Instructors, assignments, census campaigns, to-dos and comparisons at every place."""
    from datetime import date

    from sanxin.compare.models import RegistryComparison

    for place in PLACES:
        unit = Unit.objects.get(name=f"标记单位{place}")
        comparison = RegistryComparison.objects.create(region_id=place, filename=f"标记比对{place}.xlsx", stored_name="x", status="done")
        if place == "360102":
            make_world_comparison_rows(comparison)
        instructor = Instructor.objects.create(
            name=f"标记指导员{place}", unit=unit, user=personas["instructor"] if place == "360102002001" else None
        )
        CensusCampaign.objects.create(
            name=f"标记摸排{place}", region_id=place, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), created_by_unit=unit
        )
        for org in Organization.objects.filter(region_id=place, industry__code="6020"):
            InstructorAssignment.objects.create(instructor=instructor, organization=org, started_on=date(2026, 1, 1))
            Todo.objects.create(kind="establish", organization=org)
    # The city's instructor also works in a community, in the zone: the community, street and zone see them.
    InstructorAssignment.objects.create(
        instructor=Instructor.objects.get(name="标记指导员3601"),
        organization=Organization.objects.get(name="标记组织360102002001-64-Z"),
        started_on=date(2026, 1, 1),
    )


def make_world_comparison_rows(comparison):
    """The county's comparison: a matched, a review, a gone and a missing row for every organization of the world in
    the county, placed as the comparison places them (where the organization sits), a new row at every place of the
    county in each industry, and an outside row likewise."""
    from sanxin.compare.models import ComparisonRow

    for org in Organization.objects.filter(region__code__startswith=comparison.region_id):
        # Matched, and each outcome tied to a platform organization (under its own name, so each tab has its markers).
        for outcome, prefix in (("matched", ""), ("review", "标记待核实"), ("gone", "标记已注销"), ("missing", "标记未列出")):
            ComparisonRow.objects.create(
                comparison=comparison,
                outcome=outcome,
                organization=org,
                values={"单位名称": f"{prefix}{org.name}"},
                region_code=org.region_id,
                industry_id=org.industry_id,
                zone_id=org.zone_id,
            )
    for place in [p for p in ORG_PLACES if p.startswith(comparison.region_id)]:
        # The outside tab's rows, placed like new rows (the tab is cut as every tab is; where the outside registry
        # really puts them, in another county, nobody there sees the county's comparison at all).
        for industry in Industry.objects.filter(code__in=["6020", "64"]):
            ComparisonRow.objects.create(
                comparison=comparison,
                outcome="outside",
                values={"单位名称": f"标记范围外{place}-{industry.code}"},
                region_code=place,
                industry=industry,
            )
    for place in [p for p in ORG_PLACES if p.startswith(comparison.region_id)]:
        for industry in Industry.objects.filter(code__in=["6020", "64"]):
            ComparisonRow.objects.create(
                comparison=comparison,
                outcome="new",
                values={"单位名称": f"标记新增{place}-{industry.code}"},
                region_code=place,
                industry=industry,
            )


def make_world_members(personas):
    """A member in every Party organization of the world, and the secretary's own record in a community's branch (so
    the secretary sees that branch's members and no others)."""
    from sanxin.members.models import Development, Member
    from tests.members_factories import id_number, member_fields

    for party_org in PartyOrganization.objects.order_by("pk"):
        name = party_org.name.replace("标记党支部", "标记党员")
        Member.objects.create(**member_fields(party_org, name=name))
        Development.objects.create(
            name=party_org.name.replace("标记党支部", "标记发展"),
            id_number=id_number(date(1998, 1, 1)),
            birth_date=date(1998, 1, 1),
            party_organization=party_org,
            applied_on=date(2024, 3, 1),
        )
    street = PartyOrganization.objects.get(name="标记党支部360102002001-6020-N")
    Member.objects.create(**member_fields(street, name="标记党员书记本人", user=personas["secretary"]))
    make_world_transfers()


def make_world_transfers():
    """Every marked member's relation on its way to the Party organization of the same kind at the next place (the
    last place's to the first's), across counties and provinces; every other one accepted already."""
    from sanxin.members.models import Member, Transfer

    orgs = list(PartyOrganization.objects.order_by("pk"))
    for n, party_org in enumerate(orgs):
        destination = orgs[(n + 4) % len(orgs)]  # four per place: two industries, in the zone or not
        Transfer.objects.create(
            member=Member.objects.get(name=party_org.name.replace("标记党支部", "标记党员")),
            from_organization=party_org,
            to_organization=destination,
            letter_number=f"标记转接{n}",
            state="initiated" if n % 2 else "accepted",
            initiated_on=date(2026, 1, 1),
            valid_until=date(2026, 3, 31),
        )


def make_world_meetings(personas):
    """A meeting of every Party organization of the world with its expected attendees and a photo; the member
    persona is a member of a community's branch (so they see that branch's meetings and no others)."""
    import hashlib
    from datetime import datetime, timedelta

    from django.utils import timezone

    from sanxin.core.photos import photo_path
    from sanxin.life.models import Attendance, Meeting, MeetingPhoto, MeetingType
    from sanxin.life.selectors import expected_members
    from sanxin.members.models import Member
    from tests.members_factories import member_fields

    branch = PartyOrganization.objects.get(name="标记党支部360102002002-6020-N")
    Member.objects.create(**member_fields(branch, name="标记党员党员本人", relation_mode="mobile", user=personas["member"]))
    lecture = MeetingType.objects.get(code="party_lecture")
    starts = timezone.make_aware(datetime(2026, 3, 20, 15, 0))
    for n, party_org in enumerate(PartyOrganization.objects.order_by("pk")):
        topic = party_org.name.replace("标记党支部", "标记会议")
        meeting = Meeting.objects.create(
            party_organization=party_org,
            meeting_type=lecture,
            topic=topic,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="党员活动室",
            code=f"{n:06d}",
        )
        Attendance.objects.bulk_create(
            [Attendance(meeting=meeting, member=m, member_name=m.name, relation_mode=m.relation_mode) for m in expected_members(party_org)]
        )
        name = hashlib.sha256(topic.encode()).hexdigest()[:32] + ".jpg"
        photo_path(MeetingPhoto.UPLOAD_FOLDER, name).write_bytes(b"\xff\xd8\xff\xe0" + topic.encode())
        MeetingPhoto.objects.create(meeting=meeting, stored_name=name, width=1, height=1, size=10)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The personas and the world, built once for this module inside a transaction rolled back at its end. Each test
    runs in a savepoint above it (its `db`), as Django's setUpTestData does: every test sees the same world and
    leaves nothing behind, and the ~1,900 walks do not each rebuild it."""
    with django_db_blocker.unblock(), translation.override("zh-hans"):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            zone = make_demo_zone()
            personas = {name: make_persona(name, zone) for name in PERSONAS}
            build_world(personas, zone)
            yield personas
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def build_world(personas, zone):
    """A unit, a user, organizations and Party organizations at every place, with names that mark them in any output."""
    make_world_organizations(zone)
    make_world_party_orgs(zone)
    for place in PLACES:
        unit = Unit.objects.create(name=f"标记单位{place}", kind=UnitKind.LIANGXIN_COMMITTEE, region_id=place)
        user_create(
            actor=None, username=f"mark{place}", full_name=f"标记用户{place}", unit=unit, password=PASSWORD, must_change_password=False
        )
    for place in PLACES:  # a zone at every place, so the zone pages have something to leak
        Zone.objects.get_or_create(name=f"标记园区{place}", region_id=place, defaults={"kind": ZoneKind.PARK})
    make_world_work(personas)
    make_world_members(personas)
    for build in WORLD:
        build(personas)
    make_world_meetings(personas)


def objects_for(entity):
    if entity.model is Region:
        return list(Region.objects.filter(code__in=[*PLACES, "360102002003", "320102001"]))
    return list(entity.model.objects.all())


def can(user, capability) -> bool:
    return capability is None or user.can(capability)


def route_ids():
    return [f"{r.url_name}{r.list_url if isinstance(r.list_url, str) else f'#{i}'}" for i, r in enumerate(ROUTES)]


@pytest.mark.parametrize("persona", list(PERSONAS))
@pytest.mark.parametrize("route", ROUTES, ids=route_ids())
def test_route_leaks_nothing(world, db, route, persona):
    user = world[persona]
    client = logged_in_client(user)
    entity = route.entity
    if route.kind in ("detail", "api_detail", "detail_export"):
        checked = 0
        for obj in objects_for(entity):
            visible = can(user, route.capability) and entity_visible(user, entity, obj)
            if route.kind == "detail_export":
                response = client.post(route.url(obj), {"password": PASSWORD})
            else:
                response = client.get(route.url(obj))
            expected = 200 if visible else 404
            assert response.status_code == expected, f"{persona} {route.url_name} {entity.marker(obj)}: {response.status_code} ≠ {expected}"
            checked += 1
        assert checked >= len(PLACES)
        return

    list_url = route.list_url() if callable(route.list_url) else route.list_url  # some lists live on an object's page
    if route.kind == "export":
        response = client.post(list_url, {"password": PASSWORD})
    elif route.kind == "tree":
        response = client.get(list_url)
        if can(user, route.capability):
            page = response.content.decode()
            for obj in objects_for(entity):
                shown = bool(re.search(rf">{re.escape(entity.marker(obj))}<", page))
                assert shown == entity_visible(user, entity, obj), f"{persona} {route.url_name} {entity.marker(obj)}"
        else:
            assert response.status_code == 404
        return
    else:
        response = client.get(list_url)
    if not can(user, route.capability):
        assert response.status_code == 404
        return
    rows = list(route.queryset()) if route.queryset else objects_for(entity)
    expected_visible = [obj for obj in rows if entity_visible(user, entity, obj)]
    if callable(route.list_url) and response.status_code == 404:
        assert not expected_visible, f"{persona} {route.url_name}: the page is 404 but rows should show"
        return
    assert response.status_code == 200
    if route.kind == "api_list":
        data = response.json()
        shown = set(route.api_items(data))
        assert shown == {entity.marker(obj) for obj in expected_visible}
        if "count" in data and route.queryset is None:
            assert data["count"] == len(expected_visible)
        return
    if route.kind == "export":
        shown = xlsx_strings(response.content)
        assert {entity.marker(obj) for obj in rows if entity.marker(obj) in shown} == {entity.marker(obj) for obj in expected_visible}
        return
    page = response.content.decode()
    for obj in rows:
        marker = entity.marker(obj)
        pattern = re.compile(rf">{re.escape(marker)}<")
        if obj in expected_visible:
            assert pattern.search(page), f"{persona} should see {marker} on {route.url_name}"
        else:
            assert not pattern.search(page), f"{persona} must not see {marker} on {route.url_name}"
    total = re.search(r"共 <strong>([\d,]+)</strong> 条", page)
    assert total and int(total.group(1).replace(",", "")) == len(expected_visible)


def xlsx_strings(content: bytes) -> set[str]:
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None}


def _all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _all_url_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_route_is_registered():
    registered = {r.url_name for r in ROUTES} | set(EXEMPT)
    missing = sorted(set(_all_url_names()) - registered)
    assert not missing, f"这些路由既未登记到 scope 测试，也未说明豁免原因：{missing}"
