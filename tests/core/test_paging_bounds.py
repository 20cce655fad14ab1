"""Integers in query strings and paths that a database cannot hold, or that only look like digits, give a page or
a 4xx, never a server error (item 11 of the hardening).

Paging (?page=, ?size=) goes through sanxin.core.listing.query_int; ids typed into a query (?zone=, ?unit=,
?pick=) through parse_id: "²" passes str.isdigit() but int() refuses it, 9223372036854775808 passes int() but
no database column holds it. Walked over every route of the project, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client, RequestFactory

from sanxin.accounts.tokens import api_token_create
from sanxin.core.listing import PAGE_SIZES, list_page, parse_id, query_int
from sanxin.orgs.models import Organization
from tests.orgs_factories import make_org
from tests.url_walk import converter_kinds, is_api, routes, url_for


@pytest.fixture
def around(personas, demo_zone):
    """A little data in the province persona's scope, so the pages have rows to page through."""
    for _ in range(3):
        make_org(personas["province"])
    make_org(personas["province"], zone=demo_zone)
    return personas


@pytest.fixture
def bearer(around):
    _, raw = api_token_create(actor=around["province"], user=around["province"], name="坏输入测试")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    return client


def _clients(name, client_for, bearer):
    session = client_for("province")
    if is_api(name):
        return [("session", session), ("bearer", bearer)]
    if name.startswith("accounts:"):  # the account pages are the account managers'
        return [("session", session), ("sysadmin", client_for("sysadmin"))]
    return [("session", session)]


# One value of each kind, walked over every route: past the largest 64-bit integer, negative, a digit int() refuses
# though str.isdigit() takes it, full-width digits. Their relatives (far larger numbers, "²") are read by the same
# two functions, tested on their own below.
HOSTILE_INTEGERS = ["9223372036854775808", "-1", "①", "９"]
INTEGER_PARAMS = ["page", "size", "limit", "offset", "zone", "unit", "parent", "industry", "region", "days"]


def test_hostile_integers_in_query_parameters_give_no_server_error(around, client_for, bearer):
    walked, shown = 0, set()
    for name, pattern in routes():
        url = url_for(name, pattern)
        for value in HOSTILE_INTEGERS:
            params = dict.fromkeys(INTEGER_PARAMS, value)
            for who, client in _clients(name, client_for, bearer):
                response = client.get(url, params)
                assert response.status_code < 500, f"{who} GET {url}?{urlencode(params)}: {response.status_code}"
                if response.status_code == 200:
                    shown.add(name)
                if name.endswith("lookup"):
                    response = client.get(url, {"pick": value, "q": "测试"})
                    assert response.status_code < 500, f"{who} GET {url}?pick={value}: {response.status_code}"
        walked += 1
    assert walked > 60
    # The persona really got the pages (not a login or second-factor redirect), the lists among them.
    assert {"orgs:organization_list", "accounts:user_list", "party:party_org_list", "orgs:organization_lookup", "api:me"} <= shown
    assert len(shown) > 30


def test_hostile_integers_in_int_path_parameters(around, client_for, bearer):
    for name, pattern in routes():
        if "IntConverter" not in converter_kinds(pattern):
            continue
        for number in (9223372036854775808, 99999999999999999999999999):
            url = url_for(name, pattern, number=number)
            for who, client in _clients(name, client_for, bearer):
                response = client.get(url)
                assert response.status_code in (404, 405), f"{who} GET {url}: {response.status_code}"


def _listing(query: dict):
    request = RequestFactory().get("/orgs/", query)
    return list_page(request, Organization.objects.all(), sortable={"name": "name"}, default_sort="name")


def test_list_page_tolerates_any_page_and_size(around):
    for n in range(60):
        make_org(around["province"])
    total = Organization.objects.count()
    last = (total + PAGE_SIZES[0] - 1) // PAGE_SIZES[0]
    assert _listing({"page": "9223372036854775808"}).page.number == last
    assert _listing({"page": "-9223372036854775809"}).page.number == 1
    assert _listing({"page": "-1"}).page.number == 1
    assert _listing({"page": "0"}).page.number == 1
    assert _listing({"page": "²"}).page.number == 1
    assert _listing({"page": "２"}).page.number == 2  # full-width digits read as the digits they are
    assert _listing({"size": "9223372036854775808"}).page_size == PAGE_SIZES[0]
    assert _listing({"size": "-50"}).page_size == PAGE_SIZES[0]
    assert _listing({"size": "５０"}).page_size == 50
    listing = _listing({"page": "99999999999999999999999999", "size": "100"})
    assert listing.page.number == (total + 99) // 100 and listing.page_size == 100


def test_query_int():
    def parse(value, **bounds):
        return query_int(RequestFactory().get("/", {"n": value} if value is not None else {}), "n", default=7, **bounds)

    assert parse(None) == 7 and parse("") == 7
    assert parse("12") == 12 and parse(" 12 ") == 12 and parse("１２") == 12
    # Not decimal numbers: the default (int() would raise on "²", "①"; it would read "1_0" as 10).
    assert parse("²") == 7 and parse("①") == 7 and parse("1_0") == 7 and parse("+1") == 7 and parse("1e3") == 7 and parse("--1") == 7
    # Numbers outside the bounds are brought inside them; without bounds, 0 … the largest 64-bit integer.
    assert parse("-3") == 0 and parse("-3", minimum=-5) == -3 and parse("-9", minimum=-5) == -5
    assert parse("9223372036854775808") == 2**63 - 1 and parse("9223372036854775808", maximum=100) == 100
    assert parse("9" * 5000, maximum=100) == 100  # longer than int() would read: still a huge number
    assert parse("-" + "9" * 5000, minimum=1) == 1
    assert parse("0", minimum=1) == 1


def test_parse_id():
    assert parse_id("12") == 12 and parse_id(" 12 ") == 12 and parse_id("１２") == 12 and parse_id(12) == 12
    for junk in ("", "0", "-1", "²", "①", "1_0", "+1", "1e3", "9223372036854775808", "9" * 5000):
        assert parse_id(junk) is None, junk
    assert parse_id("9223372036854775807") == 2**63 - 1
