"""Scope-test routes of census campaigns and to-dos; collected by tests/scope_registry.py."""

from django.urls import reverse

from tests.scope_registry import CAMPAIGN, TODO, Route

ROUTES: list = [
    Route("census:campaign_list", "list", CAMPAIGN, "census.view", list_url="/census/?size=100"),
    Route("census:campaign_detail", "detail", CAMPAIGN, "census.view", url=lambda c: reverse("census:campaign_detail", args=[c.pk])),
    Route("census:campaign_export", "detail_export", CAMPAIGN, "census.view", url=lambda c: reverse("census:campaign_export", args=[c.pk])),
    Route("census:todo_list", "list", TODO, "census.view", list_url="/todos/?size=100"),
    Route("census:campaign_list_export", "export", CAMPAIGN, "census.view", list_url="/census/export/"),
    Route("census:todo_export", "export", TODO, "census.view", list_url="/todos/export/"),
    Route("census:todo_detail", "detail", TODO, "census.view", url=lambda t: reverse("census:todo_detail", args=[t.pk])),
]
EXEMPT: dict[str, str] = {
    "census:campaign_step": "只接受 POST；经 access_campaign 取得，范围外为 404，见 test_campaign_steps_outside_scope_are_404",
    "census:campaign_create": "新建表单；摸排范围由区划选择器按数据权限裁剪",
    "census:record": "两个对象（行动、组织）都经 access 取得，见 test_census.py::test_census_record_outside_scope_is_404",
}
