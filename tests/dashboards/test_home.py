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


def waiting_card(user):
    # An existing card template with a count nothing else shows.
    return {"template": "hazards/staff_card.html", "to_verify": 4242} if user.username == "county" else None


def test_apps_declare_cards_on_the_staff_home(client_for, monkeypatch):
    """An app's staff_cards reach the home of those it has something for, and nobody else's."""
    from django.apps import apps

    monkeypatch.setattr(apps.get_app_config("appeals"), "staff_cards", ("tests.dashboards.test_home.waiting_card",))
    assert "4,242" in client_for("county").get("/").content.decode()
    assert "4,242" not in client_for("township").get("/").content.decode()


def test_the_new_employment_apps_put_their_work_on_the_staff_home(client_for, personas):
    """The county's home shows what waits in points, care, volunteers and selections (counted in its scope);
    a member, who has none of those capabilities, sees none of the cards."""
    from sanxin.points.services import points_redeem
    from tests.care.conftest import make_activity
    from tests.points.conftest import earn, make_reward
    from tests.selections.conftest import make_campaign

    worker = personas["worker"].worker
    earn(worker, points=100)
    points_redeem(actor=personas["worker"], reward=make_reward(name="免费健康体检"))
    make_activity(personas["county"], title="骑手集体庆生会")
    make_campaign(personas["city"])
    home = client_for("county").get("/").content.decode()
    assert 'id="redemption-work"' in home and "积分兑换待领取" in home
    assert 'id="care-work"' in home and "骑手集体庆生会" in home
    assert 'id="volunteer-work"' in home
    assert 'id="selection-work"' in home and "可推荐本辖区从业人员" in home
    member_home = client_for("member").get("/").content.decode()
    for card in ("redemption-work", "care-work", "volunteer-work", "selection-work"):
        assert card not in member_home
