from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import STAFF_ROLES, TERRITORY_STAFF, Role

# Territorial staff and, for their own Party organization, its secretary (sanxin.members.models.Member.scope_personal).
MEMBER_KEEPERS = STAFF_ROLES | {Role.PARTY_SECRETARY}


class MembersConfig(SanxinApp):
    name = "sanxin.members"
    label = "members"
    verbose_name = "党员"
    capabilities = (
        Capability("members.view", "查看党员", MEMBER_KEEPERS),
        Capability("members.manage", "维护党员信息", MEMBER_KEEPERS),
        Capability("members.unmask", "查看党员完整身份证号和手机号", TERRITORY_STAFF | {Role.PARTY_SECRETARY}),
    )
    menu = (
        MenuItem("党员", "党员名册", "members:member_list", "members.view", "bi-person-badge", 45),
        MenuItem("党员", "发展党员", "members:development_list", "members.view", "bi-person-plus", 46),
        MenuItem("党员", "组织关系转接", "members:transfer_list", "members.view", "bi-arrow-left-right", 47),
    )
    audit_labels = {
        "member_*": "党员（全部）",
        "member_create": "登记党员",
        "member_update": "修改党员信息",
        "member_unmask": "查看党员完整身份证号和手机号",
        "development_*": "发展党员（全部）",
        "development_create": "登记入党申请",
        "development_make_activist": "确定为入党积极分子",
        "development_make_candidate": "列为发展对象",
        "development_admit": "接收为预备党员",
        "development_make_full": "转为正式党员",
        "transfer_*": "组织关系转接（全部）",
        "transfer_initiate": "发起组织关系转接",
        "transfer_accept": "同意接收组织关系",
        "transfer_reject": "退回组织关系转接",
        "transfer_complete": "确认报到，完成组织关系转接",
        "transfer_cancel": "撤销组织关系转接",
    }
    audit_objects = {"member": "党员名册", "transfer": "组织关系转接"}
    import_specs = ("sanxin.members.importing.MEMBERS",)
    api_routers = (
        ("/members", "sanxin.members.api.router"),
        ("/developments", "sanxin.members.api.development_router"),
        ("/transfers", "sanxin.members.transfer_api.router"),
    )
