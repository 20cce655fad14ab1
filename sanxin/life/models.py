"""Organizational life (组织生活): meeting types and their required frequency, meetings, attendance, photos.

A meeting is seen by whoever sees its Party organization (as a member is), by the secretary of that organization
and by the members expected at it. What is required of an organization in a period is its meeting types'
frequency (the most specific region's, sanxin.life.selectors.effective_frequencies); what was held are its
meetings of that type whose start falls in the period (period_key): so "required vs held" is a count.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models

from sanxin.core.models import BaseModel
from sanxin.core.roles import Role
from sanxin.party.models import PartyOrgLevel

# Members may sign in from this long before the start until the end (sanxin.life.services.meeting_sign_in).
SIGN_IN_OPENS_BEFORE = timedelta(minutes=30)


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "每月一次"
    QUARTERLY = "quarterly", "每季度一次"
    HALF_YEARLY = "half_yearly", "每半年一次"
    YEARLY = "yearly", "每年一次"


# How many periods of each frequency a year has: the required count of a year, per meeting type.
PERIODS_PER_YEAR = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4, Frequency.HALF_YEARLY: 2, Frequency.YEARLY: 1}


def period_key(frequency: str, day: date) -> str:
    """The period of `frequency` a day falls in: 2026-09, 2026-Q3, 2026-H2, 2026."""
    if frequency == Frequency.MONTHLY:
        return f"{day.year}-{day.month:02d}"
    if frequency == Frequency.QUARTERLY:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if frequency == Frequency.HALF_YEARLY:
        return f"{day.year}-H{(day.month - 1) // 6 + 1}"
    return str(day.year)


class MeetingType(BaseModel):
    """三会一课 and the other forms of organizational life; the defaults come from migration 0001."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    frequency = models.CharField("默认频次", max_length=16, choices=Frequency.choices)
    order = models.PositiveSmallIntegerField("排序", default=0)
    # The Party organization levels (PartyOrgLevel values) that must hold it; empty: every level. 支部党员大会,
    # 支部委员会 and 党小组会 are a branch's (migration 0004): a 党委 or 党总支 does not owe them.
    levels = models.JSONField("适用党组织层级", default=list, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "会议类型"

    def __str__(self):
        return self.name

    def applies_to(self, level: str) -> bool:
        """Whether a Party organization of this level is required to hold the type."""
        return not self.levels or level in self.levels

    @property
    def levels_label(self) -> str:
        labels = dict(PartyOrgLevel.choices)
        return "、".join(labels.get(v, v) for v in self.levels) if self.levels else "各级党组织"


class MeetingTypeFrequency(BaseModel):
    """A region's own frequency for a meeting type: it holds for the region's whole subtree unless a region inside
    it sets its own (the most specific region wins)."""

    meeting_type = models.ForeignKey(MeetingType, verbose_name="会议类型", on_delete=models.CASCADE, related_name="region_frequencies")
    region = models.ForeignKey("regions.Region", verbose_name="地区", on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField("频次", max_length=16, choices=Frequency.choices)

    scope_region_field = "region__code"

    class Meta:
        verbose_name = "会议类型地区频次"
        constraints = [models.UniqueConstraint(fields=["meeting_type", "region"], name="life_frequency_one_per_region")]

    def __str__(self):
        return f"{self.meeting_type.name}（{self.region_id}）"


class MeetingMode(models.TextChoices):
    OFFLINE = "offline", "线下"
    ONLINE = "online", "线上"
    MIXED = "mixed", "线上线下结合"


class Meeting(BaseModel):
    party_organization = models.ForeignKey(
        "party.PartyOrganization", verbose_name="党组织", on_delete=models.PROTECT, related_name="meetings"
    )
    meeting_type = models.ForeignKey(MeetingType, verbose_name="会议类型", on_delete=models.PROTECT, related_name="meetings")
    topic = models.CharField("主题", max_length=200)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    mode = models.CharField("形式", max_length=16, choices=MeetingMode.choices, default=MeetingMode.OFFLINE)
    place = models.CharField("地点", max_length=200, blank=True)
    link = models.CharField("线上会议链接", max_length=500, blank=True)
    host = models.CharField("主持人", max_length=50, blank=True)
    recorder = models.CharField("记录人", max_length=50, blank=True)
    lecturer = models.CharField("授课人", max_length=50, blank=True)
    agenda = models.TextField("议程", blank=True)
    minutes = models.TextField("会议记录", blank=True)
    # 6 digits, unique among the meetings not yet ended: a meeting not ended holds its code in open_code too, which
    # the database keeps unique (NULLs apart); an ended meeting's claim is cleared before a code is handed out again
    # (sanxin.life.services.save_with_code), so concurrent plans cannot share one.
    code = models.CharField("会议码", max_length=6, db_index=True)
    open_code = models.CharField("未结束会议的会议码", max_length=6, null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+")

    scope_region_field = "party_organization__region__code"
    scope_industry_field = "party_organization__industry_id"
    scope_zone_field = "party_organization__zone_id"
    scope_seen_through = "party_organization__covered_organizations"

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = "组织生活会议"
        indexes = [
            models.Index(fields=["party_organization", "starts_at"], name="meeting_org_start"),
            models.Index(fields=["starts_at", "id"], name="meeting_start_list"),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start")]

    def __str__(self):
        return self.topic

    @staticmethod
    def scope_personal(user) -> models.Q:
        """Without territory: a member sees the meetings they are expected at; a Party secretary, the meetings of
        the Party organizations they belong to."""
        own = models.Q(attendances__member__user=user)
        if user.has_role(Role.PARTY_SECRETARY):
            own |= models.Q(party_organization__members__user=user)
        return own

    def sign_in_opens_at(self) -> datetime:
        return self.starts_at - SIGN_IN_OPENS_BEFORE


class AttendanceState(models.TextChoices):
    UNRECORDED = "unrecorded", "未登记"
    PRESENT = "present", "到会"
    ONLINE = "online", "线上参会"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


# The states that count as having attended.
PRESENT_STATES = (AttendanceState.PRESENT, AttendanceState.ONLINE)


class AttendanceSource(models.TextChoices):
    PLANNED = "planned", "计划应到"
    SECRETARY = "secretary", "书记登记"
    CODE = "code", "本人会议码签到"
    QR = "qr", "本人扫码签到"


class Attendance(BaseModel):
    """One expected attendee of a meeting: the members of its Party organization when it was planned."""

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey("members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="attendances")
    # The member's name and relation when planned: the register stays as it was if the member moves on.
    member_name = models.CharField("姓名", max_length=50)
    relation_mode = models.CharField("组织关系情况", max_length=16)
    state = models.CharField("出席情况", max_length=16, choices=AttendanceState.choices, default=AttendanceState.UNRECORDED)
    leave_reason = models.CharField("请假事由", max_length=200, blank=True)
    source = models.CharField("登记方式", max_length=16, choices=AttendanceSource.choices, default=AttendanceSource.PLANNED)
    signed_in_at = models.DateTimeField("签到时间", null=True, blank=True)

    class Meta:
        ordering = ["meeting_id", "member_name", "pk"]
        verbose_name = "出席情况"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_one_per_member")]

    def __str__(self):
        return f"{self.member_name}（{self.get_state_display()}）"


class MeetingPhoto(BaseModel):
    """A photo of a meeting, re-encoded without EXIF (sanxin.core.photos), served only through a scope-checked view."""

    UPLOAD_FOLDER = "meeting-photos"

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="photos")
    stored_name = models.CharField("存储文件名", max_length=64, unique=True)
    width = models.PositiveIntegerField("宽")
    height = models.PositiveIntegerField("高")
    size = models.PositiveIntegerField("字节数")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["meeting_id", "pk"]
        verbose_name = "会议照片"

    def __str__(self):
        return self.stored_name


# 三会一课落实率, precomputed (sanxin.life.compliance writes these, sanxin.life.compliance_figures reads them).


class ComplianceRecord(models.Model):
    """What one active Party organization owed and did for one meeting type in one period that has begun: one meeting
    required (`required`), `held` meetings of the type whose start fell in the period. A period not yet over and not
    met is due (本期待开), not overdue; one over and not met is overdue (超期未开)."""

    party_organization = models.ForeignKey("party.PartyOrganization", on_delete=models.CASCADE, related_name="+")
    # The Party organization's place and kind when computed, copied so that roll-ups need no join.
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    org_level = models.CharField("党组织层级", max_length=20)
    establishment_form = models.CharField("组建方式", max_length=16)
    meeting_type = models.ForeignKey(MeetingType, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField("频次", max_length=16, choices=Frequency.choices)
    period = models.CharField("期间", max_length=7)  # 2026-09, 2026-Q3, 2026-H2, 2026
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", default=0)  # 0: the period spans more than a quarter
    half = models.PositiveSmallIntegerField("半年", default=0)  # 0: the period is the whole year
    period_start = models.DateField("期间开始")
    period_end = models.DateField("期间截止")  # its last day
    required = models.PositiveSmallIntegerField("应开次数", default=1)
    held = models.PositiveIntegerField("已开次数", default=0)
    overdue = models.BooleanField("超期未开", default=False)

    scope_region_field = "region__code"
    scope_industry_field = "party_organization__industry_id"
    scope_zone_field = "party_organization__zone_id"
    scope_seen_through = "party_organization__covered_organizations"

    class Meta:
        verbose_name = "三会一课落实情况"
        constraints = [
            models.UniqueConstraint(fields=["party_organization", "meeting_type", "period"], name="compliance_one_per_period"),
        ]
        indexes = [
            models.Index(fields=["region", "year"], name="compliance_region_year"),
            models.Index(fields=["overdue", "period_end"], name="compliance_overdue"),
        ]

    def __str__(self):
        return f"{self.party_organization_id} {self.meeting_type_id} {self.period}"

    @property
    def met(self) -> bool:
        return self.held >= self.required


class ComplianceFact(models.Model):
    """The records rolled up to every region above them (a Party organization's record counts in its community, street,
    county, city and province): one row per region × Party organization level × form × meeting type × year × quarter ×
    half. A province page reads the rows of its cities, never the records. Kept by increments on every refresh of a
    Party organization and rebuilt whole by the daily job."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    parent = models.CharField("上级区划代码", max_length=12)  # "" for a province
    org_level = models.CharField("党组织层级", max_length=20)
    establishment_form = models.CharField("组建方式", max_length=16)
    meeting_type = models.ForeignKey(MeetingType, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", default=0)
    half = models.PositiveSmallIntegerField("半年", default=0)
    required = models.IntegerField("应开期数", default=0)  # periods begun
    met = models.IntegerField("已开期数", default=0)
    due = models.IntegerField("本期待开", default=0)
    overdue = models.IntegerField("超期未开", default=0)
    held = models.IntegerField("会议次数", default=0)

    scope_region_field = "region__code"

    class Meta:
        verbose_name = "三会一课落实率统计"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "org_level", "establishment_form", "meeting_type", "year", "quarter", "half"], name="compliance_fact_cell"
            ),
        ]
        indexes = [models.Index(fields=["parent", "year"], name="compliance_fact_parent")]

    def __str__(self):
        return f"{self.region_id} {self.year}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已超期"


class ComplianceReminder(models.Model):
    """A reminder sent to a Party organization's secretary; the unique key makes a second run send nothing twice."""

    party_organization = models.ForeignKey("party.PartyOrganization", on_delete=models.CASCADE, related_name="+")
    meeting_type = models.ForeignKey(MeetingType, on_delete=models.CASCADE, related_name="+")
    period = models.CharField("期间", max_length=7)
    kind = models.CharField("提醒类型", max_length=16, choices=ReminderKind.choices)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "组织生活提醒"
        constraints = [
            models.UniqueConstraint(fields=["party_organization", "meeting_type", "period", "kind"], name="compliance_reminder_once"),
        ]

    def __str__(self):
        return f"{self.party_organization_id} {self.meeting_type_id} {self.period} {self.kind}"
