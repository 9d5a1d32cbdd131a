"""Area rules: the building area a facility of its tier may have (建筑面积)."""

from __future__ import annotations

from typing import Any

from ..classify import ROOM_SYNONYMS, ROOM_TYPES, ZONE_SYNONYMS
from ..measure import Metrics
from ..model import Plan
from .base import Param, Project, Result, rule
from .rooms import type_name
from .zones import ZONE_TYPES

TIER_FIELDS = (
    Param("name", "string", "类别名称，如 一类", required=True),
    Param("name_en", "string", "English name, e.g. tier 1"),
    Param("population_over", "integer", "常住人口大于此数（不含）", min=0),
    Param("population_upto", "integer", "常住人口不超过此数（含）", min=0),
    Param("area_min_m2", "number", "建筑面积下限 (m²)", required=True, min=0),
    Param("area_max_m2", "number", "建筑面积上限 (m²)", required=True, min=0),
)


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
    title={"zh": "分类建筑面积", "en": "Building area for the tier"},
    what={
        "zh": "按辖区常住人口确定服务所类别（一类/二类/三类），检查建筑面积是否在该类别的面积范围内。"
              "经批准增加面积时（--approved-increase），上限放宽为原上限的 (1 + allowance) 倍。",
        "en": "Finds the station's tier from the resident population (--population) and checks that the gross "
              "building area lies within the tier's range. With an approved increase (--approved-increase) the "
              "upper limit becomes (1 + allowance) × the tier's upper limit.",
    },
    why={
        "zh": "建设标准按服务人口核定建设规模；面积过小无法满足服务功能，超标建设不予审批（可研评审的首要指标）。",
        "en": "The standard sizes a facility by the population it serves: too small cannot hold the services, "
              "too large will not be approved. It is the first figure a feasibility-report reviewer checks.",
    },
    fail_example="population 30,000 (二类, 100–150 m²), gross area 92.4 m² → fail: 92.4 < 100",
    pass_example="population 30,000 (二类, 100–150 m²), gross area 125.3 m² → pass",
    params=(
        Param("tiers", "tables", "各类别的人口范围与建筑面积范围", required=True, fields=TIER_FIELDS),
        Param("allowance", "number", "经批准可增加的比例（上限的倍数增量），开封为 0.5", min=0, max=2),
        Param("allowance_population", "integer", "常住人口超过此数时提示可申报增加面积", min=0),
    ),
    messages={
        "area.tier.pass": {
            "zh": "{tier}服务所建筑面积 {measured:.1f} m²，在 {lo:.0f}–{hi:.0f} m² 范围内",
            "en": "gross area {measured:.1f} m² is within {lo:.0f}–{hi:.0f} m² for a {tier_en} station",
        },
        "area.tier.low": {
            "zh": "{tier}服务所建筑面积应为 {lo:.0f}–{hi:.0f} m²，实测 {measured:.1f} m²，少 {short:.1f} m²",
            "en": "a {tier_en} station needs {lo:.0f}–{hi:.0f} m² gross; measured {measured:.1f} m², "
                  "{short:.1f} m² short",
        },
        "area.tier.high": {
            "zh": "{tier}服务所建筑面积上限 {hi:.0f} m²，实测 {measured:.1f} m²，超出 {over:.1f} m²{hint}",
            "en": "a {tier_en} station may have at most {hi:.0f} m² gross; measured {measured:.1f} m², "
                  "{over:.1f} m² over{hint_en}",
        },
        "area.tier.no-population": {
            "zh": "未给出辖区常住人口，无法确定类别；请用 --population 给出",
            "en": "no resident population given, so the tier is unknown; pass --population",
        },
        "area.tier.no-tier": {
            "zh": "常住人口 {population} 不在任何类别范围内，请核对标准文件的 tiers",
            "en": "population {population} falls in no tier; check the standard's tiers",
        },
        "area.unreliable": {
            "zh": "图纸的面积无法可靠量取（见 {rule}），实测 {measured:.2f} m² 仅供参考，不作判断；请按该条提示修正图纸后再检查",
            "en": "the drawing's areas cannot be measured reliably (see {rule}): the {measured:.2f} m² measured is "
                  "shown for reference only and not judged; correct the drawing as that finding says and check again",
        },
        "area.tier.no-area": {
            "zh": "图纸中无法量出建筑面积（没有墙体或房间）",
            "en": "the gross area cannot be measured (no walls or rooms in the drawing)",
        },
    },
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
    args = {"tier": tier["name"], "tier_en": tier.get("name_en", tier["name"]), "lo": lo, "hi": hi, "measured": a}
    details = {"tier": tier["name"], "population": project.population,
               "approved_increase": project.approved_increase}
    where = _outline_where(plan)
    required = {"min": lo, "max": hi}
    if a < lo:
        return [Result("area.tier", "fail", clause, "area.tier.low", {**args, "short": lo - a},
                       a, required, "m2", where, details)]
    if a > hi:
        hint = hint_en = ""
        big = params.get("allowance_population")
        if not project.approved_increase and allowance and (big is None or project.population > big):
            hint = f"；经申报批准可增加至 {hi * (1 + allowance):.0f} m²（--approved-increase）"
            hint_en = f"; an approved increase allows up to {hi * (1 + allowance):.0f} m² (--approved-increase)"
        return [Result("area.tier", "fail", clause, "area.tier.high",
                       {**args, "over": a - hi, "hint": hint, "hint_en": hint_en},
                       a, required, "m2", where, details)]
    return [Result("area.tier", "pass", clause, "area.tier.pass", args, a, required, "m2", [], details)]


@rule(
    "area.minimum",
    title={"zh": "最小面积", "en": "Minimum area"},
    what={
        "zh": "检查面积不小于标准规定的下限。measure 指定比较哪种面积：gross 建筑面积（默认）、usable 使用面积，"
              "或某类用房使用面积之和（如 employment：名称含“就业服务”的房间，安徽要求乡镇不少于 100 m²）；"
              "include_zones 列出的功能区若在大厅内画出轮廓，其面积也计入。",
        "en": "Checks that an area is at least the standard's minimum. `measure` picks the area: gross (default), "
              "usable, or the usable area of one room type (e.g. employment: rooms named 就业服务…, Anhui asks "
              "100 m² for a township); outlined zones of the types in include_zones count too.",
    },
    why={
        "zh": "面积下限保证服务场所能容纳窗口、等候与档案等基本功能（开封社区服务站 50 m²、广东乡镇 300 m²、安徽就业服务专门场地 100/30 m²）。",
        "en": "The minimum keeps room for the counters, waiting and archive a facility must hold (Kaifeng "
              "community 50 m², Guangdong township 300 m², Anhui employment space 100 / 30 m²).",
    },
    fail_example="community station, gross area 42.0 m², min_m2 = 50 → fail: 8.0 m² short",
    pass_example="community station, gross area 63.5 m², min_m2 = 50 → pass",
    params=(
        Param("min_m2", "number", "面积下限 (m²)", required=True, min=0),
        Param("measure", "string", "比较的面积：gross（建筑面积，默认）、usable（使用面积）或一种用房类型",
              choices=("gross", "usable", *ROOM_TYPES)),
        Param("include_zones", "strings", "一并计入的功能区类型（大厅内画出轮廓的分区），如 employment_zone",
              choices=ZONE_TYPES),
    ),
    messages={
        "area.minimum.pass": {
            "zh": "{what}{measured:.1f} m²，不小于 {min:.0f} m²",
            "en": "{what_en} {measured:.1f} m² is at least {min:.0f} m²",
        },
        "area.minimum.fail": {
            "zh": "{what}应不小于 {min:.0f} m²，实测 {measured:.1f} m²，少 {short:.1f} m²",
            "en": "{what_en} must be at least {min:.0f} m²; measured {measured:.1f} m², {short:.1f} m² short",
        },
        "area.minimum.none": {
            "zh": "图纸中没有{what}（房间或分区名称如 {examples}），应不少于 {min:.0f} m²",
            "en": "the drawing shows no {what_en} (a room or zone named e.g. {examples}); at least {min:.0f} m² needed",
        },
    },
)
def area_minimum(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    measure = params.get("measure", "gross")
    if (why := unreliable(plan)) is not None:
        return [Result("area.minimum", "n/a", params["clause"], "area.unreliable",
                       {"rule": why, "measured": metrics.gross_area_m2}, measured=metrics.gross_area_m2, unit="m2")]
    zones = params.get("include_zones", [])
    lo = float(params["min_m2"])
    if measure == "gross":
        a, what, what_en, where = metrics.gross_area_m2, "建筑面积", "gross area", _outline_where(plan)
    elif measure == "usable":
        a, what, what_en, where = metrics.usable_area_m2, "使用面积", "usable area", _outline_where(plan)
    else:  # one room type (and outlined zones): the space the document sets aside for one service
        parts = [r.polygon for r in plan.rooms if r.type == measure]
        parts += [z.geometry for z in plan.zones if z.type in zones and z.area_m2]
        a = sum(g.area for g in parts)
        what, what_en = type_name(measure, "zh") + "面积", type_name(measure, "en") + " area"
        where = [[p.x, p.y] for p in (g.representative_point() for g in parts)]
        if not parts:
            examples = "、".join(ROOM_SYNONYMS.get(measure, ())[:2] + _zone_examples(zones))
            return [Result("area.minimum", "fail", params["clause"], "area.minimum.none",
                           {"what": type_name(measure, "zh"), "what_en": type_name(measure, "en"),
                            "examples": examples, "min": lo}, 0.0, {"min": lo}, "m2", _outline_where(plan),
                           {"measure": measure})]
    args = {"what": what, "what_en": what_en, "measured": a, "min": lo}
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
