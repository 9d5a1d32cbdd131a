"""layoutcheck: check DXF floor plans of public service halls against Chinese construction standards.

The pipeline, each stage a plain function of the previous one::

    plan = read_plan("hall.dxf")                  # DXF → Plan (shapely, metres)
    metrics = measure(plan)                       # Plan → Metrics (建筑面积, 使用面积, hall share)
    results = rules.run(plan, metrics, standards.load("kaifeng-2014"), Project(population=30000))
    report = build_report(plan, metrics, results, standard, project)   # → JSON / text / HTML
"""

from __future__ import annotations

__version__ = "0.1.0"

import os as _os

# One BLAS thread: layoutcheck's arrays are small, and a check runs in a forked child under an address-space
# cap (limits.py) where OpenBLAS starting its thread pool again aborts the process when memory runs short,
# instead of the MemoryError a cap should give. Set before anything imports numpy; a user's setting wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    _os.environ.setdefault(_var, "1")

from .measure import Metrics, measure  # light (dataclasses); imported here so `measure` stays the function

# The names below are imported on first use (PEP 562): `layoutcheck --version`, `rules` and `explain`
# then start without ezdxf, shapely or numpy, and `from layoutcheck import read_plan` works as before.
_LAZY = {
    "rules": (".rules", None), "standards": (".standards", None),
    "read_plan": (".ingest", "read_plan"),
    "check": (".pipeline", "check"), "check_plan": (".pipeline", "check_plan"),
    "build_report": (".report", "build"),
    "Project": (".rules", "Project"), "Result": (".rules", "Result"),
}

__all__ = ["read_plan", "measure", "Metrics", "rules", "standards", "Project", "Result", "build_report",
           "check", "check_plan", "__version__"]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module, attr = _LAZY[name]
    value = importlib.import_module(module, __name__)
    value = value if attr is None else getattr(value, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
