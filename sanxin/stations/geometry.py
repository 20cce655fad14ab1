"""The geometry of the 15-minute circle on plain arrays, free of Django (the benchmark imports it alone).

Positions are projected onto a local equirectangular plane in metres (good to well under 1 % across a county or
a city); nearest stations and reach come from a KD-tree (scipy.spatial.cKDTree). Where scipy is not installed
the same functions run a chunked brute force in numpy: the same answers, fast enough for a county's page,
not for a province (requirements.txt lists scipy).
"""

from __future__ import annotations

import math

import numpy as np

try:
    from scipy.spatial import cKDTree
except ImportError:  # pragma: no cover - exercised where scipy is missing
    cKDTree = None

EARTH_RADIUS_M = 6_371_008.8
MAX_CANDIDATES = 5000
_CHUNK_CELLS = 4_000_000  # brute force: at most this many distances in memory at once


def project(lon, lat, lon0: float, lat0: float) -> np.ndarray:
    """Local equirectangular metres around (lon0, lat0): an (n, 2) array."""
    x = np.radians(np.asarray(lon, dtype=float) - lon0) * math.cos(math.radians(lat0)) * EARTH_RADIUS_M
    y = np.radians(np.asarray(lat, dtype=float) - lat0) * EARTH_RADIUS_M
    return np.column_stack([x, y]).reshape(-1, 2)


def unproject(xy: np.ndarray, lon0: float, lat0: float) -> tuple[np.ndarray, np.ndarray]:
    lon = lon0 + np.degrees(xy[:, 0] / (EARTH_RADIUS_M * math.cos(math.radians(lat0))))
    lat = lat0 + np.degrees(xy[:, 1] / EARTH_RADIUS_M)
    return lon, lat


def _chunks(n: int, m: int):
    step = max(1, _CHUNK_CELLS // max(m, 1))
    for start in range(0, n, step):
        yield start, min(n, start + step)


def nearest_distances(demand_xy: np.ndarray, station_xy: np.ndarray, *, workers: int = -1) -> np.ndarray:
    """The distance in metres from each demand point to its nearest station (inf when there is none)."""
    demand_xy = np.asarray(demand_xy, dtype=float).reshape(-1, 2)
    station_xy = np.asarray(station_xy, dtype=float).reshape(-1, 2)
    if len(demand_xy) == 0:
        return np.zeros(0)
    if len(station_xy) == 0:
        return np.full(len(demand_xy), np.inf)
    if cKDTree is not None:
        distances, _ = cKDTree(station_xy).query(demand_xy, k=1, workers=workers)
        return distances
    out = np.empty(len(demand_xy))
    for start, end in _chunks(len(demand_xy), len(station_xy)):
        diff = demand_xy[start:end, None, :] - station_xy[None, :, :]
        out[start:end] = np.sqrt((diff**2).sum(axis=2).min(axis=1))
    return out


def within(candidates: np.ndarray, points_xy: np.ndarray, radius: float) -> list[np.ndarray]:
    """For each candidate, the indexes of the points within `radius` metres of it."""
    if len(candidates) == 0 or len(points_xy) == 0:
        return [np.zeros(0, dtype=np.int64) for _ in range(len(candidates))]
    if cKDTree is not None:
        lists = cKDTree(candidates).query_ball_tree(cKDTree(points_xy), radius)
        return [np.asarray(found, dtype=np.int64) for found in lists]
    found: list[np.ndarray] = []
    for start, end in _chunks(len(candidates), len(points_xy)):
        diff = candidates[start:end, None, :] - points_xy[None, :, :]
        close = (diff**2).sum(axis=2) <= radius * radius
        found.extend(np.flatnonzero(row) for row in close)
    return found


def candidate_sites(points_xy: np.ndarray, weights: np.ndarray, radius: float, limit: int = MAX_CANDIDATES) -> np.ndarray:
    """Candidate sites: the (uncovered) demand points themselves, or, past `limit`, the weighted centre of those in
    each cell of a grid (radius / 2, widened until few enough): always where the demand is, never an invented place."""
    unique = np.unique(points_xy, axis=0)
    if len(unique) <= limit:
        return unique
    cell = radius / 2
    while True:
        keys = np.floor(points_xy / cell).astype(np.int64)
        _, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.ravel()
        count = int(inverse.max()) + 1
        if count <= limit:
            break
        cell *= 1.5
    total = np.bincount(inverse, weights=weights, minlength=count)
    cx = np.bincount(inverse, weights=points_xy[:, 0] * weights, minlength=count) / total
    cy = np.bincount(inverse, weights=points_xy[:, 1] * weights, minlength=count) / total
    return np.column_stack([cx, cy])


def greedy_sites(
    points_xy: np.ndarray, weights: np.ndarray, radius: float, *, k: int, candidates: np.ndarray | None = None
) -> tuple[np.ndarray, list[tuple[int, float, np.ndarray]]]:
    """Greedy maximal coverage of the points not yet covered (existing stations fixed: pass only their uncovered
    points): (candidates, up to k picks of (candidate index, added weight, indexes of the points it adds)), each
    the candidate reaching the most weight the earlier picks left."""
    points_xy = np.asarray(points_xy, dtype=float).reshape(-1, 2)
    weights = np.asarray(weights, dtype=float)
    if candidates is None:
        candidates = candidate_sites(points_xy, weights, radius) if len(points_xy) else np.zeros((0, 2))
    if len(points_xy) == 0:
        return candidates, []
    reach = within(candidates, points_xy, radius)
    covered = np.zeros(len(points_xy), dtype=bool)
    picks: list[tuple[int, float, np.ndarray]] = []
    gains = np.asarray([weights[found].sum() for found in reach])
    for _ in range(k):
        if len(gains) == 0 or gains.max() <= 0:
            break
        best = int(gains.argmax())
        added = reach[best][~covered[reach[best]]]
        covered[added] = True
        picks.append((best, float(weights[added].sum()), added))
        # Only the candidates sharing a point with the pick lose gain: recompute those (lazy greedy in effect).
        gains[best] = 0
        touched = np.flatnonzero([len(found) and covered[found].any() for found in reach])
        for index in touched:
            found = reach[index]
            gains[index] = weights[found[~covered[found]]].sum()
    return candidates, picks
