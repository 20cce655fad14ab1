from ninja import Router, Schema

from sanxin.core.api_schemas import QueryText, responses
from sanxin.coverage import figures as rates
from sanxin.coverage.selectors import coverage_filters

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
