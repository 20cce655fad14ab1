"""Scope-test routes of care activities; collected by tests/scope_registry.py."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from sanxin.care.models import CareActivity
from tests.scope_registry import Entity, Route

# Seen by the units of its region and above.
ACTIVITY = Entity(CareActivity, region_code=lambda a: a.region_id, marker=lambda a: a.title)


def make_world_care(personas):
    """A published activity at every place of county level or below, named after its place, with the worker
    persona signed up to the first."""
    from sanxin.accounts.models import Unit
    from sanxin.care.models import CareSignup
    from sanxin.workers.models import Worker
    from tests.test_scope import PLACES

    now = timezone.now()
    unit = Unit.objects.filter(region_id__isnull=False).first()
    worker = Worker.objects.get(user=personas["worker"])
    for n, place in enumerate(PLACES):
        activity = CareActivity.objects.create(
            title=f"标记关爱活动{place}",
            type="birthday",
            unit=unit,
            region_id=place,
            place=f"标记地点{place}",
            starts_at=now + timedelta(days=1),
            ends_at=now + timedelta(days=1, hours=2),
            capacity=10,
            signup_opens_at=now - timedelta(days=1),
            signup_closes_at=now + timedelta(hours=20),
            status="published",
        )
        if n == 0:
            CareSignup.objects.create(activity=activity, worker=worker, signed_up_at=now)


ROUTES: list = [
    Route("care:list", "list", ACTIVITY, "care.view", list_url="/care/?size=100"),
    Route("care:export", "export", ACTIVITY, "care.view", list_url="/care/export/"),
    Route("care:detail", "detail", ACTIVITY, "care.view", url=lambda a: reverse("care:detail", args=[a.pk])),
    Route("care:code", "detail", ACTIVITY, "care.view", url=lambda a: reverse("care:code", args=[a.pk])),
    Route(
        "api:list_care_activities",
        "api_list",
        ACTIVITY,
        "care.view",
        list_url="/api/v1/care?limit=200",
        api_items=lambda data: [item["title"] for item in data["items"]],
    ),
    Route("api:get_care_activity", "api_detail", ACTIVITY, "care.view", url=lambda a: f"/api/v1/care/{a.pk}"),
]
WORLD = (make_world_care,)
EXEMPT: dict[str, str] = {
    "care:create": "新建表单；所在地区须在本单位范围内，见 tests/care/test_services.py",
    "care:edit": "经 access_activity(for_write=True) 取得，范围外 404，见 tests/care/test_pages.py",
    "care:act": "只收 POST；经 access_activity(for_write=True) 取得，范围外 404，见 tests/care/test_pages.py",
    "care:walk_ins": "只收 POST；经 access_activity(for_write=True) 取得，范围外 404，见 tests/care/test_pages.py",
    "care:staff_checkin": "只收 POST；经 access_signup(for_write=True) 取得，范围外 404，见 tests/care/test_pages.py",
    "care:served": "只给各地区各类型的服务人数，按 scoped 的活动统计，见 tests/care/test_pages.py",
    "care:served_export": "同服务人数统计，按 scoped 的活动统计，见 tests/care/test_pages.py",
    "care:my_care": "从业人员本人页面：本人报名的活动和本区县已发布的活动（公开通知），见 tests/care/test_pages.py",
    "care:enter_code": "从业人员本人页面：输入签到码后转到签到页，未知签到码提示错误，见 tests/care/test_pages.py",
    "care:my_activity": "从业人员本人页面：已发布的活动是公开通知，不显示报名人，草稿 404，见 tests/care/test_pages.py",
    "care:my_signup": "只收 POST；本人报名，见 tests/care/test_services.py",
    "care:my_cancel": "只收 POST；本人取消报名，见 tests/care/test_services.py",
    "care:my_checkin": "从业人员本人页面，按签到码取活动，未知签到码 404，见 tests/care/test_pages.py",
    "api:care_served": "只给各地区各类型的服务人数，按 scoped 的活动统计，见 tests/care/test_api.py",
    "api:my_care_activities": "从业人员本人接口：与“关爱活动”页同一 selectors，见 tests/care/test_api.py",
    "api:sign_up_care": "从业人员本人接口：只为本人报名，见 tests/care/test_api.py",
    "api:cancel_care_signup": "从业人员本人接口：只为本人取消，见 tests/care/test_api.py",
    "api:care_check_in": "从业人员本人接口：只为本人签到，见 tests/care/test_api.py",
}
