"""What a floor plan cannot show (equipment lists, signage, finishes …): listed for the reviewer to confirm."""

from __future__ import annotations

from typing import Any

from ..i18n import Join, named
from ..measure import Metrics
from ..model import Plan
from .base import Param, Project, Result, rule

ITEM_FIELDS = (
    Param("name", "string", "param.checklist.item_fields.name", required=True),
    Param("name_en", "string", "param.checklist.item_fields.name_en"),
    Param("clause", "string", "param.checklist.item_fields.clause"),
    Param("clause_en", "string", "param.checklist.item_fields.clause_en"),
)


@rule(
    "checklist.confirm",
    params=(Param("items", "tables", "param.checklist.confirm.items", required=True, fields=ITEM_FIELDS),),
)
def checklist_confirm(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    items = params["items"]
    return [Result("checklist.confirm", "n/a", params["clause"], "checklist.confirm.items",
                   {"items": Join((named(i) for i in items), sep="sep.clause")},
                   details={"items": [{"name": i["name"], "name_en": i.get("name_en", i["name"]),
                                       "clause": (own := i if "clause" in i else params)["clause"],
                                       "clause_en": own.get("clause_en") or own["clause"]} for i in items],
                            "shortfall": {i["name"]: 1 for i in items}})]
