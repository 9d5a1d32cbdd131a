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
    title={"zh": "档案室封闭", "en": "Archive room enclosed"},
    what={
        "zh": "档案室的四周须由墙、门或窗封闭：房间轮廓上没有被墙体、柱、门窗覆盖（容差 tolerance_m）且长于 min_gap_m 的段落，"
              "逐段报告长度和位置；档案室没有门也报告。",
        "en": "The archive's outline must be closed by walls, columns, doors or windows: every stretch of the outline "
              "not covered (within tolerance_m) and longer than min_gap_m is reported with its length and location; "
              "an archive without a door is reported too.",
    },
    why={
        "zh": "开封 第十七条(三)：档案室用来存放、查询档案资料，应采用封闭结构，保证档案安全；开敞的“档案区”不满足要求。",
        "en": "Kaifeng art. 17(3): the archive stores records and must be an enclosed structure to keep them safe; "
              "an open 'archive corner' does not qualify.",
    },
    fail_example="archive with a 1.5 m opening to the hall and no door → fail: open stretch 1.50 m at (x, y)",
    pass_example="archive closed by walls with a 1.0 m door (M1021) → pass",
    params=(Param("tolerance_m", "number", "墙面与房间轮廓之间允许的绘图误差 (m)，默认 0.05", min=0, max=0.5),
            Param("min_gap_m", "number", "报告的最小开口长度 (m)，默认 0.10", min=0, max=5),
            Param("require_door", "bool", "档案室须有门，默认 true")),
    messages={
        "archive.enclosed.pass": {"zh": "档案室“{name}”四周封闭，有门 {doors} 樘",
                                  "en": "archive “{name}” is enclosed, with {doors} door(s)"},
        "archive.enclosed.gap": {
            "zh": "档案室“{name}”轮廓有 {length:.2f} m 未被墙、门或窗封闭（位置 {x:.2f}, {y:.2f}），应采用封闭结构",
            "en": "archive “{name}” is open for {length:.2f} m of its outline (at {x:.2f}, {y:.2f}); it must be enclosed"},
        "archive.enclosed.no-door": {"zh": "档案室“{name}”没有门", "en": "archive “{name}” has no door"},
        "archive.enclosed.none": {"zh": "图纸中没有档案室，无法检查封闭性", "en": "no archive room, nothing to check"},
    },
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
                                   {"name": room.name, "doors": len(doors)}, 0.0, {"max": 0.0}, "m")]
    return out
