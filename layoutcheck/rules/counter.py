"""Counter rules: height, depth, how many, and the low section wheelchair users need."""

from __future__ import annotations

import re
from typing import Any, Callable

from ..i18n import Join, Msg, named
from ..measure import Metrics
from ..model import Counter, Finding, Plan
from .base import Param, Project, Result, rule

HEIGHT_HINT = "HEIGHT"  # the attribute the drawing should carry (H / 高度 / 台面高度 also read)


def _centre(c: Counter) -> list[float]:
    p = c.footprint.centroid
    return [p.x, p.y]


def _label(c: Counter, i: int) -> str:
    return f"#{i + 1} {c.block}"


@rule(
    "counter.height",
    params=(Param("height_mm", "number", "param.counter.height.height_mm", required=True, min=300, max=1500),
            Param("tolerance_mm", "number", "param.counter.height.tolerance_mm", min=0, max=200)),
)
def counter_height(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    return _each_counter(plan, "counter.height", params, float(params["height_mm"]), "height", lambda c: c.height_mm)


def _each_counter(plan: Plan, rule_id: str, params: dict[str, Any], target: float, name: str,
                  measure: Callable[[Counter], float | None]) -> list[Result]:
    """Each counter's figure (mm) against target ± tolerance_mm: one result per counter that fails
    or cannot be measured, else one pass for them all (shared by counter.height and counter.depth)."""
    clause, tol = params["clause"], float(params.get("tolerance_mm", 10))
    if not plan.counters:
        return [Result(rule_id, "n/a", clause, "counter.none")]
    required = {"value": target, "tolerance": tol}
    out = []
    for i, c in enumerate(plan.counters):
        value = measure(c)
        args = {"counter": _label(c, i), name: target, "tol": tol}
        if value is None:
            out.append(Result(rule_id, "n/a", clause, f"{rule_id}.unknown", args, None, required, "mm",
                              [_centre(c)], storey=c.storey))
        elif abs(value - target) > tol:
            out.append(Result(rule_id, "fail", clause, f"{rule_id}.fail", {**args, "measured": value}, value,
                              required, "mm", [_centre(c)], {"counter": i + 1}, storey=c.storey))
    return out or [Result(rule_id, "pass", clause, f"{rule_id}.pass", {"n": len(plan.counters), name: target},
                          target, required, "mm")]


@rule(
    "counter.depth",
    params=(Param("depth_mm", "number", "param.counter.depth.depth_mm", required=True, min=200, max=2000),
            Param("tolerance_mm", "number", "param.counter.depth.tolerance_mm", min=0, max=200)),
)
def counter_depth(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    return _each_counter(plan, "counter.depth", params, float(params["depth_mm"]), "depth", lambda c: c.depth_mm)


SERVICE_FIELDS = (
    Param("name", "string", "param.counter.service_fields.name", required=True),
    Param("name_en", "string", "param.counter.service_fields.name_en"),
    Param("keywords", "strings", "param.counter.service_fields.keywords", required=True),
    Param("min", "integer", "param.counter.service_fields.min", required=True, min=0),
    Param("confirm", "bool", "param.counter.service_fields.confirm"),
    Param("confirm_unlabelled", "bool", "param.counter.service_fields.confirm_unlabelled"),
)
SERVICE_TAGS = ("SERVICE", "业务", "窗口", "NAME", "名称")
LABEL_REACH_M = 1.5  # a label this close to a counter names its service


def counter_services(plan: Plan) -> list[str]:
    """Text telling each counter's service: its attributes, block name and the labels nearest to it.
    A label names only its nearest counter, so one “社会救助” sign is not counted for its neighbours."""
    parts = [[c.block] + [v for k, v in c.attributes.items() if k in SERVICE_TAGS] for c in plan.counters]
    for lb in plan.labels:
        near = [(c.footprint.distance(lb.point), i) for i, c in enumerate(plan.counters) if c.storey == lb.storey]
        if near and min(near)[0] <= LABEL_REACH_M:
            parts[min(near)[1]].append(lb.text)
    return [" ".join(p) for p in parts]


@rule(
    "counter.count",
    params=(Param("min_total", "integer", "param.counter.count.min_total", min=0),
            Param("services", "tables", "param.counter.count.services", fields=SERVICE_FIELDS)),
)
def counter_count(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    clause = params["clause"]
    total = len(plan.counters)
    out = []
    lo = params.get("min_total")
    if lo is not None and total < lo:
        out.append(Result("counter.count", "fail", clause, "counter.count.total", {"min": lo, "n": lo, "total": total},
                          total, {"min": lo}, "count", details={"shortfall": {"counters": lo - total}}))
    texts = counter_services(plan)
    counts = {}
    services = params.get("services", [])
    patterns = [re.compile("|".join(re.escape(k) for k in svc["keywords"]), re.IGNORECASE) for svc in services]
    # Counters drawn and none of them named by service: which is which is for the signs to tell (to confirm);
    # once the plan names services, what it names is the design, and a shortfall is one.
    unnamed = bool(texts) and not any(rx.search(t) for t in texts for rx in patterns)
    for svc, rx in zip(services, patterns):
        found = [i for i, t in enumerate(texts) if rx.search(t)]
        counts[svc["name"]] = len(found)
        if len(found) < svc["min"]:
            where = [_centre(plan.counters[i]) for i in found]
            confirm = svc.get("confirm", False) or (svc.get("confirm_unlabelled", False) and unnamed)
            out.append(Result("counter.count", "n/a" if confirm else "fail", clause,
                              "counter.count.service-confirm" if confirm else "counter.count.service",
                              {"service": named(svc),
                               "min": svc["min"], "found": len(found), "missing": svc["min"] - len(found)},
                              len(found), {"min": svc["min"]}, "count", where,
                              {"service": svc["name"], "missing": svc["min"] - len(found),
                               "shortfall": {svc["name"]: svc["min"] - len(found)},
                               **({"name_en": {svc["name"]: svc["name_en"]}} if svc.get("name_en") else {})}))
    if not any(r.status == "fail" for r in out):  # n/a services (to confirm) leave the count checked
        detail = Join((Msg("counter.count.by-service", service=named(svc), n=counts[svc["name"]])
                       for svc in services), sep=None)
        out.insert(0, Result("counter.count", "pass", clause, "counter.count.pass",
                          {"total": total, "detail": detail}, total,
                          {"min": lo} if lo is not None else None, "count", details={"by_service": counts}))
    return out


LOW_NAME = re.compile(r"低位|无障碍|LOW|ACCESSIBLE", re.IGNORECASE)
LOW_TAGS = ("LOW", "低位", "TYPE", "类型", "ACCESSIBLE", "无障碍")
LOW_VALUES = re.compile(r"^(1|Y|YES|TRUE|是|有)$|低位|无障碍|LOW|ACCESSIBLE", re.IGNORECASE)


def marked_low(c: Counter) -> bool:
    """A counter meant as the low section: named so (低位柜台, LOW …) or marked by an attribute
    (LOW=1, 低位=是, TYPE=低位)."""
    if LOW_NAME.search(c.block):
        return True
    return any(LOW_VALUES.search(str(c.attributes.get(t, "")).strip()) for t in LOW_TAGS if c.attributes.get(t))


def low_counters(plan: Plan, lo_mm: float, hi_mm: float) -> list[int]:
    """Counters that serve as the low section: named or marked so (whatever their height: a 900 mm
    低位柜台 is a low counter built too high), or, when none is, those with a top within the low range."""
    named = [i for i, c in enumerate(plan.counters) if marked_low(c)]
    if named:
        return named
    return [i for i, c in enumerate(plan.counters) if c.height_mm is not None and lo_mm <= c.height_mm <= hi_mm]


KNEE_TAGS = {"width": ("KNEE_W", "容膝宽度", "KNEE_WIDTH"), "height": ("KNEE_H", "容膝高度", "KNEE_HEIGHT"),
             "depth": ("KNEE_D", "容膝深度", "KNEE_DEPTH")}


def _knee(c: Counter, what: str) -> float | None:
    """A knee-space figure (mm) the block states, if any."""
    for t in KNEE_TAGS[what]:
        v = c.attributes.get(t)
        if v is None:
            continue
        try:
            x = float(str(v).strip().lower().removesuffix("mm"))
        except ValueError:
            continue
        if x > 0 and x == x and x != float("inf"):
            return x
    return None


@rule(
    "counter.low-section",
    params=(Param("height_min_mm", "number", "param.counter.low-section.height_min_mm", required=True, min=300, max=1500),
            Param("height_max_mm", "number", "param.counter.low-section.height_max_mm", required=True, min=300, max=1500),
            Param("knee_width_mm", "number", "param.counter.low-section.knee_width_mm", min=0, max=3000),
            Param("knee_height_mm", "number", "param.counter.low-section.knee_height_mm", min=0, max=2000),
            Param("knee_depth_mm", "number", "param.counter.low-section.knee_depth_mm", min=0, max=2000),
            Param("min_count", "integer", "param.counter.low-section.min_count", min=0)),
)
def counter_low_section(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    clause = params["clause"]
    lo, hi = float(params["height_min_mm"]), float(params["height_max_mm"])
    knee_w, knee_h, knee_d = (params.get(k) for k in ("knee_width_mm", "knee_height_mm", "knee_depth_mm"))
    if not plan.counters:
        return [Result("counter.low-section", "n/a", clause, "counter.none")]
    req = {"min": lo, "max": hi}
    found = low_counters(plan, lo, hi)
    if not found:
        if all(c.height_mm is None for c in plan.counters):
            return [Result("counter.low-section", "n/a", clause, "counter.low-section.unknown", required=req, unit="mm")]
        return [Result("counter.low-section", "fail", clause, "counter.low-section.none", {"lo": lo, "hi": hi},
                       None, req, "mm", [_centre(c) for c in plan.counters])]
    problems: list[Result] = []
    ok = []
    for i in found:
        c = plan.counters[i]
        name = _label(c, i)

        def bad(key: str, value: float, need: dict, **args: Any) -> None:
            problems.append(Result("counter.low-section", "fail", clause, key, {"counter": name, **args},
                                   value, need, "mm", [_centre(c)], {"counter": i + 1}, storey=c.storey))

        before = len(problems)
        if c.height_mm is None:
            problems.append(Result("counter.low-section", "n/a", clause, "counter.low-section.no-height",
                                   {"counter": name}, None, req, "mm", [_centre(c)], {"counter": i + 1},
                                   storey=c.storey))
        elif not lo <= c.height_mm <= hi:
            bad("counter.low-section.height", c.height_mm, req, measured=c.height_mm, lo=lo, hi=hi)
        if knee_w and c.length_mm < knee_w:
            bad("counter.low-section.short", c.length_mm, {"min": knee_w}, length=c.length_mm, knee=knee_w)
        if knee_d and c.depth_mm < knee_d:
            bad("counter.low-section.shallow", c.depth_mm, {"min": knee_d}, measured=c.depth_mm, knee=knee_d)
        for what, need, key in (("height", knee_h, "counter.low-section.knee"),
                                ("width", knee_w, "counter.low-section.knee-width"),
                                ("depth", knee_d, "counter.low-section.knee-depth")):
            v = _knee(c, what)
            if need and v is not None and v < need:
                bad(key, v, {"min": need}, measured=v, knee=need)
        if len(problems) == before:
            ok.append(i)
    need = int(params.get("min_count", 1))
    out = list(problems)
    if len(ok) >= need:
        c = plan.counters[ok[0]]
        h = c.height_mm if c.height_mm is not None else lo
        out.append(Result("counter.low-section", "pass", clause, "counter.low-section.pass",
                          {"counter": _label(c, ok[0]), "height": h, "length": c.length_mm}, h, req, "mm",
                          details={"counters": [i + 1 for i in ok]}))
    return out

LONG_COUNTER_M = 3.0  # one service window is 1.2–2.0 m; a single block longer than this is likely a row


def counter_findings(plan: Plan) -> list[Finding]:
    """Drawing findings about the counters, made from the plan (so a plan built in a test gets them too):
    counters whose public side had to be inferred (one finding naming them all) and counter blocks longer
    than LONG_COUNTER_M with no counters inside them."""
    from .. import routes as R

    out = []
    fronts = R.counter_fronts(plan)
    inferred = [i for i, f in enumerate(fronts) if f.source == "inferred" and not f.edge.is_empty]
    if inferred:
        cues = sorted({c for i in inferred for c in fronts[i].cues}, key=list(R.CUE_WEIGHTS).index)
        out.append(Finding("drawing.counter-front-inferred", "drawing.counter-front-inferred",
                           {"counters": Join(f"#{i + 1}" for i in inferred),
                            "cues": Join((Msg(f"counter.cue.{c}") for c in cues), empty="counter.cue.none")},
                           tuple((round(fronts[i].edge.centroid.x, 3), round(fronts[i].edge.centroid.y, 3))
                                 for i in inferred)))
    for i, c in enumerate(plan.counters):
        if c.length_m > LONG_COUNTER_M:
            p = c.footprint.centroid
            out.append(Finding("drawing.counter-long", "drawing.counter-long",
                               {"counter": f"#{i + 1}", "block": c.block, "length": c.length_m,
                                "limit": LONG_COUNTER_M}, ((round(p.x, 3), round(p.y, 3)),)))
    return out
