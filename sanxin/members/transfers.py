"""Relation transfers (组织关系转接): reads and writes.

A transfer has two sides, the sending Party organization (the member's) and the receiving one, usually in another
city or county, outside the sender's jurisdiction. Whoever sees either Party organization sees the transfer and the
member's masked data on it, and nobody else does (404). The receiving side does not see the member's own page
before completion: the member is seen where their Party organization is, and moves there only on completion.

Writes: the sending side initiates and may cancel while it is unanswered; the receiving side accepts or returns it
(with a reason) and completes it once the member has reported with the letter; completion moves the member through
sanxin.members.services.member_update (audited, on the member's timeline). One open transfer per member is held by
the database (constraint transfer_one_open_per_member) and said in Chinese here first.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from sanxin.core.audit import audit_record
from sanxin.core.guards import require
from sanxin.core.scope import scoped
from sanxin.core.workflow import Transition, timeline, timeline_event, transition
from sanxin.members.models import OPEN_TRANSFER_STATES, Member, RelationMode, Transfer, TransferState
from sanxin.members.selectors import manageable_party_orgs, seen_party_orgs
from sanxin.members.services import member_update
from sanxin.members.workflow import TRANSFER
from sanxin.party.models import PartyOrganization, PartyOrgStatus

# A letter is valid for three months unless the sender says otherwise; at most six.
DEFAULT_VALIDITY_DAYS = 90
MAX_VALIDITY_DAYS = 180

# ------------------------------------------------------------------------------------------------------ reads


def transfer_list(*, user, direction: str = "", state: str = "", q: str = ""):
    """The transfers the user sees: `direction` "out" (their side sends), "in" (their side receives) or both."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.can("members.view"):
        return Transfer.objects.none()
    seen = seen_party_orgs(user)
    sending, receiving = Q(from_organization__in=seen), Q(to_organization__in=seen)
    condition = {"out": sending, "in": receiving}.get(direction, sending | receiving)
    transfers = Transfer.objects.filter(condition).select_related("member", "from_organization__region", "to_organization__region")
    if state:
        transfers = transfers.filter(state=state)
    if q:
        transfers = transfers.filter(Q(member__name__icontains=q) | Q(letter_number__icontains=q))
    return transfers


def access_transfer(pk, *, user, for_write: bool = False) -> Transfer:
    """One transfer seen from either side, else 404; which side may take which step is the workflow's business."""
    if not user.can("members.manage" if for_write else "members.view"):
        raise Http404
    try:
        return transfer_list(user=user).get(pk=pk)
    except (Transfer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def transfer_sides(transfer: Transfer, user) -> tuple[bool, bool]:
    """(the user keeps the sending side, the user keeps the receiving side)."""
    if user is None:
        return True, True
    kept = set(
        manageable_party_orgs(user).filter(pk__in=[transfer.from_organization_id, transfer.to_organization_id]).values_list("pk", flat=True)
    )
    return transfer.from_organization_id in kept, transfer.to_organization_id in kept


def transfer_steps(transfer: Transfer, user) -> list[Transition]:
    """The steps this user could take now: the receiving side's or the sending side's, as the workflow allows."""
    steps = TRANSFER.available(transfer, user)
    if not steps:
        return []
    sending, receiving = transfer_sides(transfer, user)
    return [s for s in steps if (receiving if s.name != "cancel" else sending)]


def member_visible(transfer: Transfer, user) -> bool:
    """Whether the user may open the member's own page (not the receiving side before completion)."""
    return scoped(Member.objects.filter(pk=transfer.member_id), user).exists()


def open_transfer_of(member: Member) -> Transfer | None:
    return Transfer.objects.filter(member=member, state__in=OPEN_TRANSFER_STATES).select_related("to_organization").first()


def destination_suggestions(user, q: str, limit: int):
    """Receiving Party organizations anywhere on the platform, by name: a transfer is addressed outside one's own
    jurisdiction. Only active ones, only for those who keep members, only after two characters; name and place only."""
    q = q.strip()
    if len(q) < 2 or user is None or not user.can("members.manage"):
        return PartyOrganization.objects.none()
    active = PartyOrganization.objects.filter(status=PartyOrgStatus.ACTIVE).select_related("region")
    return active.filter(name__icontains=q).order_by("name", "pk")[:limit]


def transfer_timeline(transfer: Transfer):
    return timeline(transfer)


# ----------------------------------------------------------------------------------------------------- writes


def transfer_errors(*, member: Member, to_organization, letter_number: str, valid_until, today: date | None = None) -> dict[str, str]:
    """The rules of a new transfer other than who may send it, the same for the page and the API."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if to_organization is None:
        errors["to_organization"] = "请选择接收党组织"
    elif to_organization.pk == member.party_organization_id:
        errors["to_organization"] = f"接收党组织不能是党员当前所在的党组织（{member.party_organization.name}）"
    elif to_organization.status != PartyOrgStatus.ACTIVE:
        errors["to_organization"] = f"接收党组织“{to_organization.name}”已撤销，不能接收组织关系"
    if not (letter_number or "").strip():
        errors["letter_number"] = "请填写介绍信编号"
    if not isinstance(valid_until, date):
        errors["valid_until"] = "请填写介绍信有效期"
    elif valid_until < today:
        errors["valid_until"] = "介绍信有效期不能早于今天"
    elif valid_until > today + timedelta(days=MAX_VALIDITY_DAYS):
        errors["valid_until"] = f"介绍信有效期不超过 {MAX_VALIDITY_DAYS} 天（至 {today + timedelta(days=MAX_VALIDITY_DAYS):%Y-%m-%d}）"
    return errors


def _open_message(open_transfer: Transfer) -> str:
    return (
        f"党员“{open_transfer.member.name}”已有未办结的组织关系转接（介绍信编号 {open_transfer.letter_number}，"
        f"{open_transfer.get_state_display()}），办结、退回或撤销后方可再次发起"
    )


@transaction.atomic
def transfer_initiate(*, actor, member: Member, to_organization, letter_number: str, valid_until: date, reason: str = "") -> Transfer:
    """发起转接: only the side that keeps the member's Party organization; one open transfer per member."""
    require(actor, "members.manage")
    member = Member.objects.select_for_update().select_related("party_organization").get(pk=member.pk)
    if actor is not None and not manageable_party_orgs(actor).filter(pk=member.party_organization_id).exists():
        raise ValidationError(f"只有党员所在党组织（{member.party_organization.name}）方可发起转接")
    if member.relation_mode == RelationMode.LOST:
        raise ValidationError(f"“{member.name}”已标记为失联，须先在其“流动情况”页恢复联系，再发起组织关系转接")
    errors = transfer_errors(member=member, to_organization=to_organization, letter_number=letter_number, valid_until=valid_until)
    if errors:
        raise ValidationError(errors)
    existing = Transfer.objects.filter(member=member, state__in=OPEN_TRANSFER_STATES).select_related("member").first()
    if existing is not None:
        raise ValidationError(_open_message(existing))
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                member=member,
                from_organization=member.party_organization,
                to_organization=to_organization,
                letter_number=letter_number.strip(),
                reason=(reason or "").strip(),
                initiated_on=timezone.localdate(),
                valid_until=valid_until,
                state=TransferState.INITIATED,
            )
    except IntegrityError:
        # Another request opened one in between (the database's partial unique constraint).
        raise ValidationError(f"党员“{member.name}”已有未办结的组织关系转接，办结、退回或撤销后方可再次发起") from None
    timeline_event(
        transfer,
        actor=actor,
        transition="initiate",
        label="发起转接",
        old="",
        new=transfer.state,
        new_label=transfer.get_state_display(),
        note=transfer.reason,
    )
    detail = {
        "member": member.pk,
        "from_organization": transfer.from_organization_id,
        "to_organization": to_organization.pk,
        "letter_number": transfer.letter_number,
        "valid_until": valid_until.isoformat(),
        "reason": transfer.reason,
        "state": transfer.state,
    }
    audit_record(actor=actor, action="transfer_initiate", obj=transfer, detail={"new": detail})
    return transfer


def transfer_accept(*, actor, transfer: Transfer, note: str = "") -> Transfer:
    return transition(TRANSFER, transfer, "accept", actor=actor, action="transfer_accept", note=note)


def transfer_reject(*, actor, transfer: Transfer, note: str = "") -> Transfer:
    """退回, with the reason (the note) required."""
    return transition(TRANSFER, transfer, "reject", actor=actor, action="transfer_reject", note=note)


def transfer_cancel(*, actor, transfer: Transfer, note: str = "") -> Transfer:
    return transition(TRANSFER, transfer, "cancel", actor=actor, action="transfer_cancel", note=note)


@transaction.atomic
def transfer_complete(*, actor, transfer: Transfer, note: str = "") -> Transfer:
    """确认报到: the transfer is completed and the member moves to the receiving Party organization, their relation
    there (组织关系在本组织), through member_update."""
    transfer = transition(TRANSFER, transfer, "complete", actor=actor, action="transfer_complete", note=note)
    member = Member.objects.select_for_update().get(pk=transfer.member_id)
    member_update(actor=actor, member=member, party_organization=transfer.to_organization, relation_mode=RelationMode.LOCAL)
    return transfer


STEP_SERVICES = {
    "accept": transfer_accept,
    "reject": transfer_reject,
    "complete": transfer_complete,
    "cancel": transfer_cancel,
}
