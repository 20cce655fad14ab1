"""Volunteer teams (志愿服务队, 党员突击队, 红运先锋 riders' teams) of new employment workers: members, service
records (a day, hours, what was done, who served) entered by staff or the team's leader and confirmed by staff;
confirmed hours turn into points through the "workers.merited" event.

A team is seen by the units of its region and above; a record by whoever sees its team; a member sees their team.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from sanxin.core.models import BaseModel

NAME_MAX = 100
DESCRIPTION_MAX = 1000
WORK_MAX = 500
HOURS_MAX_PER_DAY = Decimal("24")


class TeamKind(models.TextChoices):
    VOLUNTEER = "volunteer", "志愿服务队"
    COMMANDO = "commando", "党员突击队"
    HONGYUN = "hongyun", "红运先锋"


class VolunteerTeam(BaseModel):
    name = models.CharField("队伍名称", max_length=NAME_MAX)
    kind = models.CharField("类型", max_length=16, choices=TeamKind.choices)
    unit = models.ForeignKey("accounts.Unit", verbose_name="组建单位", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name="所在地区", on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(
        "workers.Worker", verbose_name="队长", null=True, blank=True, on_delete=models.SET_NULL, related_name="led_teams"
    )
    description = models.TextField("简介", max_length=DESCRIPTION_MAX, blank=True)
    is_active = models.BooleanField("在册", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+")

    scope_region_field = "region__code"

    class Meta:
        ordering = ["region_id", "name", "pk"]
        verbose_name = "志愿服务队"
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="volunteer_team_region_name")]

    def __str__(self):
        return self.name


class TeamMember(BaseModel):
    """A worker in a team: one row per worker and team; leaving sets `left_at`, joining again clears it."""

    team = models.ForeignKey(VolunteerTeam, verbose_name="队伍", on_delete=models.CASCADE, related_name="members")
    worker = models.ForeignKey("workers.Worker", verbose_name="队员", on_delete=models.CASCADE, related_name="team_memberships")
    joined_at = models.DateTimeField("加入时间")
    left_at = models.DateTimeField("退出时间", null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="添加人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_region_field = "team__region__code"

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = "队员"
        constraints = [models.UniqueConstraint(fields=["team", "worker"], name="team_member_once")]

    def __str__(self):
        return f"{self.team_id}:{self.worker_id}"


class RecordStatus(models.TextChoices):
    SUBMITTED = "submitted", "待确认"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "已退回"


class ServiceRecord(BaseModel):
    team = models.ForeignKey(VolunteerTeam, verbose_name="队伍", on_delete=models.CASCADE, related_name="records")
    day = models.DateField("服务日期")
    hours = models.DecimalField("每人服务时长（小时）", max_digits=4, decimal_places=1)
    work = models.CharField("服务内容", max_length=WORK_MAX)
    status = models.CharField("状态", max_length=16, choices=RecordStatus.choices, default=RecordStatus.SUBMITTED, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    rejected_at = models.DateTimeField("退回时间", null=True, blank=True)
    reject_reason = models.CharField("退回原因", max_length=500, blank=True)

    scope_region_field = "team__region__code"

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = "服务记录"
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0, hours__lte=HOURS_MAX_PER_DAY), name="service_record_hours_range")
        ]

    def __str__(self):
        return f"{self.team_id} {self.day}"


class ServiceRecordMember(models.Model):
    """A member who served on a record's day (None once the worker erased their account: the team keeps the hours)."""

    record = models.ForeignKey(ServiceRecord, verbose_name="服务记录", on_delete=models.CASCADE, related_name="served")
    worker = models.ForeignKey("workers.Worker", verbose_name="队员", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "参加服务的队员"
        constraints = [models.UniqueConstraint(fields=["record", "worker"], name="service_record_member_once")]

    def __str__(self):
        return f"{self.record_id}:{self.worker_id}"
