"""The 15-minute circle: reach from the settings, coverage against brute force, the uncovered list, greedy
suggestions with existing stations fixed, the demand sources and their scope."""

import math

import numpy as np
import pytest
from django.test import override_settings

from sanxin.stations import circle, geometry
from sanxin.stations.models import CheckIn
from sanxin.stations.services import checkin_create, demand_point_create
from tests.stations.conftest import make_station

# One degree of latitude is about 111.2 km: 0.009° ≈ 1,000 m, 0.005° ≈ 556 m.


def test_reach_comes_from_the_settings():
    assert circle.reach_metres("walk") == pytest.approx(5000 * 15 / 60 / 1.3)
    assert circle.reach_metres("ebike") == pytest.approx(15000 * 15 / 60 / 1.3)
    with override_settings(SANXIN_CIRCLE_DETOUR=1.0, SANXIN_CIRCLE_WALK_KMH=4.0):
        assert circle.reach_metres("walk") == pytest.approx(1000)


def test_projection_matches_the_haversine_distance():
    lon0, lat0 = 115.89, 28.68
    xy = geometry.project([115.89, 115.95], [28.68, 28.72], lon0, lat0)
    planar = float(np.hypot(*(xy[1] - xy[0])))
    p1, p2, dl = math.radians(28.68), math.radians(28.72), math.radians(0.06)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    haversine = 2 * geometry.EARTH_RADIUS_M * math.asin(math.sqrt(a))
    assert planar == pytest.approx(haversine, rel=0.002)


def test_nearest_distances_equal_brute_force():
    rng = np.random.default_rng(1)
    demand, stations = rng.uniform(0, 20000, (3000, 2)), rng.uniform(0, 20000, (40, 2))
    brute = np.sqrt(((demand[:, None, :] - stations[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    assert np.allclose(geometry.nearest_distances(demand, stations), brute)
    assert np.isinf(geometry.nearest_distances(demand[:3], np.zeros((0, 2)))).all()


def test_greedy_picks_the_densest_cluster_first():
    cluster_a = np.array([[0, 0]] * 5 + [[100, 0]] * 5, dtype=float)  # 10 points
    cluster_b = np.array([[5000, 0]] * 4, dtype=float)  # 4 points
    lone = np.array([[10000, 10000]], dtype=float)
    points = np.vstack([cluster_a, cluster_b, lone])
    candidates, picks = geometry.greedy_sites(points, np.ones(len(points)), 500, k=3)
    assert [int(gain) for _, gain, _ in picks] == [10, 4, 1]
    assert candidates[picks[0][0]][0] in (0, 100)


def test_circle_coverage_uncovered_and_suggestions(personas, station):
    county = personas["county"]
    # One place 556 m north of the station (covered on foot), three 2.6–2.8 km away (by e-bike only),
    # one far east with weight 5.
    demand_point_create(actor=county, name="近处取餐点", region="360102002", longitude="115.892151", latitude="28.681493")
    for i in range(3):
        demand_point_create(actor=county, name=f"远处取餐点{i}", region="360102002", longitude="115.892151", latitude=f"28.70{i}")
    demand_point_create(actor=county, name="物流园", region="360102", longitude="116.0", latitude="28.676493", weight=5)
    result = circle.circle_for(county, mode="walk")
    assert result.total_weight == 9 and result.covered_weight == 1
    assert result.covered_share == pytest.approx(1 / 9)
    uncovered = result.uncovered()
    assert uncovered[0].label == "物流园"  # farthest first
    assert uncovered[0].nearest_m == pytest.approx(10540, rel=0.02)
    suggestions = result.suggestions(3)
    assert [s.added_weight for s in suggestions] == [5, 3]
    assert suggestions[1].added_points == 3
    ebike = circle.circle_for(county, mode="ebike")
    assert ebike.covered_weight == 4  # 2.9 km reaches the far places, not the logistics park


def test_worker_positions_are_demand_and_never_names(personas, station):
    worker = personas["worker"].worker
    worker.work_longitude, worker.work_latitude = 115.95, 28.70
    worker.save()
    checkin_create(actor=personas["worker"], worker=worker, station=station, longitude="115.8925", latitude="28.6768")
    result = circle.circle_for(personas["county"])
    assert sorted(d.source for d in result.demand) == ["checkin", "worker_pin"]
    assert all(worker.name not in d.label for d in result.demand)
    assert CheckIn.objects.count() == 1


def test_a_registered_source_adds_demand(personas, station):
    calls = []

    def appeals(user):
        calls.append(user)
        yield circle.Demand(115.9, 28.8, 2, "appeal", "诉求位置")

    circle.register_demand_source("test_appeal", "诉求位置", appeals)
    try:
        result = circle.circle_for(personas["county"])
        assert [d.source for d in result.demand] == ["appeal"] and calls == [personas["county"]]
    finally:
        circle._sources.pop("test_appeal")


def test_the_circle_keeps_to_the_scope(personas, station, other_station, client_for):
    demand_point_create(actor=personas["other_county"], name="西湖取餐点", region="360103", longitude="115.88", latitude="28.67")
    result = circle.circle_for(personas["county"])
    assert [s.name for s in result.stations] == ["滕王阁小哥驿站"] and result.demand == []
    page = client_for("county").get("/stations/circle/").content.decode()
    assert "西湖" not in page
    api = client_for("county").get("/api/v1/circle/uncovered").json()
    assert api["count"] == 0
    assert client_for("worker").get("/api/v1/circle/coverage").status_code == 404
    assert client_for("outsider").get("/api/v1/circle/coverage").json()["stations"] == 0


def test_circle_page_and_api(personas, station, client_for):
    demand_point_create(actor=personas["county"], name="远处取餐点", region="360102002", longitude="115.892151", latitude="28.75")
    client = client_for("county")
    page = client.get("/stations/circle/?mode=ebike").content.decode()
    assert "远处取餐点" in page and "建议 1" in page and "2,885 米" in page
    coverage = client.get("/api/v1/circle/coverage?mode=walk").json()
    assert coverage["demand_points"] == 1 and coverage["covered_share"] == 0
    suggestions = client.get("/api/v1/circle/suggestions?k=2").json()
    assert suggestions[0]["added_points"] == 1 and suggestions[0]["latitude"] == 28.75
    assert client.get("/api/v1/circle/suggestions?k=99").status_code == 422
    assert client.get("/api/v1/circle/coverage?mode=car").status_code == 422


def test_no_station_no_demand(personas, client_for):
    make_station
    assert "尚无需求点" in client_for("county").get("/stations/circle/").content.decode()
