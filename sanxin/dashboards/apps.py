from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import ALL_ROLES


class DashboardsConfig(SanxinApp):
    name = "sanxin.dashboards"
    label = "dashboards"
    verbose_name = "工作台"
    capabilities = (Capability("home", "首页", ALL_ROLES),)
    menu = (MenuItem("工作台", "首页", "dashboards:home", "home", "bi-house", 0),)
