from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import STAFF_ROLES, Role


class StudyConfig(SanxinApp):
    name = "sanxin.study"
    label = "study"
    verbose_name = "学习资料"
    capabilities = (
        # A secretary sees the materials shared to their own Party organization and who there has not done them.
        Capability("study.view", "查看学习资料和学习情况", STAFF_ROLES | {Role.PARTY_SECRETARY}),
        Capability("study.manage", "发布和分享学习资料", STAFF_ROLES),
        # Whoever has a member record studies what is shared to their Party organization (sanxin.study.models).
        Capability("study.learn", "学习资料（本人）", frozenset({Role.MEMBER, Role.PARTY_SECRETARY})),
    )
    menu = (
        MenuItem("组织生活", "学习资料", "study:material_list", "study.view", "bi-book", 53),
        MenuItem("组织生活", "学习情况", "study:rate_list", "study.view", "bi-bar-chart", 54),
        MenuItem("组织生活", "我的学习", "study:mine", "study.learn", "bi-journal-check", 55),
    )
    audit_labels = {
        "material_*": "学习资料（全部）",
        "material_create": "新建学习资料",
        "material_update": "修改学习资料",
        "material_publish": "发布学习资料",
        "material_withdraw": "撤回学习资料",
        "material_share": "分享学习资料给党组织",
        "material_mark_done": "党员标记学完学习资料",
    }
    audit_objects = {"study_rate": "学习情况"}
    api_routers = (("/study", "sanxin.study.api.router"),)
