from sanxin.core import code_path
from sanxin.core.declare import SanxinApp


class CoreConfig(SanxinApp):
    name = "sanxin.core"
    label = "core"
    verbose_name = "基础"
    audit_labels = {
        "audit_purge": "清理过期审计记录",
        "write_backup": "备份数据库",
        "restore_backup": "恢复数据库",
    }

    def ready(self):
        code_path.register()  # `__under`: region-prefix filters as an index range
