"""Pages for instructors (党建指导员) and census campaigns (摸排)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils import timezone

from sanxin.accounts.roles import Cap
from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page
from sanxin.core.scope import access, scoped
from sanxin.core.views_helpers import apply_validation_error, capability_required
from sanxin.orgs import census_services, instructor_services, selectors
from sanxin.orgs.models import (
    CENSUS_ITEMS,
    CensusCampaign,
    CensusRecord,
    InstructorAssignment,
    InstructorVisit,
    Organization,
    Todo,
    TodoStatus,
)
from sanxin.orgs.selectors import access_instructor
from sanxin.orgs.work_forms import AssignmentForm, CampaignForm, CensusRecordForm, InstructorForm, TodoCloseForm, VisitForm


def access_assignment(pk, *, user, capability=Cap.ORGS_MANAGE) -> InstructorAssignment:
    return access(InstructorAssignment.objects.select_related("instructor", "organization"), pk, user, capability=capability)


def access_campaign(pk, *, user, for_write=False) -> CensusCampaign:
    return access(
        CensusCampaign.objects.select_related("region", "industry"),
        pk,
        user,
        capability=Cap.CENSUS_MANAGE if for_write else Cap.CENSUS_VIEW,
    )


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


@capability_required(Cap.ORGS_VIEW)
def instructor_list(request):
    instructors = selectors.instructor_list(user=request.user, q=request.GET.get("q", ""))
    listing = list_page(
        request, instructors, sortable={"name": "name", "unit": "unit__name", "active": "active_assignments"}, default_sort="name"
    )
    return render(request, "orgs/instructor_list.html", {"listing": listing, "can_manage": request.user.can(Cap.ORGS_MANAGE)})


@capability_required(Cap.ORGS_VIEW)
def instructor_export(request):
    rows = selectors.instructor_list(user=request.user, q=request.GET.get("q", "")).order_by("name", "pk")
    return export_list(request, title="党建指导员", columns=INSTRUCTOR_COLUMNS, rows=rows, action="instructor")


def _instructor_assignments(instructor, user):
    return scoped(instructor.assignments.select_related("organization", "organization__region"), user)


@capability_required(Cap.ORGS_VIEW)
def instructor_work_export(request, pk):
    """An instructor's assignments and visit log (those inside the user's scope)."""
    instructor = access_instructor(pk, user=request.user)
    assignments = list(_instructor_assignments(instructor, request.user).order_by("-started_on", "pk"))
    visits: dict[int, list] = {}
    for visit in InstructorVisit.objects.filter(assignment__in=assignments).order_by("-visited_on", "-pk"):
        visits.setdefault(visit.assignment_id, []).append(visit)
    rows = [(a, v) for a in assignments for v in (visits.get(a.pk) or [None])]
    return export_list(request, title=f"选派与联系指导记录-{instructor.name}", columns=WORK_COLUMNS, rows=rows, action="instructor")


@capability_required(Cap.ORGS_MANAGE)
def instructor_create(request):
    form = InstructorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            instructor = instructor_services.instructor_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("orgs:instructor_detail", pk=instructor.pk)
    return render(request, "orgs/simple_form.html", {"form": form, "title": "新增党建指导员", "back": "orgs:instructor_list"})


@capability_required(Cap.ORGS_VIEW)
def instructor_detail(request, pk):
    instructor = access_instructor(pk, user=request.user)
    assignments = _instructor_assignments(instructor, request.user).prefetch_related("visits")
    can_manage = request.user.can(Cap.ORGS_MANAGE)
    form = AssignmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and can_manage and form.is_valid():
        data = form.cleaned_data
        try:
            instructor_services.assignment_create(
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
            return redirect("orgs:instructor_detail", pk=instructor.pk)
    context = {
        "instructor": instructor,
        "assignments": assignments,
        "form": form,
        "can_manage": can_manage,
        "can_log": request.user.can(Cap.VISITS_LOG),
        "today": timezone.localdate(),
    }
    return render(request, "orgs/instructor_detail.html", context)


@capability_required(Cap.VISITS_LOG)
def assignment_visit(request, pk):
    """Staff of the territory, or the instructor on the assignment, log a visit."""
    assignment = access_assignment(pk, user=request.user, capability=Cap.VISITS_LOG)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            instructor_services.visit_create(actor=request.user, assignment=assignment, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "已记录走访")
            return redirect("orgs:instructor_detail", pk=assignment.instructor_id)
    title = f"记录走访：{assignment.instructor.name} → {assignment.organization.name}"
    return render(request, "orgs/simple_form.html", {"form": form, "title": title, "back": "orgs:instructor_list"})


@capability_required(Cap.ORGS_MANAGE)
def assignment_end(request, pk):
    assignment = access_assignment(pk, user=request.user)
    if request.method == "POST":
        try:
            instructor_services.assignment_end(actor=request.user, assignment=assignment, ended_on=timezone.localdate())
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, "已结束选派")
    return redirect("orgs:instructor_detail", pk=assignment.instructor_id)


CAMPAIGN_COLUMNS = [
    Column("行动名称", lambda r: r[0].name, 36),
    Column("摸排范围", lambda r: r[0].region.full_name, 30),
    Column("限定行业", lambda r: r[0].industry.name if r[0].industry_id else "全部"),
    Column("开始日期", lambda r: r[0].starts_on),
    Column("截止日期", lambda r: r[0].ends_on),
    Column("状态", lambda r: r[0].get_status_display()),
    Column("发起单位", lambda r: r[0].created_by_unit.name, 24),
    Column("应摸排组织数", lambda r: r[1]["total"]),
    Column("已摸排组织数", lambda r: r[1]["done"]),
    Column("进度", lambda r: round(r[1]["rate"], 4) if r[1]["rate"] is not None else None),
]


def _campaigns(user):
    return scoped(CensusCampaign.objects.select_related("region", "industry", "created_by_unit"), user)


@capability_required(Cap.CENSUS_VIEW)
def census_list(request):
    listing = list_page(
        request, _campaigns(request.user), sortable={"starts": "starts_on", "name": "name", "ends": "ends_on"}, default_sort="-starts"
    )
    rows = [(c, census_services.campaign_progress(c, user=request.user)) for c in listing.page]
    return render(request, "orgs/census_list.html", {"listing": listing, "rows": rows, "can_manage": request.user.can(Cap.CENSUS_MANAGE)})


@capability_required(Cap.CENSUS_VIEW)
def census_list_export(request):
    rows = ((c, census_services.campaign_progress(c, user=request.user)) for c in _campaigns(request.user).order_by("-starts_on", "pk"))
    return export_list(request, title="摸排行动", columns=CAMPAIGN_COLUMNS, rows=rows, action="census")


@capability_required(Cap.CENSUS_MANAGE)
def census_create(request):
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = census_services.census_campaign_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("orgs:census_detail", pk=campaign.pk)
    return render(request, "orgs/simple_form.html", {"form": form, "title": "发起摸排行动", "back": "orgs:census_list", "picker": True})


def _campaign_orgs(campaign, user):
    done = CensusRecord.objects.filter(campaign=campaign, organization=OuterRef("pk"))
    return scoped(census_services.campaign_organizations(campaign).select_related("region", "industry"), user).annotate(
        censused=Exists(done)
    )


@capability_required(Cap.CENSUS_VIEW)
def census_detail(request, pk):
    campaign = access_campaign(pk, user=request.user)
    orgs = _campaign_orgs(campaign, request.user)
    state = request.GET.get("state", "")
    if state == "done":
        orgs = orgs.filter(censused=True)
    elif state == "todo":
        orgs = orgs.filter(censused=False)
    listing = list_page(request, orgs, sortable={"name": "name", "region": "region_id"}, default_sort="region")
    todos = scoped(
        Todo.objects.filter(census_record__campaign=campaign, status=TodoStatus.OPEN).select_related("organization"), request.user
    )
    context = {
        "campaign": campaign,
        "listing": listing,
        "progress": census_services.campaign_progress(campaign, user=request.user),
        "todos": todos,
        "can_manage": request.user.can(Cap.CENSUS_MANAGE),
    }
    return render(request, "orgs/census_detail.html", context)


@capability_required(Cap.CENSUS_VIEW)
def census_export(request, pk):
    campaign = access_campaign(pk, user=request.user)
    records = {r.organization_id: r for r in CensusRecord.objects.filter(campaign=campaign)}
    columns = [
        Column("统一社会信用代码", lambda o: o.credit_code, 22),
        Column("单位名称", lambda o: o.name, 36),
        Column("所在地区", lambda o: o.region.full_name, 30),
        Column("是否已摸排", lambda o: o.pk in records),
        Column("摸排日期", lambda o: records[o.pk].censused_on if o.pk in records else None),
        Column("正式党员数", lambda o: records[o.pk].formal_members if o.pk in records else None),
        *[Column(label, lambda o, key=key: getattr(records[o.pk], key) if o.pk in records else "", 30) for key, label in CENSUS_ITEMS],
    ]
    rows = _campaign_orgs(campaign, request.user).order_by("region_id", "name")
    return export_list(request, title=f"摸排情况-{campaign.name}", columns=columns, rows=rows, action="census")


@capability_required(Cap.CENSUS_MANAGE)
def census_record(request, pk, org_pk):
    campaign = access_campaign(pk, user=request.user, for_write=True)
    organization = access(Organization.objects.all(), org_pk, request.user, capability=Cap.CENSUS_MANAGE)
    existing = CensusRecord.objects.filter(campaign=campaign, organization=organization).first()
    initial = {
        "censused_on": timezone.localdate(),
        "employees": organization.employees,
        "formal_members": organization.formal_members,
        "probationary_members": organization.probationary_members,
    }
    if existing:
        initial |= {f: getattr(existing, f) for f in ("censused_on", "employees", "formal_members", "probationary_members")}
        initial |= {key: getattr(existing, key) for key, _ in CENSUS_ITEMS}
    form = CensusRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            census_services.census_record_save(actor=request.user, campaign=campaign, organization=organization, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已保存“{organization.name}”的摸排情况")
            return redirect("orgs:census_detail", pk=campaign.pk)
    title = f"七个清：{organization.name}"
    return render(request, "orgs/simple_form.html", {"form": form, "title": title, "back": "orgs:census_list"})


TODO_COLUMNS = [
    Column("事项", lambda t: t.get_kind_display(), 30),
    Column("统一社会信用代码", lambda t: t.organization.credit_code, 22),
    Column("组织", lambda t: t.organization.name, 36),
    Column("所在地区", lambda t: t.organization.region.full_name, 30),
    Column("说明", lambda t: t.note, 40),
    Column("办理期限", lambda t: t.due_on),
    Column("状态", lambda t: t.get_status_display()),
    Column("办结日期", lambda t: t.closed_on),
    Column("办结说明", lambda t: t.close_note, 40),
]


def _todos(request):
    """To-dos in scope; ?status= open (the default), done, or empty for all."""
    todos = scoped(Todo.objects.select_related("organization", "organization__region"), request.user)
    status = request.GET.get("status", TodoStatus.OPEN)
    return todos.filter(status=status) if status else todos


@capability_required(Cap.ORGS_VIEW)
def todo_list(request):
    listing = list_page(request, _todos(request), sortable={"due": "due_on", "org": "organization__name"}, default_sort="due")
    context = {
        "listing": listing,
        "status": request.GET.get("status", TodoStatus.OPEN),
        "statuses": TodoStatus.choices,
        "can_manage": request.user.can(Cap.ORGS_MANAGE),
    }
    return render(request, "orgs/todo_list.html", context)


@capability_required(Cap.ORGS_VIEW)
def todo_export(request):
    rows = _todos(request).order_by("status", "due_on", "pk")
    return export_list(request, title="待办事项", columns=TODO_COLUMNS, rows=rows, action="todo")


@capability_required(Cap.ORGS_MANAGE)
def todo_close(request, pk):
    todo = access(Todo.objects.select_related("organization"), pk, request.user, capability=Cap.ORGS_MANAGE)
    form = TodoCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            census_services.todo_close(actor=request.user, todo=todo, note=form.cleaned_data["note"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已办结：{todo}")
            return redirect("orgs:todo_list")
    return render(request, "orgs/simple_form.html", {"form": form, "title": f"办结：{todo}", "back": "orgs:todo_list"})
