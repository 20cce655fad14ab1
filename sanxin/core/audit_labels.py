"""Chinese names of audit actions for the audit page; unknown codes show as they are."""

ACTION_LABELS = {
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.lockout": "账号锁定",
    "auth.logout": "退出登录",
    "password.change": "修改密码",
    "unit.create": "新增单位",
    "unit.update": "修改单位",
    "user.create": "新增用户",
    "user.update": "修改用户",
    "user.roles": "变更角色",
    "user.roles.bootstrap": "初始化角色",
    "user.disable_inactive": "停用长期未用账号",
    "audit.purge": "清理过期审计记录",
}


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)
