"""Scope-test routes of appeals; collected by tests/scope_registry.py."""

import hashlib

from django.urls import reverse
from django.utils import timezone

from sanxin.appeals.models import Appeal, AppealPhoto, RoutingRule
from tests.scope_registry import Entity, Route


def _platform_staff(appeal, user) -> bool:
    """Without territory: a platform's Party committee sees the appeals about its platform."""
    return (
        appeal.platform_id is not None
        and appeal.platform.unit_id is not None
        and appeal.platform.unit_id == user.unit_id
        and user.roles.filter(role="platform_staff").exists()
    )


# Seen by the units of its region (and above) and by the unit it is assigned to (and above); by the staff of the
# platform it is about.
APPEAL = Entity(
    Appeal,
    region_code=lambda a: a.region_id,
    marker=lambda a: a.place,
    personal=_platform_staff,
    places=lambda a: [(a.region_id, None, None), (a.unit.region_id, None, None)],
)
# The worker's own pages: only their own appeals.
MINE = Entity(
    Appeal,
    region_code=lambda a: None,
    marker=lambda a: a.place,
    personal=lambda a, user: a.worker is not None and a.worker.user_id == user.pk,
)
RULE = Entity(RoutingRule, region_code=lambda r: r.region_id, marker=lambda r: r.note)


def make_world_appeals(personas):
    """An appeal at every place, assigned to the marked unit there; every other one about 美团外卖 (shielded); the
    worker persona's own at three places; one at the community transferred to the other county's unit; a routing
    rule at every place; a photo on each appeal."""
    from sanxin.accounts.models import Unit
    from sanxin.core.photos import photo_path
    from sanxin.workers.models import Platform, Worker

    platform, _ = Platform.objects.get_or_create(name="美团外卖", defaults={"kind": "food_delivery", "unit": personas["platform"].unit})
    worker = Worker.objects.get(user=personas["worker"])
    places = [u.region_id for u in Unit.objects.filter(name__startswith="标记单位").order_by("region_id")]
    now = timezone.now()
    made = []
    for n, place in enumerate(places):
        unit = Unit.objects.get(name=f"标记单位{place}")
        made.append(
            Appeal.objects.create(
                worker=worker if n % 3 == 0 else None,
                category="access",
                text=f"标记诉求内容{place}",
                place=f"标记诉求{place}",
                region_id=place,
                platform=platform if n % 2 == 0 else None,
                shielded=n % 2 == 0,
                unit=unit,
                submitted_at=now,
                accept_due_at=now,
                due_at=now,
            )
        )
        RoutingRule.objects.create(region_id=place, category="wages", unit=unit, note=f"标记规则{place}")
    made.append(
        Appeal.objects.create(
            category="wages",
            text="标记转办",
            place="标记诉求转办到西湖区",
            region_id="360102002001",
            unit=Unit.objects.get(name="标记单位360103"),
            submitted_at=now,
            accept_due_at=now,
            due_at=now,
        )
    )
    for appeal in made:
        name = hashlib.sha256(appeal.place.encode()).hexdigest()[:32] + ".jpg"
        photo_path(Appeal.UPLOAD_FOLDER, name).write_bytes(b"\xff\xd8\xff\xe0" + appeal.place.encode())
        AppealPhoto.objects.create(appeal=appeal, stored_name=name, width=1, height=1, size=10)


def _photo(appeal, name):
    return reverse(name, args=[appeal.pk, appeal.photos.first().pk])


ROUTES: list = [
    Route("appeals:list", "list", APPEAL, "appeals.view", list_url="/appeals/?size=100"),
    Route("appeals:export", "export", APPEAL, "appeals.view", list_url="/appeals/export/"),
    Route("appeals:detail", "detail", APPEAL, "appeals.view", url=lambda a: reverse("appeals:detail", args=[a.pk])),
    Route("appeals:photo", "detail", APPEAL, "appeals.view", url=lambda a: _photo(a, "appeals:photo")),
    Route("appeals:routing", "list", RULE, "appeals.route", list_url="/appeals/routing/"),
    Route("appeals:routing_edit", "detail", RULE, "appeals.route", url=lambda r: reverse("appeals:routing_edit", args=[r.pk])),
    Route("appeals:my_list", "list", MINE, "appeals.raise", list_url="/w/appeals/"),
    Route("appeals:my_detail", "detail", MINE, "appeals.raise", url=lambda a: reverse("appeals:my_detail", args=[a.pk])),
    Route("appeals:my_photo", "detail", MINE, "appeals.raise", url=lambda a: _photo(a, "appeals:my_photo")),
    Route(
        "api:list_appeals",
        "api_list",
        APPEAL,
        "appeals.view",
        list_url="/api/v1/appeals?limit=200",
        api_items=lambda data: [item["place"] for item in data["items"]],
    ),
    Route("api:get_appeal", "api_detail", APPEAL, "appeals.view", url=lambda a: f"/api/v1/appeals/{a.pk}"),
    Route(
        "api:my_appeals",
        "api_list",
        MINE,
        "appeals.raise",
        list_url="/api/v1/w/appeals",
        api_items=lambda data: [item["place"] for item in data["items"]],
    ),
    Route("api:my_appeal", "api_detail", MINE, "appeals.raise", url=lambda a: f"/api/v1/w/appeals/{a.pk}"),
]
WORLD = (make_world_appeals,)
EXEMPT: dict[str, str] = {
    "appeals:act": "只收 POST；经 access_appeal(for_write=True) 取得（承办单位及其上级），范围外 404，见 tests/appeals/test_pages.py",
    "appeals:create": "代为登记表单；所在区划须在本单位管辖范围内，诉求人按手机号只在本范围内查找，见 tests/appeals/test_pages.py",
    "appeals:routing_delete": "只收 POST；经 access_rule 取得，范围外 404，见 tests/appeals/test_pages.py",
    "appeals:rates": "三率只按单位和地区汇总，经 scoped() 裁剪，见 tests/appeals/test_figures.py",
    "appeals:my_new": "从业人员提出诉求的表单；附近同类诉求只显示类别、地点和状态，不显示诉求人，见 tests/appeals/test_pages.py",
    "appeals:my_nearby": "重复检查：附近同类未办结诉求只显示类别、地点和状态，不显示诉求人，见 tests/appeals/test_pages.py",
    "appeals:my_support": "只收 POST；“我也遇到了”附议未办结诉求，不显示诉求人，见 tests/appeals/test_workflow.py",
    "appeals:my_act": "只收 POST；经 access_my_appeal 取得（只认本人的诉求），见 tests/appeals/test_pages.py",
    "api:act": "接口办理；经 access_appeal(for_write=True) 取得，范围外 404，见 tests/appeals/test_api.py",
    "api:raise_appeal": "从业人员本人提出诉求，见 tests/appeals/test_api.py",
    "api:my_act": "本人答复、评价、重新办理；经 access_my_appeal 取得，见 tests/appeals/test_api.py",
}
