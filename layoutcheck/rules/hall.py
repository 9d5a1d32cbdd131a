"""Service-hall rules: its share of the usable area and its minimum size."""

from __future__ import annotations

from typing import Any

from ..measure import Metrics
from ..model import Plan
from ..classify import ROOM_TYPES
from .base import Param, Project, Result, rule
from .rooms import type_name


def _hall_where(plan: Plan) -> list[list[float]]:
    return [[p.x, p.y] for p in (r.polygon.representative_point() for r in plan.rooms if r.type == "hall")]


@rule(
    "hall.share",
    title={"zh": "服务大厅面积占比", "en": "Service hall share of usable area"},
    what={
        "zh": "服务大厅使用面积 ÷ 总使用面积（各房间面积之和）应在 share_min–share_max 之间。"
              "标准原文为“60%左右”（软性措辞），容差带由标准文件给出（reading 说明这是文件的解读），"
              "开封标准设 force = \"soft\"：超出时警告而不判不通过。审查人员可调整。",
        "en": "Hall usable area ÷ total usable area (the sum of the rooms) must lie between share_min and "
              "share_max. The source says “about 60%” (soft wording); the band is the standard file's reading "
              "(its `reading` says so) and Kaifeng sets force = \"soft\": outside it warns, it does not fail.",
    },
    why={
        "zh": "服务大厅是主要服务设施，面积应占主导，保证人群汇集时的安全与舒适；占比过低说明办公、辅助用房挤占了服务空间。",
        "en": "The hall is the main public space; a low share means offices and ancillary rooms crowd out the "
              "service area that must keep gatherings safe and comfortable.",
    },
    fail_example="hall 40.0 m² of 100.0 m² usable = 40.0 %, band 55–65 % → fail (force must), warn (force soft)",
    pass_example="hall 60.5 m² of 100.0 m² usable = 60.5 %, band 55–65 % → pass",
    params=(
        Param("target", "number", "目标占比，如 0.60", min=0, max=1),
        Param("share_min", "number", "占比下限（含）", required=True, min=0, max=1),
        Param("share_max", "number", "占比上限（含）", required=True, min=0, max=1),
    ),
    messages={
        "hall.share.pass": {
            "zh": "服务大厅 {hall:.1f} m²，占使用面积 {usable:.1f} m² 的 {share:.1%}，在 {lo:.0%}–{hi:.0%} 之间",
            "en": "hall {hall:.1f} m² is {share:.1%} of {usable:.1f} m² usable, within {lo:.0%}–{hi:.0%}",
        },
        "hall.share.low": {
            "zh": "服务大厅面积应占使用面积的 {target:.0%} 左右（{lo:.0%}–{hi:.0%}），实测 {share:.1%}"
                  "（大厅 {hall:.1f} m² / 使用面积 {usable:.1f} m²），需再增加约 {need:.1f} m²",
            "en": "the hall should be about {target:.0%} ({lo:.0%}–{hi:.0%}) of the usable area; measured "
                  "{share:.1%} ({hall:.1f} of {usable:.1f} m²), about {need:.1f} m² short",
        },
        "hall.share.high": {
            "zh": "服务大厅面积应占使用面积的 {target:.0%} 左右（{lo:.0%}–{hi:.0%}），实测 {share:.1%}"
                  "（大厅 {hall:.1f} m² / 使用面积 {usable:.1f} m²），档案室、办公等用房偏小",
            "en": "the hall should be about {target:.0%} ({lo:.0%}–{hi:.0%}) of the usable area; measured "
                  "{share:.1%} ({hall:.1f} of {usable:.1f} m²): the other rooms are too small",
        },
        "hall.share.no-hall": {
            "zh": "图纸中没有识别到服务大厅（房间名含“服务大厅/办事大厅/大厅”），无法计算占比",
            "en": "no service hall found (a room named 服务大厅 / 办事大厅 / 大厅 / hall), so the share is unknown",
        },
    },
)
def hall_share(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    clause = params["clause"]
    lo, hi = float(params["share_min"]), float(params["share_max"])
    target = float(params.get("target", (lo + hi) / 2))
    required = {"min": lo, "max": hi, "target": target}
    if metrics.hall_area_m2 <= 0 or not metrics.usable_area_m2:
        # No hall: the share is unknown, not 0 % (rooms.required fails the missing hall itself).
        return [Result("hall.share", "n/a", clause, "hall.share.no-hall", required=required, unit="ratio")]
    share = metrics.hall_area_m2 / metrics.usable_area_m2
    args = {"hall": metrics.hall_area_m2, "usable": metrics.usable_area_m2, "share": share,
            "lo": lo, "hi": hi, "target": target}
    details = {"hall_area_m2": metrics.hall_area_m2, "usable_area_m2": metrics.usable_area_m2}
    if share < lo:
        # hall area h such that (h) / (usable - hall + h) = lo
        others = metrics.usable_area_m2 - metrics.hall_area_m2
        need = lo * others / (1 - lo) - metrics.hall_area_m2 if lo < 1 else float("inf")
        return [Result("hall.share", "fail", clause, "hall.share.low", {**args, "need": need},
                       share, required, "ratio", _hall_where(plan), details)]
    if share > hi:
        return [Result("hall.share", "fail", clause, "hall.share.high", args,
                       share, required, "ratio", _hall_where(plan), details)]
    return [Result("hall.share", "pass", clause, "hall.share.pass", args, share, required, "ratio", [], details)]


@rule(
    "hall.minimum",
    title={"zh": "服务大厅面积", "en": "Service hall area"},
    what={
        "zh": "服务大厅（便民服务中心/政务大厅/人力资源市场）的使用面积不小于 min_m2；给出 max_m2 时也不大于它"
              "（如南浔镇人力资源市场 100–200 m²）。types 指定哪些用房算作大厅（社区服务站可加 public_service）。",
        "en": "The service hall's usable area is at least min_m2 and, when max_m2 is given, at most max_m2 "
              "(Nanxun: a town HR market of 100–200 m²). `types` says which room types count as the hall "
              "(add public_service for a community station).",
    },
    why={
        "zh": "大厅面积不足时无法容纳窗口、等候和公示设施；永州验收标准要求 100 m² 以上（不达标扣 5 分）。",
        "en": "An undersized hall cannot hold the counters, seats and notice boards; Yongzhou's acceptance "
              "standard asks 100 m² or more (−5 points).",
    },
    fail_example="hall 72.0 m², min_m2 = 100 → fail: 28.0 m² short",
    pass_example="hall 108.0 m², min_m2 = 100, max_m2 = 200 → pass",
    params=(Param("min_m2", "number", "大厅面积下限 (m²)", required=True, min=0),
            Param("max_m2", "number", "大厅面积上限 (m²)，可不设", min=0),
            Param("types", "strings", "算作大厅的用房类型，默认 [\"hall\"]", choices=ROOM_TYPES)),
    messages={
        "hall.minimum.pass": {
            "zh": "服务大厅 {measured:.1f} m²，在要求范围（{range}）内",
            "en": "the hall's {measured:.1f} m² is within {range}",
        },
        "hall.minimum.fail": {
            "zh": "服务大厅应不小于 {min:.0f} m²，实测 {measured:.1f} m²，少 {short:.1f} m²",
            "en": "the hall must be at least {min:.0f} m²; measured {measured:.1f} m², {short:.1f} m² short",
        },
        "hall.minimum.high": {
            "zh": "服务大厅应不大于 {max:.0f} m²，实测 {measured:.1f} m²，超出 {over:.1f} m²",
            "en": "the hall should be at most {max:.0f} m²; measured {measured:.1f} m², {over:.1f} m² over",
        },
        "hall.minimum.no-hall": {
            "zh": "图纸中没有识别到服务大厅（{types}），无法检查其面积",
            "en": "no service hall found ({types_en}), so its area cannot be checked",
        },
    },
)
def hall_minimum(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    clause, lo = params["clause"], float(params["min_m2"])
    hi = params.get("max_m2")
    types = tuple(params.get("types", ["hall"]))
    rooms = [r for r in plan.rooms if r.type in types]
    a = sum(r.area_m2 for r in rooms)
    required = {"min": lo} if hi is None else {"min": lo, "max": float(hi)}
    where = [[p.x, p.y] for p in (r.polygon.representative_point() for r in rooms)]
    if a <= 0:
        return [Result("hall.minimum", "fail" if plan.rooms else "n/a", clause, "hall.minimum.no-hall",
                       {"types": "、".join(type_name(t, "zh") for t in types),
                        "types_en": ", ".join(type_name(t, "en") for t in types)}, 0.0, required, "m2",
                       details={"absent": True})]
    rng = f"≥ {lo:g} m²" if hi is None else f"{lo:g}–{float(hi):g} m²"
    args = {"measured": a, "min": lo, "max": hi, "range": rng}
    if a < lo:
        return [Result("hall.minimum", "fail", clause, "hall.minimum.fail", {**args, "short": lo - a},
                       a, required, "m2", where)]
    if hi is not None and a > hi:
        return [Result("hall.minimum", "fail", clause, "hall.minimum.high", {**args, "over": a - hi},
                       a, required, "m2", where)]
    return [Result("hall.minimum", "pass", clause, "hall.minimum.pass", args, a, required, "m2")]
