"""Every list, detail, export, file and API route, registered for the scope test.

Each route names the capability that opens it and how to find the scoped
objects it shows. The scope test (tests/test_scope.py) walks every route as
every persona and checks, against an oracle computed here from each object's
region code (not from `scoped()`), that nothing outside the scope leaks:
detail routes answer 404, lists neither show nor count such rows.

A new route must be added here or to EXEMPT with a reason, or
test_every_route_is_registered fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from sanxin.accounts.models import Unit, User
from sanxin.census.models import CensusCampaign, Todo
from sanxin.instructors.models import Instructor, InstructorAssignment
from sanxin.members.models import Member
from sanxin.orgs.models import Organization
from sanxin.party.models import PartyOrganization
from sanxin.regions.models import Region


@dataclass(frozen=True)
class Entity:
    """How to read an object's place for the oracle and its marker in output."""

    model: type
    region_code: Callable[[object], str | None]
    marker: Callable[[object], str]
    industry_id: Callable[[object], int | None] | None = None  # None: the entity is not cut by industry
    zone_id: Callable[[object], int | None] | None = None  # None: the entity is not cut by zone
    # For users without territory: is this object tied to them (an instructor's own assignments)?
    personal: Callable[[object, object], bool] | None = None
    reaches_down: bool = False  # also seen by units inside its region (scope_reaches_down)
    # Seen from any of several places (region, industry, zone), each cut by industry and zone; overrides the above.
    places: Callable[[object], list[tuple[str, int | None, int | None]]] | None = None


PARTY_ORG_OWN = Entity(
    PartyOrganization,
    region_code=lambda p: p.region_id,
    marker=lambda p: p.name,
    industry_id=lambda p: p.industry_id,
    zone_id=lambda p: p.zone_id,
)
# Seen from its own place and from the place of every organization it covers (scope_seen_through).
PARTY_ORG = Entity(
    PartyOrganization,
    region_code=lambda p: p.region_id,
    marker=lambda p: p.name,
    places=lambda p: [
        (p.region_id, p.industry_id, p.zone_id),
        *p.covered_organizations.values_list("region_id", "industry_id", "zone_id"),
    ],
)


def _member_personal(member, user) -> bool:
    """A member's own record; for a Party secretary, the members of a Party organization they belong to."""
    if member.user_id == user.pk:
        return True
    return user.roles.filter(role="party_secretary").exists() and member.party_organization.members.filter(user=user).exists()


# Seen by whoever sees its Party organization (from its place and from those of the organizations it covers).
MEMBER = Entity(
    Member,
    region_code=lambda m: m.party_organization.region_id,
    marker=lambda m: m.name,
    personal=_member_personal,
    places=lambda m: PARTY_ORG.places(m.party_organization),
)
# Kept (edited) only where its Party organization sits.
MEMBER_OWN = Entity(
    Member,
    region_code=lambda m: m.party_organization.region_id,
    marker=lambda m: m.name,
    industry_id=lambda m: m.party_organization.industry_id,
    zone_id=lambda m: m.party_organization.zone_id,
    personal=_member_personal,
)


def _instructor_places(instructor) -> list[tuple[str, int | None, int | None]]:
    """Where an instructor is seen from (sanxin.orgs.selectors.scoped_instructors): the sending unit's place
    (its region, its industry line and zone), and the place of every organization they are assigned to."""
    unit = instructor.unit
    unit_places = [(unit.region_id, industry, unit.zone_id) for industry in unit.industries.values_list("id", flat=True)]
    unit_places = unit_places or [(unit.region_id, None, unit.zone_id)]
    assigned = [(a.organization.region_id, a.organization.industry_id, a.organization.zone_id) for a in instructor.assignments.all()]
    return unit_places + assigned


INSTRUCTOR = Entity(
    Instructor,
    region_code=lambda i: i.unit.region_id,
    marker=lambda i: i.name,
    personal=lambda i, user: i.user_id == user.pk,
    places=_instructor_places,
)
ASSIGNMENT = Entity(
    InstructorAssignment,
    region_code=lambda a: a.organization.region_id,
    marker=lambda a: f"{a.instructor.name}→{a.organization.name}",
    industry_id=lambda a: a.organization.industry_id,
    zone_id=lambda a: a.organization.zone_id,
    personal=lambda a, user: a.instructor.user_id == user.pk,
)
CAMPAIGN = Entity(CensusCampaign, region_code=lambda c: c.region_id, marker=lambda c: c.name, reaches_down=True)
TODO = Entity(
    Todo,
    region_code=lambda t: t.organization.region_id,
    marker=lambda t: t.organization.name,
    industry_id=lambda t: t.organization.industry_id,
    zone_id=lambda t: t.organization.zone_id,
)
UNIT = Entity(Unit, region_code=lambda u: u.region_id, marker=lambda u: u.name)
USER = Entity(User, region_code=lambda u: u.unit.region_id if u.unit_id else None, marker=lambda u: u.username)
REGION = Entity(Region, region_code=lambda r: r.code, marker=lambda r: r.code)
ORGANIZATION = Entity(
    Organization,
    region_code=lambda o: o.region_id,
    marker=lambda o: o.name,
    industry_id=lambda o: o.industry_id,
    zone_id=lambda o: o.zone_id,
    personal=lambda o, user: any(a.instructor.user_id == user.pk for a in o.instructor_assignments.all()),
)


@dataclass(frozen=True)
class Route:
    url_name: str
    kind: str  # "list", "detail", "api_list", "api_detail"
    entity: Entity
    capability: str | None
    url: Callable[[object], str] | None = None  # detail routes: the object's URL
    list_url: str | Callable[[], str] | None = None  # a callable for a list on an object's page
    api_items: Callable[[dict], list[str]] = field(default=lambda data: [])
    queryset: Callable[[], object] | None = None  # which rows a list could show (default: all of the model)


# Every app's tests/<app>/scope_routes.py adds its ROUTES and EXEMPT (routes that show no scoped object, with the
# reason); a new route in none of them fails test_every_route_is_registered.
ROUTES: list[Route] = []
# Builders an app adds to the scope test's world (called with the personas after the members are made).
WORLD: list[Callable] = []
EXEMPT: dict[str, str] = {
    "api:api-root": "接口根路径",
    "api:openapi-json": "接口说明文档",
    "api:openapi-view": "接口说明文档",
}


def _collect() -> None:
    for path in sorted(Path(__file__).parent.glob("*/scope_routes.py")):
        module = import_module(f"tests.{path.parent.name}.scope_routes")
        ROUTES.extend(module.ROUTES)
        EXEMPT.update(module.EXEMPT)
        WORLD.extend(getattr(module, "WORLD", ()))


_collect()
