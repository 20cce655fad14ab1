"""Study materials (学习资料): published by a unit at its region, shared to Party organizations, marked done by
their members. No online-time counting anywhere: a member marks a material done, once; the only figure is how many
of an organization's members did (done / members expected), per organization and material.

A material is seen by the units of its region and above (its region code), and by the members (and secretaries)
of the Party organizations it is shared to once it is published. A share is seen by whoever sees its Party
organization, as a meeting is; a completion belongs to the member.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sanxin.core.models import BaseModel
from sanxin.core.roles import Role

TITLE_MAX = 100
BODY_MAX = 20000
LINK_MAX = 500


class MaterialKind(models.TextChoices):
    DOCUMENT = "document", "文件"
    ARTICLE = "article", "文章"
    VIDEO = "video", "视频链接"
    OTHER = "other", "其他"


class MaterialStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


# What members see of a material: published ones, and withdrawn ones (shown as withdrawn, not to be marked).
MEMBER_VISIBLE = (MaterialStatus.PUBLISHED, MaterialStatus.WITHDRAWN)


class StudyMaterial(BaseModel):
    UPLOAD_FOLDER = "study-attachments"

    title = models.CharField("标题", max_length=TITLE_MAX)
    kind = models.CharField("类型", max_length=16, choices=MaterialKind.choices, default=MaterialKind.ARTICLE)
    body = models.TextField("正文", blank=True)  # plain text, escaped on every page
    link = models.CharField("链接", max_length=LINK_MAX, blank=True)  # http or https only
    attachment_name = models.CharField("附件名称", max_length=100, blank=True)
    attachment_stored = models.CharField("附件存储文件名", max_length=64, blank=True)
    attachment_size = models.PositiveIntegerField("附件字节数", default=0)
    region = models.ForeignKey("regions.Region", verbose_name="发布地区", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("accounts.Unit", verbose_name="发布单位", null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField("状态", max_length=16, choices=MaterialStatus.choices, default=MaterialStatus.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+")

    scope_region_field = "region__code"
    # A county's material is for the streets and communities below it too: they open what is shared to their Party
    # organizations (written only where it was published or above: sanxin.study.selectors.access_material).
    scope_reaches_down = True

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "学习资料"
        indexes = [models.Index(fields=["region", "status"], name="study_material_region_status")]

    def __str__(self):
        return self.title

    @staticmethod
    def scope_personal(user) -> models.Q:
        """Without territory: a member (or secretary) sees the published (and withdrawn) materials shared to the Party
        organization they belong to, a mobile member attending there included (their Party organization is it)."""
        return models.Q(shares__party_organization__members__user=user, status__in=MEMBER_VISIBLE)

    @property
    def has_attachment(self) -> bool:
        return bool(self.attachment_stored)


class StudyShare(BaseModel):
    """A material shared to one Party organization (once: sharing again changes nothing), with an optional due date."""

    material = models.ForeignKey(StudyMaterial, verbose_name="学习资料", on_delete=models.CASCADE, related_name="shares")
    party_organization = models.ForeignKey(
        "party.PartyOrganization", verbose_name="党组织", on_delete=models.PROTECT, related_name="study_shares"
    )
    due_on = models.DateField("学习截止日期", null=True, blank=True)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="分享人", null=True, on_delete=models.SET_NULL, related_name="+")

    scope_region_field = "party_organization__region__code"
    scope_industry_field = "party_organization__industry_id"
    scope_zone_field = "party_organization__zone_id"
    scope_seen_through = "party_organization__covered_organizations"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "学习资料分享"
        constraints = [models.UniqueConstraint(fields=["material", "party_organization"], name="study_share_once")]

    def __str__(self):
        return f"{self.material_id}→{self.party_organization_id}"

    @staticmethod
    def scope_personal(user) -> models.Q:
        """Without territory: a Party secretary sees the shares to the Party organizations they belong to."""
        if user.has_role(Role.PARTY_SECRETARY):
            return models.Q(party_organization__members__user=user)
        return models.Q(pk__in=[])


class StudyCompletion(BaseModel):
    """A member marked a material done: once (a database constraint), never counted in time."""

    material = models.ForeignKey(StudyMaterial, verbose_name="学习资料", on_delete=models.CASCADE, related_name="completions")
    member = models.ForeignKey("members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="study_completions")
    # Where the member studied it (their Party organization when they marked it).
    party_organization = models.ForeignKey("party.PartyOrganization", verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField("学完时间")

    class Meta:
        ordering = ["-done_at", "-pk"]
        verbose_name = "学习完成记录"
        constraints = [models.UniqueConstraint(fields=["material", "member"], name="study_done_once")]

    def __str__(self):
        return f"{self.member_id} {self.material_id}"
