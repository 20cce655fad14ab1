from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import STAFF_ROLES


class CoverageConfig(SanxinApp):
    name = "sanxin.coverage"
    label = "coverage"
    verbose_name = "两个覆盖"
    capabilities = (Capability("coverage.view", "查看两个覆盖统计", STAFF_ROLES),)
    menu = (MenuItem("两新组织", "两个覆盖", "coverage:overview", "coverage.view", "bi-pie-chart", 20),)
    daily_jobs = {"coverage": "sanxin.coverage.compute.coverage_daily"}
    audit_objects = {"coverage": "覆盖统计"}
    api_routers = (("/", "sanxin.coverage.api.router"),)

    def ready(self):
        from sanxin.core.events import subscribe
        from sanxin.coverage.compute import organizations_changed

        subscribe("organizations.changed", organizations_changed)
