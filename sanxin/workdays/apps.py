from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import Role


class WorkdaysConfig(SanxinApp):
    name = "sanxin.workdays"
    label = "workdays"
    verbose_name = "工作日历"
    capabilities = (Capability("workdays.manage", "录入放假安排", frozenset({Role.SYSTEM_ADMIN})),)
    menu = (MenuItem("系统管理", "放假安排", "workdays:list", "workdays.manage", "bi-calendar3", 83),)
    audit_labels = {
        "workday_adjustment_*": "放假安排（全部）",
        "workday_adjustment_save": "录入放假安排",
        "workday_adjustment_delete": "删除放假安排",
    }
    audit_objects = {"dayadjustment": "放假安排"}
    api_routers = (("/", "sanxin.workdays.api.router"),)
