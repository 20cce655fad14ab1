from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import STAFF_ROLES, Role


class InstructorsConfig(SanxinApp):
    name = "sanxin.instructors"
    label = "instructors"
    verbose_name = "党建指导员"
    capabilities = (
        Capability("instructors.view", "查看党建指导员", frozenset({*STAFF_ROLES, Role.INSTRUCTOR})),
        Capability("instructors.manage", "选派党建指导员", STAFF_ROLES),
        Capability("instructors.visit", "记录走访", frozenset({*STAFF_ROLES, Role.INSTRUCTOR})),
    )
    menu = (MenuItem("两新组织", "党建指导员", "instructors:list", "instructors.view", "bi-person-badge", 23),)
    audit_labels = {
        "instructor_create": "新增党建指导员",
        "assignment_*": "指导员选派（全部）",
        "assignment_create": "选派党建指导员",
        "assignment_end": "结束指导员选派",
        "visit_create": "记录走访",
    }
    audit_objects = {"instructor": "党建指导员"}
    api_routers = (("/", "sanxin.instructors.api.router"),)

    def ready(self):
        from django.db.models import Q

        from sanxin.core.scope import add_personal_scope
        from sanxin.orgs.models import Organization

        # An instructor sees the organizations they are (or were) assigned to.
        add_personal_scope(Organization, lambda user: Q(instructor_assignments__instructor__user=user))
