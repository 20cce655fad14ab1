from django.db.models import Q

from sanxin.core.listing import parse_id
from sanxin.core.scope import access, scoped
from sanxin.core.text import normalize_code
from sanxin.orgs.models import DEREGISTERED, MEETS_SINGLE_ESTABLISH, CoverageState, Organization

# The lists behind the coverage figures: ?coverage=<key> of the organization list, in the order the list's
# filter offers them; each figure on the coverage page links to one. key → (label, condition).
COVERAGE_LISTS = {
    "org": ("组织覆盖", Q(coverage_state=CoverageState.ORG_COVERED)),
    "work_covered": ("工作覆盖（含组织覆盖）", Q(coverage_state__in=[CoverageState.ORG_COVERED, CoverageState.WORK_COVERED])),
    "work": ("仅工作覆盖", Q(coverage_state=CoverageState.WORK_COVERED)),
    "blank": ("空白点", Q(coverage_state=CoverageState.BLANK)),
    "should_establish": ("应建未建", Q(should_establish=True)),
    "meets_condition": ("符合单建条件", MEETS_SINGLE_ESTABLISH),
    "own_party_org": ("符合条件且已单建", MEETS_SINGLE_ESTABLISH & Q(has_own_party_org=True)),
    "edge_thinning": ("边际递减", Q(edge_thinning=True)),
}


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
        orgs = orgs.filter(Q(name__icontains=q.strip()) | Q(credit_code=normalize_code(q).upper()))
    if region:
        orgs = orgs.filter(region__code__under=normalize_code(region))
    if industry:
        orgs = orgs.filter(industry__code=industry)
    if category:
        orgs = orgs.filter(category=category)
    if zone:
        zone_id = parse_id(zone)
        orgs = orgs.filter(zone_id=zone_id) if zone_id is not None else orgs.none()
    if coverage in COVERAGE_LISTS:
        # Deregistered organizations count nowhere, so they are in none of these lists either.
        orgs = orgs.filter(COVERAGE_LISTS[coverage][1]).exclude(registration_status__in=DEREGISTERED)
    if flag in ("is_top500_private", "is_top100_internet", "is_little_giant", "is_above_scale"):
        orgs = orgs.filter(**{flag: True})
    if status:
        orgs = orgs.filter(registration_status=status)
    return orgs


def visible_parent(org: Organization, *, user) -> Organization | None:
    """The organization's parent if the user may see it; a parent outside the scope is neither named nor changed."""
    if not org.parent_id:
        return None
    return scoped(Organization.objects.filter(pk=org.parent_id), user).first()


def access_organization(pk, *, user, for_write: bool = False) -> Organization:

    capability = "orgs.manage" if for_write else "orgs.view"
    return access(Organization.objects.select_related("region", "industry", "zone", "parent"), pk, user, capability=capability)
