"""Scope-test routes of workers; collected by tests/scope_registry.py."""

from django.urls import reverse

from sanxin.workers.models import Worker
from tests.scope_registry import Entity, Route

# Seen by the units of its work region and above (not cut by industry or zone); without territory, by the worker themself.
WORKER = Entity(Worker, region_code=lambda w: w.region_id, marker=lambda w: w.name, personal=lambda w, user: w.user_id == user.pk)


def make_world_workers(personas):
    """A worker at every place of the world (the phone numbers are made up and distinct)."""
    from sanxin.accounts.models import Unit

    places = sorted({u.region_id for u in Unit.objects.filter(name__startswith="标记单位")})
    for n, place in enumerate(places):
        Worker.objects.create(name=f"标记从业人员{place}", phone=f"1350000{n:04d}", occupation="courier", region_id=place)


ROUTES: list = [
    Route("workers:worker_list", "list", WORKER, "workers.view", list_url="/workers/?size=100"),
    Route("workers:worker_export", "export", WORKER, "workers.view", list_url="/workers/export/"),
    Route("workers:worker_detail", "detail", WORKER, "workers.view", url=lambda w: reverse("workers:worker_detail", args=[w.pk])),
    Route("workers:worker_unmask", "detail", WORKER, "workers.unmask", url=lambda w: reverse("workers:worker_unmask", args=[w.pk])),
    Route("workers:worker_edit", "detail", WORKER, "workers.manage", url=lambda w: reverse("workers:worker_edit", args=[w.pk])),
    Route(
        "api:list_workers",
        "api_list",
        WORKER,
        "workers.view",
        list_url="/api/v1/workers?limit=200",
        api_items=lambda data: [item["name"] for item in data["items"]],
    ),
    Route("api:get_worker", "api_detail", WORKER, "workers.view", url=lambda w: f"/api/v1/workers/{w.pk}"),
]
WORLD = (make_world_workers,)
PHONE = "从业人员本人页面：只取本人账号的记录（worker_of(request.user)），不接受编号，见 tests/workers/test_phone_pages.py"
EXEMPT: dict[str, str] = {
    "workers:worker_create": "登记表单；工作区域只能选本单位范围内的区划，见 tests/workers/test_staff_pages.py",
    "workers:platform_list": "平台名录是全国共用的参考数据（平台名称、类型、账号单位），不含个人信息，也不按区划裁剪",
    "workers:platform_create": "维护平台名录（workers.platforms），不含个人信息，见 tests/workers/test_staff_pages.py",
    "workers:platform_edit": "维护平台名录（workers.platforms），不含个人信息，见 tests/workers/test_staff_pages.py",
    "workers:w_login": "从业人员登录页（手机号 + 验证码），不显示任何对象",
    "workers:w_logout": "退出登录，只收 POST",
    "workers:w_register": "刚验证过的手机号注册本人，见 tests/workers/test_login.py",
    "workers:w_regions": "行政区划名称和代码（公开信息），只对从业人员或刚验证手机号的人开放，见 tests/workers/test_login.py",
    "workers:w_consent": PHONE,
    "workers:w_home": PHONE,
    "workers:w_me": PHONE,
    "workers:w_me_unmask": PHONE,
    "workers:w_me_edit": PHONE,
    "workers:w_me_area": PHONE,
    "workers:w_me_export": PHONE,
    "workers:w_me_delete": PHONE,
    "api:get_me": PHONE,
    "api:update_me": PHONE,
    "api:export_me": PHONE,
}
