from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import STAFF_ROLES


class CensusConfig(SanxinApp):
    name = "sanxin.census"
    label = "census"
    verbose_name = "摸排行动"
    capabilities = (
        Capability("census.view", "查看摸排行动与待办", STAFF_ROLES),
        Capability("census.manage", "发起摸排、填报七个清、办结待办", STAFF_ROLES),
    )
    menu = (
        MenuItem("两新组织", "摸排行动", "census:campaign_list", "census.view", "bi-clipboard-check", 22),
        MenuItem("两新组织", "待办事项", "census:todo_list", "census.view", "bi-list-check", 24),
    )
    audit_labels = {
        "census_*": "摸排（全部）",
        "census_campaign_create": "新建摸排行动",
        "census_record_save": "填报摸排记录",
        "campaign_*": "摸排行动的开始与结束（全部）",
        "campaign_start": "开始摸排行动",
        "campaign_close": "结束摸排行动",
        "campaign_cancel": "撤销摸排行动",
        "campaigns_expire": "摸排行动到期自动结束",
        "todo*": "待办事项（全部）",
        "todo_close": "办结待办",
        "todos_close_fulfilled": "待办自动办结（已单独组建党组织）",
    }
    audit_objects = {"census": "摸排", "todo": "待办事项"}
    daily_jobs = {"campaigns_expire": "sanxin.census.services.campaigns_expire"}
    api_routers = (("/census", "sanxin.census.api.router"),)

    def ready(self):
        from sanxin.census.services import todos_close_fulfilled
        from sanxin.core.events import subscribe

        subscribe("coverage.recomputed", todos_close_fulfilled)
