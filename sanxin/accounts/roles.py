"""Roles and what each may do. Pages and API check capabilities, never role names."""

from django.db import models


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"
    REGION_STAFF = "region_staff", "党委社会工作部/两新工委工作人员"
    INDUSTRY_STAFF = "industry_staff", "行业党委工作人员"
    GRASSROOTS_STAFF = "grassroots_staff", "街道/乡镇/社区工作人员"
    ZONE_STAFF = "zone_staff", "园区/楼宇/商圈党组织工作人员"
    PARTY_SECRETARY = "party_secretary", "党组织书记/组织委员"
    INSTRUCTOR = "instructor", "党建指导员"
    MEMBER = "member", "党员"
    WORKER = "worker", "新就业群体从业人员"


# 三员分立: one account holds at most one of these, and none of them with another role.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
STAFF_ROLES = frozenset({Role.REGION_STAFF, Role.INDUSTRY_STAFF, Role.GRASSROOTS_STAFF, Role.ZONE_STAFF})
# Roles whose data scope is their unit's territory. Secretaries, instructors, members and
# workers see only what is tied to them (their Party organization, assignments, themselves).
TERRITORIAL_ROLES = ADMIN_ROLES | STAFF_ROLES


class Cap:
    HOME = "home"
    REGIONS_VIEW = "regions.view"
    ZONES_MANAGE = "zones.manage"
    UNITS_VIEW = "units.view"
    UNITS_MANAGE = "units.manage"
    USERS_VIEW = "users.view"
    USERS_MANAGE = "users.manage"
    ROLES_GRANT = "roles.grant"
    AUDIT_VIEW = "audit.view"
    PERSONAL_DATA_UNMASK = "personal_data.unmask"
    ORGS_VIEW = "orgs.view"
    ORGS_MANAGE = "orgs.manage"
    PARTY_VIEW = "party.view"
    PARTY_MANAGE = "party.manage"
    COVERAGE_VIEW = "coverage.view"
    CENSUS_VIEW = "census.view"
    CENSUS_MANAGE = "census.manage"
    IMPORT = "data.import"
    EXPORT = "data.export"
    COMPARE = "data.compare"
    VISITS_LOG = "visits.log"


# Account pages (units, users) are for those who manage accounts; other staff see their own unit's
# people on the "my unit" page, nothing more.
_STAFF_CAPS = {
    Cap.HOME,
    Cap.REGIONS_VIEW,
    Cap.ORGS_VIEW,
    Cap.ORGS_MANAGE,
    Cap.PARTY_VIEW,
    Cap.PARTY_MANAGE,
    Cap.COVERAGE_VIEW,
    Cap.CENSUS_VIEW,
    Cap.CENSUS_MANAGE,
    Cap.IMPORT,
    Cap.EXPORT,
    Cap.COMPARE,
}

ROLE_CAPS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(
        {Cap.HOME, Cap.REGIONS_VIEW, Cap.ZONES_MANAGE, Cap.UNITS_VIEW, Cap.UNITS_MANAGE, Cap.USERS_VIEW, Cap.USERS_MANAGE}
    ),
    Role.SECURITY_ADMIN: frozenset({Cap.HOME, Cap.UNITS_VIEW, Cap.USERS_VIEW, Cap.ROLES_GRANT, Cap.PERSONAL_DATA_UNMASK}),
    Role.AUDIT_ADMIN: frozenset({Cap.HOME, Cap.AUDIT_VIEW}),
    # Territorial staff keep the zones (园区/楼宇/商圈) of their territory; industry and zone staff only read them.
    Role.REGION_STAFF: frozenset(_STAFF_CAPS | {Cap.ZONES_MANAGE}),
    Role.INDUSTRY_STAFF: frozenset(_STAFF_CAPS),
    Role.GRASSROOTS_STAFF: frozenset(_STAFF_CAPS | {Cap.ZONES_MANAGE}),
    Role.ZONE_STAFF: frozenset(_STAFF_CAPS),
    Role.PARTY_SECRETARY: frozenset({Cap.HOME}),
    Role.INSTRUCTOR: frozenset({Cap.HOME, Cap.ORGS_VIEW, Cap.VISITS_LOG}),
    Role.MEMBER: frozenset({Cap.HOME}),
    Role.WORKER: frozenset({Cap.HOME}),
}


def caps_for(roles) -> frozenset[str]:
    caps: set[str] = set()
    for role in roles:
        caps |= ROLE_CAPS.get(role, frozenset())
    return frozenset(caps)
