"""No write on a read (issue 13): the session's idle expiry and a token's last use are refreshed at most once a
minute, while security.md item 4 (30 idle minutes, 12 hours in all, logout kills the session) and the token's
expiry and revocation still hold on every request."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanxin.accounts.api_auth import note_token_use
from sanxin.accounts.models import ApiToken, User
from sanxin.accounts.tokens import api_token_create, api_token_revoke

PAGE = "/orgs/"


class Clock:
    """timezone.now() as the tests set it: what the session backend, the middleware and the token check read."""

    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def writes(ctx, table: str = "") -> list[str]:
    """The INSERT, UPDATE and DELETE statements captured, on one table if named."""
    found = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    return [sql for sql in found if table in sql]


def session_row(client) -> Session | None:
    return Session.objects.filter(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).first()


def logged_in(response) -> bool:
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), response
    return False


# -- sessions ------------------------------------------------------------------------------


def test_session_not_saved_on_every_request():
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SANXIN_SESSION_REFRESH_INTERVAL == timedelta(seconds=60)


def test_page_within_a_minute_writes_no_session(client_for, clock):
    client = client_for("county")
    assert client.get(PAGE).status_code == 200
    clock.advance(seconds=59)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(PAGE).status_code == 200
    assert writes(ctx, "django_session") == []
    assert writes(ctx) == []  # nothing else on a list page either


def test_session_expiry_refreshed_after_a_minute(client_for, clock):
    client = client_for("county")
    login_expiry = session_row(client).expire_date
    clock.advance(seconds=60)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(PAGE).status_code == 200
    assert len(writes(ctx, "django_session")) == 1
    assert session_row(client).expire_date == clock.now + timedelta(minutes=30) > login_expiry
    # The refresh is what keeps the cookie alive in the browser too.
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60


def test_idle_31_minutes_logs_out(client_for, clock):
    client = client_for("county")
    assert logged_in(client.get(PAGE))
    clock.advance(minutes=31)
    assert not logged_in(client.get(PAGE))
    clock.advance(seconds=1)
    assert not logged_in(client.get(PAGE))  # no coming back


def test_idle_limit_counts_from_the_last_refresh(client_for, clock):
    """The last request may fall just inside the minute after a refresh and so not push the expiry: the
    session then dies up to a minute early (29 idle minutes), never late."""
    client = client_for("county")
    clock.advance(seconds=61)
    assert logged_in(client.get(PAGE))  # refreshes: expiry now + 30 min
    clock.advance(seconds=59)
    assert logged_in(client.get(PAGE))  # the last request, no refresh
    clock.advance(minutes=29, seconds=1)  # 30 minutes after the refresh, 29:01 after the last request
    assert not logged_in(client.get(PAGE))


def test_idle_29_minutes_keeps_the_session(client_for, clock):
    client = client_for("county")
    clock.advance(seconds=61)
    assert logged_in(client.get(PAGE))
    clock.advance(minutes=29)
    assert logged_in(client.get(PAGE))


def test_active_every_10_minutes_stays_until_12_hours(client_for, clock):
    client = client_for("county")
    for _ in range(12 * 6):  # 12 hours
        clock.advance(minutes=10)
        assert logged_in(client.get("/accounts/tokens/")), clock.now
    clock.advance(minutes=1)
    assert not logged_in(client.get("/accounts/tokens/"))
    assert session_row(client) is None  # ended on the server, not just in the browser


def test_absolute_limit_counts_from_login_not_from_refresh(client_for, clock):
    """A refresh (or any save) of the session never moves the 12-hour start."""
    client = client_for("county")
    login_at = client.session["sanxin_login_at"]
    clock.advance(minutes=5)
    assert logged_in(client.get(PAGE))
    assert client.session["sanxin_login_at"] == login_at
    assert client.session["sanxin_refreshed_at"] == clock.now.isoformat()


def test_logout_between_refreshes_kills_the_session(client_for, clock):
    client = client_for("county")
    assert logged_in(client.get(PAGE))
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    clock.advance(seconds=10)
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = key  # the old cookie replayed
    assert not logged_in(client.get(PAGE))


# -- API tokens ----------------------------------------------------------------------------


@pytest.fixture
def bearer(personas):
    """A token of the county officer and a client calling with it."""
    user = personas["county"]
    token, raw = api_token_create(actor=user, user=user, name="同步脚本")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    return token, client


def test_token_use_written_at_most_once_a_minute(bearer, clock):
    token, client = bearer
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/me").status_code == 200
    assert len(writes(ctx, "accounts_apitoken")) == 1
    token.refresh_from_db()
    assert token.last_used_at == clock.now
    first_use = clock.now
    clock.advance(seconds=59)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/me").status_code == 200
    assert writes(ctx) == []  # no write at all on an API read within the minute
    token.refresh_from_db()
    assert token.last_used_at == first_use
    clock.advance(seconds=1)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/me").status_code == 200
    assert len(writes(ctx, "accounts_apitoken")) == 1
    token.refresh_from_db()
    assert token.last_used_at == clock.now


def test_token_use_written_once_by_racing_requests(bearer, clock):
    """Two requests that both read the token before either wrote: the conditional UPDATE lets one through."""
    token, _ = bearer
    note_token_use(token, clock.now)  # token.last_used_at, as both requests read it, is still empty
    clock.advance(seconds=1)
    note_token_use(token, clock.now)
    token.refresh_from_db()
    assert token.last_used_at == clock.now - timedelta(seconds=1)


def test_expired_token_refused_right_after_a_use(bearer, clock):
    token, client = bearer
    assert client.get("/api/v1/me").status_code == 200
    clock.advance(seconds=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=clock.now)
    assert client.get("/api/v1/me").status_code == 401


def test_token_expires_by_the_clock_right_after_a_use(bearer, clock):
    token, client = bearer
    clock.now = token.expires_at - timedelta(seconds=1)
    assert client.get("/api/v1/me").status_code == 200
    clock.advance(seconds=1)
    assert client.get("/api/v1/me").status_code == 401


def test_revoked_token_refused_right_after_a_use(bearer, clock):
    token, client = bearer
    assert client.get("/api/v1/me").status_code == 200
    clock.advance(seconds=1)
    api_token_revoke(actor=token.user, token=token)
    assert client.get("/api/v1/me").status_code == 401


def test_disabled_account_token_refused_right_after_a_use(bearer, clock):
    token, client = bearer
    assert client.get("/api/v1/me").status_code == 200
    User.objects.filter(pk=token.user_id).update(is_active=False)
    assert client.get("/api/v1/me").status_code == 401
