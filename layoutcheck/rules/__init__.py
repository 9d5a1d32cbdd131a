"""Metrics + a standard → Results. One module per rule family; see :mod:`.base` for the registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..measure import Metrics
from ..model import Plan
from . import (  # noqa: F401  (importing a module registers its rules)
    access, archive, area, checklist, counter, equipment, hall, rooms, staff, zones)
from .base import KINDS, REGISTRY, Param, Project, Result, Rule, rule

if TYPE_CHECKING:
    from ..standards import Standard

__all__ = ["REGISTRY", "Param", "Project", "Result", "Rule", "rule", "run", "drawing_results", "KINDS"]

DRAWING_CLAUSE = "layoutcheck 制图约定（README：绘图约定）"
MAX_DRAWING_RESULTS = 50  # per drawing.* finding; more are counted in one result


def drawing_results(plan: Plan) -> list[Result]:
    """Problems with the drawing itself, reported before the rules (as PreDCR does).

    The same problem met in several places (ten rooms all named “DELUXE ROOM”, a type layoutcheck does
    not know) is one result with every place in ``where`` and their number in ``details.places``."""
    out: list[Result] = []
    same: dict[tuple, Result] = {}
    listed: dict[str, int] = {}  # results per rule so far
    more: dict[str, int] = {}  # findings beyond MAX_DRAWING_RESULTS: a report of 5,000 open polylines helps nobody
    for f in plan.findings:
        key = (f.rule, f.message_key, f.severity, repr(sorted(f.args.items())))
        if key in same and not f.details:
            r = same[key]
            r.where += [list(w) for w in f.where]
            r.details["places"] = r.details.get("places", 1) + 1
            continue
        if listed.get(f.rule, 0) >= MAX_DRAWING_RESULTS:
            more[f.rule] = more.get(f.rule, 0) + 1
            continue
        listed[f.rule] = listed.get(f.rule, 0) + 1
        r = Result(f.rule, f.severity, DRAWING_CLAUSE, f.message_key, dict(f.args),
                   where=[list(w) for w in f.where], details=dict(f.details))
        out.append(r)
        if not f.details:
            same[key] = r
    out += [Result(rule_id, "warn", DRAWING_CLAUSE, "more-findings", {"n": n, "rule": rule_id})
            for rule_id, n in more.items()]
    return out


def run(plan: Plan, metrics: Metrics, standard: "Standard", project: Project) -> list[Result]:
    """Apply every rule the standard sets for the project's kind, in the standard's order."""
    results = drawing_results(plan)
    for rule_id, params in standard.rules_for(project.kind):
        out = REGISTRY[rule_id].check(plan, metrics, params, project)
        if params.get("severity") == "warn":
            for r in out:
                if r.status == "fail":
                    r.status = "warn"
        results.extend(out)
    return results
