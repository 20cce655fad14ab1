"""The home page: for each persona, the figures of its scope and the work waiting for it."""

from datetime import timedelta

from django.db.models import Max, Q
from django.utils import timezone

from sanxin.accounts.models import Unit, User
from sanxin.core.models import AuditEvent, AuditOutcome
from sanxin.core.roles import Role
from sanxin.core.scope import scoped, user_scope
from sanxin.regions.models import Region
from sanxin.regions.selectors import region_root_code, regions_below_by_level

WAITING_ROWS = 5  # items of each kind of waiting work shown on the home page


def home_figures(*, user) -> dict:
    """The home page's figures and waiting work, each cut to the user's scope."""
    figures: dict = {"scope": user_scope(user)}
    root = region_root_code(user)
    figures["root"] = Region.objects.filter(code=root).first() if root else None
    if user.can("regions.view"):
        figures["regions_by_level"] = regions_below_by_level(user=user)
    if user.can("units.view"):
        figures["units"] = scoped(Unit.objects.filter(is_active=True), user).count()
    if user.can("users.view"):
        users = scoped(User.objects.all(), user)
        figures["users"] = users.filter(is_active=True).count()
        figures["users_never_logged_in"] = users.filter(is_active=True, last_login__isnull=True).count()
    if user.can("roles.grant"):
        without_roles = scoped(User.objects.filter(is_active=True, roles__isnull=True), user).select_related("unit")
        figures["users_without_roles"] = without_roles.count()
        figures["users_without_roles_rows"] = list(without_roles.order_by("-date_joined")[:WAITING_ROWS])
    if user.can("orgs.view") and not figures["scope"].empty:  # territorial staff (an instructor sees their assignments)
        figures |= _registry_figures(user)
    if user.can("census.view"):
        figures["campaigns"] = _running_campaigns(user)
    if user.can("compare.use"):
        figures["comparisons_to_review"] = _comparisons_to_review(user)
    if user.can("party.view"):
        from sanxin.party.models import PartyOrganization
        from sanxin.party.selectors import election_reminders

        figures["party_orgs"] = scoped(PartyOrganization.objects.filter(status="active"), user).count()
        figures["elections"] = election_reminders(user=user)
    if user.can("members.view"):
        figures |= _member_work(user)
    if user.can("mine.view"):
        figures["mine"] = _my_things(user)
    if user.has_role(Role.INSTRUCTOR):
        figures["assignments"] = _instructor_assignments(user)
    if user.can("appeals.view"):
        figures["appeals"] = _appeal_work(user)
    if user.can("hazards.view"):  # sanxin.hazards: reports waiting for verification
        from sanxin.hazards.selectors import to_verify_count

        figures["hazards_to_verify"] = to_verify_count(user)
    if user.can("study.learn"):
        from sanxin.study.selectors import to_study_count

        figures["study_todo"] = to_study_count(user)
    if user.can("audit.view"):
        since = timezone.now() - timedelta(days=1)
        recent = AuditEvent.objects.filter(occurred_at__gte=since)
        figures["audit_24h"] = recent.count()
        figures["audit_failures_24h"] = recent.exclude(outcome=AuditOutcome.SUCCESS).count()
        figures["audit_failures_rows"] = list(recent.exclude(outcome=AuditOutcome.SUCCESS).order_by("-id")[:WAITING_ROWS])
    figures["waiting_roles"] = not any(user.can(c) for c in ("orgs.view", "units.view", "users.view", "audit.view"))
    return figures


def _member_work(user) -> dict:
    """Development steps due and open relation transfers, for whoever keeps members (a secretary: their own branch)."""
    from sanxin.members.selectors import secretary_party_orgs
    from sanxin.members.waiting import development_steps_due, transfers_waiting

    count, rows = development_steps_due(user=user, today=timezone.localdate(), limit=WAITING_ROWS)
    own = list(secretary_party_orgs(user).order_by("name"))
    work = {
        "own_party_orgs": own,
        "developments_due": count,
        "developments_due_rows": rows,
        "transfers": transfers_waiting(user=user, limit=WAITING_ROWS),
    }
    if own:
        work |= _secretary_work(user, own)
    return work


def _secretary_work(user, own: list) -> dict:
    """A secretary's own Party organizations: the meetings due this period or overdue (三会一课), and the 亮身份
    reports waiting for their confirmation."""
    from sanxin.life.compliance_figures import secretary_due
    from sanxin.members.identity import identity_report_list
    from sanxin.members.models import IdentityReportStatus

    reports = identity_report_list(user=user, status=IdentityReportStatus.SUBMITTED).filter(party_organization__in=own)
    return {
        "meetings_due": secretary_due(user=user, limit=WAITING_ROWS) if user.can("life.view") else None,
        "identity_waiting": reports.count(),
        "identity_waiting_rows": list(reports.order_by("created_at", "pk")[:WAITING_ROWS]),
    }


def _appeal_work(user) -> dict:
    """Appeals to handle (待受理, due today, overdue) and the most urgent open ones; for a platform's own Party
    committee, the open appeals about its platform (category, place and state only: no person)."""
    from sanxin.appeals.models import OPEN_STATUSES
    from sanxin.appeals.selectors import appeal_list

    counts = {tab: appeal_list(user=user, tab=tab).order_by().count() for tab in ("submitted", "today", "overdue")}
    open_rows = appeal_list(user=user).filter(status__in=OPEN_STATUSES)
    return {
        "counts": counts,
        "open": open_rows.order_by().count(),
        "rows": list(open_rows.order_by("due_at", "pk")[:WAITING_ROWS]),
        "platforms": [p.name for p in user.unit.platforms.all()] if user.unit_id else [],
        "now": timezone.now(),
    }


def _my_things(user) -> dict | None:
    """A member's own things to do: the next meeting (sign in if open), reports waiting for confirmation."""
    from sanxin.mine.selectors import my_member, next_meeting, pending_identity_reports

    if my_member(user) is None:
        return None
    return {"next": next_meeting(user), "pending_reports": list(pending_identity_reports(user)[:WAITING_ROWS])}


def _registry_figures(user) -> dict:
    from sanxin.census.models import Todo, TodoStatus
    from sanxin.coverage.figures import coverage_summary

    # The coverage page's own figures (kept up to date on every write), not three counts of the registry.
    summary = coverage_summary(user=user)
    todos = scoped(Todo.objects.filter(status=TodoStatus.OPEN).select_related("organization"), user)
    return {
        "organizations": summary["organizations"],
        "blank_spots": summary["blank"],
        "should_establish": summary["should_establish"],
        "open_todos": todos.count(),
        "todo_rows": list(todos.order_by("due_on", "pk")[:WAITING_ROWS]),
        "today": timezone.localdate(),
    }


def _running_campaigns(user) -> list[tuple]:
    from sanxin.census.models import CampaignStatus, CensusCampaign
    from sanxin.census.selectors import campaign_progress

    today = timezone.localdate()
    campaigns = scoped(CensusCampaign.objects.filter(status=CampaignStatus.ACTIVE, ends_on__gte=today), user)
    return [(c, campaign_progress(c, user=user)) for c in campaigns.select_related("region").order_by("ends_on")[:WAITING_ROWS]]


def _comparisons_to_review(user) -> list[tuple]:
    from sanxin.compare.models import ComparisonStatus
    from sanxin.compare.selectors import comparison_counts, comparison_list

    done = list(comparison_list(user=user).filter(status=ComparisonStatus.DONE).order_by("-id")[:20])
    counts = comparison_counts([c.pk for c in done], user=user)
    return [(c, counts[c.pk]["review"]) for c in done if counts[c.pk]["review"]][:WAITING_ROWS]


def _instructor_assignments(user) -> list:
    """The instructor's current assignments, with the date of the last visit (oldest visits first)."""
    from sanxin.instructors.models import InstructorAssignment

    today = timezone.localdate()
    current = Q(started_on__lte=today) & (Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    assignments = (
        InstructorAssignment.objects.filter(current, instructor__user=user)
        .select_related("organization", "organization__region")
        .annotate(last_visit=Max("visits__visited_on"))
    )
    return sorted(assignments, key=lambda a: (a.last_visit is not None, a.last_visit or today))
