from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page, parse_id
from sanxin.core.lookup import lookup_response
from sanxin.core.scope import scoped
from sanxin.core.views_helpers import apply_validation_error, capability_required, posted
from sanxin.orgs import selectors, services
from sanxin.orgs.forms import OrganizationForm
from sanxin.orgs.lookup import OrganizationCodesField, OrganizationLookupField, organization_suggestions
from sanxin.orgs.models import EDITABLE_FIELDS, CoverageState, OrgCategory, RegistrationStatus
from sanxin.regions.forms import RegionFilterForm
from sanxin.regions.jurisdiction import scope_industry_choices
from sanxin.regions.models import Zone

# What a row of the list shows: the page reads these columns only (the registry has forty).
LIST_FIELDS = (
    *("name", "credit_code", "category", "employees", "formal_members", "coverage_state", "registration_status"),
    *("should_establish", "edge_thinning", "region__name", "region__full_name", "industry__name"),
)
ORG_SORTS = {"name": "name", "credit_code": "credit_code", "region": "region_id", "employees": "employees", "members": "formal_members"}
FILTERS = ("q", "region", "industry", "category", "coverage", "flag", "status", "zone")
COVERAGE_LISTS = [(key, label) for key, (label, _) in selectors.COVERAGE_LISTS.items()]
FLAGS = [
    ("is_top500_private", "民营企业500强"),
    ("is_top100_internet", "互联网企业100强"),
    ("is_little_giant", "专精特新“小巨人”"),
    ("is_above_scale", "规模以上"),
]

ORG_COLUMNS = [
    Column("统一社会信用代码", lambda o: o.credit_code, 22),
    Column("单位名称", lambda o: o.name, 36),
    Column("单位类别", lambda o: o.get_category_display()),
    Column("所属行业", lambda o: o.industry.name),
    Column("所在地区代码", lambda o: o.region_id, 14),
    Column("所在地区", lambda o: o.region.full_name, 30),
    Column("详细地址", lambda o: o.address, 30),
    Column("法定代表人", lambda o: o.legal_representative),
    Column("从业人员数", lambda o: o.employees),
    Column("正式党员数", lambda o: o.formal_members),
    Column("预备党员数", lambda o: o.probationary_members),
    Column("成立日期", lambda o: o.established_on),
    Column("登记状态", lambda o: o.get_registration_status_display()),
    Column("覆盖状态", lambda o: o.get_coverage_state_display()),
    Column("应建未建", lambda o: o.should_establish),
    Column("边际递减", lambda o: o.edge_thinning),
]


def _filtered(request):
    filters = {k: request.GET.get(k, "") for k in FILTERS}
    if filters["zone"]:  # an id: one that is none ("²", past any id) matches nothing, as the selector does for non-digits
        zone = parse_id(filters["zone"])
        filters["zone"] = str(zone) if zone else "none"
    return selectors.organization_list(user=request.user, **filters)


@capability_required("orgs.view")
def organization_list(request):
    rows = _filtered(request).select_related(None).select_related("region", "industry").only(*LIST_FIELDS)
    listing = list_page(request, rows, sortable=ORG_SORTS, default_sort="region")
    context = {
        "listing": listing,
        "region_filter": RegionFilterForm(request.GET, user=request.user),
        "categories": OrgCategory.choices,
        "industries": scope_industry_choices(request.user),
        "coverages": COVERAGE_LISTS,
        "flags": FLAGS,
        "statuses": RegistrationStatus.choices,
        "zones": scoped(Zone.objects.all(), request.user),
        "can_manage": request.user.can("orgs.manage"),
        "can_import": request.user.can("imports.use"),
    }
    return render(request, "orgs/organization_list.html", context)


@capability_required("orgs.view")
def organization_export(request):
    rows = _filtered(request).order_by("region_id", "name").iterator(chunk_size=2000)
    return export_list(request, title="两新组织名录", columns=ORG_COLUMNS, rows=rows, action="organization")


@capability_required("orgs.view")
def organization_detail(request, pk):
    org = selectors.access_organization(pk, user=request.user)
    party_orgs = scoped(org.party_organizations.all(), request.user)
    context = {
        "org": org,
        "party_orgs": party_orgs,
        "assignments": org.instructor_assignments.select_related("instructor").all(),
        "census": org.census_records.select_related("campaign").all()[:10],
        "branches": scoped(org.branches.all(), request.user),
        "parent": selectors.visible_parent(org, user=request.user),
        "todos": org.todos.all(),
        "can_manage": request.user.can("orgs.manage"),
        "CoverageState": CoverageState,
    }
    return render(request, "orgs/organization_detail.html", context)


def _form_fields(form) -> dict:
    return dict(form.cleaned_data)


@capability_required("orgs.view")
def organization_lookup(request):
    """Suggestions for the organization pickers of the forms, within the user's scope."""
    return lookup_response(
        request,
        make_field=lambda multiple: OrganizationCodesField() if multiple else OrganizationLookupField(),
        suggest=organization_suggestions,
        key_of=lambda org: org.credit_code,
        place_of=lambda org: org.region.full_name,
    )


@capability_required("orgs.manage")
def organization_create(request):
    form = OrganizationForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = _form_fields(form)
        fields.pop("status_reason")
        try:
            org = services.organization_create(actor=request.user, **fields)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已新增“{org.name}”")
            return redirect("orgs:organization_detail", pk=org.pk)
    return render(request, "orgs/organization_form.html", {"form": form, "title": "新增两新组织"})


@capability_required("orgs.manage")
def organization_edit(request, pk):
    org = selectors.access_organization(pk, user=request.user, for_write=True)
    initial = {f: getattr(org, f) for f in EDITABLE_FIELDS}
    initial["region"] = org.region_id
    form = OrganizationForm(posted(request), user=request.user, initial=initial)
    if org.parent_id and selectors.visible_parent(org, user=request.user) is None:
        # The parent lies outside the user's scope: neither shown nor changeable here, kept as it is.
        del form.fields["parent"]
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(actor=request.user, organization=org, **_form_fields(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "已保存")
            return redirect("orgs:organization_detail", pk=org.pk)
    return render(request, "orgs/organization_form.html", {"form": form, "title": f"编辑：{org.name}", "org": org})
