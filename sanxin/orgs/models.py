from django.db import models

from sanxin.core.models import BaseModel


class OrgKind(models.TextChoices):
    ECONOMIC = "economic", "新经济组织"
    SOCIAL = "social", "新社会组织"


class OrgCategory(models.TextChoices):
    PRIVATE = "private", "私营企业"
    FOREIGN = "foreign", "外资企业"
    MIXED = "mixed", "混合所有制企业"
    PLATFORM = "platform", "互联网平台企业"
    FRANCHISEE = "franchisee", "加盟商/站点"
    SORTING_CENTER = "sorting", "分拣中心"
    ASSOCIATION = "association", "行业协会商会"
    LAW_FIRM = "law_firm", "律师事务所"
    ACCOUNTING_FIRM = "accounting", "会计师事务所"
    PRIVATE_SCHOOL = "school", "民办学校"
    SOCIAL_SERVICE = "social_service", "社会服务机构"
    OTHER_ECONOMIC = "other_economic", "其他经济组织"
    OTHER_SOCIAL = "other_social", "其他社会组织"


SOCIAL_CATEGORIES = frozenset(
    {
        OrgCategory.ASSOCIATION,
        OrgCategory.LAW_FIRM,
        OrgCategory.ACCOUNTING_FIRM,
        OrgCategory.PRIVATE_SCHOOL,
        OrgCategory.SOCIAL_SERVICE,
        OrgCategory.OTHER_SOCIAL,
    }
)


def kind_of(category: str) -> str:
    return OrgKind.SOCIAL if category in SOCIAL_CATEGORIES else OrgKind.ECONOMIC


class RegistrationStatus(models.TextChoices):
    ACTIVE = "active", "存续"
    CANCELLED = "cancelled", "注销"
    REVOKED = "revoked", "吊销"
    MOVED_OUT = "moved_out", "迁出"


# Deregistered organizations drop out of every coverage count.
DEREGISTERED = frozenset({RegistrationStatus.CANCELLED, RegistrationStatus.REVOKED, RegistrationStatus.MOVED_OUT})

# 单建条件: three or more formal Party members among the employees call for a Party organization of its own.
SINGLE_ESTABLISH_MIN_MEMBERS = 3
MEETS_SINGLE_ESTABLISH = models.Q(formal_members__gte=SINGLE_ESTABLISH_MIN_MEMBERS)


def meets_single_establish_sql(alias: str) -> str:
    """The 单建条件 of a row of table `alias` (an active organization with three or more formal members), as SQL
    for the fast import path; the same rule as MEETS_SINGLE_ESTABLISH."""
    statuses = ", ".join(f"'{status}'" for status in sorted(DEREGISTERED))  # the model's own constants
    return f"({alias}.formal_members >= {SINGLE_ESTABLISH_MIN_MEMBERS} AND {alias}.registration_status NOT IN ({statuses}))"


class CoverageState(models.TextChoices):
    ORG_COVERED = "org", "组织覆盖"
    WORK_COVERED = "work", "仅工作覆盖"
    BLANK = "blank", "空白点"


class Organization(BaseModel):
    """A firm or social organization in the registry (两新组织). Coverage fields are written only by the coverage service."""

    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("单位名称", max_length=200)
    kind = models.CharField("组织类型", max_length=16, choices=OrgKind.choices)
    category = models.CharField("单位类别", max_length=20, choices=OrgCategory.choices)
    industry = models.ForeignKey("regions.Industry", verbose_name="所属行业", on_delete=models.PROTECT, related_name="organizations")
    # Indexed by the (region, id) index below, which the scoped list walks in its order; a single-column index (and
    # on PostgreSQL its LIKE twin, which nothing uses since region filters are ranges: core.code_path) would add nothing.
    region = models.ForeignKey(
        "regions.Region", verbose_name="所在地区", on_delete=models.PROTECT, related_name="organizations", db_index=False
    )
    zone = models.ForeignKey(
        "regions.Zone", verbose_name="所在园区/楼宇", null=True, blank=True, on_delete=models.SET_NULL, related_name="organizations"
    )
    address = models.CharField("详细地址", max_length=300, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    employees = models.PositiveIntegerField("从业人员数", default=0)
    formal_members = models.PositiveIntegerField("正式党员数", default=0)
    probationary_members = models.PositiveIntegerField("预备党员数", default=0)
    established_on = models.DateField("成立日期", null=True, blank=True)
    registration_status = models.CharField("登记状态", max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.ACTIVE)
    parent = models.ForeignKey("self", verbose_name="上级单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="branches")
    is_top500_private = models.BooleanField("民营企业500强", default=False)
    is_top100_internet = models.BooleanField("互联网企业100强", default=False)
    is_little_giant = models.BooleanField("专精特新“小巨人”", default=False)
    is_above_scale = models.BooleanField("规模以上", default=False)

    # Computed by sanxin.orgs.coverage, never typed in.
    coverage_state = models.CharField("覆盖状态", max_length=8, choices=CoverageState.choices, default=CoverageState.BLANK)
    has_own_party_org = models.BooleanField("有单独党组织", default=False)
    should_establish = models.BooleanField("应建未建", default=False)
    edge_thinning = models.BooleanField("边际递减", default=False)

    scope_region_field = "region__code"
    scope_industry_field = "industry_id"
    scope_zone_field = "zone_id"

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = "两新组织"
        # Every index slows imports: only the ones lists and lookups use (a plain name index, without the
        # LIKE variant db_index adds: names are searched with icontains, which no btree serves).
        indexes = [
            # The list in its default order (region, then id) inside a region range: a page is read off the index.
            models.Index(fields=["region", "id"], name="orgs_org_region_list"),
            models.Index(fields=["region", "industry", "registration_status"]),
            models.Index(fields=["registration_status", "coverage_state"]),
            models.Index(fields=["name"], name="orgs_organization_name"),
            # The coverage page counts the platforms with 边际递减 in the scope on every view: a few rows of millions.
            models.Index(
                fields=["region"], condition=models.Q(category=OrgCategory.PLATFORM, edge_thinning=True), name="orgs_org_platform_thin"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_deregistered(self) -> bool:
        return self.registration_status in DEREGISTERED


# The registry's fields, defined once. A row of the import template (and of an outside registry) sets
# REGISTRY_FIELDS, upserted by credit code; the form sets those and the rest of EDITABLE_FIELDS; the
# coverage fields are computed (sanxin.coverage). Bulk writes take column names from REGISTRY_COLUMNS.
REGISTRY_FIELDS = [
    "name",
    "kind",
    "category",
    "industry",
    "region",
    "address",
    "legal_representative",
    "employees",
    "formal_members",
    "probationary_members",
    "established_on",
    "registration_status",
]
FLAG_FIELDS = ["is_top500_private", "is_top100_internet", "is_little_giant", "is_above_scale"]
EDITABLE_FIELDS = ["credit_code", *(f for f in REGISTRY_FIELDS if f != "kind"), "zone", "parent", *FLAG_FIELDS]
REGISTRY_COLUMNS = [Organization._meta.get_field(name).attname for name in REGISTRY_FIELDS]  # industry_id, region_id, …
