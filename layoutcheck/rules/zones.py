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
ZONE_NAMES = {
    "waiting": ("等候区", "waiting area"), "query": ("查询区", "query area"), "business": ("业务办理区", "service counters"),
    "info": ("信息发布区", "information board"), "employment_zone": ("就业服务功能区", "employment-service zone"),
    "social_insurance_zone": ("社会保险经办业务功能区", "social-insurance zone"),
    "hr_zone": ("人力资源服务功能区", "HR service zone"),
}
ZONE_TYPES = tuple(ZONE_NAMES)


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
    title={"zh": "服务大厅功能分区", "en": "Functional zones of the hall"},
    what={
        "zh": "服务大厅内设有标准要求的功能区：由大厅内的分区轮廓或文字标注（等候区、查询区、业务办理区、信息发布区…）识别，"
              "没有标注时由家具推断（座椅 → 等候区，告示栏 → 查询区/信息发布，显示屏 → 信息发布，柜台 → 业务办理区）。画出轮廓的分区报告面积。",
        "en": "The hall holds each zone the standard requires, found from zone outlines or labels inside the hall "
              "(等候区, 查询区, 业务办理区, 信息发布区 …) or, when unlabelled, from furniture (seats → waiting, notice board "
              "→ query / information, screen → information, counters → business). Outlined zones report their area.",
    },
    why={
        "zh": "开封 第十七条：社会保险经办业务功能区由业务办理区、等候区、查询区组成，就业服务区配信息发布装置与综合服务台；"
              "第十八条：社区服务大厅设信息发布政策宣传区、人力资源服务功能区、社会保险经办业务功能区。",
        "en": "Kaifeng art. 17: the social-insurance zone consists of counters, waiting and query areas, the "
              "employment zone has an information board and a counter; art. 18 lists the community hall's zones.",
    },
    fail_example="hall with counters and seats but no notice board or 查询区 label → fail: missing query area",
    pass_example="hall with counters, seats labelled 等候区 and a 公示栏 → pass",
    params=(Param("required", "strings", "必须有的功能区", required=True, choices=ZONE_TYPES),),
    messages={
        "zones.required.pass": {"zh": "服务大厅功能分区齐全：{found}", "en": "the hall has every zone: {found_en}"},
        "zones.required.fail": {"zh": "服务大厅缺少功能区：{missing}（可在大厅内标注分区名称或布置相应设施）",
                                "en": "the hall lacks: {missing_en} (label the zone in the hall or place its furniture)"},
    },
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

    def names(zs: list[str], en: bool) -> str:
        return (", " if en else "、").join(ZONE_NAMES[z][1 if en else 0] for z in zs)

    args = {"found": names(found, False), "found_en": names(found, True),
            "missing": names(missing, False), "missing_en": names(missing, True)}
    details = {"found": how, "zones": [{"name": z.name, "type": z.type, "room": z.room,
                                        "area_m2": z.area_m2} for z in plan.zones]}
    halls = [r for r in plan.rooms if r.type in ("hall", "public_service")]
    where = [[p.x, p.y] for p in (h.polygon.representative_point() for h in halls)]
    if missing:
        return [Result("zones.required", "fail", params["clause"], "zones.required.fail", args,
                       found, {"required": list(params["required"])}, None, where, {**details, "missing": missing})]
    return [Result("zones.required", "pass", params["clause"], "zones.required.pass", args,
                   found, {"required": list(params["required"])}, None, [], details)]
