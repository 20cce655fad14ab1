from datetime import timedelta

from django.db import models
from django.utils import timezone

from sanxin.core.models import BaseModel


class PartyOrgLevel(models.TextChoices):
    COMMITTEE = "committee", "党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    PROVISIONAL = "provisional", "临时党支部"


class EstablishmentForm(models.TextChoices):
    STANDALONE = "standalone", "单独组建"
    JOINT = "joint", "联合组建"
    AREA = "area", "区域联建"
    INDUSTRY = "industry", "行业统建"
    CHAIN = "chain", "产业链建"
    BUILDING = "building", "楼宇/商圈建"
    PLATFORM = "platform", "依托平台建"


class SpecialKind(models.TextChoices):
    MOBILE_MEMBERS = "mobile", "流动党员党支部"
    YOUNG_TALENT = "young_talent", "青年人才党支部"
    INDUSTRY_COMMITTEE = "industry_committee", "行业党委"
    COMPREHENSIVE = "comprehensive", "综合党委"
    PARK_COMMITTEE = "park", "园区党工委"


class PartyOrgStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    DISSOLVED = "dissolved", "已撤销"


class PartyOrganization(BaseModel):
    name = models.CharField("党组织名称", max_length=200)
    level = models.CharField("层级", max_length=20, choices=PartyOrgLevel.choices)
    parent = models.ForeignKey("self", verbose_name="上级党组织", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    establishment_form = models.CharField("组建方式", max_length=16, choices=EstablishmentForm.choices)
    special_kinds = models.JSONField("特殊类型", default=list, blank=True)
    # Indexed by the unique (region, name) and the (region, id) index below; a single-column one would add nothing.
    region = models.ForeignKey(
        "regions.Region", verbose_name="所在地区", on_delete=models.PROTECT, related_name="party_organizations", db_index=False
    )
    industry = models.ForeignKey(
        "regions.Industry", verbose_name="所属行业", null=True, blank=True, on_delete=models.PROTECT, related_name="party_organizations"
    )
    zone = models.ForeignKey(
        "regions.Zone", verbose_name="所在园区/楼宇", null=True, blank=True, on_delete=models.SET_NULL, related_name="party_organizations"
    )
    covered_organizations = models.ManyToManyField(
        "orgs.Organization", verbose_name="覆盖的组织", blank=True, related_name="party_organizations"
    )
    secretary = models.CharField("书记", max_length=50, blank=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    term_years = models.PositiveSmallIntegerField("任期（年）", default=3)
    last_election_on = models.DateField("上次换届日期", null=True, blank=True)
    next_election_due = models.DateField("应换届日期", null=True, blank=True, db_index=True)
    status = models.CharField("状态", max_length=16, choices=PartyOrgStatus.choices, default=PartyOrgStatus.ACTIVE)

    scope_region_field = "region__code"
    scope_industry_field = "industry_id"
    scope_zone_field = "zone_id"
    # A unit sees the Party organizations that cover its organizations (a street's joint branch, seen by the
    # community of a firm it covers); it edits only those of its own place.
    scope_seen_through = "covered_organizations"

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = "党组织"
        # The list in its default order (region, then id) inside a region range: a page is read off the index.
        indexes = [models.Index(fields=["region", "id"], name="party_org_region_list")]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="party_org_unique_name_in_region"),
            models.CheckConstraint(condition=models.Q(term_years__in=[3, 5]), name="party_org_term_3_or_5"),
        ]

    def __str__(self):
        return self.name

    @property
    def special_kind_labels(self) -> list[str]:
        return [SpecialKind(k).label for k in self.special_kinds if k in SpecialKind.values]

    @property
    def election_overdue(self) -> bool:
        return self.status == PartyOrgStatus.ACTIVE and self.next_election_due is not None and self.next_election_due < timezone.localdate()

    @property
    def election_due_soon(self) -> bool:
        today = timezone.localdate()
        due = self.next_election_due
        return self.status == PartyOrgStatus.ACTIVE and due is not None and today <= due <= today + timedelta(days=90)
