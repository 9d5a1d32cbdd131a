"""Counter rules: height, depth, how many, and the low section wheelchair users need."""

from __future__ import annotations

import re
from typing import Any, Callable

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
    title={"zh": "柜台高度", "en": "Counter height"},
    what={
        "zh": "每个服务柜台的台面高度等于 height_mm（容差 tolerance_mm）。高度取自柜台图块的属性 HEIGHT（或 H、高度、台面高度）；"
              "图纸未给出高度的柜台判为“无法判断”，并提示补充属性。",
        "en": "Every service counter's top is height_mm high (± tolerance_mm). The height comes from the counter "
              "block's attribute HEIGHT (or H, 高度, 台面高度); a counter without it is n/a with a note to add it.",
    },
    why={
        "zh": "开封标准统一柜台样式（第二十条：高度 760 mm），便于群众办理业务，也与无障碍低位服务设施的高度范围一致。",
        "en": "Kaifeng fixes one counter design (art. 20: 760 mm high) so every station serves the public the same way.",
    },
    fail_example="counter block 柜台 with HEIGHT=800, height_mm = 760 → fail: 40 mm too high",
    pass_example="counter block 柜台 with HEIGHT=760 → pass",
    params=(Param("height_mm", "number", "柜台高度 (mm)", required=True, min=300, max=1500),
            Param("tolerance_mm", "number", "允许偏差 (mm)，默认 10", min=0, max=200)),
    messages={
        "counter.height.pass": {"zh": "{n} 个柜台高度均为 {height:.0f} mm", "en": "all {n} counters are {height:.0f} mm high"},
        "counter.height.fail": {
            "zh": "柜台 {counter} 高度 {measured:.0f} mm，应为 {height:.0f} mm（±{tol:.0f}）",
            "en": "counter {counter} is {measured:.0f} mm high; it should be {height:.0f} mm (±{tol:.0f})",
        },
        "counter.height.unknown": {
            "zh": "柜台 {counter} 的图块没有高度属性，无法检查；请给图块加属性 HEIGHT（单位 mm）",
            "en": "counter {counter} has no height in the drawing; add the block attribute HEIGHT (mm)",
        },
        "counter.none": {"zh": "图纸中没有识别到服务柜台（图块名或图层含 柜台/服务台/窗口/COUNTER）",
                         "en": "no service counters found (blocks or layers named 柜台 / 服务台 / 窗口 / COUNTER)"},
    },
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
    title={"zh": "柜台台面宽度（进深）", "en": "Counter top depth"},
    what={
        "zh": "每个服务柜台台面的宽度（前后进深，即图块外轮廓的短边）等于 depth_mm（容差 tolerance_mm）。",
        "en": "Every counter top is depth_mm deep front to back (the short side of the block's footprint), "
              "± tolerance_mm.",
    },
    why={
        "zh": "开封第二十条规定台面宽度 750 mm：太窄放不下办公设备与资料，太深则群众与工作人员递交材料困难。",
        "en": "Kaifeng art. 20 sets a 750 mm top: narrower leaves no room for equipment and papers, deeper makes "
              "handing documents across hard.",
    },
    fail_example="counter footprint 1600 × 600 mm, depth_mm = 750 → fail: 150 mm too shallow",
    pass_example="counter footprint 1600 × 750 mm → pass",
    params=(Param("depth_mm", "number", "台面宽度/进深 (mm)", required=True, min=200, max=2000),
            Param("tolerance_mm", "number", "允许偏差 (mm)，默认 10", min=0, max=200)),
    messages={
        "counter.depth.pass": {"zh": "{n} 个柜台台面宽度均为 {depth:.0f} mm", "en": "all {n} counter tops are {depth:.0f} mm deep"},
        "counter.depth.fail": {
            "zh": "柜台 {counter} 台面宽度 {measured:.0f} mm，应为 {depth:.0f} mm（±{tol:.0f}）",
            "en": "counter {counter} top is {measured:.0f} mm deep; it should be {depth:.0f} mm (±{tol:.0f})",
        },
    },
)
def counter_depth(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    return _each_counter(plan, "counter.depth", params, float(params["depth_mm"]), "depth", lambda c: c.depth_mm)


SERVICE_FIELDS = (
    Param("name", "string", "业务名称，如 社会救助", required=True),
    Param("name_en", "string", "English name"),
    Param("keywords", "strings", "识别该业务柜台的关键词（柜台属性 SERVICE/业务、图块名或柜台附近的文字）", required=True),
    Param("min", "integer", "至少几个柜台", required=True, min=0),
    Param("confirm", "bool", "图中未标明该业务的柜台时判为“无法判断”待核实，而不是不通过（窗口业务由吊牌标识表示，"
                             "平面图不必标注）"),
    Param("confirm_unlabelled", "bool", "图中所有柜台都未标明业务时判为“无法判断”待核实；只要有柜台标明了业务，"
                                        "图中标明的即为设计意图，不足的计为缺少"),
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
    title={"zh": "柜台（窗口）数量", "en": "Number of counters"},
    what={
        "zh": "服务柜台总数不少于 min_total；若标准列出 services，每类业务的柜台数不少于其 min。柜台的业务由图块属性 "
              "SERVICE（或 业务）、图块名或柜台 1.5 m 内、离它最近的文字识别（如“社会救助”“人力资源和社会保障”）。",
        "en": "At least min_total counters; when the standard lists services, at least `min` counters of each. "
              "A counter's service comes from its SERVICE (业务) attribute, its block name or text within 1.5 m "
              "that is nearest to it (e.g. 社会救助, 人力资源和社会保障).",
    },
    why={
        "zh": "窗口数量决定服务能力；永州验收标准要求社会救助与人社柜台各不少于 2 个（每少 1 个扣 1 分），南浔要求设置九类业务窗口。",
        "en": "Counters set the service capacity; Yongzhou requires ≥ 2 social-assistance and ≥ 2 HR/social-security "
              "counters (−1 point each missing), Nanxun nine kinds of windows.",
    },
    fail_example="services 社会救助 min 2, 人社 min 2; drawing has 1 counter labelled 社会救助 and 2 labelled 社保 → fail",
    pass_example="2 counters labelled 社会救助 and 2 labelled 人力资源和社会保障 → pass",
    params=(Param("min_total", "integer", "柜台总数下限", min=0),
            Param("services", "tables", "按业务统计的柜台数量要求", fields=SERVICE_FIELDS)),
    messages={
        "counter.count.pass": {"zh": "柜台 {total} 个，满足要求{detail}", "en": "{total} counters, enough{detail_en}"},
        "counter.count.total": {"zh": "柜台应不少于 {min} 个，图中只有 {total} 个",
                                "en": "at least {min} counters needed; the drawing has {total}"},
        "counter.count.service-confirm": {
            "zh": "图中未标明“{service}”窗口（识别到 {found} 个，要求 {min} 个）；窗口业务以吊牌标识为准，请现场核实",
            "en": "the plan does not name “{service_en}” windows (found {found}, {min} asked); window signs decide, "
                  "confirm on site"},
        "counter.count.service": {"zh": "“{service}”柜台应不少于 {min} 个，图中识别到 {found} 个，缺 {missing} 个",
                                  "en": "at least {min} “{service_en}” counters needed; found {found}, {missing} missing"},
    },
)
def counter_count(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    clause = params["clause"]
    total = len(plan.counters)
    out = []
    lo = params.get("min_total")
    if lo is not None and total < lo:
        out.append(Result("counter.count", "fail", clause, "counter.count.total", {"min": lo, "total": total},
                          total, {"min": lo}, "count", details={"shortfall": {"柜台": lo - total}}))
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
                              {"service": svc["name"], "service_en": svc.get("name_en", svc["name"]),
                               "min": svc["min"], "found": len(found), "missing": svc["min"] - len(found)},
                              len(found), {"min": svc["min"]}, "count", where,
                              {"service": svc["name"], "missing": svc["min"] - len(found),
                               "shortfall": {svc["name"]: svc["min"] - len(found)}}))
    if not any(r.status == "fail" for r in out):  # n/a services (to confirm) leave the count checked
        detail = "".join(f"；{k} {v} 个" for k, v in counts.items())
        detail_en = "".join(f"; {k}: {v}" for k, v in counts.items())
        out.insert(0, Result("counter.count", "pass", clause, "counter.count.pass",
                          {"total": total, "detail": detail, "detail_en": detail_en}, total,
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
    title={"zh": "低位服务设施", "en": "Low counter section"},
    what={
        "zh": "至少有 min_count 处低位服务柜台。凡图块名为低位柜台（低位 / 无障碍 / LOW）或属性标明低位（LOW=1、低位=是、TYPE=低位）的柜台，"
              "逐个检查：台面高度在 height_min_mm–height_max_mm 之间；长度不小于容膝宽度 knee_width_mm；台面进深不小于容膝深度 "
              "knee_depth_mm；图块属性给出容膝尺寸（KNEE_W / KNEE_H / KNEE_D，或 容膝宽度 / 容膝高度 / 容膝深度）时，分别不小于 "
              "knee_width_mm、knee_height_mm、knee_depth_mm。没有标明低位的柜台时，高度在范围内的柜台视为低位柜台。",
        "en": "At least min_count low counter sections. Every counter named low (低位 / 无障碍 / LOW) or marked low by "
              "an attribute (LOW=1, 低位=是, TYPE=低位) is checked: top height_min_mm–height_max_mm above the floor; "
              "at least knee_width_mm long; a top at least knee_depth_mm deep; and the knee space the block states "
              "(KNEE_W / KNEE_H / KNEE_D) at least knee_width_mm × knee_height_mm × knee_depth_mm. When no counter "
              "is named or marked low, counters whose height is within the range are the low ones.",
    },
    why={
        "zh": "GB 55019-2021 第 3.6.1 条：为公众提供服务的各类服务台均应设置低位服务设施；第 3.6.4 条：上表面距地面 700–850 mm，"
              "台面下部留出不小于宽 750 mm、高 650 mm 的容膝空间（深 450 mm 取自 GB 50763-2012 的同类条文，属二手出处；"
              "见 README “GB 55019-2021 条款与来源”）。",
        "en": "GB 55019-2021 3.6.1: every counter serving the public has a low section; 3.6.4: its top 700–850 mm "
              "above the floor, with knee space at least 750 mm wide and 650 mm high below (450 mm deep is GB "
              "50763-2012's figure, a secondary source; README, “GB 55019-2021 clauses and sources”).",
    },
    fail_example="a 低位柜台 block with HEIGHT=900 → fail: 900 mm is not within 700–850 mm",
    pass_example="a 低位柜台 block 900 mm long, 750 mm deep, HEIGHT=760 → pass",
    params=(Param("height_min_mm", "number", "低位台面高度下限 (mm)", required=True, min=300, max=1500),
            Param("height_max_mm", "number", "低位台面高度上限 (mm)", required=True, min=300, max=1500),
            Param("knee_width_mm", "number", "容膝宽度下限 (mm)", min=0, max=3000),
            Param("knee_height_mm", "number", "容膝高度下限 (mm)", min=0, max=2000),
            Param("knee_depth_mm", "number", "容膝深度下限 (mm)", min=0, max=2000),
            Param("min_count", "integer", "至少几处低位柜台，默认 1", min=0)),
    messages={
        "counter.low-section.pass": {
            "zh": "低位柜台 {counter}：高 {height:.0f} mm，长 {length:.0f} mm",
            "en": "low counter {counter}: {height:.0f} mm high, {length:.0f} mm long"},
        "counter.low-section.none": {
            "zh": "没有高度在 {lo:.0f}–{hi:.0f} mm 的低位服务柜台",
            "en": "no counter section {lo:.0f}–{hi:.0f} mm high for wheelchair users"},
        "counter.low-section.height": {
            "zh": "低位柜台 {counter} 高 {measured:.0f} mm，不在 {lo:.0f}–{hi:.0f} mm 之间",
            "en": "low counter {counter} is {measured:.0f} mm high, not within {lo:.0f}–{hi:.0f} mm"},
        "counter.low-section.no-height": {
            "zh": "低位柜台 {counter} 的图块没有高度属性，无法检查；请加属性 HEIGHT（单位 mm）",
            "en": "low counter {counter} has no height in the drawing; add the block attribute HEIGHT (mm)"},
        "counter.low-section.short": {
            "zh": "低位柜台 {counter} 长 {length:.0f} mm，小于容膝宽度 {knee:.0f} mm",
            "en": "low counter {counter} is {length:.0f} mm long, less than the {knee:.0f} mm knee space"},
        "counter.low-section.shallow": {
            "zh": "低位柜台 {counter} 台面进深 {measured:.0f} mm，小于容膝深度 {knee:.0f} mm",
            "en": "low counter {counter} top is {measured:.0f} mm deep, less than the {knee:.0f} mm knee depth"},
        "counter.low-section.knee": {
            "zh": "低位柜台 {counter} 容膝高度 {measured:.0f} mm，应不小于 {knee:.0f} mm",
            "en": "low counter {counter} has {measured:.0f} mm knee height; at least {knee:.0f} mm needed"},
        "counter.low-section.knee-width": {
            "zh": "低位柜台 {counter} 容膝宽度 {measured:.0f} mm，应不小于 {knee:.0f} mm",
            "en": "low counter {counter} has {measured:.0f} mm knee width; at least {knee:.0f} mm needed"},
        "counter.low-section.knee-depth": {
            "zh": "低位柜台 {counter} 容膝深度 {measured:.0f} mm，应不小于 {knee:.0f} mm",
            "en": "low counter {counter} has {measured:.0f} mm knee depth; at least {knee:.0f} mm needed"},
        "counter.low-section.unknown": {
            "zh": "柜台图块没有高度属性，无法判断是否设有低位服务设施；请给柜台图块加属性 HEIGHT",
            "en": "counters carry no height, so a low section cannot be confirmed; add the HEIGHT attribute"},
    },
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
        zh = {"entrance": "朝向入口", "seats": "等候座椅与标注", "open": "大厅开敞的一侧", "office": "背向办公用房"}
        en = {"entrance": "facing the entrance", "seats": "the waiting seats and labels",
              "open": "the hall's open floor", "office": "away from the back offices"}
        out.append(Finding("drawing.counter-front-inferred", "drawing.counter-front-inferred",
                           {"counters": "、".join(f"#{i + 1}" for i in inferred),
                            "cues": "、".join(zh[c] for c in cues) or "无明显依据，取图块局部 −Y 一侧",
                            "cues_en": ", ".join(en[c] for c in cues) or "no cue; the block's local −Y side"},
                           tuple((round(fronts[i].edge.centroid.x, 3), round(fronts[i].edge.centroid.y, 3))
                                 for i in inferred)))
    for i, c in enumerate(plan.counters):
        if c.length_m > LONG_COUNTER_M:
            p = c.footprint.centroid
            out.append(Finding("drawing.counter-long", "drawing.counter-long",
                               {"counter": f"#{i + 1}", "block": c.block, "length": c.length_m,
                                "limit": LONG_COUNTER_M}, ((round(p.x, 3), round(p.y, 3)),)))
    return out
