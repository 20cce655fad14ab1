"""The 两个覆盖 pages: figures and rates for the scope, drill-down one level at a time, trend."""

from django.shortcuts import render

from sanxin.accounts.roles import Cap
from sanxin.core.exports import Column, export_list
from sanxin.core.scope import scoped
from sanxin.core.views_helpers import capability_required
from sanxin.orgs import rates
from sanxin.orgs.api import coverage_filters
from sanxin.orgs.models import DEREGISTERED, Organization, OrgCategory
from sanxin.regions.models import Industry, Region


def _context(request):
    region, industry, zone = coverage_filters(
        request.user, request.GET.get("region", ""), request.GET.get("industry", ""), request.GET.get("zone", "")
    )
    return region, industry, zone


@capability_required(Cap.COVERAGE_VIEW)
def coverage_overview(request):
    region, industry, zone = _context(request)
    summary = rates.coverage_summary(user=request.user, region=region, industry=industry, zone=zone)
    platforms = scoped(Organization.objects.exclude(registration_status__in=DEREGISTERED), request.user).filter(
        category=OrgCategory.PLATFORM, edge_thinning=True
    )
    if region is not None:
        platforms = platforms.filter(region__code__startswith=region.code)
    if industry is not None:
        platforms = platforms.filter(industry=industry)
    ancestors = scoped(Region.objects.filter(code__in=region.ancestor_codes), request.user).order_by("code") if region else []
    filters = {"region": region.code if region else "", "industry": industry.code if industry else "", "zone": zone.pk if zone else ""}
    context = {
        "region": region,
        "industry": industry,
        "zone": zone,
        "summary": summary,
        "ancestors": ancestors,
        "platforms_thin": platforms.count(),
        "by_region": rates.breakdown_by_region(user=request.user, region=region, industry=industry, zone=zone),
        "by_industry": rates.breakdown_by(user=request.user, field="industry", region=region, zone=zone),
        "by_zone": [r for r in rates.breakdown_by(user=request.user, field="zone", region=region, industry=industry) if r["key"]],
        "trend": rates.trend(user=request.user, region=region, industry=industry),
        "industries": Industry.objects.all(),
        "filters": filters,
    }
    return render(request, "coverage/overview.html", context)


COLUMNS = [
    Column("区划代码", lambda r: r["code"], 14),
    Column("名称", lambda r: r["name"], 24),
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


@capability_required(Cap.COVERAGE_VIEW)
def coverage_export(request):
    region, industry, zone = _context(request)
    rows = rates.breakdown_by_region(user=request.user, region=region, industry=industry, zone=zone)
    title = f"两个覆盖情况-{region.name if region else '全国'}"
    return export_list(request, title=title, columns=COLUMNS, rows=rows, action="coverage")
