from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page
from sanxin.core.views_helpers import capability_required, posted, save_form
from sanxin.members import selectors, services, transfers
from sanxin.members.forms import AdmitForm, DevelopmentForm, MemberForm, StepForm
from sanxin.members.models import MemberStatus, RelationMode
from sanxin.members.workflow import DEVELOPMENT
from sanxin.regions.forms import RegionFilterForm

SORTS = {"name": "name", "joined": "joined_on", "org": "party_organization__name"}
FILTERS = ("q", "region", "party_org", "status", "relation", "occupation", "lost")
# What a row shows, read with .only(): the personal numbers masked from the decrypted values.
LIST_FIELDS = (
    "name",
    "gender",
    "id_number",
    "phone",
    "joined_on",
    "status",
    "relation_mode",
    "occupation",
    "party_organization__name",
    "party_organization__region__name",
    "party_organization__region__full_name",
)
COLUMNS = [
    Column("姓名", lambda m: m.name),
    Column("性别", lambda m: m.get_gender_display()),
    Column("公民身份号码", lambda m: m.id_number_masked, 22),
    Column("手机号码", lambda m: m.phone_masked, 14),
    Column("入党日期", lambda m: m.joined_on),
    Column("党员状态", lambda m: m.get_status_display()),
    Column("组织关系情况", lambda m: m.get_relation_mode_display(), 24),
    Column("职业", lambda m: m.occupation),
    Column("所在党组织", lambda m: m.party_organization.name, 36),
    Column("所在地区", lambda m: m.party_organization.region.full_name, 30),
]


def _filtered(request):
    return selectors.member_list(user=request.user, **{k: request.GET.get(k, "") for k in FILTERS}).only(*LIST_FIELDS)


@capability_required("members.view")
def member_list(request):
    listing = list_page(request, _filtered(request), sortable=SORTS, default_sort="org")
    context = {
        "listing": listing,
        "region_filter": RegionFilterForm(request.GET, user=request.user),
        "statuses": MemberStatus.choices,
        "relations": RelationMode.choices,
        "can_manage": request.user.can("members.manage"),
        "can_import": request.user.can("imports.use"),
    }
    return render(request, "members/member_list.html", context)


@capability_required("members.view")
def member_export(request):
    rows = _filtered(request).order_by("party_organization_id", "name", "pk").iterator(chunk_size=2000)
    return export_list(request, title="党员名册", columns=COLUMNS, rows=rows, action="member")


def _detail(request, member, *, unmasked: dict | None = None):
    context = {
        "m": member,
        "unmasked": unmasked or {},
        "employer": selectors.visible_employer(member, user=request.user),
        "timeline": selectors.member_timeline(member),
        "open_transfer": transfers.open_transfer_of(member),
        "can_manage": request.user.can("members.manage"),
        "can_unmask": request.user.can("members.unmask"),
    }
    return render(request, "members/member_detail.html", context)


@capability_required("members.view")
def member_detail(request, pk):
    return _detail(request, selectors.access_member(pk, user=request.user))


@never_cache
@capability_required("members.unmask")
def member_unmask(request, pk):
    """The full ID number and phone, for those allowed to see them; every view is audited (security.md items 12, 22)."""
    member = selectors.access_member(pk, user=request.user)
    return _detail(request, member, unmasked=services.member_unmask(actor=request.user, member=member))


@capability_required("members.manage")
def member_create(request):
    form = MemberForm(posted(request), user=request.user)
    member = save_form(request, form, lambda fields: services.member_create(actor=request.user, **fields))
    if member is not None:
        messages.success(request, f"已登记党员“{member.name}”")
        return redirect("members:member_detail", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form, "title": "登记党员"})


@capability_required("members.manage")
def member_edit(request, pk):
    member = selectors.access_member(pk, user=request.user, for_write=True)
    # The personal numbers are never put on the page in full: blank keeps them, a new value replaces them.
    initial = {f: getattr(member, f) for f in services.FIELDS if f not in ("user", "id_number", "phone")}
    employer = selectors.visible_employer(member, user=request.user)
    initial["employer"] = employer.credit_code if employer else ""
    form = MemberForm(posted(request), user=request.user, initial=initial)
    form.fields["id_number"].required = False
    form.fields["id_number"].help_text = f"现为 {member.id_number_masked}，留空则不变"
    form.fields["phone"].help_text = f"现为 {member.phone_masked or '空'}，留空则不变"
    if not form.fields["party_organization"].queryset.filter(pk=member.party_organization_id).exists():
        del form.fields["party_organization"]  # kept as it is when the user may not choose it anew
    if member.employer_id and employer is None:
        del form.fields["employer"]  # an employer outside the scope is neither shown nor dropped

    def update(fields):
        kept = {k: v for k, v in fields.items() if not (k in ("id_number", "phone") and not v)}
        return services.member_update(actor=request.user, member=member, **kept)

    saved = save_form(request, form, update)
    if saved is not None:
        messages.success(request, "已保存")
        return redirect("members:member_detail", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form, "title": f"编辑：{member.name}", "m": member})


# Member development (发展党员)

DEVELOPMENT_SORTS = {"name": "name", "applied": "applied_on", "org": "party_organization__name", "stage": "stage"}
STEP_SERVICES = {
    "activist": services.development_make_activist,
    "candidate": services.development_make_candidate,
    "full": services.development_make_full,
}


@capability_required("members.view")
def development_list(request):
    filters = {k: request.GET.get(k, "") for k in ("q", "party_org")}
    unstaged = selectors.development_list(user=request.user, **filters)
    stage = request.GET.get("stage", "")
    rows = unstaged.filter(stage=stage) if stage else unstaged
    params = request.GET.copy()
    for name in ("stage", "page"):
        params.pop(name, None)
    listing = list_page(request, rows, sortable=DEVELOPMENT_SORTS, default_sort="org")
    recommending = [d.recommending_organization_id for d in listing.page]
    context = {
        "listing": listing,
        "seen_orgs": selectors.visible_party_org_ids(recommending, user=request.user),
        "counts": selectors.development_stage_counts(unstaged),
        "stage": stage,
        "base_query": params.urlencode(),
        "can_manage": request.user.can("members.manage"),
    }
    return render(request, "members/development_list.html", context)


def _step_forms(request, development):
    forms_by_step = {}
    for step in DEVELOPMENT.available(development, request.user):
        if step.name == "admit":
            forms_by_step[step.name] = AdmitForm(introducers=selectors.introducer_choices(development, user=request.user), prefix=step.name)
        else:
            forms_by_step[step.name] = StepForm(prefix=step.name)
    return forms_by_step


@capability_required("members.view")
def development_detail(request, pk):
    development = selectors.access_development(pk, user=request.user)
    steps = DEVELOPMENT.available(development, request.user)
    context = {
        "d": development,
        "seen_orgs": selectors.visible_party_org_ids([development.recommending_organization_id], user=request.user),
        "steps": steps,
        "step_forms": _step_forms(request, development) if steps else {},
        "timeline": selectors.development_timeline(development),
    }
    return render(request, "members/development_detail.html", context)


@capability_required("members.manage")
def development_create(request):
    form = DevelopmentForm(posted(request), user=request.user)
    development = save_form(request, form, lambda fields: services.development_create(actor=request.user, **fields))
    if development is not None:
        messages.success(request, f"已登记“{development.name}”的入党申请")
        return redirect("members:development_detail", pk=development.pk)
    return render(request, "members/development_form.html", {"form": form, "title": "登记入党申请"})


@require_POST
@capability_required("members.manage")
def development_step(request, pk, step):
    development = selectors.access_development(pk, user=request.user, for_write=True)
    if step not in DEVELOPMENT.by_name:
        raise Http404
    if step == "admit":
        form = AdmitForm(request.POST, introducers=selectors.introducer_choices(development, user=request.user), prefix=step)
    else:
        form = StepForm(request.POST, prefix=step)
    if not form.is_valid():
        errors = [f"{form.fields[f].label if f in form.fields else ''}：{' '.join(e)}" for f, e in form.errors.items()]
        messages.error(request, "；".join(errors))
        return redirect("members:development_detail", pk=development.pk)
    data = form.cleaned_data
    try:
        if step == "admit":
            services.development_admit(
                actor=request.user,
                development=development,
                on=data["on"],
                note=data["note"],
                introducers=(data["introducer_1"], data["introducer_2"]),
                publicity_starts_on=data["publicity_starts_on"],
                publicity_ends_on=data["publicity_ends_on"],
            )
        else:
            STEP_SERVICES[step](actor=request.user, development=development, on=data["on"], note=data["note"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已{DEVELOPMENT.by_name[step].label}")
    return redirect("members:development_detail", pk=development.pk)
