from django.http import Http404
from ninja import Router, Schema

from sanxin.accounts.roles import Cap
from sanxin.api.schemas import QueryText, responses
from sanxin.core.scope import access
from sanxin.core.text import normalize_code
from sanxin.orgs import rates
from sanxin.regions.models import Industry, Region, Zone
from sanxin.regions.selectors import region_root_code

router = Router(tags=["两新组织与覆盖"])


class CoverageSummary(Schema):
    organizations: int
    org_covered: int
    work_covered: int
    blank: int
    should_establish: int
    meets_condition: int
    own_party_org: int
    edge_thinning: int
    org_coverage_rate: float | None
    work_coverage_rate: float | None
    single_establish_rate: float | None


class CoverageRow(CoverageSummary):
    code: str
    name: str


def coverage_filters(user, region: str, industry: str, zone: str):
    """A region outside the caller's scope is 404; an unknown industry or zone code too."""
    if not user.can(Cap.COVERAGE_VIEW):
        raise Http404
    region = normalize_code(region) or region_root_code(user)
    industry = normalize_code(industry)
    found_region = access(Region.objects.all(), region, user) if region else None
    found_industry = Industry.objects.filter(code=industry).first() if industry else None
    if industry and found_industry is None:
        raise Http404
    found_zone = access(Zone.objects.all(), zone, user) if zone else None
    return found_region, found_industry, found_zone


RegionCode = QueryText("区划代码；空为本人数据范围", "360102")
IndustryCode = QueryText("行业代码", "6020")
ZoneId = QueryText("园区编号")


@router.get("/coverage/summary", response=responses({200: CoverageSummary}), summary="两个覆盖汇总（按数据权限）")
def coverage_summary(request, region: RegionCode = "", industry: IndustryCode = "", zone: ZoneId = ""):
    """Counts and rates (fractions 0–1) for the caller's scope intersected with the filters; deregistered organizations are not counted."""
    found_region, found_industry, found_zone = coverage_filters(request.auth, region, industry, zone)
    return rates.coverage_summary(user=request.auth, region=found_region, industry=found_industry, zone=found_zone)


@router.get("/coverage/breakdown", response=responses({200: list[CoverageRow]}), summary="两个覆盖分组（下一级区划）")
def coverage_breakdown(request, region: RegionCode = "", industry: IndustryCode = "", zone: ZoneId = ""):
    found_region, found_industry, found_zone = coverage_filters(request.auth, region, industry, zone)
    return rates.breakdown_by_region(user=request.auth, region=found_region, industry=found_industry, zone=found_zone)
