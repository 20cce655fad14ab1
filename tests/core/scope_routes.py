"""Scope-test routes of the mechanisms in core (the message centre); collected by tests/scope_registry.py."""

ROUTES: list = []
EXEMPT: dict[str, str] = {
    "core:messages": "只列出本人的消息，见 test_census.py::test_a_todo_closed_by_itself_tells_who_raised_it",
    "core:messages_read": "只接受 POST，只能把本人的消息标为已读，见 test_a_todo_closed_by_itself_tells_who_raised_it",
}
