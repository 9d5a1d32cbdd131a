"""Rooms a facility must contain (服务大厅、档案室、办公室 …)."""

from __future__ import annotations

from typing import Any, Iterable

from ..classify import ROOM_TYPES
from ..i18n import Join, Msg, has, message
from ..measure import Metrics
from ..model import Plan
from .base import Param, Project, Result, rule


def type_name(t: str, lang: str) -> str:
    """A room or zone type's name (``room_type.TYPE`` in the catalogs); an unknown type as it is."""
    key = f"room_type.{t}"
    return message(key, lang) if has(key) else t


def type_names(types: Iterable[str], empty: str | None = None) -> Join:
    """Room or zone types as one message argument, worded and joined in the reader's language."""
    return Join((Msg(f"room_type.{t}") if has(f"room_type.{t}") else t for t in types), empty=empty)


@rule(
    "rooms.required",
    params=(
        Param("required", "strings", "param.rooms.required.required", required=True, choices=ROOM_TYPES),
        Param("recommended", "strings", "param.rooms.required.recommended", choices=ROOM_TYPES),
        Param("counts_as", "tables", "param.rooms.required.counts_as", fields=(
                                         Param("room", "string", "param.rooms.required.room", required=True, choices=ROOM_TYPES),
                                         Param("as", "string", "param.rooms.required.as", required=True, choices=ROOM_TYPES))),
    ),
)
def rooms_required(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    present = {r.type for r in plan.rooms} | {z.type for z in plan.zones}
    present |= {m["as"] for m in params.get("counts_as", []) if m["room"] in present}
    required = list(params["required"])
    recommended = list(params.get("recommended", []))
    missing = [t for t in required if t not in present]
    missing_rec = [t for t in recommended if t not in present]
    found = [t for t in required + recommended if t in present]

    args = {"found": type_names(found, empty="word.none"), "missing": type_names(missing or missing_rec)}
    req = {"required": required, "recommended": recommended}
    if missing:
        return [Result("rooms.required", "fail", params["clause"], "rooms.required.fail", args,
                       sorted(present & set(required + recommended)), req, None,
                       details={"missing": missing})]
    if missing_rec:
        return [Result("rooms.required", "warn", params["clause"], "rooms.required.warn", args,
                       found, req, None, details={"missing": missing_rec})]
    return [Result("rooms.required", "pass", params["clause"], "rooms.required.pass", args, found, req)]
