"""DXF → :class:`~layoutcheck.model.Plan`, every length in metres.

``read_plan(paths)`` reads one file per storey (or one file holding several storeys side by side)
and returns one Plan for the whole facility.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Sequence

from ..errors import InputError
from ..model import Finding, Plan
from . import units as U
from .assemble import assemble
from .encoding import better_encoding
from .extract import MAX_BLOCK_DEPTH, Extractor, TooManyEntities
from .layers import LayerMap
from .reader import open_dxf

__all__ = ["read_plan", "LayerMap"]


def read_plan(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    units: str | None = None,
    layer_map: LayerMap | None = None,
    encoding: str | None = None,
) -> Plan:
    """Read one or more DXF files (one per storey) into a Plan.

    ``units`` overrides the drawing's ``$INSUNITS`` ("mm", "m", …); ``layer_map`` adds an office's
    own layer names; ``encoding`` forces a code page for drawings that declare the wrong one.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if units is not None and units not in U.NAMED_UNITS:
        raise InputError(None, "error.bad-units", units=units, allowed=", ".join(U.NAMED_UNITS))
    layer_map = layer_map or LayerMap()
    storeys, parts_all, findings = [], [], []
    unit_names, unit_ms, convention_votes = [], [], []
    for index, path in enumerate(paths):
        parts, unit_name, unit_m, conv, fnd = _read_one(Path(path), index, units, layer_map, encoding)
        storeys.append(parts.storey)
        parts_all.append(parts)
        findings += fnd + parts.findings
        unit_names.append(unit_name)
        unit_ms.append(unit_m)
        convention_votes.append(conv)

    def cat(attr: str) -> tuple:
        return tuple(x for p in parts_all for x in getattr(p, attr))

    return Plan(
        sources=tuple(str(p) for p in paths),
        units=unit_names[0] if len(set(unit_names)) == 1 else "+".join(unit_names),
        unit_m=unit_ms[0],
        convention=max(set(convention_votes), key=convention_votes.count),
        storeys=tuple(storeys),
        rooms=cat("rooms"), zones=cat("zones"), walls=cat("walls"), columns=cat("columns"),
        openings=cat("openings"), counters=cat("counters"), furniture=cat("furniture"),
        labels=cat("labels"), findings=tuple(findings),
    )


def _extract(path: Path, doc, layer_map: LayerMap, unit_m: float):
    try:
        return Extractor(doc, layer_map, flatten=0.01 / unit_m).run()
    except TooManyEntities as exc:
        raise InputError(str(path), "error.too-many-entities", limit=exc.args[0]) from None


def _read_one(path: Path, index: int, units: str | None, layer_map: LayerMap, encoding: str | None):
    # Reading makes hundreds of thousands of small objects and no garbage cycles: the cyclic
    # collector would spend a quarter of the read walking them again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_one_gc_off(path, index, units, layer_map, encoding)
    finally:
        if enabled:
            gc.enable()


def _read_one_gc_off(path: Path, index: int, units: str | None, layer_map: LayerMap, encoding: str | None):
    doc, findings = open_dxf(path, encoding=encoding)
    if encoding is None:
        better = better_encoding(doc)
        if better:
            declared = doc.header.get("$DWGCODEPAGE", "—")
            doc, findings = open_dxf(path, encoding=better)
            findings.append(Finding("drawing.encoding-guessed", "drawing.encoding-guessed",
                                    {"declared": declared, "used": better}))
    insunits = doc.header.get("$INSUNITS", None)
    if units is not None:
        unit_name, unit_m = units, U.NAMED_UNITS[units]
        declared = True
    else:
        found = U.from_header(insunits)
        declared = found is not None
        unit_name, unit_m = found if found else ("mm", 0.001)
    raw = _extract(path, doc, layer_map, unit_m)
    if not declared:
        unit_name, unit_m = U.guess(raw.span)
        findings.append(Finding("drawing.units-guessed", "drawing.units-guessed",
                                {"insunits": insunits if insunits is not None else "—", "units": unit_name}))
        if unit_m != 0.001:  # the provisional pass flattened arcs for millimetres; redo in the right unit
            raw = _extract(path, doc, layer_map, unit_m)
    elif units is None:
        span_m = raw.span * unit_m
        if span_m and not (U.PLAUSIBLE_SPAN_M[0] <= span_m <= U.PLAUSIBLE_SPAN_M[1]):
            findings.append(Finding("drawing.units-suspect", "drawing.units-suspect",
                                    {"units": unit_name, "span_m": span_m}))
    if raw.too_deep:
        findings.append(Finding("drawing.nesting-limit", "drawing.nesting-limit",
                                {"count": raw.too_deep, "depth": MAX_BLOCK_DEPTH}))
    if raw.proxies:
        findings.append(Finding("drawing.proxy-entities", "drawing.proxy-entities", {"count": raw.proxies}))
    has_geometry = any(raw.rings.values()) or any(raw.lines.values()) or raw.inserts
    if not has_geometry:
        if raw.proxies:
            raise InputError(str(path), "error.proxy-only", count=raw.proxies)
        shown = ", ".join(sorted(raw.layers)[:8]) or "—"
        raise InputError(str(path), "error.no-geometry", layers=shown)
    parts = assemble(raw, unit_m, index, str(path), layer_map.room_types)
    return parts, unit_name, unit_m, layer_map.convention(sorted(raw.layers)), findings
