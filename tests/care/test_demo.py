"""The demo's care activities and volunteer teams, through the services, for the demo worker 赵快跑."""

from pathlib import Path

from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.care import selectors as care
from sanxin.care.models import CareActivity, CareSignup
from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.care import seed_demo_care
from sanxin.demo.stations import seed_demo_stations
from sanxin.demo.volunteers import seed_demo_volunteers
from sanxin.volunteers import selectors as teams
from sanxin.volunteers.models import ServiceRecord, VolunteerTeam
from sanxin.workers.models import Occupation, Worker
from tests.care.conftest import make_worker


def test_demo_care_and_teams(db, tmp_path: Path):
    assert seed_demo_care() == 0 and seed_demo_volunteers() == 0  # nothing without the county's account
    seed_demo_accounts(tmp_path / "accounts.txt")
    now = timezone.now()
    me = Worker.objects.create(
        name="赵快跑", phone="13907910001", occupation=Occupation.DELIVERY_RIDER, region_id="360102002",
        user=User.objects.get(username="worker"), consent_version="1", consented_at=now,
    )  # fmt: skip
    for n in range(4):
        make_worker(f"演示骑手{n}", f"1390000020{n}", region="360102002001")
    seed_demo_stations()
    assert seed_demo_care() == 4 and seed_demo_care() == 0
    party = CareActivity.objects.get(type="birthday")
    assert party.status == "closed" and party.station is not None
    assert party.signups.count() == 5 and party.signups.filter(checked_in_at__isnull=False).count() == 3
    assert care.served_of(party) == 9
    clinic = CareActivity.objects.get(type="clinic")
    assert clinic.status == "published" and clinic.starts_at > now
    assert CareSignup.objects.filter(activity=clinic, worker=me, status="signed_up").exists()
    assert care.worker_card(me)["signup"].activity == clinic
    county = User.objects.get(username="dh_county")
    rows, _ = care.served_by_region(user=county, level="9")
    assert [(r["region"], r["total"]) for r in rows] == [("360102", 0), ("360102002", 9)]  # the county-level lecture: none yet
    assert seed_demo_volunteers() == 2 and seed_demo_volunteers() == 0
    team = VolunteerTeam.objects.get(kind="hongyun")
    assert teams.is_member(team, me) and teams.worker_hours(me) == 3.5
    assert ServiceRecord.objects.filter(status="submitted").count() == 1
