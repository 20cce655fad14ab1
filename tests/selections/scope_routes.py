"""Scope-test routes of selections; collected by tests/scope_registry.py."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from sanxin.selections.models import Campaign, Honour, Nomination
from tests.scope_registry import Entity, Route

# Seen by the units of its region and above, and by those inside it (they nominate).
CAMPAIGN = Entity(Campaign, region_code=lambda c: c.region_id, marker=lambda c: c.title, reaches_down=True)
# Seen by the units of the worker's region and above.
NOMINATION = Entity(Nomination, region_code=lambda n: n.region_id, marker=lambda n: n.deeds)
# The worker's own page: only their own honours.
MY_HONOUR = Entity(Honour, region_code=lambda h: None, marker=lambda h: h.title, personal=lambda h, user: h.worker.user_id == user.pk)


def make_world_selections(personas):
    """A campaign at every place run by the marked unit there, a rider at every place nominated to it (approved and
    honoured), and the worker persona honoured by the community's campaign."""
    from sanxin.accounts.models import Unit
    from sanxin.workers.models import Worker

    places = [u.region_id for u in Unit.objects.filter(name__startswith="标记单位").order_by("region_id")]
    now = timezone.now()
    persona_worker = Worker.objects.get(user=personas["worker"])
    for n, place in enumerate(places):
        campaign = Campaign.objects.create(
            title=f"标记评选{place}",
            kind="delivery",
            occupation="delivery_rider",
            region_id=place,
            unit=Unit.objects.get(name=f"标记单位{place}"),
            places=5,
            nominate_from=date(2026, 1, 1),
            nominate_until=date(2026, 1, 31),
            honour_title="最美外卖配送员",
            status="awarded",
            awarded_on=date(2026, 3, 1),
        )
        rider = Worker.objects.create(
            name=f"标记骑手{place}", phone=f"1380000{n:04d}", occupation="delivery_rider", region_id=place, consented_at=now
        )
        nominees = [(rider, f"标记事迹{place}", f"标记荣誉{place}")]
        if place == "360102002001":
            nominees.append((persona_worker, "标记事迹本人", "标记荣誉本人"))
        for worker, deeds, title in nominees:
            nomination = Nomination.objects.create(
                campaign=campaign, worker=worker, region_id=worker.region_id, deeds=deeds, nominator_kind="unit", status="approved"
            )
            Honour.objects.create(
                worker=worker,
                region_id=worker.region_id,
                title=title,
                campaign=campaign,
                nomination=nomination,
                awarded_on=date(2026, 3, 1),
            )


ROUTES: list = [
    Route("selections:list", "list", CAMPAIGN, "selections.view", list_url="/selections/?size=100"),
    Route("selections:export", "export", CAMPAIGN, "selections.view", list_url="/selections/export/"),
    Route("selections:detail", "detail", CAMPAIGN, "selections.view", url=lambda c: reverse("selections:detail", args=[c.pk])),
    Route("selections:nomination_export", "export", NOMINATION, "selections.view", list_url="/selections/nominations/export/"),
    Route("selections:my_honours", "list", MY_HONOUR, "selections.self_nominate", list_url="/w/honours/"),
    Route(
        "api:list_selection_campaigns",
        "api_list",
        CAMPAIGN,
        "selections.view",
        list_url="/api/v1/selections?limit=200",
        api_items=lambda data: [item["title"] for item in data["items"]],
    ),
    Route("api:get_selection_campaign", "api_detail", CAMPAIGN, "selections.view", url=lambda c: f"/api/v1/selections/{c.pk}"),
    Route(
        "api:list_selection_nominations",
        "api_list",
        NOMINATION,
        "selections.view",
        list_url="/api/v1/selections/nominations?limit=500",
        api_items=lambda data: [item["deeds"] for item in data["items"]],
    ),
    Route(
        "api:my_selection_honours",
        "api_list",
        MY_HONOUR,
        "selections.self_nominate",
        list_url="/api/v1/w/honours",
        api_items=lambda data: [item["title"] for item in data["items"]],
    ),
]
WORLD = (make_world_selections,)
EXEMPT: dict[str, str] = {
    "selections:create": "新增评选表单；评选范围须在本单位管辖范围内，见 tests/selections/test_workflow.py",
    "selections:act": "只收 POST；经 access_campaign(for_write=True) 取得（组织单位及上级），范围外 404，见 test_pages.py",
    "selections:nominate": "推荐表单；评选经 access_campaign 取得，被推荐人只在本单位管辖范围内选，见 tests/selections/test_pages.py",
    "selections:nomination_act": "只收 POST；经 access_nomination(for_write=True) 取得，范围外 404，见 tests/selections/test_pages.py",
    "selections:objection_act": "只收 POST；经 access_objection 取得（组织单位及其上级），范围外 404，见 tests/selections/test_pages.py",
    "selections:honour_revoke": "只收 POST；荣誉的推荐经 access_nomination(for_write=True) 取得，范围外 404，见 test_pages.py",
    "selections:notice_index": "公开的公示公告目录：只列公示中和已表彰的评选名称，不含个人信息，见 tests/selections/test_pages.py",
    "selections:notice": "公开的公示页面：只显示该评选审核通过的推荐，姓名脱敏（赵*跑），见 tests/selections/test_pages.py",
    "selections:notice_object": "只收 POST；登录后对公示对象提出异议，只认该评选公示中的推荐，见 tests/selections/test_pages.py",
    "selections:my_nominate": "只收 POST；从业人员自荐，只认面向本人职业和工作区域、正在推荐的评选，见 tests/selections/test_pages.py",
    "api:nominate_for_selection": "接口推荐；评选经 access_campaign、被推荐人经 scoped() 取得，见 tests/selections/test_api.py",
    "api:act_on_selection": "接口办理；经 access_campaign(for_write=True) 取得，范围外 404，见 tests/selections/test_api.py",
    "api:review_selection_nomination": "接口审核；经 access_nomination(for_write=True) 取得，范围外 404，见 tests/selections/test_api.py",
    "api:decide_selection_objection": "接口处理异议；经 access_objection 取得，范围外 404，见 tests/selections/test_api.py",
}
