from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import STAFF_ROLES


class ImportsConfig(SanxinApp):
    name = "sanxin.imports"
    label = "imports"
    verbose_name = "数据导入"
    capabilities = (Capability("imports.use", "上传名录导入", STAFF_ROLES),)
    menu = (MenuItem("两新组织", "我的导入", "imports:job_list", "imports.use", "bi-upload", 26),)
    daily_jobs = {
        "import_files": "sanxin.imports.services.import_files_purge",
        "import_stale": "sanxin.imports.services.import_jobs_fail_stale",
    }
    audit_labels = {
        "import*": "导入（全部）",
        "import_job_create": "上传导入文件",
        "import_job_run": "导入名录",
        "import_job_retry": "重新导入",
        "import_jobs_fail_stale": "标记中断的导入任务为失败",
        "import_files_purge": "删除过期的导入文件",
        "import.errors_download": "下载导入错误清单",
    }
    api_routers = (("/imports", "sanxin.imports.api.router"),)
