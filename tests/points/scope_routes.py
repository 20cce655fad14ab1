"""Scope-test routes of points; collected by tests/scope_registry.py."""

from django.urls import reverse
from django.utils import timezone

from sanxin.points.models import EarningRule, PointsEntry, Redemption, Reward
from sanxin.workers.models import Worker
from tests.scope_registry import Entity, Route
from tests.workers.scope_routes import WORKER


def _worker_of(user):
    return Worker.objects.filter(user=user).first()


def _offered_to(reward, user) -> bool:
    """A worker sees the rewards offered where they work: the reward's region is their region or above it."""
    worker = _worker_of(user)
    return worker is not None and worker.region_id.startswith(reward.region_id) and reward.active


RULE = Entity(EarningRule, region_code=lambda r: r.region_code, marker=lambda r: r.note)
REWARD = Entity(Reward, region_code=lambda r: r.region_id, marker=lambda r: r.name)
MY_REWARD = Entity(Reward, region_code=lambda r: None, marker=lambda r: r.name, personal=_offered_to)
# Seen by the units of the reward's region (and above); by the worker themself on their own pages.
REDEMPTION = Entity(Redemption, region_code=lambda r: r.reward.region_id, marker=lambda r: r.code)
MY_REDEMPTION = Entity(
    Redemption, region_code=lambda r: None, marker=lambda r: r.code, personal=lambda r, user: r.worker.user_id == user.pk
)
MY_ENTRY = Entity(
    PointsEntry, region_code=lambda e: None, marker=lambda e: e.reason, personal=lambda e, user: e.account.worker.user_id == user.pk
)


def make_world_points(personas):
    """At every place: an earning rule, a reward offered by the marked unit there, a redemption of it by the worker
    persona (pending), and an earning of the worker persona that happened there."""
    from sanxin.accounts.models import Unit
    from sanxin.points.models import PointsAccount

    worker = Worker.objects.get(user=personas["worker"])
    account, _ = PointsAccount.objects.get_or_create(worker=worker)
    places = [u.region_id for u in Unit.objects.filter(name__startswith="标记单位").order_by("region_id")]
    balance = 0
    now = timezone.now()
    for n, place in enumerate(places):
        unit = Unit.objects.get(name=f"标记单位{place}")
        EarningRule.objects.create(kind="care_checkin", region_code=place, points=3, note=f"标记积分规则{place}")
        reward = Reward.objects.create(name=f"标记礼品{place}", kind="goods", cost=5, stock=10, unit=unit, region_id=place)
        balance += 10
        PointsEntry.objects.create(
            account=account,
            amount=10,
            balance_after=balance,
            kind="care_checkin",
            source=f"world:{place}",
            reason=f"标记积分{place}",
            region_code=place,
        )
        Redemption.objects.create(worker=worker, reward=reward, cost=5, code=f"9{n:07d}", requested_at=now)
    PointsAccount.objects.filter(pk=account.pk).update(balance=balance, earned=balance)


def _codes(data):
    return [item["code"] for item in data["items"]]


ROUTES: list = [
    Route("points:rules", "list", RULE, "points.rules", list_url="/points/rules/"),
    Route("points:rule_edit", "detail", RULE, "points.rules", url=lambda r: reverse("points:rule_edit", args=[r.pk])),
    Route("points:rewards", "list", REWARD, "points.view", list_url="/points/rewards/?size=100"),
    Route("points:reward_edit", "detail", REWARD, "points.view", url=lambda r: reverse("points:reward_edit", args=[r.pk])),
    Route("points:redemptions", "list", REDEMPTION, "points.view", list_url="/points/redemptions/?size=100"),
    Route("points:redemption_export", "export", REDEMPTION, "points.view", list_url="/points/redemptions/export/"),
    Route("points:redemption", "detail", REDEMPTION, "points.view", url=lambda r: reverse("points:redemption", args=[r.pk])),
    Route("points:worker_ledger", "detail", WORKER, "points.view", url=lambda w: reverse("points:worker_ledger", args=[w.pk])),
    Route("points:my_points", "list", MY_ENTRY, "points.redeem", list_url="/w/points/"),
    Route("points:my_rewards", "list", MY_REWARD, "points.redeem", list_url="/w/points/rewards/"),
    Route("points:my_redemptions", "list", MY_REDEMPTION, "points.redeem", list_url="/w/points/redemptions/"),
    Route("points:my_redemption", "detail", MY_REDEMPTION, "points.redeem", url=lambda r: reverse("points:my_redemption", args=[r.pk])),
    Route(
        "api:points_rules",
        "api_list",
        RULE,
        "points.rules",
        list_url="/api/v1/points/rules",
        api_items=lambda data: [item["note"] for item in data["items"]],
    ),
    Route(
        "api:points_rewards",
        "api_list",
        REWARD,
        "points.view",
        list_url="/api/v1/points/rewards?limit=200",
        api_items=lambda data: [item["name"] for item in data["items"]],
    ),
    Route(
        "api:points_redemptions", "api_list", REDEMPTION, "points.view", list_url="/api/v1/points/redemptions?limit=200", api_items=_codes
    ),
    Route("api:points_redemption", "api_detail", REDEMPTION, "points.view", url=lambda r: f"/api/v1/points/redemptions/{r.pk}"),
    Route("api:points_worker_entries", "api_detail", WORKER, "points.view", url=lambda w: f"/api/v1/points/workers/{w.pk}/entries"),
    Route(
        "api:my_points_entries",
        "api_list",
        MY_ENTRY,
        "points.redeem",
        list_url="/api/v1/w/points/entries?limit=200",
        api_items=lambda data: [item["reason"] for item in data["items"]],
    ),
    Route(
        "api:my_points_rewards",
        "api_list",
        MY_REWARD,
        "points.redeem",
        list_url="/api/v1/w/points/rewards",
        api_items=lambda data: [item["name"] for item in data["items"]],
    ),
    Route(
        "api:my_points_redemptions", "api_list", MY_REDEMPTION, "points.redeem", list_url="/api/v1/w/points/redemptions", api_items=_codes
    ),
    Route("api:my_points_redemption", "api_detail", MY_REDEMPTION, "points.redeem", url=lambda r: f"/api/v1/w/points/redemptions/{r.pk}"),
]
WORLD = (make_world_points,)
EXEMPT: dict[str, str] = {
    "points:report": "积分报表只按类别和地区汇总，记录经 scoped() 按发生地区裁剪，见 tests/points/test_pages.py",
    "points:report_export": "积分报表导出，同报表页按发生地区裁剪，见 tests/points/test_pages.py",
    "api:points_report": "积分报表接口，同报表页按发生地区裁剪，见 tests/points/test_api.py",
    "points:rule_delete": "只收 POST；经 access_rule 取得，范围外 404，见 tests/points/test_pages.py",
    "points:redemption_code": "按兑换码查找，只在本单位范围内（scoped）查找后转到详情页，见 tests/points/test_pages.py",
    "points:redemption_act": "只收 POST；经 access_redemption 取得，范围外 404，见 tests/points/test_pages.py",
    "api:points_redemption_act": "接口办理；经 access_redemption 取得，范围外 404，见 tests/points/test_api.py",
    "points:my_redeem": "只收 POST；经 access_my_reward 取得（只认本人所在地区及上级的礼品服务），见 tests/points/test_pages.py",
    "points:my_cancel": "只收 POST；经 access_my_redemption 取得（只认本人的兑换），见 tests/points/test_pages.py",
    "api:my_points_balance": "本人积分余额，只取本人账号（api_worker），见 tests/points/test_api.py",
    "api:my_points_redeem": "本人兑换；经 access_my_reward 取得，见 tests/points/test_api.py",
    "api:my_points_cancel": "本人取消兑换；经 access_my_redemption 取得，见 tests/points/test_api.py",
}
