"""Equipment a plan can show (display screen, notice board, seats …), found by block name or label.

A floor plan need not show loose equipment (README: evidence model), so an item the plan does not
show is n/a “confirm on site or from the equipment list”, never a failure of the drawing; an item
drawn passes. A reviewer's confirmation (--review) turns the n/a into pass or fail. Only an item set
``confirm = false`` (something the standard wants drawn) fails when absent.
"""

from __future__ import annotations

import re
from typing import Any

from ..i18n import Join, named
from ..measure import Metrics
from ..model import Plan
from .base import Param, Project, Result, rule
from .hall import _hall_where

ITEM_FIELDS = (
    Param("name", "string", "param.equipment.item_fields.name", required=True),
    Param("name_en", "string", "param.equipment.item_fields.name_en"),
    Param("keywords", "strings", "param.equipment.item_fields.keywords", required=True),
    Param("min", "integer", "param.equipment.item_fields.min", min=1),
    Param("confirm", "bool", "param.equipment.item_fields.confirm"),
    Param("force", "string", "param.equipment.item_fields.force", choices=("must", "soft", "score")),
)


def find_item(plan: Plan, keywords: list[str]) -> list[list[float]]:
    """Where the plan shows an item: furniture or counter blocks named so, else labels saying so."""
    rx = re.compile("|".join(_word(k) for k in keywords), re.IGNORECASE)
    blocks = [f.footprint.centroid for f in plan.furniture if rx.search(f.block) or rx.search(f.layer)]
    blocks += [c.footprint.centroid for c in plan.counters if rx.search(c.block)]
    found = blocks or [lb.point for lb in plan.labels if rx.search(lb.text)]
    return [[p.x, p.y] for p in found]


def _word(k: str) -> str:
    """Short Latin keywords match whole words only: “LED” is a screen, “TILED” is not."""
    w = re.escape(k)
    return rf"(?<![A-Za-z]){w}(?![A-Za-z])" if k.isascii() and len(k) <= 3 else w


def _names(items: list[dict[str, Any]], empty: str | None = None) -> Join:
    return Join((named(i) for i in items), empty=empty)


@rule(
    "equipment.required",
    params=(Param("items", "tables", "param.equipment.required.items", required=True, fields=ITEM_FIELDS),
            Param("confirm", "bool", "param.equipment.required.confirm")),
)
def equipment_required(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    clause = params["clause"]
    found, hard, soft, counts = [], [], [], {}
    for item in params["items"]:
        where = find_item(plan, item["keywords"])
        counts[item["name"]] = len(where)
        if len(where) >= item.get("min", 1):
            found.append(item)
        elif item.get("confirm", params.get("confirm", True)):
            soft.append(item)
        else:
            hard.append(item)
    names = [i["name"] for i in params["items"]]
    english = {i["name"]: i["name_en"] for i in params["items"] if i.get("name_en")}  # the standard's own English
    args = {"found": _names(found, empty="word.none")}
    out = []
    for status, key, missing in (("fail", "equipment.required.fail", hard),
                                 ("n/a", "equipment.required.confirm", soft)):
        if missing:
            short = {i["name"]: i.get("min", 1) - counts[i["name"]] for i in missing}
            out.append(Result("equipment.required", status, clause, key,
                              {**args, "missing": _names(missing),
                               "hint": missing[0]["keywords"][0]},
                              [i["name"] for i in found], {"required": names}, None,
                              _hall_where(plan) if status == "fail" else [],
                              {"found": counts, "shortfall": short,
                               "name_en": english}))
    item_force = {i["name"]: i["force"] for i in params["items"] if "force" in i}
    for r in out:
        if item_force:  # what a confirmed absence of each item becomes (review.py)
            r.details["item_force"] = item_force
    return out or [Result("equipment.required", "pass", clause, "equipment.required.pass", args,
                          [i["name"] for i in found], {"required": names}, None, [],
                          {"found": counts, "name_en": english})]
