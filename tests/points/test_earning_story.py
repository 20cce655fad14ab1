"""Issue 12's story across the apps, with the real points handler: every source earns through "workers.merited"
by the default rules, once; a duplicate earns nothing; a correction takes it back."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from sanxin.points.models import PointsAccount, PointsEntry
from tests.hazards.conftest import LON_50M, report

pytestmark = pytest.mark.django_db


def balance(worker) -> int:
    account = PointsAccount.objects.filter(worker=worker).first()
    return account.balance if account else 0


def test_a_valid_report_earns_once_and_the_same_light_again_earns_nothing(personas):
    from sanxin.hazards import services

    worker, community = personas["worker"].worker, personas["community"]
    first = report(personas["worker"], category="street_light")
    services.hazard_verify_valid(actor=community, report=first)
    assert balance(worker) == 10  # the country-wide default rule for a valid report
    again = report(personas["worker"], category="street_light", longitude=LON_50M, now=timezone.now())
    services.hazard_mark_duplicate(actor=community, report=again, original=first)
    assert balance(worker) == 10 and PointsEntry.objects.filter(account__worker=worker).count() == 1
    services.hazard_correct(actor=community, report=first, to="invalid", reason="现场核实路灯正常")
    assert balance(worker) == 0


def test_confirmed_volunteer_hours_earn_by_the_hour(personas):
    from sanxin.volunteers.services import record_confirm, volunteer_member_add, volunteer_record_submit, volunteer_team_create

    county, worker = personas["county"], personas["worker"].worker
    team = volunteer_team_create(actor=county, name="滕王阁红运先锋骑手队", kind="hongyun", region="360102002")
    volunteer_member_add(actor=county, team=team, worker=worker)
    record = volunteer_record_submit(actor=county, team=team, day=date.today(), hours=Decimal("2.5"), work="文明交通劝导", members=[worker])
    assert balance(worker) == 0  # submitted is not yet confirmed
    record_confirm(actor=county, record=record)
    assert balance(worker) == 12  # 2.5 h × 5, rounded down


def test_an_award_adds_the_campaigns_points_and_an_honour(personas):
    from sanxin.selections import services
    from sanxin.selections.models import Honour
    from tests.selections.conftest import make_campaign
    from tests.selections.test_workflow import DEEDS, after_publicity

    city, worker = personas["city"], personas["worker"].worker
    campaign = make_campaign(city)
    nomination = services.nomination_create(actor=personas["community"], campaign=campaign, worker=worker, deeds=DEEDS)
    campaign = services.campaign_review(actor=city, campaign=campaign)
    services.nomination_approve(actor=city, nomination=nomination)
    campaign = services.campaign_publish(actor=city, campaign=campaign)
    services.campaign_award(actor=city, campaign=campaign, now=after_publicity(campaign))
    honour = Honour.objects.get(worker=worker)
    assert balance(worker) == honour.points == campaign.award_points


def test_a_care_checkin_earns_once(personas):
    from sanxin.care.services import care_checkin
    from tests.care.conftest import make_activity, signed_up_before, times

    county, worker = personas["county"], personas["worker"].worker
    activity = make_activity(
        county,
        title="骑手集体庆生会",
        **times(starts_in=-timedelta(minutes=10))
        | {"signup_opens_at": timezone.now() - timedelta(days=2), "signup_closes_at": timezone.now() - timedelta(minutes=20)},
    )
    signed_up_before(worker, activity)
    care_checkin(actor=worker.user, worker=worker, code=activity.checkin_code)
    assert balance(worker) == 3


def test_the_staff_worker_record_shows_the_balance_and_links_the_ledger(personas, client_for):
    from tests.points.conftest import earn

    worker = personas["worker"].worker
    earn(worker, points=40, source="test:record")
    page = client_for("county").get(f"/workers/{worker.pk}/").content.decode()
    assert 'data-section="points"' in page and f'href="/points/workers/{worker.pk}/"' in page
    assert "测试获奖" in page and "+40" in page
