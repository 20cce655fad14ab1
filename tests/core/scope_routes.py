"""Scope-test routes of the mechanisms in core (the message centre); collected by tests/scope_registry.py."""

ROUTES: list = []
EXEMPT: dict[str, str] = {
    "core:messages": "只列出本人的消息，见 test_census.py::test_a_todo_closed_by_itself_tells_who_raised_it",
    "core:messages_read": "只接受 POST，只能把本人的消息标为已读，见 test_a_todo_closed_by_itself_tells_who_raised_it",
    "core:service_worker": "手机应用的 service worker 脚本，人人相同，不含任何数据，见 tests/mine/test_offline.py",
    "core:manifest": "手机应用的清单（名称、图标），人人相同，不含任何数据，见 tests/mine/test_offline.py",
    "core:offline": "无网络时显示的页面，人人相同，不含任何数据，见 tests/mine/test_offline.py",
    "core:offline_csrf": "只返回本会话的 CSRF 令牌，不含任何数据，见 tests/mine/test_offline.py",
}
