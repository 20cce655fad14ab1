from django.shortcuts import render

from sanxin.accounts.roles import Cap
from sanxin.core.views_helpers import capability_required
from sanxin.regions.models import Region
from sanxin.regions.selectors import access_region, region_child_counts, region_children


@capability_required(Cap.REGIONS_VIEW)
def browse(request, code: str = ""):
    """One level of the division tree inside the user's scope, with community counts under each child."""
    region = access_region(code, user=request.user) if code else None
    children = list(region_children(user=request.user, parent=region.code if region else ""))
    counts = region_child_counts(user=request.user, parent=region)
    rows = [(child, counts.get(child.code, 0)) for child in children]
    ancestors = Region.objects.filter(code__in=region.ancestor_codes).order_by("code") if region else []
    return render(request, "regions/browse.html", {"region": region, "rows": rows, "ancestors": ancestors})
