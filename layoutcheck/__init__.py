"""layoutcheck: check DXF floor plans of public service halls against Chinese construction standards.

The pipeline, each stage a plain function of the previous one::

    plan = read_plan("hall.dxf")                  # DXF → Plan (shapely, metres)
    metrics = measure(plan)                       # Plan → Metrics (建筑面积, 使用面积, hall share)
    results = rules.run(plan, metrics, standards.load("kaifeng-2014"), Project(population=30000))
    report = build_report(plan, metrics, results, standard, project)   # → JSON / text / HTML
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import rules, standards
from .ingest import read_plan
from .measure import Metrics, measure
from .pipeline import check, check_plan
from .report import build as build_report
from .rules import Project, Result

__all__ = ["read_plan", "measure", "Metrics", "rules", "standards", "Project", "Result", "build_report",
           "check", "check_plan", "__version__"]
