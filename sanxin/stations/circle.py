"""The 15-minute service circle (15分钟服务圈): which demand points lie within reach of an open station, the
uncovered ones, and where new stations would reach the most (greedy maximal coverage, existing stations fixed).

Reach by mode = speed × minutes ÷ detour factor (straight line against the road network); all are settings.
Distances are computed on a local equirectangular projection in metres with a KD-tree (sanxin.stations.geometry).

Demand points come from registered sources, each a function `(user) -> iterable of Demand` that reads only
what the user's scope shows: workers' own positions (check-ins that carried one, the work areas workers
pinned), the places staff pin, and whatever later apps register (appeals, hazard reports) with
`register_demand_source`. Nothing here invents a coordinate: a row without one is not a demand point.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from sanxin.core.scope import scoped
from sanxin.stations.geometry import candidate_sites, greedy_sites, nearest_distances, project, unproject
from sanxin.stations.models import CheckIn, DemandPoint, Station
from sanxin.workers.models import Worker

DEFAULT_K = 3
MAX_K = 10


class Mode:
    WALK = "walk"
    EBIKE = "ebike"


MODES = ((Mode.WALK, "步行"), (Mode.EBIKE, "电动车"))
MODE_LABELS = dict(MODES)


def speed_kmh(mode: str) -> float:
    return settings.SANXIN_CIRCLE_EBIKE_KMH if mode == Mode.EBIKE else settings.SANXIN_CIRCLE_WALK_KMH


def reach_metres(mode: str) -> float:
    """Straight-line reach: speed × minutes ÷ detour (walking: 5 km/h × 15 min ÷ 1.3 ≈ 962 m)."""
    return speed_kmh(mode) * 1000 * settings.SANXIN_CIRCLE_MINUTES / 60 / settings.SANXIN_CIRCLE_DETOUR


# Demand sources.


@dataclass(frozen=True)
class Demand:
    longitude: float
    latitude: float
    weight: int
    source: str  # a registered source's key
    label: str  # shown in the uncovered list: a place's name, or what kind of position it is (never a person's name)


@dataclass(frozen=True)
class DemandSourceInfo:
    key: str
    label: str
    read: Callable[[object], Iterable[Demand]]


_sources: dict[str, DemandSourceInfo] = {}


def register_demand_source(key: str, label: str, read: Callable[[object], Iterable[Demand]]) -> None:
    """Add a source of demand points (an app's AppConfig.ready does it): `read(user)` yields what the user's scope
    shows, with real coordinates only."""
    _sources[key] = DemandSourceInfo(key, label, read)


def demand_sources() -> list[DemandSourceInfo]:
    return list(_sources.values())


def _checkin_positions(user) -> Iterable[Demand]:
    rows = scoped(CheckIn.objects.filter(longitude__isnull=False, latitude__isnull=False), user)
    for lon, lat in rows.order_by().values_list("longitude", "latitude").iterator(chunk_size=5000):
        yield Demand(float(lon), float(lat), 1, "checkin", "从业人员签到位置")


def _worker_pins(user) -> Iterable[Demand]:
    rows = scoped(Worker.objects.filter(work_longitude__isnull=False, work_latitude__isnull=False), user)
    for lon, lat in rows.order_by().values_list("work_longitude", "work_latitude").iterator(chunk_size=5000):
        yield Demand(float(lon), float(lat), 1, "worker_pin", "从业人员标注的工作区域")


def _staff_pins(user) -> Iterable[Demand]:
    rows = scoped(DemandPoint.objects.all(), user)
    for name, lon, lat, weight in rows.order_by().values_list("name", "longitude", "latitude", "weight").iterator(chunk_size=5000):
        yield Demand(float(lon), float(lat), weight, "staff", name)


register_demand_source("checkin", "签到位置", _checkin_positions)
register_demand_source("worker_pin", "从业人员工作区域", _worker_pins)
register_demand_source("staff", "工作人员标注的需求点", _staff_pins)


# The circle of a user's scope.


@dataclass
class Uncovered:
    longitude: float
    latitude: float
    weight: int
    source: str
    label: str
    nearest_m: float | None  # None when there is no open station at all


@dataclass
class Suggestion:
    longitude: float
    latitude: float
    added_points: int
    added_weight: int


@dataclass
class Circle:
    mode: str
    radius_m: float
    stations: list[Station]
    demand: list[Demand]
    distances: np.ndarray

    @property
    def mode_label(self) -> str:
        return MODE_LABELS.get(self.mode, self.mode)

    @property
    def covered_mask(self) -> np.ndarray:
        return self.distances <= self.radius_m

    @property
    def total_weight(self) -> int:
        return int(sum(d.weight for d in self.demand))

    @property
    def covered_weight(self) -> int:
        mask = self.covered_mask
        return int(sum(d.weight for d, hit in zip(self.demand, mask, strict=True) if hit))

    @property
    def covered_share(self) -> float | None:
        return self.covered_weight / self.total_weight if self.total_weight else None

    def uncovered(self) -> list[Uncovered]:
        rows = [
            Uncovered(d.longitude, d.latitude, d.weight, d.source, d.label, None if math.isinf(dist) else float(dist))
            for d, dist, hit in zip(self.demand, self.distances, self.covered_mask, strict=True)
            if not hit
        ]
        return sorted(rows, key=lambda u: (-(u.nearest_m if u.nearest_m is not None else math.inf), -u.weight))

    def suggestions(self, k: int = DEFAULT_K) -> list[Suggestion]:
        missing = [d for d, hit in zip(self.demand, self.covered_mask, strict=True) if not hit]
        if not missing:
            return []
        lon0, lat0 = _origin(missing)
        xy = project([d.longitude for d in missing], [d.latitude for d in missing], lon0, lat0)
        weights = np.asarray([d.weight for d in missing], dtype=float)
        candidates, picks = greedy_sites(xy, weights, self.radius_m, k=k, candidates=candidate_sites(xy, weights, self.radius_m))
        lon, lat = unproject(candidates, lon0, lat0)
        return [Suggestion(round(float(lon[i]), 6), round(float(lat[i]), 6), len(added), int(gain)) for i, gain, added in picks]


def _origin(demand: list[Demand]) -> tuple[float, float]:
    return float(np.mean([d.longitude for d in demand])), float(np.mean([d.latitude for d in demand]))


def circle_for(user, *, mode: str = Mode.WALK) -> Circle:
    """The circle of the user's scope: its open stations against every demand point its sources show."""
    mode = mode if mode in MODE_LABELS else Mode.WALK
    stations = scoped(Station.objects.filter(is_open=True).select_related("region"), user)
    stations = list(stations)
    demand = [d for source in _sources.values() for d in source.read(user)]
    radius = reach_metres(mode)
    if not demand:
        return Circle(mode, radius, stations, demand, np.zeros(0))
    lon0, lat0 = _origin(demand)
    demand_xy = project([d.longitude for d in demand], [d.latitude for d in demand], lon0, lat0)
    station_xy = project([float(s.longitude) for s in stations], [float(s.latitude) for s in stations], lon0, lat0)
    return Circle(mode, radius, stations, demand, nearest_distances(demand_xy, station_xy.reshape(-1, 2)))
