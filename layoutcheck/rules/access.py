"""Barrier-free rules (GB 55019-2021): a wide-enough route from the entrance to every counter, door
widths on it, and turning space at the low counter. The geometry is in :mod:`layoutcheck.routes`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


COMMON_ACCESS = (
    Param("width_m", "number", "无障碍通道净宽 (m)，GB 55019 2.2.2 为 1.20", required=True, min=0.5, max=5),
    Param("crowded", "bool", "人员密集场所：通道净宽取 crowded_width_m"),
    Param("crowded_width_m", "number", "人员密集场所通道净宽 (m)，GB 55019 2.2.2 为 1.80", min=0.5, max=5),
    Param("door_min_m", "number", "通道上门的净宽下限 (m)，用于判断门本身是否可通过，默认 0.90", min=0.5, max=3),
    Param("renovation_door_min_m", "number", "既有建筑改造（项目文件 renovation = true）时门的净宽下限 (m)，GB 55019 为 0.80",
          min=0.5, max=3),
)


def _width(params: dict[str, Any]) -> float:
    if params.get("crowded"):
        return float(params.get("crowded_width_m", 1.80))
    return float(params["width_m"])


@rule(
    "access.route",
    title={"zh": "无障碍通行路线", "en": "Accessible route to every counter"},
    what={
        "zh": "从入口（外墙上的门；附近有“入口/主入口/ENTRANCE”字样的优先）到每个柜台的群众一侧，须有净宽不小于 width_m "
              "（人员密集场所 crowded_width_m）的通行路线，绕开墙、柱、柜台、家具。净宽达到 door_min_m（既有建筑改造时 "
              "renovation_door_min_m）的门视为可通过，门本身由 access.door-width 检查。群众一侧取柜台图块属性 SIDE=FRONT"
              "（图块局部 −Y 边）或 SIDE=BACK（+Y 边）；没有属性时按图面推断（朝向入口、等候座椅、大厅开敞处，背向工作人员座椅和办公室），"
              "并给出 drawing.counter-front-inferred 警告。轮椅停靠区只在群众一侧，柜台后面工作人员一侧的空地从不计入。"
              "能否到达由腐蚀后的地面精确判断；到不了时，用二分法求出能到达的最宽轮椅（因此报告的最窄净宽总小于要求），"
              "并找出卡住它的位置，标在画出的路线上：位置在柜台正前方时报告“柜台前方被遮挡”，否则报告路线最窄处；"
              "同一处卡住几个柜台只报告一次，列出所有柜台。",
        "en": "From the entrance (a door in an external wall; one near an 入口/ENTRANCE label is preferred) to the "
              "public side of every counter there must be a route at least width_m wide (crowded_width_m in crowded "
              "places) around walls, columns, counters and furniture. Doors at least door_min_m wide "
              "(renovation_door_min_m for an existing building being altered) count as passable; access.door-width "
              "checks them. The public side is the block's local −Y edge with SIDE=FRONT (+Y with SIDE=BACK); without "
              "the attribute it is inferred (facing the entrance, the waiting seats and the open hall, away from "
              "staff chairs and offices) and drawing.counter-front-inferred says so. A wheelchair stops on the public "
              "side only: the staff strip behind a counter never counts. Reachability is exact (the eroded floor); "
              "when a counter cannot be reached, bisection finds the widest wheelchair that can (so the narrowest "
              "width reported is always below the requirement) and where it pinches, marked on the drawn route: "
              "right in front of the counter it is reported as a blocked approach, elsewhere as the route's "
              "narrowest point; one pinch that keeps several counters out is one finding naming them all.",
    },
    why={
        "zh": "GB 55019-2021 第 2.2.2 条：无障碍通道净宽不应小于 1.20 m，人员密集的公共场所不应小于 1.80 m；开封 第二十二条要求设立无障碍设施并确保畅通。",
        "en": "GB 55019-2021 2.2.2: an accessible passage is at least 1.20 m clear, 1.80 m in crowded public places; "
              "Kaifeng art. 22 requires barrier-free facilities kept unobstructed.",
    },
    fail_example="a bench narrows the only aisle to the counters to 0.90 m → fail: narrowest 0.90 m < 1.20 m at (x, y)",
    pass_example="1.8 m aisle from the entrance to every counter → pass, narrowest 1.80 m",
    params=COMMON_ACCESS,
    messages={
        "access.route.pass": {
            "zh": "柜台 {counter} 可无障碍到达，路线最窄处净宽 {narrowest:.2f} m（≥ {width:.2f} m）",
            "en": "counter {counter} is reachable; the narrowest point of the route is {narrowest:.2f} m (≥ {width:.2f} m)"},
        "access.route.fail": {
            "zh": "柜台 {counter} 无法无障碍到达：最佳路线最窄处净宽 {narrowest:.2f} m，小于 {width:.2f} m（位置 {x:.2f}, {y:.2f}）",
            "en": "counter {counter} cannot be reached: the best route narrows to {narrowest:.2f} m, less than "
                  "{width:.2f} m (at {x:.2f}, {y:.2f})"},
        "access.route.blocked": {
            "zh": "柜台 {counter} 前方被遮挡：柜台前最窄处净宽 {narrowest:.2f} m，小于 {width:.2f} m，轮椅无法靠近柜台（位置 {x:.2f}, {y:.2f}）",
            "en": "the approach to counter {counter} is blocked: {narrowest:.2f} m clear in front of it, less than "
                  "{width:.2f} m, so a wheelchair cannot reach it (at {x:.2f}, {y:.2f})"},
        "access.route.fail-closed": {
            "zh": "柜台 {counter} 无法从入口到达（没有连通的通行空间）",
            "en": "counter {counter} cannot be reached from the entrance at all (no connected floor)"},
        "access.route.no-counters": {"zh": "图纸中没有柜台，无法检查通行路线", "en": "no counters, so no routes to check"},
        "access.route.no-entrance": {
            "zh": "没有找到入口（外墙上的门图块）；请在外墙上插入门图块，或在入口处标注“入口”",
            "en": "no entrance found (a door block in an external wall); insert the door or label it 入口"},
        "access.route.no-floor": {
            "zh": "图纸缺少墙体或入口与柜台不在同一层，无法分析通行路线",
            "en": "routes cannot be analysed: no walls, or the entrance and the counters are on different storeys"},
    },
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
                   "entrance": list(plan.openings[cr.entrance].axis.centroid.coords[0]) if cr.entrance is not None else None}
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


def _counters_label(ns: list[int]) -> str:
    """#1、#2、#3 — the counters one finding is about, numbered as everywhere else (and on the overlay)."""
    return "、".join(f"#{n}" for n in sorted(ns))


def _door_min(params: dict[str, Any], project: Project) -> float:
    """The narrowest door a route may pass: door_min_m, or renovation_door_min_m for an existing building
    being altered (project file: renovation = true)."""
    lo = float(params.get("door_min_m", 0.90))
    if getattr(project, "renovation", False) and params.get("renovation_door_min_m") is not None:
        lo = min(lo, float(params["renovation_door_min_m"]))
    return lo


@rule(
    "access.door-width",
    title={"zh": "无障碍通行门净宽", "en": "Door clear width on accessible routes"},
    what={
        "zh": "入口门和无障碍路线经过的门，净宽（从门图块几何量出）不小于 min_m；自动门不小于 automatic_min_m；路线上不得设旋转门。"
              "自动门由图块名（AUTO / 自动 / 感应）识别。",
        "en": "Entrance doors and doors the accessible routes pass are at least min_m clear (measured from the door "
              "block); automatic doors (block named AUTO / 自动 / 感应) automatic_min_m; no revolving doors on the route.",
    },
    why={
        "zh": "GB 55019-2021 第 2.5.4 条：平开门、推拉门等的通行净宽不应小于 900 mm；2.5.5 条：自动门不应小于 1.00 m；2.5.2 条：不应采用旋转门。",
        "en": "GB 55019-2021 2.5.4: swing and sliding doors at least 900 mm clear; 2.5.5: automatic doors 1.00 m; "
              "2.5.2: no revolving doors on an accessible route.",
    },
    fail_example="entrance door M0821 (800 mm) → fail: 800 mm < 900 mm at the entrance",
    pass_example="entrance door M1021 (1000 mm), internal doors M1021 → pass",
    params=(Param("min_m", "number", "门净宽下限 (m)，GB 55019 2.5.4 为 0.90", required=True, min=0.5, max=3),
            Param("automatic_min_m", "number", "自动门净宽下限 (m)，GB 55019 2.5.5 为 1.00", min=0.5, max=3),
            Param("renovation_min_m", "number", "既有建筑改造或改建（项目文件 renovation = true）时平开门、推拉门净宽下限 (m)，"
                  "GB 55019 为 0.80", min=0.5, max=3),
            *COMMON_ACCESS[1:3]),
    messages={
        "access.door-width.pass": {"zh": "入口及路线上的 {n} 樘门净宽均满足要求（最窄 {narrowest:.0f} mm）",
                                   "en": "all {n} entrance and route doors are wide enough (narrowest {narrowest:.0f} mm)"},
        "access.door-width.fail": {
            "zh": "{what}“{block}”净宽 {measured:.0f} mm，应不小于 {min:.0f} mm（位置 {x:.2f}, {y:.2f}）",
            "en": "{what_en} “{block}” is {measured:.0f} mm clear; at least {min:.0f} mm needed (at {x:.2f}, {y:.2f})"},
        "access.door-width.revolving": {"zh": "无障碍路线上设有旋转门“{block}”", "en": "revolving door “{block}” on the accessible route"},
        "access.door-width.none": {"zh": "没有找到入口门", "en": "no entrance door found"},
    },
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
        what = ("入口门" if i in a.entrances else "路线上的门", "entrance door" if i in a.entrances else "door on the route")
        if REVOLVING.search(o.block):
            out.append(Result("access.door-width", "fail", clause, "access.door-width.revolving", {"block": o.block},
                              o.clear_width_mm, {"min": need * 1000}, "mm", [[c.x, c.y]], storey=o.storey))
        elif o.clear_width_m < need - 1e-6:
            out.append(Result("access.door-width", "fail", clause, "access.door-width.fail",
                              {"what": what[0], "what_en": what[1], "block": o.block, "measured": o.clear_width_mm,
                               "min": need * 1000, "x": c.x, "y": c.y},
                              o.clear_width_mm, {"min": need * 1000}, "mm", [[c.x, c.y]],
                              {"door": o.block, "entrance": i in a.entrances}, storey=o.storey))
    if not out:
        narrowest = min(plan.openings[i].clear_width_mm for i in on_route)
        out.append(Result("access.door-width", "pass", clause, "access.door-width.pass",
                          {"n": len(on_route), "narrowest": narrowest}, narrowest, {"min": lo * 1000}, "mm"))
    return out


@rule(
    "access.turning-space",
    title={"zh": "轮椅回转空间", "en": "Wheelchair turning space"},
    what={
        "zh": "低位服务柜台（无低位柜台时为每个柜台）客户一侧前方能放下直径 diameter_m 的轮椅回转圆，圆内不得有墙、柱、家具。",
        "en": "In front of the public side of the low counter (of every counter when none is marked low) a circle "
              "of diameter_m fits clear of walls, columns and furniture.",
    },
    why={
        "zh": "GB 55019-2021 第 3.6.3 条：低位服务设施前应有轮椅回转空间（直径不小于 1.50 m 的圆形空间）。",
        "en": "GB 55019-2021 3.6.3: a wheelchair turning space (a circle at least 1.50 m across) in front of the low "
              "service counter.",
    },
    fail_example="seats placed 1.0 m in front of the low counter → fail: largest circle 1.00 m < 1.50 m",
    pass_example="3 m of open floor in front of the counter → pass",
    params=(Param("diameter_m", "number", "回转圆直径 (m)，GB 55019 为 1.50", required=True, min=0.5, max=5),
            Param("low_height_min_mm", "number", "低位柜台高度下限 (mm)，默认 700", min=300, max=1500),
            Param("low_height_max_mm", "number", "低位柜台高度上限 (mm)，默认 850", min=300, max=1500),
            Param("route_width_m", "number", "判断柜台前方是否被遮挡时的通道净宽 (m)，默认 1.20", min=0.5, max=5),
            Param("door_min_m", "number", "通道上门的净宽下限 (m)，默认 0.90", min=0.5, max=3),
            Param("renovation_door_min_m", "number", "既有建筑改造时门的净宽下限 (m)", min=0.5, max=3)),
    messages={
        "access.turning-space.pass": {"zh": "柜台 {counter} 前可放下直径 {d:.2f} m 的回转圆",
                                      "en": "a {d:.2f} m turning circle fits in front of counter {counter}"},
        "access.turning-space.fail": {
            "zh": "柜台 {counter} 前最大只能放下直径 {measured:.2f} m 的圆，小于 {d:.2f} m（位置 {x:.2f}, {y:.2f}）",
            "en": "in front of counter {counter} the largest clear circle is {measured:.2f} m, less than {d:.2f} m "
                  "(at {x:.2f}, {y:.2f})"},
        "access.turning-space.blocked": {
            "zh": "柜台 {counter} 前最大只能放下直径 {measured:.2f} m 的圆，小于 {d:.2f} m：柜台前方被遮挡（位置见 access.route）",
            "en": "in front of counter {counter} the largest clear circle is {measured:.2f} m, less than {d:.2f} m: "
                  "its approach is blocked (marked under access.route)"},
        "access.turning-space.none": {"zh": "图纸中没有柜台", "en": "no counters"},
    },
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
    title={"zh": "无障碍出入口", "en": "Accessible entrance"},
    what={
        "zh": "至少有一个无障碍出入口：入口门（标注“入口/主入口”的外门；没有标注时为外墙上的门）中至少一樘净宽达到 access.door-width 的要求"
              "（平开门 door_min_m，自动门 automatic_min_m；项目文件 renovation = true 的既有建筑改造为 renovation_min_m），且不是旋转门。"
              "图中画出入口平台（PLATFORM / 入口平台 图层上的闭合轮廓）时，其从门所在墙线向外的进深不小于 platform_depth_m；画出坡道"
              "（RAMP / 坡道 图层）时，坡道净宽（最小外接矩形短边）不小于 ramp_width_m，坡度（坡道上或 1.5 m 内的标注，如 1:12、i=1/12、8%）"
              "不大于 ramp_slope_max。未画平台、坡道的，只检查门；坡道未标坡度的，坡度“无法判断”。入口门净宽不足的位置由 access.door-width 标出，"
              "本规则不重复标注。",
        "en": "At least one accessible entrance: among the entrance doors (external doors labelled 入口/主入口, or "
              "every door in an external wall when none is labelled) at least one is as wide as access.door-width "
              "asks (door_min_m; automatic_min_m for automatic doors; renovation_min_m for an existing building "
              "being altered, renovation = true in the project file) and not revolving. When the plan draws an "
              "entrance platform (a closed outline on a PLATFORM / 入口平台 layer) it reaches at least "
              "platform_depth_m out from the door's wall line; a ramp (RAMP / 坡道 layer) is at least ramp_width_m "
              "wide (its minimum rotated rectangle's short side) and no steeper than ramp_slope_max (from a label "
              "on it or within 1.5 m: 1:12, i=1/12, 8%). Nothing drawn, nothing checked beyond the door; a ramp "
              "with no slope label is n/a for its slope. A narrow entrance door is marked by access.door-width, "
              "not again here.",
    },
    why={
        "zh": "GB 55019-2021 第 2.4.1 条（无障碍出入口的三种类型）、第 2.4.2 条（出入口平台净深度，1.50 m 取自 GB 50763-2012 "
              "第 3.3.2 条的同义条文，属二手出处）、第 2.3.1 条（轮椅坡道纵向坡度不应大于 1:12）、第 2.3.2 条（坡道通行净宽 1.20 m，"
              "二手出处）、第 2.5.4 条（新建和扩建建筑的门净宽不应小于 900 mm；既有建筑改造或改建 800 mm 为二手出处）。"
              "条号与出处见 README “GB 55019-2021 条款与来源”。",
        "en": "GB 55019-2021 2.4.1 (the three kinds of accessible entrance), 2.4.2 (entrance platform depth; the 1.50 m "
              "figure is GB 50763-2012 3.3.2's, a secondary source), 2.3.1 (ramps no steeper than 1:12), 2.3.2 (ramp "
              "clear width 1.20 m, secondary source), 2.5.4 (doors of new and extended buildings ≥ 900 mm; 800 mm for "
              "existing buildings altered, secondary source). Clauses and sources: README.",
    },
    fail_example="entrance platform drawn 1.20 m deep in front of the M1521 entrance → fail: 1.20 m < 1.50 m",
    pass_example="M1521 entrance labelled 入口, platform 1.80 m deep, ramp 1.50 m wide at 1:12 → pass",
    params=(Param("door_min_m", "number", "入口门净宽下限 (m)，GB 55019 为 0.90", required=True, min=0.5, max=3),
            Param("automatic_min_m", "number", "自动门净宽下限 (m)，GB 55019 为 1.00", min=0.5, max=3),
            Param("renovation_min_m", "number", "既有建筑改造或改建时门净宽下限 (m)，GB 55019 为 0.80", min=0.5, max=3),
            Param("platform_depth_m", "number", "入口平台净深度下限 (m)，GB 55019 为 1.50", min=0.5, max=10),
            Param("ramp_width_m", "number", "轮椅坡道净宽下限 (m)，GB 55019 为 1.20", min=0.5, max=10),
            Param("ramp_slope_max", "number", "轮椅坡道最大坡度（高/长），GB 55019 为 1/12 ≈ 0.0833", min=0.001, max=1)),
    messages={
        "access.entrance.pass": {
            "zh": "无障碍出入口：{door}（净宽 {width:.0f} mm）{extra}",
            "en": "accessible entrance: {door} ({width:.0f} mm clear){extra_en}"},
        "access.entrance.none": {
            "zh": "图中没有找到入口门（外墙上的门），无法确认无障碍出入口；请插入入口门图块并标注“入口”",
            "en": "no entrance door (a door in an external wall) found, so an accessible entrance cannot be "
                  "confirmed; insert the door block and label it 入口"},
        "access.entrance.narrow": {
            "zh": "没有无障碍出入口：入口门（{n} 樘）均不满足净宽要求或为旋转门（位置见 access.door-width）",
            "en": "no accessible entrance: none of the {n} entrance doors is wide enough or they revolve "
                  "(marked under access.door-width)"},
        "access.entrance.platform": {
            "zh": "入口 {door} 前的平台进深 {measured:.2f} m，小于 {min:.2f} m",
            "en": "the platform in front of entrance {door} is {measured:.2f} m deep, less than {min:.2f} m"},
        "access.entrance.ramp-width": {
            "zh": "入口 {door} 的坡道净宽 {measured:.2f} m，小于 {min:.2f} m",
            "en": "the ramp to entrance {door} is {measured:.2f} m wide, less than {min:.2f} m"},
        "access.entrance.ramp-slope": {
            "zh": "入口 {door} 的坡道坡度 1:{run:.1f}，陡于 1:{need:.0f}",
            "en": "the ramp to entrance {door} slopes 1:{run:.1f}, steeper than 1:{need:.0f}"},
        "access.entrance.ramp-unknown": {
            "zh": "入口 {door} 的坡道没有坡度标注（如 1:12），坡度无法检查",
            "en": "the ramp to entrance {door} has no slope label (such as 1:12); its slope cannot be checked"},
    },
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
                    notes.append(("平台进深 %.2f m" % depth, "platform %.2f m deep" % depth))
            elif a.kind == "ramp":
                if params.get("ramp_width_m"):
                    need = float(params["ramp_width_m"])
                    width = ramp_width(a.polygon)
                    if width + 1e-3 < need:
                        problems.append(Result("access.entrance", "fail", clause, "access.entrance.ramp-width",
                                               {**args, "measured": width, "min": need}, width, {"min": need}, "m",
                                               [[p.x, p.y]], {"door": door.block}, storey=a.storey))
                    else:
                        notes.append(("坡道净宽 %.2f m" % width, "ramp %.2f m wide" % width))
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
                        notes.append(("坡度 1:%.0f" % (1 / a.slope), "slope 1:%.0f" % (1 / a.slope)))
        if any(r.status == "fail" for r in problems):
            out += problems
        else:
            ok_doors.append((door, notes))
            out += problems  # n/a notes (a ramp without a slope label) stay
    if ok_doors:
        door, notes = max(ok_doors, key=lambda dn: dn[0].clear_width_m)
        out = [r for r in out if r.status != "fail"] + [Result(
            "access.entrance", "pass", clause, "access.entrance.pass",
            {"door": door.block, "width": door.clear_width_mm, "extra": "".join("，" + z for z, _ in notes),
             "extra_en": "".join(", " + e for _, e in notes)},
            door.clear_width_mm, {"min": lo * 1000}, "mm", details={"door": door.block})]
    return out
