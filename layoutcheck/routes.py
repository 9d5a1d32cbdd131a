"""Accessible routes: free floor space, wheelchair clearance, the way from an entrance to a counter.

The floor of a storey is its outline minus walls, columns and windows; counters and furniture stand
on it. A route of clear width ``w`` exists where a disc of diameter ``w`` can move, i.e. within the
floor eroded by ``w/2`` (shapely ``buffer(-w/2)``): that exact test decides reachability. Doors are a
separate requirement (GB 55019 2.2.3 vs 2.2.2), so each door at least ``door_min_m`` wide is a
passage of its own through the wall, whatever the passage width asks.

For the route itself and its narrowest point, the floor is sampled on a grid; each node knows its
clearance (distance to the nearest obstacle, via an STRtree of obstacle edges) and networkx finds
the shortest route among nodes wide enough, or — when none is — the widest route (a maximin path,
read off a maximum spanning tree), whose bottleneck is the place to fix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.ops import unary_union
from shapely.strtree import STRtree

from .model import Counter, Opening, Plan

ENTRANCE_WORDS = ("主入口", "入口", "出入口", "ENTRANCE", "ENTRY", "MAIN ENTRANCE")
ENTRANCE_LABEL_REACH_M = 4.0
APPROACH_DEPTH_M = 0.35  # how far beyond w/2 in front of a counter a wheelchair may stop
MIN_GRID_M, MAX_NODES = 0.15, 30000


@dataclass
class Floor:
    """One storey's floor: free space, obstacles and door passages, in metres."""

    storey: int
    free: Polygon | MultiPolygon  # floor minus obstacles
    doors: list[Opening]
    door_zones: list[Polygon]  # per door: the passage through its wall, both sides' approach
    obstacles: list[Polygon] = field(default_factory=list)


def floor_of(plan: Plan, storey: int = 0) -> Floor | None:
    st = next((s for s in plan.storeys if s.index == storey), None)
    if st is None or st.footprint.is_empty or st.footprint_source == "outline" and not st.walls:
        return None
    solid = unary_union(list(st.walls) + list(st.columns)
                        + [o.gap for o in plan.openings if o.kind == "window" and o.storey == storey and o.gap is not None])
    floor = _areas(st.footprint.difference(solid)) if not solid.is_empty else st.footprint
    obstacles = [c.footprint for c in plan.counters if c.storey == storey]
    obstacles += [f.footprint for f in plan.furniture if f.storey == storey and f.footprint.intersects(floor)]
    free = _areas(floor.difference(unary_union(obstacles))) if obstacles else floor
    doors = [o for o in plan.openings if o.kind == "door" and o.storey == storey]
    return Floor(storey, free, doors, [_door_zone(d, floor) for d in doors], obstacles)


def _areas(g) -> Polygon | MultiPolygon:
    """The polygons of an overlay result: a stray wall line can leave lines and points beside them,
    in a GeometryCollection that has no boundary or exterior to route along."""
    if isinstance(g, (Polygon, MultiPolygon)):
        return g
    parts = [p for p in getattr(g, "geoms", []) if isinstance(p, (Polygon, MultiPolygon)) and not p.is_empty]
    return unary_union(parts) if parts else Polygon()


def _door_zone(d: Opening, floor) -> Polygon:
    """The way through a door: its width, reaching 1 m into the rooms on both sides."""
    return d.axis.buffer(1.0, cap_style="flat").intersection(floor.buffer(0.01))


def passable_space(f: Floor, width_m: float, door_min_m: float) -> Polygon | MultiPolygon:
    """Where the centre of a ``width_m`` wide wheelchair can be: eroded floor plus wide-enough doors."""
    core = f.free.buffer(-width_m / 2, join_style="round")
    links = [z.intersection(f.free) for d, z in zip(f.doors, f.door_zones) if d.clear_width_m >= door_min_m - 1e-6]
    return unary_union([core, *links]) if links else core


def entrances(plan: Plan, storey: int | None = None) -> list[Opening]:
    """Doors in an external wall; those near an 入口 / ENTRANCE label first (alone if any are)."""
    ext = [o for o in plan.openings if o.kind == "door" and o.external and (storey is None or o.storey == storey)]
    marks = [lb.point for lb in plan.labels
             if any(w in lb.text.upper() for w in ENTRANCE_WORDS)]
    labelled = [o for o in ext if any(o.axis.distance(p) <= ENTRANCE_LABEL_REACH_M for p in marks)]
    return labelled or ext


def inside_point(door: Opening, footprint, depth: float) -> Point:
    """A point ``depth`` metres into the building, straight through the door's middle."""
    (ax, ay), (bx, by) = door.axis.coords[0], door.axis.coords[-1]
    cx, cy = (ax + bx) / 2, (ay + by) / 2
    nx_, ny_ = -(by - ay) / door.axis.length, (bx - ax) / door.axis.length
    a, b = Point(cx + nx_ * depth, cy + ny_ * depth), Point(cx - nx_ * depth, cy - ny_ * depth)
    return a if footprint.contains(a) else b


def customer_side(c: Counter, f: Floor, towards: Point | None) -> LineString:
    """The long side of a counter the public stands at.

    An attribute SIDE / 客户侧 = FRONT (前) takes the block's local −Y edge; BACK (后) the +Y edge.
    Otherwise the long side facing more open floor is the public side (staff sit in the narrow strip
    behind); when both are equally open, the side nearer the entrance.
    """
    pts = list(c.footprint.exterior.coords)[:4]
    edges = [LineString([pts[i], pts[(i + 1) % 4]]) for i in range(4)]
    side = (c.attributes.get("SIDE") or c.attributes.get("客户侧") or "").strip().upper()
    if side in ("FRONT", "前", "-Y"):
        return edges[0]
    if side in ("BACK", "后", "+Y"):
        return edges[2]
    longs = sorted(range(4), key=lambda i: -edges[i].length)[:2]
    centre = c.footprint.centroid
    best, best_score = edges[longs[0]], -math.inf
    for i in longs:
        e = edges[i]
        mid = e.interpolate(0.5, normalized=True)
        vx, vy = mid.x - centre.x, mid.y - centre.y
        n = math.hypot(vx, vy) or 1.0
        probe = Point(mid.x + vx / n * 0.9, mid.y + vy / n * 0.9)
        openness = f.free.boundary.distance(probe) if f.free.contains(probe) else -1.0
        score = round(openness, 1) - (0.001 * towards.distance(probe) if towards is not None else 0.0)
        if score > best_score:
            best, best_score = e, score
    return best


def approach_region(side: LineString, c: Counter, width_m: float) -> Polygon:
    """Where a wheelchair stops to be served: in front of the customer side, outside the counter."""
    reach = side.buffer(width_m / 2 + APPROACH_DEPTH_M, cap_style="flat")
    return reach.difference(c.footprint.buffer(0.01))


@dataclass
class Grid:
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


def build_grid(f: Floor, width_m: float, door_min_m: float) -> Grid | None:
    minx, miny, maxx, maxy = f.free.bounds
    area = f.free.area
    if area <= 0:
        return None
    # sized by the floor's area, but never more than 4 × MAX_NODES cells over its bounding box
    # (a floor of thin slivers spread over kilometres would otherwise ask for millions)
    g = max(MIN_GRID_M, math.sqrt(area / MAX_NODES), math.sqrt((maxx - minx) * (maxy - miny) / (4 * MAX_NODES)))
    xs = np.arange(minx + g / 2, maxx, g)
    ys = np.arange(miny + g / 2, maxy, g)
    gx, gy = np.meshgrid(xs, ys)
    pts = shapely.points(gx.ravel(), gy.ravel())
    shapely.prepare(f.free)
    inside = shapely.contains(f.free, pts)
    edges = _edges_of(f.free)
    tree = STRtree(edges)
    _, dist = tree.query_nearest(pts[inside], return_distance=True, all_matches=False)
    clearance_full = np.zeros(len(pts))
    clearance_full[inside] = dist
    # door passages count as wide enough when the door itself is (its width is another rule)
    ok_zones = [z for d, z in zip(f.doors, f.door_zones) if d.clear_width_m >= door_min_m - 1e-6]
    if ok_zones:
        zone = unary_union(ok_zones)
        shapely.prepare(zone)
        in_door = inside & shapely.contains(zone, pts)
        clearance_full[in_door] = np.maximum(clearance_full[in_door], width_m / 2)
    keep = inside & (clearance_full >= 0.75 * g)  # too near a wall to matter; stops jumps across thin walls
    ny, nx_ = gy.shape
    ids = -np.ones(len(pts), dtype=int)
    ids[keep] = np.arange(int(keep.sum()))
    xy = np.column_stack([gx.ravel()[keep], gy.ravel()[keep]])
    clr = clearance_full[keep]
    G = nx.Graph()
    G.add_nodes_from(range(len(xy)))
    grid_ids = ids.reshape(ny, nx_)
    for dy, dx in ((0, 1), (1, 0), (1, 1), (1, -1)):  # each neighbour pair once
        a = grid_ids[0:ny - dy, max(0, -dx):nx_ - max(0, dx)]
        b = grid_ids[dy:ny, max(0, dx):nx_ - max(0, -dx)]
        m = (a >= 0) & (b >= 0)
        length = g * math.hypot(dx, dy)
        for u, v in zip(a[m].tolist(), b[m].tolist()):
            G.add_edge(u, v, w=min(clr[u], clr[v]), length=length)
    return Grid(xy, clr, G, tree, g)


def _edges_of(geom) -> list[LineString]:
    out = []
    for poly in getattr(geom, "geoms", [geom]):
        for ring in (poly.exterior, *poly.interiors):
            c = list(ring.coords)
            out += [LineString([c[i], c[i + 1]]) for i in range(len(c) - 1)]
    return out


@dataclass
class Route:
    reachable: bool
    path: list[tuple[float, float]]
    narrowest_m: float | None  # clear width at the narrowest passage point (doors excluded)
    narrowest_at: tuple[float, float] | None


def find_route(grid: Grid, start: Point, targets: Polygon, width_m: float, reachable: bool,
               doors_ok: Polygon | None) -> Route:
    """The best route: the widest one (its bottleneck as wide as any route's can be), and among the
    routes that wide, the shortest. Its narrowest point is what a reviewer reads, and it does not
    depend on how the drawing is rotated."""
    in_target = np.flatnonzero(shapely.contains_xy(targets, grid.xy[:, 0], grid.xy[:, 1]))
    s = grid.nearest(start)
    if s is None or len(in_target) == 0:
        return Route(reachable, [], None, None)
    parent, bottleneck = grid.widest_from(s)
    hits = [t for t in in_target.tolist() if t in parent]
    if not hits:
        return Route(reachable, [], None, None)
    best = max(hits, key=lambda t: (bottleneck[t], -math.dist(grid.xy[t], (start.x, start.y))))
    widest = [best]
    while widest[-1] != s:
        widest.append(parent[widest[-1]])
    widest.reverse()
    # the bottleneck sits on this path; the spots where a wheelchair starts and stops (within one
    # route width of them) are not passages, nor are the doors (checked on their own)
    ends = unary_union([start.buffer(width_m), targets.buffer(width_m / 2)])
    skip = ends if doors_ok is None or doors_ok.is_empty else unary_union([ends, doors_ok])
    narrow = _describe(grid, widest, reachable, skip)
    # what the overlay draws: the shortest way among nodes about that wide (less half a grid step)
    floor = min(bottleneck[best], width_m / 2) - grid.spacing / 2
    clr, xy = grid.clearance, grid.xy

    def length(u: int, v: int, d: dict) -> float | None:
        return d["length"] if clr[u] >= floor and clr[v] >= floor else None  # None hides the edge

    try:
        path = nx.astar_path(grid.graph, s, best, heuristic=lambda a, b: math.dist(xy[a], xy[b]), weight=length)
    except nx.NetworkXNoPath:
        path = widest
    return Route(reachable, [tuple(map(float, xy[n])) for n in path], narrow.narrowest_m, narrow.narrowest_at)


def _bottleneck(grid: Grid, path: list[int]) -> float:
    return float(min(grid.clearance[path])) if path else 0.0


def _describe(grid: Grid, path: list[int], reachable: bool, doors_ok) -> Route:
    pts = [tuple(map(float, grid.xy[n])) for n in path]
    if doors_ok is not None and not doors_ok.is_empty:
        in_door = shapely.contains_xy(doors_ok, grid.xy[path, 0], grid.xy[path, 1])
    else:
        in_door = np.zeros(len(path), dtype=bool)
    candidates = [i for i in range(len(path)) if not in_door[i]]
    if not candidates:
        return Route(reachable, pts, None, None)
    i = min(candidates, key=lambda k: grid.clearance[path[k]])
    width, at = _refine(grid, pts, i)
    return Route(reachable, pts, width, at)


def _refine(grid: Grid, pts: list[tuple[float, float]], i: int) -> tuple[float, tuple[float, float]]:
    """Exact clear width at the bottleneck: the widest spot on the cross-section through node i."""
    a = pts[max(0, i - 1)]
    b = pts[min(len(pts) - 1, i + 1)]
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(dx, dy) or 1.0
    px, py = -dy / n, dx / n
    centre, span = 0.0, grid.spacing
    for _ in range(3):  # coarse to fine: ±spacing, then ±2 steps around the best, … (mm precision)
        offs = np.linspace(centre - span, centre + span, 31)
        cand = shapely.points(pts[i][0] + offs * px, pts[i][1] + offs * py)
        _, d = grid.tree.query_nearest(cand, return_distance=True, all_matches=False)
        k = int(np.argmax(d))
        centre, span = float(offs[k]), 2 * span / 30
    return 2 * float(d[k]), (float(pts[i][0] + centre * px), float(pts[i][1] + centre * py))
