"""Reads of instructors, cut to the viewer's scope."""

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from sanxin.accounts.models import Unit
from sanxin.core.scope import access, scoped, user_scope
from sanxin.instructors.models import Instructor, InstructorAssignment


def _narrowed(scope) -> bool:
    return not scope.nationwide and not scope.empty and bool(scope.industry_ids or scope.zone_id)


def _unit_in_line(scope, *, unit_id: str, zone_field: str) -> Q:
    """The unit is of the narrowed scope's industry line (shares an industry) and of its zone."""
    condition = Q()
    if scope.industry_ids:
        shares = Unit.industries.through.objects.filter(unit_id=OuterRef(unit_id), industry_id__in=sorted(scope.industry_ids))
        condition &= Q(Exists(shares))
    if scope.zone_id:
        condition &= Q(**{zone_field: scope.zone_id})
    return condition


def units_in_line(user):
    """Units that may send instructors for this user: in the scope, and of its industry line or zone when narrowed."""
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


def instructor_assignments(instructor: Instructor, *, user):
    """An instructor's assignments (current and past) that the user may see: those in the user's scope."""
    return scoped(instructor.assignments.select_related("organization", "organization__region"), user)


def access_instructor(pk, *, user, for_write: bool = False) -> Instructor:

    if not user.can("instructors.manage" if for_write else "instructors.view"):
        raise Http404
    try:
        return scoped_instructors(Instructor.objects.select_related("unit"), user).get(pk=pk)
    except (Instructor.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_assignment(pk, *, user, capability="instructors.manage") -> InstructorAssignment:
    return access(InstructorAssignment.objects.select_related("instructor", "organization"), pk, user, capability=capability)
