"""Reads of workers: one `access_worker` for a scoped worker, `worker_of` for the worker behind an account."""

from __future__ import annotations

from django.http import Http404

from sanxin.core.scope import access, scoped
from sanxin.workers.models import ConsentText, Worker


def worker_list(*, user):
    return scoped(Worker.objects.select_related("region"), user)


def access_worker(pk, *, user, for_write: bool = False) -> Worker:
    return access(Worker.objects.select_related("region"), pk, user, own_place_only=for_write)


def worker_of(user) -> Worker | None:
    """The worker record of a logged-in worker's own account; None for anyone else."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return Worker.objects.select_related("region").filter(user=user).first()


def current_consent() -> ConsentText | None:
    return ConsentText.objects.order_by("-published_at").first()


def consent_outdated(worker: Worker) -> bool:
    """A newer consent text than the one the worker accepted asks them again (security.md 23)."""
    current = current_consent()
    return worker.consented_at is None or (current is not None and current.version != worker.consent_version)


def require_worker(user) -> Worker:
    worker = worker_of(user)
    if worker is None:
        raise Http404
    return worker
