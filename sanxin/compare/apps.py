from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import STAFF_ROLES


class CompareConfig(SanxinApp):
    name = "sanxin.compare"
    label = "compare"
    verbose_name = "数据比对"
    capabilities = (Capability("compare.use", "数据比对", STAFF_ROLES),)
    menu = (MenuItem("两新组织", "数据比对", "compare:list", "compare.use", "bi-intersect", 25),)
    daily_jobs = {
        "comparison_files": "sanxin.compare.services.comparison_files_purge",
        "comparison_stale": "sanxin.compare.services.comparisons_fail_stale",
    }
    audit_labels = {
        "comparison*": "数据比对（全部）",
        "comparison_create": "上传比对名录",
        "comparison_run": "运行数据比对",
        "comparison_retry": "重新比对",
        "comparisons_fail_stale": "标记中断的数据比对为失败",
        "comparison_files_purge": "删除过期的比对文件",
        "review_decide": "核实比对结果",
        "create_new_organizations": "比对新增单位入名录",
    }
    audit_objects = {"compare": "数据比对结果"}
    api_routers = (("/compare", "sanxin.compare.api.router"),)
