"""Area rules: the building area a facility of its tier may have (建筑面积)."""

from __future__ import annotations

from typing import Any

from ..classify import ROOM_SYNONYMS, ROOM_TYPES, ZONE_SYNONYMS
from ..measure import Metrics
from ..model import Plan
from .base import Param, Project, Result, rule
from ..i18n import Join, Msg, named
from .zones import ZONE_TYPES

TIER_FIELDS = (
    Param("id", "string", "param.area.tier_fields.id"),
    Param("name", "string", "param.area.tier_fields.name", required=True),
    Param("name_en", "string", "param.area.tier_fields.name_en"),
    Param("population_over", "integer", "param.area.tier_fields.population_over", min=0),
    Param("population_upto", "integer", "param.area.tier_fields.population_upto", min=0),
    Param("area_min_m2", "number", "param.area.tier_fields.area_min_m2", required=True, min=0),
    Param("area_max_m2", "number", "param.area.tier_fields.area_max_m2", required=True, min=0),
)


def tier_id(tiers: list[dict[str, Any]], tier: dict[str, Any]) -> str:
    """A tier's stable id: its ``id`` in the standard file, else tier-N by its place in the list."""
    return tier.get("id") or f"tier-{tiers.index(tier) + 1}"


def select_tier(tiers: list[dict[str, Any]], population: int) -> dict[str, Any] | None:
    """The tier whose population range holds ``population`` (over: exclusive, upto: inclusive)."""
    for t in tiers:
        lo, hi = t.get("population_over"), t.get("population_upto")
        if (lo is None or population > lo) and (hi is None or population <= hi):
            return t
    return None


# Drawing problems that make a measured area meaningless: a unit that gives a 3 m building, walls that are
# TArch objects nobody can read, no rooms at all. An area rule then cannot be judged (n/a), never failed.
UNRELIABLE = ("drawing.units-suspect", "drawing.proxy-entities", "drawing.no-rooms")


def unreliable(plan: Plan) -> str | None:
    """The drawing.* finding that makes the plan's areas unmeasurable, if any."""
    return next((f.rule for f in plan.findings if f.rule in UNRELIABLE), None)


@rule(
    "area.tier",
    params=(
        Param("tiers", "tables", "param.area.tier.tiers", required=True, fields=TIER_FIELDS),
        Param("allowance", "number", "param.area.tier.allowance", min=0, max=2),
        Param("allowance_population", "integer", "param.area.tier.allowance_population", min=0),
    ),
)
def area_tier(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    clause = params["clause"]
    if (why := unreliable(plan)) is not None:
        return [Result("area.tier", "n/a", clause, "area.unreliable", {"rule": why, "measured": metrics.gross_area_m2},
                       measured=metrics.gross_area_m2, unit="m2")]
    if project.population is None:
        return [Result("area.tier", "n/a", clause, "area.tier.no-population",
                       measured=metrics.gross_area_m2, unit="m2")]
    tier = select_tier(params["tiers"], project.population)
    if tier is None:
        return [Result("area.tier", "n/a", clause, "area.tier.no-tier", {"population": project.population})]
    if metrics.gross_area_m2 <= 0:
        return [Result("area.tier", "n/a", clause, "area.tier.no-area")]
    lo, hi = float(tier["area_min_m2"]), float(tier["area_max_m2"])
    allowance = float(params.get("allowance", 0.0))
    if project.approved_increase:
        hi = hi * (1 + allowance)
    a = metrics.gross_area_m2
    args = {"tier": named(tier), "lo": lo, "hi": hi, "measured": a}
    # tier: the standard's own name for it (the report's contract); tier_id: the stable key
    details = {"tier": tier["name"], "tier_id": tier_id(params["tiers"], tier), "tier_en": tier.get("name_en"),
               "population": project.population,
               "approved_increase": project.approved_increase}
    where = _outline_where(plan)
    required = {"min": lo, "max": hi}
    if a < lo:
        return [Result("area.tier", "fail", clause, "area.tier.low", {**args, "short": lo - a},
                       a, required, "m2", where, details)]
    if a > hi:
        hint: Msg | str = ""
        big = params.get("allowance_population")
        if not project.approved_increase and allowance and (big is None or project.population > big):
            hint = Msg("area.tier.hint-increase", max=hi * (1 + allowance))
        return [Result("area.tier", "fail", clause, "area.tier.high",
                       {**args, "over": a - hi, "hint": hint},
                       a, required, "m2", where, details)]
    return [Result("area.tier", "pass", clause, "area.tier.pass", args, a, required, "m2", [], details)]


@rule(
    "area.minimum",
    params=(
        Param("min_m2", "number", "param.area.minimum.min_m2", required=True, min=0),
        Param("measure", "string", "param.area.minimum.measure",
              choices=("gross", "usable", *ROOM_TYPES)),
        Param("include_zones", "strings", "param.area.minimum.include_zones",
              choices=ZONE_TYPES),
    ),
)
def area_minimum(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    measure = params.get("measure", "gross")
    if (why := unreliable(plan)) is not None:
        return [Result("area.minimum", "n/a", params["clause"], "area.unreliable",
                       {"rule": why, "measured": metrics.gross_area_m2}, measured=metrics.gross_area_m2, unit="m2")]
    zones = params.get("include_zones", [])
    lo = float(params["min_m2"])
    if measure == "gross":
        a, what, where = metrics.gross_area_m2, Msg("area.what.gross"), _outline_where(plan)
    elif measure == "usable":
        a, what, where = metrics.usable_area_m2, Msg("area.what.usable"), _outline_where(plan)
    else:  # one room type (and outlined zones): the space the document sets aside for one service
        parts = [r.polygon for r in plan.rooms if r.type == measure]
        parts += [z.geometry for z in plan.zones if z.type in zones and z.area_m2]
        a = sum(g.area for g in parts)
        what = Msg("area.what.room", room=Msg(f"room_type.{measure}"))
        where = [[p.x, p.y] for p in (g.representative_point() for g in parts)]
        if not parts:
            examples = Join(ROOM_SYNONYMS.get(measure, ())[:2] + _zone_examples(zones))
            return [Result("area.minimum", "fail", params["clause"], "area.minimum.none",
                           {"what": Msg(f"room_type.{measure}"),
                            "examples": examples, "min": lo}, 0.0, {"min": lo}, "m2", _outline_where(plan),
                           {"measure": measure})]
    args = {"what": what, "measured": a, "min": lo}
    details = {"measure": measure}
    if a < lo:
        return [Result("area.minimum", "fail", params["clause"], "area.minimum.fail", {**args, "short": lo - a},
                       a, {"min": lo}, "m2", where, details)]
    return [Result("area.minimum", "pass", params["clause"], "area.minimum.pass", args, a, {"min": lo}, "m2",
                   [], details)]


def _zone_examples(zones: list[str]) -> tuple[str, ...]:
    return tuple(ZONE_SYNONYMS[z][0] for z in zones)


def _outline_where(plan: Plan) -> list[list[float]]:
    """Mark an area finding on each storey's outline (its upper-left corner), where the overlay
    draws the measured outline: the whole building is what is too small or too large."""
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    out = []
    for s in plan.storeys:
        if not s.footprint.is_empty:
            x0, _, _, y1 = s.footprint.bounds
            p = nearest_points(s.footprint.boundary, Point(x0, y1))[0]
            out.append([p.x, p.y])
    return out
