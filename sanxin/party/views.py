from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page
from sanxin.core.lookup import lookup_response
from sanxin.core.scope import scoped
from sanxin.core.views_helpers import apply_validation_error, capability_required, posted
from sanxin.party import selectors, services
from sanxin.party.forms import PartyOrganizationForm, PartyOrgLookupField, party_org_suggestions
from sanxin.party.models import EstablishmentForm, PartyOrgLevel, PartyOrgStatus, SpecialKind
from sanxin.regions.forms import RegionFilterForm

SORTS = {"name": "name", "region": "region_id", "due": "next_election_due", "covered": "covered_count"}
FILTERS = ("q", "region", "level", "form", "special", "election", "status")
COLUMNS = [
    Column("党组织名称", lambda p: p.name, 36),
    Column("层级", lambda p: p.get_level_display()),
    Column("上级党组织", lambda p: p.parent.name if p.parent_visible else "", 30),
    Column("组建方式", lambda p: p.get_establishment_form_display()),
    Column("特殊类型", lambda p: "、".join(p.special_kind_labels)),
    Column("所在地区代码", lambda p: p.region_id, 14),
    Column("所在地区", lambda p: p.region.full_name, 30),
    Column("书记", lambda p: p.secretary),
    Column("成立日期", lambda p: p.founded_on),
    Column("任期（年）", lambda p: p.term_years),
    Column("上次换届日期", lambda p: p.last_election_on),
    Column("应换届日期", lambda p: p.next_election_due),
    Column("覆盖组织数", lambda p: p.covered_count),
    Column("状态", lambda p: p.get_status_display()),
]


def _filtered(request):
    return selectors.party_org_list(user=request.user, **{k: request.GET.get(k, "") for k in FILTERS})


@capability_required("party.view")
def party_org_list(request):
    listing = list_page(request, _filtered(request), sortable=SORTS, default_sort="region")
    context = {
        "listing": listing,
        "region_filter": RegionFilterForm(request.GET, user=request.user),
        "levels": PartyOrgLevel.choices,
        "forms": EstablishmentForm.choices,
        "specials": SpecialKind.choices,
        "statuses": PartyOrgStatus.choices,
        "reminders": selectors.election_reminders(user=request.user),
        "today": timezone.localdate(),
        "can_manage": request.user.can("party.manage"),
        "can_import": request.user.can("imports.use"),
    }
    return render(request, "party/party_org_list.html", context)


@capability_required("party.view")
def party_org_export(request):
    rows = _filtered(request).order_by("region_id", "name").iterator(chunk_size=2000)
    return export_list(request, title="党组织名录", columns=COLUMNS, rows=rows, action="party_org")


@capability_required("party.view")
def party_org_tree(request):
    nodes = selectors.party_org_tree(user=request.user, root_region=request.GET.get("region", ""))
    return render(request, "party/party_org_tree.html", {"nodes": nodes, "today": timezone.localdate()})


@capability_required("party.view")
def party_org_detail(request, pk):
    party_org = selectors.access_party_org(pk, user=request.user)
    context = {
        "p": party_org,
        "covered": selectors.covered_seen(party_org, user=request.user),
        "children": scoped(party_org.children.all(), request.user),
        "parent": selectors.visible_parent(party_org, user=request.user),
        "today": timezone.localdate(),
        "can_manage": request.user.can("party.manage"),
    }
    return render(request, "party/party_org_detail.html", context)


@capability_required("party.view")
def party_org_lookup(request):
    """Suggestions for the parent picker of the Party-organization form, within the user's scope."""
    return lookup_response(
        request,
        make_field=lambda multiple: PartyOrgLookupField(),
        suggest=party_org_suggestions,
        key_of=lambda p: str(p.pk),
        place_of=lambda p: p.region.full_name,
    )


def _values(form) -> tuple[dict, list]:
    data = dict(form.cleaned_data)
    covered = data.pop("covered_codes")
    return data, covered


@capability_required("party.manage")
def party_org_create(request):
    form = PartyOrganizationForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        fields, covered = _values(form)
        try:
            party_org = services.party_org_create(actor=request.user, covered=covered, **fields)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已新增党组织“{party_org.name}”")
            return redirect("party:party_org_detail", pk=party_org.pk)
    return render(request, "party/party_org_form.html", {"form": form, "title": "新增党组织"})


@capability_required("party.manage")
def party_org_edit(request, pk):
    party_org = selectors.access_party_org(pk, user=request.user, for_write=True)
    initial = {f: getattr(party_org, f) for f in services.FIELDS}
    initial["region"] = party_org.region_id
    # Only what the user may see: covered organizations outside the scope are neither shown nor dropped on save.
    covered = selectors.covered_seen(party_org, user=request.user).order_by("credit_code")
    initial["covered_codes"] = "\n".join(covered.values_list("credit_code", flat=True))
    form = PartyOrganizationForm(posted(request), user=request.user, initial=initial)
    if party_org.parent_id and selectors.visible_parent(party_org, user=request.user) is None:
        del form.fields["parent"]  # a parent outside the scope is kept as it is
    if request.method == "POST" and form.is_valid():
        fields, covered = _values(form)
        try:
            services.party_org_update(actor=request.user, party_org=party_org, covered=covered, **fields)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "已保存")
            return redirect("party:party_org_detail", pk=party_org.pk)
    return render(request, "party/party_org_form.html", {"form": form, "title": f"编辑：{party_org.name}", "p": party_org})
