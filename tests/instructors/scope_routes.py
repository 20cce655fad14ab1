"""Scope-test routes of instructors, their assignments and work; collected by tests/scope_registry.py."""

from django.urls import reverse

from tests.scope_registry import ASSIGNMENT, INSTRUCTOR, Route

ROUTES: list = [
    Route("instructors:list", "list", INSTRUCTOR, "instructors.view", list_url="/instructors/?size=100"),
    Route("instructors:detail", "detail", INSTRUCTOR, "instructors.view", url=lambda i: reverse("instructors:detail", args=[i.pk])),
    Route(
        "instructors:assignment_visit",
        "detail",
        ASSIGNMENT,
        "instructors.visit",
        url=lambda a: reverse("instructors:assignment_visit", args=[a.pk]),
    ),
    Route("instructors:export", "export", INSTRUCTOR, "instructors.view", list_url="/instructors/export/"),
    Route(
        "instructors:work_export",
        "detail_export",
        INSTRUCTOR,
        "instructors.view",
        url=lambda i: reverse("instructors:work_export", args=[i.pk]),
    ),
]
EXEMPT: dict[str, str] = {
    "instructors:create": "新建表单；派出单位按数据权限裁剪",
    "instructors:assignment_end": "只接受 POST，经 access_assignment 取得，见 test_instructors.py 的 outside_scope_is_404",
}
