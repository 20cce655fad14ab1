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
        Capability("members.report_identity", "亮身份报到（本人）", frozenset({Role.MEMBER, Role.WORKER})),
    )
    menu = (
        MenuItem("党员", "党员名册", "members:member_list", "members.view", "bi-person-badge", 45),
        MenuItem("党员", "发展党员", "members:development_list", "members.view", "bi-person-plus", 46),
        MenuItem("党员", "组织关系转接", "members:transfer_list", "members.view", "bi-arrow-left-right", 47),
        MenuItem("党员", "亮身份报到", "members:identity_list", "members.view", "bi-person-vcard", 48),
        MenuItem("党员", "流动党员", "members:mobile_list", "members.view", "bi-signpost-split", 49),
        MenuItem("党员", "我要亮身份", "members:identity_mine", "members.report_identity", "bi-person-vcard", 50),
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
        "identity_report_*": "亮身份报到（全部）",
        "identity_report_submit": "提交亮身份报到",
        "identity_report_confirm": "确认亮身份报到",
        "identity_report_decline": "不予确认亮身份报到",
        "mobile_*": "流动党员登记（全部）",
        "mobile_outflow_register": "登记流出党员",
        "mobile_inflow_register": "登记流入党员",
        "mobile_registration_end": "结束流动登记",
        "member_mark_lost": "标记失联党员",
        "member_recover": "失联党员恢复联系",
    }
    audit_objects = {"member": "党员名册", "transfer": "组织关系转接"}
    import_specs = ("sanxin.members.importing.MEMBERS",)
    api_routers = (
        ("/members", "sanxin.members.api.router"),
        ("/developments", "sanxin.members.api.development_router"),
        ("/transfers", "sanxin.members.transfer_api.router"),
        ("/identity-reports", "sanxin.members.identity_api.router"),
        ("/mobile-registrations", "sanxin.members.mobility_api.router"),
    )
