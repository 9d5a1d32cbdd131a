"""What a floor plan cannot show (equipment lists, signage, finishes …): listed for the reviewer to confirm."""

from __future__ import annotations

from typing import Any

from ..measure import Metrics
from ..model import Plan
from .base import Param, Project, Result, rule

ITEM_FIELDS = (
    Param("name", "string", "须核实的事项，如 一电脑、一电话", required=True),
    Param("name_en", "string", "English name"),
    Param("clause", "string", "该事项的条款（不填则用规则的 clause）"),
)


@rule(
    "checklist.confirm",
    title={"zh": "待核实事项", "en": "Items to confirm"},
    what={
        "zh": "列出标准要求、但平面图无法表示的事项（设备清单、标识标牌、装修色彩、制度上墙……），结论为“无法判断”，"
              "由审查人员按设备清单、效果图或现场核实；审查文件（--review）确认的事项判为通过或不通过。",
        "en": "Lists what the standard asks but a floor plan cannot show (equipment lists, signs, finishes, rules "
              "posted on the wall …). The result is n/a: the reviewer confirms it from the equipment list, "
              "renderings or on site, and a review file (--review) turns each confirmed item into pass or fail.",
    },
    why={
        "zh": "可研评审要对照标准逐项核对；图纸检查通过不等于标准的全部要求都已满足，未检查的事项应明确列出（如南浔社区工作站"
              "“一桌、一椅、一电脑、一电话、一信息栏”中的电脑、电话）。",
        "en": "A reviewer checks the standard item by item; a plan that passes does not meet everything, so what was "
              "not checked is listed (e.g. the computer and phone of Nanxun's “one desk, one chair, one computer, one "
              "phone, one notice board”).",
    },
    fail_example="items 一电脑, 一电话 → n/a “confirm: 一电脑、一电话”; a review file with item = \"一电话\", "
                 "found = false → fail for 一电话 (basis review), 一电脑 still n/a",
    pass_example="a review file confirming item = \"一电脑\" and item = \"一电话\" → pass for each (basis review)",
    params=(Param("items", "tables", "须核实的事项", required=True, fields=ITEM_FIELDS),),
    messages={
        "checklist.confirm.items": {"zh": "图纸无法表示，请按资料或现场核实：{items}",
                                    "en": "a plan cannot show these; confirm from documents or on site: {items_en}"},
    },
)
def checklist_confirm(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    items = params["items"]
    return [Result("checklist.confirm", "n/a", params["clause"], "checklist.confirm.items",
                   {"items": "；".join(i["name"] for i in items),
                    "items_en": "; ".join(i.get("name_en", i["name"]) for i in items)},
                   details={"items": [{"name": i["name"], "name_en": i.get("name_en", i["name"]),
                                       "clause": i.get("clause", params["clause"])} for i in items],
                            "shortfall": {i["name"]: 1 for i in items}})]
