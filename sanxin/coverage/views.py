"""The 两个覆盖 pages: figures and rates for the scope, drill-down one level at a time, trend."""

from django.db.models import Case, When
from django.http import Http404
from django.shortcuts import render

from sanxin.core.exports import Column, export_list
from sanxin.core.scope import scoped
from sanxin.core.views_helpers import capability_required
from sanxin.coverage import figures as rates
from sanxin.coverage.selectors import coverage_filters
from sanxin.orgs.models import DEREGISTERED, CoverageState, Organization, OrgCategory
from sanxin.regions.jurisdiction import scope_industry_choices
from sanxin.regions.models import Region, RegionLevel

COMMUNITY_ROWS = 50


def _context(request):
    region, industry, zone = coverage_filters(
        request.user, request.GET.get("region", ""), request.GET.get("industry", ""), request.GET.get("zone", "")
    )
    return region, industry, zone


@capability_required("coverage.view")
def coverage_overview(request):
    region, industry, zone = _context(request)
    summary = rates.coverage_summary(user=request.user, region=region, industry=industry, zone=zone)
    platforms = scoped(Organization.objects.exclude(registration_status__in=DEREGISTERED), request.user).filter(
        category=OrgCategory.PLATFORM, edge_thinning=True
    )
    if region is not None:
        platforms = platforms.filter(region__code__under=region.code)
    if industry is not None:
        platforms = platforms.filter(industry=industry)
    if zone is not None:
        platforms = platforms.filter(zone=zone)
    ancestors = scoped(Region.objects.filter(code__in=region.ancestor_codes), request.user).order_by("code") if region else []
    # The drill-down ends at a community: its organizations themselves, blank spots first.
    community_orgs = None
    if region is not None and region.level == RegionLevel.COMMUNITY:
        in_community = scoped(Organization.objects.exclude(registration_status__in=DEREGISTERED), request.user).filter(region=region)
        if industry is not None:
            in_community = in_community.filter(industry=industry)
        if zone is not None:
            in_community = in_community.filter(zone=zone)
        order = Case(When(coverage_state=CoverageState.BLANK, then=0), When(coverage_state=CoverageState.WORK_COVERED, then=1), default=2)
        community_orgs = in_community.select_related("industry").order_by(order, "name")[:COMMUNITY_ROWS]
    filters = {"region": region.code if region else "", "industry": industry.code if industry else "", "zone": str(zone.pk) if zone else ""}
    context = {
        "region": region,
        "industry": industry,
        "zone": zone,
        "summary": summary,
        "ancestors": ancestors,
        "community_orgs": community_orgs,
        "community_rows": COMMUNITY_ROWS,
        "platforms_thin": platforms.count(),
        "by_region": rates.breakdown_by_region(user=request.user, region=region, industry=industry, zone=zone),
        "by_industry": rates.breakdown_by(user=request.user, field="industry", region=region, zone=zone),
        "by_zone": [
            {**r, "key": str(r["key"])}
            for r in rates.breakdown_by(user=request.user, field="zone", region=region, industry=industry)
            if r["key"]
        ],
        "trend": rates.trend(user=request.user, region=region, industry=industry, zone=zone),
        "industries": scope_industry_choices(request.user),
        "filters": filters,
    }
    return render(request, "coverage/overview.html", context)


def _columns(key_header: str, name_header: str) -> list[Column]:
    return [
        Column(key_header, lambda r: r["code"] if "code" in r else (r["key"] or ""), 14),
        Column(name_header, lambda r: r["name"], 24),
        Column("组织数", lambda r: r["organizations"]),
        Column("组织覆盖", lambda r: r["org_covered"]),
        Column("工作覆盖", lambda r: r["work_covered"]),
        Column("空白点", lambda r: r["blank"]),
        Column("应建未建", lambda r: r["should_establish"]),
        Column("边际递减", lambda r: r["edge_thinning"]),
        Column("组织覆盖率", lambda r: r["org_coverage_rate"]),
        Column("工作覆盖率", lambda r: r["work_coverage_rate"]),
        Column("单建率", lambda r: r["single_establish_rate"]),
    ]


BREAKDOWNS = {  # ?by= → (title word, first two headers)
    "region": ("按区划", "区划代码", "名称"),
    "industry": ("按行业", "行业代码", "行业"),
    "zone": ("按园区楼宇", "园区/楼宇编号", "园区/楼宇"),
}


@capability_required("coverage.view")
def coverage_export(request):
    """The page's breakdown tables as xlsx: ?by=region (default), industry or zone, with the page's filters."""
    region, industry, zone = _context(request)
    by = request.GET.get("by", "region")
    if by not in BREAKDOWNS:
        raise Http404
    if by == "region":
        rows = rates.breakdown_by_region(user=request.user, region=region, industry=industry, zone=zone)
    elif by == "industry":
        rows = rates.breakdown_by(user=request.user, field="industry", region=region, zone=zone)
    else:
        rows = [r for r in rates.breakdown_by(user=request.user, field="zone", region=region, industry=industry) if r["key"]]
    word, key_header, name_header = BREAKDOWNS[by]
    title = f"两个覆盖{word}-{region.name if region else '全国'}"
    return export_list(request, title=title, columns=_columns(key_header, name_header), rows=rows, action="coverage")
