"""Staffing: how many people the facility needs, from the project's figures (a plan cannot show it)."""

from __future__ import annotations

import math
from typing import Any

from ..measure import Metrics
from ..model import Plan
from .base import Param, Project, Result, rule


@rule(
    "staff.count",
    title={"zh": "工作人员配备", "en": "Staffing"},
    what={
        "zh": "工作人员数（项目文件 staff，或 staff = \"employment\" 时的 employment_staff）不少于要求：min 人、"
              "每 served_per_staff 名服务对象（按常住人口计）1 人、每个窗口 per_window 人，取其大者；超过 max 时警告。"
              "窗口数取项目文件的 windows，没有时按图中柜台数。没有项目文件时判为“无法判断”，并说明应配多少人。",
        "en": "The staff (project file `staff`, or `employment_staff` when staff = \"employment\") is at least the "
              "largest of: min; one per served_per_staff people served (the resident population); per_window per "
              "window. More than max warns. Windows come from the project file, else the counters drawn. Without "
              "the figures the result is n/a and says how many are needed.",
    },
    why={
        "zh": "人员决定窗口能否开起来：开封 每万名服务对象 1 名专职人员、社区 3–5 名；广东 每 6000–8000 名 1 名；"
              "永州 每窗口不少于 2 名；安徽 乡镇就业专职人员不少于 3 人、社区 2 人。可研报告的定员应满足这些数字。",
        "en": "Counters need people: Kaifeng one per 10,000 served (community 3–5), Guangdong one per 6,000–8,000, "
              "Yongzhou two per window, Anhui three employment staff per township and two per community. The "
              "feasibility report's staffing must meet them.",
    },
    fail_example="population 45,000, served_per_staff = 10000 → 5 needed; project staff = 3 → fail: 2 short",
    pass_example="4 windows × per_window 2 = 8 needed; project staff = 8 → pass",
    params=(Param("min", "integer", "最少人数", min=0),
            Param("max", "integer", "最多人数（超过时警告），如开封社区 5 人", min=0),
            Param("served_per_staff", "integer", "每多少名服务对象配 1 人（按常住人口，向上取整）", min=1),
            Param("served_per_staff_min", "integer", "区间的另一端，如广东 6000（每 6000–8000 人 1 名），仅用于说明", min=1),
            Param("per_window", "integer", "每个窗口至少几人", min=1),
            Param("staff", "string", "比较哪项人数：all（工作人员总数，默认）或 employment（就业专职人员）",
                  choices=("all", "employment"))),
    messages={
        "staff.count.pass": {"zh": "{who} {have} 人，满足要求（{basis}）",
                             "en": "{who_en}: {have}, enough ({basis_en})"},
        "staff.count.fail": {"zh": "{who}应不少于 {need} 人（{basis}），现有 {have} 人，少 {short} 人",
                             "en": "{who_en}: at least {need} needed ({basis_en}); {have} given, {short} short"},
        "staff.count.high": {"zh": "{who} {have} 人，超过标准的 {max} 人",
                             "en": "{who_en}: {have}, more than the standard's {max}"},
        "staff.count.unknown": {
            "zh": "图纸不能表示人员配备；请在项目文件（--project）中填写 {field} = 人数{need_text}",
            "en": "a plan cannot show staffing; give {field} = N in the project file (--project){need_text_en}"},
        "staff.count.no-basis": {
            "zh": "缺少计算人员要求所需的{what}；请在项目文件中填写",
            "en": "the {what_en} needed to work out the staffing is missing; give it in the project file"},
    },
)
def staff_count(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    clause = params["clause"]
    employment = params.get("staff", "all") == "employment"
    have = project.employment_staff if employment else project.staff
    field = "employment_staff" if employment else "staff"
    who, who_en = ("就业专职人员", "employment staff") if employment else ("工作人员", "staff")
    need, zh, en = 0, [], []  # the requirement and how it was worked out
    if "min" in params:
        need = params["min"]
        zh.append(f"不少于 {params['min']} 人")
        en.append(f"at least {params['min']}")
    per = params.get("served_per_staff")
    if per and project.population is not None:
        n = math.ceil(project.population / per)
        need = max(need, n)
        lo = params.get("served_per_staff_min")
        rng, hi = (f"{lo:,}–{per:,}", f"–{math.ceil(project.population / lo)}") if lo else (f"{per:,}", "")
        zh.append(f"常住人口 {project.population:,} 按每 {rng} 名服务对象 1 人，应配 {n}{hi} 人")
        en.append(f"population {project.population:,} at one per {rng} served: {n}{hi}")
    windows = project.windows if project.windows is not None else (len(plan.counters) or None)
    if params.get("per_window") and windows:
        n = params["per_window"] * windows
        need = max(need, n)
        src, src_en = ("项目文件" if project.windows is not None else "图中柜台"), (
            "project file" if project.windows is not None else "counters drawn")
        zh.append(f"{windows} 个窗口（{src}）× 每窗口 {params['per_window']} 人 = {n} 人")
        en.append(f"{windows} windows ({src_en}) × {params['per_window']} = {n}")
    basis, basis_en = "；".join(zh), "; ".join(en)
    only_min = len(zh) == 1 and "min" in params  # “at least 3: at least 3” says nothing twice
    required = {"min": need} if need else None
    details = {"basis": basis, "field": field}
    if have is None:
        return [Result("staff.count", "n/a", clause, "staff.count.unknown",
                       {"field": field,
                        "need_text": "" if not need else f"（应不少于 {need} 人{'' if only_min else '：' + basis}）",
                        "need_text_en": "" if not need else f" (at least {need}{'' if only_min else ': ' + basis_en})"},
                       None, required, "persons", details=details)]
    missing = (("常住人口（population）", "resident population") if per and project.population is None else
               ("窗口数（windows）", "number of windows") if params.get("per_window") and not windows else None)
    if missing or not need:  # part of the requirement cannot be worked out: do not pass on the rest
        what = missing or ("人数依据（标准未设 min、served_per_staff 或 per_window）",
                           "figure (the standard sets no min, served_per_staff or per_window)")
        return [Result("staff.count", "n/a", clause, "staff.count.no-basis", {"what": what[0], "what_en": what[1]},
                       have, None, "persons", details=details, basis="project")]
    args = {"who": who, "who_en": who_en, "have": have, "need": need, "basis": basis, "basis_en": basis_en}
    if have < need:
        return [Result("staff.count", "fail", clause, "staff.count.fail", {**args, "short": need - have},
                       have, required, "persons", details={**details, "shortfall": {who: need - have}},
                       basis="project")]
    if params.get("max") is not None and have > params["max"]:
        return [Result("staff.count", "warn", clause, "staff.count.high", {**args, "max": params["max"]},
                       have, {"min": need, "max": params["max"]}, "persons", details=details, basis="project")]
    return [Result("staff.count", "pass", clause, "staff.count.pass", args, have, required, "persons",
                   details=details, basis="project")]
