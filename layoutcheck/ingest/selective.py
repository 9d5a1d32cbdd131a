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

Plain block references — no attributes, no MINSERT array, no extension data, every number one the guard
accepts — are read here from their tags (:class:`LightInsert`), with ezdxf's own casts, defaults and
placement matrix, instead of being built by ezdxf (an entity, a namespace, a database entry and an end-of-
sequence entity each): a site sheet holds tens of thousands (trees, cars, the furniture of the buildings
around). Plain single-line texts past the first the encoding guess samples are read the same way
(:class:`LightText`). :func:`entities` gives the extractor model space in the drawing's order, light ones
included.

Correctness first: anything unusual reads the whole file the usual way (:func:`read` returns None) — a binary
or UTF-16 DXF, a structure that does not cut into whole tag pairs, a section missing or repeated, a left-out
entity with a number :func:`~layoutcheck.ingest.reader.guard` would have dropped and reported (NaN, inf, 1e300:
see ``_LITERAL``), or anything ezdxf's loader rejects (the full read then takes ezdxf's recover path). The
single-line-schematic fallback, which reads unmapped layers as room outlines, reads the file again in full.
``LAYOUTCHECK_FULL_READ=1`` turns the selection off. One difference remains by design: damage confined to
a left-out entity (a value ezdxf cannot parse, a huge number written out in full) goes unseen, where the
full read would have taken the recover path (``drawing.recovered``) or dropped it (``drawing.bad-numbers``).
"""

from __future__ import annotations

import io
import os
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import ezdxf
from ezdxf.document import Drawing
from ezdxf.entities import Insert, Text
from ezdxf.entities.insert import merged_insert_group_codes
from ezdxf.entities.text import merged_text_group_codes
from ezdxf.lldxf.types import TYPE_TABLE as _TYPES
from ezdxf.math import OCS, Vec3

from ..errors import InputError
from .encoding import ESCAPES, SAMPLE, decode_escapes
from .numbers import INSERT_SCALE, ok as _ok

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
_LITERAL = re.compile(r"[nNiIeE](?:[aA][nN]|[nN][fF]|[+-])")  # nan, inf in any case; e+, e-: one pass
_FLOAT_CODES = frozenset(list(range(10, 60)) + list(range(110, 150)) + list(range(210, 240))
                         + list(range(460, 470)) + list(range(1010, 1060)))


@dataclass(frozen=True)
class Selection:
    """What a selective read left out: model-space entities (how many, on which layers) and blocks; and
    the plain block references read from their tags (:class:`LightInsert`), each with its place in model
    space: how many of the entities ezdxf built (``order``, as loaded) come before it."""

    dropped: int
    layers: frozenset[str]
    blocks: int
    lights: tuple = ()  # (place, LightInsert | LightText); (place, type, values) until the document is built
    order: tuple | int = ()  # the model-space entities ezdxf built, in order (their count, until built)


def block_of(doc: Drawing, name: str):
    """``doc.blocks.get(name)``, memoised on the document: a site sheet inserts the same tree thousands of
    times, and each look-up builds a case-folded key."""
    memo = doc.__dict__.setdefault("_layoutcheck_blocks", {})
    if name not in memo:
        memo[name] = doc.blocks.get(name)
    return memo[name]


class _Light:
    """What every light entity answers alike: ``e.dxf`` is the entity itself (its DXF attributes are its
    own), and ``ocs()`` is DXFGraphic's, from its extrusion."""

    __slots__ = ()

    @property
    def dxf(self):
        return self

    def ocs(self):
        return OCS(self.get("extrusion", (0, 0, 1)))  # type: ignore[attr-defined]


class LightInsert(_Light):
    """A plain block reference (no attributes, no MINSERT array, no extension data) read straight from its
    tags, without building ezdxf's entity: on a site sheet these are tens of thousands of trees, cars and
    chairs, and ezdxf builds each with a namespace, an entity-database entry and an end-of-sequence entity.

    It answers what the extractor and the expansion count ask of an INSERT — ``dxftype()``, ``dxf.get()``,
    ``dxf.name``/``dxf.layer``…, ``ocs()``, ``matrix44()`` (ezdxf's own method, run on these values),
    ``attribs`` — with the values ezdxf's loader would have set (same casts, last tag wins) and, for what
    the file leaves out, ezdxf's defaults. Exploding it (``virtual_entities``) builds the real entity from
    the same values."""

    __slots__ = ("doc", "name", "layer", "insert", "xscale", "yscale", "zscale", "rotation", "extrusion",
                 "extra")
    attribs: tuple = ()  # a reference with attributes is never light

    def __init__(self, doc, values: dict) -> None:
        self.doc = doc
        for key in _LIGHT_FIELDS:  # a field the file leaves out stays unset: __getattr__ gives the default
            if key in values:
                setattr(self, key, values.pop(key))
        self.extra = values or None  # colour, linetype …: only to build the real entity

    def __getattr__(self, key: str):  # only for an unset field
        if key in _DEFAULTS:
            return _DEFAULTS[key]
        raise AttributeError(key)

    def dxftype(self) -> str:
        return "INSERT"

    def get(self, key: str, default=None):
        """As ``DXFNamespace.get``: the value the file set, else ``default``."""
        if key in _LIGHT_FIELDS:
            try:
                return object.__getattribute__(self, key)
            except AttributeError:
                return default
        return (self.extra or {}).get(key, default)

    def values(self) -> dict:
        out = {k: object.__getattribute__(self, k) for k in _LIGHT_FIELDS if self.get(k, _UNSET) is not _UNSET}
        return {**out, **(self.extra or {})}

    def block(self):
        return block_of(self.doc, self.name)

    def matrix44(self):
        return Insert.matrix44(self)  # type: ignore[arg-type]

    def real(self):
        """The ezdxf entity these values make (in no layout), set as the loader sets them: unchecked."""
        e = Insert.new(doc=self.doc)
        for key, v in self.values().items():
            e.dxf.unprotected_set(key, v)
        return e

    def virtual_entities(self):
        return self.real().virtual_entities()


class LightText(_Light):
    """A plain single-line TEXT (no extension data, every number one the guard accepts) read from its tags,
    as :class:`LightInsert`: what the label reader asks of it (``dxf.get``/``hasattr``/attributes,
    ``dxftype()``, ``ocs()``) answered with the values ezdxf's loader sets and ezdxf's defaults."""

    __slots__ = ("values",)

    def __init__(self, doc, values: dict) -> None:
        self.values = values

    def dxftype(self) -> str:
        return "TEXT"

    def get(self, key: str, default=None):
        return self.values.get(key, default)

    def hasattr(self, key: str) -> bool:
        return key in self.values

    def __getattr__(self, key: str):  # a DXF attribute (slots and methods are found before this)
        try:
            return self.values[key]
        except KeyError:
            pass
        spec = Text.DXFATTRIBS.get(key)
        if spec is None:
            raise AttributeError(key)
        return spec.default


_LIGHT_FIELDS = frozenset(("name", "layer", "insert", "xscale", "yscale", "zscale", "rotation", "extrusion"))
_UNSET = object()


def _insert_defaults() -> dict:
    return {k: Insert.DXFATTRIBS.get(k).default for k in (*_LIGHT_FIELDS, "column_count", "row_count")
            if Insert.DXFATTRIBS.get(k) is not None and Insert.DXFATTRIBS.get(k).default is not None}


_DEFAULTS = _insert_defaults()


def _loader_names(group_codes: dict[int, str], points: dict[int, str], left_out: set[int]) -> dict[int, str]:
    """ezdxf's simple loader's map for a type (code → attribute), less its point codes, its callbacks and
    ``left_out``."""
    return {c: n for c, n in group_codes.items()
            if c not in points and c not in left_out and not n.startswith("*")}


# The tags a light entity may hold: structure, handle, owner and its loader's own, less what makes it more than
# plain: 67 (paper space: checked apart), 38 (R12 elevation, which the loader moves to z), and for a block
# reference 66 (attributes follow) and 70/71/44/45 (a MINSERT array). Anything else (102 groups, extension
# dictionaries, XDATA …) leaves the entity to ezdxf.
_LIGHT_POINTS = {10: "insert", 210: "extrusion"}
_LIGHT_NAMES = _loader_names(merged_insert_group_codes, _LIGHT_POINTS, {67, 38, 66, 70, 71, 44, 45})
_TEXT_POINTS = {10: "insert", 11: "align_point", 210: "extrusion"}
_TEXT_NAMES = _loader_names(merged_text_group_codes, _TEXT_POINTS, {67, 38})


class _CodeCache(dict):
    """Group code lines as integers ("  8" → 8), each spelling converted once."""

    def __missing__(self, line: str) -> int:
        code = int(line)  # ValueError: not a group code
        if len(self) < 10_000:
            self[line] = code
        return code


_CODES = _CodeCache()


@dataclass(frozen=True)
class _Plain:
    """What makes an entity of one type plain enough to read from its tags: its loader's single-value codes
    (→ attribute), its point codes, its subclass markers, and the attributes it must have."""

    kind: str
    names: dict[int, str]
    points: dict[int, str]
    subclasses: frozenset[str]
    required: tuple[str, ...]

    @property
    def allowed(self) -> frozenset[int]:
        return frozenset({5, 330, 100, 67, *self.names, *(c + d for c in self.points for d in (0, 10, 20))})


PLAIN = {
    "INSERT": _Plain("INSERT", _LIGHT_NAMES, _LIGHT_POINTS, frozenset({"AcDbEntity", "AcDbBlockReference"}),
                     ("name", "insert")),
    "TEXT": _Plain("TEXT", _TEXT_NAMES, _TEXT_POINTS, frozenset({"AcDbEntity", "AcDbText"}), ("insert",)),
}
_ALLOWED = {k: v.allowed for k, v in PLAIN.items()}


def enabled() -> bool:
    return os.environ.get(ENV_FULL, "").strip() not in ("1", "true", "yes")


def selection(doc: Drawing) -> Selection | None:
    return getattr(doc, "layoutcheck_selection", None)


def read(p: Path, encoding: str | None, wanted: Callable[[str, str], bool]) -> Drawing | None:
    """The drawing with only the entities ``wanted(dxftype, layer)`` accepts (see the module's rules),
    or None when it must be read in full. Same encoding rules as ``ezdxf.readfile`` (and the reader's
    ``\\U+`` escape decoding)."""
    from ezdxf.filemanagement import dxf_stream_info
    from ezdxf.tools.codepage import is_supported_encoding

    from ..files import MAX_DRAWING_BYTES, read_bytes

    data = read_bytes(p, MAX_DRAWING_BYTES)  # no FIFO swapped in since the sniff, no file beyond the cap
    if data.startswith(b"AutoCAD Binary DXF"):
        return None
    try:
        # as ezdxf.filemanagement.dxf_file_info, on the bytes in hand (read lazily: it stops after the header)
        info = dxf_stream_info(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="ignore"))
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
    if sel.lights:
        try:
            order = tuple(doc.modelspace())  # the order as loaded: guard() may delete some before extraction
        except InputError:
            raise
        except Exception:  # noqa: BLE001 - no model space: the full read reports the damage
            return None
        if len(order) != sel.order:
            return None  # ezdxf built more or fewer than counted: the places of the light ones are unsure
        sel = replace(sel, lights=tuple((at, _LIGHT[kind](doc, values)) for at, kind, values in sel.lights),
                      order=order)
    doc.layoutcheck_selection = sel  # type: ignore[attr-defined]
    return doc


def entities(doc: Drawing):
    """Model space as the extractor walks it: what ezdxf built and the light block references, in the
    drawing's order (an entity guard() deleted since is skipped)."""
    sel = selection(doc)
    if sel is None or not sel.lights:
        yield from doc.modelspace()
        return
    lights = iter(sel.lights)
    at, light = next(lights)
    for i, e in enumerate(sel.order):
        while light is not None and at <= i:
            yield light
            at, light = next(lights, (0, None))
        if e.is_alive:
            yield e
    while light is not None:
        yield light
        at, light = next(lights, (0, None))


def light_entities(doc: Drawing) -> list:
    """The model-space entities read from their tags (:class:`LightInsert`, :class:`LightText`)."""
    sel = selection(doc)
    return [light for _, light in sel.lights] if sel is not None else []


def light_inserts(doc: Drawing) -> list[LightInsert]:
    return [light for light in light_entities(doc) if isinstance(light, LightInsert)]


_LIGHT = {"INSERT": LightInsert, "TEXT": LightText}


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
    """The entities between ``start`` and ``end``: (start, end, type); None unless they tile it in whole pairs.
    (One pass, the type names shared: a large drawing has a hundred thousand entities of a dozen types.)"""
    out: list[tuple[int, int, str]] = []
    kinds: dict[str, str] = {}
    a, kind = -1, ""
    for m in _ENTITY.finditer(text, start - 1, end):
        b = m.start() + 1
        if a < 0:
            if b != start:
                return None
        elif text.count("\n", a, b) % 2:
            return None  # an odd number of lines: not whole tag pairs, the structure is not what it seems
        else:
            out.append((a, b, kind))
        a, kind = b, m.group(1)
        kind = kinds.setdefault(kind, kind)
    if a < 0:
        return [] if start == end else None
    if text.count("\n", a, end) % 2:
        return None
    out.append((a, end, kind))
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


def _light_values(text: str, a: int, b: int, plain: _Plain = PLAIN["INSERT"]) -> dict | None:
    """The attributes ezdxf's loader would give the entity at ``text[a:b]`` (of type ``plain.kind``), or None
    unless it is a plain model-space one, each tag once, whose every number guard() would accept (anything
    else is left to ezdxf: it is read as before)."""
    lines = text[a:b].split("\n")
    n = len(lines) - 1  # the chunk ends with a newline
    try:
        codes = list(map(_CODES.__getitem__, lines[2:n:2]))
    except ValueError:
        return None
    values = lines[3:n:2]
    if len(codes) != len(values) or not _ALLOWED[plain.kind].issuperset(codes):
        return None
    tags = dict(zip(codes, values))
    markers = codes.count(100)
    if len(tags) + markers - (100 in tags) != len(codes):
        return None  # a tag twice (but the subclass markers)
    if markers and not plain.subclasses.issuperset([v for c, v in zip(codes, values) if c == 100]):
        return None
    out: dict = {}
    try:
        for code, key in plain.points.items():  # as ezdxf's tag_compiler: y right after x, z if it follows
            if code in tags:
                i = codes.index(code)
                if i + 1 == len(codes) or codes[i + 1] != code + 10:
                    return None
                xyz = [float(values[i]), float(values[i + 1])]
                if code + 20 in tags:
                    if i + 2 == len(codes) or codes[i + 2] != code + 20:
                        return None
                    xyz.append(float(values[i + 2]))
                if not all(map(_ok, xyz)):
                    return None
                out[key] = Vec3(xyz)
            elif code + 10 in tags or code + 20 in tags:
                return None
        if tags.get(67, "0").strip() not in ("0", ""):
            return None  # paper space
        names = plain.names
        for code, value in tags.items():
            key = names.get(code)
            if key is None:
                continue
            cast = _TYPES.get(code, str)
            if cast is str:
                out[key] = value
                continue
            try:
                v = cast(value)
            except ValueError:
                if cast is not int:
                    return None
                v = int(float(value))  # as the tag compiler: "ProE stores int values as floats"
            if cast is float and not _ok(v):
                return None
            out[key] = v
    except ValueError:
        return None
    if not all(k in out for k in plain.required):
        return None
    if plain.kind == "INSERT":
        lo, hi = INSERT_SCALE
        if not all(lo <= abs(out.get(k, 1.0)) <= hi for k in ("xscale", "yscale", "zscale")):
            return None  # guard() drops these and reports them: let it
    ext = out.get("extrusion")
    if ext is not None and abs(ext[0]) + abs(ext[1]) + abs(ext[2]) < 1e-12:
        return None  # guard() repairs this one
    return out


def _select(text: str, wanted: Callable[[str, str], bool]) -> tuple[str, Selection] | None:
    sections = _sections(text)
    if sections is None or "ENTITIES" not in sections:
        return None
    e0, e1 = sections["ENTITIES"]
    chunks = _chunks(text, e0, e1)
    if chunks is None:
        return None
    drop: list[tuple[int, int]] = []  # ranges of the text left out
    light: list[tuple[int, int]] = []  # ranges of the plain block references read here
    lights: list[tuple[int, str, dict]] = []  # (how many model-space entities ezdxf builds before it, type, values)
    layers: set[str] = set()
    dropped = texts = built = 0
    parent_dropped = False
    for i, (a, b, kind) in enumerate(chunks):
        if kind in SUB_ENTITIES:
            if parent_dropped:
                drop.append((a, b))
            continue
        parent_dropped = False
        if kind == "INSERT" and (i + 1 == len(chunks) or chunks[i + 1][2] not in SUB_ENTITIES):
            values = _light_values(text, a, b)
            if values is not None:
                light.append((a, b))
                lights.append((built, "INSERT", values))
                continue
        if kind in TEXTS:
            texts += 1
            droppable = texts > SAMPLE  # encoding.better_encoding samples the first texts, whatever their layer
        else:
            droppable = kind in DROPPABLE
        layer, paper = _head(text, a, b)
        if droppable and not paper and not wanted(kind, layer):
            drop.append((a, b))
            parent_dropped = True
            dropped += 1
            layers.add(layer)
            continue
        if kind == "TEXT" and droppable and (i + 1 == len(chunks) or chunks[i + 1][2] not in SUB_ENTITIES):
            values = _light_values(text, a, b, PLAIN["TEXT"])
            if values is not None:
                light.append((a, b))
                lights.append((built, "TEXT", values))
                continue
        if not paper:
            built += 1
    if not drop and not light:
        return None  # nothing to gain
    blocks, n_blocks = _dimension_blocks(text, sections, _Ranges(drop))
    drop += blocks
    if _any_refused(text, _Ranges(drop)):
        return None  # guard() would drop and report one of these: read in full to report the same
    drop += light
    drop.sort()
    parts, at = [], 0
    for a, b in drop:
        parts.append(text[at:a])
        at = b
    parts.append(text[at:])
    return "".join(parts), Selection(dropped, frozenset(layers), n_blocks, tuple(lights), built)


class _Ranges:
    """Disjoint ranges of the text, for asking whether a position is in one of them (the text is searched
    once, in place: joining what is left out would copy most of a large drawing)."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        ranges = sorted(ranges)
        self.starts = [a for a, _ in ranges]
        self.ends = [b for _, b in ranges]

    def __contains__(self, at: int) -> bool:
        i = bisect_right(self.starts, at) - 1
        return i >= 0 and at < self.ends[i]


def _any_refused(text: str, left_out: _Ranges) -> bool:
    """Does any left-out entity hold a number guard() would refuse (and report)?"""
    return any(m.start() in left_out and _refused(text, m.start()) for m in _LITERAL.finditer(text))


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
    try:
        v = float(text[start:end if end >= 0 else None])
    except ValueError:
        return True  # not a number where ezdxf expects one: let the full read deal with it
    return not _ok(v)


def _dimension_blocks(text: str, sections: dict[str, tuple[int, int]],
                      left_out: _Ranges) -> tuple[list[tuple[int, int]], int]:
    """Ranges of the anonymous dimension blocks (``*D…``, BLOCK to ENDBLK, and their BLOCK_RECORD entries)
    whose name is written nowhere but in their own definition, their record and left-out dimensions: no
    block reference, kept dimension or text can reach them. Returns the ranges and how many blocks."""
    if "BLOCKS" not in sections:
        return [], 0
    b0, b1 = sections["BLOCKS"]
    chunks = _chunks(text, b0, b1)
    if chunks is None:
        return [], 0
    outside = Counter(m.group(1).upper() for m in _DIM_BLOCK_NAME.finditer(text) if m.start(1) not in left_out)
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
