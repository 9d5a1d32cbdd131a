"""DXF → :class:`~layoutcheck.model.Plan`, every length in metres.

``read_plan(paths)`` reads one file per storey (or one file holding several storeys side by side)
and returns one Plan for the whole facility.
"""

from __future__ import annotations

import gc
import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

from ..i18n import Join, Msg
from ..errors import InputError
from ..model import Finding, Plan, Storey, View
from . import units as U
from .assemble import StoreyParts, assemble
from .dwg import custom_objects
from .encoding import better_encoding
from .extract import (MAX_BLOCK_DEPTH, MAX_ENTITY_VERTICES, VERTEX_SIMPLIFY_M, Extractor, TooManyEntities,
                      wanted_by)
from .layers import LayerMap
from .reader import ends_like_dxf, open_dxf, sniff
from .selective import selection
from .views import VIEW_GAP_M, ViewSet, crop, find_views

__all__ = ["read_plan", "LayerMap"]


def read_plan(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    units: str | None = None,
    layer_map: LayerMap | None = None,
    encoding: str | None = None,
    view: str | None = None,
) -> Plan:
    """Read one or more DXF files (one per storey) into a Plan.

    ``units`` overrides the drawing's ``$INSUNITS`` ("mm", "m", …); ``layer_map`` adds an office's
    own layer names; ``encoding`` forces a code page for drawings that declare the wrong one.

    A file holding a drawing set (plans, elevations, sections in one model space, see :mod:`.views`)
    gives one storey per floor-plan view; ``view`` (part of a title, such as "一层") checks that one only.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if units is not None and units not in U.NAMED_UNITS:
        raise InputError(None, "error.bad-units", units=units, allowed=", ".join(U.NAMED_UNITS))
    layer_map = layer_map or LayerMap()
    storeys, parts_all, findings, views = [], [], [], []
    unit_names, unit_ms, convention_votes, totals = [], [], [], []
    for path in paths:
        read = _read_one(Path(path), len(storeys), units, layer_map, encoding, view)
        for parts in read.parts:
            storeys.append(parts.storey)
            parts_all.append(parts)
            findings += parts.findings
        findings += read.findings
        views += read.views
        unit_names.append(read.unit_name)
        unit_ms.append(read.unit_m)
        convention_votes.append(read.convention)
        if read.stated_total_m2 is not None:
            totals.append(read.stated_total_m2)
    if view is not None and not any(v.checked for v in views):
        titled = Join(v.title for v in views if v.kind == "plan")
        if not titled.items:  # nothing to choose from: say so, rather than suggest another title
            raise InputError(str(paths[0]), "error.no-plan-views", view=view)
        raise InputError(str(paths[0]), "error.no-such-view", view=view, views=titled)
    # Every file's title block may repeat the building's 总建筑面积: the same figure is one total; different
    # figures, one per file, add up. Only a check of every storey (no --view) can be held to it.
    stated_total = None
    if totals and len(totals) == len(paths):
        stated_total = totals[0] if len(set(totals)) == 1 else sum(totals)
    if stated_total is not None and view is None:
        _compare_total(stated_total, storeys, findings)

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
        labels=cat("labels"), findings=tuple(findings), views=tuple(views), stated_total_m2=stated_total,
        approaches=cat("approaches"),
    )


STATED_GROSS_TOLERANCE = 0.03  # a stated gross area this far from the measured one is worth a warning


def _compare_gross(stated: float, measured: float, what: Any, findings: list[Finding]) -> None:
    """A stated gross area (``what``: the view's title, or 总 for the building) against the measured one."""
    if stated > 0 and abs(measured - stated) > STATED_GROSS_TOLERANCE * stated:
        findings.append(Finding("drawing.stated-gross-mismatch", "drawing.stated-gross-mismatch",
                                {"what": what, "stated_m2": stated, "measured_m2": measured,
                                 "diff_pct": 100 * (measured - stated) / stated}))


def _compare_total(stated: float, storeys: list[Storey], findings: list[Finding]) -> None:
    """总建筑面积 in the notes against the sum of the storeys checked (only when every storey was found)."""
    measured = sum(s.gross_area_m2 for s in storeys)
    if measured > 0:
        _compare_gross(stated, measured, Msg("word.whole-building"), findings)


def _extract(path: Path, doc, layer_map: LayerMap, unit_m: float):
    try:
        return Extractor(doc, layer_map, flatten=0.01 / unit_m).run()
    except TooManyEntities as exc:
        raise InputError(str(path), "error.too-many-entities", limit=exc.args[0]) from None


@dataclass
class _Read:
    """One file read: a storey per checked plan view (one for a single plan), and what the file says."""

    parts: list[StoreyParts]
    unit_name: str
    unit_m: float
    convention: str
    findings: list[Finding]
    views: list[View] = field(default_factory=list)
    stated_total_m2: float | None = None


def _read_one(path: Path, index: int, units: str | None, layer_map: LayerMap, encoding: str | None,
              view: str | None = None) -> _Read:
    # Reading makes hundreds of thousands of small objects and no garbage cycles: the cyclic
    # collector would spend a quarter of the read walking them again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_one_gc_off(path, index, units, layer_map, encoding, view)
    finally:
        if enabled:
            gc.enable()


def _read_one_gc_off(path: Path, index: int, units: str | None, layer_map: LayerMap, encoding: str | None,
                     view: str | None, select: bool = True) -> _Read:
    wanted = wanted_by(layer_map) if select else None  # read only what the extractor uses (ingest.selective)
    doc, findings = open_dxf(path, encoding=encoding, wanted=wanted)
    custom, structural = custom_objects(doc)  # TArch / AEC objects of a DWG, which ezdwg does not expose
    if encoding is None and getattr(doc, "layoutcheck_dwg", None) is None:  # a DWG's text is decoded already
        better = better_encoding(doc)
        if better:
            declared = doc.header.get("$DWGCODEPAGE", "—")
            doc, findings = open_dxf(path, encoding=better, wanted=wanted)
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
    if structural and not (raw.rings.get("wall") or raw.lines.get("wall")):
        # a native TArch DWG: its walls are TArch objects, nothing to measure without them
        raise InputError(str(path), "error.dwg-tarch", count=custom)
    if not _has_geometry(raw) and raw.labels and not (raw.proxies or custom):
        if selection(doc) is not None:  # the schematic reads unmapped layers' lines, which were left out
            return _read_one_gc_off(path, index, units, layer_map, encoding, view, select=False)
        # A single-line schematic (rooms as centre lines on layer 0, names inside): its lines are read as
        # room outlines, measured on the lines, and said so. Not a TArch plan: its walls are the TArch
        # objects, and what lines it has left (door swings, stairs) enclose no rooms.
        schematic = _extract(path, doc, replace(layer_map, unmapped="room", _cache={}), unit_m)
        if schematic.rings.get("room"):
            raw, layer_map = schematic, replace(layer_map, unmapped="room", _cache={})
            raw.open_room_lines = []  # lines enclosing nothing (furniture, arrows) are no open outlines here
            findings.append(Finding("drawing.single-line", "drawing.single-line"))
    if not declared:
        unit_name, unit_m = U.guess(raw.span)
        findings.append(Finding("drawing.units-guessed", "drawing.units-guessed",
                                {"insunits": insunits if insunits is not None else "—", "units": unit_name}))
        if unit_m != 0.001:  # the provisional pass flattened arcs for millimetres; redo in the right unit
            raw = _extract(path, doc, layer_map, unit_m)
    elif units is None:
        span_m = raw.span * unit_m
        if span_m and not (U.PLAUSIBLE_SPAN_M[0] <= span_m <= U.PLAUSIBLE_SPAN_M[1]):
            from ..rules.sanity import units_hint  # the --units value that would make it plausible

            findings.append(Finding("drawing.units-suspect", "drawing.units-suspect",
                                    {"units": unit_name, "span_m": span_m,
                                     "hint": units_hint(U.suggest(unit_m, span_m, U.PLAUSIBLE_SPAN_M, 1), "span")}))
    if custom:
        raw.proxies += custom
    if raw.too_deep:
        findings.append(Finding("drawing.nesting-limit", "drawing.nesting-limit",
                                {"count": raw.too_deep, "depth": MAX_BLOCK_DEPTH}))
    for kind, layer, count, kept, (x, y) in raw.dense:  # outlines over the vertex cap (extract._bounded)
        args = {"type": kind, "layer": layer, "count": count, "limit": MAX_ENTITY_VERTICES,
                "tolerance_mm": round(VERTEX_SIMPLIFY_M * 1000), "kept": kept}
        key = "drawing.simplified" if kept else "drawing.vertex-limit"
        findings.append(Finding(key, key, args, where=((x * unit_m, y * unit_m),)))
    if raw.proxies:
        findings.append(Finding("drawing.proxy-entities", "drawing.proxy-entities", {"count": raw.proxies}))
    if not _has_geometry(raw):
        if raw.proxies:
            raise InputError(str(path), "error.proxy-only", count=raw.proxies)
        if sniff(path) == "ascii" and not ends_like_dxf(path):  # cut off: nothing to do with layer names
            raise InputError(str(path), "error.truncated")
        shown = ", ".join(sorted(raw.layers)[:8]) or "—"
        raise InputError(str(path), "error.no-geometry", layers=shown)
    found = find_views(raw, unit_m)
    parts, checked = _storeys(raw, found, unit_m, index, path, layer_map, view, findings)
    return _Read(parts, unit_name, unit_m, layer_map.convention(sorted(raw.layers)), findings,
                 _listed(found, path, unit_m, checked), found.stated_total_m2)


def _storeys(raw, found: ViewSet, unit_m: float, index: int, path: Path, layer_map: LayerMap, view: str | None,
             findings: list[Finding]) -> tuple[list[StoreyParts], set[int]]:
    """The storeys one file gives, and which of its views they are (ids): the whole model space for one plan
    (perhaps with its title), each floor-plan view of a drawing set, or only the view ``view`` names."""
    def read(r, v, n: int = 0) -> StoreyParts:
        parts = assemble(r, unit_m, index + n, str(path), layer_map.room_types)
        if v is not None:  # the plan's title, and what the drawing states under it
            parts.storey = replace(parts.storey, view=v.title, stated_gross_m2=v.stated_gross_m2)
            if v.stated_gross_m2 is not None:
                _compare_gross(v.stated_gross_m2, parts.storey.gross_area_m2, v.title, parts.findings)
        return parts

    if not found.is_set:
        plans = [v for v in found.views if v.kind == "plan"]
        title = plans[0] if len(plans) == 1 else None
        if view is not None and (title is None or not _matches(title.title, view)):
            return [], set()
        return [read(raw, title)], {id(title)} if title is not None else set()
    plans = _plan_views(found, view, findings)
    if view is None and not plans:  # a set with no floor plan: say so, and read it whole
        findings.append(Finding("drawing.no-plan-view", "drawing.no-plan-view",
                                {"views": Join(v.title for v in found.views)}))
        return [read(raw, None)], set()
    plans.sort(key=lambda v: (v.storey if v.storey is not None else 99, v.xy[0]))
    findings.append(Finding("drawing.drawing-set", "drawing.drawing-set",
                            {"n": len(found.views), "checked": Join(v.title for v in plans) if plans else "—"}))
    margin = VIEW_GAP_M / unit_m
    return [read(crop(raw, v.bbox, margin), v, n) for n, v in enumerate(plans)], {id(v) for v in plans}


def _plan_views(found: ViewSet, view: str | None, findings: list[Finding]) -> list:
    """The views of a set to check: each plain floor plan (一层平面图), a furnished layout (一层平面布置图) only for
    a storey with no plain plan, and one view per storey — a second plan of the same storey (a copy, another
    scheme) is listed and said so, never counted twice in the gross area."""
    drawn = [v for v in found.views if v.bbox is not None and (view is None or _matches(v.title, view))]
    plans = [v for v in drawn if v.kind == "plan"]
    have = {v.storey for v in plans}
    plans += [v for v in drawn if v.kind == "layout" and (v.storey is None or v.storey not in have)]
    kept, by_storey = [], {}
    for v in sorted(plans, key=lambda v: v.xy[0]):
        if v.storey is not None and v.storey in by_storey:
            findings.append(Finding("drawing.same-storey-views", "drawing.same-storey-views",
                                    {"kept": by_storey[v.storey].title, "left": v.title}))
            continue
        by_storey.setdefault(v.storey, v) if v.storey is not None else None
        kept.append(v)
    return kept


def _has_geometry(raw) -> bool:
    return bool(any(raw.rings.values()) or any(raw.lines.values()) or raw.inserts)


def _matches(title: str, wanted: str) -> bool:
    """``--view 一层`` picks 一层平面图; spaces and case do not matter."""
    norm = lambda s: re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).upper()  # noqa: E731
    return norm(wanted) in norm(title)


def _listed(found: ViewSet, path: Path, unit_m: float, checked: set[int]) -> list[View]:
    return [View(v.title, v.kind, tuple(round(c * unit_m, 3) for c in v.bbox) if v.bbox else (), str(path),
                 v.storey, v.scale, v.stated_gross_m2, id(v) in checked) for v in found.views]
