from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import STAFF_ROLES, TERRITORY_STAFF, Role


class WorkersConfig(SanxinApp):
    name = "sanxin.workers"
    label = "workers"
    verbose_name = "新就业群体从业人员"
    capabilities = (
        Capability("workers.view", "查看从业人员", STAFF_ROLES),
        Capability("workers.manage", "登记和修改从业人员", STAFF_ROLES),
        Capability("workers.unmask", "查看从业人员完整手机号码", TERRITORY_STAFF),
        # The platform registry is one for the whole country: kept by the 两新工委/社会工作部 staff and the system admin.
        Capability("workers.platforms", "维护平台名录", frozenset({Role.REGION_STAFF, Role.SYSTEM_ADMIN})),
        # The worker's own phone pages (/w/…): their data, consent, export and deletion.
        Capability("workers.self", "从业人员本人服务", frozenset({Role.WORKER})),
    )
    menu = (
        MenuItem("新就业群体", "从业人员", "workers:worker_list", "workers.view", "bi-bicycle", 60),
        MenuItem("新就业群体", "平台", "workers:platform_list", "workers.platforms", "bi-phone", 61),
    )
    daily_jobs = {"workers_retention": "sanxin.workers.services.workers_retention_purge"}
    audit_labels = {
        "worker_*": "从业人员（全部）",
        "worker_register": "从业人员本人注册",
        "worker_claim_account": "从业人员首次登录开通账号",
        "worker_account_reopen": "从业人员验证手机后重新启用账号",
        "worker_code_send": "发送登录验证码",
        "worker_login_failed": "从业人员验证码登录失败",
        "worker_consent_accept": "从业人员同意告知同意书",
        "worker_update_self": "从业人员更正本人信息",
        "worker_pin_work_area": "从业人员标注本人工作区域位置",
        "worker_unmask_self": "从业人员查看本人完整手机号",
        "worker_export_self": "从业人员导出本人数据",
        "worker_erase": "删除从业人员及其账号",
        "worker_create": "登记从业人员",
        "worker_update": "修改从业人员",
        "worker_unmask": "查看从业人员完整手机号码",
        "platform_*": "平台名录（全部）",
        "platform_create": "新增平台",
        "platform_update": "修改平台",
        "consent_publish": "发布告知同意书",
    }
    audit_objects = {"worker": "从业人员名册"}
    api_routers = (("/workers", "sanxin.workers.api.router"), ("/w", "sanxin.workers.api.me_router"))
    import_specs = ("sanxin.workers.importing.WORKERS",)
    seeded_models = ("ConsentText",)
