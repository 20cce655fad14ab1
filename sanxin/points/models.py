"""Points (积分): an account per worker, an append-only ledger with one entry per source event, earning rules per
region, a rewards catalogue with stock and redemptions through one workflow (sanxin.points.workflow).

The balance can never go negative: the database refuses it (a CheckConstraint on the account and on every entry's
balance_after) and the services refuse first with a Chinese reason. Every change of a balance locks the account row
(SELECT … FOR UPDATE) in the same transaction as its ledger entry, so concurrent postings and redemptions
serialize per worker. A ledger entry is never updated or deleted by a service; a correction or a refund is a new
entry that reverses the first (`reversal_of`, unique: an entry is reversed once). Only the erasure of a worker
(the "workers.erased" event) deletes their account, entries and redemptions.

Scope: an account, its entries and the worker's ledger page are seen where the worker is seen (the worker's
region); a ledger entry's figures are counted where it happened (`region_code`); a reward and its redemptions are
seen by the units of the reward's region (and above) and by the worker themself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from sanxin.core.models import BaseModel

REASON_MAX = 200
NAME_MAX = 60
DESCRIPTION_MAX = 1000
POINTS_MAX = 100_000  # one rule, one reward's cost, one fixed award
STOCK_MAX = 1_000_000


class EarningKind(models.TextChoices):
    HAZARD_VALID = "hazard_valid", "随手拍核实有效"
    VOLUNTEER_HOURS = "volunteer_hours", "志愿服务时长（每小时）"
    CARE_CHECKIN = "care_checkin", "参加关爱活动"
    SELECTION_AWARD = "selection_award", "最美评选获奖"


class EntryKind(models.TextChoices):
    HAZARD_VALID = "hazard_valid", "随手拍核实有效"
    VOLUNTEER_HOURS = "volunteer_hours", "志愿服务"
    CARE_CHECKIN = "care_checkin", "参加关爱活动"
    SELECTION_AWARD = "selection_award", "最美评选获奖"
    REDEEM = "redeem", "兑换礼品服务"
    REFUND = "refund", "取消兑换退回"
    WITHDRAWN = "withdrawn", "撤销积分"


EARNING_KINDS = frozenset(EarningKind.values)


class EarningRule(BaseModel):
    """Points per unit for `kind` earned in the region `region_code` or below (empty: the whole country); the
    longest matching prefix wins. An inactive rule (or 0 points) at a more specific prefix switches earning off
    there."""

    kind = models.CharField("积分事项", max_length=20, choices=EarningKind.choices)
    region_code = models.CharField("地区代码", max_length=12, blank=True, help_text="空为全国")
    points = models.PositiveIntegerField("每次（每小时）积分")
    active = models.BooleanField("启用", default=True)
    note = models.CharField("说明", max_length=200, blank=True)

    scope_region_field = "region_code"

    class Meta:
        ordering = ["kind", "region_code"]
        verbose_name = "积分规则"
        constraints = [
            models.UniqueConstraint(fields=["kind", "region_code"], name="points_rule_once"),
            models.CheckConstraint(condition=Q(points__lte=POINTS_MAX), name="points_rule_points_max"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.region_code or '全国'} {self.points}"


class PointsAccount(BaseModel):
    worker = models.OneToOneField("workers.Worker", verbose_name="从业人员", on_delete=models.CASCADE, related_name="points_account")
    balance = models.IntegerField("积分余额", default=0)
    earned = models.IntegerField("累计获得", default=0)
    spent = models.IntegerField("累计使用", default=0)

    scope_region_field = "worker__region__code"

    class Meta:
        verbose_name = "积分账户"
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="points_balance_not_negative")]

    def __str__(self):
        return f"积分账户 {self.worker_id}：{self.balance}"

    @staticmethod
    def scope_personal(user) -> Q:
        return Q(worker__user=user)


class PointsEntry(models.Model):
    """One line of the ledger. `source` names the event that caused it, once (a hazard report, a service record,
    a redemption, a refund)."""

    account = models.ForeignKey(PointsAccount, verbose_name="积分账户", on_delete=models.CASCADE, related_name="entries")
    amount = models.IntegerField("积分变动")
    balance_after = models.IntegerField("变动后余额")
    kind = models.CharField("类别", max_length=20, choices=EntryKind.choices)
    source = models.CharField("来源", max_length=100, unique=True)
    reason = models.CharField("事由", max_length=REASON_MAX)
    region_code = models.CharField("发生地区", max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reversal_of = models.OneToOneField(
        "self", verbose_name="冲正的记录", null=True, blank=True, on_delete=models.CASCADE, related_name="reversed_by"
    )
    shortfall = models.PositiveIntegerField("未能扣回", default=0)  # a withdrawal larger than the balance left
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    scope_region_field = "region_code"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "积分记录"
        indexes = [
            models.Index(fields=["account", "-created_at"], name="points_entry_account"),
            models.Index(fields=["region_code", "created_at"], name="points_entry_region"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="points_entry_balance_not_negative"),
            models.CheckConstraint(condition=~Q(amount=0) | Q(shortfall__gt=0), name="points_entry_amount_nonzero"),
        ]

    def __str__(self):
        return f"{self.source} {self.amount:+d}"


class RewardKind(models.TextChoices):
    GOODS = "goods", "实物"
    SERVICE = "service", "服务"


class Reward(BaseModel):
    name = models.CharField("名称", max_length=NAME_MAX)
    kind = models.CharField("类型", max_length=8, choices=RewardKind.choices)
    description = models.CharField("说明", max_length=DESCRIPTION_MAX, blank=True)
    cost = models.PositiveIntegerField("所需积分")
    stock = models.IntegerField("库存")
    unit = models.ForeignKey("accounts.Unit", verbose_name="提供单位", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name="适用地区", on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField("上架", default=True)
    valid_until = models.DateField("兑换截止日期", null=True, blank=True)

    scope_region_field = "region__code"

    class Meta:
        ordering = ["cost", "pk"]
        verbose_name = "礼品服务"
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="points_reward_stock_not_negative"),
            models.CheckConstraint(condition=Q(cost__gt=0) & Q(cost__lte=POINTS_MAX), name="points_reward_cost_range"),
        ]

    def __str__(self):
        return self.name


class RedemptionStatus(models.TextChoices):
    REQUESTED = "requested", "待领取"
    FULFILLED = "fulfilled", "已领取"
    CANCELLED = "cancelled", "已取消"


class Redemption(BaseModel):
    worker = models.ForeignKey("workers.Worker", verbose_name="从业人员", on_delete=models.CASCADE, related_name="redemptions")
    reward = models.ForeignKey(Reward, verbose_name="礼品服务", on_delete=models.PROTECT, related_name="redemptions")
    cost = models.PositiveIntegerField("使用积分")
    status = models.CharField("状态", max_length=10, choices=RedemptionStatus.choices, default=RedemptionStatus.REQUESTED)
    code = models.CharField("兑换码", max_length=8, unique=True)
    requested_at = models.DateTimeField("兑换时间")
    fulfilled_at = models.DateTimeField("领取时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    client_key = models.UUIDField("客户端提交标识", null=True, blank=True, editable=False)

    scope_region_field = "reward__region__code"

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = "兑换记录"
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "client_key"], condition=Q(client_key__isnull=False), name="redemption_once_per_client_key"
            )
        ]

    def __str__(self):
        return f"兑换 {self.code}"

    @staticmethod
    def scope_personal(user) -> Q:
        return Q(worker__user=user)
