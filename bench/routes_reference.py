"""The route graph as it was on networkx (layoutcheck up to 0.1.0), kept to check the array graph against.

Not part of the package: ``pip install networkx`` to use it. :func:`build_grid_nx` builds the earlier
networkx graph over the nodes ``routes.sample_grid`` samples (the sampling is shared; the graph and
the searches are what is cross-checked), and :func:`find_route_nx` is the earlier ``routes.find_route``
verbatim, but for the names. ``python -m pytest -p routes_reference tests/…`` (with ``bench`` on ``PYTHONPATH``) runs
a test suite with every route the rules ask for computed both ways and compared.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx
import numpy as np
import shapely
from shapely.geometry import Point, Polygon
from shapely.ops import unary_union
from shapely.strtree import STRtree

from layoutcheck import routes as R

CHECKED = {"routes": 0, "nodes": 0}


@dataclass
class GridNx:
    """Free floor sampled on a square grid: node → (x, y) and clearance; networkx graph over it."""

    xy: np.ndarray
    clearance: np.ndarray
    graph: nx.Graph
    tree: STRtree
    spacing: float
    _mst: nx.Graph | None = None

    def nearest(self, p: Point, among: np.ndarray | None = None) -> int | None:
        idx = np.arange(len(self.xy)) if among is None else among
        if len(idx) == 0:
            return None
        d = np.hypot(self.xy[idx, 0] - p.x, self.xy[idx, 1] - p.y)
        return int(idx[int(np.argmin(d))])

    def widest_tree(self) -> nx.Graph:
        if self._mst is None:
            self._mst = nx.maximum_spanning_tree(self.graph, weight="w")
        return self._mst

    def widest_from(self, s: int) -> tuple[dict[int, int], dict[int, float]]:
        """For every node reachable from ``s``: its parent on the widest path from ``s`` (the path in
        the maximum spanning tree) and that path's bottleneck clearance. One pass over the tree."""
        tree = self.widest_tree()
        parent, bottleneck = {s: s}, {s: float(self.clearance[s])}
        for u, v in nx.bfs_edges(tree, s):
            parent[v] = u
            bottleneck[v] = min(bottleneck[u], float(self.clearance[v]))
        return parent, bottleneck


def build_grid_nx(f: R.Floor, width_m: float, door_min_m: float) -> GridNx | None:
    # the nodes are routes' own sampling; only the graph over them (networkx here) is the reference
    sampled = R.sample_grid(f, width_m, door_min_m)
    if sampled is None:
        return None
    g, xy, clr, tree, grid_ids = sampled
    ny, nx_ = grid_ids.shape
    G = nx.Graph()
    G.add_nodes_from(range(len(xy)))
    for dy, dx in ((0, 1), (1, 0), (1, 1), (1, -1)):  # each neighbour pair once
        a = grid_ids[0:ny - dy, max(0, -dx):nx_ - max(0, dx)]
        b = grid_ids[dy:ny, max(0, dx):nx_ - max(0, -dx)]
        m = (a >= 0) & (b >= 0)
        length = g * math.hypot(dx, dy)
        for u, v in zip(a[m].tolist(), b[m].tolist()):
            G.add_edge(u, v, w=min(clr[u], clr[v]), length=length)
    return GridNx(xy, clr, G, tree, g)


def find_route_nx(grid: GridNx, start: Point, targets: Polygon, width_m: float, reachable: bool,
               doors_ok: Polygon | None) -> R.Route:
    """The best route: the widest one (its bottleneck as wide as any route's can be), and among the
    routes that wide, the shortest. Its narrowest point is what a reviewer reads, and it does not
    depend on how the drawing is rotated."""
    in_target = np.flatnonzero(shapely.contains_xy(targets, grid.xy[:, 0], grid.xy[:, 1]))
    s = grid.nearest(start)
    if s is None or len(in_target) == 0:
        return R.Route(reachable, [], None, None)
    parent, bottleneck = grid.widest_from(s)
    hits = [t for t in in_target.tolist() if t in parent]
    if not hits:
        return R.Route(reachable, [], None, None)
    best = max(hits, key=lambda t: (bottleneck[t], -math.dist(grid.xy[t], (start.x, start.y))))
    widest = [best]
    while widest[-1] != s:
        widest.append(parent[widest[-1]])
    widest.reverse()
    # the bottleneck sits on this path; the spots where a wheelchair starts and stops (within one
    # route width of them) are not passages, nor are the doors (checked on their own)
    ends = unary_union([start.buffer(width_m), targets.buffer(width_m / 2)])
    skip = ends if doors_ok is None or doors_ok.is_empty else unary_union([ends, doors_ok])
    narrow = R._describe(grid, widest, reachable, skip)
    # what the overlay draws: the shortest way among nodes about that wide (less half a grid step)
    floor = min(bottleneck[best], width_m / 2) - grid.spacing / 2
    clr, xy = grid.clearance, grid.xy

    def length(u: int, v: int, d: dict) -> float | None:
        return d["length"] if clr[u] >= floor and clr[v] >= floor else None  # None hides the edge

    try:
        path = nx.astar_path(grid.graph, s, best, heuristic=lambda a, b: math.dist(xy[a], xy[b]), weight=length)
    except nx.NetworkXNoPath:
        path = widest
    return R.Route(reachable, [tuple(map(float, xy[n])) for n in path], narrow.narrowest_m, narrow.narrowest_at)




def same(a: R.Route, b: R.Route) -> bool:
    return (a.reachable, a.path, a.narrowest_m, a.narrowest_at) == (b.reachable, b.path, b.narrowest_m, b.narrowest_at)


def install() -> None:
    """Make routes.build_grid / find_route compute every answer both ways and fail on any difference."""
    build_grid, find_route = R.build_grid, R.find_route

    def build_both(f, width_m, door_min_m):
        grid = build_grid(f, width_m, door_min_m)
        if grid is not None:
            grid._reference = (f, width_m, door_min_m)
        return grid

    def find_both(grid, start, targets, width_m, reachable, doors_ok):
        route = find_route(grid, start, targets, width_m, reachable, doors_ok)
        old = getattr(grid, "_old", None)
        if old is None:
            old = grid._old = build_grid_nx(*grid._reference)
        # same sampling (routes.sample_grid) by construction; what is cross-checked is the graph and the searches
        assert np.array_equal(old.xy, grid.xy) and np.array_equal(old.clearance, grid.clearance)
        assert old.graph.number_of_edges() == len(grid.eu)
        expected = find_route_nx(old, start, targets, width_m, reachable, doors_ok)
        assert same(route, expected), (route, expected)
        CHECKED["routes"] += 1
        CHECKED["nodes"] += len(grid.xy)
        return route

    R.build_grid, R.find_route = build_both, find_both


# as a pytest plugin (-p routes_reference)
def pytest_configure(config):
    install()


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"routes_reference: {CHECKED['routes']} routes on {CHECKED['nodes']} grid nodes "
                                "in all were the same on networkx")
