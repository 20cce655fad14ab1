"""Redeeming, fulfilling and cancelling, and every rule refused in Chinese."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxin.core.models import AuditEvent, TimelineEvent
from sanxin.points import services
from sanxin.points.models import PointsAccount, PointsEntry, Redemption
from tests.points.conftest import days, earn, make_reward


def balance(worker):
    return PointsAccount.objects.get(worker=worker).balance


def test_redeem_takes_points_and_stock_and_leaves_a_timeline(personas, worker, reward):
    earn(worker, points=100)
    r = services.points_redeem(actor=personas["worker"], reward=reward)
    reward.refresh_from_db()
    assert (r.status, r.cost, len(r.code), reward.stock, balance(worker)) == ("requested", 30, 8, 4, 70)
    spend = PointsEntry.objects.get(source=f"redeem:{r.pk}")
    assert (spend.amount, spend.kind, spend.balance_after) == (-30, "redeem", 70)
    assert TimelineEvent.objects.filter(object_id=str(r.pk), object_type="points.redemption").count() == 1
    assert AuditEvent.objects.filter(action="points_redeem").exists()
    assert PointsAccount.objects.get(worker=worker).spent == 30


def test_the_same_client_key_is_one_redemption(personas, worker, reward):
    earn(worker, points=100)
    key = str(uuid.uuid4())
    first = services.points_redeem(actor=personas["worker"], reward=reward, client_key=key)
    second = services.points_redeem(actor=personas["worker"], reward=reward, client_key=key)
    assert first.pk == second.pk and Redemption.objects.count() == 1 and balance(worker) == 70


def test_insufficient_points_are_refused(personas, worker, reward):
    earn(worker, points=29)
    with pytest.raises(ValidationError, match="积分不足：兑换“免费健康体检”需要 30 分，您现有 29 分"):
        services.points_redeem(actor=personas["worker"], reward=reward)
    reward.refresh_from_db()
    assert reward.stock == 5 and balance(worker) == 29 and not Redemption.objects.exists()


def test_out_of_stock_is_refused(personas, worker):
    earn(worker, points=100)
    reward = make_reward(stock=0)
    with pytest.raises(ValidationError, match="已兑完"):
        services.points_redeem(actor=personas["worker"], reward=reward)
    assert balance(worker) == 100


def test_expired_and_withdrawn_rewards_are_refused(personas, worker):
    earn(worker, points=100)
    with pytest.raises(ValidationError, match="已过兑换截止日期"):
        services.points_redeem(actor=personas["worker"], reward=make_reward(valid_until=days(-1)))
    with pytest.raises(ValidationError, match="已下架"):
        services.points_redeem(actor=personas["worker"], reward=make_reward(name="下架", active=False))
    services.points_redeem(actor=personas["worker"], reward=make_reward(name="今天截止", valid_until=days(0)))


def test_another_countys_reward_is_refused(personas, worker, far_reward):
    earn(worker, points=100)
    with pytest.raises(ValidationError, match="只面向"):
        services.points_redeem(actor=personas["worker"], reward=far_reward)


def test_staff_cannot_redeem(personas, reward):
    with pytest.raises(PermissionDenied):
        services.points_redeem(actor=personas["county"], reward=reward)


def test_worker_cancels_before_fulfilment_and_gets_points_back(personas, worker, reward):
    earn(worker, points=100)
    r = services.points_redeem(actor=personas["worker"], reward=reward)
    services.points_redemption_cancel(actor=personas["worker"], redemption=r)
    r.refresh_from_db()
    reward.refresh_from_db()
    assert (r.status, reward.stock, balance(worker)) == ("cancelled", 5, 100)
    refund = PointsEntry.objects.get(source=f"refund:{r.pk}")
    assert refund.reversal_of.source == f"redeem:{r.pk}" and refund.amount == 30
    assert PointsAccount.objects.get(worker=worker).spent == 0
    with pytest.raises(ValidationError, match="当前状态为“已取消”，不能取消兑换"):
        services.points_redemption_cancel(actor=personas["worker"], redemption=r)
    assert balance(worker) == 100


def test_cancel_after_fulfilment_is_refused(personas, worker, reward):
    earn(worker, points=100)
    r = services.points_redeem(actor=personas["worker"], reward=reward)
    with pytest.raises(ValidationError, match="兑换码不符"):
        services.points_redemption_fulfil(actor=personas["county"], redemption=r, code="00000000" if r.code != "00000000" else "11111111")
    services.points_redemption_fulfil(actor=personas["county"], redemption=r, code=r.code)
    with pytest.raises(ValidationError, match="当前状态为“已领取”，不能取消兑换"):
        services.points_redemption_cancel(actor=personas["worker"], redemption=r)
    with pytest.raises(ValidationError, match="不能取消兑换"):
        services.points_redemption_revoke(actor=personas["county"], redemption=r, note="误操作")
    assert balance(worker) == 70


def test_staff_revoke_needs_a_reason_and_refunds(personas, worker, reward):
    earn(worker, points=100)
    r = services.points_redeem(actor=personas["worker"], reward=reward)
    with pytest.raises(ValidationError, match="请填写取消原因"):
        services.points_redemption_revoke(actor=personas["county"], redemption=r, note="")
    services.points_redemption_revoke(actor=personas["county"], redemption=r, note="体检名额已满")
    assert balance(worker) == 100


def test_another_county_cannot_fulfil_or_revoke(personas, worker, reward):
    earn(worker, points=100)
    r = services.points_redeem(actor=personas["worker"], reward=reward)
    with pytest.raises(ValidationError, match="不在本单位管辖范围内"):
        services.points_redemption_fulfil(actor=personas["other_county"], redemption=r, code=r.code)
    with pytest.raises(ValidationError, match="不在本单位管辖范围内"):
        services.points_redemption_revoke(actor=personas["other_county"], redemption=r, note="x")


def test_another_worker_cannot_cancel(personas, worker, reward, other_worker):
    from sanxin.accounts.services import grant_initial_roles

    earn(worker, points=100)
    r = services.points_redeem(actor=personas["worker"], reward=reward)
    other_user = personas["worker"].__class__.objects.create(username="worker2")
    grant_initial_roles(user=other_user, roles=["worker"])
    other_worker.user = other_user
    other_worker.save()
    with pytest.raises(ValidationError, match="只有兑换人本人可以取消"):
        services.points_redemption_cancel(actor=other_user, redemption=r)


@pytest.mark.parametrize(
    "field, value, reason",
    [
        ("cost", "-5", "所需积分不能小于 1"),
        ("cost", "0", "所需积分不能小于 1"),
        ("cost", "99999999999", "所需积分不能大于"),
        ("cost", "1e3", "所需积分须为整数"),
        ("cost", "", "请填写所需积分"),
        ("stock", "-1", "库存不能小于 0"),
        ("stock", "12\x00", "库存须为整数"),
        ("name", "体检\x00", "名称含有不可见的控制字符"),
        ("name", "", "请填写名称"),
        ("region_code", "360103", "不在本单位管辖范围内"),
        ("region_code", "999999", "请填写适用地区的区划代码"),
    ],
)
def test_reward_form_values_are_refused(personas, field, value, reason):
    data = {"name": "免费理发", "kind": "service", "cost": "20", "stock": "10", "region_code": "360102"}
    with pytest.raises(ValidationError) as caught:
        services.points_reward_save(actor=personas["county"], **(data | {field: value}))
    assert reason in " ".join(caught.value.messages)


def test_full_width_numbers_are_read(personas):
    reward = services.points_reward_save(
        actor=personas["county"], name="免费理发", kind="service", cost="２０", stock="１０", region_code="３６０１０２"
    )
    assert (reward.cost, reward.stock, reward.region_id) == (20, 10, "360102")


def test_reward_edit_is_audited_with_old_and_new(personas, reward):
    services.points_reward_save(
        actor=personas["county"], reward=reward, name=reward.name, kind="service", cost="40", stock="5", region_code="360102"
    )
    event = AuditEvent.objects.filter(action="points_reward_save").latest("pk")
    assert event.detail["changes"]["cost"] == {"old": 30, "new": 40}


def test_another_countys_reward_cannot_be_edited(personas, far_reward):
    with pytest.raises(PermissionDenied):
        services.points_reward_save(
            actor=personas["county"], reward=far_reward, name="x", kind="service", cost="1", stock="1", region_code="360102"
        )


@pytest.mark.parametrize(
    "field, value, reason",
    [
        ("points", "-1", "积分不能小于 0"),
        ("points", "１０００００１", "积分不能大于"),
        ("points", "abc", "积分须为整数"),
        ("region_code", "", "不在本单位管辖范围内"),  # the whole country is not the county's
        ("region_code", "360103", "不在本单位管辖范围内"),
        ("kind", "bogus", "积分事项不在可选范围内"),
    ],
)
def test_rule_values_are_refused(personas, field, value, reason):
    data = {"kind": "hazard_valid", "region_code": "360102", "points": "12"}
    with pytest.raises(ValidationError) as caught:
        services.points_rule_save(actor=personas["county"], **(data | {field: value}))
    assert reason in " ".join(caught.value.messages)


def test_rule_save_twice_is_refused_and_edit_is_audited(personas):
    rule = services.points_rule_save(actor=personas["county"], kind="hazard_valid", region_code="360102", points="１２")
    assert rule.points == 12
    with pytest.raises(ValidationError, match="已有积分规则"):
        services.points_rule_save(actor=personas["county"], kind="hazard_valid", region_code="360102", points="5")
    services.points_rule_save(actor=personas["county"], rule=rule, kind="hazard_valid", region_code="360102", points="15")
    assert AuditEvent.objects.filter(action="points_rule_save").latest("pk").detail["changes"]["points"] == {"old": 12, "new": 15}
    with pytest.raises(PermissionDenied):
        services.points_rule_save(actor=personas["township"], kind="hazard_valid", region_code="360102002", points="5")
