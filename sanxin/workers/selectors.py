"""Reads of workers: one `access_worker` for a scoped worker, `worker_of` for the worker behind an account."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404

from sanxin.core.fields import blind_index_for
from sanxin.core.listing import parse_id
from sanxin.core.scope import access, scoped
from sanxin.core.text import half_width, normalize_code
from sanxin.core.validators import MOBILE_RE
from sanxin.members.models import Member
from sanxin.workers.models import ConsentText, Occupation, Platform, Worker


def worker_list(*, user, q: str = "", occupation: str = "", platform="", region: str = ""):
    """The workers in the user's scope; `q` a name (contains) or a full phone number (exact, by its blind index)."""
    rows = scoped(Worker.objects.select_related("region"), user)
    q = half_width(q or "").strip()
    if q:
        digits = q.replace(" ", "").replace("-", "")
        if MOBILE_RE.fullmatch(digits):
            rows = rows.filter(phone_index=blind_index_for("phone", digits))
        else:
            rows = rows.filter(name__contains=q)
    if occupation in Occupation.values:
        rows = rows.filter(occupation=occupation)
    platform_id = parse_id(platform)
    if platform_id:
        rows = rows.filter(platforms=platform_id)
    region = normalize_code(region)
    if region.isdigit():
        rows = rows.filter(region__code__under=region)
    return rows


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


def api_worker(user, capability: str) -> Worker:
    """The worker behind an API caller for the worker's own endpoints (/api/v1/w/…): 404 for anyone else, and a
    Chinese refusal until they accepted the current consent (on their phone pages)."""
    worker = worker_of(user)
    if worker is None or not user.can(capability):
        raise Http404
    if consent_outdated(worker):
        raise ValidationError("请先在手机页面阅读并同意最新的个人信息处理告知同意书")
    return worker


def require_worker(user) -> Worker:
    worker = worker_of(user)
    if worker is None:
        raise Http404
    return worker


def can_write(worker: Worker, user) -> bool:
    """Whether `user` may change `worker` (their own place or below)."""
    return scoped(Worker.objects.filter(pk=worker.pk), user, own_place_only=True).exists()


def platform_list():
    return Platform.objects.select_related("unit").order_by("name")


def visible_member(worker: Worker, user):
    """The member record linked to `worker`, if `user` may see it (else None: the page says only that one exists)."""
    if not worker.member_id or not user.can("members.view"):
        return None
    return scoped(Member.objects.filter(pk=worker.member_id), user).first()
