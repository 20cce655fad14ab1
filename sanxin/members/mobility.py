"""Mobile members (流动党员): outflow and inflow registrations kept as history (one row a period), and lost contact
(失联) marked and recovered. Writes check their rules with a Chinese reason, audit old and new values and leave an
event on the member's timeline; reads are cut to the scope (a registration is seen where its member is seen)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from sanxin.core.audit import audit_record
from sanxin.core.guards import require
from sanxin.core.masking import mask_phone
from sanxin.core.scope import access, scoped
from sanxin.core.validators import validate_mobile
from sanxin.core.workflow import timeline_event
from sanxin.members.models import LostContact, Member, MobileDirection, MobileRegistration, RelationMode
from sanxin.members.selectors import manageable_party_orgs, seen_party_orgs
from sanxin.members.services import member_update, membership_changed
from sanxin.party.models import PartyOrganization

# ------------------------------------------------------------------------------------------------------ writes


def member_timeline_event(member: Member, *, actor, transition: str, label: str, old: str, new: str, note: str = "") -> None:
    """An event on the member's timeline (shown on the member's page), with the relation mode as its state."""
    new_label = RelationMode(new).label if new in RelationMode.values else new
    timeline_event(member, actor=actor, transition=transition, label=label, old=old, new=new, new_label=new_label, note=note)


def _keeps(actor, member: Member) -> None:
    """The actor keeps the member's Party organization (its own place, or a secretary's own); else refused."""
    if actor is not None and not manageable_party_orgs(actor).filter(pk=member.party_organization_id).exists():
        raise ValidationError(f"党员“{member.name}”所在的党组织不在您的管辖范围内，不能办理")


def _period_errors(starts_on, ends_on, *, today: date) -> dict[str, str]:
    errors = {}
    if not isinstance(starts_on, date):
        errors["starts_on"] = "请填写流动开始日期"
    if isinstance(ends_on, date) and isinstance(starts_on, date) and ends_on < starts_on:
        errors["ends_on"] = f"流动结束日期（{ends_on:%Y-%m-%d}）不能早于开始日期（{starts_on:%Y-%m-%d}）"
    return errors


def _contact(value: str, errors: dict) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return validate_mobile(value)
    except ValidationError as error:
        errors["contact"] = error.messages[0]
        return ""


def _open_registration(member: Member, direction: str, *, today: date):
    return MobileRegistration.objects.filter(member=member, direction=direction).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def _snapshot(registration: MobileRegistration) -> dict:
    return {
        "member": registration.member_id,
        "direction": registration.direction,
        "destination": registration.destination,
        "destination_organization": registration.destination_organization_id,
        "home_organization": registration.home_organization,
        "starts_on": registration.starts_on.isoformat(),
        "ends_on": registration.ends_on.isoformat() if registration.ends_on else None,
        "contact": mask_phone(registration.contact),
        "note": registration.note,
    }


@transaction.atomic
def mobile_outflow_register(
    *,
    actor,
    member: Member,
    destination: str = "",
    destination_organization: PartyOrganization | None = None,
    starts_on: date,
    ends_on: date | None = None,
    contact: str = "",
    note: str = "",
) -> MobileRegistration:
    """流出登记: a member of here goes to work elsewhere; the relation stays here."""
    require(actor, "members.manage")
    member = Member.objects.select_for_update().get(pk=member.pk)
    _keeps(actor, member)
    today = timezone.localdate()
    errors = _period_errors(starts_on, ends_on, today=today)
    destination = (destination or "").strip()
    if not destination and destination_organization is None:
        errors["destination"] = "请填写流入地（或选择流入地党组织）"
    if destination_organization is not None and destination_organization.pk == member.party_organization_id:
        errors["destination_organization"] = "流入地党组织不能是该党员现在所在的党组织"
    contact = _contact(contact, errors)
    if member.relation_mode == RelationMode.LOST:
        errors["member"] = f"“{member.name}”已失联，须先恢复联系再登记流出"
    elif member.relation_mode == RelationMode.MOBILE:
        errors["member"] = f"“{member.name}”是在此参加组织生活的流动党员，组织关系不在本组织，应由其组织关系所在党组织登记流出"
    open_one = _open_registration(member, MobileDirection.OUTFLOW, today=today).first()
    if open_one is not None:
        errors["starts_on"] = f"“{member.name}”已有进行中的流出登记（{open_one.starts_on:%Y-%m-%d} 起），请先结束该登记"
    if errors:
        raise ValidationError(errors)
    registration = MobileRegistration.objects.create(
        member=member,
        direction=MobileDirection.OUTFLOW,
        destination=destination or (destination_organization.name if destination_organization else ""),
        destination_organization=destination_organization,
        starts_on=starts_on,
        ends_on=ends_on,
        contact=contact,
        note=(note or "").strip()[:500],
    )
    where = registration.destination
    member_timeline_event(
        member,
        actor=actor,
        transition="mobile_outflow_register",
        label="登记流出",
        old=member.relation_mode,
        new=member.relation_mode,
        note=f"流入地：{where}，{starts_on:%Y-%m-%d} 起",
    )
    audit_record(actor=actor, action="mobile_outflow_register", obj=registration, detail={"new": _snapshot(registration)})
    return registration


@transaction.atomic
def mobile_inflow_register(
    *,
    actor,
    member: Member,
    home_organization: str,
    starts_on: date,
    ends_on: date | None = None,
    contact: str = "",
    note: str = "",
) -> MobileRegistration:
    """流入登记: a member whose relation is elsewhere attends here (the organization attended is the member's Party
    organization); the member's relation mode becomes 流动党员 through member_update."""
    require(actor, "members.manage")
    member = Member.objects.select_for_update().get(pk=member.pk)
    _keeps(actor, member)
    today = timezone.localdate()
    errors = _period_errors(starts_on, ends_on, today=today)
    home_organization = (home_organization or "").strip()
    if not home_organization:
        errors["home_organization"] = "请填写组织关系所在党组织（名称或所在地）"
    contact = _contact(contact, errors)
    if member.relation_mode == RelationMode.LOST:
        errors["member"] = f"“{member.name}”已失联，须先恢复联系再登记流入"
    open_one = _open_registration(member, MobileDirection.INFLOW, today=today).first()
    if open_one is not None:
        errors["starts_on"] = f"“{member.name}”已有进行中的流入登记（{open_one.starts_on:%Y-%m-%d} 起），请先结束该登记"
    if errors:
        raise ValidationError(errors)
    registration = MobileRegistration.objects.create(
        member=member,
        direction=MobileDirection.INFLOW,
        home_organization=home_organization[:200],
        starts_on=starts_on,
        ends_on=ends_on,
        contact=contact,
        note=(note or "").strip()[:500],
    )
    old_mode = member.relation_mode
    if old_mode != RelationMode.MOBILE:
        member = member_update(actor=actor, member=member, relation_mode=RelationMode.MOBILE)
    member_timeline_event(
        member,
        actor=actor,
        transition="mobile_inflow_register",
        label="登记流入",
        old=old_mode,
        new=RelationMode.MOBILE,
        note=f"组织关系所在：{home_organization}，{starts_on:%Y-%m-%d} 起",
    )
    audit_record(actor=actor, action="mobile_inflow_register", obj=registration, detail={"new": _snapshot(registration)})
    return registration


@transaction.atomic
def mobile_registration_end(*, actor, registration: MobileRegistration, ends_on: date, note: str = "") -> MobileRegistration:
    """流动结束 (the member came back, or stopped attending here): the registration keeps its period as history."""
    require(actor, "members.manage")
    registration = MobileRegistration.objects.select_for_update().select_related("member").get(pk=registration.pk)
    member = registration.member
    _keeps(actor, member)
    today = timezone.localdate()
    if registration.ends_on is not None and registration.ends_on < today:
        raise ValidationError(f"该{registration.get_direction_display()}登记已于 {registration.ends_on:%Y-%m-%d} 结束")
    errors = _period_errors(registration.starts_on, ends_on, today=today)
    if not isinstance(ends_on, date):
        errors["ends_on"] = "请填写流动结束日期"
    elif ends_on > today:
        errors["ends_on"] = "结束日期不能晚于今天（预计结束日期请在登记时填写）"
    if errors:
        raise ValidationError(errors)
    before = registration.ends_on.isoformat() if registration.ends_on else None
    registration.ends_on = ends_on
    if note:
        registration.note = f"{registration.note}；{note.strip()}".strip("；")[:500]
    registration.save(update_fields=["ends_on", "note", "updated_at"])
    member_timeline_event(
        member,
        actor=actor,
        transition="mobile_registration_end",
        label=f"{registration.get_direction_display()}结束",
        old=member.relation_mode,
        new=member.relation_mode,
        note=f"{ends_on:%Y-%m-%d} 结束" + (f"：{note.strip()}" if note and note.strip() else ""),
    )
    audit_record(
        actor=actor,
        action="mobile_registration_end",
        obj=registration,
        detail={"changes": {"ends_on": {"old": before, "new": ends_on.isoformat()}}, **({"note": note} if note else {})},
    )
    return registration


def _set_mode(member: Member, mode: str) -> None:
    member.relation_mode = mode
    member.save(update_fields=["relation_mode", "updated_at"])
    membership_changed(member.party_organization_id)  # a lost member is not expected at meetings


@transaction.atomic
def member_mark_lost(*, actor, member: Member, on: date, reason: str) -> LostContact:
    """标记失联: the date and the reason kept, with the mode the member had, so recovery restores it."""
    require(actor, "members.manage")
    member = Member.objects.select_for_update().get(pk=member.pk)
    _keeps(actor, member)
    reason = (reason or "").strip()
    errors = {}
    if member.relation_mode == RelationMode.LOST:
        since = LostContact.objects.filter(member=member, recovered_on__isnull=True).values_list("lost_on", flat=True).first()
        raise ValidationError(f"“{member.name}”已标记为失联{f'（{since:%Y-%m-%d} 起）' if since else ''}，不能重复标记")
    if not isinstance(on, date):
        errors["on"] = "请填写失联日期"
    elif on > timezone.localdate():
        errors["on"] = "失联日期不能晚于今天"
    if not reason:
        errors["reason"] = "请填写失联原因"
    if errors:
        raise ValidationError(errors)
    old = member.relation_mode
    lost = LostContact.objects.create(member=member, lost_on=on, reason=reason[:500], previous_mode=old)
    _set_mode(member, RelationMode.LOST)
    member_timeline_event(
        member,
        actor=actor,
        transition="member_mark_lost",
        label="标记失联",
        old=old,
        new=RelationMode.LOST,
        note=f"{on:%Y-%m-%d} 失联：{reason}",
    )
    audit_record(
        actor=actor,
        action="member_mark_lost",
        obj=member,
        detail={"changes": {"relation_mode": {"old": old, "new": RelationMode.LOST}}, "lost_on": on.isoformat(), "reason": reason},
    )
    return lost


@transaction.atomic
def member_recover(*, actor, member: Member, on: date, note: str) -> Member:
    """恢复联系: the member goes back to the mode they had before they were marked lost (组织关系在本组织 when
    that is not known: marked lost elsewhere than here)."""
    require(actor, "members.manage")
    member = Member.objects.select_for_update().get(pk=member.pk)
    _keeps(actor, member)
    note = (note or "").strip()
    if member.relation_mode != RelationMode.LOST:
        raise ValidationError(f"“{member.name}”未标记为失联（现为{member.get_relation_mode_display()}），无需恢复联系")
    lost = LostContact.objects.select_for_update().filter(member=member, recovered_on__isnull=True).first()
    errors = {}
    if not isinstance(on, date):
        errors["on"] = "请填写恢复联系日期"
    elif on > timezone.localdate():
        errors["on"] = "恢复联系日期不能晚于今天"
    elif lost is not None and on < lost.lost_on:
        errors["on"] = f"恢复联系日期不能早于失联日期（{lost.lost_on:%Y-%m-%d}）"
    if not note:
        errors["note"] = "请填写恢复联系的情况说明"
    if errors:
        raise ValidationError(errors)
    mode = lost.previous_mode if lost is not None else RelationMode.LOCAL
    if lost is not None:
        lost.recovered_on, lost.recovery_note = on, note[:500]
        lost.save(update_fields=["recovered_on", "recovery_note", "updated_at"])
    _set_mode(member, mode)
    member_timeline_event(
        member, actor=actor, transition="member_recover", label="恢复联系", old=RelationMode.LOST, new=mode, note=f"{on:%Y-%m-%d}：{note}"
    )
    audit_record(
        actor=actor,
        action="member_recover",
        obj=member,
        detail={"changes": {"relation_mode": {"old": RelationMode.LOST, "new": mode}}, "recovered_on": on.isoformat(), "note": note},
    )
    return member


# ------------------------------------------------------------------------------------------------------- reads

TABS = (("outflow", "流出党员"), ("inflow", "流入党员"), ("lost", "失联党员"))


def _active(registrations, today: date):
    return registrations.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))


REGISTRATION_RELATIONS = ("member", "member__party_organization", "member__party_organization__region", "destination_organization")


def _seen_registrations(user):
    """The registrations the user sees: where their member is seen, and, for those who see Party organizations'
    members, the outflows to a destination Party organization they see (its side learns who comes to it: name, dates,
    the masked contact; the member's own page stays where the member is)."""
    rows = MobileRegistration.objects.select_related(*REGISTRATION_RELATIONS)
    own = scoped(MobileRegistration.objects.all(), user).values("pk")
    if user is None or not getattr(user, "is_authenticated", False) or not user.can("members.view"):
        return rows.filter(pk__in=own)
    arriving = Q(direction=MobileDirection.OUTFLOW, destination_organization__in=seen_party_orgs(user))
    return rows.filter(Q(pk__in=own) | arriving)


def mobile_registration_list(*, user, direction: str = "", q: str = "", active: bool = True, member=None):
    """Registrations seen by the user (_seen_registrations); by default only the periods not yet over."""
    rows = _seen_registrations(user)
    if direction:
        rows = rows.filter(direction=direction)
    if active:
        rows = _active(rows, timezone.localdate())
    if q:
        rows = rows.filter(member__name__icontains=q)
    if member is not None:
        rows = rows.filter(member=member)
    return rows


def lost_member_list(*, user, q: str = ""):
    """Members marked 失联 that the user sees, with the date and reason of their open lost-contact record."""
    open_lost = LostContact.objects.filter(member=OuterRef("pk"), recovered_on__isnull=True).order_by("-lost_on")
    members = scoped(Member.objects.select_related("party_organization", "party_organization__region"), user).filter(
        relation_mode=RelationMode.LOST
    )
    if q:
        members = members.filter(name__icontains=q)
    return members.annotate(lost_on=Subquery(open_lost.values("lost_on")[:1]), lost_reason=Subquery(open_lost.values("reason")[:1]))


def mobile_counts(*, user, q: str = "") -> dict[str, int]:
    """How many members are out (流出), in (流入) and lost (失联) now, in the user's scope."""
    by_direction = dict(
        mobile_registration_list(user=user, q=q).order_by().values_list("direction").annotate(n=Count("member_id", distinct=True))
    )
    return {
        "outflow": by_direction.get(MobileDirection.OUTFLOW, 0),
        "inflow": by_direction.get(MobileDirection.INFLOW, 0),
        "lost": lost_member_list(user=user, q=q).count(),
    }


def access_mobile_registration(pk, *, user, for_write: bool = False) -> MobileRegistration:
    """One registration the user sees (the destination side of an outflow too), else 404; changed only where the
    member's Party organization sits."""
    if for_write:
        return access(
            MobileRegistration.objects.select_related(*REGISTRATION_RELATIONS),
            pk,
            user,
            capability="members.manage",
            own_place_only=True,
        )
    if not user.can("members.view"):
        raise Http404
    try:
        return _seen_registrations(user).get(pk=pk)
    except (MobileRegistration.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def member_mobility(member: Member, *, user) -> dict:
    """A member's registrations and lost-contact records, newest first (the member was accessed already)."""
    return {
        "registrations": list(
            MobileRegistration.objects.filter(member=member).select_related("destination_organization").order_by("-starts_on", "-pk")
        ),
        "lost_contacts": list(LostContact.objects.filter(member=member).order_by("-lost_on", "-pk")),
    }
