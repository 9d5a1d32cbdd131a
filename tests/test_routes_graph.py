"""The route graph (routes.Grid) against figures worked by hand and against a reader written here.

The grid's own edge arrays are not trusted: the neighbours below are found from the nodes' coordinates
(8-connected on the grid spacing), the widest-path bottleneck by a plain search at every clearance
level, and the shortest path by a textbook Dijkstra."""

from __future__ import annotations

import heapq
import math
import random

import pytest
from shapely.geometry import Point, box
from shapely.ops import unary_union

from layoutcheck import routes as R


def floor(free) -> R.Floor:
    return R.Floor(0, free, [], [])


def corridor():
    """An 8 × 3 m room with a 0.40 m wall stub hanging from the north wall at x 3.8–4.2 down to y 1.00:
    the only way east is the 1.00 m gap under it."""
    return box(0, 0, 8, 3).difference(box(3.8, 1.0, 4.2, 3.0))


def neighbours(grid: R.Grid) -> dict[int, list[tuple[int, float]]]:
    """8-connected neighbours from the coordinates alone, with their distance."""
    g = grid.spacing
    x0, y0 = grid.xy[:, 0].min(), grid.xy[:, 1].min()
    cell = {(round((x - x0) / g), round((y - y0) / g)): n for n, (x, y) in enumerate(grid.xy.tolist())}
    out: dict[int, list[tuple[int, float]]] = {n: [] for n in range(len(grid.xy))}
    for (i, j), n in cell.items():
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                m = cell.get((i + di, j + dj))
                if m is not None and m != n:
                    out[n].append((m, g * math.hypot(di, dj)))
    return out


def maximin(grid: R.Grid, s: int) -> dict[int, float]:
    """For each node reachable from s, the widest bottleneck of any path: the highest clearance level at
    which a search from s through nodes at least that wide still reaches it."""
    nb, clr = neighbours(grid), grid.clearance.tolist()
    best: dict[int, float] = {}
    for level in sorted({c for c in clr if c <= clr[s]}, reverse=True):
        seen, todo = {s}, [s]
        while todo:
            u = todo.pop()
            for v, _ in nb[u]:
                if v not in seen and clr[v] >= level:
                    seen.add(v)
                    todo.append(v)
        for v in seen:
            best.setdefault(v, level)
    return best


def dijkstra(grid: R.Grid, s: int, t: int, min_clearance: float) -> float | None:
    nb, clr = neighbours(grid), grid.clearance.tolist()
    dist, queue = {s: 0.0}, [(0.0, s)]
    while queue:
        d, u = heapq.heappop(queue)
        if u == t:
            return d
        if d > dist[u] or clr[u] < min_clearance:
            continue
        for v, w in nb[u]:
            if clr[v] >= min_clearance and d + w < dist.get(v, math.inf):
                dist[v] = d + w
                heapq.heappush(queue, (d + w, v))
    return None


def test_the_gap_under_the_stub_is_the_narrowest_point_1_00_m():
    f = floor(corridor())
    grid = R.build_grid(f, 1.2, 0.9)
    start, target = Point(1.0, 1.5), box(6.5, 1.0, 7.5, 2.0)
    route = R.find_route(grid, start, target, 1.2, False, None)
    assert route.narrowest_m == pytest.approx(1.00, abs=0.002)  # y 0 to the stub's end at y 1.00
    x, y = route.narrowest_at
    assert 3.8 - 0.08 <= x <= 4.2 + 0.08 and y == pytest.approx(0.50, abs=0.002)  # mid-gap, under the stub
    under = [(px, py) for px, py in route.path if 3.8 <= px <= 4.2]
    assert under and all(py < 1.0 for _, py in under)  # the drawn route goes through the gap
    assert start.distance(Point(route.path[0])) < 0.15 and target.buffer(1e-9).contains(Point(route.path[-1]))


def test_a_room_cut_in_two_has_no_route():
    free = unary_union([box(0, 0, 3, 3), box(3.2, 0, 6, 3)])  # a 0.20 m wall right across
    grid = R.build_grid(floor(free), 1.2, 0.9)
    route = R.find_route(grid, Point(1, 1.5), box(4.5, 1, 5.5, 2), 1.2, False, None)
    assert route.path == [] and route.narrowest_m is None


def cluttered_floor(seed: int):
    rnd = random.Random(seed)
    free = box(0, 0, 6, 4)
    for _ in range(rnd.randint(3, 8)):
        x, y = rnd.uniform(0.5, 5.5), rnd.uniform(0.5, 3.5)
        free = free.difference(box(x - rnd.uniform(0.1, 0.6), y - rnd.uniform(0.1, 0.6), x + 0.3, y + 0.3))
    return floor(free)


@pytest.mark.parametrize("seed", range(6))
def test_widest_paths_have_the_best_bottleneck_of_any_path(seed):
    grid = R.build_grid(cluttered_floor(seed), 1.2, 0.9)
    s = grid.nearest(Point(0.3, 0.3))
    parent, bottleneck = grid.widest_from(s)
    expected = maximin(grid, s)
    assert {n for n, p in enumerate(parent) if p >= 0} == set(expected)
    for n, b in expected.items():
        assert bottleneck[n] == b
        path, u = [n], n  # and the tree path to n is as wide as that
        while u != s:
            u = parent[u]
            path.append(u)
        assert min(grid.clearance[path]) == b
    nb, pieces, seen = neighbours(grid), 0, set()
    for n in range(len(grid.xy)):  # pieces of floor the grid has, from the coordinates
        if n not in seen:
            pieces, todo = pieces + 1, [n]
            seen.add(n)
            while todo:
                for v, _ in nb[todo.pop()]:
                    if v not in seen:
                        seen.add(v)
                        todo.append(v)
    tree = grid.widest_tree()
    assert sum(len(vs) for vs in tree) // 2 == len(grid.xy) - pieces  # a spanning forest: one tree a piece


@pytest.mark.parametrize("seed", range(6))
def test_the_drawn_route_is_a_shortest_one_through_nodes_wide_enough(seed):
    grid = R.build_grid(cluttered_floor(seed), 1.2, 0.9)
    s, t = grid.nearest(Point(0.3, 0.3)), grid.nearest(Point(5.7, 3.7))
    nb = neighbours(grid)
    for min_clearance in (0.0, 0.3, 0.45):
        path = grid.shortest(s, t, min_clearance)
        want = dijkstra(grid, s, t, min_clearance)
        if want is None:
            assert path is None
            continue
        steps = list(zip(path, path[1:]))
        assert all(any(v == b for v, _ in nb[a]) for a, b in steps)  # each step joins neighbours
        assert all(grid.clearance[n] >= min_clearance for n in path[1:])
        length = sum(math.dist(grid.xy[a], grid.xy[b]) for a, b in steps)
        assert length == pytest.approx(want, abs=1e-9)
