"""Pages for Party-building instructors (党建指导员): list, detail with assignments, visits, exports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page
from sanxin.core.views_helpers import apply_validation_error, capability_required, posted
from sanxin.instructors import selectors, services
from sanxin.instructors.forms import AssignmentForm, InstructorForm, VisitForm
from sanxin.instructors.models import InstructorVisit
from sanxin.instructors.selectors import access_assignment, access_instructor

INSTRUCTOR_COLUMNS = [
    Column("姓名", lambda i: i.name),
    Column("类型", lambda i: i.get_kind_display()),
    Column("派出单位", lambda i: i.unit.name, 30),
    Column("派出单位所在地区", lambda i: i.unit.region.full_name if i.unit.region_id else "", 30),
    Column("职务", lambda i: i.title, 24),
    Column("在派组织数", lambda i: i.active_assignments),
]
# One row per visit; an assignment without visits still has its row.
WORK_COLUMNS = [
    Column("统一社会信用代码", lambda r: r[0].organization.credit_code, 22),
    Column("单位名称", lambda r: r[0].organization.name, 36),
    Column("所在地区", lambda r: r[0].organization.region.full_name, 30),
    Column("选派开始日期", lambda r: r[0].started_on),
    Column("选派结束日期", lambda r: r[0].ended_on),
    Column("走访日期", lambda r: r[1].visited_on if r[1] else None),
    Column("指导内容", lambda r: r[1].content if r[1] else "", 40),
    Column("发现问题", lambda r: r[1].problems if r[1] else "", 30),
]


@capability_required("instructors.view")
def instructor_list(request):
    instructors = selectors.instructor_list(user=request.user, q=request.GET.get("q", ""))
    listing = list_page(
        request, instructors, sortable={"name": "name", "unit": "unit__name", "active": "active_assignments"}, default_sort="name"
    )
    return render(request, "instructors/list.html", {"listing": listing, "can_manage": request.user.can("instructors.manage")})


@capability_required("instructors.view")
def instructor_export(request):
    rows = selectors.instructor_list(user=request.user, q=request.GET.get("q", "")).order_by("name", "pk")
    return export_list(request, title="党建指导员", columns=INSTRUCTOR_COLUMNS, rows=rows, action="instructor")


@capability_required("instructors.view")
def instructor_work_export(request, pk):
    """An instructor's assignments and visit log (those inside the user's scope)."""
    instructor = access_instructor(pk, user=request.user)
    assignments = list(selectors.instructor_assignments(instructor, user=request.user).order_by("-started_on", "pk"))
    visits: dict[int, list] = {}
    for visit in InstructorVisit.objects.filter(assignment__in=assignments).order_by("-visited_on", "-pk"):
        visits.setdefault(visit.assignment_id, []).append(visit)
    rows = [(a, v) for a in assignments for v in (visits.get(a.pk) or [None])]
    return export_list(request, title=f"选派与联系指导记录-{instructor.name}", columns=WORK_COLUMNS, rows=rows, action="instructor")


@capability_required("instructors.manage")
def instructor_create(request):
    form = InstructorForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            instructor = services.instructor_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("instructors:detail", pk=instructor.pk)
    return render(request, "includes/simple_form.html", {"form": form, "title": "新增党建指导员", "back": "instructors:list"})


@capability_required("instructors.view")
def instructor_detail(request, pk):
    instructor = access_instructor(pk, user=request.user)
    assignments = selectors.instructor_assignments(instructor, user=request.user).prefetch_related("visits")
    can_manage = request.user.can("instructors.manage")
    form = AssignmentForm(posted(request), user=request.user)
    if request.method == "POST" and can_manage and form.is_valid():
        data = form.cleaned_data
        try:
            services.assignment_create(
                actor=request.user,
                instructor=instructor,
                organization=data["credit_code"],
                started_on=data["started_on"],
                ended_on=data["ended_on"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "已选派")
            return redirect("instructors:detail", pk=instructor.pk)
    context = {
        "instructor": instructor,
        "assignments": assignments,
        "form": form,
        "can_manage": can_manage,
        "can_log": request.user.can("instructors.visit"),
        "today": timezone.localdate(),
    }
    return render(request, "instructors/detail.html", context)


@capability_required("instructors.visit")
def assignment_visit(request, pk):
    """Staff of the territory, or the instructor on the assignment, log a visit."""
    assignment = access_assignment(pk, user=request.user, capability="instructors.visit")
    form = VisitForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_create(actor=request.user, assignment=assignment, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "已记录走访")
            return redirect("instructors:detail", pk=assignment.instructor_id)
    title = f"记录走访：{assignment.instructor.name} → {assignment.organization.name}"
    return render(request, "includes/simple_form.html", {"form": form, "title": title, "back": "instructors:list"})


@capability_required("instructors.manage")
def assignment_end(request, pk):
    assignment = access_assignment(pk, user=request.user)
    if request.method == "POST":
        try:
            services.assignment_end(actor=request.user, assignment=assignment, ended_on=timezone.localdate())
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, "已结束选派")
    return redirect("instructors:detail", pk=assignment.instructor_id)
