"""最美 selections (最美快递员, 最美外卖配送员, 最美网约车司机, 最美货车司机 or a title of the organiser's own): a
campaign run by a city or county unit for the workers of one occupation in its region, through
draft → nominating → reviewing → publicity (公示) → awarded (or cancelled) by sanxin.selections.workflow.

Nominations come from the units inside the campaign's region (a street or community nominates a worker of its own
area with the deeds, 事迹) or from the worker themself (自荐), one per worker and campaign. The organiser approves
or rejects each; the approved (at most the number of places) are shown on a public notice page with the name
masked; anyone logged in may raise an objection (异议) during the period, which the organiser upholds (the
nomination is withdrawn) or dismisses. The award gives each awardee an Honour on their record and the campaign's
points (the "workers.merited" event, kind "selection_award").

Who sees what: a campaign is seen by the units of its region and above, and by the units inside it
(`scope_reaches_down`, so a community can nominate); a nomination and an honour by the units of the worker's
region and above (the organiser always, since the worker lies in the campaign's region) and by the worker.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sanxin.core.models import BaseModel
from sanxin.workers.models import Occupation

TITLE_MAX = 60
DEEDS_MAX = 1000
NOTE_MAX = 500
DESCRIPTION_MAX = 2000
PLACES_MAX = 1000
POINTS_MAX = 100_000
PUBLICITY_DAYS_MAX = 30


class CampaignKind(models.TextChoices):
    COURIER = "courier", "最美快递员"
    DELIVERY = "delivery", "最美外卖配送员"
    RIDE_HAILING = "ride_hailing", "最美网约车司机"
    TRUCK = "truck", "最美货车司机"
    OTHER = "other", "其他（自定名称）"


# The occupation a preset campaign is for.
KIND_OCCUPATION = {
    CampaignKind.COURIER: Occupation.COURIER,
    CampaignKind.DELIVERY: Occupation.DELIVERY_RIDER,
    CampaignKind.RIDE_HAILING: Occupation.RIDE_HAILING,
    CampaignKind.TRUCK: Occupation.TRUCK_DRIVER,
}


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    NOMINATING = "nominating", "推荐中"
    REVIEWING = "reviewing", "审核中"
    PUBLICITY = "publicity", "公示中"
    AWARDED = "awarded", "已表彰"
    CANCELLED = "cancelled", "已取消"


class Campaign(BaseModel):
    title = models.CharField("评选名称", max_length=TITLE_MAX)
    kind = models.CharField("评选类型", max_length=16, choices=CampaignKind.choices)
    occupation = models.CharField("面向职业", max_length=16, choices=Occupation.choices)
    region = models.ForeignKey("regions.Region", verbose_name="评选范围", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("accounts.Unit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    places = models.PositiveIntegerField("名额")
    nominate_from = models.DateField("推荐开始日期")
    nominate_until = models.DateField("推荐截止日期")
    publicity_days = models.PositiveSmallIntegerField("公示期（工作日）", default=5)
    publicity_from = models.DateField("公示开始日期", null=True, blank=True)
    publicity_until = models.DateField("公示截止日期", null=True, blank=True)
    award_points = models.PositiveIntegerField("表彰积分（每人）", default=0)
    honour_title = models.CharField("荣誉称号", max_length=TITLE_MAX)
    description = models.TextField("评选说明", blank=True)
    status = models.CharField("状态", max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    opened_at = models.DateTimeField("开始推荐时间", null=True, blank=True)
    reviewing_at = models.DateTimeField("开始审核时间", null=True, blank=True)
    published_at = models.DateTimeField("开始公示时间", null=True, blank=True)
    awarded_on = models.DateField("表彰日期", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_region_field = "region__code"
    scope_reaches_down = True  # the streets and communities inside see it, to nominate

    class Meta:
        ordering = ["-nominate_from", "-pk"]
        verbose_name = "最美评选"
        constraints = [
            models.CheckConstraint(condition=models.Q(nominate_until__gte=models.F("nominate_from")), name="campaign_window_order"),
            models.CheckConstraint(condition=models.Q(places__gte=1), name="campaign_places_positive"),
        ]

    def __str__(self):
        return self.title


class NominatorKind(models.TextChoices):
    UNIT = "unit", "单位推荐"
    SELF = "self", "本人自荐"


class NominationStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "异议成立已撤销"


class Nomination(BaseModel):
    campaign = models.ForeignKey(Campaign, verbose_name="评选", on_delete=models.CASCADE, related_name="nominations")
    worker = models.ForeignKey("workers.Worker", verbose_name="被推荐人", on_delete=models.CASCADE, related_name="nominations")
    region = models.ForeignKey("regions.Region", verbose_name="工作区域", on_delete=models.PROTECT, related_name="+")
    deeds = models.TextField("主要事迹")
    nominator_kind = models.CharField("推荐方式", max_length=8, choices=NominatorKind.choices)
    nominating_unit = models.ForeignKey(
        "accounts.Unit", verbose_name="推荐单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="推荐人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    platform_name = models.CharField("所属平台", max_length=200, blank=True)
    status = models.CharField("审核状态", max_length=12, choices=NominationStatus.choices, default=NominationStatus.PENDING)
    review_note = models.CharField("审核意见", max_length=NOTE_MAX, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)

    scope_region_field = "region__code"

    class Meta:
        ordering = ["campaign_id", "pk"]
        verbose_name = "评选推荐"
        constraints = [models.UniqueConstraint(fields=["campaign", "worker"], name="nomination_once_per_worker")]

    def __str__(self):
        return f"{self.campaign} · {self.worker}"

    @staticmethod
    def scope_personal(user) -> models.Q:
        return models.Q(worker__user=user)


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    UPHELD = "upheld", "异议成立"
    DISMISSED = "dismissed", "异议不成立"


class Objection(BaseModel):
    nomination = models.ForeignKey(Nomination, verbose_name="公示对象", on_delete=models.CASCADE, related_name="objections")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("异议理由")
    status = models.CharField("处理状态", max_length=12, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING)
    handling_note = models.CharField("处理意见", max_length=NOTE_MAX, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "公示异议"

    def __str__(self):
        return f"异议 {self.pk}"


class Honour(BaseModel):
    worker = models.ForeignKey("workers.Worker", verbose_name="从业人员", on_delete=models.CASCADE, related_name="honours")
    region = models.ForeignKey("regions.Region", verbose_name="工作区域", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("荣誉称号", max_length=TITLE_MAX)
    campaign = models.ForeignKey(Campaign, verbose_name="评选", on_delete=models.PROTECT, related_name="honours")
    nomination = models.OneToOneField(Nomination, verbose_name="推荐", on_delete=models.CASCADE, related_name="honour")
    awarded_on = models.DateField("表彰日期")
    points = models.PositiveIntegerField("表彰积分", default=0)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoke_reason = models.CharField("撤销原因", max_length=NOTE_MAX, blank=True)

    scope_region_field = "region__code"

    class Meta:
        ordering = ["-awarded_on", "-pk"]
        verbose_name = "荣誉"

    def __str__(self):
        return f"{self.title} · {self.worker}"

    @staticmethod
    def scope_personal(user) -> models.Q:
        return models.Q(worker__user=user)
