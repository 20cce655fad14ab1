"""The roles people hold. Which capabilities a role brings is declared by each app (sanxin.core.declare);
pages, services and the API check capabilities, never role names."""

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
    # Staff of a platform's own Party committee: they see the appeals about their platform, never the worker.
    PLATFORM_STAFF = "platform_staff", "平台企业党组织工作人员"


# 三员分立: one account holds at most one of these, and none of them with another role.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
STAFF_ROLES = frozenset({Role.REGION_STAFF, Role.INDUSTRY_STAFF, Role.GRASSROOTS_STAFF, Role.ZONE_STAFF})
# Staff of a territory (块) keep the zones of their territory; industry and zone staff only read them.
TERRITORY_STAFF = frozenset({Role.REGION_STAFF, Role.GRASSROOTS_STAFF})
# Roles whose data scope is their unit's territory. Secretaries, instructors, members and
# workers see only what is tied to them (their Party organization, assignments, themselves).
TERRITORIAL_ROLES = ADMIN_ROLES | STAFF_ROLES
ALL_ROLES = frozenset(Role)
