from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import STAFF_ROLES, TERRITORY_STAFF, Role


class CareConfig(SanxinApp):
    name = "sanxin.care"
    label = "care"
    verbose_name = "关爱活动"
    capabilities = (
        Capability("care.view", "查看关爱活动和服务人数", STAFF_ROLES),
        Capability("care.manage", "组织关爱活动、代签到、登记现场服务人数", TERRITORY_STAFF),
        Capability("care.join", "报名和签到关爱活动（本人）", frozenset({Role.WORKER})),
    )
    menu = (
        MenuItem("新就业群体", "关爱活动", "care:list", "care.view", "bi-balloon-heart", 76),
        MenuItem("新就业群体", "关爱服务人数", "care:served", "care.view", "bi-people", 77),
    )
    audit_labels = {
        "care_*": "关爱活动（全部）",
        "care_activity_create": "新建关爱活动",
        "care_activity_update": "修改关爱活动",
        "care_activity_publish": "发布关爱活动",
        "care_activity_close": "登记关爱活动结束",
        "care_activity_cancel": "取消关爱活动",
        "care_walk_ins_set": "登记现场未报名服务人数",
        "care_signup_create": "报名关爱活动",
        "care_signup_cancel": "取消关爱活动报名",
        "care_checkin": "关爱活动签到",
        "care_anonymise_for_worker": "从业人员注销后匿名化关爱活动签到",
    }
    audit_objects = {"care_activity": "关爱活动", "care_served": "关爱服务人数"}
    api_routers = (("/care", "sanxin.care.api.router"), ("/w/care", "sanxin.care.api.worker_router"))
    worker_cards = ("sanxin.care.selectors.worker_card",)
    staff_cards = ("sanxin.care.selectors.staff_card",)
    worker_links = (("/w/care/", "bi-balloon-heart", "关爱活动"),)
    worker_data = ("sanxin.care.selectors.worker_data",)

    def ready(self):
        from sanxin.care.services import care_anonymise_for_worker
        from sanxin.core.events import subscribe

        # Sign-ups of an erased worker go; their check-ins stay, without them, as people served.
        subscribe("workers.erased", care_anonymise_for_worker)
