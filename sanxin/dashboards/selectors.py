from datetime import timedelta

from django.utils import timezone

from sanxin.accounts.models import Unit, User
from sanxin.accounts.roles import Cap
from sanxin.core.models import AuditEvent, AuditOutcome
from sanxin.core.scope import scoped, user_scope
from sanxin.regions.models import Region
from sanxin.regions.selectors import region_root_code, regions_below_by_level


def home_figures(*, user) -> dict:
    """The home page's figures, each cut to the user's scope."""
    figures: dict = {"scope": user_scope(user)}
    root = region_root_code(user)
    figures["root"] = Region.objects.filter(code=root).first() if root else None
    if user.can(Cap.REGIONS_VIEW):
        figures["regions_by_level"] = regions_below_by_level(user=user)
    if user.can(Cap.UNITS_VIEW):
        figures["units"] = scoped(Unit.objects.filter(is_active=True), user).count()
    if user.can(Cap.USERS_VIEW):
        users = scoped(User.objects.all(), user)
        figures["users"] = users.filter(is_active=True).count()
        figures["users_never_logged_in"] = users.filter(is_active=True, last_login__isnull=True).count()
    if user.can(Cap.ORGS_VIEW):
        from sanxin.orgs.models import DEREGISTERED, Organization, Todo, TodoStatus

        orgs = scoped(Organization.objects.exclude(registration_status__in=DEREGISTERED), user)
        figures["organizations"] = orgs.count()
        figures["blank_spots"] = orgs.filter(coverage_state="blank").count()
        figures["should_establish"] = orgs.filter(should_establish=True).count()
        figures["open_todos"] = scoped(Todo.objects.filter(status=TodoStatus.OPEN), user).count()
    if user.can(Cap.PARTY_VIEW):
        from sanxin.party.models import PartyOrganization
        from sanxin.party.selectors import election_reminders

        figures["party_orgs"] = scoped(PartyOrganization.objects.filter(status="active"), user).count()
        figures["elections"] = election_reminders(user=user)
    if user.can(Cap.AUDIT_VIEW):
        since = timezone.now() - timedelta(days=1)
        recent = AuditEvent.objects.filter(occurred_at__gte=since)
        figures["audit_24h"] = recent.count()
        figures["audit_failures_24h"] = recent.exclude(outcome=AuditOutcome.SUCCESS).count()
    return figures
