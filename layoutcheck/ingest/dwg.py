"""DWG → an in-memory ezdxf document, so the DXF ingest (extract → assemble) reads it unchanged.

The file is decoded by ezdwg (MIT, Rust core, R13–R2018) in a child process (``_dwg_child.py``)
whose address space and CPU time are capped and which the check's time limit kills: a Rust
decoder can be neither interrupted by SIGALRM nor stopped by a Python exception, and an
allocation failure in it aborts its process. The child hands back plain data: layers, block
definitions (name, base point), entities with their owner and layer, and a count of TArch / AEC
objects. Here that becomes an ezdxf document: the same entities in model space and in their
blocks, INSERTs with their ATTRIBs, ``$INSUNITS`` as declared. ``to_dxf()`` is never used: it
drops INSERTs silently.

What cannot be used is skipped and counted, never fatal:

* an entity type ezdwg cannot decode at all (its query raises) → ``drawing.dwg-unread``; TEXT,
  whose query raises on one NaN position, is read again from the decoder's rows, and the entities
  with NaN or infinite numbers are then dropped by the reader's guard (``drawing.bad-numbers``);
* a block name that is empty or holds control characters (a damaged block table), and an INSERT
  of a block the table does not define → ``drawing.dwg-block-names``; such an INSERT is skipped;
* TArch (TCH_*) and AEC objects, which ezdwg does not expose: a plan whose walls exist only as
  such objects is refused with the instruction to export T3 (``error.dwg-tarch``); otherwise they are
  counted as ``drawing.proxy-entities``, as for a DXF.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import ezdxf
from ezdxf.document import Drawing

from ..errors import InputError
from ..model import Finding

# First six bytes of a DWG: its version. R13 (AC1012) is the oldest ezdwg reads.
SUPPORTED = {
    "AC1012": "R13", "AC1014": "R14", "AC1015": "AutoCAD 2000", "AC1018": "AutoCAD 2004",
    "AC1021": "AutoCAD 2007", "AC1024": "AutoCAD 2010", "AC1027": "AutoCAD 2013", "AC1032": "AutoCAD 2018",
}
OLD = {"MC0.0": "1.1", "AC1.2": "1.2", "AC1.40": "1.40", "AC1.50": "2.05", "AC2.10": "2.10",
       "AC1001": "2.2", "AC1002": "2.5", "AC1003": "2.6", "AC1004": "R9", "AC1006": "R10",
       "AC1009": "R11/R12"}
MEMORY_MB = 2048  # address space of the reading process; LAYOUTCHECK_DWG_MEMORY_MB overrides
CPU_S = 600  # CPU seconds of the reading process, a backstop behind the check's own time limit
POLL_S = 0.2  # how often the wait for the reader lets the check's deadline in (Dask worker threads)
# Object classes whose geometry only TArch (or AutoCAD Architecture) can draw. When walls, columns or
# openings are among them and the plain geometry has no walls, the plan's walls are in them.
STRUCTURAL = ("TCH_WALL", "TCH_OPENING", "TCH_COLUMN", "TCH_SPACE", "AEC_WALL", "AEC_DOOR", "AEC_WINDOW",
              "AEC_OPENING", "AEC_SPACE")

_CHILD = Path(__file__).with_name("_dwg_child.py")


def version_of(head: bytes) -> str:
    """The version string a DWG starts with ("AC1018"), or "" when the bytes are not one."""
    for tag in (*SUPPORTED, *OLD):
        if head.startswith(tag.encode("ascii")):
            return tag
    if head[:4] == b"AC10" and head[4:6].isdigit():
        return head[:6].decode("ascii")
    return ""


def read_dwg(path: Path) -> tuple[Drawing, list[Finding]]:
    """Read a DWG into an ezdxf document; findings say what was skipped. InputError if it cannot be read."""
    with path.open("rb") as f:
        tag = version_of(f.read(6))
    if tag in OLD:
        raise InputError(str(path), "error.dwg-too-old", version=OLD[tag])
    if tag not in SUPPORTED:
        raise InputError(str(path), "error.dwg-version", version=tag or "?")
    data = _run_child(path)
    return build(data, str(path))


def _memory_mb() -> int:
    try:
        return int(os.environ.get("LAYOUTCHECK_DWG_MEMORY_MB", MEMORY_MB))
    except ValueError:
        return MEMORY_MB


def _run_child(path: Path) -> dict[str, Any]:
    memory = _memory_mb()
    try:
        # -P: the child's own folder (ingest/, with its text.py, units.py …) is not put on its import path
        proc = subprocess.Popen([sys.executable, "-P", str(_CHILD), str(path), str(memory), str(CPU_S)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as exc:  # no interpreter to run the reader with (an embedded Python), no processes left
        raise InputError(str(path), "error.dwg-damaged", reason=f"cannot start the DWG reader: {exc}") from None
    try:
        while True:
            try:
                out, err = proc.communicate(timeout=POLL_S)
                break
            except subprocess.TimeoutExpired:
                continue  # the check's deadline (SIGALRM or an async exception) arrives between polls
    finally:
        if proc.poll() is None:  # the deadline came: the reader must not outlive the check
            proc.kill()
            proc.wait()
    result = None
    if out:
        try:
            result = pickle.loads(out)
        except Exception:  # noqa: BLE001 - cut short by a crash: no result
            result = None
    if not isinstance(result, dict):
        if proc.returncode == -getattr(signal, "SIGXCPU", 24):  # the reader's own CPU cap, behind the check's
            raise InputError(str(path), "error.timeout", seconds=CPU_S)
        text = err.decode("utf-8", "replace")
        if "memory" in text.lower() or proc.returncode in (-6, -9) and "alloc" in text.lower():
            raise InputError(str(path), "error.dwg-memory", limit=memory)
        last = next((ln.strip() for ln in reversed(text.splitlines()) if ln.strip()), "")
        reason = last[:120] or f"the reader stopped (exit status {proc.returncode})"
        raise InputError(str(path), "error.dwg-damaged", reason=reason)
    if result.get("error") == "memory":
        raise InputError(str(path), "error.dwg-memory", limit=memory)
    if "ok" not in result:
        raise InputError(str(path), "error.dwg-damaged", reason=result.get("reason", "?"))
    return result["ok"]


# --- building the ezdxf document ------------------------------------------------------------------------
def _bad_name(name: Any) -> bool:
    """A block name a block table cannot hold: empty, or with control characters (a damaged entry)."""
    return not isinstance(name, str) or not name.strip() or any(
        unicodedata.category(ch) in ("Cc", "Cs", "Cn") for ch in name)


def _xy(p) -> tuple[float, float]:
    return (float(p[0]), float(p[1]))


def _xyz(p) -> tuple[float, float, float]:
    return (float(p[0]), float(p[1]), float(p[2]) if len(p) > 2 else 0.0)


class _Builder:
    def __init__(self, data: dict[str, Any], path: str) -> None:
        self.data = data
        self.path = path
        self.doc = ezdxf.new("R2018")
        self.layer_names = data["layers"]
        self.style_layer = data["style_layer"]
        self.placements = data["placements"]
        self.block_names = data["block_names"]
        self.bad_blocks = 0  # damaged block names
        self.missing = 0  # INSERTs of blocks the table does not define
        self.examples: list[str] = []
        self.layouts: dict[int, Any] = {}  # block header handle → ezdxf layout
        self.model_handles: set[int] = set()
        self.paper_handles: set[int] = set()
        self.inserts: dict[int, Any] = {}  # INSERT handle → ezdxf Insert, for its ATTRIBs
        self.unread = 0

    def run(self) -> Drawing:
        doc = self.doc
        insunits = self.data.get("insunits")
        if insunits is None:
            if "$INSUNITS" in doc.header:  # R14 and older declare none: the units are guessed, as for a DXF
                del doc.header["$INSUNITS"]
        else:
            doc.header["$INSUNITS"] = int(insunits)
        for name in sorted(set(self.layer_names.values())):
            self._layer(name)
        self._blocks()
        # In handle order, the order a DXF of the drawing lists them in (the extractor's results follow
        # it); ATTRIBs last, once their INSERTs exist.
        entities = sorted(self.data["entities"], key=lambda e: (e[0] == "ATTRIB", e[1]))
        for kind, handle, dxf in entities:
            self._entity(kind, handle, dxf)
        return doc

    def _layer(self, name: str) -> str:
        if name in self.doc.layers:
            return name
        try:
            self.doc.layers.add(name)
            return name
        except Exception:  # noqa: BLE001 - a name the DXF table cannot hold: keep the entity on a safe name
            safe = "".join(ch if ch.isprintable() and ch not in '<>/\\":;?*|=`' else "_" for ch in name) or "0"
            if safe not in self.doc.layers:
                self.doc.layers.add(safe)
            return safe

    def _note_bad(self, name: Any) -> None:
        if len(self.examples) < 3:
            # shown as a reader would: control characters as �, not Python escapes (d\x05R…)
            self.examples.append("“" + "".join(ch if ch.isprintable() else "�" for ch in name)[:24] + "”")

    def _blocks(self) -> None:
        defined: dict[str, int] = {}
        for handle, name, base in self.data["blocks"]:
            name = self.block_names.get(handle, name)  # the block record's own name: "*U3", not "*U"
            upper = str(name).upper()
            if upper.startswith("*MODEL_SPACE"):
                self.model_handles.add(handle)
                continue
            if upper.startswith("*PAPER_SPACE"):
                self.paper_handles.add(handle)
                continue
            if _bad_name(name):
                self.bad_blocks += 1
                self._note_bad(name)
                continue
            if upper in defined:  # the same name twice: the first definition wins, as in CAD
                self.layouts[handle] = self.layouts[defined[upper]]
                continue
            try:
                # a NaN base point is kept: the reader's guard resets it and counts it, as for a DXF
                self.layouts[handle] = self.doc.blocks.new(name, base_point=_xyz(base))
            except Exception:  # noqa: BLE001 - a name ezdxf refuses (its own rules): count it as damaged
                self.bad_blocks += 1
                self._note_bad(name)
                continue
            defined[upper] = handle

    def _owner(self, handle: int, kind: str, dxf: dict):
        """The layout an entity belongs to; None for paper space, blocks we dropped, or no owner at all."""
        if kind == "ATTRIB":
            return self.inserts.get(dxf.get("owner_handle") or self.placements.get(handle, (0, 0))[1])
        mode, owner = self.placements.get(handle, (2, 0))
        if mode == 2 or (mode == 0 and owner in self.model_handles):
            return self.doc.modelspace()
        if mode == 1 or owner in self.paper_handles:
            return None
        return self.layouts.get(owner)

    def _attribs(self, handle: int) -> dict[str, Any]:
        layer = self.layer_names.get(self.style_layer.get(handle, -1), "0")
        return {"layer": self._layer(layer)}

    def _entity(self, kind: str, handle: int, dxf: dict) -> None:
        target = self._owner(handle, kind, dxf)
        if target is None:
            return
        attribs = self._attribs(handle)
        try:
            self._add(kind, handle, dxf, target, attribs)
        except Exception:  # noqa: BLE001 - an entity ezdxf cannot take as decoded: skip and count it
            self.unread += 1

    def _add(self, kind: str, handle: int, d: dict, layout, a: dict) -> None:
        ext = d.get("extrusion")
        if ext is not None and tuple(ext) != (0.0, 0.0, 1.0) and kind not in ("POLYLINE_3D", "POINT"):
            a["extrusion"] = _xyz(ext)
        if kind == "LINE":
            layout.add_line(_xyz(d["start"]), _xyz(d["end"]), dxfattribs=a)
        elif kind == "ARC":
            layout.add_arc(_xyz(d["center"]), d["radius"], d["start_angle"], d["end_angle"], dxfattribs=a)
        elif kind == "CIRCLE":
            layout.add_circle(_xyz(d["center"]), d["radius"], dxfattribs=a)
        elif kind == "ELLIPSE":
            a.pop("extrusion", None)
            layout.add_ellipse(_xyz(d["center"]), _xyz(d["major_axis"]), d["axis_ratio"], d["start_angle"],
                               d["end_angle"], dxfattribs=a)
        elif kind == "LWPOLYLINE":
            pts = d.get("points") or []
            bulges = list(d.get("bulges") or []) + [0.0] * len(pts)
            widths = list(d.get("widths") or []) + [(0.0, 0.0)] * len(pts)
            rows = [(p[0], p[1], w[0], w[1], b) for p, w, b in zip(pts, widths, bulges)]
            if d.get("elevation"):
                a["elevation"] = float(d["elevation"])
            if d.get("const_width"):
                a["const_width"] = float(d["const_width"])
            layout.add_lwpolyline(rows, format="xyseb", close=bool(d.get("closed")), dxfattribs=a)
        elif kind == "POLYLINE_2D":
            pts = d.get("points") or []
            bulges = list(d.get("bulges") or []) + [0.0] * len(pts)
            if d.get("interpolation_applied") and d.get("interpolated_points"):  # a spline- or curve-fit polyline
                pts, bulges = d["interpolated_points"], [0.0] * len(d["interpolated_points"])
            layout.add_polyline2d([(p[0], p[1], b) for p, b in zip(pts, bulges)], format="xyb",
                                  close=bool(d.get("closed")), dxfattribs=a)
        elif kind == "POLYLINE_3D":
            layout.add_polyline3d([_xyz(p) for p in d.get("points") or []], close=bool(d.get("closed")),
                                  dxfattribs=a)
        elif kind in ("TEXT", "ATTDEF", "ATTRIB"):
            self._text(kind, d, layout, a)
        elif kind == "MTEXT":
            a["char_height"] = d.get("char_height") or 1.0
            if d.get("rect_width"):
                a["width"] = d["rect_width"]
            a["attachment_point"] = d.get("attachment_point") or 1
            direction = d.get("text_direction")
            if direction is not None:
                a["text_direction"] = _xyz(direction)
            text = d.get("raw_text") if d.get("raw_text") is not None else d.get("text", "")
            mt = layout.add_mtext(text, dxfattribs=a)
            mt.dxf.insert = _xyz(d["insert"])
        elif kind == "INSERT":
            self._insert(handle, d, layout, a)
        elif kind == "HATCH":
            paths = d.get("paths") or []
            hatch = layout.add_hatch(dxfattribs=a)
            if d.get("elevation"):
                hatch.dxf.elevation = (0.0, 0.0, float(d["elevation"]))
            name = d.get("pattern_name") or ""
            if d.get("solid_fill"):
                hatch.set_solid_fill()
            else:
                hatch.set_pattern_fill(name or "ANSI31")  # names are empty from R2007: any pattern will do
            for p in paths:
                pts = [_xy(q) for q in p.get("points") or []]
                if len(pts) >= 2:
                    hatch.paths.add_polyline_path(pts, is_closed=bool(p.get("closed", True)))
        elif kind in ("SOLID", "TRACE"):
            pts = [_xyz(p) for p in (d.get("points") or [])][:4]
            (layout.add_solid if kind == "SOLID" else layout.add_trace)(pts, dxfattribs=a)
        elif kind == "POINT":
            layout.add_point(_xyz(d["location"]), dxfattribs=a)

    def _text(self, kind: str, d: dict, layout, a: dict) -> None:
        a["height"] = d.get("height") or 1.0
        for key in ("rotation", "width", "oblique"):
            if d.get(key) is not None:
                a[key] = d[key]
        a["halign"] = int(d.get("halign") or 0)
        a["valign"] = int(d.get("valign") or 0)
        insert = _xyz(d["insert"])
        a["insert"] = insert
        if d.get("align_point") is not None:
            a["align_point"] = _xyz(d["align_point"])
        text = d.get("text") or ""
        if kind == "TEXT":
            layout.add_text(text, dxfattribs=a)
        elif kind == "ATTDEF":
            a["flags"] = int(d.get("attribute_flags") or 0)
            layout.add_attdef(d.get("tag") or "TAG", insert, text=text, dxfattribs=a)
        else:  # ATTRIB: ``layout`` is the INSERT
            a["flags"] = int(d.get("attribute_flags") or 0)
            layout.add_attrib(d.get("tag") or "TAG", text, insert, dxfattribs=a)

    def _insert(self, handle: int, d: dict, layout, a: dict) -> None:
        block = self.data["insert_blocks"].get(handle)
        name = self.block_names.get(block) if block is not None else None
        if name is None:
            name = d.get("name")
        if _bad_name(name):
            self.bad_blocks += 1
            self._note_bad(name)
            return
        if name not in self.doc.blocks:
            self.missing += 1
            self._note_bad(name)
            return
        for key in ("xscale", "yscale", "zscale", "rotation"):
            if d.get(key) is not None:
                a[key] = d[key]
        self.inserts[handle] = layout.add_blockref(name, _xyz(d["insert"]), dxfattribs=a)

    def findings(self) -> list[Finding]:
        out = []
        if self.bad_blocks or self.missing:
            out.append(Finding("drawing.dwg-block-names", "drawing.dwg-block-names",
                               {"count": self.bad_blocks + self.missing, "examples": ", ".join(self.examples)}))
        lost = dict(self.data.get("lost") or {})
        unread = self.unread + sum(lost.values())
        if unread:
            kinds = ", ".join(sorted(lost)) or "—"
            out.append(Finding("drawing.dwg-unread", "drawing.dwg-unread", {"count": unread, "types": kinds}))
        return out


def build(data: dict[str, Any], path: str) -> tuple[Drawing, list[Finding]]:
    """The ezdxf document for what the reading process found, with the findings about what was skipped."""
    b = _Builder(data, path)
    doc = b.run()
    doc.layoutcheck_dwg = {"version": data["version"], "custom": dict(data.get("custom") or {})}  # type: ignore[attr-defined]
    return doc, b.findings()


def custom_objects(doc: Drawing) -> tuple[int, bool]:
    """(TArch/AEC objects in a DWG read by :func:`read_dwg`, whether walls/openings are among them)."""
    info = getattr(doc, "layoutcheck_dwg", None)
    if not info:
        return 0, False
    custom = info["custom"]
    structural = sum(n for k, n in custom.items() if k.startswith(STRUCTURAL))
    return sum(custom.values()), structural > 0
