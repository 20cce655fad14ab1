from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from sanxin.core.listing import parse_id
from sanxin.core.scope import access, scoped, user_scope
from sanxin.core.text import normalize_code
from sanxin.orgs.models import DEREGISTERED, CoverageState, Instructor, InstructorAssignment, Organization

# ?coverage= filters of the organization list; each figure on the coverage page links to one of them.
COVERAGE_FILTERS = {
    "org": Q(coverage_state=CoverageState.ORG_COVERED),
    "work": Q(coverage_state=CoverageState.WORK_COVERED),
    "work_covered": Q(coverage_state__in=[CoverageState.ORG_COVERED, CoverageState.WORK_COVERED]),
    "blank": Q(coverage_state=CoverageState.BLANK),
    "should_establish": Q(should_establish=True),
    "meets_condition": Q(formal_members__gte=3),
    "own_party_org": Q(has_own_party_org=True, formal_members__gte=3),
    "edge_thinning": Q(edge_thinning=True),
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
        orgs = orgs.filter(region__code__startswith=normalize_code(region))
    if industry:
        orgs = orgs.filter(industry__code=industry)
    if category:
        orgs = orgs.filter(category=category)
    if zone:
        zone_id = parse_id(zone)
        orgs = orgs.filter(zone_id=zone_id) if zone_id is not None else orgs.none()
    if coverage in COVERAGE_FILTERS:
        # Deregistered organizations count nowhere, so they are in none of these lists either.
        orgs = orgs.filter(COVERAGE_FILTERS[coverage]).exclude(registration_status__in=DEREGISTERED)
    if flag in ("is_top500_private", "is_top100_internet", "is_little_giant", "is_above_scale"):
        orgs = orgs.filter(**{flag: True})
    if status:
        orgs = orgs.filter(registration_status=status)
    return orgs


def access_organization(pk, *, user, for_write: bool = False) -> Organization:
    from sanxin.accounts.roles import Cap

    capability = Cap.ORGS_MANAGE if for_write else Cap.ORGS_VIEW
    return access(Organization.objects.select_related("region", "industry", "zone", "parent"), pk, user, capability=capability)


def scope_industries(user):
    """The industries a user works on: those of a narrowed scope, else all."""
    from sanxin.regions.models import Industry

    scope = user_scope(user)
    return Industry.objects.filter(id__in=scope.industry_ids) if scope.industry_ids else Industry.objects.all()


def _pk(value):
    return getattr(value, "pk", value)


def place_outside_scope(user, *, region, industry=None, zone=None) -> dict[str, str]:
    """Where an organization (or Party organization) sits — region, industry, zone — checked against
    the user's scope: field name → Chinese reason for each part outside it; empty when inside.

    Takes model instances or keys (region code, industry id, zone id). `user=None` (a system job)
    is never refused. A scope narrowed to industries or a zone needs that industry or zone set,
    or the user could no longer see what they wrote."""
    if user is None:
        return {}
    scope = user_scope(user)
    if scope.nationwide:
        return {}
    if scope.empty:
        return {"region": "您没有管辖范围，不能登记"}
    errors = {}
    region_code = _pk(region)
    if region_code and not str(region_code).startswith(scope.region_prefix):
        errors["region"] = "所在地区不在您的管辖范围内"
    if scope.industry_ids and _pk(industry) not in scope.industry_ids:
        from sanxin.regions.models import Industry

        names = "、".join(Industry.objects.filter(id__in=scope.industry_ids).values_list("name", flat=True))
        errors["industry"] = f"所属行业须为您管辖的行业（{names}）"
    if scope.zone_id and _pk(zone) != scope.zone_id:
        from sanxin.regions.models import Zone

        errors["zone"] = f"须在您管辖的园区/楼宇（{Zone.objects.get(pk=scope.zone_id).name}）内"
    return errors


# -- instructors -----------------------------------------------------------------------


def _narrowed(scope) -> bool:
    return not scope.nationwide and not scope.empty and bool(scope.industry_ids or scope.zone_id)


def _unit_in_line(scope, *, unit_id: str, zone_field: str) -> Q:
    """The unit is of the narrowed scope's industry line (shares an industry) and of its zone."""
    from sanxin.accounts.models import Unit

    condition = Q()
    if scope.industry_ids:
        shares = Unit.industries.through.objects.filter(unit_id=OuterRef(unit_id), industry_id__in=sorted(scope.industry_ids))
        condition &= Q(Exists(shares))
    if scope.zone_id:
        condition &= Q(**{zone_field: scope.zone_id})
    return condition


def units_in_line(user):
    """Units that may send instructors for this user: in the scope, and of its industry line or zone when narrowed."""
    from sanxin.accounts.models import Unit

    units = scoped(Unit.objects.filter(is_active=True), user)
    scope = user_scope(user)
    return units.filter(_unit_in_line(scope, unit_id="pk", zone_field="zone_id")) if _narrowed(scope) else units


def scoped_instructors(queryset, user):
    """Instructors in the user's scope: their sending unit lies in the user's region subtree (and, for a
    scope narrowed to industries or a zone, is of that line or zone), or they have an assignment (current
    or past) to an organization inside the scope: a community sees the county's instructor who works in it."""
    scope = user_scope(user)
    if scope.empty or scope.nationwide:
        return scoped(queryset, user)  # nationwide: everything; no territory: an instructor's own record
    sent = scoped(queryset.model.objects.all(), user)
    if _narrowed(scope):
        sent = sent.filter(_unit_in_line(scope, unit_id="unit_id", zone_field="unit__zone_id"))
    assigned = Exists(scoped(InstructorAssignment.objects.filter(instructor_id=OuterRef("pk")), user))
    return queryset.filter(Q(pk__in=sent.values("pk")) | Q(assigned))


def instructor_list(*, user, q: str = ""):
    today = timezone.localdate()
    # Only the assignments the user may see are counted (as on the instructor's page).
    active = scoped(InstructorAssignment.objects.filter(instructor_id=OuterRef("pk"), started_on__lte=today), user).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )
    counted = active.order_by().values("instructor_id").annotate(n=Count("pk")).values("n")
    instructors = scoped_instructors(Instructor.objects.select_related("unit", "unit__region"), user).annotate(
        active_assignments=Coalesce(Subquery(counted), 0)
    )
    if q.strip():
        instructors = instructors.filter(name__icontains=q.strip())
    return instructors


def access_instructor(pk, *, user, for_write: bool = False) -> Instructor:
    from sanxin.accounts.roles import Cap

    if not user.can(Cap.ORGS_MANAGE if for_write else Cap.ORGS_VIEW):
        raise Http404
    try:
        return scoped_instructors(Instructor.objects.select_related("unit"), user).get(pk=pk)
    except (Instructor.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
