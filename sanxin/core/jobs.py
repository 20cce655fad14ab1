"""Background jobs whose worker died: recognised by their silence, marked failed with a Chinese reason.

A running job (an import, a comparison) writes its progress, and with it `updated_at`, every few thousand
rows and at every step. One that has said nothing since `stale_after` was stopped (the worker was killed,
the machine restarted) or never started (no worker running). `fail_stale` marks such jobs failed, each with
an audit event, so the page stops waiting and offers to run the file again. The views call it when they
show a job and the daily jobs call it for everyone's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from sanxin.core.audit import audit_record


@transaction.atomic
def fail_stale(
    queryset: QuerySet,
    *,
    running_statuses: Iterable[str],
    failed_status: str,
    reason: str,
    action: str,
    stale_after: timedelta,
) -> list[int]:
    """Mark the jobs of `queryset` in one of `running_statuses` and silent since `stale_after` as failed.

    The model needs `status`, `message` and `updated_at`. Each job is changed only if it is still running and
    still silent when it is written (a worker that reports meanwhile keeps its job). Returns the ids marked.
    """
    running = list(running_statuses)
    cutoff = timezone.now() - stale_after
    candidates = list(queryset.filter(status__in=running, updated_at__lt=cutoff).values_list("pk", "status"))
    model = queryset.model
    failed = []
    for pk, status in candidates:
        changed = model.objects.filter(pk=pk, status__in=running, updated_at__lt=cutoff).update(
            status=failed_status, message=reason[: model._meta.get_field("message").max_length], updated_at=timezone.now()
        )
        if not changed:
            continue
        failed.append(pk)
        job = model.objects.get(pk=pk)
        audit_record(actor=None, actor_name="system", action=action, obj=job, outcome="failure", detail={"was": status, "reason": reason})
    return failed
