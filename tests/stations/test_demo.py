"""The demo's stations: twelve in 东湖区 on real streets, coordinates around the county's real centre and labelled
as demo, checklists partly complete, staff-pinned demand; with and without demo workers."""

from pathlib import Path

from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.stations import DEMAND, DEMO_NOTE, STATIONS, seed_demo_stations
from sanxin.regions.models import Region
from sanxin.stations import circle
from sanxin.stations.models import CheckIn, DemandPoint, Station
from sanxin.workers.models import Occupation, Worker


def test_demo_stations(db, tmp_path: Path):
    assert seed_demo_stations() == 0  # nothing without the county's account
    seed_demo_accounts(tmp_path / "accounts.txt")
    worker_user = User.objects.get(username="worker")
    now = timezone.now()
    Worker.objects.create(
        name="赵快跑", phone="13900139001", occupation=Occupation.DELIVERY_RIDER, region_id="360102002", user=worker_user,
        consent_version="1", consented_at=now,
    )  # fmt: skip
    assert seed_demo_stations() == len(STATIONS)
    assert seed_demo_stations() == 0  # a second run adds nothing
    county = Region.objects.get(code="360102")
    stations = list(Station.objects.all())
    assert all(s.note == DEMO_NOTE and s.region_id.startswith("360102") and "东湖区" in s.address for s in stations)
    assert all(abs(float(s.longitude) - float(county.longitude)) < 0.05 for s in stations)
    assert 0 < sum(s.checklist_complete for s in stations) < len(stations)
    assert DemandPoint.objects.count() == len(DEMAND)
    assert CheckIn.objects.filter(worker__user=worker_user).count() >= 5
    result = circle.circle_for(User.objects.get(username="dh_county"))
    assert result.total_weight >= sum(w for _, w in DEMAND)
