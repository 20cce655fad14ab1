"""What waits for the people of a Party organization (the secretary's home page): development steps that are due
by the rules' own dates, and relation transfers to answer or to follow. Cut to the user's scope like every list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from sanxin.members.models import OPEN_TRANSFER_STATES, Development, DevelopmentStage, TransferState
from sanxin.members.selectors import development_list
from sanxin.members.transfers import transfer_list
from sanxin.members.workflow import years_after


@dataclass(frozen=True)
class DueStep:
    development: Development
    step: str  # what to do next, as the secretary says it
    since: date  # the date the step became possible (or the application, for an applicant)


def development_steps_due(*, user, today: date, limit: int) -> tuple[int, list[DueStep]]:
    """(how many, the first `limit`): applicants to consider, activists and probationary members whose year is up,
    candidates to publicise and admit. The oldest first."""
    year_ago = years_after(today, -1)  # a date on or before it is a full year ago
    due = development_list(user=user).filter(
        Q(stage=DevelopmentStage.APPLICANT)
        | Q(stage=DevelopmentStage.ACTIVIST, activist_on__lte=year_ago)
        | Q(stage=DevelopmentStage.CANDIDATE)
        | Q(stage=DevelopmentStage.PROBATIONARY, admitted_on__lte=year_ago)
    )
    rows = []
    for development in due.order_by("applied_on", "pk")[:limit]:
        if development.stage == DevelopmentStage.APPLICANT:
            rows.append(DueStep(development, "谈话后确定为入党积极分子", development.applied_on))
        elif development.stage == DevelopmentStage.ACTIVIST:
            rows.append(DueStep(development, "培养满一年，可列为发展对象", years_after(development.activist_on)))
        elif development.stage == DevelopmentStage.CANDIDATE:
            rows.append(DueStep(development, "公示后接收为预备党员", development.candidate_on))
        else:
            rows.append(DueStep(development, "预备期满，可转为正式党员", years_after(development.admitted_on)))
    return due.count(), rows


def transfers_waiting(*, user, limit: int) -> dict:
    """Open transfers the user's side receives (to accept or complete) and sends (to follow)."""
    incoming = transfer_list(user=user, direction="in").filter(state__in=OPEN_TRANSFER_STATES).order_by("initiated_on", "pk")
    outgoing = transfer_list(user=user, direction="out").filter(state__in=OPEN_TRANSFER_STATES).order_by("initiated_on", "pk")
    return {
        "incoming": list(incoming[:limit]),
        "incoming_count": incoming.count(),
        "outgoing": list(outgoing[:limit]),
        "outgoing_count": outgoing.count(),
        "accepted": TransferState.ACCEPTED,
    }
