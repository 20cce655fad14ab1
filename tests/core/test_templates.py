"""The page templates' engine (sanxin/core/jinja.py): cached URL shapes equal reverse(), lookups are checked in
tests, a list counts at most COUNT_LIMIT rows, and the filter's industries come from the cache."""

import datetime

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix

from sanxin.core import jinja, listing
from sanxin.regions.models import Industry
from tests.orgs_factories import make_org


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("orgs:organization_list", ()),
        ("orgs:organization_detail", (1,)),
        ("orgs:organization_detail", (9876543210123,)),
        ("imports:upload", ("organizations",)),
        ("compare:review", (12, 345)),
    ],
)
def test_url_is_reverse(name, args):
    assert jinja.url(name, *args) == reverse(name, args=args or None)
    assert jinja.url(name, *args) == jinja.url(name, *args)  # from the cached shape the second time


def test_url_follows_the_script_prefix():
    try:
        set_script_prefix("/sanxin/")
        assert jinja.url("orgs:organization_detail", 7) == "/sanxin/orgs/7/" == reverse("orgs:organization_detail", args=[7])
    finally:
        set_script_prefix("/")
    assert jinja.url("orgs:organization_detail", 7) == "/orgs/7/"


def test_a_name_missing_on_an_object_fails_the_test_but_not_on_a_dict_or_none():
    with pytest.raises(AttributeError, match="date 没有 colour"):
        render("{{ d.colour }}", d=datetime.date(2026, 1, 1))
    assert render("[{{ row.colour }}][{{ nothing.colour }}][{{ missing.a.b }}]", row={}, nothing=None) == "[][][]"


def test_a_method_printed_without_its_call_fails_the_test():
    with pytest.raises(TypeError, match=r"应写作 isoformat\(\)"):
        render("{{ d.isoformat }}", d=datetime.date(2026, 1, 1))
    assert render("{{ d.isoformat() }}", d=datetime.date(2026, 1, 1)) == "2026-01-01"


def test_is_none_counts_a_missing_name_as_none():
    assert render("{% if figures.units is none %}none{% endif %}", figures={}) == "none"
    assert render("{% if figures.units is not none %}{{ figures.units }}{% endif %}", figures={"units": 0}) == "0"


def test_filters_as_the_django_engine_gives_them():
    assert render("{{ 1234567|intcomma }} {{ 0.1234|pct }} {{ none|pct }}", none=None) == "1,234,567 12.3% —"
    assert render("{{ '?region='|add(code)|add('&zone=') }}", code="3601") == "?region=3601&amp;zone="
    assert render("{{ d|date('Y年n月j日') }}", d=datetime.date(2026, 3, 1)) == "2026年3月1日"
    assert render("{{ text }}", text="<b>") == "&lt;b&gt;"


def test_a_list_counts_up_to_the_limit_and_says_more(personas, client_for, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_LIMIT", 3)
    for _ in range(5):
        make_org(personas["county"])
    page = client_for("county").get("/orgs/").content.decode()
    assert "超过 <strong>3</strong> 条（请用筛选条件缩小范围）" in page and "末页" not in page
    monkeypatch.setattr(listing, "COUNT_LIMIT", 10)
    page = client_for("county").get("/orgs/").content.decode()
    assert "共 <strong>5</strong> 条" in page


def test_the_industries_of_the_filter_come_from_the_cache(personas, client_for):
    client = client_for("county")
    client.get("/orgs/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/orgs/").content.decode()
    # (the user's own scope reads the industries its unit is limited to; the drop-down's list is not read)
    assert not [q["sql"] for q in queries if 'FROM "regions_industry"' in q["sql"] and "unit_industries" not in q["sql"]]
    assert "快递" in page
    Industry.objects.create(code="9999", name="测试新行业", sort=999)  # saved: the cached list is dropped
    assert "测试新行业" in client.get("/orgs/").content.decode()
