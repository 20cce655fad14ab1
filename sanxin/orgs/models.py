from django.conf import settings
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
    region = models.ForeignKey("regions.Region", verbose_name="所在地区", on_delete=models.PROTECT, related_name="organizations")
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

    @staticmethod
    def scope_personal(user) -> models.Q:
        return models.Q(instructor_assignments__instructor__user=user)

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = "两新组织"
        # Every index slows imports: only the ones lists and lookups use (a plain name index, without the
        # LIKE variant db_index adds: names are searched with icontains, which no btree serves).
        indexes = [
            models.Index(fields=["region", "industry", "registration_status"]),
            models.Index(fields=["registration_status", "coverage_state"]),
            models.Index(fields=["name"], name="orgs_organization_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_deregistered(self) -> bool:
        return self.registration_status in DEREGISTERED


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


class InstructorKind(models.TextChoices):
    INSTRUCTOR = "instructor", "党建指导员"
    LIAISON = "liaison", "党建联络员"


class Instructor(BaseModel):
    name = models.CharField("姓名", max_length=50)
    kind = models.CharField("类型", max_length=16, choices=InstructorKind.choices, default=InstructorKind.INSTRUCTOR)
    unit = models.ForeignKey("accounts.Unit", verbose_name="派出单位", on_delete=models.PROTECT, related_name="instructors")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="instructor"
    )
    title = models.CharField("职务", max_length=100, blank=True)

    scope_region_field = "unit__region__code"

    @staticmethod
    def scope_personal(user) -> models.Q:
        return models.Q(user=user)

    class Meta:
        ordering = ["name"]
        verbose_name = "党建指导员"

    def __str__(self):
        return self.name


class InstructorAssignment(BaseModel):
    instructor = models.ForeignKey(Instructor, on_delete=models.CASCADE, related_name="assignments")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="instructor_assignments")
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)

    scope_region_field = "organization__region__code"
    scope_industry_field = "organization__industry_id"
    scope_zone_field = "organization__zone_id"

    @staticmethod
    def scope_personal(user) -> models.Q:
        return models.Q(instructor__user=user)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = "指导员选派"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")), name="assignment_dates_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.instructor} → {self.organization}"


class InstructorVisit(BaseModel):
    assignment = models.ForeignKey(InstructorAssignment, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("走访日期")
    content = models.TextField("指导内容")
    problems = models.TextField("发现问题", blank=True)

    scope_region_field = "assignment__organization__region__code"
    scope_industry_field = "assignment__organization__industry_id"
    scope_zone_field = "assignment__organization__zone_id"

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = "联系指导记录"

    def __str__(self):
        return f"{self.assignment} {self.visited_on}"


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
    status = models.CharField("状态", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE)
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
