"""Control characters (NUL and its kin) anywhere a request carries text never reach a view (item 10 of the hardening).

ControlCharacterMiddleware refuses them in one place, for the whole site: in the path, the query string, a cookie,
form fields (not the bytes of uploaded files) and JSON bodies, with a 400 (Chinese JSON for the API, Django's 400
page otherwise). Walked over every route of the project, on SQLite and on PostgreSQL (DATABASE_URL), where NUL in
a query is a server error.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory

from sanxin.accounts.tokens import api_token_create
from sanxin.core.middleware import REFUSED_CONTROL, ControlCharacterMiddleware
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
    return [("session", session), ("bearer", bearer)] if is_api(name) else [("session", session)]


QUERY_NUL = {"q": "a\x00", "region": "\x00", "page": "1\x00", "zone": "\x00"}


def _assert_refused(response, where: str, api: bool):
    assert response.status_code == 400, f"{where}: {response.status_code}"
    if api:
        assert response.json() == {"detail": REFUSED_CONTROL}, where


def test_nul_in_the_query_string_is_refused_everywhere(around, client_for, bearer):
    walked = 0
    for name, pattern in routes():
        url = url_for(name, pattern)
        for who, client in _clients(name, client_for, bearer):
            response = client.get(url, QUERY_NUL)
            _assert_refused(response, f"{who} GET {url}?{urlencode(QUERY_NUL)}", is_api(name))
            # The key can carry it as well as the value.
            response = client.get(f"{url}?q%00=1")
            _assert_refused(response, f"{who} GET {url} key", is_api(name))
            walked += 1
    assert walked > 60


def test_nul_in_a_string_path_parameter_is_refused(around, client_for, bearer):
    walked = []
    for name, pattern in routes():
        if "StringConverter" not in converter_kinds(pattern):
            continue
        for text in ("%00", "36%00", "%01"):
            url = url_for(name, pattern, text="PLACEHOLDER").replace("PLACEHOLDER", text)
            for who, client in _clients(name, client_for, bearer):
                _assert_refused(client.get(url), f"{who} GET {url}", is_api(name))
        walked.append(name)
    assert {"regions:browse_region", "api:get_region"} <= set(walked)


def test_control_characters_in_form_fields_are_refused(around, client_for):
    client = client_for("province")
    before = Organization.objects.count()
    for name, pattern in routes():
        if is_api(name):
            continue
        url = url_for(name, pattern)
        for data in ({"name": "坏\x00名称"}, {"name\x00": "x"}, {"address": "中山路\x1b1号"}):
            _assert_refused(client.post(url, data), f"POST urlencoded {url} {data!r}", api=False)
            encoded = urlencode(data)
            _assert_refused(
                client.post(url, encoded, content_type="application/x-www-form-urlencoded"), f"POST form {url} {data!r}", api=False
            )
    assert Organization.objects.count() == before


def test_nul_in_an_api_json_body_is_refused(around, bearer):
    response = bearer.post("/api/v1/tokens", json.dumps({"name": "同步\u0000脚本", "days": 30}), content_type="application/json")
    _assert_refused(response, "POST /api/v1/tokens", api=True)
    response = bearer.post("/api/v1/tokens", {"name": "同步\x00"})
    _assert_refused(response, "POST /api/v1/tokens form", api=True)


def _through(request) -> int:
    """The status the middleware gives: 200 when it lets the request through to the view."""
    middleware = ControlCharacterMiddleware(lambda request: HttpResponse("view"))
    try:
        return middleware(request).status_code
    except Exception as exc:  # the page refusal is Django's own BadRequest, turned into a 400 by the handler
        return 400 if type(exc).__name__ == "BadRequest" else 500


def test_what_the_middleware_lets_through():
    factory = RequestFactory()
    # Tab, CR and LF are ordinary in values (a pasted address), not in names; the file's bytes are its own business.
    assert _through(factory.get("/orgs/", {"q": "中山路\t1号\r\n2号"})) == 200
    assert _through(factory.post("/orgs/new/", {"address": "第一行\r\n第二行\t"})) == 200
    upload = factory.post("/imports/organizations/", {"mode": "all", "file": _file(b"PK\x03\x04\x00\x00\x01\x1b")})
    assert _through(upload) == 200
    assert _through(factory.post("/api/v1/tokens", {"name": "脚本\t1"}, content_type="application/json")) == 200
    assert _through(factory.post("/api/v1/tokens", "not json \x00", content_type="application/json")) == 200  # the view answers it
    assert _through(factory.get("/orgs/", {"q\t": "x"})) == 400
    assert _through(factory.get("/orgs/\x7f/")) == 200  # DEL is no C0 character
    assert _through(factory.post("/imports/organizations/", {"mode\x00": "all", "file": _file(b"x")})) == 400
    assert _through(factory.post("/imports/organizations/", {"mode": "a\x00", "file": _file(b"x")})) == 400
    assert _through(factory.post("/imports/organizations/", {"mode": "all", "file\x00": _file(b"x")})) == 400
    assert _through(factory.post("/api/v1/tokens", {"a": ["x", {"b\x00": 1}]}, content_type="application/json")) == 400
    api = factory.get("/api/v1/regions", {"q": "\x00"})
    response = ControlCharacterMiddleware(lambda request: HttpResponse("view"))(api)
    assert response.status_code == 400 and json.loads(response.content) == {"detail": REFUSED_CONTROL}
    assert response["Content-Type"].startswith("application/json")


def _file(content: bytes, name: str = "名录.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_page_refusal_is_the_bad_request_page(around, client_for):
    response = client_for("province").get("/orgs/", {"q": "\x00"})
    assert response.status_code == 400 and "X-Request-ID" in response
    assert not response["Content-Type"].startswith("application/json")


def test_deep_json_is_left_to_the_api(around, bearer):
    deep = "[" * 100000 + "]" * 100000
    assert _through(RequestFactory().post("/api/v1/tokens", deep, content_type="application/json")) == 200
    nested = json.dumps({"name": "x", "days": 30, "extra": [[[[[["a\u0001"]]]]]]})
    assert _through(RequestFactory().post("/api/v1/tokens", nested, content_type="application/json")) == 400
    assert bearer.post("/api/v1/tokens", deep, content_type="application/json").status_code == 401  # the token cannot make tokens


def test_nul_in_the_session_cookie_is_refused(around, client_for):
    """Django unquotes an octal escape in a quoted cookie value; the session lookup must not take NUL to the database."""
    cookie = f'{settings.SESSION_COOKIE_NAME}="aaaaaaaaaa\\000bbbbbbbbbbbbbbbbbbbb"'
    client = Client()
    _assert_refused(client.get("/orgs/", HTTP_COOKIE=cookie), "page with a NUL session cookie", api=False)
    _assert_refused(client.get("/api/v1/me", HTTP_COOKIE=cookie), "API with a NUL session cookie", api=True)
    assert client.get("/orgs/", HTTP_COOKIE=cookie.replace("\\000", "")).status_code == 302  # to the login
