"""Staffing: how many people the facility needs, from the project's figures (a plan cannot show it)."""

from __future__ import annotations

import math
from typing import Any

from ..i18n import Join, Msg
from ..measure import Metrics
from ..model import Plan
from .base import Param, Project, Result, rule


@rule(
    "staff.count",
    params=(Param("min", "integer", "param.staff.count.min", min=0),
            Param("max", "integer", "param.staff.count.max", min=0),
            Param("served_per_staff", "integer", "param.staff.count.served_per_staff", min=1),
            Param("served_per_staff_min", "integer", "param.staff.count.served_per_staff_min", min=1),
            Param("per_window", "integer", "param.staff.count.per_window", min=1),
            Param("staff", "string", "param.staff.count.staff",
                  choices=("all", "employment"))),
)
def staff_count(plan: Plan, metrics: Metrics, params: dict[str, Any], project: Project) -> list[Result]:
    clause = params["clause"]
    employment = params.get("staff", "all") == "employment"
    have = project.employment_staff if employment else project.staff
    field = "employment_staff" if employment else "staff"
    who = Msg(f"staff.who.{field}")
    need, parts = 0, []  # the requirement and how it was worked out
    if "min" in params:
        need = params["min"]
        parts.append(Msg("staff.basis.min", min=params["min"]))
    per = params.get("served_per_staff")
    if per and project.population is not None:
        n = math.ceil(project.population / per)
        need = max(need, n)
        lo = params.get("served_per_staff_min")
        rng, hi = (f"{lo:,}–{per:,}", f"–{math.ceil(project.population / lo)}") if lo else (f"{per:,}", "")
        parts.append(Msg("staff.basis.population", population=project.population, range=rng, n=f"{n}{hi}"))
    windows = project.windows if project.windows is not None else (len(plan.counters) or None)
    if params.get("per_window") and windows:
        n = params["per_window"] * windows
        need = max(need, n)
        src = Msg("staff.source.project" if project.windows is not None else "staff.source.drawn")
        parts.append(Msg("staff.basis.windows", windows=windows, source=src, per=params["per_window"], total=n))
    basis = Join(parts, sep="sep.clause")
    only_min = len(parts) == 1 and "min" in params  # “at least 3: at least 3” says nothing twice
    required = {"min": need} if need else None
    details = {"basis": basis, "field": field}
    if have is None:
        return [Result("staff.count", "n/a", clause, "staff.count.unknown",
                       {"field": field,
                        "need_text": "" if not need else Msg("staff.need" if only_min else "staff.need-basis",
                                                             need=need, basis=basis)},
                       None, required, "persons", details=details)]
    missing = ("staff.missing.population" if per and project.population is None else
               "staff.missing.windows" if params.get("per_window") and not windows else None)
    if missing or not need:  # part of the requirement cannot be worked out: do not pass on the rest
        what = Msg(missing or "staff.missing.basis")
        return [Result("staff.count", "n/a", clause, "staff.count.no-basis", {"what": what},
                       have, None, "persons", details=details, basis="project")]
    args = {"who": who, "have": have, "need": need, "basis": basis}
    if have < need:
        return [Result("staff.count", "fail", clause, "staff.count.fail", {**args, "short": need - have},
                       have, required, "persons", details={**details, "shortfall": {field: need - have}},
                       basis="project")]
    if params.get("max") is not None and have > params["max"]:
        return [Result("staff.count", "warn", clause, "staff.count.high", {**args, "max": params["max"]},
                       have, {"min": need, "max": params["max"]}, "persons", details=details, basis="project")]
    return [Result("staff.count", "pass", clause, "staff.count.pass", args, have, required, "persons",
                   details=details, basis="project")]
