"""Reads of import jobs: a job belongs to the person who uploaded its file, not to a territory."""

from django.http import Http404

from sanxin.core.listing import parse_id
from sanxin.imports.models import ImportJob


def import_job_list(*, user):
    """The jobs of the files this user uploaded (none without the capability)."""
    if not user.can("imports.use"):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(user=user)


def access_import_job(pk, *, user) -> ImportJob:
    """Only the person who uploaded a file sees its job, its errors and its error file; anyone else gets 404."""
    job_id = parse_id(pk)
    job = ImportJob.objects.filter(pk=job_id, user=user).first() if job_id is not None else None
    if job is None or not user.can("imports.use"):
        raise Http404
    return job
