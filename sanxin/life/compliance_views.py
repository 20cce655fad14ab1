"""The 三会一课落实率 pages: rates per region (drill-down one level at a time) and per kind, the Party organizations
with required vs held per meeting type, the overdue list and its export."""

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone

from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page
from sanxin.core.scope import scoped
from sanxin.core.views_helpers import capability_required
from sanxin.life import compliance_figures as figures
from sanxin.life.compliance import period_label
from sanxin.life.models import MeetingType
from sanxin.party.models import EstablishmentForm, PartyOrgLevel
from sanxin.regions.models import Region

ORG_SORTS = {"name": "name", "region": "region_id"}
OVERDUE_SORTS = {"end": "period_end", "org": "party_organization__name", "type": "meeting_type__order"}


def _common(request) -> dict:
    region = figures.compliance_region(request.user, request.GET.get("region", ""))
    selection = figures.parse_selection(request.GET.get("period", ""))
    if selection is None:
        messages.warning(request, "期间应写作 2026、2026-H1 或 2026-Q3，已改为显示本年度")
        selection = figures.parse_selection("")
    ancestors = scoped(Region.objects.filter(code__in=region.ancestor_codes), request.user).order_by("code") if region else []
    return {
        "region": region,
        "selection": selection,
        "ancestors": ancestors,
        "choices": figures.selection_choices(),
        "filters": {"region": region.code if region else "", "period": selection.key},
        # The lists cut by region only when one is asked for: by default they show all the scope sees (a joint
        # branch seen through an organization it covers sits elsewhere).
        "list_region": region if request.GET.get("region") else None,
        "levels": PartyOrgLevel.choices,
        "forms": EstablishmentForm.choices,
    }


@capability_required("life.compliance")
def compliance_overview(request):
    context = _common(request)
    region, selection = context["region"], context["selection"]
    context |= {
        "summary": figures.compliance_summary(user=request.user, region=region, selection=selection),
        "by_region": figures.breakdown_by_region(user=request.user, region=region, selection=selection),
        "by_level": figures.breakdown_by(user=request.user, region=region, selection=selection, field="org_level"),
        "by_form": figures.breakdown_by(user=request.user, region=region, selection=selection, field="establishment_form"),
        "by_type": figures.breakdown_by(user=request.user, region=region, selection=selection, field="meeting_type"),
        "mobile": figures.mobile_members(user=request.user, region=region),
    }
    return render(request, "life/compliance_overview.html", context)


@capability_required("life.compliance")
def compliance_orgs(request):
    context = _common(request)
    filters = {k: request.GET.get(k, "") for k in ("level", "form", "q")}
    orgs = figures.party_org_list(
        user=request.user,
        region=context["list_region"],
        selection=context["selection"],
        overdue_only=request.GET.get("overdue") == "1",
        **filters,
    )
    listing = list_page(request, orgs, sortable=ORG_SORTS, default_sort="region")
    page_ids = [o.pk for o in listing.page]
    context |= {
        "listing": listing,
        "types": list(MeetingType.objects.all()),
        "org_figures": figures.party_org_figures(page_ids, context["selection"]),
        "overdue_only": request.GET.get("overdue") == "1",
    }
    return render(request, "life/compliance_orgs.html", context)


OVERDUE_FILTERS = ("meeting_type", "level", "form", "q")


def _overdue(request, context):
    return figures.overdue_list(
        user=request.user,
        region=context["list_region"],
        selection=context["selection"],
        **{k: request.GET.get(k, "") for k in OVERDUE_FILTERS},
    )


@capability_required("life.compliance")
def compliance_overdue(request):
    context = _common(request)
    listing = list_page(request, _overdue(request, context), sortable=OVERDUE_SORTS, default_sort="end")
    context |= {"listing": listing, "types": list(MeetingType.objects.all()), "today": timezone.localdate(), "period_label": period_label}
    return render(request, "life/compliance_overdue.html", context)


def _region_text(record) -> str:
    return record.party_organization.region.full_name if record.party_organization.region else record.region_id


OVERDUE_COLUMNS = [
    Column("党组织", lambda r: r.party_organization.name, 30),
    Column("所在地区", _region_text, 30),
    Column("党组织层级", lambda r: PartyOrgLevel(r.org_level).label if r.org_level in PartyOrgLevel.values else r.org_level),
    Column("组建方式", lambda r: EstablishmentForm(r.establishment_form).label if r.establishment_form in EstablishmentForm.values else ""),
    Column("会议类型", lambda r: r.meeting_type.name),
    Column("期间", lambda r: period_label(r.period)),
    Column("期间截止", lambda r: r.period_end, 12),
    Column("超期天数", lambda r: figures.days_overdue(r), 10),
]


@capability_required("life.compliance")
def compliance_overdue_export(request):
    """The overdue list with the page's filters, as xlsx after the password is given again."""
    context = _common(request)
    rows = _overdue(request, context).order_by("period_end", "party_organization__name", "pk")
    title = f"三会一课超期未开-{context['region'].name if context['region'] else '全国'}-{context['selection'].label}"
    return export_list(request, title=title, columns=OVERDUE_COLUMNS, rows=rows.iterator(chunk_size=2000), action="compliance")
