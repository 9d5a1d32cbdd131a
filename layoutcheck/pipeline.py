"""The whole check in one call, for the CLI, batch runs and notebooks."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Sequence

from . import rules
from . import standards as standards_mod
from .ingest import LayerMap, read_plan
from .measure import Metrics, measure
from .model import Plan
from .report import build
from .rules import Project, Result
from .standards import Standard


@dataclass
class Checked:
    plan: Plan
    metrics: Metrics
    results: list[Result]
    standard: Standard
    project: Project

    def report(self, lang: str = "zh") -> dict[str, Any]:
        return build(self.plan, self.metrics, self.results, self.standard, self.project, lang)

    @property
    def verdict(self) -> str:
        return "fail" if any(r.status == "fail" for r in self.results) else "pass"


def check(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
          standard: str | Standard = "kaifeng-2014", project: Project | None = None,
          units: str | None = None, layer_map: LayerMap | None = None,
          encoding: str | None = None) -> Checked:
    """Read, measure and check a plan (one file per storey) against a standard."""
    std = standard if isinstance(standard, Standard) else standards_mod.load(standard)
    project = project or Project()
    if project.kind not in std.kinds:
        from .errors import InputError

        raise InputError(None, "error.kind", standard=std.id, kind=project.kind, allowed=", ".join(std.kinds))
    plan = read_plan(paths, units=units, layer_map=layer_map, encoding=encoding)
    metrics = measure(plan)
    return Checked(plan, metrics, rules.run(plan, metrics, std, project), std, project)
