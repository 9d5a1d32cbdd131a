"""Barrier-free rules (GB 55019-2021): a wide-enough route from the entrance to every counter, door
widths on it, and turning space at the low counter. The geometry is in :mod:`layoutcheck.routes`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..i18n import Join, Msg
from ..measure import Metrics
from ..model import Plan
from .base import Param, Project, Result, rule
from .counter import low_counters

if TYPE_CHECKING:  # the geometry is imported where it is used: `layoutcheck rules` lists these without it
    from shapely.geometry import LineString, Polygon

    from .. import routes as R

REVOLVING = re.compile(r"旋转|REVOLV", re.IGNORECASE)


@dataclass
class CounterRoute:
    counter: int
    side: LineString  # the public side (R.Front.edge)
    route: R.Route
    entrance: int | None  # index into plan.openings
    width_m: float | None = None  # when not reachable: the widest wheelchair that gets there (exact)
    at: tuple[float, float] | None = None  # … and where it pinches, on the drawn route
    blocked: bool = False  # the pinch is in front of the counter itself: its approach is blocked
    pinch: tuple[float, float] | None = None  # a point of the pinch itself: counters behind one pinch share it


@dataclass
class Analysis:
    floors: dict[int, R.Floor]
    routes: list[CounterRoute]
    entrances: list[int]
    problem: str | None = None  # message key when routes cannot be analysed


_CACHE: dict[tuple, tuple[Plan, Analysis]] = {}


def analyse(plan: Plan, width_m: float, door_min_m: float) -> Analysis:
    """Routes from the entrances to every counter; computed once per plan and widths."""
    key = (id(plan), width_m, door_min_m)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is plan:
        return hit[1]
    result = _analyse(plan, width_m, door_min_m)
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[key] = (plan, result)
    return result


def _analyse(plan: Plan, width_m: float, door_min_m: float) -> Analysis:
    import shapely.ops
    from shapely.ops import unary_union

    from .. import routes as R

    ents = R.entrances(plan)
    ent_idx = [plan.openings.index(e) for e in ents]
    if not plan.counters:
        return Analysis({}, [], ent_idx, "access.route.no-counters")
    if not ents:
        return Analysis({}, [], ent_idx, "access.route.no-entrance")
    fronts = R.counter_fronts(plan)
    floors: dict[int, R.Floor] = {}
    out = []
    for storey in sorted({c.storey for c in plan.counters}):
        f = R.floor_of(plan, storey)
        st_ents = [e for e in ents if e.storey == storey]
        if f is None or not st_ents:
            continue
        floors[storey] = f
        space = R.passable_at(f, width_m, door_min_m)
        grid = R.build_grid(f, width_m, door_min_m)
        doors_ok = unary_union([z for d, z in zip(f.doors, f.door_zones) if d.clear_width_m >= door_min_m - 1e-6])
        footprint = next(s.footprint for s in plan.storeys if s.index == storey)
        starts = [(plan.openings.index(e), R.inside_point(e, footprint, width_m / 2 + 0.3)) for e in st_ents]
        for ci, c in enumerate(plan.counters):
            if c.storey != storey:
                continue
            front = fronts[ci]
            if front.edge.is_empty or front.edge.length == 0:
                continue  # a counter drawn as a point has no side to stand at (counter.depth reports its size)
            target = R.approach_region(front, c, width_m)
            best = None
            for ei, start in starts:
                reachable = R.connected(space, start, target)
                route = (R.find_route(grid, start, target, width_m, reachable, doors_ok) if grid is not None
                         else R.Route(reachable, [], None, None))
                cr = CounterRoute(ci, front.edge, route, ei)
                if not reachable:
                    cr.width_m, pinch, cr.blocked = R.bottleneck(f, start, target, width_m, door_min_m)
                    if pinch is not None and not pinch.is_empty:
                        # a blocked approach is marked in front of this counter, a pinch elsewhere where it
                        # is; either way on the drawn route, where the reader looks for it
                        mid = front.edge.interpolate(0.5, normalized=True)
                        p = shapely.ops.nearest_points(pinch, mid)[0] if cr.blocked else pinch.representative_point()
                        cr.at = R.on_route(route.path, p) if route.path else (p.x, p.y)
                        q = pinch.representative_point()
                        cr.pinch = (round(q.x, 2), round(q.y, 2))
                rank = (reachable, cr.width_m or 0.0, route.narrowest_m or 0.0)
                if best is None or rank > best[0]:
                    best = (rank, cr)
            out.append(best[1])
    return Analysis(floors, out, ent_idx, None if out else "access.route.no-floor")


def simplified(a: Analysis, storey: int | None) -> dict[str, Any]:
    """``{"floor_simplified": {"storey", "tolerance_cm"}}`` for a result's details when the routes of that
    storey were found on a simplified floor (routes.erodable), else nothing. :func:`layoutcheck.rules.run`
    turns these into one ``drawing.routes-simplified`` warning per storey, naming the tolerance."""
    f = a.floors.get(storey if storey is not None else 0)
    if f is None or not f.simplified_m:
        return {}
    return {"floor_simplified": {"storey": f.storey, "tolerance_cm": _cm(f.simplified_m)}}


def _cm(m: float) -> float | int:
    cm = round(m * 100, 1)
    return int(cm) if cm == int(cm) else cm


COMMON_ACCESS = (
    Param("width_m", "number", "param.access.common_access.width_m", required=True, min=0.5, max=5),
    Param("crowded", "bool", "param.access.common_access.crowded"),
    Param("crowded_width_m", "number", "param.access.common_access.crowded_width_m", min=0.5, max=5),
    Param("door_min_m", "number", "param.access.common_access.door_min_m", min=0.5, max=3),
    Param("renovation_door_min_m", "number", "param.access.common_access.renovation_door_min_m",
          min=0.5, max=3),
)


def _width(params: dict[str, Any]) -> float:
    if params.get("crowded"):
        return float(params.get("crowded_width_m", 1.80))
    return float(params["width_m"])


@rule(
    "access.route",
    params=COMMON_ACCESS,
)
def access_route(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    clause, w = params["clause"], _width(params)
    door_min = _door_min(params, project)
    a = analyse(plan, w, door_min)
    if a.problem:
        return [Result("access.route", "n/a", clause, a.problem, required={"min": w}, unit="m")]
    out: list[Result] = []
    narrow: dict[tuple, Result] = {}  # one finding per pinch, however many counters lie beyond it
    for cr in a.routes:
        c = plan.counters[cr.counter]
        label = f"#{cr.counter + 1}"
        r = cr.route
        details = {"counter": cr.counter + 1, "route": [list(p) for p in r.path],
                   "front_side": [list(p) for p in cr.side.coords],
                   "entrance": list(plan.openings[cr.entrance].axis.centroid.coords[0]) if cr.entrance is not None else None,
                   **simplified(a, c.storey)}  # found on a floor simplified this much: the widths are to within it
        if r.reachable:
            # the exact test (the eroded floor) proved the route at least w wide; the grid's reading of
            # the narrowest point can only undershoot it near the ends, never overrule the proof
            narrowest = max(r.narrowest_m or w, w)
            out.append(Result("access.route", "pass", clause, "access.route.pass",
                              {"counter": label, "narrowest": narrowest, "width": w},
                              narrowest, {"min": w}, "m", [], details))
        elif not cr.width_m or cr.at is None:
            p = c.footprint.centroid
            out.append(Result("access.route", "fail", clause, "access.route.fail-closed", {"counter": label},
                              0.0, {"min": w}, "m", [[p.x, p.y]], details, storey=c.storey))
        elif cr.blocked:
            x, y = cr.at
            out.append(Result("access.route", "fail", clause, "access.route.blocked",
                              {"counter": label, "narrowest": cr.width_m, "width": w, "x": x, "y": y},
                              cr.width_m, {"min": w}, "m", [[x, y]], {**details, "blocked": True},
                              storey=c.storey))
        else:
            x, y = cr.at
            key = (c.storey, round(cr.width_m, 2), cr.pinch)
            same = narrow.get(key)
            if same is not None:  # the same pinch keeps another counter from the entrance
                same.details["counters"].append(cr.counter + 1)
                same.details["routes"].append(details["route"])
                same.args["counter"] = _counters_label(same.details["counters"])
                continue
            res = Result("access.route", "fail", clause, "access.route.fail",
                         {"counter": label, "narrowest": cr.width_m, "width": w, "x": x, "y": y},
                         cr.width_m, {"min": w}, "m", [[x, y]],
                         {**details, "counters": [cr.counter + 1], "routes": [details["route"]]}, storey=c.storey)
            narrow[key] = res
            out.append(res)
    return out


def _counters_label(ns: list[int]) -> Join:
    """#1、#2、#3 (#1, #2, #3) — the counters one finding is about, numbered as everywhere else (and on the
    overlay), joined with the language's list separator."""
    return Join(f"#{n}" for n in sorted(ns))


def _door_min(params: dict[str, Any], project: Project) -> float:
    """The narrowest door a route may pass: door_min_m, or renovation_door_min_m for an existing building
    being altered (project file: renovation = true)."""
    lo = float(params.get("door_min_m", 0.90))
    if getattr(project, "renovation", False) and params.get("renovation_door_min_m") is not None:
        lo = min(lo, float(params["renovation_door_min_m"]))
    return lo


@rule(
    "access.door-width",
    params=(Param("min_m", "number", "param.access.door-width.min_m", required=True, min=0.5, max=3),
            Param("automatic_min_m", "number", "param.access.door-width.automatic_min_m", min=0.5, max=3),
            Param("renovation_min_m", "number", "param.access.door-width.renovation_min_m", min=0.5, max=3),
            *COMMON_ACCESS[1:3]),
)
def access_door_width(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    from shapely.geometry import LineString
    from shapely.ops import unary_union

    clause = params["clause"]
    lo = float(params["min_m"])
    renovating = bool(getattr(project, "renovation", False)) and params.get("renovation_min_m") is not None
    if renovating:  # an existing building being altered: GB 55019 lets its doors be 800 mm
        lo = min(lo, float(params["renovation_min_m"]))
    auto_lo = float(params.get("automatic_min_m", 1.0))
    route_w = float(params.get("crowded_width_m", 1.8)) if params.get("crowded") else 1.2
    a = analyse(plan, route_w, lo)
    on_route = set(a.entrances)
    lines = [LineString(cr.route.path) for cr in a.routes if len(cr.route.path) >= 2]
    if lines:
        path = unary_union(lines)
        for i, o in enumerate(plan.openings):
            if o.kind == "door" and o.axis.buffer(0.3, cap_style="flat").intersects(path):
                on_route.add(i)
    if not on_route:
        return [Result("access.door-width", "n/a", clause, "access.door-width.none")]
    out = []
    for i in sorted(on_route):
        o = plan.openings[i]
        need = auto_lo if o.automatic else lo
        c = o.axis.centroid
        what = Msg("access.door.entrance" if i in a.entrances else "access.door.route")
        if REVOLVING.search(o.block):
            out.append(Result("access.door-width", "fail", clause, "access.door-width.revolving", {"block": o.block},
                              o.clear_width_mm, {"min": need * 1000}, "mm", [[c.x, c.y]], storey=o.storey))
        elif o.clear_width_m < need - 1e-6:
            out.append(Result("access.door-width", "fail", clause, "access.door-width.fail",
                              {"what": what, "block": o.block, "measured": o.clear_width_mm,
                               "min": need * 1000, "x": c.x, "y": c.y},
                              o.clear_width_mm, {"min": need * 1000}, "mm", [[c.x, c.y]],
                              {"door": o.block, "entrance": i in a.entrances, **simplified(a, o.storey)},
                              storey=o.storey))
    if not out:
        narrowest = min(plan.openings[i].clear_width_mm for i in on_route)
        out.append(Result("access.door-width", "pass", clause, "access.door-width.pass",
                          {"n": len(on_route), "narrowest": narrowest}, narrowest, {"min": lo * 1000}, "mm",
                          details=next((simplified(a, s) for s in sorted(a.floors) if simplified(a, s)), {})))
    return out


@rule(
    "access.turning-space",
    params=(Param("diameter_m", "number", "param.access.turning-space.diameter_m", required=True, min=0.5, max=5),
            Param("low_height_min_mm", "number", "param.access.turning-space.low_height_min_mm", min=300, max=1500),
            Param("low_height_max_mm", "number", "param.access.turning-space.low_height_max_mm", min=300, max=1500),
            Param("route_width_m", "number", "param.access.turning-space.route_width_m", min=0.5, max=5),
            Param("door_min_m", "number", "param.access.turning-space.door_min_m", min=0.5, max=3),
            Param("renovation_door_min_m", "number", "param.access.turning-space.renovation_door_min_m", min=0.5, max=3)),
)
def access_turning_space(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    from .. import routes as R

    clause, d = params["clause"], float(params["diameter_m"])
    if not plan.counters:
        return [Result("access.turning-space", "n/a", clause, "access.turning-space.none")]
    which = low_counters(plan, float(params.get("low_height_min_mm", 700)), float(params.get("low_height_max_mm", 850)))
    which = which or list(range(len(plan.counters)))
    fronts = R.counter_fronts(plan)
    route = analyse(plan, float(params.get("route_width_m", 1.20)), _door_min(params, project))
    blocked = {cr.counter for cr in route.routes if cr.blocked}
    out = []
    for i in which:
        c = plan.counters[i]
        f = R.floor_of(plan, c.storey)
        if f is None:
            continue
        side = fronts[i].edge
        if side.is_empty or side.length == 0:
            continue  # a counter block drawn as a point has no side to stand at (counter.depth reports its size)
        best, at = _largest_circle(f, c, side, d)
        label = f"#{i + 1}"
        if best + 1e-3 >= d:
            out.append(Result("access.turning-space", "pass", clause, "access.turning-space.pass",
                              {"counter": label, "d": d}, best, {"min": d}, "m", [], {"counter": i + 1}))
        elif i in blocked:  # one problem, one mark: access.route shows where the approach is blocked
            out.append(Result("access.turning-space", "fail", clause, "access.turning-space.blocked",
                              {"counter": label, "measured": best, "d": d}, best, {"min": d}, "m", [],
                              {"counter": i + 1, "see": "access.route"}, storey=c.storey))
        else:
            out.append(Result("access.turning-space", "fail", clause, "access.turning-space.fail",
                              {"counter": label, "measured": best, "d": d, "x": at[0], "y": at[1]},
                              best, {"min": d}, "m", [[at[0], at[1]]], {"counter": i + 1}, storey=c.storey))
    return out or [Result("access.turning-space", "n/a", clause, "access.turning-space.none")]


def _largest_circle(f: R.Floor, c, side: LineString, d: float) -> tuple[float, tuple[float, float]]:
    """Largest clear circle (diameter, centre) in the strip d deep in front of the counter's public side."""
    import numpy as np
    import shapely
    from shapely.geometry import Polygon

    centre = c.footprint.centroid
    mid = side.interpolate(0.5, normalized=True)
    (ax, ay), (bx, by) = side.coords[0], side.coords[-1]
    ux, uy = (bx - ax) / side.length, (by - ay) / side.length
    nx_, ny_ = -uy, ux
    if (mid.x - centre.x) * nx_ + (mid.y - centre.y) * ny_ < 0:
        nx_, ny_ = -nx_, -ny_  # the normal that points away from the counter
    ext, depth = d / 2, d + 0.05
    front = Polygon([(ax - ux * ext, ay - uy * ext), (bx + ux * ext, by + uy * ext),
                     (bx + ux * ext + nx_ * depth, by + uy * ext + ny_ * depth),
                     (ax - ux * ext + nx_ * depth, ay - uy * ext + ny_ * depth)])
    region = f.free.intersection(front)
    if region.is_empty:
        return 0.0, (mid.x, mid.y)
    parts = [p for p in getattr(region, "geoms", [region]) if isinstance(p, Polygon) and p.area > 0]
    best, at = 0.0, (mid.x, mid.y)
    for part in parts:
        mic = shapely.maximum_inscribed_circle(part, 0.01)  # centre → nearest boundary point
        (px, py), (qx, qy) = mic.coords[0], mic.coords[-1]
        dia = 2 * float(np.hypot(qx - px, qy - py))
        if dia > best:
            best, at = dia, (px, py)
    return min(best, d), at


def _outward_normal(door, footprint) -> tuple[float, float]:
    """The unit normal of a door's axis that points out of the building."""
    from shapely.geometry import Point

    (ax, ay), (bx, by) = door.axis.coords[0], door.axis.coords[-1]
    n = door.axis.length or 1.0
    nx_, ny_ = -(by - ay) / n, (bx - ax) / n
    c = door.axis.centroid
    if footprint.contains(Point(c.x + nx_ * 0.6, c.y + ny_ * 0.6)):
        nx_, ny_ = -nx_, -ny_
    return nx_, ny_


APPROACH_REACH_M = 3.0  # a ramp or platform this close outside an entrance door serves it


def platform_depth(door, poly: Polygon, normal: tuple[float, float]) -> float:
    """A platform's depth square to the door: its extent along the door's outward normal (the rule's
    reading of 平台净深度 — from the outer wall face, where the drawn platform starts, to its far edge;
    a door leaf opening outwards over it is not taken off, as the plan seldom says how far it swings)."""
    import numpy as np

    c = door.axis.centroid
    xy = np.asarray(poly.exterior.coords)
    d = (xy[:, 0] - c.x) * normal[0] + (xy[:, 1] - c.y) * normal[1]
    return float(d.max() - max(d.min(), 0.0)) if d.max() > 0 else 0.0


def ramp_width(poly: Polygon) -> float:
    """A ramp's clear width: the short side of its minimum rotated rectangle (shapely)."""
    import numpy as np

    rect = poly.minimum_rotated_rectangle
    xy = list(rect.exterior.coords)
    if len(xy) < 4:
        return 0.0
    return float(min(np.hypot(xy[1][0] - xy[0][0], xy[1][1] - xy[0][1]), np.hypot(xy[2][0] - xy[1][0], xy[2][1] - xy[1][1])))


@rule(
    "access.entrance",
    params=(Param("door_min_m", "number", "param.access.entrance.door_min_m", required=True, min=0.5, max=3),
            Param("automatic_min_m", "number", "param.access.entrance.automatic_min_m", min=0.5, max=3),
            Param("renovation_min_m", "number", "param.access.entrance.renovation_min_m", min=0.5, max=3),
            Param("platform_depth_m", "number", "param.access.entrance.platform_depth_m", min=0.5, max=10),
            Param("ramp_width_m", "number", "param.access.entrance.ramp_width_m", min=0.5, max=10),
            Param("ramp_slope_max", "number", "param.access.entrance.ramp_slope_max", min=0.001, max=1)),
)
def access_entrance(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    from .. import routes as R

    clause = params["clause"]
    lo = float(params["door_min_m"])
    if getattr(project, "renovation", False) and params.get("renovation_min_m") is not None:
        lo = min(lo, float(params["renovation_min_m"]))
    auto_lo = float(params.get("automatic_min_m", 1.0))
    ents = R.entrances(plan)
    if not ents:
        return [Result("access.entrance", "n/a", clause, "access.entrance.none")]
    good = [o for o in ents
            if not REVOLVING.search(o.block) and o.clear_width_m >= (auto_lo if o.automatic else lo) - 1e-6]
    if not good:
        return [Result("access.entrance", "fail", clause, "access.entrance.narrow", {"n": len(ents)},
                       max(o.clear_width_mm for o in ents), {"min": lo * 1000}, "mm",
                       details={"see": "access.door-width"})]
    out: list[Result] = []
    ok_doors = []
    for door in good:
        st = next((s for s in plan.storeys if s.index == door.storey), None)
        if st is None or st.footprint.is_empty:
            ok_doors.append((door, []))
            continue
        normal = _outward_normal(door, st.footprint)
        reach = door.axis.buffer(APPROACH_REACH_M)
        near = [a for a in plan.approaches if a.storey == door.storey and a.polygon.intersects(reach)
                and not st.footprint.buffer(-0.05).contains(a.polygon.representative_point())]
        problems, notes = [], []
        args = {"door": door.block}
        for a in near:
            p = a.polygon.representative_point()
            if a.kind == "platform" and params.get("platform_depth_m"):
                need = float(params["platform_depth_m"])
                depth = platform_depth(door, a.polygon, normal)
                if depth + 1e-3 < need:
                    problems.append(Result("access.entrance", "fail", clause, "access.entrance.platform",
                                           {**args, "measured": depth, "min": need}, depth, {"min": need}, "m",
                                           [[p.x, p.y]], {"door": door.block}, storey=a.storey))
                else:
                    notes.append(Msg("access.entrance.note-platform", depth=depth))
            elif a.kind == "ramp":
                if params.get("ramp_width_m"):
                    need = float(params["ramp_width_m"])
                    width = ramp_width(a.polygon)
                    if width + 1e-3 < need:
                        problems.append(Result("access.entrance", "fail", clause, "access.entrance.ramp-width",
                                               {**args, "measured": width, "min": need}, width, {"min": need}, "m",
                                               [[p.x, p.y]], {"door": door.block}, storey=a.storey))
                    else:
                        notes.append(Msg("access.entrance.note-ramp", width=width))
                if params.get("ramp_slope_max"):
                    need = float(params["ramp_slope_max"])
                    if a.slope is None:
                        problems.append(Result("access.entrance", "n/a", clause, "access.entrance.ramp-unknown",
                                               args, None, {"max": need}, None, [[p.x, p.y]], storey=a.storey))
                    elif a.slope > need * (1 + 1e-3):  # 1:12 stored as 0.0833333 is 1:12
                        problems.append(Result("access.entrance", "fail", clause, "access.entrance.ramp-slope",
                                               {**args, "run": 1 / a.slope, "need": 1 / need}, a.slope,
                                               {"max": need}, None, [[p.x, p.y]], {"door": door.block},
                                               storey=a.storey))
                    else:
                        notes.append(Msg("access.entrance.note-slope", run=1 / a.slope))
        if any(r.status == "fail" for r in problems):
            out += problems
        else:
            ok_doors.append((door, notes))
            out += problems  # n/a notes (a ramp without a slope label) stay
    if ok_doors:
        door, notes = max(ok_doors, key=lambda dn: dn[0].clear_width_m)
        out = [r for r in out if r.status != "fail"] + [Result(
            "access.entrance", "pass", clause, "access.entrance.pass",
            {"door": door.block, "width": door.clear_width_mm, "extra": Join((Msg("access.entrance.note", note=n) for n in notes), sep=None)},
            door.clear_width_mm, {"min": lo * 1000}, "mm", details={"door": door.block})]
    return out
