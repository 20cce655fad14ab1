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
    Route(
        "api:list_instructors",
        "api_list",
        INSTRUCTOR,
        "instructors.view",
        list_url="/api/v1/instructors?limit=200",
        api_items=lambda data: [item["name"] for item in data["items"]],
    ),
    Route("api:get_instructor", "api_detail", INSTRUCTOR, "instructors.view", url=lambda i: f"/api/v1/instructors/{i.pk}"),
    Route("api:get_assignment", "api_detail", ASSIGNMENT, "instructors.view", url=lambda a: f"/api/v1/assignments/{a.pk}"),
]
EXEMPT: dict[str, str] = {
    "instructors:create": "新建表单；派出单位按数据权限裁剪",
    "instructors:assignment_end": "只接受 POST，经 access_assignment 取得，见 test_instructors.py 的 outside_scope_is_404",
    "api:create_instructor": (
        "接口新增；派出单位按表单同一范围（units_in_line）查找，范围外 422，"
        "见 tests/instructors/test_api.py::test_refusals_name_the_field_in_chinese"
    ),
    "api:create_assignment": (
        "只接受 POST；指导员经 access_instructor(for_write=True) 取得，组织按表单同一字段查找，范围外 404/422，"
        "见 tests/instructors/test_api.py::test_outside_the_scope_is_404_and_nothing_is_written"
    ),
    "api:end_assignment": (
        "只接受 POST；经 access_assignment 取得，范围外 404，"
        "见 tests/instructors/test_api.py::test_outside_the_scope_is_404_and_nothing_is_written"
    ),
    "api:create_visit": (
        "只接受 POST；经 access_assignment(instructors.visit) 取得，指导员只能记录本人的选派，"
        "见 tests/instructors/test_api.py::test_an_instructor_sees_and_logs_only_their_own"
    ),
}
