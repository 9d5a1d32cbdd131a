"""Seeing the result: the plan overlay (PNG/SVG/PDF) and the marked-up DXF copy.

A finding's number is its 1-based position in the report's ``results`` list, everywhere: mark 2
on the overlay, item 2 in the text report, table 2 in the HTML report and note #2 in the DXF.
matplotlib is imported inside the functions, so a JSON-only check never loads it.
"""

from __future__ import annotations

from typing import Any

STATUS_COLOURS = {"fail": "#d32f2f", "warn": "#ef6c00", "n/a": "#6d6d6d", "pass": "#2e7d32"}


def findings(report: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(number, result) for every result that is not a pass, numbered as in the report."""
    return [(n, r) for n, r in enumerate(report["results"], 1) if r["status"] != "pass"]
