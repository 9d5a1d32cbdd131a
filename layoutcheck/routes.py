"""Accessible routes: free floor space, wheelchair clearance, the way from an entrance to a counter.

The floor of a storey is its outline minus walls, columns and windows; counters and furniture stand
on it. A route of clear width ``w`` exists where a disc of diameter ``w`` can move, i.e. within the
floor eroded by ``w/2`` (shapely ``buffer(-w/2)``): that exact test decides reachability. Doors are a
separate requirement (GB 55019 2.2.3 vs 2.2.2), so each door at least ``door_min_m`` wide is a
passage of its own through the wall, whatever the passage width asks.

For the route itself and its narrowest point, the floor is sampled on a grid; each node knows its
clearance (distance to the nearest obstacle, via an STRtree of obstacle edges); A* finds the shortest
route among nodes wide enough, and the widest route (a maximin path, read off a maximum spanning tree)
gives its bottleneck, the place to fix. The graph is a few arrays (:class:`Grid`): the edges are made
with numpy and ranked once, the spanning tree is found in a few array passes (Borůvka) and A* walks
plain lists. Equal weights are ranked in the order networkx 3's Kruskal took them (the project's earlier
graph library), so the routes and the places they pinch are the ones it found
(``bench/routes_equivalence.py`` and ``bench/routes_reference.py`` compare them). numpy only: scipy's
csgraph would cost more to import (~0.2 s) than these graphs take to solve.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import heapq
import itertools
import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
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
    spaces: dict = field(default_factory=dict)  # passable space by (width, door minimum)
    simplified_m: float = 0.0  # the floor was simplified this much before eroding it (``erodable``)


def floor_of(plan: Plan, storey: int = 0) -> Floor | None:
    st = next((s for s in plan.storeys if s.index == storey), None)
    if st is None or st.footprint.is_empty or st.footprint_source == "outline" and not st.walls:
        return None
    solid = unary_union(list(st.walls) + list(st.columns)
                        + [o.gap for o in plan.openings if o.kind == "window" and o.storey == storey and o.gap is not None])
    floor = _areas(st.footprint.difference(solid)) if not solid.is_empty else st.footprint
    obstacles = [c.footprint for c in plan.counters if c.storey == storey]
    placed = [f.footprint for f in plan.furniture if f.storey == storey]
    if placed:  # one vectorised test: a site sheet can hold tens of thousands of chairs and trees
        obstacles += list(np.asarray(placed, dtype=object)[shapely.intersects(placed, floor)])
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


# Eroding a floor costs GEOS about (vertices × vertices within twice the erosion distance): a zig-zag wall of
# 2,000 teeth 3 cm deep is 570,000 such pairs and 6 s, 330 MB per erosion, and a bottleneck search erodes a
# dozen times. Real floors of the test corpora have at most ~25,000 pairs (reach 1.2 m). Beyond the budget
# the floor is simplified (Douglas-Peucker, topology kept) at the first tolerance that brings it under, at
# most the last one: routes are then found to within that many metres. The memory cap (limits.py) is the
# backstop behind it.
MAX_ERODE_PAIRS = 100_000
ERODE_SIMPLIFY_M = (0.02, 0.05, 0.1)


def vertex_pairs_within(geom, reach_m: float, limit: int, chunk: int = 512) -> int:
    """How many pairs of ``geom``'s vertices lie within ``reach_m`` of each other (each counted from both
    ends, a vertex with itself too), counted a chunk at a time and stopped once over ``limit``."""
    coords = shapely.get_coordinates(geom)
    if len(coords) ** 2 <= limit:
        return len(coords) ** 2
    pts = shapely.points(coords)
    tree, total = STRtree(pts), 0
    for start in range(0, len(pts), chunk):
        total += int(tree.query(pts[start:start + chunk], predicate="dwithin", distance=reach_m).shape[1])
        if total > limit:
            break
    return total


def erodable(f: Floor, distance_m: float):
    """The free floor, or a simplified copy of it when eroding it by ``distance_m`` would cost GEOS more than
    MAX_ERODE_PAIRS (see above); ``f.simplified_m`` says by how much it was simplified."""
    if vertex_pairs_within(f.free, 2 * distance_m, MAX_ERODE_PAIRS) <= MAX_ERODE_PAIRS:
        return f.free
    for tol in ERODE_SIMPLIFY_M:
        if ("simplified", tol) not in f.spaces:
            f.spaces[("simplified", tol)] = shapely.simplify(f.free, tol, preserve_topology=True)
        g = f.spaces[("simplified", tol)]
        f.simplified_m = max(f.simplified_m, tol)
        if vertex_pairs_within(g, 2 * distance_m, MAX_ERODE_PAIRS) <= MAX_ERODE_PAIRS:
            break
    return g


def passable_space(f: Floor, width_m: float, door_min_m: float) -> Polygon | MultiPolygon:
    """Where the centre of a ``width_m`` wide wheelchair can be: eroded floor plus wide-enough doors."""
    core = erodable(f, width_m / 2).buffer(-width_m / 2, join_style="round")
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


SIDE_TAGS = ("SIDE", "客户侧", "朝向", "FACING")
FRONT_VALUES = ("FRONT", "前", "-Y", "PUBLIC", "群众", "客户")
BACK_VALUES = ("BACK", "后", "+Y")
STAFF_CHAIR = re.compile(r"办公椅|工作椅|职员|员工|转椅|STAFF|OFFICE", re.IGNORECASE)
FRONT_WORDS = re.compile(r"等候|候办|查询|休息|取号|填表|WAIT|QUEUE|LOBBY", re.IGNORECASE)
BACK_WORDS = re.compile(r"工作区|办公区|后台|内勤|STAFF|BACK ?OFFICE", re.IGNORECASE)
BACK_ROOMS = ("office", "archive")
CUE_REACH_M = 8.0  # seats and labels this close to a counter tell which way it faces
OPEN_DEPTH_M = 6.0  # how far in front of each long side the open floor is measured
OFFICE_REACH_M = 2.0  # a back office this close behind a side marks it as the staff side
CUE_WEIGHTS = {"entrance": 1.0, "seats": 1.0, "open": 1.5, "office": 0.75}


@dataclass(frozen=True)
class Front:
    """The public side of a counter: its edge, the unit normal pointing to the public, and how it was
    known: ``"attribute"`` (SIDE=FRONT/BACK on the block) or ``"inferred"`` (with the cues that decided)."""

    edge: LineString
    normal: tuple[float, float]
    source: str
    cues: tuple[str, ...] = ()


def _edges(c: Counter) -> list[LineString]:
    """The footprint's four edges; the ingest builds it from the block's local box, so edge 0 is the
    block's local −Y edge and edge 2 its +Y edge."""
    pts = list(c.footprint.exterior.coords)[:4]
    return [LineString([pts[i], pts[(i + 1) % 4]]) for i in range(4)]


def _outward(c: Counter, e: LineString) -> tuple[float, float]:
    (ax, ay), (bx, by) = e.coords[0], e.coords[-1]
    n = e.length or 1.0
    nx_, ny_ = -(by - ay) / n, (bx - ax) / n
    mid, centre = e.interpolate(0.5, normalized=True), c.footprint.centroid
    if (mid.x - centre.x) * nx_ + (mid.y - centre.y) * ny_ < 0:
        nx_, ny_ = -nx_, -ny_
    return nx_, ny_


def marked_side(c: Counter) -> str | None:
    """"front" / "back" from the block's SIDE attribute (SIDE=FRONT: the local −Y edge faces the public)."""
    for tag in SIDE_TAGS:
        v = (c.attributes.get(tag) or "").strip().upper()
        if v in FRONT_VALUES:
            return "front"
        if v in BACK_VALUES:
            return "back"
    return None


def counter_front(plan: Plan, c: Counter, f: Floor | None) -> Front:
    """The side of counter ``c`` the public stands at.

    The attribute SIDE=FRONT (前) takes the block's local −Y edge, SIDE=BACK (后) its +Y edge. Without it
    the side is inferred from what a reviewer would look at, each cue a vote between the two long sides
    (weights in CUE_WEIGHTS): the side facing the entrance; the side with the waiting seats and the
    等候/查询 labels (a chair named 办公椅/STAFF, or a 工作区 label, votes for the other side); the side
    facing more of the hall's open floor (staff sit in a narrow strip behind); and away from an office or
    archive right behind it. A tie keeps the local −Y edge when it is a long side."""
    if c.footprint.is_empty or len(c.footprint.exterior.coords) < 5:
        return Front(LineString(), (0.0, 0.0), "attribute" if marked_side(c) else "inferred")
    edges = _edges(c)
    mark = marked_side(c)
    if mark is not None:
        e = edges[0] if mark == "front" else edges[2]
        return Front(e, _outward(c, e), "attribute")
    longs = sorted(range(4), key=lambda i: (-round(edges[i].length, 3), i))[:2]
    a = edges[longs[0]]
    na = _outward(c, a)
    votes = _cues(plan, c, f, a, edges[longs[1]], na)
    score = sum(CUE_WEIGHTS[k] * v for k, v in votes.items())
    if abs(score) < 1e-6:  # nothing to go by: the block's own −Y edge if it is a long one
        pick = edges[0] if 0 in longs else a
        return Front(pick, _outward(c, pick), "inferred", ())
    pick = a if score > 0 else edges[longs[1]]
    sign = 1 if score > 0 else -1
    cues = tuple(k for k, v in votes.items() if v * sign > 0.05)
    return Front(pick, _outward(c, pick), "inferred", cues)


def _cues(plan: Plan, c: Counter, f: Floor | None, a: LineString, b: LineString,
          na: tuple[float, float]) -> dict[str, float]:
    """Each cue in [−1, 1]: positive for long side ``a`` (outward normal ``na``), negative for ``b``."""
    centre = c.footprint.centroid

    def side_of(p: Point) -> float:
        return (p.x - centre.x) * na[0] + (p.y - centre.y) * na[1]

    votes = {k: 0.0 for k in CUE_WEIGHTS}
    near = _near(plan)
    ents = near.entrances(c.storey)
    if ents:
        d = ents[0].axis.centroid
        dist = centre.distance(d) or 1.0
        votes["entrance"] = max(-1.0, min(1.0, side_of(d) / dist))
    front = back = 0.0
    reach = c.footprint.buffer(CUE_REACH_M)
    for fu in near.around(near.seats, near.seat_tree, reach):
        if fu.storey != c.storey or fu.footprint.distance(c.footprint) > CUE_REACH_M:
            continue
        s = side_of(fu.footprint.centroid)
        if abs(s) < 1e-6:
            continue
        staff = bool(STAFF_CHAIR.search(fu.block))
        if (s > 0) != staff:
            front += 1
        else:
            back += 1
    for lb in near.around(plan.labels, near.label_tree, reach):
        if lb.storey != c.storey or c.footprint.distance(lb.point) > CUE_REACH_M:
            continue
        s = side_of(lb.point)
        if abs(s) < 1e-6:
            continue
        if FRONT_WORDS.search(lb.text):
            front, back = (front + 1, back) if s > 0 else (front, back + 1)
        elif BACK_WORDS.search(lb.text):
            front, back = (front, back + 1) if s > 0 else (front + 1, back)
    if front + back:
        votes["seats"] = (front - back) / (front + back)
    if f is not None:
        areas = [_open_area(f, e, c) for e in (a, b)]
        if sum(areas) > 0:
            votes["open"] = (areas[0] - areas[1]) / sum(areas)
    office = [_office_behind(plan, c, e) for e in (a, b)]
    votes["office"] = float(office[1]) - float(office[0])
    return votes


class _Near:
    """What the cues of every counter look up, built once per plan: the entrances of each storey, and STRtrees
    of the labels and seats (a plan of 200 counters and 4,000 labels cost 2 s of scans before)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._ents: dict[int, list[Opening]] = {}
        self.seats = [fu for fu in plan.furniture if fu.kind == "seat"]
        self.seat_tree = STRtree([fu.footprint for fu in self.seats]) if self.seats else None
        self.label_tree = STRtree([lb.point for lb in plan.labels]) if plan.labels else None

    def entrances(self, storey: int) -> list[Opening]:
        if storey not in self._ents:
            self._ents[storey] = entrances(self.plan, storey)
        return self._ents[storey]

    @staticmethod
    def around(items: list, tree, region) -> list:
        return [items[int(i)] for i in sorted(tree.query(region))] if tree is not None else []


_NEAR: dict[int, tuple[Plan, _Near]] = {}


def _near(plan: Plan) -> _Near:
    hit = _NEAR.get(id(plan))
    if hit is None or hit[0] is not plan:
        if len(_NEAR) > 8:
            _NEAR.clear()
        hit = _NEAR[id(plan)] = (plan, _Near(plan))
    return hit[1]


def _strip(c: Counter, e: LineString, depth: float, extend: float = 0.0) -> Polygon:
    """The rectangle ``depth`` deep in front of edge ``e`` (away from the counter), ``extend`` past its ends."""
    (ax, ay), (bx, by) = e.coords[0], e.coords[-1]
    n = e.length or 1.0
    ux, uy = (bx - ax) / n, (by - ay) / n
    nx_, ny_ = _outward(c, e)
    ax, ay, bx, by = ax - ux * extend, ay - uy * extend, bx + ux * extend, by + uy * extend
    return Polygon([(ax, ay), (bx, by), (bx + nx_ * depth, by + ny_ * depth), (ax + nx_ * depth, ay + ny_ * depth)])


def _open_area(f: Floor, e: LineString, c: Counter) -> float:
    """Free floor in front of one side, counted only where it joins that side (not across a wall)."""
    region = f.free.intersection(_strip(c, e, OPEN_DEPTH_M, 1.0))
    touch = e.buffer(0.05)
    return sum(p.area for p in getattr(region, "geoms", [region]) if isinstance(p, Polygon) and p.intersects(touch))


def _office_behind(plan: Plan, c: Counter, e: LineString) -> bool:
    probe = _strip(c, e, OFFICE_REACH_M)
    return any(r.storey == c.storey and r.type in BACK_ROOMS and r.polygon.intersection(probe).area > 0.2
               for r in plan.rooms)


_FRONTS: dict[int, tuple[Plan, list[Front]]] = {}


def counter_fronts(plan: Plan) -> list[Front]:
    """Every counter's public side (see :func:`counter_front`), computed once per plan."""
    hit = _FRONTS.get(id(plan))
    if hit is not None and hit[0] is plan:
        return hit[1]
    floors = {s: floor_of(plan, s) for s in {c.storey for c in plan.counters}}
    out = [counter_front(plan, c, floors[c.storey]) for c in plan.counters]
    if len(_FRONTS) > 8:
        _FRONTS.clear()
    _FRONTS[id(plan)] = (plan, out)
    return out


def approach_region(front: Front | LineString, c: Counter, width_m: float) -> Polygon:
    """Where a wheelchair stops to be served: in front of the public side only (never behind the
    counter, where staff sit), out to ``width_m / 2 + APPROACH_DEPTH_M`` from it."""
    edge = front.edge if isinstance(front, Front) else front
    return _strip(c, edge, width_m / 2 + APPROACH_DEPTH_M).difference(c.footprint.buffer(0.01))


def passable_at(f: Floor, width_m: float, door_min_m: float):
    """:func:`passable_space` memoised on the floor (a bottleneck search asks for a dozen widths)."""
    key = (round(width_m, 4), round(door_min_m, 4))
    if key not in f.spaces:
        f.spaces[key] = passable_space(f, width_m, door_min_m)
    return f.spaces[key]


def connected(space, start: Point, target) -> bool:
    """Exact: do the start and the target lie in one piece of the passable space?"""
    for part in getattr(space, "geoms", [space]):
        if part.distance(start) <= 0.05 and part.intersects(target):
            return True
    return False


BOTTLENECK_TOL_M = 0.002
MAX_PINCH_TRIES = 40


def bottleneck(f: Floor, start: Point, target, width_m: float,
               door_min_m: float) -> tuple[float, BaseGeometry | None, bool]:
    """The widest wheelchair that gets from ``start`` to ``target`` when one ``width_m`` wide does not:
    its width (bisection on the eroded floor, to BOTTLENECK_TOL_M, always below ``width_m``), where it
    pinches, and whether that is the approach itself (a slightly wider chair fits nowhere in ``target``:
    something stands right in front of the counter) rather than a narrow place on the way.
    (0, None, False) when not even a sliver of floor joins them."""
    lo, hi = 0.0, width_m
    if not connected(passable_at(f, 0.01, door_min_m), start, target):
        return 0.0, None, False
    lo = 0.01
    while hi - lo > BOTTLENECK_TOL_M:
        mid = (lo + hi) / 2
        if connected(passable_at(f, mid, door_min_m), start, target):
            lo = mid
        else:
            hi = mid
    space_lo, space_hi = passable_at(f, lo, door_min_m), passable_at(f, hi, door_min_m)
    part = next((p for p in getattr(space_lo, "geoms", [space_lo])
                 if p.distance(start) <= 0.05 and p.intersects(target)), None)
    if part is None:
        return lo, None, False
    if not space_hi.intersects(target):  # the approach is the narrowest place: it is blocked
        return lo, part.intersection(target), True
    pinch = part.difference(space_hi.buffer((hi - lo) / 2 + 1e-4))
    pieces = [p for p in getattr(pinch, "geoms", [pinch]) if isinstance(p, Polygon) and p.area > 0]
    if not pieces:
        return lo, None, False
    # What the opening takes away is the pinch, but also millimetre nicks at the sharp corners of the
    # eroded floor; and equally narrow places may follow one another. The pinch is a piece without which
    # the narrower wheelchair no longer gets through, the first met from the start (a nick at the start
    # itself proves nothing); failing that (two equal gaps side by side), the longest piece.
    pieces.sort(key=lambda p: p.distance(start))
    for p in [p for p in pieces if p.distance(start) > 0.1][:MAX_PINCH_TRIES]:
        if not connected(part.difference(p.buffer(1e-4)), start, target):
            return lo, p, False
    return lo, max(pieces, key=lambda p: p.length), False


def on_route(path: list[tuple[float, float]], p: Point) -> tuple[float, float]:
    """The point of the drawn route nearest ``p``: where a badge for the route's problem goes."""
    if len(path) < 2:
        return (p.x, p.y)
    line = LineString(path)
    q = line.interpolate(line.project(p))
    return (q.x, q.y)


# The grid's eight neighbours, each pair once, in the order their edges are made: right, up, up-right,
# up-left. ``dy, dx`` in grid rows and columns.
STEPS = ((0, 1), (1, 0), (1, 1), (1, -1))


@dataclass
class Grid:
    """Free floor sampled on a square grid: node → (x, y) and clearance, and the graph joining each node to
    its eight neighbours. The edges are arrays ``eu < ev`` with weight ``ew`` (the lower clearance of
    the two ends, what a wheelchair passing there has) and kind ``ek`` (the index into STEPS), listed by
    node and then by kind; ``adj`` has each node's neighbours and the length to each."""

    xy: np.ndarray
    clearance: np.ndarray
    tree: STRtree
    spacing: float
    eu: np.ndarray
    ev: np.ndarray
    ew: np.ndarray
    ek: np.ndarray
    _adj: tuple[list[int], list[int], list[float]] | None = None
    _mst: list[list[int]] | None = None
    _widest: dict[int, tuple[list[int], list[float]]] = field(default_factory=dict)
    _lists: tuple[list, list] | None = None  # xy and clearance as Python floats, for the loops

    def nearest(self, p: Point, among: np.ndarray | None = None) -> int | None:
        idx = np.arange(len(self.xy)) if among is None else among
        if len(idx) == 0:
            return None
        d = np.hypot(self.xy[idx, 0] - p.x, self.xy[idx, 1] - p.y)
        return int(idx[int(np.argmin(d))])

    def lists(self) -> tuple[list[list[float]], list[float]]:
        if self._lists is None:
            self._lists = (self.xy.tolist(), self.clearance.tolist())
        return self._lists

    @property
    def adj(self) -> tuple[list[int], list[int], list[float]]:
        """The neighbours as compressed rows: node ``u``'s are ``nbr[ptr[u]:ptr[u + 1]]``, ``length_m`` the
        same, for every kind the one before it (on an earlier row, or to the left) and then the one after it."""
        if self._adj is None:
            n, m = len(self.xy), len(self.eu)
            lengths = np.array([self.spacing * math.hypot(dy, dx) for dy, dx in STEPS])
            src = np.concatenate([self.ev, self.eu])  # each edge from both ends: first from its later end
            dst = np.concatenate([self.eu, self.ev])
            side = np.concatenate([np.zeros(m, dtype=int), np.ones(m, dtype=int)])
            kind = np.concatenate([self.ek, self.ek])
            order = np.lexsort((side, kind, src))
            ptr = np.zeros(n + 1, dtype=int)
            np.cumsum(np.bincount(src, minlength=n), out=ptr[1:])
            self._adj = (ptr.tolist(), dst[order].tolist(), lengths[kind[order]].tolist())
        return self._adj

    def widest_tree(self) -> list[list[int]]:
        """A maximum spanning tree (a forest where the floor is in pieces) on ``ew``, as each node's
        tree neighbours. Equal weights are ranked in edge order, so every edge has a rank of its own
        and the tree is unique: the one Kruskal takes edge by edge in that order, found here by
        :func:`_spanning_forest` in a few array passes."""
        if self._mst is None:
            rank = np.empty(len(self.ew), dtype=np.int64)
            rank[np.argsort(-self.ew, kind="stable")] = np.arange(len(self.ew))
            chosen = _spanning_forest(len(self.xy), self.eu, self.ev, rank)
            tree: list[list[int]] = [[] for _ in range(len(self.xy))]
            for u, v in zip(self.eu[chosen].tolist(), self.ev[chosen].tolist()):
                tree[u].append(v)
                tree[v].append(u)
            self._mst = tree
        return self._mst

    def widest_from(self, s: int) -> tuple[list[int], list[float]]:
        """For every node: its parent on the widest path from ``s`` (the path in the maximum spanning
        tree; -1 where no path joins them, ``s`` for ``s``) and that path's bottleneck clearance."""
        hit = self._widest.get(s)
        if hit is None:
            tree, clr = self.widest_tree(), self.lists()[1]
            parent, bottleneck = [-1] * len(clr), [0.0] * len(clr)
            parent[s], bottleneck[s] = s, clr[s]
            todo = [s]
            while todo:
                u = todo.pop()
                for v in tree[u]:
                    if parent[v] < 0:
                        parent[v] = u
                        bottleneck[v] = min(bottleneck[u], clr[v])
                        todo.append(v)
            hit = self._widest[s] = (parent, bottleneck)
        return hit

    def shortest(self, s: int, t: int, min_clearance: float) -> list[int] | None:
        """The shortest path from ``s`` to ``t`` through nodes of clearance ≥ ``min_clearance`` (A*, the
        straight distance as the heuristic; equal priorities in the order they were queued), or None."""
        (ptr, nbr, length_m), (xy, clr) = self.adj, self.lists()
        tx, ty = xy[t]
        count = itertools.count()
        queue: list = [(0.0, next(count), s, 0.0, None)]
        enqueued: dict[int, tuple[float, float]] = {}
        explored: dict[int, int | None] = {}
        while queue:
            _, _, node, dist, parent = heapq.heappop(queue)
            if node == t:
                path = [node]
                while parent is not None:
                    path.append(parent)
                    parent = explored[parent]
                path.reverse()
                return path
            if node in explored:
                if explored[node] is None:
                    continue
                if enqueued[node][0] < dist:
                    continue
            explored[node] = parent
            if clr[node] < min_clearance:
                continue  # every way out of a node too narrow is closed (only the start can be one)
            for i in range(ptr[node], ptr[node + 1]):
                v = nbr[i]
                if clr[v] < min_clearance:
                    continue
                cost = dist + length_m[i]
                if v in enqueued:
                    queued, h = enqueued[v]
                    if queued <= cost:
                        continue
                else:
                    x, y = xy[v]
                    h = math.dist((x, y), (tx, ty))
                enqueued[v] = cost, h
                heapq.heappush(queue, (cost + h, next(count), v, cost, node))
        return None


def _spanning_forest(n: int, eu: np.ndarray, ev: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """The minimum spanning forest for distinct edge ranks (Borůvka): in each round every piece takes
    its lowest-ranked edge to another piece, and the pieces so joined merge. With distinct ranks the
    forest is unique, so it is the one Kruskal's algorithm finds. Returns the chosen edge indices."""
    comp = np.arange(n)
    chosen = np.zeros(len(eu), dtype=bool)
    edge_of = np.argsort(rank)  # rank → edge
    while True:
        cu, cv = comp[eu], comp[ev]
        cross = np.flatnonzero(cu != cv)
        if len(cross) == 0:
            return np.flatnonzero(chosen)
        pieces = np.concatenate([cu[cross], cv[cross]])
        ranks = np.concatenate([rank[cross], rank[cross]])
        order = np.lexsort((ranks, pieces))
        pieces, ranks = pieces[order], ranks[order]
        first = np.ones(len(pieces), dtype=bool)
        first[1:] = pieces[1:] != pieces[:-1]
        piece, best = pieces[first], edge_of[ranks[first]]  # each piece's lowest-ranked way out
        chosen[best] = True
        other = np.where(comp[eu[best]] == piece, comp[ev[best]], comp[eu[best]])
        parent = np.arange(n)
        parent[piece] = other
        mutual = (parent[other] == piece) & (piece < other)  # two pieces that chose the same edge
        parent[piece[mutual]] = piece[mutual]
        while True:  # every piece to the root of its tree of choices
            up = parent[parent]
            if np.array_equal(up, parent):
                break
            parent = up
        comp = parent[comp]


def sample_grid(f: Floor, width_m: float, door_min_m: float):
    """The free floor sampled on a square grid, before any graph joins it: spacing ``g``, the kept
    nodes' ``xy`` and clearance, the edge ``tree`` and ``grid_ids`` (node id per cell, -1 where none).
    ``None`` for a floor without area. Shared with the networkx reference (bench/routes_reference.py),
    which differs only in the graph built over these nodes."""
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
    return g, xy, clr, tree, ids.reshape(ny, nx_)


def build_grid(f: Floor, width_m: float, door_min_m: float) -> Grid | None:
    sampled = sample_grid(f, width_m, door_min_m)
    if sampled is None:
        return None
    g, xy, clr, tree, grid_ids = sampled
    ny, nx_ = grid_ids.shape
    eu, ev, ek = [], [], []
    for k, (dy, dx) in enumerate(STEPS):
        a = grid_ids[0:ny - dy, max(0, -dx):nx_ - max(0, dx)]
        b = grid_ids[dy:ny, max(0, dx):nx_ - max(0, -dx)]
        m = (a >= 0) & (b >= 0)
        eu.append(a[m])
        ev.append(b[m])
        ek.append(np.full(int(m.sum()), k))
    u, v, kind = np.concatenate(eu), np.concatenate(ev), np.concatenate(ek)
    order = np.lexsort((kind, u))  # by node, then by kind (row-major ids: v > u always)
    u, v, kind = u[order], v[order], kind[order]
    return Grid(xy, clr, tree, g, u, v, np.minimum(clr[u], clr[v]), kind)


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
    hits = [t for t in in_target.tolist() if parent[t] >= 0]
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
    path = grid.shortest(s, best, floor) or widest
    return Route(reachable, [tuple(map(float, grid.xy[n])) for n in path], narrow.narrowest_m, narrow.narrowest_at)


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
