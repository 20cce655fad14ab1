"""Reads of the coverage pages and API: the filters a request names, checked against the user's scope."""

from django.http import Http404

from sanxin.core.scope import access
from sanxin.core.text import normalize_code
from sanxin.regions.models import Industry, Region, Zone
from sanxin.regions.selectors import region_root_code


def coverage_filters(user, region: str, industry: str, zone: str):
    """A region outside the caller's scope is 404; an unknown industry or zone code too."""
    if not user.can("coverage.view"):
        raise Http404
    region = normalize_code(region) or region_root_code(user)
    industry = normalize_code(industry)
    found_region = access(Region.objects.all(), region, user) if region else None
    found_industry = Industry.objects.filter(code=industry).first() if industry else None
    if industry and found_industry is None:
        raise Http404
    found_zone = access(Zone.objects.all(), zone, user) if zone else None
    return found_region, found_industry, found_zone
