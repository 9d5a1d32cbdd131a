"""Read only what the check can use: a DXF's entities are sorted by layer and type before ezdxf builds them.

A plan sent for checking is mostly clutter the extractor never reads: dimensions (and the anonymous block
each one draws itself with), pattern hatches, site lines, notes. ezdxf builds a full Python object for each
before the extractor skips it, and that is most of a large check. Here the ASCII text of the drawing is cut
into entities first — a tag ``0`` followed by a line that is not an integer starts one, which holds whatever
the parity of the line: after a value comes a group code, always an integer — and an entity is left out when
:func:`~layoutcheck.ingest.extract.reads` says the extractor does nothing with its type on its layer's role
(the same :class:`~layoutcheck.ingest.layers.LayerMap` decision the extractor makes). ezdxf then reads the rest
with its own loader, so what is kept is exactly what the full read gives.

What is never left out: block references, proxy and unknown objects, anything in paper space, the first
texts (the encoding guess samples them), the tables, the header, the objects, and every block but the
anonymous dimension blocks (``*D…``) that only left-out dimensions use. What was left out is recorded on the
document (:class:`Selection`: how many model-space entities, on which layers) so that the extractor's layer
list and entity count, and the reader's expansion limit, are the same as after a full read.

Correctness first: anything unusual reads the whole file the usual way (:func:`read` returns None) — a binary
or UTF-16 DXF, a structure that does not cut into whole tag pairs, a section missing or repeated, a left-out
entity with a number :func:`~layoutcheck.ingest.reader.guard` would have dropped and reported (NaN, inf, 1e300:
see ``_LITERALS``), or anything ezdxf's loader rejects (the full read then takes ezdxf's recover path). The
single-line-schematic fallback, which reads unmapped layers as room outlines, reads the file again in full.
``LAYOUTCHECK_FULL_READ=1`` turns the selection off. One difference remains by design: damage confined to
a left-out entity (a value ezdxf cannot parse, a huge number written out in full) goes unseen, where the
full read would have taken the recover path (``drawing.recovered``) or dropped it (``drawing.bad-numbers``).
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import ezdxf
from ezdxf.document import Drawing

from ..errors import InputError
from .encoding import ESCAPES, SAMPLE, decode_escapes

ENV_FULL = "LAYOUTCHECK_FULL_READ"

# Types the extractor reads only on some layer roles, each a single entity (a POLYLINE with its VERTEX/SEQEND).
# Everything else (INSERT, TEXT, MTEXT, ATTDEF, proxies, TArch objects, images …) is always kept.
DROPPABLE = frozenset({
    "LINE", "ARC", "CIRCLE", "ELLIPSE", "LWPOLYLINE", "POLYLINE", "HATCH", "SOLID", "TRACE", "SPLINE",
    "DIMENSION", "ARC_DIMENSION", "LARGE_RADIAL_DIMENSION", "LEADER", "MULTILEADER", "MLEADER", "POINT",
    "3DFACE", "RAY", "XLINE", "MLINE",
})
TEXTS = frozenset({"TEXT", "MTEXT"})  # dropped on "ignore" layers only, after the first SAMPLE
SUB_ENTITIES = frozenset({"VERTEX", "SEQEND", "ATTRIB"})  # follow their parent's fate

# A group code 0 line followed by a line that is no integer: the start of an entity, whatever the parity.
# (The type must end in a newline inside the range searched: at the range's end the look-ahead is blind.)
_ENTITY = re.compile(r"\n[ \t]*0[ \t]*\n(?![ \t]*[-+]?\d+[ \t]*\n)([^\n]+)(?=\n)")
_DIM_BLOCK_NAME = re.compile(r"\n(\*[Dd][^\n]*)")
# Where a number guard() would refuse is written in what is left out: NaN, inf, a signed exponent (what Python,
# AutoCAD and C's printf write for 1e300 or 1e-320). Each hit is read as guard() reads it (:func:`_refused`); a
# word that merely contains "inf" is no hit. Not looked for (a scan of every number would cost what the guard
# saves): a huge number written out in full (ezdxf writes up to 1e16 so), a huge bulge, an unsigned exponent.
# Those entities are simply never read, as the extractor would never have read them.
_LITERALS = ("nan", "NaN", "NAN", "inf", "Inf", "INF", "e+", "E+", "e-", "E-")
_FLOAT_CODES = frozenset(list(range(10, 60)) + list(range(110, 150)) + list(range(210, 240))
                         + list(range(460, 470)) + list(range(1010, 1060)))


@dataclass(frozen=True)
class Selection:
    """What a selective read left out: model-space entities (how many, on which layers) and blocks."""

    dropped: int
    layers: frozenset[str]
    blocks: int


def enabled() -> bool:
    return os.environ.get(ENV_FULL, "").strip() not in ("1", "true", "yes")


def selection(doc: Drawing) -> Selection | None:
    return getattr(doc, "layoutcheck_selection", None)


def read(p: Path, encoding: str | None, wanted: Callable[[str, str], bool]) -> Drawing | None:
    """The drawing with only the entities ``wanted(dxftype, layer)`` accepts (see the module's rules),
    or None when it must be read in full. Same encoding rules as ``ezdxf.readfile`` (and the reader's
    ``\\U+`` escape decoding)."""
    from ezdxf.filemanagement import dxf_file_info
    from ezdxf.tools.codepage import is_supported_encoding

    from ..files import MAX_DRAWING_BYTES, read_bytes

    data = read_bytes(p, MAX_DRAWING_BYTES)  # no FIFO swapped in since the sniff, no file beyond the cap
    if data.startswith(b"AutoCAD Binary DXF"):
        return None
    try:
        info = dxf_file_info(str(p))
        escaped = info.version < "AC1021" and any(e in data for e in ESCAPES)
        enc = encoding or info.encoding
        if escaped:  # as reader._unescaped: the file read again, escapes decoded, newlines untouched
            text = decode_escapes(data.decode(enc or "cp1252", errors="surrogateescape"))
            if "\r" in text:
                return None  # the full read takes the recover path on these: let it
        else:  # as open(..., "rt"): universal newlines
            text = data.decode(enc, errors="surrogateescape")
            if "\r" in text:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
    except InputError:  # the check's time limit, raised from a signal handler
        raise
    except Exception:  # noqa: BLE001 - an unknown code page, a header ezdxf cannot scan: the full read says
        return None
    del data
    try:
        cut = _select(text, wanted)
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - a structure this cutter did not foresee: read in full
        cut = None
    del text
    if cut is None:
        return None
    kept, sel = cut
    # ezdxf's loader reads lines from a stream: the kept text as bytes, decoded a chunk at a time, costs a
    # quarter of the memory of a StringIO (which holds 4 bytes a character once any character is not ASCII).
    stream = io.TextIOWrapper(io.BytesIO(kept.encode("utf-8", "surrogatepass")), encoding="utf-8",
                              errors="surrogatepass", newline="\n")
    del kept
    try:
        doc = ezdxf.read(stream)
    except InputError:  # the check's time limit, raised from a signal handler
        raise
    except Exception:  # noqa: BLE001 - whatever the loader rejects goes the full way (with ezdxf's recover)
        return None
    if not escaped:
        doc.filename = str(p)
        if encoding is not None and is_supported_encoding(encoding):
            doc.encoding = encoding
    doc.layoutcheck_selection = sel  # type: ignore[attr-defined]
    return doc


def _sections(text: str) -> dict[str, tuple[int, int]] | None:
    """Section name → (start of its body, start of its ENDSEC); None if a section is repeated or unclosed."""
    out: dict[str, tuple[int, int]] = {}
    at = 0
    while True:
        i = text.find("\nSECTION\n", at)
        if i < 0:
            return out
        head = text.rfind("\n", 0, i) + 1
        name_end = text.find("\n", text.find("\n", i + 9) + 1)
        code, name = text[i + 9:name_end].split("\n") if name_end > 0 else ("", "")
        at = i + 9
        if text[head:i].strip() != "0" or code.strip() != "2":
            continue  # "SECTION" as a value somewhere, not a section
        j = name_end
        while True:
            j = text.find("\nENDSEC", j)
            if j < 0:
                return None
            if text[text.rfind("\n", 0, j) + 1:j].strip() == "0" and text[j + 7:j + 8] in ("\n", ""):
                break
            j += 7
        if name in out:
            return None
        out[name] = (name_end + 1, text.rfind("\n", 0, j) + 1)
        at = j


def _chunks(text: str, start: int, end: int) -> list[tuple[int, int, str]] | None:
    """The entities between ``start`` and ``end``: (start, end, type); None unless they tile it in whole pairs."""
    marks = [(m.start() + 1, m.group(1)) for m in _ENTITY.finditer(text, start - 1, end)]
    if not marks:
        return [] if start == end else None
    if marks[0][0] != start:
        return None
    out = []
    for (a, kind), (b, _) in zip(marks, marks[1:] + [(end, "")]):
        if text.count("\n", a, b) % 2:
            return None  # an odd number of lines: not whole tag pairs, the structure is not what it seems
        out.append((a, b, kind))
    return out


def _head(text: str, a: int, b: int) -> tuple[str, bool]:
    """An entity's layer ("0" when it names none) and whether it is in paper space (67 = 1), read from its
    first tags up to its first point (10)."""
    lines = text[a:min(b, a + 4000)].split("\n", 160)
    layer, paper = "0", False
    for i in range(2, len(lines) - 1, 2):
        code = lines[i].strip()
        if code == "8":
            layer = lines[i + 1]
        elif code == "67":
            paper = lines[i + 1].strip() not in ("0", "")
        elif code == "10":
            break
    return layer, paper


def _select(text: str, wanted: Callable[[str, str], bool]) -> tuple[str, Selection] | None:
    sections = _sections(text)
    if sections is None or "ENTITIES" not in sections:
        return None
    e0, e1 = sections["ENTITIES"]
    chunks = _chunks(text, e0, e1)
    if chunks is None:
        return None
    drop: list[tuple[int, int]] = []  # ranges of the text left out
    layers: set[str] = set()
    dropped = texts = 0
    parent_dropped = False
    for a, b, kind in chunks:
        if kind in SUB_ENTITIES:
            if parent_dropped:
                drop.append((a, b))
            continue
        parent_dropped = False
        if kind in TEXTS:
            texts += 1
            if texts <= SAMPLE:  # encoding.better_encoding samples the first texts, whatever their layer
                continue
        elif kind not in DROPPABLE:
            continue
        layer, paper = _head(text, a, b)
        if paper or wanted(kind, layer):
            continue
        drop.append((a, b))
        parent_dropped = True
        dropped += 1
        layers.add(layer)
    if not drop:
        return None  # nothing to gain
    dropped_text = "".join(text[a:b] for a, b in drop)
    blocks, n_blocks = _dimension_blocks(text, sections, dropped_text)
    drop += blocks
    if _any_refused("".join(text[a:b] for a, b in drop)):
        return None  # guard() would drop and report one of these: read in full to report the same
    drop.sort()
    parts, at = [], 0
    for a, b in drop:
        parts.append(text[at:a])
        at = b
    parts.append(text[at:])
    return "".join(parts), Selection(dropped, frozenset(layers), n_blocks)


def _any_refused(left_out: str) -> bool:
    """Does any left-out entity hold a number guard() would refuse (and report)?"""
    left_out = "\n" + left_out
    for lit in _LITERALS:
        at = left_out.find(lit)
        while at >= 0:
            if _refused(left_out, at):
                return True
            at = left_out.find(lit, at + 1)
    return False


def _refused(text: str, at: int) -> bool:
    """Is the value on the line at ``at`` a float guard() refuses, by the group code on the line before?"""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    code_line = text[text.rfind("\n", 0, start - 1) + 1:start - 1] if start > 0 else ""
    try:
        code = int(code_line)
    except ValueError:
        return False
    if code not in _FLOAT_CODES:
        return False
    from .reader import _ok

    try:
        v = float(text[start:end if end >= 0 else None])
    except ValueError:
        return True  # not a number where ezdxf expects one: let the full read deal with it
    return not _ok(v)


def _dimension_blocks(text: str, sections: dict[str, tuple[int, int]],
                      dropped_text: str) -> tuple[list[tuple[int, int]], int]:
    """Ranges of the anonymous dimension blocks (``*D…``, BLOCK to ENDBLK, and their BLOCK_RECORD entries)
    whose name is written nowhere but in their own definition, their record and left-out dimensions: no
    block reference, kept dimension or text can reach them. Returns the ranges and how many blocks."""
    if "BLOCKS" not in sections:
        return [], 0
    b0, b1 = sections["BLOCKS"]
    chunks = _chunks(text, b0, b1)
    if chunks is None:
        return [], 0
    outside = Counter(n.upper() for n in _DIM_BLOCK_NAME.findall(text))
    outside.subtract(n.upper() for n in _DIM_BLOCK_NAME.findall("\n" + dropped_text))
    records: dict[str, tuple[int, int]] = {}
    any_record = False  # an R12 file has no BLOCK_RECORD table
    if "TABLES" in sections:
        t0, t1 = sections["TABLES"]
        for a, b, kind in _chunks(text, t0, t1) or []:
            if kind == "BLOCK_RECORD":
                any_record = True
                name = _name(text, a, b)
                if name is not None and name.upper().startswith("*D"):
                    records[name.upper()] = (a, b)
                    outside.subtract(n.upper() for n in _DIM_BLOCK_NAME.findall(text, a - 1, b))
    out: list[tuple[int, int]] = []
    i = n = 0
    while i < len(chunks):
        a, _, kind = chunks[i]
        if kind != "BLOCK":
            i += 1
            continue
        j = i
        while j < len(chunks) and chunks[j][2] != "ENDBLK":
            j += 1
        if j == len(chunks):
            break
        name = _name(text, a, chunks[i][1])
        end = chunks[j][1]
        i = j + 1
        if name is None or not name.upper().startswith("*D"):
            continue
        key = name.upper()
        own = text.count(f"\n{name}\n", a - 1, end)  # its name as written: 2 and 3 of BLOCK, at least
        if outside[key] - own == 0 and (key in records or not any_record):
            out.append((a, end))
            n += 1
            if key in records:
                out.append(records.pop(key))
    return out, n


def _name(text: str, a: int, b: int) -> str | None:
    """The name (group code 2) of a BLOCK or BLOCK_RECORD."""
    lines = text[a:min(b, a + 4000)].split("\n", 80)
    for i in range(2, len(lines) - 1, 2):
        if lines[i].strip() == "2":
            return lines[i + 1]
    return None
