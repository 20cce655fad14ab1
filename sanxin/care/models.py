"""Care activities (关爱活动) for new employment groups: a street or county runs a birthday party, a free clinic, a
training …; workers sign up on their phone within the capacity and check in at the activity with its printed code;
staff check in by hand and count walk-ins. People served = checked-in sign-ups + walk-ins.

An activity is seen by the units of its region and above; a sign-up by whoever sees its activity and by the worker.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from sanxin.core.models import BaseModel

TITLE_MAX = 100
PLACE_MAX = 200
DESCRIPTION_MAX = 2000
NOTE_MAX = 500
CAPACITY_MAX = 100_000
WALK_INS_MAX = 100_000
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: read aloud and typed without confusion
CODE_LENGTH = 8


def new_activity_code() -> str:
    """The short check-in code printed beside the QR code (32^8 ≈ 10^12 codes)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class CareType(models.TextChoices):
    BIRTHDAY = "birthday", "集体庆生会"
    CLINIC = "clinic", "义诊"
    CHECKUP = "checkup", "健康体检"
    TRAINING = "training", "技能培训"
    SAFETY = "safety", "安全教育"
    LAW = "law", "法律讲座"
    RETREAT = "retreat", "疗休养"
    INSURANCE = "insurance", "保险赠送"
    VISIT = "visit", "走访慰问"


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    CLOSED = "closed", "已结束"
    CANCELLED = "cancelled", "已取消"


class CareActivity(BaseModel):
    title = models.CharField("活动名称", max_length=TITLE_MAX)
    type = models.CharField("活动类型", max_length=16, choices=CareType.choices)
    unit = models.ForeignKey("accounts.Unit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name="所在地区", on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey(
        "stations.Station", verbose_name="服务阵地", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    place = models.CharField("活动地点", max_length=PLACE_MAX)
    starts_at = models.DateTimeField("开始时间", db_index=True)
    ends_at = models.DateTimeField("结束时间")
    capacity = models.PositiveIntegerField("名额")
    signup_opens_at = models.DateTimeField("报名开始")
    signup_closes_at = models.DateTimeField("报名截止")
    signup_required = models.BooleanField("须先报名才能签到", default=True)
    occupations = models.JSONField("面向人群（职业）", default=list, blank=True)  # codes of workers.Occupation; empty: all
    description = models.TextField("活动内容", max_length=DESCRIPTION_MAX, blank=True)
    status = models.CharField("状态", max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT, db_index=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束登记时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    checkin_code = models.CharField("签到码", max_length=16, unique=True, default=new_activity_code, editable=False)
    walk_ins = models.PositiveIntegerField("现场未报名服务人数", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+")

    scope_region_field = "region__code"

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = "关爱活动"
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="care_activity_ends_after_start"),
            models.CheckConstraint(
                condition=models.Q(signup_closes_at__gt=models.F("signup_opens_at")), name="care_activity_signup_window"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1, capacity__lte=CAPACITY_MAX), name="care_activity_capacity"),
        ]
        indexes = [models.Index(fields=["region", "type"], name="care_activity_region_type")]

    def __str__(self):
        return self.title


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", "已报名"
    CANCELLED = "cancelled", "已取消"


class CareSignup(BaseModel):
    """A worker's place at an activity (one row per worker and activity: a second tap is the same sign-up; a
    cancelled one signs up again in place). `checked_in_at` when they came; by `checked_in_by` staff, or by the code."""

    activity = models.ForeignKey(CareActivity, verbose_name="关爱活动", on_delete=models.CASCADE, related_name="signups")
    # None once the worker erased their account: the check-in still counts as a person served.
    worker = models.ForeignKey("workers.Worker", verbose_name="从业人员", null=True, on_delete=models.SET_NULL, related_name="care_signups")
    status = models.CharField("状态", max_length=16, choices=SignupStatus.choices, default=SignupStatus.SIGNED_UP)
    signed_up_at = models.DateTimeField("报名时间")
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="代签到人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_region_field = "activity__region__code"

    class Meta:
        ordering = ["signed_up_at", "pk"]
        verbose_name = "活动报名"
        constraints = [models.UniqueConstraint(fields=["activity", "worker"], name="care_signup_once")]

    def __str__(self):
        return f"{self.activity_id}:{self.worker_id}"

    @staticmethod
    def scope_personal(user) -> models.Q:
        return models.Q(worker__user=user)
