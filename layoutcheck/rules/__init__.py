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


def drawing_results(plan: Plan) -> list[Result]:
    """Problems with the drawing itself, reported before the rules (as PreDCR does)."""
    return [Result(f.rule, f.severity, DRAWING_CLAUSE, f.message_key, dict(f.args),
                   where=[list(w) for w in f.where], details=dict(f.details)) for f in plan.findings]


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
