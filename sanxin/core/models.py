from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class BaseModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"
    DENIED = "denied", "拒绝"


class AuditEvent(models.Model):
    """One line of the append-only audit trail. `chain` = HMAC-SM3(previous chain + this row)."""

    occurred_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象标识", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    outcome = models.CharField("结果", max_length=16, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    request_id = models.CharField("请求号", max_length=64, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    chain = models.CharField("链值", max_length=64)

    class Meta:
        ordering = ["-id"]
        verbose_name = "审计事件"

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action}"


class AuditChainHead(models.Model):
    """A single row that serializes appends and remembers the last chain value (detects a dropped tail)."""

    last_event_id = models.BigIntegerField(default=0)
    last_chain = models.CharField(max_length=64, default="")
    # After a retention purge the chain restarts from this anchor.
    anchor_event_id = models.BigIntegerField(default=0)
    anchor_chain = models.CharField(max_length=64, default="")
    # HMAC-SM3 over the four values above: moving the head back or the anchor forward by hand shows.
    mac = models.CharField(max_length=64, default="")

    def __str__(self):
        return f"审计链头 #{self.last_event_id}"


class ScheduledRun(models.Model):
    """A daily job's claim on a day: the unique pair makes it run once a day, however often the scheduler calls."""

    job = models.CharField("任务", max_length=64)
    day = models.DateField("日期")
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    result = models.JSONField("结果", default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="scheduled_run_once_a_day")]
        verbose_name = "定时任务记录"

    def __str__(self):
        return f"{self.job} {self.day}"
