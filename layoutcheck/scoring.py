"""Acceptance scoring (验收评分, e.g. Yongzhou's 100-point table): which points a plan earns, which it
loses and which the reviewer must still confirm, so a plan's score is a range with a grade range.

A standard's ``[scoring]`` section lists items with points. An item tied to rule ids loses points for
their failures — ``deduct`` per failing result, ``per_missing`` per missing unit (a result's
``details.shortfall``: missing counters, staff, equipment), the whole item otherwise — and keeps at
stake what their n/a results could cost. An item with no rules is entirely “to confirm”.
"""

from __future__ import annotations

from typing import Any

from .rules.base import KINDS, Param, Result

GRADE_FIELDS = (
    Param("name", "string", "等级名称，如 优秀", required=True),
    Param("name_en", "string", "English name"),
    Param("above", "number", "得分高于此数（不含）为该等级；最低一级不填"),
)
ITEM_FIELDS = (
    Param("id", "string", "评分项标识，如 hardware.premises", required=True),
    Param("name", "string", "评分项名称，如 办公场所", required=True),
    Param("name_en", "string", "English name"),
    Param("group", "string", "考核指标，如 硬件条件"),
    Param("points", "number", "分值", required=True, min=0),
    Param("clause", "string", "评分标准原文出处", required=True),
    Param("rules", "strings", "据以扣分的规则 id；不填则整项需核实"),
    Param("items", "strings", "只计这些设施/业务/事项的缺项（规则结果 details.shortfall 的名称）"),
    Param("deduct", "number", "每个不通过的结果扣分", min=0),
    Param("per_missing", "number", "每缺 1 个（柜台、人员、设施）扣分", min=0),
    Param("confirm_points", "number", "本项中图纸无法判断、总需核实的分值（如布局合理、挂牌上岗）", min=0),
    Param("note", "string", "需核实什么"),
)
SECTION = {
    "title": Param("title", "string", "评分表名称"),
    "title_en": Param("title_en", "string", "English title"),
    "clause": Param("clause", "string", "评分表与等级的出处", required=True),
    "scale": Param("scale", "number", "满分", required=True, min=1),
    "kinds": Param("kinds", "strings", "适用的设施类型", choices=KINDS),
    "grades": Param("grades", "tables", "等级及分数线", required=True, fields=GRADE_FIELDS),
    "items": Param("items", "tables", "评分项", required=True, fields=ITEM_FIELDS),
}


def grade(grades: list[dict[str, Any]], score: float, lang: str) -> str | None:
    """The grade of ``score``: the highest whose threshold it exceeds, else the one with no threshold."""
    ranked = sorted(grades, key=lambda g: g.get("above", float("-inf")), reverse=True)
    for g in ranked:
        if "above" not in g or score > g["above"]:
            return g["name"] if lang == "zh" else g.get("name_en", g["name"])
    return None


def _loss(item: dict[str, Any], r: Result) -> float:
    short = r.details.get("shortfall") if r.details else None
    units = None
    if isinstance(short, dict):
        units = sum(n for k, n in short.items() if not item.get("items") or k in item["items"])
    if item.get("per_missing") is not None and units is not None:
        return item["per_missing"] * units + item.get("deduct", 0)
    if item.get("deduct") is not None:
        return item["deduct"]
    return item["points"]


def _relevant(item: dict[str, Any], r: Result) -> bool:
    """A result counts for an item unless the item picks names and the result's shortfall has none of them."""
    short = r.details.get("shortfall") if r.details else None
    if not item.get("items") or not isinstance(short, dict) or r.status == "pass":
        return True
    return any(k in item["items"] for k in short)


def score(section: dict[str, Any], results: list[Result], lang: str = "zh") -> dict[str, Any]:
    """The score object of the JSON report: certain points, points to confirm, range and grade range."""
    zh = lang == "zh"
    items, earned, lost, open_ = [], 0.0, 0.0, 0.0
    for it in section["items"]:
        p = float(it["points"])
        rs = [r for r in results if r.rule in it.get("rules", [])]
        if not rs:  # nothing in the plan decides it
            got, gone, tbc = 0.0, 0.0, p
        else:
            rs = [r for r in rs if _relevant(it, r)]
            certain = sum(_loss(it, r) for r in rs if r.status == "fail")
            maybe = sum(_loss(it, r) for r in rs if r.status == "n/a") + it.get("confirm_points", 0)
            gone = min(p, certain)
            tbc = min(p - gone, maybe)
            got = p - gone - tbc
        earned, lost, open_ = earned + got, lost + gone, open_ + tbc
        items.append({
            "id": it["id"], "name": it["name"] if zh else it.get("name_en", it["name"]), "group": it.get("group"),
            "points": p, "earned": _r(got), "lost": _r(gone), "to_confirm": _r(tbc), "rules": list(it.get("rules", [])),
            "status": "to-confirm" if tbc == p else ("partial" if tbc else "checked"),
            "clause": it["clause"], "note": it.get("note"),
        })
    lo, hi = earned, earned + open_
    return {
        "title": section.get("title") if zh else section.get("title_en", section.get("title")),
        "clause": section["clause"], "scale": float(section["scale"]),
        "earned": _r(earned), "lost": _r(lost), "to_confirm": _r(open_),
        "checked_points": sum(i["points"] for i in items if i["rules"]),
        "range": {"min": _r(lo), "max": _r(hi)},
        "grade": {"min": grade(section["grades"], lo, lang), "max": grade(section["grades"], hi, lang)},
        "grades": [{"name": g["name"] if zh else g.get("name_en", g["name"]), "above": g.get("above")}
                   for g in section["grades"]],
        "items": items,
    }


def _r(x: float) -> float:
    return round(x, 2) + 0.0  # no -0.0 in the report
