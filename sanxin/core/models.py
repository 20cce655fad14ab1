from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


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


class TimelineEvent(models.Model):
    """One step of an entity's workflow (sanxin.core.workflow): what happened, who, when, from which state to
    which; the entity's page shows them in order."""

    object_type = models.CharField("对象类型", max_length=64)  # the model's label, "census.censuscampaign"
    object_id = models.CharField("对象标识", max_length=64)
    transition = models.CharField("操作", max_length=64)
    label = models.CharField("操作名称", max_length=64)
    from_state = models.CharField("原状态", max_length=32, blank=True)
    to_state = models.CharField("新状态", max_length=32)
    to_state_label = models.CharField("新状态名称", max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)  # "系统" for the daily jobs
    note = models.CharField("说明", max_length=500, blank=True)
    occurred_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = "办理过程"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.label} {self.occurred_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """A message in a user's message centre (the default notification backend)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("标题", max_length=200)
    body = models.CharField("内容", max_length=1000, blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "消息"
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class UploadJob(BaseModel):
    """An uploaded file and the background work on it (an import, a comparison; reports later): who, which file,
    its state and progress, and what happened. The file lives under DATA_DIR/<UPLOAD_FOLDER> with a random name
    (sanxin.core.uploads) and is deleted after the retention; the job's results stay in the database."""

    UPLOAD_FOLDER = ""  # each kind of job its own folder under DATA_DIR
    RUNNING_STATUSES: tuple[str, ...] = ()
    FAILED_STATUS = "failed"
    # A running job reports its progress every few thousand rows and at every step; this long without a sign of
    # life, its worker was stopped or never started (sanxin.core.jobs.fail_stale marks it failed).
    STALE_AFTER = timedelta(hours=1)

    # Empty for work run from the shell by the operator (audited as "system").
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField("文件名", max_length=255)
    stored_name = models.CharField(max_length=64)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    message = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def finished(self) -> bool:
        return self.status not in self.RUNNING_STATUSES

    @property
    def stale(self) -> bool:
        return not self.finished and self.updated_at < timezone.now() - self.STALE_AFTER
