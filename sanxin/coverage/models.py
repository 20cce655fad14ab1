"""Coverage (两个覆盖): the facts pages roll up, and Party work through mass organizations, a source of work coverage."""

from django.db import models

from sanxin.core.models import BaseModel
from sanxin.orgs.models import Organization


class MassOrgKind(models.TextChoices):
    UNION = "union", "工会"
    YOUTH_LEAGUE = "youth_league", "共青团"
    WOMENS_FEDERATION = "womens_federation", "妇联"


class MassOrganizationWork(BaseModel):
    """Party work carried through a mass organization (群团组织) gives work coverage while active."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="mass_org_work")
    kind = models.CharField("群团组织", max_length=20, choices=MassOrgKind.choices)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "群团组织开展党的工作"

    def __str__(self):
        return f"{self.organization} {self.get_kind_display()}"


class CoverageFact(models.Model):
    """Precomputed counts per (region, industry, zone) cell; pages roll these up by code prefix.

    `month` is NULL for the current figures and the first day of a month for a snapshot.
    """

    month = models.DateField("月份", null=True, blank=True)
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    industry = models.ForeignKey("regions.Industry", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    zone = models.ForeignKey("regions.Zone", null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    organizations = models.PositiveIntegerField(default=0)
    org_covered = models.PositiveIntegerField(default=0)
    work_covered = models.PositiveIntegerField(default=0)
    blank = models.PositiveIntegerField(default=0)
    should_establish = models.PositiveIntegerField(default=0)
    meets_condition = models.PositiveIntegerField(default=0)
    own_party_org = models.PositiveIntegerField(default=0)
    edge_thinning = models.PositiveIntegerField(default=0)

    scope_region_field = "region__code"
    scope_industry_field = "industry_id"
    scope_zone_field = "zone_id"

    class Meta:
        verbose_name = "覆盖统计"
        indexes = [models.Index(fields=["month", "region"])]

    def __str__(self):
        return f"{self.month or '当前'} {self.region_id}"
