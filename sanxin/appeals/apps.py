from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import TERRITORY_STAFF, Role


class AppealsConfig(SanxinApp):
    name = "sanxin.appeals"
    label = "appeals"
    verbose_name = "诉求"
    capabilities = (
        # The territory's staff handle appeals; a platform's own Party committee reads those about its platform, shielded.
        Capability("appeals.view", "查看诉求", TERRITORY_STAFF | {Role.PLATFORM_STAFF}),
        Capability("appeals.handle", "受理、办理、转办、退回诉求", TERRITORY_STAFF),
        Capability("appeals.rates", "诉求三率", TERRITORY_STAFF),
        Capability("appeals.route", "维护诉求分派规则", frozenset({Role.REGION_STAFF})),
        Capability("appeals.raise", "提出和评价本人诉求", frozenset({Role.WORKER})),
    )
    menu = (
        MenuItem("新就业群体", "诉求办理", "appeals:list", "appeals.view", "bi-megaphone", 82),
        MenuItem("新就业群体", "诉求三率", "appeals:rates", "appeals.rates", "bi-trophy", 83),
        MenuItem("新就业群体", "诉求分派规则", "appeals:routing", "appeals.route", "bi-signpost-split", 84),
    )
    daily_jobs = {
        "appeals_escalate": "sanxin.appeals.services.appeals_escalate_overdue",
        "appeals_close_rated": "sanxin.appeals.services.appeals_close_rated",
    }
    audit_labels = {
        "appeal_*": "诉求（全部）",
        "appeal_create": "提出诉求",
        "appeal_support": "附议诉求（我也遇到了）",
        "appeal_accept": "受理诉求",
        "appeal_start": "开始办理诉求",
        "appeal_ask": "请诉求人补充说明",
        "appeal_answer": "诉求人答复",
        "appeal_resolve": "办结诉求",
        "appeal_rate": "评价诉求",
        "appeal_reopen": "重新办理诉求",
        "appeal_close": "关闭诉求",
        "appeal_transfer": "转办诉求",
        "appeal_return": "退回诉求",
        "appeal_escalate": "升级诉求",
        "appeal_anonymise_for_worker": "诉求人注销后匿名化诉求",
        "routing_rule_save": "保存诉求分派规则",
        "routing_rule_delete": "删除诉求分派规则",
    }
    audit_objects = {"appeal": "诉求"}

    def ready(self):
        from sanxin.appeals.services import on_worker_erased
        from sanxin.core.events import subscribe

        # When the workers app erases a worker's data (publish("workers.erased", worker=...)), their appeals stay
        # for the figures, without them.
        subscribe("workers.erased", on_worker_erased)

        from sanxin.appeals.selectors import appeal_positions
        from sanxin.stations.circle import register_demand_source

        # Where workers raised appeals (with a position) is where they work: a demand point of the 15-minute circle.
        register_demand_source("appeal", "诉求发生位置", appeal_positions)

    api_routers = (("/appeals", "sanxin.appeals.api.router"), ("/w/appeals", "sanxin.appeals.api.worker_router"))
    worker_cards = ("sanxin.appeals.selectors.worker_card",)
