"""Metrics + a standard → Results. One module per rule family; see :mod:`.base` for the registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import Msg, named
from ..measure import Metrics
from ..model import Plan
from . import (  # noqa: F401  (importing a module registers its rules)
    access, archive, area, checklist, counter, equipment, hall, rooms, staff, zones)
from .base import FORCE_STATUS, KINDS, REGISTRY, Param, Project, Result, Rule, rule

if TYPE_CHECKING:
    from ..standards import Standard

__all__ = ["REGISTRY", "Param", "Project", "Result", "Rule", "rule", "run", "drawing_results", "KINDS"]

DRAWING_CLAUSE = Msg("clause.drawing")  # the README's drawing conventions, worded in the report's language
MAX_DRAWING_ITEMS = 200  # per drawing.* kind: places listed in details; more are only counted


def drawing_results(plan: Plan) -> list[Result]:
    """Problems with the drawing itself, reported before the rules (as PreDCR does), one result per kind.

    A real drawing gives dozens of the same problem (70 room names layoutcheck does not know, 50 open
    polylines): each kind is one result — the first finding's message with the count of all (“共 70 处”),
    every place in ``where``, each finding in ``details.findings`` (its message key, arguments and places)
    and each drawn gap in ``details.gaps``; at most MAX_DRAWING_ITEMS are listed, ``details.places`` counts
    them all. A drawing finding that fails stays a result of its own."""
    out: list[Result] = []
    kinds: dict[tuple[str, str], Result] = {}
    from .counter import counter_findings

    for f in (*plan.findings, *counter_findings(plan)):
        item = {"key": f.message_key, "args": dict(f.args), "where": [list(w) for w in f.where]}
        group = (f.rule, f.severity)
        r = kinds.get(group) if f.severity == "warn" else None
        if r is None:
            r = Result(f.rule, f.severity, DRAWING_CLAUSE, f.message_key, dict(f.args),
                       where=[list(w) for w in f.where], details=dict(f.details))
            out.append(r)
            if f.severity == "warn":
                r.details.update(places=1, findings=[item], gaps=[f.details["gap"]] if "gap" in f.details else [])
                kinds[group] = r
            continue
        r.details["places"] += 1
        if len(r.details["findings"]) < MAX_DRAWING_ITEMS:
            r.where += item["where"]
            r.details["findings"].append(item)
            if "gap" in f.details:
                r.details["gaps"].append(f.details["gap"])
    for r in out:  # a kind met once needs no list of itself
        if r.details.get("places") == 1:
            del r.details["places"], r.details["findings"], r.details["gaps"]
        elif "gaps" in r.details and not r.details["gaps"]:
            del r.details["gaps"]
    return out


def run(plan: Plan, metrics: Metrics, standard: "Standard", project: Project) -> list[Result]:
    """Apply every rule the standard sets for the project's kind, in the standard's order.

    The findings on the measured areas (usable > gross, an implausible area: :mod:`.sanity`) join the
    reader's first, so the drawing results list them and the area rules see them."""
    from dataclasses import replace

    from .sanity import measured_findings

    extra = measured_findings(plan, metrics)
    if extra:
        plan = replace(plan, findings=(*plan.findings, *extra))
    results = drawing_results(plan)
    drawn = len(results)
    for rule_id, params in standard.rules_for(project.kind):
        out = REGISTRY[rule_id].check(plan, metrics, params, project)
        results.extend(cite(apply_force(out, params), params))
    results[drawn:drawn] = routes_simplified(results[drawn:])  # with the other drawing.* results, first
    return results


def cite(out: list[Result], params: dict) -> list[Result]:
    """The entry's clause in both languages (``clause`` / ``clause_en``, read through ``i18n.name`` when the
    report is worded) on the results that cite it; a result citing another clause (a checklist item's
    own) keeps its own. Rules stay plain functions of the file's strings."""
    clause = named(params, "clause")
    for r in out:
        if r.clause == params["clause"]:
            r.clause = clause
    return out


def routes_simplified(results: list[Result]) -> list[Result]:
    """One ``drawing.routes-simplified`` warning per storey whose routes were found on a simplified floor
    (the access.* results say so in ``details.floor_simplified``; routes.erodable does it when the floor's
    outline is too dense to erode exactly), naming the largest tolerance used there in cm."""
    worst: dict[int, float] = {}
    for r in results:
        s = r.details.get("floor_simplified") if isinstance(r.details, dict) else None
        if s:
            worst[s["storey"]] = max(worst.get(s["storey"], 0), s["tolerance_cm"])
    return [Result("drawing.routes-simplified", "warn", DRAWING_CLAUSE, "drawing.routes-simplified",
                   {"tolerance_cm": cm}, details={"storey": storey, "tolerance_cm": cm}, storey=storey)
            for storey, cm in sorted(worst.items())]


def apply_force(out: list[Result], params: dict) -> list[Result]:
    """A breach is a fail only where the source's wording has force (README: evidence model).

    ``force = "soft"`` (一般/原则上/左右/可) and ``"score"`` (a points table) turn a fail into a warning;
    ``severity`` (older files) still decides when it is set. Each result carries the entry's force,
    its quotation of the source and, for soft wording, the file's reading of it."""
    force = params.get("force", "must")
    demote = params.get("severity", FORCE_STATUS[force]) == "warn"
    reading = named(params, "reading") if params.get("reading") else None
    for r in out:
        if demote and r.status == "fail":
            r.status = "warn"
            r.details = {**r.details, "demoted": force}
        r.force, r.quote, r.reading = force, params.get("quote"), reading
    return out
