from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import STAFF_ROLES, Role


class OrgsConfig(SanxinApp):
    name = "sanxin.orgs"
    label = "orgs"
    verbose_name = "两新组织"
    capabilities = (
        # An instructor reads the organizations they are assigned to (sanxin.instructors adds that scope).
        Capability("orgs.view", "查看两新组织名录", frozenset({*STAFF_ROLES, Role.INSTRUCTOR})),
        Capability("orgs.manage", "维护两新组织名录", STAFF_ROLES),
    )
    menu = (MenuItem("两新组织", "组织名录", "orgs:organization_list", "orgs.view", "bi-buildings", 21),)
    audit_labels = {
        "organization_*": "两新组织（全部）",
        "organization_create": "新增两新组织",
        "organization_update": "修改两新组织",
        "organization_deregister": "标记组织注销/吊销/迁出",
    }
    audit_objects = {"organization": "两新组织名录"}
    import_specs = ("sanxin.orgs.importing.ORGANIZATIONS",)
    api_routers = (("/orgs", "sanxin.orgs.api.router"),)
