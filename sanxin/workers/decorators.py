"""The gate of every worker page (/w/…): a logged-in worker whose consent is current; `request.worker` is theirs."""

from functools import wraps
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect

from sanxin.workers.selectors import consent_outdated, worker_of

WORKER_LOGIN_PATH = "/w/login/"
WORKER_CONSENT_PATH = "/w/consent/"


def worker_required(view):
    """Not logged in: to the worker login (phone and one-time code), then back. Logged in without a worker record
    (staff, a member): 404. Consent older than the current text: to the consent page first."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{WORKER_LOGIN_PATH}?{urlencode({'next': request.get_full_path()})}")
        worker = worker_of(request.user)
        if worker is None:
            raise Http404
        if consent_outdated(worker):
            return redirect(f"{WORKER_CONSENT_PATH}?{urlencode({'next': request.get_full_path()})}")
        request.worker = worker
        return view(request, *args, **kwargs)

    return wrapped
