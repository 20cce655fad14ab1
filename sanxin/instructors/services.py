"""Party-building instructors (党建指导员): assignments give work coverage while active; visits are logged."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sanxin.core.audit import audit_record
from sanxin.core.events import publish
from sanxin.core.guards import require
from sanxin.core.scope import scoped
from sanxin.instructors.models import Instructor, InstructorAssignment, InstructorVisit
from sanxin.instructors.selectors import units_in_line
from sanxin.orgs.models import Organization


@transaction.atomic
def instructor_create(*, actor, name: str, kind: str, unit, title: str = "", user=None) -> Instructor:
    require(actor, "instructors.manage")
    if not name.strip():
        raise ValidationError({"name": "姓名不能为空"})
    if actor is not None and not units_in_line(actor).filter(pk=unit.pk).exists():
        raise ValidationError({"unit": "派出单位不在您的管辖范围内（行业党委、园区党组织只能选本行业、本园区的单位）"})
    instructor = Instructor.objects.create(name=name.strip(), kind=kind, unit=unit, title=title.strip(), user=user)
    audit_record(actor=actor, action="instructor_create", obj=instructor, detail={"unit": unit.pk, "kind": kind})
    return instructor


@transaction.atomic
def assignment_create(
    *, actor, instructor: Instructor, organization: Organization, started_on: date, ended_on: date | None = None
) -> InstructorAssignment:
    require(actor, "instructors.manage")
    if ended_on and ended_on < started_on:
        raise ValidationError({"ended_on": "结束日期不能早于开始日期"})
    if actor is not None and not scoped(Organization.objects.filter(pk=organization.pk), actor).exists():
        raise ValidationError({"credit_code": f"“{organization.name}”不在您的管辖范围内"})
    overlapping = InstructorAssignment.objects.filter(instructor=instructor, organization=organization).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=started_on)
    )
    if ended_on:
        overlapping = overlapping.filter(started_on__lte=ended_on)
    if overlapping.exists():
        raise ValidationError({"organization": f"{instructor.name} 在该期间已选派到“{organization.name}”"})
    assignment = InstructorAssignment.objects.create(
        instructor=instructor, organization=organization, started_on=started_on, ended_on=ended_on
    )
    publish("organizations.changed", ids=[organization.pk])  # an assignment gives work coverage
    audit_record(actor=actor, action="assignment_create", obj=assignment, detail={"organization": organization.pk, "from": str(started_on)})
    return assignment


@transaction.atomic
def assignment_end(*, actor, assignment: InstructorAssignment, ended_on: date) -> InstructorAssignment:
    require(actor, "instructors.manage")
    if assignment.ended_on is not None:
        raise ValidationError({"ended_on": "该选派已结束"})
    if ended_on < assignment.started_on:
        raise ValidationError({"ended_on": "结束日期不能早于开始日期"})
    assignment.ended_on = ended_on
    assignment.save(update_fields=["ended_on", "updated_at"])
    publish("organizations.changed", ids=[assignment.organization_id])
    audit_record(actor=actor, action="assignment_end", obj=assignment, detail={"ended_on": str(ended_on)})
    return assignment


@transaction.atomic
def visit_create(*, actor, assignment: InstructorAssignment, visited_on: date, content: str, problems: str = "") -> InstructorVisit:
    require(actor, "instructors.visit")
    today = timezone.localdate()
    if visited_on > today:
        raise ValidationError({"visited_on": "走访日期不能晚于今天"})
    if visited_on < assignment.started_on or (assignment.ended_on and visited_on > assignment.ended_on):
        raise ValidationError({"visited_on": "走访日期不在选派期间内"})
    if not content.strip():
        raise ValidationError({"content": "请填写指导内容"})
    visit = InstructorVisit.objects.create(assignment=assignment, visited_on=visited_on, content=content.strip(), problems=problems.strip())
    audit_record(actor=actor, action="visit_create", obj=visit, detail={"organization": assignment.organization_id})
    return visit
