"""Reads of study materials, cut to the scope. The rates (done / members expected) are computed here once, for the
pages, the export and the API alike: the members expected of a Party organization are its members now (mobile
members attending there included, those who lost contact not), and done counts those of them who marked it."""

from __future__ import annotations

from django.db.models import Count, F, FloatField, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import Http404
from django.utils import timezone

from sanxin.core.listing import parse_id
from sanxin.core.scope import access, region_in_scope, scoped
from sanxin.members.models import Member, RelationMode
from sanxin.party.models import PartyOrganization, PartyOrgStatus
from sanxin.study.models import MaterialStatus, StudyCompletion, StudyMaterial, StudyShare


def expected_members(party_organization_id):
    """Who is expected to study what is shared to a Party organization: its members, mobile members attending there
    included, those who lost contact (失联) not (the same people as a meeting's expected attendees)."""
    return Member.objects.filter(party_organization_id=party_organization_id).exclude(relation_mode=RelationMode.LOST)


def _can_read(user) -> bool:
    return user.can("study.view") or user.can("study.learn")


def material_list(*, user, q: str = "", status: str = "", kind: str = ""):
    materials = scoped(StudyMaterial.objects.select_related("region", "unit"), user).annotate(share_count=Count("shares", distinct=True))
    if q:
        materials = materials.filter(title__icontains=q)
    if status:
        materials = materials.filter(status=status)
    if kind:
        materials = materials.filter(kind=kind)
    return materials


def access_material(pk, *, user, for_write: bool = False) -> StudyMaterial:
    """One material inside the user's scope, else 404; written only where it was published (its region, or above)."""
    queryset = StudyMaterial.objects.select_related("region", "unit")
    if for_write:
        material = access(queryset, pk, user, capability="study.manage", own_place_only=True)
        if not region_in_scope(user, material.region_id):
            raise Http404  # seen from below (a county's material in a street), written only at its region or above
        return material
    if not _can_read(user):
        raise Http404
    return access(queryset, pk, user)


def with_rates(shares):
    """Shares with expected, done and rate (0–1, None when nobody is expected) annotated."""
    expected = (
        Member.objects.filter(party_organization=OuterRef("party_organization"))
        .exclude(relation_mode=RelationMode.LOST)
        .order_by()
        .values("party_organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    done = (
        StudyCompletion.objects.filter(material=OuterRef("material"), member__party_organization=OuterRef("party_organization"))
        .exclude(member__relation_mode=RelationMode.LOST)
        .order_by()
        .values("material")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return shares.annotate(
        expected=Coalesce(Subquery(expected, output_field=IntegerField()), Value(0)),
        done=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)),
    ).annotate(rate=Cast(F("done"), FloatField()) / NullIf(Cast(F("expected"), FloatField()), Value(0.0)))


def share_list(*, user, material: str | int = "", q: str = "", region: str = "", level: str = "", progress: str = ""):
    """The rates list: one row per Party organization and material shared to it, within the scope."""
    shares = scoped(
        StudyShare.objects.select_related("material", "party_organization", "party_organization__region"),
        user,
    )
    if material not in ("", None):
        pk = parse_id(material)
        shares = shares.filter(material_id=pk) if pk else shares.none()
    if q:
        shares = shares.filter(party_organization__name__icontains=q)
    if region:
        shares = shares.filter(party_organization__region__code__under=region)
    if level:
        shares = shares.filter(party_organization__level=level)
    shares = with_rates(shares)
    if progress == "complete":
        shares = shares.filter(expected__gt=0, done__gte=F("expected"))
    elif progress == "incomplete":
        shares = shares.filter(done__lt=F("expected"))
    elif progress == "overdue":
        shares = shares.filter(done__lt=F("expected"), due_on__lt=timezone.localdate())
    return shares


def totals(shares) -> dict:
    """The sums of done and expected of the (filtered) rows, and their rate."""
    sums = {"done": 0, "expected": 0}
    for done, expected in shares.order_by().values_list("done", "expected").iterator(chunk_size=2000):
        sums["done"] += done
        sums["expected"] += expected
    sums["rate"] = sums["done"] / sums["expected"] if sums["expected"] else None
    return sums


def access_share(pk, *, user) -> StudyShare:
    if not user.can("study.view"):
        raise Http404
    return access(with_rates(StudyShare.objects.select_related("material", "party_organization", "party_organization__region")), pk, user)


def material_shares(material: StudyMaterial, *, user):
    """The organizations a material is shared to, with their rates: those the user sees."""
    return with_rates(scoped(material.shares.select_related("party_organization", "party_organization__region"), user)).order_by(
        "party_organization__region_id", "party_organization__name", "pk"
    )


def not_done_members(share: StudyShare):
    """The members of the share's Party organization who have not marked its material done (names only)."""
    done = StudyCompletion.objects.filter(material_id=share.material_id).values("member_id")
    return expected_members(share.party_organization_id).exclude(pk__in=done).order_by("name", "pk").only("name", "relation_mode")


def shareable_party_orgs(user):
    """Where the user may share materials: the active Party organizations of their own place."""
    return scoped(PartyOrganization.objects.filter(status=PartyOrgStatus.ACTIVE), user, own_place_only=True)


# The member's side.


def own_member(user) -> Member | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.select_related("party_organization").filter(user=user).first()


def my_materials(user):
    """What is shared to the member's Party organization (published, or withdrawn and shown so), with done_at and
    due_on annotated; empty for someone without a member record."""
    member = own_member(user)
    if member is None:
        return StudyMaterial.objects.none()
    done_at = StudyCompletion.objects.filter(material=OuterRef("pk"), member=member).values("done_at")[:1]
    due_on = StudyShare.objects.filter(material=OuterRef("pk"), party_organization_id=member.party_organization_id).values("due_on")[:1]
    return (
        scoped(StudyMaterial.objects.all(), user)
        .filter(shares__party_organization_id=member.party_organization_id)
        .annotate(done_at=Subquery(done_at), due_on=Subquery(due_on))
        .order_by("-published_at", "-pk")
    )


def to_study_count(user) -> int:
    """How many published materials shared to the member's Party organization they have not marked done."""
    if not user.can("study.learn") or own_member(user) is None:
        return 0
    return my_materials(user).filter(status=MaterialStatus.PUBLISHED, done_at__isnull=True).count()


def access_my_material(pk, *, user) -> StudyMaterial:
    """One material of the member's own list, else 404."""
    if not user.can("study.learn"):
        raise Http404
    found = my_materials(user).select_related("region", "unit").filter(pk=parse_id(pk) or 0).first()
    if found is None:
        raise Http404
    return found
