"""To-dos that the data itself settles: an "establish a Party organization" to-do closes once the
organization has one of its own (单独组建), with a note saying so, whoever established it and however."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from sanxin.core.audit import audit_record
from sanxin.orgs.models import Todo, TodoKind, TodoStatus


def todos_close_fulfilled(organization_ids: Iterable[int] | None = None) -> int:
    """Close the open 应组建 to-dos of these organizations (all when None) that now have their own Party
    organization; returns how many were closed."""
    from sanxin.party.models import EstablishmentForm, PartyOrganization, PartyOrgStatus

    todos = Todo.objects.filter(kind=TodoKind.ESTABLISH_PARTY_ORG, status=TodoStatus.OPEN, organization__has_own_party_org=True)
    if organization_ids is not None:
        todos = todos.filter(organization_id__in=list(organization_ids))
    today = timezone.localdate()
    closed = 0
    for todo in todos.select_related("organization"):
        own = (
            PartyOrganization.objects.filter(
                covered_organizations=todo.organization_id, establishment_form=EstablishmentForm.STANDALONE, status=PartyOrgStatus.ACTIVE
            )
            .order_by("founded_on", "pk")
            .first()
        )
        founded = f"（成立于 {own.founded_on:%Y-%m-%d}）" if own and own.founded_on else ""
        note = f"已单独组建党组织“{own.name if own else '本单位党组织'}”{founded}，系统自动办结"
        updated = Todo.objects.filter(pk=todo.pk, status=TodoStatus.OPEN).update(
            status=TodoStatus.DONE, closed_on=today, closed_by=None, close_note=note, updated_at=timezone.now()
        )
        if updated:
            closed += 1
            audit_record(
                action="todo.close",
                obj=todo,
                actor_name="system",
                detail={"organization": todo.organization_id, "old": TodoStatus.OPEN, "new": TodoStatus.DONE, "note": note},
            )
    return closed
