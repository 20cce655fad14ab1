from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import STAFF_ROLES


class PartyConfig(SanxinApp):
    name = "sanxin.party"
    label = "party"
    verbose_name = "党组织"
    capabilities = (
        Capability("party.view", "查看党组织", STAFF_ROLES),
        Capability("party.manage", "维护党组织", STAFF_ROLES),
    )
    menu = (
        MenuItem("党组织", "党组织名录", "party:party_org_list", "party.view", "bi-flag", 40),
        MenuItem("党组织", "党组织树", "party:party_org_tree", "party.view", "bi-diagram-3", 41),
    )
    audit_labels = {"party_org_*": "党组织（全部）", "party_org_create": "新增党组织", "party_org_update": "修改党组织"}
    audit_objects = {"party_org": "党组织名录"}
    import_specs = ("sanxin.party.importing.PARTY_ORGANIZATIONS",)
    api_routers = (("/party", "sanxin.party.api.router"),)
