from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from sanxin.core.scope import access, scoped
from sanxin.orgs.models import Organization
from sanxin.party.models import PartyOrganization, PartyOrgStatus

ELECTION_REMINDER_DAYS = 90


def with_visible_relations(party_orgs, *, user):
    """Counts and names that never reach past the user's scope: `covered_count` counts only the covered
    organizations the user may see, `parent_visible` says whether the parent may be named to them."""
    covered = scoped(Organization.objects.filter(party_organizations=OuterRef("pk")), user)
    counted = covered.order_by().values("party_organizations").annotate(n=Count("pk")).values("n")
    parent = scoped(PartyOrganization.objects.filter(pk=OuterRef("parent_id")), user)
    return party_orgs.annotate(covered_count=Coalesce(Subquery(counted), 0), parent_visible=Exists(parent))


def party_org_list(
    *, user, q: str = "", region: str = "", level: str = "", form: str = "", special: str = "", election: str = "", status: str = ""
):
    orgs = with_visible_relations(scoped(PartyOrganization.objects.select_related("region", "parent", "industry"), user), user=user)
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(secretary__icontains=q))
    if region:
        orgs = orgs.filter(region__code__under=region)
    if level:
        orgs = orgs.filter(level=level)
    if form:
        orgs = orgs.filter(establishment_form=form)
    if special:
        orgs = orgs.filter(special_kinds__icontains=special)
    if status:
        orgs = orgs.filter(status=status)
    if election:
        orgs = orgs.filter(election_due_filter(election))
    return orgs


def election_due_filter(which: str) -> Q:
    """'overdue': the election date has passed; 'soon': due within 90 days."""
    today = timezone.localdate()
    active = Q(status=PartyOrgStatus.ACTIVE)
    if which == "overdue":
        return active & Q(next_election_due__lt=today)
    if which == "soon":
        return active & Q(next_election_due__gte=today, next_election_due__lte=today + timedelta(days=ELECTION_REMINDER_DAYS))
    return Q(pk__in=[])


def election_reminders(*, user) -> dict[str, int]:
    orgs = scoped(PartyOrganization.objects.all(), user)
    return {"overdue": orgs.filter(election_due_filter("overdue")).count(), "soon": orgs.filter(election_due_filter("soon")).count()}


def party_org_tree(*, user, root_region: str = ""):
    """Party organizations in scope as (node, depth) in tree order; a node whose parent is outside scope starts a tree."""
    orgs = list(scoped(PartyOrganization.objects.select_related("region"), user).order_by("name"))
    if root_region:
        orgs = [o for o in orgs if o.region_id.startswith(root_region)]
    ids = {o.pk for o in orgs}
    children: dict[int | None, list] = {}
    for org in orgs:
        children.setdefault(org.parent_id if org.parent_id in ids else None, []).append(org)
    ordered = []

    def walk(parent_id, depth):
        for node in children.get(parent_id, []):
            ordered.append((node, depth))
            walk(node.pk, depth + 1)

    walk(None, 0)
    return ordered


def covered_seen(party_org: PartyOrganization, *, user):
    """The organizations it covers that the user may see; those outside the scope are neither shown nor dropped."""
    return scoped(party_org.covered_organizations.select_related("region"), user)


def visible_parent(party_org: PartyOrganization, *, user) -> PartyOrganization | None:
    """Its parent if the user may see it; a parent outside the scope is neither named nor changed."""
    if not party_org.parent_id:
        return None
    return scoped(PartyOrganization.objects.filter(pk=party_org.parent_id), user).first()


def access_party_org(pk, *, user, for_write: bool = False) -> PartyOrganization:

    return access(
        PartyOrganization.objects.select_related("region", "parent", "industry", "zone"),
        pk,
        user,
        capability="party.manage" if for_write else "party.view",
        own_place_only=for_write,  # seen through a covered organization is not owned
    )
