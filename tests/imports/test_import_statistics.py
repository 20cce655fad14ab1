"""A large import refreshes PostgreSQL's statistics of the tables it filled, so the next list page is planned for
the table as it now is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanxin.imports import services
from sanxin.imports.registry import get_spec
from sanxin.orgs.models import Organization
from sanxin.party.models import PartyOrganization
from tests.imports.test_imports import row, run, xlsx

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="ANALYZE is a PostgreSQL statement")


def analyzed(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("ANALYZE")]


def test_each_registry_names_the_tables_it_fills_from_its_models():
    assert get_spec("organizations").tables == (Organization._meta.db_table,)
    assert PartyOrganization._meta.db_table in get_spec("party_organizations").tables


@on_postgresql
def test_an_import_past_the_threshold_analyzes_the_registry(personas, monkeypatch):
    monkeypatch.setattr(services, "ANALYZE_MIN_ROWS", 3)
    with CaptureQueriesContext(connection) as queries:
        job = run(personas["county"], xlsx([row(name=f"统计{i}有限公司") for i in range(3)]))
    assert (job.status, job.created_count) == ("done", 3), job.message
    assert analyzed(queries) == [f'ANALYZE "{Organization._meta.db_table}"']


@on_postgresql
def test_a_smaller_import_leaves_the_statistics_to_autovacuum(personas, monkeypatch):
    monkeypatch.setattr(services, "ANALYZE_MIN_ROWS", 3)
    with CaptureQueriesContext(connection) as queries:
        job = run(personas["county"], xlsx([row(name=f"少量{i}有限公司") for i in range(2)]))
    assert (job.status, job.created_count) == ("done", 2), job.message
    assert analyzed(queries) == []
