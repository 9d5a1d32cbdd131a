"""Rooms a facility must contain (服务大厅、档案室、办公室 …)."""

from __future__ import annotations

from typing import Any

from ..classify import ROOM_TYPES
from ..measure import Metrics
from ..model import Plan
from .base import Param, Project, Result, rule

TYPE_NAMES = {
    "hall": ("服务大厅", "service hall"), "archive": ("档案室", "archive room"),
    "office": ("工作人员办公室", "staff office"), "auxiliary": ("辅助用房", "ancillary room"),
    "public_service": ("公共服务区", "public service area"), "consultation": ("咨询服务区", "consultation area"),
    "employment": ("就业服务场地", "employment-service space"), "circulation": ("交通空间", "circulation"),
    "other": ("其他", "other"),
}


def type_name(t: str, lang: str) -> str:
    from .zones import ZONE_NAMES

    zh, en = TYPE_NAMES.get(t) or ZONE_NAMES.get(t, (t, t))
    return zh if lang == "zh" else en


@rule(
    "rooms.required",
    title={"zh": "必备用房", "en": "Required rooms"},
    what={
        "zh": "检查图纸中有标准要求的每类用房（按房间名称识别类型）。社区服务站的功能区（公共服务区、咨询服务区、"
              "档案管理区）既可画成房间，也可在大厅内以分区轮廓或文字标注。recommended 中的用房缺少时给出警告。",
        "en": "Checks that the drawing has a room of every type the standard requires (types come from room "
              "names). A community station's functional areas may be rooms, zone outlines or zone labels inside "
              "the hall. Types listed under `recommended` give a warning when missing.",
    },
    why={
        "zh": "建设内容由标准规定（如开封 第十一条：服务大厅、档案室、工作人员办公室及必要的辅助用房），缺项的设计不能满足服务功能。",
        "en": "The standard fixes what a facility must contain (Kaifeng art. 11: hall, archive, staff office, "
              "ancillary rooms); a design missing one cannot provide the service.",
    },
    fail_example="station with 服务大厅 and 办公室 but no 档案室 → fail: missing archive",
    pass_example="station with 服务大厅, 档案室, 办公室 and 卫生间 → pass",
    params=(
        Param("required", "strings", "必须有的用房类型", required=True, choices=ROOM_TYPES),
        Param("recommended", "strings", "宜有的用房类型（缺少时警告）", choices=ROOM_TYPES),
        Param("counts_as", "tables", "一类用房也可算作另一类，如开封 第十八条 服务站“一般由服务大厅及必要的辅助用房组成”："
                                     "服务大厅可作公共服务区", fields=(
                                         Param("room", "string", "图中的用房类型", required=True, choices=ROOM_TYPES),
                                         Param("as", "string", "可算作的用房类型", required=True, choices=ROOM_TYPES))),
    ),
    messages={
        "rooms.required.pass": {
            "zh": "必备用房齐全：{found}",
            "en": "all required rooms present: {found_en}",
        },
        "rooms.required.fail": {
            "zh": "缺少必备用房：{missing}（已有：{found}）",
            "en": "missing required rooms: {missing_en} (present: {found_en})",
        },
        "rooms.required.warn": {
            "zh": "必备用房齐全，但缺少宜设置的用房：{missing}",
            "en": "required rooms present, but no {missing_en}",
        },
    },
)
def rooms_required(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    present = {r.type for r in plan.rooms} | {z.type for z in plan.zones}
    present |= {m["as"] for m in params.get("counts_as", []) if m["room"] in present}
    required = list(params["required"])
    recommended = list(params.get("recommended", []))
    missing = [t for t in required if t not in present]
    missing_rec = [t for t in recommended if t not in present]
    found = [t for t in required + recommended if t in present]

    def names(ts: list[str], lang: str) -> str:
        return "、".join(type_name(t, lang) for t in ts) if lang == "zh" else ", ".join(type_name(t, lang) for t in ts)

    args = {"found": names(found, "zh") or "无", "found_en": names(found, "en") or "none",
            "missing": names(missing or missing_rec, "zh"), "missing_en": names(missing or missing_rec, "en")}
    req = {"required": required, "recommended": recommended}
    if missing:
        return [Result("rooms.required", "fail", params["clause"], "rooms.required.fail", args,
                       sorted(present & set(required + recommended)), req, None,
                       details={"missing": missing})]
    if missing_rec:
        return [Result("rooms.required", "warn", params["clause"], "rooms.required.warn", args,
                       found, req, None, details={"missing": missing_rec})]
    return [Result("rooms.required", "pass", params["clause"], "rooms.required.pass", args, found, req)]
