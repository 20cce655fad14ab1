"""Pages for census campaigns (摸排, the seven items) and the to-dos a census raises."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxin.census import services
from sanxin.census.forms import CampaignForm, CensusRecordForm, TodoCloseForm
from sanxin.census.models import CENSUS_ITEMS, CensusRecord, Todo, TodoStatus
from sanxin.census.selectors import (
    access_campaign,
    access_campaign_organization,
    access_todo,
    campaign_list,
    campaign_organizations_seen,
    campaign_progress,
    census_record_of,
    todo_list,
)
from sanxin.census.workflow import CAMPAIGN
from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page
from sanxin.core.scope import scoped
from sanxin.core.views_helpers import apply_validation_error, capability_required, posted
from sanxin.core.workflow import timeline

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


@capability_required("census.view")
def campaign_list_page(request):
    listing = list_page(
        request,
        campaign_list(user=request.user),
        sortable={"starts": "starts_on", "name": "name", "ends": "ends_on"},
        default_sort="-starts",
    )
    rows = [(c, campaign_progress(c, user=request.user)) for c in listing.page]
    return render(request, "census/campaign_list.html", {"listing": listing, "rows": rows, "can_manage": request.user.can("census.manage")})


@capability_required("census.view")
def campaign_list_export(request):
    rows = ((c, campaign_progress(c, user=request.user)) for c in campaign_list(user=request.user).order_by("-starts_on", "pk"))
    return export_list(request, title="摸排行动", columns=CAMPAIGN_COLUMNS, rows=rows, action="census")


@capability_required("census.manage")
def campaign_create(request):
    form = CampaignForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.census_campaign_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("census:campaign_detail", pk=campaign.pk)
    return render(
        request, "includes/simple_form.html", {"form": form, "title": "发起摸排行动", "back": "census:campaign_list", "picker": True}
    )


@capability_required("census.view")
def campaign_detail(request, pk):
    campaign = access_campaign(pk, user=request.user)
    orgs = campaign_organizations_seen(campaign, user=request.user)
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
        "progress": campaign_progress(campaign, user=request.user),
        "todos": todos,
        "can_manage": request.user.can("census.manage"),
        "actions": CAMPAIGN.available(campaign, request.user),
        "timeline": timeline(campaign),
    }
    return render(request, "census/campaign_detail.html", context)


CAMPAIGN_STEPS = {"start": services.campaign_start, "close": services.campaign_close, "cancel": services.campaign_cancel}


@require_POST
@capability_required("census.manage")
def campaign_step(request, pk, step):
    """开始、结束、撤销 a campaign: one of its workflow's transitions."""
    campaign = access_campaign(pk, user=request.user, for_write=True)
    if step not in CAMPAIGN_STEPS:
        raise Http404
    note = {"note": request.POST.get("note", "")} if step != "start" else {}
    try:
        CAMPAIGN_STEPS[step](actor=request.user, campaign=campaign, **note)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已{CAMPAIGN.by_name[step].label}")
    return redirect("census:campaign_detail", pk=campaign.pk)


@capability_required("census.view")
def campaign_export(request, pk):
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
    rows = campaign_organizations_seen(campaign, user=request.user).order_by("region_id", "name")
    return export_list(request, title=f"摸排情况-{campaign.name}", columns=columns, rows=rows, action="census")


@capability_required("census.manage")
def record(request, pk, org_pk):
    campaign = access_campaign(pk, user=request.user, for_write=True)
    organization = access_campaign_organization(org_pk, user=request.user, for_write=True)
    existing = census_record_of(campaign, organization)
    initial = {
        "censused_on": timezone.localdate(),
        "employees": organization.employees,
        "formal_members": organization.formal_members,
        "probationary_members": organization.probationary_members,
    }
    if existing:
        initial |= {f: getattr(existing, f) for f in ("censused_on", "employees", "formal_members", "probationary_members")}
        initial |= {key: getattr(existing, key) for key, _ in CENSUS_ITEMS}
    form = CensusRecordForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.census_record_save(actor=request.user, campaign=campaign, organization=organization, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已保存“{organization.name}”的摸排情况")
            return redirect("census:campaign_detail", pk=campaign.pk)
    title = f"七个清：{organization.name}"
    return render(request, "includes/simple_form.html", {"form": form, "title": title, "back": "census:campaign_list"})


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


@capability_required("census.view")
def todo_list_page(request):
    listing = list_page(
        request,
        todo_list(user=request.user, status=request.GET.get("status", TodoStatus.OPEN)),
        sortable={"due": "due_on", "org": "organization__name"},
        default_sort="due",
    )
    context = {
        "listing": listing,
        "status": request.GET.get("status", TodoStatus.OPEN),
        "statuses": TodoStatus.choices,
        "can_manage": request.user.can("census.manage"),
    }
    return render(request, "census/todo_list.html", context)


@capability_required("census.view")
def todo_export(request):
    rows = todo_list(user=request.user, status=request.GET.get("status", TodoStatus.OPEN)).order_by("status", "due_on", "pk")
    return export_list(request, title="待办事项", columns=TODO_COLUMNS, rows=rows, action="todo")


@capability_required("census.view")
def todo_detail(request, pk):
    """A to-do, its process (raised, closed by hand or by itself) and, while open, the form to close it."""
    todo = access_todo(pk, user=request.user)
    can_close = request.user.can("census.manage") and todo.status == TodoStatus.OPEN
    form = TodoCloseForm(posted(request)) if can_close else None
    if request.method == "POST":
        if not can_close:
            raise Http404
        if form.is_valid():
            try:
                services.todo_close(actor=request.user, todo=todo, note=form.cleaned_data["note"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"已办结：{todo}")
                return redirect("census:todo_detail", pk=todo.pk)
    context = {"todo": todo, "form": form, "timeline": timeline(todo)}
    return render(request, "census/todo_detail.html", context)
