"""The 15-minute circle at province scale: 1M demand points and 20k stations in the bounding box of Nanchang's
central districts, coverage timed (target ≤ 1 s), checked against brute-force distances on a 10k sample, and
the greedy placement suggestions' coverage against the optimum of scipy.optimize.milp on a 5k-point instance.

Runs on the geometry module alone (no Django, no database):

    .venv/bin/python bench/circle_bench.py
    .venv/bin/python bench/circle_bench.py --points 1000000 --stations 20000 --milp-points 5000 --seeds 5
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sanxin.stations import geometry

# Nanchang's central districts (东湖、西湖、青云谱、青山湖、新建 and 南昌县 in part): a real bounding area.
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = 115.75, 116.10, 28.55, 28.80
WALK_M = 5000 * 15 / 60 / 1.3  # 5 km/h, 15 minutes, detour 1.3
EBIKE_M = 15000 * 15 / 60 / 1.3


def demand(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Riders gather around hot spots (malls, office parks, logistics centres) and are spread thinly elsewhere."""
    hot = rng.uniform([LON_MIN, LAT_MIN], [LON_MAX, LAT_MAX], size=(400, 2))
    share = rng.dirichlet(np.ones(len(hot)) * 0.6)
    clustered = int(n * 0.8)
    which = rng.choice(len(hot), size=clustered, p=share)
    spread = rng.normal(0, 0.006, size=(clustered, 2))  # ~600 m
    points = np.vstack([hot[which] + spread, rng.uniform([LON_MIN, LAT_MIN], [LON_MAX, LAT_MAX], size=(n - clustered, 2))])
    return points[:, 0], points[:, 1]


def stations(rng: np.random.Generator, m: int) -> tuple[np.ndarray, np.ndarray]:
    xy = rng.uniform([LON_MIN, LAT_MIN], [LON_MAX, LAT_MAX], size=(m, 2))
    return xy[:, 0], xy[:, 1]


def coverage_run(args) -> dict:
    rng = np.random.default_rng(args.seed)
    d_lon, d_lat = demand(rng, args.points)
    s_lon, s_lat = stations(rng, args.stations)
    lon0, lat0 = float(d_lon.mean()), float(d_lat.mean())
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        d_xy = geometry.project(d_lon, d_lat, lon0, lat0)
        s_xy = geometry.project(s_lon, s_lat, lon0, lat0)
        distances = geometry.nearest_distances(d_xy, s_xy)
        covered = distances <= WALK_M
        timings.append(time.perf_counter() - started)
    sample = rng.choice(args.points, size=min(10_000, args.points), replace=False)
    # Brute force on the sphere-free plane (the same projection) and by haversine on the sphere, in chunks.
    brute = np.empty(len(sample))
    haversine = np.empty(len(sample))
    lat_s, lon_s = np.radians(s_lat), np.radians(s_lon)
    for start in range(0, len(sample), 200):
        idx = sample[start : start + 200]
        diff = d_xy[idx, None, :] - s_xy[None, :, :]
        brute[start : start + 200] = np.sqrt((diff**2).sum(axis=2)).min(axis=1)
        p1, l1 = np.radians(d_lat[idx])[:, None], np.radians(d_lon[idx])[:, None]
        a = np.sin((lat_s - p1) / 2) ** 2 + np.cos(p1) * np.cos(lat_s) * np.sin((lon_s - l1) / 2) ** 2
        haversine[start : start + 200] = (2 * geometry.EARTH_RADIUS_M * np.arcsin(np.sqrt(a))).min(axis=1)
    tree = distances[sample]
    return {
        "best_s": min(timings),
        "median_s": float(np.median(timings)),
        "covered_share": float(covered.mean()),
        "sample_max_abs_m": float(np.abs(tree - brute).max()),
        "sample_same_covered": int(((tree <= WALK_M) == (brute <= WALK_M)).sum()),
        "sample": len(sample),
        "haversine_max_rel": float((np.abs(tree - haversine) / np.maximum(haversine, 1)).max()),
        "haversine_disagree": int(((tree <= WALK_M) != (haversine <= WALK_M)).sum()),
    }


def milp_optimum(points_xy, weights, candidates, radius, k) -> tuple[float, float]:
    """The exact maximal coverage with k sites: x_j (candidates, binary), y_i (points, 0–1); maximise Σ w_i y_i
    subject to y_i ≤ Σ_{j reaches i} x_j and Σ x_j = k."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix, hstack, identity

    reach = geometry.within(candidates, points_xy, radius)
    n, m = len(points_xy), len(candidates)
    rows = np.concatenate([found for found in reach]) if reach else np.zeros(0, dtype=int)
    cols = np.concatenate([np.full(len(found), j) for j, found in enumerate(reach)]) if reach else np.zeros(0, dtype=int)
    cover = coo_matrix((-np.ones(len(rows)), (rows, cols)), shape=(n, m))
    link = hstack([cover, identity(n)]).tocsr()
    pick_k = coo_matrix((np.ones(m), (np.zeros(m, dtype=int), np.arange(m))), shape=(1, m + n)).tocsr()
    constraints = [LinearConstraint(link, -np.inf, 0), LinearConstraint(pick_k, k, k)]
    c = np.concatenate([np.zeros(m), -np.asarray(weights, dtype=float)])
    integrality = np.concatenate([np.ones(m), np.zeros(n)])
    started = time.perf_counter()
    result = milp(c, constraints=constraints, integrality=integrality, bounds=Bounds(0, 1), options={"time_limit": 300})
    elapsed = time.perf_counter() - started
    if result.x is None:
        raise RuntimeError(f"milp failed: {result.message}")
    return -float(result.fun), elapsed


def placement_run(args, seed: int) -> dict:
    """A 5k-point instance with existing stations fixed: only what they leave uncovered counts; the greedy and the
    MILP choose k sites from the same candidates (the uncovered points, or grid centres past 5,000)."""
    rng = np.random.default_rng(seed)
    d_lon, d_lat = demand(rng, args.milp_points)
    s_lon, s_lat = stations(rng, args.milp_stations)
    lon0, lat0 = float(d_lon.mean()), float(d_lat.mean())
    d_xy = geometry.project(d_lon, d_lat, lon0, lat0)
    s_xy = geometry.project(s_lon, s_lat, lon0, lat0)
    radius = EBIKE_M if args.mode == "ebike" else WALK_M
    open_points = geometry.nearest_distances(d_xy, s_xy) > radius
    points = d_xy[open_points]
    weights = rng.integers(1, 4, size=len(points)).astype(float)
    candidates = geometry.candidate_sites(points, weights, radius, limit=args.candidates)
    started = time.perf_counter()
    candidates, picks = geometry.greedy_sites(points, weights, radius, k=args.k, candidates=candidates)
    greedy_s = time.perf_counter() - started
    greedy = sum(gain for _, gain, _ in picks)
    optimum, milp_s = milp_optimum(points, weights, candidates, radius, args.k)
    return {
        "seed": seed,
        "uncovered": len(points),
        "candidates": len(candidates),
        "greedy": greedy,
        "optimum": optimum,
        "ratio": greedy / optimum if optimum else 1.0,
        "greedy_s": greedy_s,
        "milp_s": milp_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--stations", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--milp-points", type=int, default=5_000)
    parser.add_argument("--milp-stations", type=int, default=60)
    parser.add_argument("--candidates", type=int, default=800)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--mode", choices=["walk", "ebike"], default="walk")
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    print(f"KD-tree: {'scipy.spatial.cKDTree' if geometry.cKDTree is not None else 'numpy brute force (scipy missing)'}")
    result = coverage_run(args)
    print(
        f"coverage of {args.points:,} demand points by {args.stations:,} stations (walk {WALK_M:.0f} m): "
        f"best {result['best_s']:.3f} s, median {result['median_s']:.3f} s; covered {result['covered_share'] * 100:.1f}%"
    )
    print(
        f"brute force on a {result['sample']:,} sample: max |Δ| {result['sample_max_abs_m']:.2e} m, "
        f"same covered/uncovered {result['sample_same_covered']:,}/{result['sample']:,}; "
        f"against haversine: max relative error {result['haversine_max_rel'] * 100:.3f}%, "
        f"{result['haversine_disagree']} points on the other side of the radius"
    )
    ratios = []
    for seed in range(args.seed, args.seed + args.seeds):
        run = placement_run(args, seed)
        ratios.append(run["ratio"])
        print(
            f"placement seed {seed}: {run['uncovered']:,} uncovered points, {run['candidates']:,} candidates, k={args.k}: "
            f"greedy {run['greedy']:.0f} in {run['greedy_s']:.3f} s, MILP optimum {run['optimum']:.0f} in {run['milp_s']:.1f} s, "
            f"ratio {run['ratio'] * 100:.1f}%"
        )
    print(f"greedy / optimum: min {min(ratios) * 100:.1f}%, mean {np.mean(ratios) * 100:.1f}% over {len(ratios)} instances")


if __name__ == "__main__":
    main()
