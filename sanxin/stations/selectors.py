"""Reads of stations, check-ins and demand points, cut to the scope: one `access_*` per entity, lists from `scoped`."""

from __future__ import annotations

import math

from django.db.models import Count, Q
from django.http import Http404

from sanxin.core.scope import access, scoped
from sanxin.regions.models import Region
from sanxin.stations.geometry import EARTH_RADIUS_M, project
from sanxin.stations.models import DemandPoint, Station, StationPhoto


def station_list(*, user, q: str = "", type: str = "", region: str = "", open: str = "", checklist: str = ""):
    stations = scoped(Station.objects.select_related("region", "organization"), user)
    if q:
        stations = stations.filter(Q(name__icontains=q) | Q(address__icontains=q) | Q(operator_name__icontains=q))
    if type:
        stations = stations.filter(type=type)
    if region:
        stations = stations.filter(region__code__under=region)
    if open == "1":
        stations = stations.filter(is_open=True)
    elif open == "0":
        stations = stations.filter(is_open=False)
    if checklist == "1":
        stations = stations.filter(checklist_complete=True)
    elif checklist == "0":
        stations = stations.filter(checklist_complete=False)
    return stations


def with_visits(stations):
    """Stations with `visits`, their counted check-ins of all time."""
    return stations.annotate(visits=Count("checkins", distinct=True))


def access_station(pk, *, user, for_write: bool = False) -> Station:
    """One station inside the user's scope, else 404; written by territory staff of its region or above."""
    queryset = Station.objects.select_related("region", "organization")
    if for_write:
        return access(queryset, pk, user, capability="stations.manage", own_place_only=True)
    return access(queryset, pk, user, capability="stations.view")


def access_photo(pk, *, user, for_write: bool = False) -> StationPhoto:
    queryset = StationPhoto.objects.select_related("station")
    capability = "stations.manage" if for_write else "stations.view"
    return access(queryset, pk, user, capability=capability, own_place_only=for_write)


def station_by_code(code: str) -> Station:
    """The station of a printed check-in code (any station in service: a worker crosses county borders); else 404."""
    code = (code or "").strip()
    if not code or len(code) > 32:
        raise Http404
    station = Station.objects.select_related("region").filter(checkin_code=code).first()
    if station is None:
        raise Http404
    return station


def demand_point_list(*, user, q: str = "", region: str = ""):
    points = scoped(DemandPoint.objects.select_related("region"), user)
    if q:
        points = points.filter(name__icontains=q)
    if region:
        points = points.filter(region__code__under=region)
    return points


def access_demand_point(pk, *, user, for_write: bool = False) -> DemandPoint:
    capability = "stations.manage" if for_write else "stations.view"
    return access(DemandPoint.objects.select_related("region"), pk, user, capability=capability, own_place_only=for_write)


def region_centre(region: Region | None) -> tuple[float, float, str] | None:
    """A region's own coordinates, or those of the nearest region above it that has some (a county's centre from its
    real division data); None when none has: then no distances are shown, none invented."""
    while region is not None:
        if region.longitude is not None and region.latitude is not None:
            return float(region.longitude), float(region.latitude), region.name
        region = region.parent
    return None


def stations_near(worker, position: tuple[float, float] | None = None, *, limit: int) -> tuple[list, str]:
    """Open stations nearest first, as (station, metres or None) rows, and where the distances are measured from:
    the phone's position when the worker let it tell, else the work area they pinned, else the centre of their work
    region. With no coordinates at all, the stations of their county by name and an empty label."""
    label = "您当前的位置"
    if position is None and worker.work_longitude is not None and worker.work_latitude is not None:
        position, label = (float(worker.work_longitude), float(worker.work_latitude)), "您标注的工作区域"
    if position is None:
        centre = region_centre(worker.region)
        position, label = (centre[:2], f"您的工作区域（{centre[2]}）中心") if centre else (None, "")
    if position is None:
        near = open_stations_for_workers().filter(region_id__startswith=worker.region_id[:6]).order_by("name")
        return [(s, None) for s in near[:limit]], ""
    return _nearest(position, limit), label


# Half-widths in degrees of latitude of the boxes the nearest stations are looked for in, widening: a province
# holds tens of thousands of stations, a page needs the few around one point.
_BOXES = (0.05, 0.3, 2.0, None)


def _nearest(position: tuple[float, float], limit: int) -> list:
    """The `limit` open stations nearest `position`, exactly: the box widens until its inscribed circle holds them
    (a station outside the box is farther than that circle's radius)."""
    lon0, lat0 = position
    for half in _BOXES:
        stations = open_stations_for_workers()
        if half is not None:
            half_lon = half / max(math.cos(math.radians(lat0)), 0.01)
            stations = stations.filter(latitude__range=(lat0 - half, lat0 + half), longitude__range=(lon0 - half_lon, lon0 + half_lon))
        stations = list(stations)
        if not stations:
            continue
        xy = project([float(s.longitude) for s in stations], [float(s.latitude) for s in stations], lon0, lat0)
        distances = ((xy**2).sum(axis=1) ** 0.5).tolist()
        near = sorted(zip(stations, distances, strict=True), key=lambda pair: pair[1])[:limit]
        if half is None or (len(near) == limit and near[-1][1] <= math.radians(half) * EARTH_RADIUS_M):
            return near
    return []


def open_stations_for_workers():
    """The stations a worker may look for near them: every station in service (public places, not scoped data)."""
    return Station.objects.filter(is_open=True).select_related("region")
