#!/usr/bin/env python3
"""Benchmark the accessible-route analysis on a hall cluttered with obstacles.

    python bench/routes.py            # ~50 obstacles; prints a Markdown table
    python bench/routes.py --obstacles 200 --repeat 7

Draws the compliant tier-2 station (126 m²) with extra seats, benches and columns in the hall
(about N obstacles in all), reads it once, then times ``layoutcheck.rules.access.analyse`` — free
floor, wheelchair clearance (shapely erosion), the grid graph and the widest and shortest routes
(array graph: Kruskal and A*) from the entrance to every counter — with the per-plan cache cleared before each run.
Figures are medians of wall-clock time in one process (``time.perf_counter``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from layoutcheck import read_plan, samples
from layoutcheck.rules import access


def cluttered(n: int, seed: int = 7) -> samples.Layout:
    """The compliant station with seats scattered in the waiting area until there are n obstacles."""
    lay = samples.station_tier2_ok()
    rnd = random.Random(seed)
    existing = len(lay.items)
    placed: list[tuple[float, float]] = []
    for _ in range(200_000):  # random packing; gives up rather than loop forever
        if existing + len(placed) >= n:
            break
        x, y = rnd.uniform(300, 11000), rnd.uniform(300, 2700)  # the hall south of the counters' aisle
        if all(abs(x - px) > 520 or abs(y - py) > 520 for px, py in placed) and not 4900 < x < 6900:
            placed.append((x, y))
    lay.items += [samples.ItemSpec("座椅", p) for p in placed]
    return lay


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--obstacles", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = samples.save(samples.build(cluttered(args.obstacles)), Path(tmp) / "cluttered.dxf")
        plan = read_plan(path)
    obstacles = len(plan.counters) + len(plan.furniture) + len(plan.columns)
    times = []
    for _ in range(args.repeat + 1):
        access._CACHE.clear()
        t0 = time.perf_counter()
        a = access.analyse(plan, 1.2, 0.9)
        times.append(time.perf_counter() - t0)
    times = times[1:]  # the first run warms imports and caches
    reach = sum(r.route.reachable for r in a.routes)
    print("| plan | obstacles | counters routed | reachable | route analysis, median (min–max) |")
    print("|---|---|---|---|---|")
    print(f"| tier-2 station, 126 m², cluttered hall | {obstacles} | {len(a.routes)} | {reach} | "
          f"{statistics.median(times) * 1000:.0f} ms ({min(times) * 1000:.0f}–{max(times) * 1000:.0f}) |")


if __name__ == "__main__":
    main()
