from sanxin.core.declare import SanxinApp


class CoreConfig(SanxinApp):
    name = "sanxin.core"
    label = "core"
    verbose_name = "基础"
    audit_labels = {
        "audit.purge": "清理过期审计记录",
        "backup.create": "备份数据库",
        "backup.restore": "恢复数据库",
    }
