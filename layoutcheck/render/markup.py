"""A copy of the drawing with the findings drawn into it, for the reviewer who works in CAD.

Everything goes on one red layer, ``LAYOUTCHECK``, which can be switched off or deleted: a
revision-cloud-like polyline around each located point and a note "#n rule: message" beside it,
plus a list of all findings above the drawing. Report locations are metres in the drawing's frame,
so a point goes back to drawing units as ``point / plan.unit_m``. R12 files get POLYLINE and TEXT
(R12 has no LWPOLYLINE or MTEXT).
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path
from typing import Any

from shapely.geometry import Point

from ..i18n import message
from ..model import Plan
from ..textsafe import clean
from . import findings

LAYER = "LAYOUTCHECK"
STYLE = "LAYOUTCHECK"
FONT = "simhei.ttf"  # 黑体: on every Chinese Windows; AutoCAD substitutes another TrueType font elsewhere
CLOUD_R_M, TEXT_H_M = 0.6, 0.25  # cloud radius and text height, metres on paper-independent model space


def write_all(plan: Plan, report: dict[str, Any], out: str | Path, encoding: str | None = None) -> list[Path]:
    """One marked-up copy per source file: ``out`` itself, or ``out-1.dxf``, ``out-2.dxf`` … for storeys.

    The copy is always a DXF (R2018 for a DWG input: the drawing as layoutcheck read it, see
    ``ingest.dwg``); an ``out`` named ``….dwg`` is written as ``….dxf`` instead."""
    paths = targets(out, len(plan.sources))
    if len(paths) == 1:
        write(plan, report, paths[0], encoding=encoding)
        return paths
    for src, path in zip(plan.sources, paths):
        write(plan, report, path, source=src, encoding=encoding)
    return paths


def targets(out: str | Path, sources: int) -> list[Path]:
    """The files :func:`write_all` writes for a plan of ``sources`` files (so the CLI can refuse, before
    the check, a copy that would overwrite an input drawing)."""
    out = Path(out)
    if out.suffix.lower() == ".dwg":
        out = out.with_suffix(".dxf")
    if sources <= 1:
        return [out]
    return [out.with_name(f"{out.stem}-{i}{out.suffix or '.dxf'}") for i in range(1, sources + 1)]


def write(plan: Plan, report: dict[str, Any], out: str | Path, source: str | Path | None = None,
          encoding: str | None = None) -> dict[int, list[Any]]:
    """Copy ``source`` (default: the plan's first file) to ``out`` with the marks; returns {n: entities}.

    With several source files only the points inside that file's storeys are marked in its copy.
    """
    from ezdxf import const

    from ..ingest.reader import open_dxf

    source = str(source or plan.sources[0])
    if Path(out).suffix.lower() == ".dwg":
        out = Path(out).with_suffix(".dxf")
    doc, _ = open_dxf(source, encoding=encoding)
    mine = [s.footprint.buffer(1.0) for s in plan.storeys if s.source == source]
    r12 = doc.dxfversion <= const.DXF12
    if LAYER not in doc.layers:
        doc.layers.add(LAYER, color=1)  # ACI 1 = red
    if not r12 and STYLE not in doc.styles:
        doc.styles.add(STYLE, font=FONT)
    msp = doc.modelspace()
    u = plan.unit_m
    r, h = CLOUD_R_M / u, TEXT_H_M / u
    attribs = {"layer": LAYER, "color": 256}  # BYLAYER: red
    marks: dict[int, list[Any]] = {}
    for n, res in findings(report):
        for x_m, y_m in res.get("where") or []:
            if len(plan.sources) > 1 and not any(f.contains(Point(x_m, y_m)) for f in mine):
                continue
            x, y = x_m / u, y_m / u
            ents = [msp.add_polyline2d(_cloud(x, y, r), format="xyb", close=True, dxfattribs=attribs)]
            note = f"#{n} {res['rule']}: {res['message']}"
            ents.append(_note(msp, _fit(note, doc, r12), (x + r * 1.1, y + r * 0.5), h, 40 * h, r12, attribs))
            marks.setdefault(n, []).extend(ents)
    _counter_numbers(msp, plan, source, h, r12, attribs, lambda t: _fit(t, doc, r12), report.get("lang", "zh"))
    _summary(msp, plan, report, h, r12, attribs, lambda t: _fit(t, doc, r12))
    _clean_texts(doc)
    from ..files import atomic_target

    with atomic_target(out) as tmp:  # whole or not at all: a full disk leaves no half-written drawing
        doc.saveas(tmp)
    return marks


def _clean_texts(doc) -> None:
    """Drop control characters (ESC, BEL, C1 …) from the copy's own texts: the marked-up drawing is an output
    like any other, and a label that would recolour a terminal when the DXF is printed is no part of a plan.
    Nothing else in the copy changes."""
    for e in doc.entitydb.values():
        kind = e.dxftype()
        if kind in ("TEXT", "ATTRIB", "ATTDEF"):
            text = e.dxf.get("text", "")
            if text and clean(text) != text:
                e.dxf.text = clean(text)
        elif kind == "MTEXT":
            if e.text and clean(e.text) != e.text:
                e.text = clean(e.text)


def _counter_numbers(msp, plan: Plan, source: str, h: float, r12: bool, attribs: dict, fit, lang: str = "zh") -> None:
    """“柜台 #n” on each counter of this file, numbered as the messages number them."""
    mine = {s.index for s in plan.storeys if s.source == source}
    u = plan.unit_m
    for i, c in enumerate(plan.counters):
        if c.storey not in mine or c.footprint.is_empty:
            continue
        p = c.footprint.representative_point()
        text = fit(message("markup.counter", lang, n=i + 1))
        if r12:
            msp.add_text(text, height=h, dxfattribs={**attribs, "insert": (p.x / u, p.y / u)})
        else:
            msp.add_mtext(text, dxfattribs={**attribs, "style": STYLE, "char_height": h, "insert": (p.x / u, p.y / u),
                                            "attachment_point": 5})  # 5: middle centre


def from_dwg(sources) -> bool:
    """Is any of the plan's files a DWG? (Its marked-up copy is a DXF.)"""
    from ..ingest.dwg import version_of

    for src in sources:
        try:
            with open(src, "rb") as f:
                if version_of(f.read(6)):
                    return True
        except OSError:
            continue
    return False


def _cloud(x: float, y: float, r: float, arcs: int = 12) -> list[tuple[float, float, float]]:
    """Vertices on a circle joined by outward bulges: the scalloped look of AutoCAD's REVCLOUD."""
    pts = [(x + r * math.cos(2 * math.pi * i / arcs), y + r * math.sin(2 * math.pi * i / arcs)) for i in range(arcs)]
    return [(px, py, 0.6) for px, py in pts]  # bulge > 0 bulges outward for a counter-clockwise ring


def _note(msp, text: str, at: tuple[float, float], h: float, width: float, r12: bool, attribs: dict):
    if not r12:  # MTEXT reads backslash and braces as codes
        text = text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
        return msp.add_mtext(text, dxfattribs={**attribs, "style": STYLE, "char_height": h, "width": width,
                                                "insert": at, "attachment_point": 7})  # 7: bottom left
    return msp.add_text(text, height=h, dxfattribs={**attribs, "insert": at})


def _fit(text: str, doc, r12: bool) -> str:
    """R12 text is stored in the drawing's code page (GBK for ANSI_936): spell what it lacks (m² → m2)."""
    if not r12:
        return text
    out = []
    for c in text:
        try:
            c.encode(doc.encoding)
        except (UnicodeEncodeError, LookupError):
            c = unicodedata.normalize("NFKC", c) if c != unicodedata.normalize("NFKC", c) else "?"
        out.append(c)
    return "".join(out)


def _summary(msp, plan: Plan, report: dict[str, Any], h: float, r12: bool, attribs: dict, fit) -> None:
    """All findings, located or not, as a block of notes above the drawing's top-left corner."""
    rows = [f"layoutcheck {report['standard']}: {report['verdict'].upper()}"]
    rows += [f"#{n} [{r['status']}] {r['rule']}: {r['message']}" for n, r in findings(report)]
    if not plan.storeys:
        return
    x0 = min(s.footprint.bounds[0] for s in plan.storeys) / plan.unit_m
    y1 = max(s.footprint.bounds[3] for s in plan.storeys) / plan.unit_m
    for i, row in enumerate(reversed(rows)):
        _note(msp, fit(row), (x0, y1 + 2 * h + i * 1.6 * h), h, 80 * h, r12, attribs)
