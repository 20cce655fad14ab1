"""Census campaigns (摸排): the seven items per organization, and the to-dos a census raises."""

from django.conf import settings
from django.db import models

from sanxin.core.models import BaseModel
from sanxin.orgs.models import Organization


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "未开始"
    ACTIVE = "active", "进行中"
    CLOSED = "closed", "已结束"


class CensusCampaign(BaseModel):
    """摸排 / 集中攻坚行动: every active organization in scope gets a census record of seven items."""

    name = models.CharField("行动名称", max_length=200)
    region = models.ForeignKey("regions.Region", verbose_name="摸排范围", on_delete=models.PROTECT, related_name="census_campaigns")
    industry = models.ForeignKey("regions.Industry", verbose_name="限定行业", null=True, blank=True, on_delete=models.PROTECT)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("截止日期")
    # Changed only by sanxin.census.workflow: draft → running → closed.
    status = models.CharField("状态", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    created_by_unit = models.ForeignKey("accounts.Unit", verbose_name="发起单位", on_delete=models.PROTECT, related_name="census_campaigns")

    scope_region_field = "region__code"
    scope_reaches_down = True  # the streets and communities of a county's campaign take part in it

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = "摸排行动"
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_ordered")]

    def __str__(self):
        return self.name


CENSUS_ITEMS = [
    ("operation", "经营运行情况"),
    ("workforce", "职工队伍情况"),
    ("investors", "出资人情况"),
    ("party_members", "党员情况"),
    ("party_organization", "党组织情况"),
    ("mass_organizations", "群团组织情况"),
    ("party_work", "党建工作情况"),
]


class CensusRecord(BaseModel):
    """七个清: one organization's census in one campaign."""

    campaign = models.ForeignKey(CensusCampaign, on_delete=models.CASCADE, related_name="records")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="census_records")
    operation = models.TextField("经营运行情况")
    workforce = models.TextField("职工队伍情况")
    investors = models.TextField("出资人情况")
    party_members = models.TextField("党员情况")
    party_organization = models.TextField("党组织情况")
    mass_organizations = models.TextField("群团组织情况")
    party_work = models.TextField("党建工作情况")
    employees = models.PositiveIntegerField("从业人员数")
    formal_members = models.PositiveIntegerField("正式党员数")
    probationary_members = models.PositiveIntegerField("预备党员数", default=0)
    censused_on = models.DateField("摸排日期")
    censused_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="摸排人", null=True, on_delete=models.SET_NULL, related_name="+")

    scope_region_field = "organization__region__code"
    scope_industry_field = "organization__industry_id"
    scope_zone_field = "organization__zone_id"

    class Meta:
        ordering = ["-censused_on", "-id"]
        verbose_name = "摸排记录"
        constraints = [models.UniqueConstraint(fields=["campaign", "organization"], name="census_once_per_campaign")]

    def __str__(self):
        return f"{self.campaign} · {self.organization}"


class TodoKind(models.TextChoices):
    ESTABLISH_PARTY_ORG = "establish", "符合单建条件，应组建党组织"


class TodoStatus(models.TextChoices):
    OPEN = "open", "待办"
    DONE = "done", "已办结"


class Todo(BaseModel):
    """A to-do for the staff of the organization's territory, e.g. raised by a census."""

    kind = models.CharField("事项", max_length=20, choices=TodoKind.choices)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="todos")
    census_record = models.ForeignKey(CensusRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="todos")
    status = models.CharField("状态", max_length=16, choices=TodoStatus.choices, default=TodoStatus.OPEN)
    due_on = models.DateField("办理期限", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办结人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_note = models.CharField("办结说明", max_length=300, blank=True)

    scope_region_field = "organization__region__code"
    scope_industry_field = "organization__industry_id"
    scope_zone_field = "organization__zone_id"

    class Meta:
        ordering = ["status", "due_on", "-id"]
        verbose_name = "待办事项"
        constraints = [
            models.UniqueConstraint(fields=["kind", "organization"], condition=models.Q(status="open"), name="one_open_todo_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.organization}"
