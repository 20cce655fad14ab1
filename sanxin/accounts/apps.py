from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import Role

ACCOUNT_MANAGERS = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN})


class AccountsConfig(SanxinApp):
    name = "sanxin.accounts"
    label = "accounts"
    verbose_name = "单位与账号"
    # Account pages are for those who manage accounts; other staff see their own unit's people ("本单位").
    capabilities = (
        Capability("units.view", "查看单位", ACCOUNT_MANAGERS),
        Capability("units.manage", "维护单位", frozenset({Role.SYSTEM_ADMIN})),
        Capability("users.view", "查看用户", ACCOUNT_MANAGERS),
        Capability("users.manage", "维护用户", frozenset({Role.SYSTEM_ADMIN})),
        Capability("roles.grant", "授予角色、重置双因素认证", frozenset({Role.SECURITY_ADMIN})),
        Capability("user_phone_unmask", "查看完整个人信息", frozenset({Role.SECURITY_ADMIN})),
        Capability("audit.view", "查阅审计日志", frozenset({Role.AUDIT_ADMIN})),
    )
    menu = (
        MenuItem("系统管理", "单位管理", "accounts:unit_list", "units.view", "bi-building", 80),
        MenuItem("系统管理", "用户管理", "accounts:user_list", "users.view", "bi-people", 81),
        MenuItem("系统管理", "审计日志", "accounts:audit_list", "audit.view", "bi-journal-check", 82),
    )
    daily_jobs = {"inactive_accounts": "sanxin.accounts.services.accounts_disable_inactive"}
    audit_labels = {
        "auth.*": "登录、退出与锁定（全部）",
        "auth.login": "登录",
        "auth.login_failed": "登录失败",
        "auth.lockout": "账号锁定",
        "auth.logout": "退出登录",
        "password_change": "修改密码",
        "second_factor_*": "双因素认证（全部）",
        "second_factor_enrol": "绑定身份验证器（双因素认证）",
        "second_factor_verify": "动态口令验证",
        "second_factor_verify.recovery": "使用恢复码登录",
        "second_factor_verify.lockout": "动态口令验证锁定",
        "second_factor_reset": "重置双因素认证",
        "unit_*": "单位（全部）",
        "unit_create": "新增单位",
        "unit_update": "修改单位",
        "user_*": "用户与角色（全部）",
        "user_create": "新增用户",
        "user_update": "修改用户",
        "user_set_roles": "变更角色",
        "grant_initial_roles": "初始化角色",
        "accounts_disable_inactive": "停用长期未用账号",
        "worker_account_create": "开通从业人员账号",
        "worker_account_delete": "删除从业人员账号",
        "user_phone_unmask": "查看完整个人信息",
        "api_token_*": "接口令牌（全部）",
        "api_token_create": "签发接口令牌",
        "api_token_revoke": "吊销接口令牌",
        "audit.view": "查阅审计日志",
    }
    api_routers = (("/", "sanxin.accounts.api.router"),)

    def ready(self):
        from sanxin.accounts import signals  # noqa: F401
