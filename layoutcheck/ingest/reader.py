"""Open a DXF file, or say in one line why it cannot be opened.

ASCII and binary DXF, R12 to R2018, go through ``ezdxf.readfile``; a file ezdxf rejects as
malformed is retried through ``ezdxf.recover`` (the same path as AutoCAD's RECOVER) and the
repair is reported. A DWG, recognised from its first bytes ("AC1018" …), is read by :mod:`.dwg` into
the same kind of ezdxf document. Empty files and text that is not DXF are recognised from their
first bytes before ezdxf sees them, so the user gets a precise instruction instead of a parse error.
A DXF a text editor saved as UTF-16 or UTF-32 is decoded and read like any other.

Hostile content is dealt with before anything measures the drawing (:func:`guard`): entities whose
numbers are not finite or absurdly large (NaN, ±inf, 1e300 — GEOS crashes or loops on them) and
block references with a zero or absurd scale are dropped and reported as ``drawing.bad-numbers``;
a drawing whose blocks expand to more entities than the extractor's limit (a "block bomb", each level
inserting the one below many times) is refused at once instead of being exploded for minutes.
"""

from __future__ import annotations

import codecs
import io
import math
import os
import re
from pathlib import Path
from typing import Callable

import ezdxf
import numpy as np
from ezdxf import audit as ezdxf_audit
from ezdxf import recover
from ezdxf.document import Drawing

from ..errors import InputError
from ..model import Finding
from . import selective
from .numbers import INSERT_SCALE, MAX_ABS, MAX_BULGE, MIN_ABS, ok as _ok  # noqa: F401 - names kept here too
from .encoding import ESCAPES, decode_escapes

BINARY_SENTINEL = b"AutoCAD Binary DXF"
_DWG_MAGIC = re.compile(rb"^(AC1\d{3}|AC[12]\.\d0?|MC0\.0)")  # R13+ "AC1012"…, older "AC2.10", "AC1.50"


def sniff(path: Path) -> str:
    """Return "ascii", "binary", "dwg" or the codec of a UTF-16/32 DXF; raise InputError for anything else."""
    from ..files import MAX_DRAWING_BYTES, check_regular

    check_regular(path, MAX_DRAWING_BYTES)  # stat before open: a FIFO or device is refused, never opened
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError as exc:
        raise InputError(str(path), "error.unreadable", reason=exc.strerror or str(exc)) from None
    if not head.strip():
        raise InputError(str(path), "error.empty")
    if head.startswith(BINARY_SENTINEL):
        return "binary"
    wide = _wide_encoding(head)
    if wide is not None:
        text = head.decode(wide, "replace").lstrip("\ufeff")
        if _starts_like_dxf(text):
            return wide
    if _DWG_MAGIC.match(head):
        return "dwg"
    # An ASCII DXF is pairs of lines: a group code (an integer) and a value. The first pair is
    # "0 / SECTION", possibly after 999 comments; some writers put a BOM or blank lines first.
    if _starts_like_dxf(head.lstrip(b"\xef\xbb\xbf").decode("latin-1")):
        return "ascii"
    shown = head[:24].decode(wide or "utf-8", "replace").replace("\n", " ").replace("\r", " ")
    shown = "".join(ch if ch.isprintable() else " " for ch in shown)  # no NULs or escapes in the message
    raise InputError(str(path), "error.not-dxf", head=" ".join(shown.split()))


TAIL_BYTES = 4096  # what after the last "0 / EOF" pair may trail: padding, NULs, an editor's blank lines


def ends_like_dxf(path: Path) -> bool:
    """Does the ASCII DXF end with its end marker (group 0, EOF)? A file cut off in copying or saving does
    not, and ezdxf (or its recover path) reads what is there: when that is nothing usable, the user is told
    the file is cut off rather than to fix layer names."""
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - TAIL_BYTES))
        tail = f.read().replace(b"\x00", b"").split()
    return b"EOF" in tail[-3:]


def _starts_like_dxf(text: str) -> bool:
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    i = 0
    while i + 1 < len(lines) and lines[i] == "999":
        i += 2
    return i + 1 < len(lines) and lines[i] == "0" and lines[i + 1].upper() == "SECTION"


def _wide_encoding(head: bytes) -> str | None:
    """UTF-32 / UTF-16 text (a DXF opened and saved again in a text editor), by BOM or NUL pattern."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:400]
    if len(sample) >= 8 and sample.count(0) >= len(sample) // 3:
        for enc in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"):
            try:
                text = sample[: len(sample) // 4 * 4].decode(enc)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text and text.isascii():
                return enc
    return None


def open_dxf(path: str | os.PathLike[str], encoding: str | None = None,
             wanted: Callable[[str, str], bool] | None = None) -> tuple[Drawing, list[Finding]]:
    """Read a DXF (or DWG) drawing. Returns the document and findings about how it was read.

    With ``wanted(dxftype, layer)`` (the extractor's question, :func:`.extract.wanted_by`) an ASCII DXF is
    read selectively (:mod:`.selective`): model-space entities it rejects are never built, nor screened.
    Without it (the markup copy, which writes the whole drawing back) every entity is read."""
    p = Path(path)
    kind = sniff(p)
    if kind == "dwg":
        from .dwg import read_dwg

        doc, findings = read_dwg(p)
    elif kind not in ("ascii", "binary"):  # UTF-16 / UTF-32 text
        doc, findings = _open_wide(p, kind)
    else:
        doc = None
        if wanted is not None and kind == "ascii" and selective.enabled():
            doc = selective.read(p, encoding, wanted)  # None: read it in full
        doc, findings = (doc, []) if doc is not None else _open(p, encoding)
    try:
        doc.modelspace()
    except (KeyError, AttributeError, ValueError) as exc:  # a damaged file read without its model space
        raise InputError(str(p), "error.damaged", reason=f"no model space ({_short(exc)})") from None
    findings += guard(doc, str(p))
    return doc, findings


def _open(p: Path, encoding: str | None) -> tuple[Drawing, list[Finding]]:
    try:
        doc = ezdxf.readfile(p, encoding=encoding) if encoding else ezdxf.readfile(p)
        return _unescaped(p, doc, encoding or doc.encoding), []
    except OSError as exc:
        if exc.errno is not None:  # the file system's error, not ezdxf's "not a DXF file"
            raise InputError(str(p), "error.unreadable", reason=exc.strerror or str(exc)) from None
    except (InputError, MemoryError):  # the time limit (from a signal handler) or the memory cap: not damage
        raise
    except Exception:  # noqa: BLE001 - ezdxf fails in many ways on damaged files (struct.error,
        pass  # StopIteration, KeyError …): every one of them means "try the recover path"
    try:
        doc, auditor = recover.readfile(p)
    except OSError as exc:
        if exc.errno is not None:
            raise InputError(str(p), "error.unreadable", reason=exc.strerror or str(exc)) from None
        raise InputError(str(p), "error.damaged", reason=_short(exc)) from None
    except (InputError, MemoryError):  # the time limit (from a signal handler) or the memory cap: not damage
        raise
    except Exception as exc:  # noqa: BLE001 - recover is the last resort; any failure means "damaged"
        raise InputError(str(p), "error.damaged", reason=_short(exc)) from None
    return doc, [_recovered(auditor)]


def _unescaped(p: Path, doc: Drawing, encoding: str | None) -> Drawing:
    """The drawing read again with its ``\\U+`` / ``\\M+`` escapes decoded, when a pre-2007 ASCII file
    has any: every string (TEXT, MTEXT, ATTRIB, layer and block names) then reads as its UTF-8 twin."""
    if doc.dxfversion >= "AC1021" or sniff(p) != "ascii":
        return doc
    raw = p.read_bytes()
    if not any(e in raw for e in ESCAPES):
        return doc
    text = decode_escapes(raw.decode(encoding or "cp1252", errors="surrogateescape"))
    return ezdxf.read(io.StringIO(text))


def _open_wide(p: Path, enc: str) -> tuple[Drawing, list[Finding]]:
    try:
        text = p.read_bytes().decode(enc, "replace").lstrip("\ufeff")
    except OSError as exc:
        raise InputError(str(p), "error.unreadable", reason=exc.strerror or str(exc)) from None
    try:
        return ezdxf.read(io.StringIO(text)), []
    except (InputError, MemoryError):  # the time limit (from a signal handler) or the memory cap: not damage
        raise
    except Exception:  # noqa: BLE001 - as in _open: damaged, try the recover path
        pass
    try:
        doc, auditor = recover.read(io.BytesIO(text.encode("utf-8", "surrogateescape")))
    except (InputError, MemoryError):  # the time limit (from a signal handler) or the memory cap: not damage
        raise
    except Exception as exc:  # noqa: BLE001
        raise InputError(str(p), "error.damaged", reason=_short(exc)) from None
    return doc, [_recovered(auditor)]


def _has_cycle(self, block_name: str) -> bool:
    """``ezdxf.audit.BlockCycleDetector.has_cycle`` in linear time.

    ezdxf's own walks every path through the block graph without remembering where it has been: a
    lattice of n levels of two blocks, each inserting both blocks below, is 2**n paths, and the audit
    of the recover path never ends. Same answer (is a cycle reachable from the block?), each block
    visited once per detector."""
    memo: dict[str, bool] = self.__dict__.setdefault("_layoutcheck_reaches_cycle", {})
    root = self.key(block_name)
    if root in memo:
        return memo[root]
    if root not in self.blocks:
        return False
    stack = [(root, iter(self.blocks[root]))]
    on_stack = {root}
    while stack:
        name, it = stack[-1]
        child = next(it, None)
        if child is None:
            stack.pop()
            on_stack.discard(name)
            memo[name] = memo.get(name, False) or any(memo.get(c, False) for c in self.blocks[name])
        elif child in on_stack:
            for n, _ in stack:  # everything on the path reaches this cycle
                memo[n] = True
        elif child in self.blocks and child not in memo:
            stack.append((child, iter(self.blocks[child])))
            on_stack.add(child)
    return memo[root]


ezdxf_audit.BlockCycleDetector.has_cycle = _has_cycle  # type: ignore[method-assign]


def _recovered(auditor) -> Finding:
    fixes = len(auditor.fixes) + len(auditor.errors)
    return Finding("drawing.recovered", "drawing.recovered", {"fixes": fixes})


# --- hostile content -------------------------------------------------------------------------------
# Entities once every block reference (and MINSERT array) is exploded in full, as ezdxf.bbox does. The
# 15 MB benchmark plan, thousands of furniture and tree blocks, is 300,000–500,000; a block bomb is 10**9.
# (The extractor, which explodes only blocks that matter and only MAX_BLOCK_DEPTH deep, has its own
# budget, extract.MAX_ENTITIES.)
MAX_EXPANDED = 3_000_000


def _ok_all(values) -> bool:
    try:
        a = np.abs(np.asarray(values, dtype=np.float64))
    except (TypeError, ValueError):
        return False
    return bool(a.size == 0 or (np.isfinite(a).all() and (a <= MAX_ABS).all() and ((a == 0) | (a >= MIN_ABS)).all()))


def _attribs_ok(e) -> bool:
    for v in e.dxf.all_existing_dxf_attribs().values():
        if isinstance(v, float):
            if not _ok(v):
                return False
        elif isinstance(v, tuple) or hasattr(v, "isclose"):  # Vec2 / Vec3 / tuples of numbers
            try:
                if not all(_ok(float(c)) for c in v):
                    return False
            except (TypeError, ValueError):
                continue
    return True


def _edge_ok(edge) -> bool:
    for v in vars(edge).values():
        if isinstance(v, float) and not _ok(v):
            return False
        if isinstance(v, (list, tuple)) or hasattr(v, "isclose"):
            try:
                if not _ok_all([list(x) if hasattr(x, "__iter__") else x for x in v]):
                    return False
            except (TypeError, ValueError):
                continue
    return True


def _entity_ok(e) -> bool:
    """Are all of an entity's numbers finite and of a sane size?"""
    if not _attribs_ok(e):
        return False
    t = e.dxftype()
    if t == "LWPOLYLINE":
        pts = e.lwpoints.values
        return _ok_all(pts) and bool(len(pts) == 0 or (np.abs(pts[:, 4]) <= MAX_BULGE).all())
    if t == "POLYLINE":
        return all(_attribs_ok(v) and abs(v.dxf.get("bulge", 0.0)) <= MAX_BULGE for v in e.vertices)
    if t == "HATCH":
        for path in e.paths:
            verts = getattr(path, "vertices", None)
            if verts is not None:
                if not _ok_all(verts) or any(abs(v[2]) > MAX_BULGE for v in verts if len(v) > 2):
                    return False
            for edge in getattr(path, "edges", ()):
                if not _edge_ok(edge):
                    return False
        return True
    if t == "SPLINE":
        return (_ok_all(e.control_points) and _ok_all(e.fit_points) and _ok_all(e.knots)
                and _ok_all(e.weights))
    if t == "INSERT":
        lo, hi = INSERT_SCALE
        return all(lo <= abs(e.dxf.get(k, 1.0)) <= hi for k in ("xscale", "yscale", "zscale"))
    return True


def _fix_extrusion(e) -> bool:
    """A zero-length extrusion vector (no plane at all) is read as the default +Z."""
    ext = e.dxf.get("extrusion", None)
    if ext is not None and math.isfinite(ext[0]) and abs(ext[0]) + abs(ext[1]) + abs(ext[2]) < 1e-12:
        e.dxf.discard("extrusion")
        return True
    return False


def guard(doc: Drawing, path: str) -> list[Finding]:
    """Drop entities with unusable numbers; refuse a drawing whose blocks expand without end.

    Returns the findings to report (``drawing.bad-numbers`` with how many entities were dropped)."""
    dropped = 0
    layouts = [doc.modelspace()] + [b for b in doc.blocks if not b.block_record.is_any_layout]
    for b in layouts[1:]:
        try:
            head = b.block
            if head is not None and not _attribs_ok(head):  # a block's base point: every insert moves by it
                head.dxf.base_point = (0.0, 0.0, 0.0)
                dropped += 1
        except InputError:  # the check's time limit, raised from a signal handler
            raise
        except Exception:  # noqa: BLE001 - a block record without its BLOCK entity: nothing to move
            continue
    for layout in layouts:
        bad = []
        for e in layout:
            try:
                _fix_extrusion(e)
                if not _entity_ok(e):
                    bad.append(e)
                elif e.dxftype() == "INSERT":
                    for a in list(e.attribs):
                        if not _attribs_ok(a):
                            e.attribs.remove(a)
                            a.destroy()
                            dropped += 1
            except InputError:  # the check's time limit, raised from a signal handler
                raise
            except Exception:  # noqa: BLE001 - an entity ezdxf keeps as raw tags (TArch, AEC_*): the
                continue  # extractor counts or skips it
        for e in bad:
            try:
                layout.delete_entity(e)
            except InputError:  # the check's time limit, raised from a signal handler
                raise
            except Exception:  # noqa: BLE001 - already unlinked by the loader: leave it be
                continue
        dropped += len(bad)
    _expansion_limit(doc, path)
    if not dropped:
        return []
    return [Finding("drawing.bad-numbers", "drawing.bad-numbers", {"count": dropped})]


def _expansion_limit(doc: Drawing, path: str) -> None:
    """Count what model space holds once every block reference is exploded, without exploding it.

    Each block's count is computed once (memoised, iteratively: nesting may be thousands deep), so a
    block bomb — k references to the level below, d levels: k**d entities — costs nothing to detect.
    A MINSERT counts its rows × columns (ezdxf.bbox expands them). A reference that closes a cycle
    counts as nothing here; the extractor stops cycles by depth."""
    from .extract import MAX_BLOCK_DEPTH, expansion_counts, insert_refs

    key = doc.blocks.key  # block names are case-insensitive
    limit = MAX_EXPANDED + 1
    children: dict[str, list[tuple[str, int]]] = {}
    own: dict[str, int] = {}
    for b in doc.blocks:
        if not b.block_record.is_any_layout:
            children[key(b.name)] = insert_refs(b, limit, key)
            own[key(b.name)] = len(b)
    count: dict[str, int] = {}
    cyclic = expansion_counts(list(children), lambda n: children.get(n, []), lambda n: own.get(n, 0), limit, count)
    msp = doc.modelspace()
    lights = selective.light_entities(doc)  # block references and texts the selective reader read from tags
    keys: dict[str, str] = {}
    tops = insert_refs(msp, limit, key) + [  # a light reference is never a MINSERT: once each
        (keys[n] if n in keys else keys.setdefault(n, key(n)), 1)
        for n in (light.name for light in selective.light_inserts(doc))]
    left_out = getattr(doc, "layoutcheck_selection", None)  # entities the selective reader did not build
    total = (len(msp) + len(lights) + (left_out.dropped if left_out else 0)
             + sum(t * count.get(c, 0) for c, t in tops))
    if cyclic and total <= MAX_EXPANDED:
        # the extractor follows a cycle MAX_BLOCK_DEPTH levels down: A inserting A k times is k**depth
        level = dict(own)
        for _ in range(MAX_BLOCK_DEPTH):
            level = {n: min(own[n] + sum(t * level.get(c, 0) for c, t in children[n]), limit) for n in children}
        total = max(total, len(msp) + len(lights) + (left_out.dropped if left_out else 0)
                    + sum(t * level.get(c, 0) for c, t in tops))
    if total > MAX_EXPANDED:
        raise InputError(path, "error.too-many-entities", limit=MAX_EXPANDED)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
