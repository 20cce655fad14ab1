"""The OpenAPI fuzz run (security.md item 19): schemathesis over the whole document, in process, no server error.

Every operation of /api/v1/openapi.json is called through the WSGI application (config.wsgi) with a bearer
token of a province-level staff user who has organizations and Party organizations around, on the database
the suite runs on (SQLite, or PostgreSQL with DATABASE_URL). Each response must be no 5xx and must match the
document: its status code is one the operation lists, its body fits that status's schema (all of schemathesis's
checks run: not_a_server_error, status_code/content_type/response_schema conformance, negative data rejected,
valid data accepted, authentication enforced — it retries each call without the token and with a wrong one).

POST /api/v1/tokens takes a logged-in session only, so here it is always refused: 401 with the token, 403 (CSRF)
with the session cookies schemathesis makes up; what it does with a real session is in tests/test_api_errors.py.

Bounded and reproducible: a fixed number of examples per operation, derandomized, no deadline, no example
database; about two minutes of calls per database on two cores.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from config.wsgi import application
from sanxin.accounts.models import ApiToken
from sanxin.accounts.tokens import api_token_create, token_digest
from sanxin.party.services import party_org_create
from sanxin.regions.models import Region
from tests.conftest import make_demo_zone, make_persona
from tests.orgs_factories import make_org

EXAMPLES = 60

# Schema-valid data that a service refuses (a credit code's check digit, a code outside the caller's scope, a
# campaign in the wrong state, a wrong password for the download) is a documented 422 or 403, not a failure: a
# schema cannot express those rules. Nor can it say that the whole site refuses control characters (NUL, ESC) in
# any field name or value with a 400 (security.md item 17), and extra fields are allowed. Every other check stays
# as it is, for every operation.
CONFIG = SchemathesisConfig.from_str(
    """
[[operations]]
include-method-regex = "^(POST|PUT|PATCH)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "422"]
"""
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)
# The staff user's bearer token, fixed: schemathesis builds some cases while collecting, before any fixture.
TOKEN = "sx_fuzz-test-token-of-the-province-staff-user"


@schema.auth(refresh_interval=None)
class StaffBearer:
    """Every case carries the staff user's token (schemathesis then also probes without it and with a wrong one)."""

    def get(self, case, context):
        return TOKEN

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def connection_kept():
    """The WSGI handler closes the database connection around each request, which would end the test's
    transaction; Django's test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, connection_kept):
    """A province-level staff user's bearer token, with organizations and a Party organization in scope (only that
    persona: the fuzzing of each operation needs no other)."""
    user = make_persona("province", make_demo_zone())
    orgs = [make_org(user) for _ in range(3)]
    party_org_create(
        actor=user,
        name="测试联合党支部",
        level="branch",
        establishment_form="joint",
        region=Region.objects.get(code="360102002"),
        covered=orgs,
    )
    token, _ = api_token_create(actor=user, user=user, name="模糊测试")
    ApiToken.objects.filter(pk=token.pk).update(digest=token_digest(TOKEN))
    return TOKEN


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None)
def test_api_fuzz(case, token):
    case.call_and_validate()
