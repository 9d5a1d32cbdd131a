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
MAX_DRAWING_ITEMS = 200  # per drawing.* kind: items listed in details; more are only counted
MAX_DRAWING_RESULTS = 50  # findings that stay results of their own (a drawn gap), per kind; more are counted


def drawing_results(plan: Plan) -> list[Result]:
    """Problems with the drawing itself, reported before the rules (as PreDCR does), one result per kind.

    A real drawing gives dozens of the same problem (70 room names layoutcheck does not know, 40 labels
    outside every outline): each kind is one result — the first finding's message with the count of all
    (“共 70 处”), every place in ``where``, and each finding in ``details.findings`` (its message key, arguments
    and places; at most MAX_DRAWING_ITEMS listed, ``details.places`` counts them all). A finding that
    carries a drawn line (``details.gap``) or a fail stays a result of its own."""
    out: list[Result] = []
    kinds: dict[tuple[str, str], Result] = {}
    listed: dict[str, int] = {}  # results of their own per rule so far
    more: dict[str, int] = {}  # beyond MAX_DRAWING_RESULTS: a report of 5,000 open polylines helps nobody
    for f in plan.findings:
        item = {"key": f.message_key, "args": dict(f.args), "where": [list(w) for w in f.where]}
        group = (f.rule, f.severity)
        if group in kinds and not f.details and f.severity == "warn":
            r = kinds[group]
            r.where += item["where"]
            r.details["places"] += 1
            if len(r.details["findings"]) < MAX_DRAWING_ITEMS:
                r.details["findings"].append(item)
            continue
        if listed.get(f.rule, 0) >= MAX_DRAWING_RESULTS:
            more[f.rule] = more.get(f.rule, 0) + 1
            continue
        listed[f.rule] = listed.get(f.rule, 0) + 1
        r = Result(f.rule, f.severity, DRAWING_CLAUSE, f.message_key, dict(f.args),
                   where=[list(w) for w in f.where], details=dict(f.details))
        out.append(r)
        if not f.details and f.severity == "warn":
            r.details.update(places=1, findings=[item])
            kinds[group] = r
    out += [Result(rule_id, "warn", DRAWING_CLAUSE, "more-findings", {"n": n, "rule": rule_id})
            for rule_id, n in more.items()]
    for r in out:  # a kind met once needs no list of itself
        if r.details.get("places") == 1:
            del r.details["places"], r.details["findings"]
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
