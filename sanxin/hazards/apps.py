from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import TERRITORY_STAFF, Role


class HazardsConfig(SanxinApp):
    name = "sanxin.hazards"
    label = "hazards"
    verbose_name = "隐患随手拍"
    capabilities = (
        Capability("hazards.view", "查看隐患随手拍", TERRITORY_STAFF),
        Capability("hazards.handle", "核实、派单、办结隐患随手拍；通过 Open311 接口上报", TERRITORY_STAFF),
        Capability("hazards.report", "随手拍上报和附议隐患", frozenset({Role.WORKER})),
    )
    menu = (MenuItem("新就业群体", "隐患随手拍", "hazards:list", "hazards.view", "bi-camera", 85),)
    audit_labels = {
        "hazard_*": "隐患随手拍（全部）",
        "hazard_create": "上报隐患随手拍",
        "hazard_join": "附议随手拍（我也看到了）",
        "hazard_verify_valid": "核实随手拍有效",
        "hazard_verify_invalid": "核实随手拍无效",
        "hazard_mark_duplicate": "标记随手拍为重复",
        "hazard_dispatch": "随手拍派单",
        "hazard_resolve": "办结随手拍",
        "hazard_correct": "更正随手拍核实结果",
        "hazard_anonymise_for_worker": "上报人注销后匿名化随手拍",
    }
    audit_objects = {"hazard": "隐患随手拍"}
    api_routers = (("/hazards", "sanxin.hazards.api.router"), ("/w/hazards", "sanxin.hazards.api.worker_router"))
    worker_cards = ("sanxin.hazards.selectors.worker_card",)
    staff_cards = ("sanxin.hazards.selectors.staff_card",)
    worker_links = (("/w/hazards/new/", "bi-camera", "随手拍"),)
    worker_data = ("sanxin.hazards.selectors.worker_data",)

    def ready(self):
        from sanxin.core.events import subscribe
        from sanxin.hazards.services import on_worker_erased

        # The worker's reports stay for the hazard's sake, without them.
        subscribe("workers.erased", on_worker_erased)

        from sanxin.hazards.selectors import hazard_positions
        from sanxin.stations.circle import register_demand_source

        # Where workers reported hazards is where they work: a demand point of the 15-minute circle.
        register_demand_source("hazard", "随手拍上报位置", hazard_positions)
