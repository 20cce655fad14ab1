"""Party-building instructors (党建指导员) and liaisons: assignments to organizations and the visit log."""

from django.conf import settings
from django.db import models

from sanxin.core.models import BaseModel
from sanxin.orgs.models import Organization


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
