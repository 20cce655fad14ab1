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

from django.urls import reverse

from sanxin.accounts.models import Unit, User
from sanxin.accounts.roles import Cap
from sanxin.orgs.models import CensusCampaign, Instructor, InstructorAssignment, Organization, Todo
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


ROUTES = [
    Route("accounts:unit_list", "list", UNIT, Cap.UNITS_VIEW, list_url="/units/?size=100"),
    Route("accounts:unit_detail", "detail", UNIT, Cap.UNITS_VIEW, url=lambda u: reverse("accounts:unit_detail", args=[u.pk])),
    Route("accounts:unit_edit", "detail", UNIT, Cap.UNITS_MANAGE, url=lambda u: reverse("accounts:unit_edit", args=[u.pk])),
    Route("accounts:user_list", "list", USER, Cap.USERS_VIEW, list_url="/users/?size=100"),
    Route("accounts:user_detail", "detail", USER, Cap.USERS_VIEW, url=lambda u: reverse("accounts:user_detail", args=[u.pk])),
    Route("accounts:user_edit", "detail", USER, Cap.USERS_MANAGE, url=lambda u: reverse("accounts:user_edit", args=[u.pk])),
    Route("accounts:user_roles", "detail", USER, Cap.ROLES_GRANT, url=lambda u: reverse("accounts:user_roles", args=[u.pk])),
    Route("regions:browse_region", "detail", REGION, Cap.REGIONS_VIEW, url=lambda r: reverse("regions:browse_region", args=[r.code])),
    Route("api:get_region", "api_detail", REGION, None, url=lambda r: f"/api/v1/regions/{r.code}"),
    Route(
        "api:list_regions",
        "api_list",
        REGION,
        None,
        list_url="/api/v1/regions?q=360102002&limit=100",
        api_items=lambda data: [item["code"] for item in data["items"]],
        queryset=lambda: Region.objects.filter(code__startswith="360102002"),
    ),
    Route(
        "api:list_regions",
        "api_list",
        REGION,
        None,
        list_url="/api/v1/regions?parent=360102",
        api_items=lambda data: [item["code"] for item in data["items"]],
        queryset=lambda: Region.objects.filter(parent_id="360102"),
    ),
    Route(
        "api:units",
        "api_list",
        UNIT,
        Cap.UNITS_VIEW,
        list_url="/api/v1/units?limit=200",
        api_items=lambda data: [item["name"] for item in data["items"]],
    ),
    Route("api:unit_detail", "api_detail", UNIT, Cap.UNITS_VIEW, url=lambda u: f"/api/v1/units/{u.pk}"),
    Route("orgs:organization_list", "list", ORGANIZATION, Cap.ORGS_VIEW, list_url="/orgs/?size=100"),
    Route(
        "orgs:organization_detail", "detail", ORGANIZATION, Cap.ORGS_VIEW, url=lambda o: reverse("orgs:organization_detail", args=[o.pk])
    ),
    Route("orgs:organization_edit", "detail", ORGANIZATION, Cap.ORGS_MANAGE, url=lambda o: reverse("orgs:organization_edit", args=[o.pk])),
    Route("orgs:organization_export", "export", ORGANIZATION, Cap.ORGS_VIEW, list_url="/orgs/export/"),
    Route("orgs:instructor_list", "list", INSTRUCTOR, Cap.ORGS_VIEW, list_url="/instructors/?size=100"),
    Route("orgs:instructor_detail", "detail", INSTRUCTOR, Cap.ORGS_VIEW, url=lambda i: reverse("orgs:instructor_detail", args=[i.pk])),
    Route("orgs:assignment_visit", "detail", ASSIGNMENT, Cap.VISITS_LOG, url=lambda a: reverse("orgs:assignment_visit", args=[a.pk])),
    Route("orgs:census_list", "list", CAMPAIGN, Cap.CENSUS_VIEW, list_url="/census/?size=100"),
    Route("orgs:census_detail", "detail", CAMPAIGN, Cap.CENSUS_VIEW, url=lambda c: reverse("orgs:census_detail", args=[c.pk])),
    Route("orgs:census_export", "detail_export", CAMPAIGN, Cap.CENSUS_VIEW, url=lambda c: reverse("orgs:census_export", args=[c.pk])),
    Route("orgs:todo_list", "list", TODO, Cap.ORGS_VIEW, list_url="/todos/?size=100"),
    Route("party:party_org_list", "list", PARTY_ORG, Cap.PARTY_VIEW, list_url="/party/?size=100"),
    Route("party:party_org_tree", "tree", PARTY_ORG, Cap.PARTY_VIEW, list_url="/party/tree/"),
    Route("party:party_org_detail", "detail", PARTY_ORG, Cap.PARTY_VIEW, url=lambda p: reverse("party:party_org_detail", args=[p.pk])),
    Route("party:party_org_edit", "detail", PARTY_ORG_OWN, Cap.PARTY_MANAGE, url=lambda p: reverse("party:party_org_edit", args=[p.pk])),
    Route("party:party_org_export", "export", PARTY_ORG, Cap.PARTY_VIEW, list_url="/party/export/"),
]

# Routes that show no scoped object, with the reason; anything else must be in ROUTES.
EXEMPT = {
    "accounts:login": "登录页",
    "accounts:logout": "退出",
    "accounts:password_change": "只作用于本人",
    "accounts:my_unit": "只列出本人所在单位的人员（姓名、角色），见 test_accounts.py::test_staff_see_only_their_own_units_people",
    "accounts:unit_create": (
        "新建表单；上级单位、限定园区、区划选择器按数据权限裁剪（县级管理者只见本县），服务再校验，"
        "见 test_accounts.py::test_forms_offer_only_scoped_choices"
    ),
    "accounts:user_create": (
        "新建表单；可选单位按数据权限裁剪（县级管理者只见本县），服务再校验，见 test_accounts.py::test_forms_offer_only_scoped_choices"
    ),
    "dashboards:home": "统计数字按数据权限计算，见 test_home_figures_follow_scope",
    "regions:browse": "区划树的起点为本人数据权限的根，见 test_region_browse_starts_at_scope_root",
    "core:audit_list": "不按区划裁剪：只有审计管理员可见，见 test_audit_page_only_for_audit_admin",
    "api:me": "只返回本人",
    "api:api-root": "接口根路径",
    "api:openapi-json": "接口说明文档",
    "api:openapi-view": "接口说明文档",
    "orgs:organization_create": "新建表单；地区、行业、园区按数据权限裁剪并校验，见 test_orgs.py::test_form_offers_only_scoped_choices",
    "orgs:instructor_create": "新建表单；派出单位按数据权限裁剪",
    "orgs:census_create": "新建表单；摸排范围由区划选择器按数据权限裁剪",
    "orgs:assignment_end": "只接受 POST；对象经 access_assignment 取得，见 test_work.py::test_assignment_end_outside_scope_is_404",
    "orgs:census_record": "两个对象（行动、组织）都经 access 取得，见 test_work.py::test_census_record_outside_scope_is_404",
    "party:party_org_create": (
        "新建表单；行业、园区按数据权限裁剪，上级党组织、覆盖组织检索选择并按数据权限校验，"
        "见 test_party.py::test_create_form_offers_only_scoped_choices"
    ),
}


def _collect() -> None:
    from tests import scope_routes_accounts, scope_routes_compare, scope_routes_coverage, scope_routes_imports, scope_routes_orgs

    modules = (scope_routes_accounts, scope_routes_imports, scope_routes_compare, scope_routes_coverage, scope_routes_orgs)
    for module in modules:
        ROUTES.extend(module.ROUTES)
        EXEMPT.update(module.EXEMPT)


_collect()
