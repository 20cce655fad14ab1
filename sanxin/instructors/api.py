"""Party-building instructors over the API: instructors, their assignments (选派) and the visit log (走访).

The same selectors and services as the pages: an instructor is seen where their sending unit is or where they
are assigned; an assignment and its visits where its organization is; an instructor who logs in sees their own.
"""

from __future__ import annotations

from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Day, Limit, Offset, QueryText, responses
from sanxin.core.guards import require
from sanxin.instructors import selectors, services
from sanxin.instructors.forms import AssignmentForm, InstructorForm
from sanxin.instructors.models import Instructor, InstructorAssignment, InstructorKind
from sanxin.orgs.api import OrganizationRef, choices_text, form_value, in_queryset, resolved

router = Router(tags=["党建指导员"])


class AssignmentOut(Schema):
    id: int
    instructor: int = Field(description="指导员编号")
    instructor_name: str
    organization: OrganizationRef
    region_name: str = Field(description="组织所在地区")
    started_on: Day
    ended_on: Day | None = Field(description="结束日期；空为仍在派")
    active: bool = Field(description="今天在派")

    @staticmethod
    def resolve_instructor(obj: InstructorAssignment) -> int:
        return obj.instructor_id

    @staticmethod
    def resolve_instructor_name(obj: InstructorAssignment) -> str:
        return obj.instructor.name

    @staticmethod
    def resolve_region_name(obj: InstructorAssignment) -> str:
        return obj.organization.region.full_name

    @staticmethod
    def resolve_active(obj: InstructorAssignment) -> bool:
        today = timezone.localdate()
        return obj.started_on <= today and (obj.ended_on is None or obj.ended_on >= today)


class InstructorOut(Schema):
    id: int
    name: str
    kind: str = Field(description=f"类型：{choices_text(InstructorKind.choices)}")
    kind_label: str
    unit: int = Field(description="派出单位编号")
    unit_name: str
    title: str = Field(description="职务")
    active_assignments: int = Field(description="在派组织数（只计您数据范围内的选派）")

    @staticmethod
    def resolve_kind_label(obj: Instructor) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_unit(obj: Instructor) -> int:
        return obj.unit_id

    @staticmethod
    def resolve_unit_name(obj: Instructor) -> str:
        return obj.unit.name


class InstructorDetail(InstructorOut):
    assignments: list[AssignmentOut] = Field(description="选派（当前与以往；只列您数据范围内的组织）")

    @staticmethod
    def resolve_assignments(obj: Instructor, context) -> list:
        found = selectors.instructor_assignments(obj, user=context["request"].auth).select_related("instructor")
        return list(found.order_by("-started_on", "pk"))


class InstructorList(Schema):
    items: list[InstructorOut]
    count: int


def _instructor(pk, user) -> Instructor:
    """The instructor with the counts the list shows (only what the user may see)."""
    instructor = selectors.access_instructor(pk, user=user)
    return selectors.instructor_list(user=user).get(pk=instructor.pk)


@router.get("/instructors", response=responses({200: InstructorList}), summary="党建指导员名单（按数据权限）")
def list_instructors(request, q: QueryText("姓名（包含）", "王") = "", offset: Offset = 0, limit: Limit(200) = 50):
    """As the instructor list page (`?q=`): instructors sent by units of your scope (of your industry line or zone
    when your scope is narrowed to one) and those assigned to organizations of your scope."""
    if not request.auth.can("instructors.view"):
        raise Http404
    found = selectors.instructor_list(user=request.auth, q=q).order_by("name", "pk")
    return {"items": list(found[offset : offset + limit]), "count": found.count()}


@router.get("/instructors/{instructor_id}", response=responses({200: InstructorDetail}), summary="单个党建指导员（含选派）")
def get_instructor(request, instructor_id: int):
    return _instructor(instructor_id, request.auth)


class InstructorIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=50, pattern=TEXT_VALUE, description="姓名")
    kind: Literal[tuple(InstructorKind.values)] = Field(
        InstructorKind.INSTRUCTOR, description=f"类型：{choices_text(InstructorKind.choices)}"
    )
    unit: int = Field(description="派出单位编号（见 /api/v1/units；须在您的数据范围内，行业党委、园区党组织只能选本行业、本园区的单位）")
    title: str = Field("", max_length=100, pattern=TEXT_VALUE, description="职务")


@router.post("/instructors", response=responses({201: InstructorDetail}, refusals=(403,)), summary="新增党建指导员")
def create_instructor(request, payload: InstructorIn):
    user = request.auth
    require(user, "instructors.manage")
    form = InstructorForm(user=user)
    resolvers = {"unit": lambda pk: in_queryset(form, "unit", pk, key="pk", label="派出单位编号")}
    instructor = services.instructor_create(actor=user, **resolved(form, payload.dict(), resolvers))
    return Status(201, _instructor(instructor.pk, user))


class AssignmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    credit_code: str = Field(max_length=18, pattern=TEXT_VALUE, description="选派到的组织的统一社会信用代码（须在您的数据范围内）")
    started_on: Day = Field(description="开始日期")
    ended_on: Day | None = Field(None, description="结束日期；空为长期在派。同一组织的选派期间不得重叠")


@router.post(
    "/instructors/{instructor_id}/assignments",
    response=responses({201: AssignmentOut}, refusals=(403,)),
    summary="选派党建指导员到组织",
)
def create_assignment(request, instructor_id: int, payload: AssignmentIn):
    """An active assignment brings work coverage (工作覆盖) to the organization."""
    user = request.auth
    instructor = selectors.access_instructor(instructor_id, user=user, for_write=True)
    form = AssignmentForm(user=user)
    fields = resolved(form, payload.dict(), {"credit_code": lambda code: form_value(form, "credit_code", code)})
    assignment = services.assignment_create(
        actor=user, instructor=instructor, organization=fields["credit_code"], started_on=fields["started_on"], ended_on=fields["ended_on"]
    )
    return Status(201, selectors.access_assignment(assignment.pk, user=user, capability="instructors.view"))


class VisitOut(Schema):
    id: int
    visited_on: Day
    content: str = Field(description="指导内容")
    problems: str = Field(description="发现问题")


class AssignmentDetail(AssignmentOut):
    visits: list[VisitOut] = Field(description="走访记录，最近的在前")

    @staticmethod
    def resolve_visits(obj: InstructorAssignment) -> list:
        return list(obj.visits.all())


@router.get("/assignments/{assignment_id}", response=responses({200: AssignmentDetail}), summary="单个选派（含走访记录）")
def get_assignment(request, assignment_id: int):
    return selectors.access_assignment(assignment_id, user=request.auth, capability="instructors.view")


class AssignmentEndIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ended_on: Day | None = Field(None, description="结束日期，不早于开始日期；空为今天")


@router.post(
    "/assignments/{assignment_id}/end",
    response=responses({200: AssignmentDetail}, refusals=(403,)),
    summary="结束选派",
)
def end_assignment(request, assignment_id: int, payload: AssignmentEndIn):
    user = request.auth
    assignment = selectors.access_assignment(assignment_id, user=user)
    services.assignment_end(actor=user, assignment=assignment, ended_on=payload.ended_on or timezone.localdate())
    return selectors.access_assignment(assignment.pk, user=user, capability="instructors.view")


class VisitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    visited_on: Day = Field(description="走访日期，在选派期间内且不晚于今天")
    content: str = Field(max_length=5000, pattern=TEXT_VALUE, description="指导内容")
    problems: str = Field("", max_length=5000, pattern=TEXT_VALUE, description="发现问题")


@router.post(
    "/assignments/{assignment_id}/visits",
    response=responses({201: VisitOut}, refusals=(403,)),
    summary="记录走访",
)
def create_visit(request, assignment_id: int, payload: VisitIn):
    """Staff of the organization's territory, or the instructor on the assignment, log a visit."""
    user = request.auth
    assignment = selectors.access_assignment(assignment_id, user=user, capability="instructors.visit")
    return Status(201, services.visit_create(actor=user, assignment=assignment, **payload.dict()))
