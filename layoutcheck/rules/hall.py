"""Service-hall rules: its share of the usable area and its minimum size."""

from __future__ import annotations

from typing import Any

from ..measure import Metrics
from ..model import Plan
from ..classify import ROOM_TYPES
from .base import Param, Project, Result, rule
from .rooms import type_names


def _hall_where(plan: Plan) -> list[list[float]]:
    return [[p.x, p.y] for p in (r.polygon.representative_point() for r in plan.rooms if r.type == "hall")]


@rule(
    "hall.share",
    params=(
        Param("target", "number", "param.hall.share.target", min=0, max=1),
        Param("share_min", "number", "param.hall.share.share_min", required=True, min=0, max=1),
        Param("share_max", "number", "param.hall.share.share_max", required=True, min=0, max=1),
    ),
)
def hall_share(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    clause = params["clause"]
    lo, hi = float(params["share_min"]), float(params["share_max"])
    target = float(params.get("target", (lo + hi) / 2))
    required = {"min": lo, "max": hi, "target": target}
    if metrics.hall_area_m2 <= 0 or not metrics.usable_area_m2:
        # No hall: the share is unknown, not 0 % (rooms.required fails the missing hall itself).
        return [Result("hall.share", "n/a", clause, "hall.share.no-hall", required=required, unit="ratio")]
    share = metrics.hall_area_m2 / metrics.usable_area_m2
    args = {"hall": metrics.hall_area_m2, "usable": metrics.usable_area_m2, "share": share,
            "lo": lo, "hi": hi, "target": target}
    details = {"hall_area_m2": metrics.hall_area_m2, "usable_area_m2": metrics.usable_area_m2}
    if share < lo:
        # hall area h such that (h) / (usable - hall + h) = lo
        others = metrics.usable_area_m2 - metrics.hall_area_m2
        need = lo * others / (1 - lo) - metrics.hall_area_m2 if lo < 1 else float("inf")
        return [Result("hall.share", "fail", clause, "hall.share.low", {**args, "need": need},
                       share, required, "ratio", _hall_where(plan), details)]
    if share > hi:
        return [Result("hall.share", "fail", clause, "hall.share.high", args,
                       share, required, "ratio", _hall_where(plan), details)]
    return [Result("hall.share", "pass", clause, "hall.share.pass", args, share, required, "ratio", [], details)]


@rule(
    "hall.minimum",
    params=(Param("min_m2", "number", "param.hall.minimum.min_m2", required=True, min=0),
            Param("max_m2", "number", "param.hall.minimum.max_m2", min=0),
            Param("types", "strings", "param.hall.minimum.types", choices=ROOM_TYPES)),
)
def hall_minimum(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    clause, lo = params["clause"], float(params["min_m2"])
    hi = params.get("max_m2")
    types = tuple(params.get("types", ["hall"]))
    rooms = [r for r in plan.rooms if r.type in types]
    a = sum(r.area_m2 for r in rooms)
    required = {"min": lo} if hi is None else {"min": lo, "max": float(hi)}
    where = [[p.x, p.y] for p in (r.polygon.representative_point() for r in rooms)]
    if a <= 0:
        return [Result("hall.minimum", "fail" if plan.rooms else "n/a", clause, "hall.minimum.no-hall",
                       {"types": type_names(types)}, 0.0, required, "m2",
                       details={"absent": True})]
    rng = f"≥ {lo:g} m²" if hi is None else f"{lo:g}–{float(hi):g} m²"
    args = {"measured": a, "min": lo, "max": hi, "range": rng}
    if a < lo:
        return [Result("hall.minimum", "fail", clause, "hall.minimum.fail", {**args, "short": lo - a},
                       a, required, "m2", where)]
    if hi is not None and a > hi:
        return [Result("hall.minimum", "fail", clause, "hall.minimum.high", {**args, "over": a - hi},
                       a, required, "m2", where)]
    return [Result("hall.minimum", "pass", clause, "hall.minimum.pass", args, a, required, "m2")]
