"""The pages in-process, on the database pages_bench.py prepared: ms per request, queries and their time, and
the organization list taken apart (count and page query, render, the whole view), with production settings and
the county officer's session (second factor passed), through Django's test client.

    .venv/bin/python bench/pages_profile.py                   # every page, and the list's parts
    .venv/bin/python bench/pages_profile.py --profile list    # plus the top of cProfile for one page
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages_bench import DEFAULT_DATABASE, PERSONA, production_environment  # noqa: E402


def best_ms(fn, *, rounds: int = 3, n: int = 20) -> float:
    fn()
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - started) / n)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default="", help="a page to run under cProfile")
    parser.add_argument("--data-dir", default=str(ROOT / "data" / "pages-bench"))
    args = parser.parse_args()
    os.environ.update(production_environment(Path(args.data_dir), os.environ.get("DATABASE_URL", DEFAULT_DATABASE)))
    import django

    django.setup()
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import Client, RequestFactory
    from django.urls import resolve
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sanxin.accounts.middleware import session_start
    from sanxin.accounts.models import User
    from sanxin.core.listing import list_page
    from sanxin.orgs import views
    from sanxin.orgs.models import Organization

    user = User.objects.get(username=PERSONA)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user, confirmed=True).first().persistent_id
    session_start(session, timezone.now())
    session.save()
    org = Organization.objects.filter(region__code__under="360102").order_by("pk")[100]
    pages = {
        "bare": "/bench/bare/",
        "list": "/orgs/",
        "filtered": "/orgs/?region=360102002&coverage=blank",
        "detail": f"/orgs/{org.pk}/",
        "coverage": "/coverage/?region=360102",
        "home": "/",
    }
    print(f"{'page':10s} {'ms/request':>10s} {'queries':>8s} {'db ms':>7s}")
    for name, url in pages.items():
        assert client.get(url, secure=True).status_code == 200, url
        queries: list[float] = []

        def timed(execute, sql, params, many, context, queries=queries):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append(time.perf_counter() - started)

        with connection.execute_wrapper(timed):
            client.get(url, secure=True)
        ms = best_ms(lambda url=url: client.get(url, secure=True))
        print(f"{name:10s} {ms:10.1f} {len(queries):8d} {sum(queries) * 1000:7.1f}")
        if name == args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(20):
                client.get(url, secure=True)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)

    def list_request():
        request = RequestFactory().get("/orgs/", secure=True)
        request.user, request.session, request.resolver_match = user, SessionStore(), resolve("/orgs/")
        request._messages = FallbackStorage(request)
        return request

    def query():
        request = list_request()
        rows = views._filtered(request).select_related(None).select_related("region", "industry").only(*views.LIST_FIELDS)
        listing = list_page(request, rows, sortable=views.ORG_SORTS, default_sort="region")
        listing.total  # noqa: B018  the bounded count runs here
        list(listing.page.object_list)
        return request, listing

    request, listing = query()
    context = {"listing": listing, "industries": [], "zones": [], "can_manage": True, "can_import": True}
    print("\norganization list, taken apart (ms)")
    print(f"  count and page query      {best_ms(query):6.1f}")
    print(f"  render, data ready        {best_ms(lambda: render_to_string('orgs/organization_list.html', context, request=request)):6.1f}")
    print(f"  the whole view            {best_ms(lambda: views.organization_list(list_request())):6.1f}")


if __name__ == "__main__":
    main()
