"""Reads of Party members, cut to the scope: a member is seen by whoever sees its Party organization."""

from __future__ import annotations

from django.db.models import Count, Q

from sanxin.core.roles import Role
from sanxin.core.scope import access, scoped
from sanxin.core.workflow import timeline
from sanxin.members.models import Development, DevelopmentStage, Member, MemberStatus, RelationMode
from sanxin.orgs.models import Organization
from sanxin.party.models import PartyOrganization

# The columns the list page and the export show (with the Party organization's name and region).
LIST_COLUMNS = (
    "id",
    "name",
    "gender",
    "birth_date",
    "education",
    "id_number",
    "phone",
    "joined_on",
    "status",
    "relation_mode",
    "occupation",
    "party_organization__id",
    "party_organization__name",
    "party_organization__region",
)


def member_list(
    *,
    user,
    q: str = "",
    region: str = "",
    party_org: str | int = "",
    status: str = "",
    relation: str = "",
    occupation: str = "",
    lost: str = "",
):
    members = scoped(Member.objects.select_related("party_organization", "party_organization__region"), user)
    if q:
        members = members.filter(name__icontains=q)
    if region:
        members = members.filter(party_organization__region__code__under=region)
    if party_org not in ("", None):
        try:
            members = members.filter(party_organization_id=int(party_org))
        except (TypeError, ValueError):
            members = members.none()
    if status:
        members = members.filter(status=status)
    if relation:
        members = members.filter(relation_mode=relation)
    if occupation:
        members = members.filter(occupation__icontains=occupation)
    if lost in ("1", "true", True):
        members = members.filter(relation_mode=RelationMode.LOST)
    return members


def access_member(pk, *, user, for_write: bool = False) -> Member:
    """One member inside the user's scope, else 404; writes only where its Party organization sits (not seen through)."""
    return access(
        Member.objects.select_related("party_organization", "party_organization__region"),
        pk,
        user,
        capability="members.manage" if for_write else "members.view",
        own_place_only=for_write,
    )


def visible_employer(member: Member, *, user):
    """The member's employer if the user may see it; one outside the scope is not named to them."""
    if not member.employer_id:
        return None
    return scoped(Organization.objects.filter(pk=member.employer_id), user).first()


def secretary_party_orgs(user):
    """The Party organizations a secretary belongs to as a member (none for anyone else)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.has_role(Role.PARTY_SECRETARY):
        return PartyOrganization.objects.none()
    return PartyOrganization.objects.filter(members__user=user)


def seen_party_orgs(user):
    """The ids of the Party organizations the user sees: their scope's, or a secretary's own (the two sides of a
    transfer, the destination of an outflow)."""
    return PartyOrganization.objects.filter(
        Q(pk__in=scoped(PartyOrganization.objects.all(), user).values("pk")) | Q(pk__in=secretary_party_orgs(user).values("pk"))
    ).values("pk")


def manageable_party_orgs(user):
    """Where `user` may keep members: the Party organizations of their own place, or a secretary's own."""
    orgs = PartyOrganization.objects.select_related("region")
    if user is None:
        return orgs
    own_place = scoped(PartyOrganization.objects.all(), user, own_place_only=True).values("pk")
    return orgs.filter(Q(pk__in=own_place) | Q(pk__in=secretary_party_orgs(user).values("pk")))


def member_timeline(member: Member):
    return timeline(member)


# Member development (发展党员): seen by whoever sees the cultivating Party organization.


def development_list(*, user, q: str = "", party_org: str | int = "", stage: str = ""):
    developments = scoped(
        Development.objects.select_related("party_organization", "party_organization__region", "recommending_organization"), user
    )
    if q:
        developments = developments.filter(name__icontains=q)
    if party_org not in ("", None):
        try:
            developments = developments.filter(party_organization_id=int(party_org))
        except (TypeError, ValueError):
            developments = developments.none()
    if stage:
        developments = developments.filter(stage=stage)
    return developments


def development_stage_counts(developments) -> list[tuple[str, str, int]]:
    """(stage, its label, how many) for every stage, in order, of the given (already scoped and filtered) rows."""
    counts = dict(developments.order_by().values_list("stage").annotate(n=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in DevelopmentStage.choices]


def access_development(pk, *, user, for_write: bool = False) -> Development:
    """One person in development inside the user's scope, else 404; writes only where the cultivating Party
    organization sits."""
    return access(
        Development.objects.select_related(
            "party_organization",
            "party_organization__region",
            "recommending_organization",
            "introducer_1",
            "introducer_2",
            "member",
        ),
        pk,
        user,
        capability="members.manage" if for_write else "members.view",
        own_place_only=for_write,
    )


def introducer_choices(development: Development, *, user):
    """Who may be named introducer on the page: full members of the cultivating (or recommending) Party organization
    that the user sees; the workflow checks the rules again."""
    orgs = [development.party_organization_id, development.recommending_organization_id]
    return scoped(Member.objects.filter(status=MemberStatus.FULL, party_organization_id__in=[pk for pk in orgs if pk]), user).order_by(
        "name", "pk"
    )


def visible_member_ids(ids, *, user) -> set[int]:
    """Of these members, those whose own pages the user may open (the destination side of an outflow may not)."""
    ids = {pk for pk in ids if pk}
    return set(scoped(Member.objects.filter(pk__in=ids), user).values_list("pk", flat=True)) if ids else set()


def visible_party_org_ids(ids, *, user) -> set[int]:
    """Of these Party organizations, those the user sees (a recommending one outside the scope is not named)."""
    ids = {pk for pk in ids if pk}
    return set(scoped(PartyOrganization.objects.filter(pk__in=ids), user).values_list("pk", flat=True)) if ids else set()


def development_timeline(development: Development):
    return timeline(development)
