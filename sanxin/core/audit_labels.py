"""Chinese names of audit actions for the audit page.

Exports are named `<object>.export` and imports `import.<registry>` (`.upload` for the file
itself), so those are composed from the object's name; tests/test_audit.py checks that every
action the code records has a name.
"""

ACTION_LABELS = {
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.lockout": "账号锁定",
    "auth.logout": "退出登录",
    "password.change": "修改密码",
    "second_factor.enrol": "绑定身份验证器（双因素认证）",
    "second_factor.verify": "动态口令验证",
    "second_factor.recovery_used": "使用恢复码登录",
    "second_factor.lockout": "动态口令验证锁定",
    "second_factor.reset": "重置双因素认证",
    "unit.create": "新增单位",
    "unit.update": "修改单位",
    "user.create": "新增用户",
    "user.update": "修改用户",
    "user.roles": "变更角色",
    "user.roles.bootstrap": "初始化角色",
    "user.disable_inactive": "停用长期未用账号",
    "personal_data.unmask": "查看完整个人信息",
    "api_token.create": "签发接口令牌",
    "api_token.revoke": "吊销接口令牌",
    "zone.create": "新增园区/楼宇",
    "zone.update": "修改园区/楼宇",
    "audit.view": "查阅审计日志",
    "audit.purge": "清理过期审计记录",
    "backup.create": "备份数据库",
    "backup.restore": "恢复数据库",
    "organization.create": "新增两新组织",
    "organization.update": "修改两新组织",
    "organization.deregister": "标记组织注销/吊销/迁出",
    "party_org.create": "新增党组织",
    "party_org.update": "修改党组织",
    "instructor.create": "新增党建指导员",
    "instructor.assign": "选派党建指导员",
    "instructor.unassign": "结束指导员选派",
    "instructor.visit": "记录走访",
    "census.campaign_create": "新建摸排行动",
    "census.record": "填报摸排记录",
    "todo.close": "办结待办",
    "compare.upload": "上传比对名录",
    "compare.run": "运行数据比对",
    "compare.review": "核实比对结果",
    "compare.create_new": "比对新增单位入名录",
    "compare.stale": "标记中断的数据比对为失败",
    "compare.retry": "重新比对",
    "import.errors_download": "下载导入错误清单",
    "import.files_purge": "删除过期的导入文件",
    "import.stale": "标记中断的导入任务为失败",
    "import.retry": "重新导入",
    "compare.files_purge": "删除过期的比对文件",
}

OBJECT_NAMES = {
    "organization": "两新组织名录",
    "party_org": "党组织名录",
    "instructor": "党建指导员",
    "census": "摸排",
    "todo": "待办事项",
    "coverage": "覆盖统计",
    "compare": "数据比对结果",
    "organizations": "两新组织名录",
    "party_organizations": "党组织名录",
}


# Families of actions the audit page filters by at once (the filter matches codes by prefix).
ACTION_FAMILIES = {
    "auth.": "登录、退出与锁定（全部）",
    "second_factor.": "双因素认证（全部）",
    "user.": "用户与角色（全部）",
    "unit.": "单位（全部）",
    "organization.": "两新组织（全部）",
    "party_org.": "党组织（全部）",
    "instructor.": "党建指导员（全部）",
    "census.": "摸排（全部）",
    "compare.": "数据比对（全部）",
    "import.": "导入（全部）",
    "audit.": "审计日志（全部）",
}


def action_choices() -> list[tuple[str, str]]:
    """What the audit page's 操作 dropdown offers: families of actions, then every action, in Chinese."""
    codes = [*ACTION_LABELS, *(f"{name}.export" for name in OBJECT_NAMES if name not in ("organizations", "party_organizations"))]
    codes += [f"import.{registry}{step}" for registry in ("organizations", "party_organizations") for step in ("", ".upload")]
    actions = sorted(((code, action_label(code)) for code in dict.fromkeys(codes)), key=lambda choice: choice[0])
    return [*ACTION_FAMILIES.items(), *actions]


def action_label(code: str) -> str:
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    if code.endswith(".export") and code.removesuffix(".export") in OBJECT_NAMES:
        return f"导出{OBJECT_NAMES[code.removesuffix('.export')]}"
    if code.startswith("import."):
        registry, _, step = code.removeprefix("import.").partition(".")
        if registry in OBJECT_NAMES and step in ("", "upload"):
            return f"{'上传' if step else '导入'}{OBJECT_NAMES[registry]}"
    return code
