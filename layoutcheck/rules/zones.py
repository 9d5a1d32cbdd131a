"""Functional zones of the service hall (开封 第十七条 / 第十八条)."""

from __future__ import annotations

from typing import Any

from ..measure import Metrics
from ..model import Plan
from .base import Param, Project, Result, rule

# What furniture shows a zone when it is not labelled: seats → waiting, a notice board → query and
# information, a screen → information, counters → business.
EVIDENCE = {"waiting": ("seat",), "query": ("board",), "info": ("board", "display"), "business": ("counter",),
            "employment_zone": ("counter",), "social_insurance_zone": ("counter",), "hr_zone": ("counter",)}
# The zone types (their names are room_type.* in the message catalogs).
ZONE_TYPES = ("waiting", "query", "business", "info", "employment_zone", "social_insurance_zone", "hr_zone")


def zone_evidence(plan: Plan, zone: str) -> tuple[str, list[list[float]]] | None:
    """How the hall shows ``zone``: a zone outline or label, else furniture; None if it does not."""
    halls = [r for r in plan.rooms if r.type in ("hall", "public_service")]
    for z in plan.zones:
        if z.type == zone:
            p = z.geometry.representative_point()
            return ("outline" if z.area_m2 else "label"), [[p.x, p.y]]
    kinds = EVIDENCE.get(zone, ())
    found = []
    if "counter" in kinds:
        found += [c.footprint.centroid for c in plan.counters]
    found += [f.footprint.centroid for f in plan.furniture if f.kind in kinds]
    if halls:
        found = [p for p in found if any(h.polygon.buffer(0.5).contains(p) for h in halls)]
    return ("furniture", [[p.x, p.y] for p in found]) if found else None


@rule(
    "zones.required",
    params=(Param("required", "strings", "param.zones.required.required", required=True, choices=ZONE_TYPES),),
)
def zones_required(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    found, missing, how = [], [], {}
    for z in params["required"]:
        ev = zone_evidence(plan, z)
        if ev:
            found.append(z)
            how[z] = ev[0]
        else:
            missing.append(z)

    from .rooms import type_names

    args = {"found": type_names(found), "missing": type_names(missing)}
    details = {"found": how, "zones": [{"name": z.name, "type": z.type, "room": z.room,
                                        "area_m2": z.area_m2} for z in plan.zones]}
    halls = [r for r in plan.rooms if r.type in ("hall", "public_service")]
    where = [[p.x, p.y] for p in (h.polygon.representative_point() for h in halls)]
    if missing:
        return [Result("zones.required", "fail", params["clause"], "zones.required.fail", args,
                       found, {"required": list(params["required"])}, None, where, {**details, "missing": missing})]
    return [Result("zones.required", "pass", params["clause"], "zones.required.pass", args,
                   found, {"required": list(params["required"])}, None, [], details)]
