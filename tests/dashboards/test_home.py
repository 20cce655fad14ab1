"""The home page's registry figures come from the coverage facts; they must equal counting the registry itself,
for every kind of scope (territory, industry, zone)."""

import pytest

from sanxin.core.scope import scoped
from sanxin.dashboards.selectors import home_figures
from sanxin.orgs.models import DEREGISTERED, Organization
from tests.orgs_factories import make_org


@pytest.mark.parametrize("persona", ["province", "county", "township", "industry", "zone"])
def test_home_figures_equal_the_registry_counted(personas, demo_zone, persona):
    province = personas["province"]
    make_org(province, formal_members=5)  # 应建未建 and a blank spot
    make_org(province, industry="64", region="360102004001")  # another industry and street
    make_org(province, zone=demo_zone, region="360102002001", industry="64")
    make_org(province, region="360103001001")  # the other county
    make_org(province, registration_status="cancelled")  # counts nowhere
    user = personas[persona]
    orgs = scoped(Organization.objects.exclude(registration_status__in=DEREGISTERED), user)
    figures = home_figures(user=user)
    assert figures["organizations"] == orgs.count() > 0
    assert figures["blank_spots"] == orgs.filter(coverage_state="blank").count()
    assert figures["should_establish"] == orgs.filter(should_establish=True).count()
