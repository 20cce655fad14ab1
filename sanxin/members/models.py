"""Party members (党员): personal data encrypted per field, seen by whoever sees the member's Party organization."""

from django.conf import settings
from django.db import models

from sanxin.core.fields import BlindIndexField, EncryptedField
from sanxin.core.masking import MaskedIdentity, mask_id_number, mask_phone
from sanxin.core.models import BaseModel
from sanxin.core.roles import Role


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", "研究生"
    BACHELOR = "bachelor", "大学本科"
    COLLEGE = "college", "大学专科"
    SECONDARY = "secondary", "中专/高中"
    JUNIOR = "junior", "初中及以下"


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"


class RelationMode(models.TextChoices):
    LOCAL = "local", "组织关系在本组织"
    MOBILE = "mobile", "流动党员（在此参加组织生活）"
    POCKET = "pocket", "口袋党员（组织关系未转接）"
    LOST = "lost", "失联党员"


class Member(MaskedIdentity, BaseModel):
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    education = models.CharField("学历", max_length=16, choices=Education.choices, blank=True)
    id_number = EncryptedField("公民身份号码", kind="id_number", index_field="id_number_index")
    id_number_index = BlindIndexField(db_index=False)  # unique through the constraint below
    phone = EncryptedField("手机号码", kind="phone", index_field="phone_index", blank=True, default="")
    phone_index = BlindIndexField()
    joined_on = models.DateField("入党日期")
    status = models.CharField("党员状态", max_length=16, choices=MemberStatus.choices)
    party_organization = models.ForeignKey(
        "party.PartyOrganization", verbose_name="所在党组织", on_delete=models.PROTECT, related_name="members"
    )
    relation_mode = models.CharField("组织关系情况", max_length=16, choices=RelationMode.choices, default=RelationMode.LOCAL)
    occupation = models.CharField("职业", max_length=50, blank=True)
    employer = models.ForeignKey(
        "orgs.Organization", verbose_name="工作单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="party_members"
    )
    # The member's own account, when they have one; a secretary sees the members of the Party organization they belong to.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="本人账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="member_record"
    )

    # Seen by whoever sees its Party organization: its own place, or the place of an organization it covers.
    scope_region_field = "party_organization__region__code"
    scope_industry_field = "party_organization__industry_id"
    scope_zone_field = "party_organization__zone_id"
    scope_seen_through = "party_organization__covered_organizations"

    class Meta:
        ordering = ["party_organization_id", "name", "id"]
        verbose_name = "党员"
        indexes = [models.Index(fields=["party_organization", "name"], name="member_org_name")]
        constraints = [models.UniqueConstraint(fields=["id_number_index"], name="member_unique_id_number")]

    def __str__(self):
        return self.name

    @staticmethod
    def scope_personal(user) -> models.Q:
        """Without territory: a member sees their own record; a Party secretary, the members of their Party organization."""
        own = models.Q(user=user)
        if user.has_role(Role.PARTY_SECRETARY):
            own |= models.Q(party_organization__members__user=user)
        return own


class DevelopmentStage(models.TextChoices):
    APPLICANT = "applicant", "入党申请人"
    ACTIVIST = "activist", "入党积极分子"
    CANDIDATE = "candidate", "发展对象"
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"


class Development(BaseModel):
    """One person on the way into the Party (发展党员), from the application to full membership.

    The stage is changed only through sanxin.members.workflow.DEVELOPMENT; on admission the Member record is
    created (预备), on full membership its status becomes 正式, both through the member services."""

    name = models.CharField("姓名", max_length=50)
    id_number = EncryptedField("公民身份号码", kind="id_number", index_field="id_number_index")
    id_number_index = BlindIndexField(db_index=False)  # unique through the constraint below
    birth_date = models.DateField("出生日期")  # from the ID number
    party_organization = models.ForeignKey(
        "party.PartyOrganization", verbose_name="培养党组织", on_delete=models.PROTECT, related_name="developments"
    )
    # A 青年人才党支部 may cultivate someone another Party organization recommends; the new member goes back to it.
    recommending_organization = models.ForeignKey(
        "party.PartyOrganization",
        verbose_name="推荐党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommended_developments",
    )
    stage = models.CharField("发展阶段", max_length=16, choices=DevelopmentStage.choices, default=DevelopmentStage.APPLICANT)
    applied_on = models.DateField("递交入党申请日期")
    activist_on = models.DateField("确定为积极分子日期", null=True, blank=True)
    candidate_on = models.DateField("列为发展对象日期", null=True, blank=True)
    introducer_1 = models.ForeignKey(
        Member, verbose_name="入党介绍人一", null=True, blank=True, on_delete=models.PROTECT, related_name="introduced_first"
    )
    introducer_2 = models.ForeignKey(
        Member, verbose_name="入党介绍人二", null=True, blank=True, on_delete=models.PROTECT, related_name="introduced_second"
    )
    publicity_starts_on = models.DateField("公示开始日期", null=True, blank=True)
    publicity_ends_on = models.DateField("公示结束日期", null=True, blank=True)
    admitted_on = models.DateField("接收为预备党员日期", null=True, blank=True)
    full_on = models.DateField("转为正式党员日期", null=True, blank=True)
    member = models.OneToOneField(
        Member, verbose_name="党员记录", null=True, blank=True, on_delete=models.PROTECT, related_name="development"
    )

    scope_region_field = "party_organization__region__code"
    scope_industry_field = "party_organization__industry_id"
    scope_zone_field = "party_organization__zone_id"
    scope_seen_through = "party_organization__covered_organizations"

    class Meta:
        ordering = ["party_organization_id", "applied_on", "id"]
        verbose_name = "发展党员"
        indexes = [models.Index(fields=["party_organization", "stage"], name="development_org_stage")]
        constraints = [models.UniqueConstraint(fields=["id_number_index"], name="development_unique_id_number")]

    def __str__(self):
        return self.name

    @staticmethod
    def scope_personal(user) -> models.Q:
        """Without territory: a Party secretary sees the people their own Party organization cultivates."""
        if user.has_role(Role.PARTY_SECRETARY):
            return models.Q(party_organization__members__user=user)
        return models.Q(pk__in=[])

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


class TransferState(models.TextChoices):
    INITIATED = "initiated", "已发起"
    ACCEPTED = "accepted", "已接收"
    REJECTED = "rejected", "已退回"
    COMPLETED = "completed", "已完成"
    CANCELLED = "cancelled", "已撤销"


OPEN_TRANSFER_STATES = (TransferState.INITIATED, TransferState.ACCEPTED)


class Transfer(BaseModel):
    """A member's organizational relation moving from their Party organization to another (组织关系转接).

    Two-sided: seen by whoever sees the sending or the receiving Party organization (sanxin.members.transfers
    .transfer_list / access_transfer), across jurisdictions; the state changes only through
    sanxin.members.workflow.TRANSFER. On completion the member moves to the receiving Party organization through
    the member services. At most one open (已发起 or 已接收) transfer per member, held by the database."""

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="transfers")
    from_organization = models.ForeignKey(
        "party.PartyOrganization", verbose_name="转出党组织", on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_organization = models.ForeignKey(
        "party.PartyOrganization", verbose_name="接收党组织", on_delete=models.PROTECT, related_name="transfers_in"
    )
    state = models.CharField("转接状态", max_length=16, choices=TransferState.choices, default=TransferState.INITIATED)
    letter_number = models.CharField("介绍信编号", max_length=50)
    reason = models.CharField("转接原因", max_length=200, blank=True)
    initiated_on = models.DateField("发起日期")
    valid_until = models.DateField("介绍信有效期至")
    accepted_on = models.DateField("接收日期", null=True, blank=True)
    rejected_on = models.DateField("退回日期", null=True, blank=True)
    reject_reason = models.CharField("退回原因", max_length=500, blank=True)
    completed_on = models.DateField("报到完成日期", null=True, blank=True)
    cancelled_on = models.DateField("撤销日期", null=True, blank=True)

    class Meta:
        ordering = ["-initiated_on", "-id"]
        verbose_name = "组织关系转接"
        indexes = [
            models.Index(fields=["from_organization", "state"], name="transfer_from_state"),
            models.Index(fields=["to_organization", "state"], name="transfer_to_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(state__in=["initiated", "accepted"]),
                name="transfer_one_open_per_member",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_organization=models.F("to_organization")), name="transfer_to_another_organization"
            ),
        ]

    def __str__(self):
        return f"{self.member.name}（{self.letter_number}）"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_TRANSFER_STATES


# 亮身份报到 and mobile members (流动党员): the rules are in sanxin.members.identity and sanxin.members.mobility.


class IdentityReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "待确认"
    CONFIRMED = "confirmed", "已确认"
    DECLINED = "declined", "不予确认"


class IdentityDecision(models.TextChoices):
    MOBILE = "mobile", "作为流动党员在此参加组织生活"
    TRANSFER = "transfer", "确认，待启动组织关系转接"


class IdentityReport(MaskedIdentity, BaseModel):
    """A Party member working in the field declares their membership to a Party organization (亮身份报到).

    The state changes only through sanxin.members.workflow.IDENTITY: submitted → confirmed (attached as a mobile
    member, or the decision to start a relation transfer recorded) or declined with a reason."""

    name = models.CharField("姓名", max_length=50)
    id_number = EncryptedField("公民身份号码", kind="id_number", index_field="id_number_index")
    id_number_index = BlindIndexField()
    phone = EncryptedField("手机号码", kind="phone", index_field="phone_index")
    phone_index = BlindIndexField()
    joined_on = models.DateField("入党日期")
    member_status = models.CharField("党员状态", max_length=16, choices=MemberStatus.choices)
    home_organization = models.CharField("组织关系所在党组织", max_length=200, help_text="名称或所在地，如实填写")
    occupation = models.CharField("职业", max_length=50)
    employer_name = models.CharField("工作单位", max_length=200, blank=True)
    party_organization = models.ForeignKey(
        "party.PartyOrganization", verbose_name="报到党组织", on_delete=models.PROTECT, related_name="identity_reports"
    )
    status = models.CharField(
        "状态", max_length=16, choices=IdentityReportStatus.choices, default=IdentityReportStatus.SUBMITTED, db_index=True
    )
    by_staff = models.BooleanField("工作人员代为登记", default=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报到人账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="identity_reports",
    )
    decision = models.CharField("确认方式", max_length=16, choices=IdentityDecision.choices, blank=True)
    decision_note = models.CharField("处理说明", max_length=500, blank=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name="党员记录", null=True, blank=True, on_delete=models.SET_NULL, related_name="identity_reports"
    )
    # The phone's key for this submission (sanxin.core.offline): the same key from the same reporter creates nothing new.
    client_key = models.UUIDField("客户端提交标识", null=True, blank=True, editable=False)

    scope_region_field = "party_organization__region__code"
    scope_industry_field = "party_organization__industry_id"
    scope_zone_field = "party_organization__zone_id"
    scope_seen_through = "party_organization__covered_organizations"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "亮身份报到"
        indexes = [models.Index(fields=["party_organization", "status"], name="identity_org_status")]
        constraints = [
            # One open report per person and Party organization (checked with a Chinese reason by the service first).
            models.UniqueConstraint(
                fields=["id_number_index", "party_organization"],
                condition=models.Q(status="submitted"),
                name="identity_one_open_report",
            ),
            models.UniqueConstraint(
                fields=["reporter", "client_key"], condition=models.Q(client_key__isnull=False), name="identity_once_per_client_key"
            ),
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def scope_personal(user) -> models.Q:
        """Without territory: the reporter sees their own reports; a Party secretary, those to their Party organization."""
        own = models.Q(reporter=user)
        if user.has_role(Role.PARTY_SECRETARY):
            own |= models.Q(party_organization__members__user=user)
        return own


class MobileDirection(models.TextChoices):
    OUTFLOW = "outflow", "流出"
    INFLOW = "inflow", "流入"


class MobileRegistration(BaseModel):
    """One period a member spends away (流出: goes to work elsewhere) or attends here with the relation elsewhere
    (流入: the organization attended is the member's Party organization here). Kept as history, one row a period."""

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="mobile_registrations")
    direction = models.CharField("流动方向", max_length=8, choices=MobileDirection.choices)
    # 流出: where the member goes, and the Party organization there if it is on the platform.
    destination = models.CharField("流入地", max_length=200, blank=True)
    destination_organization = models.ForeignKey(
        "party.PartyOrganization",
        verbose_name="流入地党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inflowing_registrations",
    )
    # 流入: where the member's relation is (free text: it may be anywhere in the country).
    home_organization = models.CharField("组织关系所在党组织", max_length=200, blank=True)
    starts_on = models.DateField("流动开始日期")
    ends_on = models.DateField("流动结束日期", null=True, blank=True)
    contact = EncryptedField("流动期间联系电话", kind="phone", index_field="contact_index", blank=True, default="")
    contact_index = BlindIndexField()
    note = models.CharField("说明", max_length=500, blank=True)

    scope_region_field = "member__party_organization__region__code"
    scope_industry_field = "member__party_organization__industry_id"
    scope_zone_field = "member__party_organization__zone_id"
    scope_seen_through = "member__party_organization__covered_organizations"

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = "流动党员登记"
        indexes = [models.Index(fields=["direction", "ends_on"], name="mobile_direction_end")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")), name="mobile_end_after_start"
            )
        ]

    def __str__(self):
        return f"{self.member_id} {self.get_direction_display()}"

    @staticmethod
    def scope_personal(user) -> models.Q:
        own = models.Q(member__user=user)
        if user.has_role(Role.PARTY_SECRETARY):
            own |= models.Q(member__party_organization__members__user=user)
        return own

    @property
    def contact_masked(self) -> str:
        return mask_phone(self.contact)


class LostContact(BaseModel):
    """A member marked 失联 on a date for a reason, and their recovery: the mode they had before comes back."""

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="lost_contacts")
    lost_on = models.DateField("失联日期")
    reason = models.CharField("失联原因", max_length=500)
    previous_mode = models.CharField("失联前的组织关系情况", max_length=16, choices=RelationMode.choices)
    recovered_on = models.DateField("恢复联系日期", null=True, blank=True)
    recovery_note = models.CharField("恢复联系说明", max_length=500, blank=True)

    scope_region_field = "member__party_organization__region__code"
    scope_industry_field = "member__party_organization__industry_id"
    scope_zone_field = "member__party_organization__zone_id"
    scope_seen_through = "member__party_organization__covered_organizations"

    class Meta:
        ordering = ["-lost_on", "-id"]
        verbose_name = "失联党员记录"
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=models.Q(recovered_on__isnull=True), name="lost_one_open_per_member")
        ]

    def __str__(self):
        return f"{self.member_id} {self.lost_on}"

    @staticmethod
    def scope_personal(user) -> models.Q:
        own = models.Q(member__user=user)
        if user.has_role(Role.PARTY_SECRETARY):
            own |= models.Q(member__party_organization__members__user=user)
        return own
