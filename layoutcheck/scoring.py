"""Acceptance scoring (验收评分, e.g. Yongzhou's 100-point table): which points a plan earns, which it
loses and which the reviewer must still confirm, so a plan's score is a range with a grade range.

A standard's ``[scoring]`` section lists items with points. An item tied to rule ids loses points for
their failures — ``deduct`` per failing result, ``per_missing`` per missing unit (a result's
``details.shortfall``: missing counters, staff, equipment), the whole item otherwise — and keeps at
stake what their n/a results could cost. An item with no rules is entirely “to confirm”.

A rule's fail demoted to a warning because the source makes it a points item (``force = "score"``)
still costs its points. ``absent_points`` caps an item whose subject the plan lacks altogether
(Yongzhou: “未建立服务大厅，但……设立‘社会救助申请受理’窗口的，记7分”); ``served_per_staff`` scores
staffing from the project's population and staff (“按每万人口配备1名专职工作人员……记3分，否则按所差人数
占应配人数的比例扣分”). A reviewer's ``score`` confirmations (--review) settle an item's open points.

Verdict and grade never contradict (:func:`settle`): a requirement with force that fails makes the
plan fail and caps the grade at the lowest one; a plan whose best possible score is in the lowest
grade fails too.
"""

from __future__ import annotations

import math

from typing import Any

from .i18n import name
from .rules.base import KINDS, Param, Result

GRADE_FIELDS = (
    Param("name", "string", "param.scoring.grade_fields.name", required=True),
    Param("name_en", "string", "param.scoring.grade_fields.name_en"),
    Param("above", "number", "param.scoring.grade_fields.above"),
)
ITEM_FIELDS = (
    Param("id", "string", "param.scoring.item_fields.id", required=True),
    Param("name", "string", "param.scoring.item_fields.name", required=True),
    Param("name_en", "string", "param.scoring.item_fields.name_en"),
    Param("group", "string", "param.scoring.item_fields.group"),
    Param("group_en", "string", "param.scoring.item_fields.group_en"),
    Param("points", "number", "param.scoring.item_fields.points", required=True, min=0),
    Param("clause", "string", "param.scoring.item_fields.clause", required=True),
    Param("clause_en", "string", "param.scoring.item_fields.clause_en"),
    Param("rules", "strings", "param.scoring.item_fields.rules"),
    Param("items", "strings", "param.scoring.item_fields.items"),
    Param("deduct", "number", "param.scoring.item_fields.deduct", min=0),
    Param("per_missing", "number", "param.scoring.item_fields.per_missing", min=0),
    Param("confirm_points", "number", "param.scoring.item_fields.confirm_points", min=0),
    Param("note", "string", "param.scoring.item_fields.note"),
    Param("note_en", "string", "param.scoring.item_fields.note_en"),
    Param("absent_points", "number", "param.scoring.item_fields.absent_points", min=0),
    Param("served_per_staff", "integer", "param.scoring.item_fields.served_per_staff", min=1),
)
SECTION = {
    "title": Param("title", "string", "param.scoring.section.title"),
    "title_en": Param("title_en", "string", "param.scoring.section.title_en"),
    "clause": Param("clause", "string", "param.scoring.section.clause", required=True),
    "clause_en": Param("clause_en", "string", "param.scoring.section.clause_en"),
    "scale": Param("scale", "number", "param.scoring.section.scale", required=True, min=1),
    "kinds": Param("kinds", "strings", "param.scoring.section.kinds", choices=KINDS),
    "grades": Param("grades", "tables", "param.scoring.section.grades", required=True, fields=GRADE_FIELDS),
    "items": Param("items", "tables", "param.scoring.section.items", required=True, fields=ITEM_FIELDS),
}


def grade(grades: list[dict[str, Any]], score: float, lang: str) -> str | None:
    """The grade of ``score``: the highest whose threshold it exceeds, else the one with no threshold."""
    ranked = sorted(grades, key=lambda g: g.get("above", float("-inf")), reverse=True)
    for g in ranked:
        if "above" not in g or score > g["above"]:
            return name(g, lang)
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


def _lost(r: Result) -> bool:
    """A fail, or a fail the standard file turned into a warning because the source makes it points."""
    return r.status == "fail" or (r.status == "warn" and r.details.get("demoted") == "score")


def _relevant(item: dict[str, Any], r: Result) -> bool:
    """A result counts for an item unless the item picks names and the result's shortfall has none of them."""
    short = r.details.get("shortfall") if r.details else None
    if not item.get("items") or not isinstance(short, dict) or r.status == "pass":
        return True
    return any(k in item["items"] for k in short)


def _staffing(it: dict[str, Any], project: Any) -> tuple[float, float, float, str] | None:
    """Points (earned, lost, to confirm) of a ``served_per_staff`` item from the project's figures."""
    p = float(it["points"])
    pop, have = getattr(project, "population", None), getattr(project, "staff", None)
    if pop is None or have is None:
        return None
    need = math.ceil(pop / it["served_per_staff"])
    short = max(0, need - have)
    gone = p * short / need if need else 0.0
    return p - gone, gone, 0.0, f"{have}/{need}"


def score(section: dict[str, Any], results: list[Result], lang: str = "zh", project: Any = None,
          confirmed: dict[str, Any] | None = None) -> dict[str, Any]:
    """The score object of the JSON report: certain points, points to confirm, range and grade range.

    ``confirmed`` maps a scoring item id to a reviewer's confirmation (``points``, ``by``, ``date``, ``note``)."""
    confirmed = confirmed or {}
    items, earned, lost, open_ = [], 0.0, 0.0, 0.0
    for it in section["items"]:
        p = float(it["points"])
        rs = [r for r in results if r.rule in it.get("rules", [])]
        basis = "drawing"
        extra = {}
        if it.get("served_per_staff"):
            got, gone, tbc, extra["staffing"] = _staffing(it, project) or (0.0, 0.0, p, None)
            basis = "project" if extra["staffing"] else None
        elif not rs:  # nothing in the plan decides it
            got, gone, tbc, basis = 0.0, 0.0, p, None
        else:
            rs = [r for r in rs if _relevant(it, r)]
            if it.get("absent_points") is not None and any(r.details.get("absent") for r in rs):
                cap = min(p, float(it["absent_points"]))
                got, gone, tbc = 0.0, p - cap, cap
            else:
                certain = sum(_loss(it, r) for r in rs if _lost(r))
                maybe = sum(_loss(it, r) for r in rs if r.status == "n/a") + it.get("confirm_points", 0)
                gone = min(p, certain)
                tbc = min(p - gone, maybe)
                got = p - gone - tbc
            if any(r.basis == "review" for r in rs):
                basis = "review"
        review = None
        if it["id"] in confirmed and tbc:  # the reviewer settles what the plan left open
            c = confirmed[it["id"]]
            granted = min(float(c.points), got + tbc) - got
            got, gone, tbc = got + max(0.0, granted), gone + tbc - max(0.0, granted), 0.0
            basis, review = "review", {"points": c.points, **c.who()}
        earned, lost, open_ = earned + got, lost + gone, open_ + tbc
        items.append({
            "id": it["id"], "name": name(it, lang), "group": name(it, lang, "group"),
            "points": p, "earned": _r(got), "lost": _r(gone), "to_confirm": _r(tbc), "rules": list(it.get("rules", [])),
            "status": ("confirmed" if review else "to-confirm" if tbc == p else ("partial" if tbc else "checked")),
            "basis": basis, "clause": name(it, lang, "clause"), "note": name(it, lang, "note"),
            **({"review": review} if review else {}), **{k: v for k, v in extra.items() if v},
        })
    lo, hi = earned, earned + open_
    return {
        "title": name(section, lang, "title"),
        "clause": name(section, lang, "clause"), "scale": float(section["scale"]),
        "earned": _r(earned), "lost": _r(lost), "to_confirm": _r(open_),
        "checked_points": sum(i["points"] for i in items if i["rules"]),
        "range": {"min": _r(lo), "max": _r(hi)},
        "grade": {"min": grade(section["grades"], lo, lang), "max": grade(section["grades"], hi, lang)},
        "grades": [{"name": name(g, lang), "above": g.get("above")}
                   for g in section["grades"]],
        "items": items,
    }


def lowest(section: dict[str, Any], lang: str = "zh") -> str | None:
    """The lowest grade (the one below every threshold): 不合格."""
    g = min(section["grades"], key=lambda g: g.get("above", float("-inf")))
    return name(g, lang)


def settle(sc: dict[str, Any], section: dict[str, Any], results: list[Result], lang: str = "zh") -> str:
    """The verdict under a scored standard, with the score's grade made to agree with it.

    A requirement with force that the plan fails (``fail``) cannot be made up by points: the grade is
    capped at the lowest and ``grade.capped_by`` names the rules. A plan whose best possible score
    is in the lowest grade fails however the open items are confirmed. Otherwise the plan passes and
    the grade range is the points' range. So ``verdict == "fail"`` exactly when ``grade.max`` is the
    lowest grade."""
    low = lowest(section, lang)
    failing = sorted({r.rule for r in results if r.status == "fail"})
    if failing:
        sc["grade"] = {"min": low, "max": low, "capped_by": failing}
        return "fail"
    return "fail" if sc["grade"]["max"] == low else "pass"


def _r(x: float) -> float:
    return round(x, 2) + 0.0  # no -0.0 in the report
