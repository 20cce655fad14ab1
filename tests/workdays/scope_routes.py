"""Scope-test routes of the working-day calendar; collected by tests/scope_registry.py."""

ROUTES: list = []
EXEMPT: dict[str, str] = {
    "workdays:list": "全国统一的放假安排，不含任何范围内数据；仅系统管理员可打开，见 tests/workdays/test_workdays.py",
    "workdays:delete": "只接受 POST，仅系统管理员；见 tests/workdays/test_workdays.py",
    "api:year_calendar": "国务院公布的放假安排，公开信息，不含范围内数据",
    "api:save_adjustment": "仅系统管理员（其他人 403）；见 tests/workdays/test_workdays.py",
    "api:delete_adjustment": "仅系统管理员（其他人 403）；见 tests/workdays/test_workdays.py",
}
