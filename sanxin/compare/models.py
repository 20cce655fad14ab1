from django.conf import settings
from django.db import models

from sanxin.core.models import UploadJob


class ComparisonStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "比对中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Outcome(models.TextChoices):
    """Input rows are matched, new, review, gone (deregistered there) or outside the compared region;
    platform organizations that no row reaches are missing."""

    MATCHED = "matched", "匹配"
    NEW = "new", "新增"
    REVIEW = "review", "待核实"
    GONE = "gone", "外部已注销"
    MISSING = "missing", "外部未列出"
    OUTSIDE = "outside", "不在比对范围"


class Decision(models.TextChoices):
    PENDING = "pending", "待核实"
    CONFIRMED = "confirmed", "确认是同一单位"
    REJECTED = "rejected", "不是同一单位"


class RegistryComparison(UploadJob):
    """One outside registry file compared with the organizations of a region (数据比对), in the background."""

    UPLOAD_FOLDER = "compare"
    RUNNING_STATUSES = (ComparisonStatus.QUEUED, ComparisonStatus.RUNNING)

    region = models.ForeignKey("regions.Region", verbose_name="比对范围", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=16, choices=ComparisonStatus.choices, default=ComparisonStatus.QUEUED)
    counts = models.JSONField("结果统计", default=dict, blank=True)

    scope_region_field = "region__code"
    scope_reaches_down = True  # units inside the compared region see it, with only their own rows

    class Meta:
        ordering = ["-id"]
        verbose_name = "数据比对"

    def __str__(self):
        return f"{self.filename}（{self.region_id}）"


class ComparisonRow(models.Model):
    """One outcome: an outside row, or a platform organization that no row reached (missing)."""

    comparison = models.ForeignKey(RegistryComparison, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField("行号", null=True, blank=True)
    values = models.JSONField("外部名录内容", default=dict)
    outcome = models.CharField("结果", max_length=16, choices=Outcome.choices, db_index=True)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="平台中的组织", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.FloatField("相似度", null=True, blank=True)
    reason = models.CharField("依据", max_length=200, blank=True)
    decision = models.CharField("核实结论", max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    acted = models.BooleanField("已处理", default=False)
    code_differs = models.BooleanField("代码待更正", default=False)  # matched by name and address; the credit codes differ
    evidence = models.JSONField("比对依据", default=dict, blank=True)  # code, name and address verdicts (compare/evidence.py)
    # Where the row sits, for the viewer's scope: the platform organization's place when there is one,
    # else the row's own region (or the compared region) and industry, and the uploader's zone.
    region_code = models.CharField("所在地区代码", max_length=12, db_index=True, default="")
    industry = models.ForeignKey("regions.Industry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    zone = models.ForeignKey("regions.Zone", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope_region_field = "region_code"
    scope_industry_field = "industry_id"
    scope_zone_field = "zone_id"

    class Meta:
        ordering = ["outcome", "row_number", "id"]
        verbose_name = "比对结果"
        indexes = [models.Index(fields=["comparison", "outcome"], name="compare_row_outcome")]

    def __str__(self):
        return f"{self.get_outcome_display()} {self.values.get('单位名称', '')}"
