"""Hazard reports (随手拍): a worker (or a unit, through Open311) reports a hazard on the street — a blocked fire
lane, a broken street light, a missing manhole cover — with a category, a text, a position and photos. The report
goes to the community unit responsible for the region picked (sanxin.hazards.selectors.route_unit) and runs
through one workflow (sanxin.hazards.workflow): submitted → verified valid / invalid / duplicate (of an earlier
report) → dispatched (to a unit, with a note) → resolved (with a reply).

Who sees a report: the units of its region (and above), the unit it was dispatched to (and above), and the
worker who reported it. Open311 readers see only published reports (verified valid and after), without personal
data (sanxin.hazards.open311).
"""

from __future__ import annotations

from django.db import models

from sanxin.core.models import BaseModel

TEXT_MAX = 1000
PLACE_MAX = 200
NOTE_MAX = 500
REPLY_MAX = 1000
MAX_PHOTOS = 4


class HazardCategory(models.TextChoices):
    """A fixed list: the Open311 services (services.json) are these, code and name."""

    FIRE_LANE = "fire_lane", "消防通道堵塞"
    STREET_LIGHT = "street_light", "路灯损坏"
    MANHOLE = "manhole", "井盖缺失"
    ROAD = "road", "道路破损"
    EBIKE_CHARGING = "ebike_charging", "电动车违规充电"
    POSTERS = "posters", "小广告"
    OTHER = "other", "其他"


CATEGORY_DESCRIPTIONS = {
    "fire_lane": "消防通道、楼道被车辆或杂物占用堵塞",
    "street_light": "路灯不亮、闪烁或灯杆损坏",
    "manhole": "井盖缺失、破损、移位或下沉",
    "road": "路面坑洼、塌陷、破损",
    "ebike_charging": "电动自行车进楼入户、飞线充电等违规充电",
    "posters": "乱张贴、乱涂写的小广告",
    "other": "其他安全隐患",
}


class HazardStatus(models.TextChoices):
    SUBMITTED = "submitted", "待核实"
    VALID = "valid", "核实有效"
    INVALID = "invalid", "核实无效"
    DUPLICATE = "duplicate", "重复上报"
    DISPATCHED = "dispatched", "已派单"
    RESOLVED = "resolved", "已办结"


# Open for the duplicate offer (what a worker may join) and for the server's duplicate rule.
OPEN_STATUSES = (HazardStatus.SUBMITTED, HazardStatus.VALID, HazardStatus.DISPATCHED)
# Verified valid and after: what Open311 publishes, and what counts as "an earlier valid one".
PUBLISHED_STATUSES = (HazardStatus.VALID, HazardStatus.DISPATCHED, HazardStatus.RESOLVED)


class HazardSource(models.TextChoices):
    WORKER = "worker", "从业人员随手拍"
    OPEN311 = "open311", "Open311 接口"


class HazardReport(BaseModel):
    UPLOAD_FOLDER = "hazard-photos"

    reporter = models.ForeignKey(
        "workers.Worker", verbose_name="上报人", null=True, blank=True, on_delete=models.SET_NULL, related_name="hazard_reports"
    )
    source = models.CharField("来源", max_length=8, choices=HazardSource.choices, default=HazardSource.WORKER)
    # The unit whose account posted it through Open311 (empty for a worker's report).
    posted_by_unit = models.ForeignKey(
        "accounts.Unit", verbose_name="上报单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField("隐患类别", max_length=20, choices=HazardCategory.choices)
    text = models.TextField("情况描述", max_length=TEXT_MAX)
    place = models.CharField("地点", max_length=PLACE_MAX, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name="所在社区", on_delete=models.PROTECT, related_name="+")
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    unit = models.ForeignKey("accounts.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="hazard_reports")
    status = models.CharField("状态", max_length=12, choices=HazardStatus.choices, default=HazardStatus.SUBMITTED)
    duplicate_of = models.ForeignKey(
        "self", verbose_name="重复于", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    submitted_at = models.DateTimeField("上报时间")
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    dispatched_to = models.ForeignKey(
        "accounts.Unit", verbose_name="派单给", null=True, blank=True, on_delete=models.PROTECT, related_name="hazards_dispatched"
    )
    dispatch_note = models.CharField("派单说明", max_length=NOTE_MAX, blank=True)
    dispatched_at = models.DateTimeField("派单时间", null=True, blank=True)
    reply = models.TextField("办结答复", max_length=REPLY_MAX, blank=True)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    client_key = models.UUIDField("离线提交标识", null=True, blank=True)

    scope_region_field = "region__code"
    # Dispatched to a unit elsewhere: that unit (and the units above it) see it too.
    scope_seen_through = "dispatched_to"

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "隐患随手拍"
        indexes = [
            models.Index(fields=["category", "status", "submitted_at"], name="hazard_category_status"),
            models.Index(fields=["unit", "status"], name="hazard_unit_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "client_key"], condition=models.Q(client_key__isnull=False), name="hazard_client_key_once"
            ),
            models.CheckConstraint(
                condition=(models.Q(longitude__isnull=True) & models.Q(latitude__isnull=True))
                | (models.Q(longitude__gte=73, longitude__lte=136) & models.Q(latitude__gte=3, latitude__lte=54)),
                name="hazard_position_in_china",
            ),
        ]

    def __str__(self):
        return f"随手拍 {self.number}"

    @property
    def number(self) -> str:
        return f"YH{self.pk:08d}" if self.pk else "YH(新)"

    @staticmethod
    def scope_personal(user) -> models.Q:
        """Without territory: a worker sees their own reports."""
        return models.Q(reporter__user=user)


class HazardPhoto(BaseModel):
    report = models.ForeignKey(HazardReport, verbose_name="随手拍", on_delete=models.CASCADE, related_name="photos")
    stored_name = models.CharField(max_length=64)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = "随手拍照片"

    def __str__(self):
        return self.stored_name


class HazardSupporter(BaseModel):
    """ "我也看到了": another worker joins an open report instead of sending the same one again (once each)."""

    report = models.ForeignKey(HazardReport, verbose_name="随手拍", on_delete=models.CASCADE, related_name="supporters")
    worker = models.ForeignKey("workers.Worker", verbose_name="从业人员", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["pk"]
        verbose_name = "随手拍附议"
        constraints = [
            models.UniqueConstraint(fields=["report", "worker"], condition=models.Q(worker__isnull=False), name="hazard_support_once")
        ]

    def __str__(self):
        return f"{self.report_id}+{self.worker_id}"
