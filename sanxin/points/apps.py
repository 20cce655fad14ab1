from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import TERRITORY_STAFF, Role


class PointsConfig(SanxinApp):
    name = "sanxin.points"
    label = "points"
    verbose_name = "积分"
    capabilities = (
        Capability("points.view", "查看积分、兑换和积分报表", TERRITORY_STAFF),
        Capability("points.manage", "维护礼品服务目录、办理兑换", TERRITORY_STAFF),
        Capability("points.rules", "维护积分规则", frozenset({Role.REGION_STAFF})),
        Capability("points.redeem", "查看本人积分、兑换礼品服务", frozenset({Role.WORKER})),
    )
    menu = (
        MenuItem("新就业群体", "积分报表", "points:report", "points.view", "bi-coin", 90),
        MenuItem("新就业群体", "积分兑换", "points:redemptions", "points.view", "bi-gift", 91),
        MenuItem("新就业群体", "礼品服务目录", "points:rewards", "points.view", "bi-box-seam", 92),
        MenuItem("新就业群体", "积分规则", "points:rules", "points.rules", "bi-sliders", 93),
    )
    audit_labels = {
        "points_*": "积分（全部）",
        "points_rule_save": "保存积分规则",
        "points_rule_delete": "删除积分规则",
        "points_reward_save": "保存礼品服务",
        "points_redeem": "兑换礼品服务",
        "points_redemption_cancel": "本人取消兑换",
        "points_redemption_revoke": "工作人员取消兑换",
        "points_redemption_fulfil": "确认领取兑换",
        "points_erase_for_worker": "从业人员注销后删除积分",
    }
    audit_objects = {"points_report": "积分报表", "points_redemption": "兑换记录"}
    api_routers = (("/points", "sanxin.points.api.router"), ("/w/points", "sanxin.points.api.worker_router"))
    worker_cards = ("sanxin.points.selectors.worker_card",)
    staff_cards = ("sanxin.points.selectors.staff_card",)
    worker_links = (
        ("/w/points/", "bi-coin", "我的积分"),
        ("/w/points/rewards/", "bi-gift", "积分兑换"),
    )
    worker_data = ("sanxin.points.selectors.worker_data",)
    worker_record_sections = ("sanxin.points.selectors.worker_record_section",)
    seeded_models = ("EarningRule",)

    def ready(self):
        from sanxin.core.events import subscribe
        from sanxin.points.services import on_merit_withdrawn, on_merited, on_worker_erased

        # Sources publish "workers.merited" in the transaction of the write that earns; the ledger posts once per source.
        subscribe("workers.merited", on_merited)
        subscribe("workers.merit_withdrawn", on_merit_withdrawn)
        subscribe("workers.erased", on_worker_erased)
