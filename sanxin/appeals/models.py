"""Appeals (诉求, "急难愁盼"): raised by a worker on their phone or by staff on their behalf, or a firm's own
difficulty (助企服务); routed by region and category to the responsible unit (RoutingRule), handled to the end
through one workflow (sanxin.appeals.workflow) with deadlines in working days on the Chinese calendar
(sanxin.appeals.deadlines), escalated up the hierarchy when overdue.

Who sees an appeal: the units of its region (and above), the unit it is assigned to (and above it, when it was
transferred elsewhere: `scope_seen_through`), the worker themself, and the staff of the platform it is about —
those never see the worker's identity when the shield is on (sanxin.appeals.shield).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sanxin.core.fields import EncryptedField
from sanxin.core.models import BaseModel
from sanxin.core.roles import Role

TEXT_MAX = 2000
REPLY_MAX = 2000
PLACE_MAX = 200
NOTE_MAX = 500
MAX_PHOTOS = 6


class AppealKind(models.TextChoices):
    WORKER = "worker", "从业人员诉求"
    FIRM = "firm", "助企服务"


class AppealCategory(models.TextChoices):
    WAGES = "wages", "工资报酬"
    INJURY = "injury", "职业伤害保障"
    DISPUTE = "dispute", "劳动争议"
    PLATFORM_RULES = "platform_rules", "平台规则与罚款"
    ACCESS = "access", "通行与停车"
    AMENITIES = "amenities", "就餐饮水如厕休息"
    HOUSING = "housing", "住房"
    SCHOOLING = "schooling", "子女入学"
    HEALTH = "health", "健康"
    TRAINING = "training", "技能培训与职业发展"
    LEGAL_AID = "legal_aid", "法律援助"
    OTHER = "other", "其他"
    # A firm's own difficulty (助企服务)
    FIRM_FINANCING = "firm_financing", "融资与资金"
    FIRM_RECRUITING = "firm_recruiting", "招工用工"
    FIRM_PREMISES = "firm_premises", "场地与经营"
    FIRM_POLICY = "firm_policy", "政策咨询与落实"
    FIRM_OTHER = "firm_other", "其他企业困难"


FIRM_CATEGORIES = frozenset(c for c in AppealCategory.values if c.startswith("firm_"))
WORKER_CATEGORIES = frozenset(c for c in AppealCategory.values if not c.startswith("firm_"))


class AppealStatus(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    ACCEPTED = "accepted", "已受理"
    IN_PROGRESS = "in_progress", "办理中"
    WAITING = "waiting", "待诉求人答复"
    RESOLVED = "resolved", "已办结待评价"
    RATED = "rated", "已评价"
    CLOSED = "closed", "已关闭"
    RETURNED = "returned", "已退回"


# Open: the clock runs (WAITING pauses it); these may escalate when overdue.
CLOCK_RUNNING = (AppealStatus.SUBMITTED, AppealStatus.ACCEPTED, AppealStatus.IN_PROGRESS)
OPEN_STATUSES = (*CLOCK_RUNNING, AppealStatus.WAITING)
DONE_STATUSES = (AppealStatus.RESOLVED, AppealStatus.RATED, AppealStatus.CLOSED)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Appeal(BaseModel):
    UPLOAD_FOLDER = "appeal-photos"

    worker = models.ForeignKey(
        "workers.Worker", verbose_name="诉求人", null=True, blank=True, on_delete=models.SET_NULL, related_name="appeals"
    )
    # Staff who raised it on a worker's (or a firm's) behalf; empty when the worker raised it themself.
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="代为登记人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    firm_name = models.CharField("企业名称", max_length=100, blank=True)  # a firm's difficulty (助企服务)
    kind = models.CharField("诉求类型", max_length=8, choices=AppealKind.choices, default=AppealKind.WORKER)
    category = models.CharField("诉求类别", max_length=20, choices=AppealCategory.choices)
    text = EncryptedField("诉求内容", kind="text")
    place = models.CharField("发生地点", max_length=PLACE_MAX)
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    platform = models.ForeignKey(
        "workers.Platform", verbose_name="涉及平台", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    shielded = models.BooleanField("对平台隐藏诉求人身份", default=False)
    status = models.CharField("状态", max_length=16, choices=AppealStatus.choices, default=AppealStatus.SUBMITTED)
    unit = models.ForeignKey("accounts.Unit", verbose_name="承办单位", on_delete=models.PROTECT, related_name="appeals")
    escalation_level = models.PositiveSmallIntegerField("升级次数", default=0)
    submitted_at = models.DateTimeField("提交时间")
    accept_due_at = models.DateTimeField("受理时限")
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    started_at = models.DateTimeField("开始办理时间", null=True, blank=True)
    due_at = models.DateTimeField("办理时限")
    paused_at = models.DateTimeField("暂停计时时间", null=True, blank=True)  # waiting for the worker's answer
    question = models.CharField("待答复问题", max_length=NOTE_MAX, blank=True)
    reply = EncryptedField("办理答复", kind="text", blank=True, default="")
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    rating = models.CharField("评价", max_length=12, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    reopened = models.BooleanField("已重新办理", default=False)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    client_key = models.UUIDField("离线提交标识", null=True, blank=True)

    scope_region_field = "region__code"
    # Transferred to a unit elsewhere: that unit (and the units above it) see it too.
    scope_seen_through = "unit"

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "诉求"
        indexes = [
            models.Index(fields=["status", "due_at"], name="appeal_status_due"),
            models.Index(fields=["unit", "status"], name="appeal_unit_status"),
            models.Index(fields=["region", "category", "status"], name="appeal_region_category"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "client_key"], condition=models.Q(client_key__isnull=False), name="appeal_client_key_once"
            ),
            models.CheckConstraint(
                condition=(models.Q(longitude__isnull=True) & models.Q(latitude__isnull=True))
                | (models.Q(longitude__gte=73, longitude__lte=136) & models.Q(latitude__gte=3, latitude__lte=54)),
                name="appeal_position_in_china",
            ),
        ]

    def __str__(self):
        return f"诉求 {self.number}"

    @property
    def number(self) -> str:
        return f"SQ{self.pk:08d}" if self.pk else "SQ(新)"

    @staticmethod
    def scope_personal(user) -> models.Q:
        """Without territory: a platform's Party committee sees the appeals about its platform; a worker their own."""
        condition = models.Q(worker__user=user)
        if user.has_role(Role.PLATFORM_STAFF) and user.unit_id:
            condition |= models.Q(platform__unit_id=user.unit_id)
        return condition


class AppealPhoto(BaseModel):
    appeal = models.ForeignKey(Appeal, verbose_name="诉求", on_delete=models.CASCADE, related_name="photos")
    stored_name = models.CharField(max_length=64)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = "诉求照片"

    def __str__(self):
        return self.stored_name


class AppealSupporter(BaseModel):
    """ "我也遇到了": another worker joins an open appeal instead of raising the same one again (once each)."""

    appeal = models.ForeignKey(Appeal, verbose_name="诉求", on_delete=models.CASCADE, related_name="supporters")
    worker = models.ForeignKey("workers.Worker", verbose_name="从业人员", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["pk"]
        verbose_name = "诉求附议"
        constraints = [
            models.UniqueConstraint(fields=["appeal", "worker"], condition=models.Q(worker__isnull=False), name="appeal_support_once")
        ]

    def __str__(self):
        return f"{self.appeal_id}+{self.worker_id}"


class RoutingRule(BaseModel):
    """An appeal of `category` (empty: any) raised in `region` or below goes to `unit`; the longest region code
    wins, a category rule before an any-category one at the same region."""

    region = models.ForeignKey("regions.Region", verbose_name="地区", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("诉求类别", max_length=20, choices=AppealCategory.choices, blank=True)
    unit = models.ForeignKey("accounts.Unit", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)

    scope_region_field = "region__code"

    class Meta:
        ordering = ["region_id", "category"]
        verbose_name = "诉求分派规则"
        constraints = [models.UniqueConstraint(fields=["region", "category"], name="routing_rule_once")]

    def __str__(self):
        return f"{self.region_id} {self.get_category_display() or '全部类别'} → {self.unit}"
