"""`__under`: the region-prefix filter as an index range, equal to `startswith` on digit codes."""

import pytest
from django.db import connection

from sanxin.core.code_path import upper_bound
from sanxin.orgs.models import Organization
from sanxin.regions.models import Region

# Codes beside the real ones at the edges of a range: nines, a leading zero, a prefix's neighbours.
EXTRA_CODES = ("3", "39", "399999999999", "9", "99", "999999999999", "0", "369", "360199", "360199001001", "3610", "37")
PREFIXES = ["", "3", "36", "3601", "360102", "360102002", "360102002001", "32", "3609", "369", "39", "9", "99", "360199", "0"]


def test_the_upper_bound_carries_past_nines_and_stays_a_digit_string():
    assert upper_bound("3601") == "3602"
    assert upper_bound("3609") == "361"
    assert upper_bound("360199") == "3602"
    assert upper_bound("39") == "4"
    assert upper_bound("99") is None
    assert upper_bound("") is None


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES)
def test_under_selects_what_startswith_selects(prefix):
    # The test database holds the real divisions of Jiangxi (36) and Jiangsu (32), 12-digit communities included.
    Region.objects.bulk_create(
        [Region(code=code, name=code, level=1, full_name=code) for code in EXTRA_CODES],
        ignore_conflicts=True,
    )
    under = set(Region.objects.filter(code__under=prefix).values_list("code", flat=True))
    starts = set(Region.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    assert under == starts
    assert under, "every prefix here selects something"


@pytest.mark.django_db
def test_a_twelve_digit_code_selects_itself_only():
    assert list(Region.objects.filter(code__under="360102002001").values_list("code", flat=True)) == ["360102002001"]


def test_the_filter_is_a_range_on_the_key_column_without_a_join():
    sql = str(Organization.objects.filter(region__code__under="3601").query)
    where = sql.split(" WHERE ", 1)[1]
    assert '"orgs_organization"."region_id" >= 3601' in where
    assert '"orgs_organization"."region_id" < 3602' in where
    assert "LIKE" not in sql and "JOIN" not in sql


def test_the_empty_prefix_is_every_code():
    where = str(Organization.objects.filter(region__code__under="").query).split(" WHERE ", 1)[1]
    assert where.startswith('"orgs_organization"."region_id" >= ')
    assert "<" not in where


def test_nines_only_have_no_upper_bound():
    where = str(Region.objects.filter(code__under="99").query).split(" WHERE ", 1)[1]
    assert ">= 99" in where and "<" not in where


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL plan; SQLite runs the same SQL above")
@pytest.mark.django_db
def test_on_postgresql_the_range_compiles_to_comparisons_an_index_serves():
    qs = Organization.objects.filter(region__code__under="360102")
    sql = str(qs.query)
    assert '"orgs_organization"."region_id" >= 360102 AND "orgs_organization"."region_id" < 360103' in sql
    with connection.cursor() as cursor:
        compiled, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + compiled, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "~~" not in plan  # no LIKE operator left in the plan
