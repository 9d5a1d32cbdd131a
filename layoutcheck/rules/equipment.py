"""Equipment a plan can show (display screen, notice board, seats …), found by block name or label.

A floor plan need not show loose equipment (README: evidence model), so an item the plan does not
show is n/a “confirm on site or from the equipment list”, never a failure of the drawing; an item
drawn passes. A reviewer's confirmation (--review) turns the n/a into pass or fail. Only an item set
``confirm = false`` (something the standard wants drawn) fails when absent.
"""

from __future__ import annotations

import re
from typing import Any

from ..measure import Metrics
from ..model import Plan
from .base import Param, Project, Result, rule
from .hall import _hall_where

ITEM_FIELDS = (
    Param("name", "string", "设施名称，如 电子显示屏", required=True),
    Param("name_en", "string", "English name"),
    Param("keywords", "strings", "识别关键词：家具或柜台图块名、图层名或图中文字含其一即算", required=True),
    Param("min", "integer", "至少几处，默认 1", min=1),
    Param("confirm", "bool", "图中没有时判为“无法判断，现场核实”而不是不通过（默认 true：平面图不必表示设备；"
                             "设为 false 表示标准要求图中画出）"),
    Param("force", "string", "该设施原文的约束力（默认取规则的 force），如开封电子显示屏“有条件的地方可增设”为 soft："
                             "审查确认不具备时只警告", choices=("must", "soft", "score")),
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


def _names(items: list[dict[str, Any]], en: bool) -> str:
    return (", " if en else "、").join(i.get("name_en", i["name"]) if en else i["name"] for i in items)


@rule(
    "equipment.required",
    title={"zh": "服务设施", "en": "Service equipment"},
    what={
        "zh": "标准要求配备的服务设施（电子显示屏、信息栏/公示栏、休息椅、报架、饮水机……）：家具或柜台图块名、"
              "图层名或图中文字含设施的关键词即算已画出（通过）。平面图不必表示设备，图中没有的设施判为“无法判断”，"
              "列出待现场或按设备清单核实；审查文件（--review）确认后判为通过或不通过。",
        "en": "The equipment the standard asks for (display screen, notice board, seats, newspaper rack, water "
              "dispenser …): a furniture or counter block, a layer or a text containing one of the item's keywords "
              "shows it (pass). A floor plan need not show equipment, so an item not drawn is n/a, listed to confirm "
              "on site or from the equipment list; a review file (--review) turns it into pass or fail.",
    },
    why={
        "zh": "开封 第十七条要求信息发布装置（信息栏，有条件的增设电子显示屏）；南浔要求镇人力资源市场配置电子显示屏；"
              "永州要求大厅设休息椅、报架、饮水机和固定公示栏（验收每缺一项扣 1 分）。",
        "en": "Kaifeng art. 17 asks for an information board (and a screen where possible), Nanxun a display screen in "
              "the town HR market, Yongzhou seats, a newspaper rack, a water dispenser and a fixed notice board "
              "(−1 point each missing).",
    },
    fail_example="items 电子显示屏 (keywords 显示屏, LED); no screen drawn → n/a “confirm: 电子显示屏”; "
                 "the review file confirms it absent → fail (confirmed by the reviewer)",
    pass_example="a block named 显示屏 on the hall wall → pass",
    params=(Param("items", "tables", "要求的设施及识别关键词", required=True, fields=ITEM_FIELDS),
            Param("confirm", "bool", "各设施 confirm 的默认值，默认 true")),
    messages={
        "equipment.required.pass": {"zh": "图中已表示：{found}", "en": "the plan shows: {found_en}"},
        "equipment.required.fail": {
            "zh": "图中没有：{missing}（已有：{found}）；请布置并标注（图块名或文字含“{hint}”）",
            "en": "the plan does not show: {missing_en} (present: {found_en}); place and name it (a block or "
                  "text containing “{hint}”)"},
        "equipment.required.confirm": {
            "zh": "图中未表示：{missing}，请现场或按设备清单核实",
            "en": "not shown on the plan: {missing_en}; confirm on site or from the equipment list"},
    },
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
    args = {"found": _names(found, False) or "无", "found_en": _names(found, True) or "none"}
    out = []
    for status, key, missing in (("fail", "equipment.required.fail", hard),
                                 ("n/a", "equipment.required.confirm", soft)):
        if missing:
            short = {i["name"]: i.get("min", 1) - counts[i["name"]] for i in missing}
            out.append(Result("equipment.required", status, clause, key,
                              {**args, "missing": _names(missing, False), "missing_en": _names(missing, True),
                               "hint": missing[0]["keywords"][0]},
                              [i["name"] for i in found], {"required": names}, None,
                              _hall_where(plan) if status == "fail" else [],
                              {"found": counts, "shortfall": short}))
    item_force = {i["name"]: i["force"] for i in params["items"] if "force" in i}
    for r in out:
        if item_force:  # what a confirmed absence of each item becomes (review.py)
            r.details["item_force"] = item_force
    return out or [Result("equipment.required", "pass", clause, "equipment.required.pass", args,
                          [i["name"] for i in found], {"required": names}, None, [], {"found": counts})]
