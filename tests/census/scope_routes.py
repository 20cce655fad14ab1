"""Scope-test routes of census campaigns and to-dos; collected by tests/scope_registry.py."""

from django.urls import reverse

from sanxin.census.models import CensusCampaign
from sanxin.orgs.models import Organization
from tests.scope_registry import CAMPAIGN, ORGANIZATION, TODO, Route


def _county_campaign_organizations() -> str:
    return f"/api/v1/census/campaigns/{CensusCampaign.objects.get(region_id='360102').pk}/organizations?limit=200"


ROUTES: list = [
    Route("census:campaign_list", "list", CAMPAIGN, "census.view", list_url="/census/?size=100"),
    Route("census:campaign_detail", "detail", CAMPAIGN, "census.view", url=lambda c: reverse("census:campaign_detail", args=[c.pk])),
    Route("census:campaign_export", "detail_export", CAMPAIGN, "census.view", url=lambda c: reverse("census:campaign_export", args=[c.pk])),
    Route("census:todo_list", "list", TODO, "census.view", list_url="/todos/?size=100"),
    Route("census:campaign_list_export", "export", CAMPAIGN, "census.view", list_url="/census/export/"),
    Route("census:todo_export", "export", TODO, "census.view", list_url="/todos/export/"),
    Route("census:todo_detail", "detail", TODO, "census.view", url=lambda t: reverse("census:todo_detail", args=[t.pk])),
    Route(
        "api:list_campaigns",
        "api_list",
        CAMPAIGN,
        "census.view",
        list_url="/api/v1/census/campaigns?limit=100",
        api_items=lambda data: [item["name"] for item in data["items"]],
    ),
    Route("api:get_campaign", "api_detail", CAMPAIGN, "census.view", url=lambda c: f"/api/v1/census/campaigns/{c.pk}"),
    # The county's campaign as every persona: only the organizations of their own scope (404 where the campaign is not seen).
    Route(
        "api:list_campaign_organizations",
        "api_list",
        ORGANIZATION,
        "census.view",
        list_url=_county_campaign_organizations,
        api_items=lambda data: [item["name"] for item in data["items"]],
        queryset=lambda: Organization.objects.filter(region__code__startswith="360102", registration_status="active"),
    ),
    Route(
        "api:list_todos",
        "api_list",
        TODO,
        "census.view",
        list_url="/api/v1/census/todos?limit=200",
        api_items=lambda data: [item["organization"]["name"] for item in data["items"]],
    ),
    Route("api:get_todo", "api_detail", TODO, "census.view", url=lambda t: f"/api/v1/census/todos/{t.pk}"),
]
EXEMPT: dict[str, str] = {
    "census:campaign_step": "只接受 POST；经 access_campaign 取得，范围外为 404，见 test_campaign_steps_outside_scope_are_404",
    "census:campaign_create": "新建表单；摸排范围由区划选择器按数据权限裁剪",
    "census:record": "两个对象（行动、组织）都经 access 取得，见 test_census.py::test_census_record_outside_scope_is_404",
    "api:create_campaign": (
        "接口新建；摸排范围用表单的区划选择字段按数据权限查找，范围外 422，见 tests/census/test_api.py::test_create_refuses_in_chinese"
    ),
    "api:start_campaign": (
        "只接受 POST；经 access_campaign(for_write=True) 取得，范围外或无权限 404，"
        "见 tests/census/test_api.py::test_steps_outside_the_scope_or_without_the_capability_are_404"
    ),
    "api:close_campaign": "只接受 POST；同开始摸排，见 tests/census/test_api.py::test_a_campaign_through_its_workflow",
    "api:cancel_campaign": "只接受 POST；同开始摸排，见 tests/census/test_api.py::test_cancelling_a_draft_needs_a_reason",
    "api:get_census_record": (
        "行动与组织都经 access 取得，范围外 404，见 tests/census/test_api.py::test_records_are_saved_corrected_and_raise_a_todo"
    ),
    "api:save_census_record": (
        "只接受 PUT；行动与组织都经 access 取得，范围外 404 且不写入，"
        "见 tests/census/test_api.py::test_a_record_outside_the_scope_is_404_and_writes_nothing"
    ),
    "api:close_todo": (
        "只接受 POST；经 access_todo(for_write=True) 取得，范围外 404，见 tests/census/test_api.py::test_todos_are_listed_read_and_closed"
    ),
}
