"""Archive room: an enclosed room (封闭结构) with a door."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..measure import Metrics
from ..model import Plan, Room
from .base import Param, Project, Result, rule

if TYPE_CHECKING:
    from shapely.geometry import LineString

DOOR_REACH_M = 0.45  # a door whose gap lies this close to the room's outline opens into the room


def open_stretches(room: Room, plan: Plan, tol_m: float) -> list[LineString]:
    """Stretches of the room's outline not closed by a wall, column, door or window (within tol_m)."""
    from shapely.geometry import LineString, MultiLineString
    from shapely.ops import linemerge, unary_union

    st = next((s for s in plan.storeys if s.index == room.storey), None)
    closers = list(st.walls) + list(st.columns) if st is not None else []
    closers += [o.gap if o.gap is not None else o.axis.buffer(0.05) for o in plan.openings if o.storey == room.storey]
    if not closers:
        return [LineString(room.polygon.exterior.coords)]
    closed = unary_union(closers).buffer(tol_m)
    rest = room.polygon.exterior.difference(closed)
    if rest.is_empty:
        return []
    merged = linemerge(rest) if isinstance(rest, MultiLineString) else rest
    lines = list(getattr(merged, "geoms", [merged]))
    return [ln for ln in lines if isinstance(ln, LineString)]


def _extended(line: LineString, d: float) -> list[list[float]]:
    """The line's points with each end pushed ``d`` further along its end segment (to undo the closers' buffer)."""
    pts = [list(c[:2]) for c in line.coords]
    for end, prev in ((0, 1), (-1, -2)):
        (x0, y0), (x1, y1) = pts[prev], pts[end]
        n = math.hypot(x1 - x0, y1 - y0)
        if n > 0:
            pts[end] = [x1 + (x1 - x0) / n * d, y1 + (y1 - y0) / n * d]
    return pts


def doors_of(room: Room, plan: Plan) -> list[int]:
    edge = room.polygon.exterior
    return [i for i, o in enumerate(plan.openings)
            if o.kind == "door" and o.storey == room.storey and o.axis.centroid.distance(edge) <= DOOR_REACH_M]


@rule(
    "archive.enclosed",
    params=(Param("tolerance_m", "number", "param.archive.enclosed.tolerance_m", min=0, max=0.5),
            Param("min_gap_m", "number", "param.archive.enclosed.min_gap_m", min=0, max=5),
            Param("require_door", "bool", "param.archive.enclosed.require_door")),
)
def archive_enclosed(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    clause = params["clause"]
    tol = float(params.get("tolerance_m", 0.05))
    min_gap = float(params.get("min_gap_m", 0.10))
    archives = [r for r in plan.rooms if r.type == "archive"]
    if not archives:
        return [Result("archive.enclosed", "n/a", clause, "archive.enclosed.none")]
    out = []
    for room in archives:
        problems = []
        for seg in open_stretches(room, plan, tol):
            # the buffered closers shave tol off each end of a real gap; add it back
            length = seg.length + 2 * tol
            if length < min_gap:
                continue
            mid = seg.interpolate(0.5, normalized=True)
            problems.append(Result("archive.enclosed", "fail", clause, "archive.enclosed.gap",
                                   {"name": room.name, "length": length, "x": mid.x, "y": mid.y},
                                   length, {"max": 0.0}, "m", [[mid.x, mid.y]],
                                   {"room": room.name, "gap": _extended(seg, tol)}, storey=room.storey))
        doors = doors_of(room, plan)
        if not doors and params.get("require_door", True):
            c = room.polygon.representative_point()
            problems.append(Result("archive.enclosed", "fail", clause, "archive.enclosed.no-door", {"name": room.name},
                                   0, {"min": 1}, "door", [[c.x, c.y]], {"room": room.name}, storey=room.storey))
        out += problems or [Result("archive.enclosed", "pass", clause, "archive.enclosed.pass",
                                   {"name": room.name, "doors": len(doors), "n": len(doors)}, 0.0, {"max": 0.0}, "m")]
    return out
