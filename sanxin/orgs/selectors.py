from django.db.models import Q

from sanxin.core.scope import access, scoped
from sanxin.orgs.models import DEREGISTERED, Organization


def organization_list(
    *,
    user,
    q: str = "",
    region: str = "",
    industry: str = "",
    category: str = "",
    coverage: str = "",
    flag: str = "",
    status: str = "",
    zone: str = "",
):
    orgs = scoped(Organization.objects.select_related("region", "industry", "zone"), user)
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(credit_code__iexact=q.strip().upper()))
    if region:
        orgs = orgs.filter(region__code__startswith=region)
    if industry:
        orgs = orgs.filter(industry__code=industry)
    if category:
        orgs = orgs.filter(category=category)
    if zone:
        orgs = orgs.filter(zone_id=zone) if zone.isdigit() else orgs.none()
    if coverage in ("org", "work", "blank"):
        orgs = orgs.filter(coverage_state=coverage).exclude(registration_status__in=DEREGISTERED)
    elif coverage == "should_establish":
        orgs = orgs.filter(should_establish=True).exclude(registration_status__in=DEREGISTERED)
    elif coverage == "edge_thinning":
        orgs = orgs.filter(edge_thinning=True).exclude(registration_status__in=DEREGISTERED)
    if flag in ("is_top500_private", "is_top100_internet", "is_little_giant", "is_above_scale"):
        orgs = orgs.filter(**{flag: True})
    if status:
        orgs = orgs.filter(registration_status=status)
    return orgs


def access_organization(pk, *, user, for_write: bool = False) -> Organization:
    from sanxin.accounts.roles import Cap

    capability = Cap.ORGS_MANAGE if for_write else Cap.ORGS_VIEW
    return access(Organization.objects.select_related("region", "industry", "zone", "parent"), pk, user, capability=capability)
