"""Walk a drawing's model space and sort what it finds by role, still in drawing units.

Block references are handled three ways: doors, windows, counters and furniture are kept whole
(their extent comes from the block definition, transformed by the insert's matrix, so scale,
rotation, mirroring and nesting are honoured); any other block that holds walls, rooms or doors is
exploded (``virtual_entities``) and its contents treated as if drawn in model space.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ezdxf import bbox as ezbbox
from ezdxf import path as ezpath
from ezdxf.document import Drawing
from ezdxf.lldxf.const import DXFAttributeError
from ezdxf.math import Matrix44
import numpy as np
import shapely
from shapely.geometry import LinearRing, LineString, MultiLineString, Polygon
from shapely.strtree import STRtree

from .layers import LayerMap
from .selective import block_of, entities
from .text import mtext_label, text_label

MAX_BLOCK_DEPTH = 8  # deeper nesting is skipped and reported (a self-inserting block would never end)
MAX_ENTITIES = 3_000_000  # model space plus exploded blocks; beyond this a drawing is refused
MAX_BLOCK_FOR_BOX = 20_000  # a door, counter or chair block is tens of entities, not tens of thousands
MAX_SYMBOL_ENTITIES = 200  # a door symbol drawn on the overlay: a leaf, a swing, jambs; more is not a door
MAX_SYMBOL_VERTICES = 400  # per door block: a door's leaf and swing are a few dozen
MAX_SYMBOL_VERTICES_TOTAL = 200_000  # over all door inserts: beyond, doors are drawn as their extent
MAX_EXPLODED = 250_000  # entities from exploding blocks (a plan drawn as a block is ~10⁴; a bomb is more)
MAX_JOINED_LINES = 20_000  # open pieces on room layers joined into outlines; more is not room outlines
MAX_JOINED_FACES = 5_000  # rooms they may enclose on one layer; more is a lattice (an exploded hatch)
ARC_SEGMENT_DRAWING_UNITS_M = 0.01  # flatten arcs to within 1 cm
# Vertices per polyline or hatch boundary, after flattening. The real drawings of the test corpora draw at
# most ~200; a zig-zag wall of 20,000 teeth makes one GEOS buffer (routes) take gigabytes. Beyond the cap the
# outline is simplified to within VERTEX_SIMPLIFY_M (Douglas-Peucker, topology kept: the accuracy arcs are
# read to anyway) and reported as ``drawing.simplified``; if that still leaves more, the entity is left out
# and reported as ``drawing.vertex-limit``.
MAX_ENTITY_VERTICES = 2_000
VERTEX_SIMPLIFY_M = 0.01
MAX_SIMPLIFY_VERTICES = 50_000  # simplifying is superlinear (2 s for 10**5 zig-zag vertices): beyond, left out

from ..conventions import (AUTO_DOOR_BLOCK as _AUTO_DOOR, COUNTER_BLOCK as _COUNTER_NAME,  # noqa: E402
                           DOOR_BLOCK as _DOOR_NAME, FRAME_BLOCK, FURNITURE_BLOCKS as FURNITURE_KINDS, HEIGHT_TAGS,
                           TARCH_DOOR_BLOCK, TARCH_WINDOW_BLOCK, WINDOW_BLOCK as _WINDOW_NAME)

PROXY_TYPES = ("ACAD_PROXY_ENTITY",)
_TEXT_TYPES = ("ATTDEF", "TEXT", "MTEXT")


def crowded(geoms: list, limit: int, chunk: int = 64) -> bool:
    """Do more than ``limit`` pairs of ``geoms`` have touching bounding boxes? Counted a few geometries at a
    time and stopped early, so a lattice of 50,000 crossing lines (an exploded hatch) is found out without
    building its billion pairs. Linework like that would make noding and polygonizing quadratic."""
    if len(geoms) * (len(geoms) - 1) <= limit:
        return False
    tree, total = STRtree(geoms), 0
    for start in range(0, len(geoms), chunk):
        total += int(tree.query(geoms[start:start + chunk]).shape[1])
        if total > limit:
            return True
    return False


def insert_refs(entities, limit: int, key=lambda name: name) -> list[tuple[str, int]]:
    """The block references among ``entities``: (block name, times inserted). A MINSERT repeats its block
    rows × columns times (ezdxf.bbox and virtual_entities expand it); the times are capped at ``limit``."""
    out = []
    for e in entities:
        if e.dxftype() == "INSERT":
            times = max(1, int(e.dxf.get("row_count", 1))) * max(1, int(e.dxf.get("column_count", 1)))
            out.append((key(e.dxf.get("name", "")), min(times, limit)))
    return out


def expansion_counts(roots, refs, own, limit: int, count: dict[str, int]) -> bool:
    """How many entities exploding each block yields, nested blocks included however deep, into ``count``
    (memo: a block already there is not walked again), capped at ``limit``.

    ``refs(name)`` gives a block's references as (block, times), ``own(name)`` its own entity count (0 and
    no references for a block that does not exist). Post-order and iterative, each block visited once, so a
    bomb of k references per level, d levels deep (k**d entities) costs d × k steps and nesting may be
    thousands deep. A reference back up a cycle adds nothing here; the return value says whether one was
    met (the extractor follows cycles MAX_BLOCK_DEPTH levels down)."""
    cyclic = False
    kids: dict[str, list[tuple[str, int]]] = {}
    on_stack: set[str] = set()
    for root in roots:
        if root in count:
            continue
        kids[root] = refs(root)
        stack = [(root, iter(kids[root]))]
        on_stack.add(root)
        while stack:
            name, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                on_stack.discard(name)
                total = own(name) + sum(t * count.get(c, 0) for c, t in kids[name] if c not in on_stack)
                count[name] = min(total, limit)
            elif nxt[0] in on_stack:
                cyclic = True
            elif nxt[0] not in count:
                kids[nxt[0]] = refs(nxt[0])
                stack.append((nxt[0], iter(kids[nxt[0]])))
                on_stack.add(nxt[0])
    return cyclic


LINE_ROLES = ("wall", "room", "zone", "outline", "column", "counter", "window")  # LINE / ARC read as linework


def reads(dxftype: str, role: str | None) -> bool:
    """Does :meth:`Extractor._entity` do anything with a model-space entity of this type on a layer of this
    role (besides counting it and noting its layer)? The selective reader leaves out what it does not.

    Mirrors the dispatch of ``_entity``: keep the two in step (tests/test_selective.py checks every type
    and role against the extractor itself)."""
    if role == "ignore":
        return False
    if dxftype in ("INSERT", "TEXT", "MTEXT"):
        return True
    if role in (None, "text", "stair"):
        return False
    if dxftype in ("LWPOLYLINE", "POLYLINE", "HATCH"):
        return True
    if dxftype == "ARC" and role == "door":
        return True
    if dxftype in ("LINE", "ARC"):
        return role in LINE_ROLES
    if dxftype == "CIRCLE":
        return role == "column"
    if dxftype in ("SOLID", "TRACE"):
        return role in ("wall", "column")
    return False


def wanted_by(layer_map: LayerMap):
    """``(dxftype, layer) -> bool``: the selective reader's question, answered with ``layer_map``'s roles."""
    return lambda dxftype, layer: reads(dxftype, layer_map.role(layer))


_UNKNOWN = object()


class TooManyEntities(Exception):
    """The drawing holds more entities than layoutcheck will read."""


@dataclass
class RawInsert:
    role: str  # door | window | counter | furniture
    block: str
    layer: str
    local_box: tuple[float, float, float, float]  # xmin, ymin, xmax, ymax in block units
    matrix: Matrix44
    attribs: dict[str, str]
    kind: str = ""
    symbol: tuple = ()  # a door's linework (leaf, swing): (n, 2) arrays in block units, shared by its inserts


@dataclass
class RawArc:
    """A door swing drawn as a loose ARC: the hinge, the leaf length and both ends of the swing."""

    centre: tuple[float, float]
    radius: float
    start: tuple[float, float]
    end: tuple[float, float]
    layer: str
    points: tuple[tuple[float, float], ...] = ()  # the swing, start to end, in world coordinates


@dataclass
class RawLabel:
    text: str
    xy: tuple[float, float]
    height: float
    layer: str


@dataclass
class Raw:
    """What one drawing holds, by role, in drawing units."""

    rings: dict[str, list[tuple[LinearRing | Polygon, str]]] = field(default_factory=dict)
    lines: dict[str, list[LineString]] = field(default_factory=dict)
    open_room_lines: list[tuple[LineString, str, str]] = field(default_factory=list)  # line, layer, role
    inserts: list[RawInsert] = field(default_factory=list)
    door_arcs: list[RawArc] = field(default_factory=list)
    labels: list[RawLabel] = field(default_factory=list)
    proxies: int = 0
    too_deep: int = 0  # block references skipped for nesting deeper than MAX_BLOCK_DEPTH
    # outlines over MAX_ENTITY_VERTICES: (entity type, layer, vertices, kept after simplifying or 0 if left
    # out, a vertex in drawing units)
    dense: list[tuple[str, str, int, int, tuple[float, float]]] = field(default_factory=list)
    entities: int = 0
    exploded: int = 0  # entities that exploding block references will yield
    layers: set[str] = field(default_factory=set)
    extent: list[float] = field(default_factory=lambda: [math.inf, math.inf, -math.inf, -math.inf])

    def add_ring(self, role: str, geom: LinearRing | Polygon, layer: str) -> None:
        self.rings.setdefault(role, []).append((geom, layer))
        self._grow(geom.bounds)

    def add_line(self, role: str, line: LineString) -> None:
        self.lines.setdefault(role, []).append(line)
        self._grow(line.bounds)

    def _grow(self, b: tuple[float, float, float, float]) -> None:
        e = self.extent
        e[0], e[1], e[2], e[3] = min(e[0], b[0]), min(e[1], b[1]), max(e[2], b[2]), max(e[3], b[3])

    @property
    def span(self) -> float:
        e = self.extent
        return max(e[2] - e[0], e[3] - e[1]) if e[0] < math.inf else 0.0


class Extractor:
    """Sorts one document's model space into a :class:`Raw`."""

    def __init__(self, doc: Drawing, layer_map: LayerMap, flatten: float) -> None:
        self.doc = doc
        self.map = layer_map
        self.flatten = flatten  # arc flattening distance in drawing units
        self.raw = Raw()
        self._box_cache: dict[str, tuple[float, float, float, float] | None] = {}
        self._relevant_cache: dict[str, bool] = {}
        self._attdef_cache: dict[str, dict[str, str]] = {}
        self._expansion_cache: dict[str, int] = {}
        self._symbol_cache: dict[str, tuple] = {}
        self._symbol_vertices = 0  # handed out so far, against MAX_SYMBOL_VERTICES_TOTAL
        self._row_cache: dict[str, bool] = {}
        self._row_attribs: dict[str, str] = {}  # a counter row's attributes, for the counters inside it
        self._insert_kind: dict[tuple[str, str | None], str | None] = {}
        self._furniture_kind: dict[str, str] = {}


    def run(self) -> Raw:
        left_out = getattr(self.doc, "layoutcheck_selection", None)
        if left_out is not None:  # what the selective reader left out: counted and its layers noted, as read
            self.raw.entities += left_out.dropped
            self.raw.layers |= left_out.layers
        for e in entities(self.doc):  # model space, with the block references the selective reader kept light
            self._entity(e, None, 0)
        self._join_open_outlines()
        return self.raw

    def _join_open_outlines(self) -> None:
        """Open pieces on one room layer that meet end to end (a polyline closed by a LINE, an outline
        drawn as four LINEs) are one outline; rooms drawn as LINEs sharing an edge are found as the faces
        the lines enclose. What stays open is reported as before.

        Ends a millimetre apart meet: vertices are snapped to a grid of ``self.flatten`` / 10 first, then
        the lines are noded and polygonized (shapely.polygonize_full); cut edges and dangles stay open."""
        groups: dict[tuple[str, str], list[LineString]] = {}
        for line, layer, role in self.raw.open_room_lines:
            groups.setdefault((layer, role), []).append(line)
        if not groups or sum(map(len, groups.values())) > MAX_JOINED_LINES:
            return
        still_open = []
        for (layer, role), lines in groups.items():
            if len(lines) == 1 or crowded(lines, max(50_000, 40 * len(lines))):
                still_open += [(line, layer, role) for line in lines]  # one piece, or a lattice: no outlines
                continue
            noded = shapely.unary_union(shapely.set_precision(MultiLineString(lines), max(self.flatten / 10, 1e-9)))
            faces, cuts, dangles, _ = shapely.polygonize_full([noded])
            if shapely.get_num_geometries(faces) > MAX_JOINED_FACES:  # a lattice, not rooms: leave it open
                still_open += [(line, layer, role) for line in lines]
                continue
            for face in getattr(faces, "geoms", []):
                if face.area > 0:
                    self.raw.add_ring(role, face, layer)
            left = shapely.line_merge(shapely.union_all([cuts, dangles])) if not faces.is_empty else \
                shapely.line_merge(noded)
            rest = [g for g in getattr(left, "geoms", [left]) if isinstance(g, LineString) and not g.is_empty]
            still_open += [(line, layer, role) for line in rest]
        self.raw.open_room_lines = still_open

    # -- dispatch -----------------------------------------------------------------------------
    def _entity(self, e, parent_layer: str | None, depth: int) -> None:
        self.raw.entities += 1
        if self.raw.entities > MAX_ENTITIES:
            raise TooManyEntities(MAX_ENTITIES)
        t = e.dxftype()
        if t in PROXY_TYPES or t.startswith("TCH_") or t.startswith("TDB"):
            self.raw.proxies += 1  # TArch objects: no geometry ezdxf can read (not even a layer)
            return
        try:
            layer = e.dxf.get("layer", "0")
        except DXFAttributeError:  # an entity type ezdxf keeps only as raw tags (AEC_*, …)
            return
        if parent_layer is not None and layer == "0":
            layer = parent_layer  # entities on layer 0 inside a block take the insert's layer
        self.raw.layers.add(layer)
        role = self.map.role(layer)
        if role == "ignore":
            return
        try:
            if t == "INSERT":
                self._insert(e, layer, role, depth)
            elif t in ("TEXT", "MTEXT"):
                self._text(e, layer)
            elif role in (None, "text", "stair"):
                return
            elif t in ("LWPOLYLINE", "POLYLINE"):
                self._polyline(e, layer, role)
            elif t == "HATCH":
                self._hatch(e, layer, role)
            elif t == "ARC" and role == "door":  # a door swing drawn loose, without a block
                # in world coordinates: a mirrored arc (extrusion −Z) has its centre in its own OCS
                c, r = e.ocs().to_wcs(e.dxf.center), e.dxf.radius
                pts = _flat(ezpath.make_path(e), max(self.flatten, r / 16))
                if len(pts) >= 2:
                    self.raw.door_arcs.append(RawArc((c.x, c.y), r, pts[0], pts[-1], layer, tuple(pts)))
                    self.raw._grow((c.x - r, c.y - r, c.x + r, c.y + r))
            elif t in ("LINE", "ARC") and role in LINE_ROLES:
                line = _path_line(ezpath.make_path(e), self.flatten)
                if line is not None:
                    if role in ("room", "zone", "outline"):
                        self.raw.open_room_lines.append((line, layer, role))
                    self.raw.add_line(role, line)
            elif t == "CIRCLE" and role == "column":
                c, r = e.dxf.center, e.dxf.radius
                from shapely.geometry import Point

                self.raw.add_ring(role, Point(c.x, c.y).buffer(r, 16), layer)
            elif t in ("SOLID", "TRACE") and role in ("wall", "column"):
                v = [e.dxf.get(f"vtx{i}") for i in range(4)]
                poly = Polygon([(v[0].x, v[0].y), (v[1].x, v[1].y), (v[3].x, v[3].y), (v[2].x, v[2].y)])
                if poly.area > 0:
                    self.raw.add_ring(role, poly.buffer(0), layer)
        except (ValueError, ArithmeticError, TypeError, AttributeError, IndexError):
            # A degenerate entity (zero-length polyline, NaN vertex …) carries no geometry to check.
            return

    def _polyline(self, e, layer: str, role: str) -> None:
        if e.dxftype() == "POLYLINE" and not (e.is_2d_polyline or e.is_3d_polyline):
            return  # polyface / mesh
        if self._too_many(e, len(e) if e.dxftype() == "LWPOLYLINE" else len(e.vertices), layer):
            return
        p = ezpath.make_path(e)
        pts = _flat(p, self.flatten)
        if len(pts) < 2:
            return
        closed = bool(getattr(e, "closed", False) or (e.dxftype() == "POLYLINE" and e.is_closed))
        tol = max(self.flatten, 1e-9)
        if not closed and len(pts) >= 4 and math.dist(pts[0], pts[-1]) <= tol:
            closed = True
        pts = self._bounded(pts, closed, e.dxftype(), layer)
        if pts is None:
            return
        if closed and len(pts) >= 3:
            self.raw.add_ring(role, LinearRing(pts), layer)
        else:
            line = LineString(pts)
            if role in ("room", "zone", "outline") and len(pts) >= 3:
                self.raw.open_room_lines.append((line, layer, role))
            self.raw.add_line(role, line)

    def _hatch(self, e, layer: str, role: str) -> None:
        rings = []
        if self._too_many(e, max([len(getattr(p, "vertices", ())) + len(getattr(p, "edges", ())) for p in e.paths]
                                 or [0]), layer):
            return
        for p in ezpath.from_hatch(e):
            pts = self._bounded(_flat(p, self.flatten), True, "HATCH", layer)
            if pts is None:
                return  # one boundary left out changes what the others fill: the hatch is left out whole
            if len(pts) >= 3:
                rings.append(Polygon(pts).buffer(0))
        if not rings:
            return
        # HATCH boundaries nest (outer, hole, island): even-odd fill is the XOR of the loops.
        shape = rings[0]
        for r in rings[1:]:
            shape = shape.symmetric_difference(r)
        for poly in getattr(shape, "geoms", [shape]):
            if isinstance(poly, Polygon) and poly.area > 0:
                self.raw.add_ring(role, poly, layer)

    def _too_many(self, e, count: int, layer: str) -> bool:
        """Is an entity's raw vertex count beyond MAX_SIMPLIFY_VERTICES? Then it is left out before it is
        flattened (a million-vertex hatch boundary costs seconds to flatten alone) and noted in ``raw.dense``."""
        if count <= MAX_SIMPLIFY_VERTICES:
            return False
        try:  # a vertex to point at, read without building the whole outline (in OCS: planar plans)
            t = e.dxftype()
            first = (e.lwpoints[0] if t == "LWPOLYLINE" else e.vertices[0].dxf.location if t == "POLYLINE"
                     else next(p for p in e.paths if getattr(p, "vertices", None)).vertices[0])
            xy = (float(first[0]), float(first[1]))
        except Exception:  # noqa: BLE001 - no usable vertex to point at: the drawing's origin
            xy = (0.0, 0.0)
        self.raw.dense.append((e.dxftype(), layer, count, 0, xy))
        return True

    def _bounded(self, pts: list[tuple[float, float]], closed: bool, kind: str,
                 layer: str) -> list[tuple[float, float]] | None:
        """``pts`` when they are at most MAX_ENTITY_VERTICES; else simplified to within VERTEX_SIMPLIFY_M if
        that brings them under the cap, else None (leave the entity out). Either is noted in ``raw.dense``.

        Bounds the GEOS work downstream by the input's size: buffers and overlays of a dense zig-zag grow
        with (vertices × vertices within the buffer distance), gigabytes for one wall of 20,000 teeth."""
        if len(pts) <= MAX_ENTITY_VERTICES:
            return pts
        count = len(pts) - (1 if closed and pts[0] == pts[-1] else 0)  # the closing vertex is no vertex
        kept = np.empty((0, 2))
        if count <= MAX_SIMPLIFY_VERTICES:
            tol = self.flatten * VERTEX_SIMPLIFY_M / ARC_SEGMENT_DRAWING_UNITS_M
            coords = np.asarray(pts, dtype=float)
            geom = shapely.linearrings(coords) if closed and len(pts) >= 3 else shapely.linestrings(coords)
            kept = shapely.get_coordinates(shapely.simplify(geom, tol, preserve_topology=True))
        ok = 0 < len(kept) <= MAX_ENTITY_VERTICES
        self.raw.dense.append((kind, layer, count, len(kept) - (1 if closed else 0) if ok else 0, pts[0]))
        if not ok:
            return None
        out = [(float(x), float(y)) for x, y in kept]
        return out[:-1] if closed and len(out) > 1 and out[0] == out[-1] else out

    def _text(self, e, layer: str) -> None:
        text, xy, h = mtext_label(e) if e.dxftype() == "MTEXT" else text_label(e)
        if text:
            self.raw.labels.append(RawLabel(text, xy, h, layer))

    # -- block references --------------------------------------------------------------------
    def _insert(self, e, layer: str, role: str | None, depth: int) -> None:
        name = e.dxf.name
        block = block_of(self.doc, name)
        if block is None:
            return
        if depth > MAX_BLOCK_DEPTH:
            self.raw.too_deep += 1
            return
        kind = self._insert_kind.get((name, role), _UNKNOWN)  # a site sheet inserts the same tree thousands of times
        if kind is _UNKNOWN:
            kind = self._insert_kind[(name, role)] = self._insert_role(name, role)
        if kind == "counter" and self._holds_counters(name):
            self._counter_row(e, name, block, layer, depth)
            return
        if kind is not None:
            box = self._local_box(name)
            if box is None:
                return
            m = e.matrix44()
            attribs = {a.dxf.tag.upper(): a.dxf.text for a in e.attribs}
            if kind == "counter":  # a counter in a row: the row's SIDE, HEIGHT … where its own are missing
                for tag, text in self._row_attribs.items():
                    attribs.setdefault(tag, text)
            for tag, text in self._defaults(name, block).items():  # where the insert gives no value
                attribs.setdefault(tag, text)
            fkind = ""
            if kind == "furniture":
                fkind = self._furniture_kind.get(name, "")
                if not fkind:
                    fkind = self._furniture_kind[name] = next((k for k, rx in FURNITURE_KINDS if rx.search(name)),
                                                              "furniture")
            elif kind == "door" and _AUTO_DOOR.search(name):
                fkind = "automatic"
            symbol = self._symbol(name, box) if kind == "door" else ()
            self._symbol_vertices += sum(len(a) for a in symbol)
            if self._symbol_vertices > MAX_SYMBOL_VERTICES_TOTAL:
                symbol = ()
            self.raw.inserts.append(RawInsert(kind, name, layer, box, m, attribs, fkind, symbol))
            c0, c1 = m.transform((box[0], box[1], 0)), m.transform((box[2], box[3], 0))
            self.raw._grow((min(c0.x, c1.x), min(c0.y, c1.y), max(c0.x, c1.x), max(c0.y, c1.y)))
            return
        if FRAME_BLOCK.search(name) or (role is None and not self._relevant(name, 0)):
            return  # a drawing frame or title block (图框), or a block with nothing of a plan in it
        self.raw.exploded += self._expansion(name)
        if self.raw.exploded > MAX_EXPLODED:  # checked before the work, not after minutes of it
            raise TooManyEntities(MAX_EXPLODED)
        try:
            children = list(e.virtual_entities())
        except Exception:  # noqa: BLE001 - ezdxf cannot explode some non-uniformly scaled blocks
            return
        for child in children:
            self._entity(child, layer, depth + 1)

    def _holds_counters(self, name: str) -> bool:
        """Does block ``name`` insert counter blocks (by name, or on a counter layer)? Then it is a row of
        counters, each with its own attributes and footprint, not one long counter."""
        if name not in self._row_cache:
            found = False
            block = self.doc.blocks.get(name)
            if block is not None and self._expansion(name) <= MAX_BLOCK_FOR_BOX:
                for e in block:
                    if e.dxftype() == "INSERT" and e.dxf.get("name", "") != name:
                        inner_layer = e.dxf.get("layer", "0")
                        if _COUNTER_NAME.search(e.dxf.get("name", "")) or (
                                inner_layer != "0" and self.map.role(inner_layer) == "counter"):
                            found = True
                            break
            self._row_cache[name] = found
        return self._row_cache[name]

    def _counter_row(self, e, name: str, block, layer: str, depth: int) -> None:
        """Read the counters inside a row block one by one (exploded with ezdxf, so the row's placement,
        rotation and mirroring carry over); the row's own attributes pass down to them as defaults."""
        own = {a.dxf.tag.upper(): a.dxf.text for a in e.attribs}
        self.raw.exploded += self._expansion(name)
        if self.raw.exploded > MAX_EXPLODED:
            raise TooManyEntities(MAX_EXPLODED)
        try:
            children = list(e.virtual_entities())
        except Exception:  # noqa: BLE001 - ezdxf cannot explode some non-uniformly scaled blocks
            return
        saved = self._row_attribs
        self._row_attribs = {**saved, **{k: v for k, v in self._defaults(name, block).items() if v}, **own}
        try:
            for child in children:
                self._entity(child, layer, depth + 1)
        finally:
            self._row_attribs = saved

    def _insert_role(self, name: str, layer_role: str | None) -> str | None:
        if layer_role == "counter" or _COUNTER_NAME.search(name):
            return "counter"  # before windows: a service 窗口 is a counter, not a 窗
        if TARCH_DOOR_BLOCK.search(name):  # TArch's libraries say what they are, whatever the layer
            return "door"
        if TARCH_WINDOW_BLOCK.search(name):
            return "window"
        if layer_role == "window":
            return "window"
        if layer_role == "door":  # a 门窗 layer holds both: the block name decides
            return "window" if _WINDOW_NAME.match(name) else "door"
        if _DOOR_NAME.search(name):
            return "door"
        if _WINDOW_NAME.search(name):
            return "window"
        if layer_role == "furniture" or any(rx.search(name) for _, rx in FURNITURE_KINDS):
            if not self._relevant(name, 0):
                return "furniture"
        return None

    def _expansion(self, name: str) -> int:
        """How many entities exploding block ``name`` yields, nested blocks included however deep.

        Memoised under the name, so the count must not depend on where the block is met: one cut off at
        MAX_BLOCK_DEPTH (0 when first met 9 deep) let the same bomb through from model space, and let a
        12-level counter block pass as small. Iterative (nesting may be thousands deep); a reference back up
        a cycle adds nothing here (the extractor's depth limit ends cycles)."""
        if name not in self._expansion_cache:
            cap = MAX_EXPLODED + 1

            def refs(block_name: str) -> list[tuple[str, int]]:
                block = self.doc.blocks.get(block_name)
                return insert_refs(block if block is not None else (), cap)

            def own(block_name: str) -> int:
                block = self.doc.blocks.get(block_name)
                return len(block) if block is not None else 0

            expansion_counts([name], refs, own, cap, self._expansion_cache)
        return self._expansion_cache[name]

    def _defaults(self, name: str, block) -> dict[str, str]:
        """A block's ATTDEF default values, read once per block (a drawing inserts the same chair
        thousands of times, and each ``query`` re-parses its query string)."""
        if name not in self._attdef_cache:
            self._attdef_cache[name] = {ad.dxf.tag.upper(): ad.dxf.text
                                        for ad in block if ad.dxftype() == "ATTDEF"}
        return self._attdef_cache[name]

    def _local_box(self, name: str) -> tuple[float, float, float, float] | None:
        if name not in self._box_cache and self._expansion(name) > MAX_BLOCK_FOR_BOX:
            self._box_cache[name] = None  # thousands of nested entities: not a door, counter or chair
        if name not in self._box_cache:
            box = None
            try:
                # The footprint is the block's linework: ATTDEF tags and notes placed beside a
                # counter or door are not part of it (a HEIGHT tag below a counter made it deeper).
                block = self.doc.blocks[name]
                ext = ezbbox.extents((e for e in block if e.dxftype() not in _TEXT_TYPES), fast=True)
                if not ext.has_data:  # a block of nothing but text: its text is its extent
                    ext = ezbbox.extents(block, fast=True)
                if ext.has_data:
                    box = (ext.extmin.x, ext.extmin.y, ext.extmax.x, ext.extmax.y)
            except Exception:  # noqa: BLE001 - a block ezdxf cannot measure has no usable extent
                box = None
            self._box_cache[name] = box
        return self._box_cache[name]

    def _symbol(self, name: str, box: tuple[float, float, float, float]) -> tuple:
        """A door block's linework as polylines in block units, for the overlay (once per block).

        Only for a block of at most MAX_SYMBOL_ENTITIES entities, nested ones included; text is left out.
        Curves are flattened to 1/60 of the block's size: a swing reads as an arc at any scale."""
        if name not in self._symbol_cache:
            lines: list[np.ndarray] = []
            if self._expansion(name) <= MAX_SYMBOL_ENTITIES:
                tol = max(box[2] - box[0], box[3] - box[1], 1e-9) / 60
                try:
                    todo, seen = [(e, 0) for e in self.doc.blocks[name]], 0
                    while todo and seen < MAX_SYMBOL_ENTITIES:
                        e, level = todo.pop()
                        seen += 1
                        if e.dxftype() == "INSERT":  # nested a few levels at most (a block may insert itself)
                            if level < 3:
                                todo += [(v, level + 1) for v in e.virtual_entities()]
                            continue
                        if e.dxftype() in _TEXT_TYPES or e.dxftype() in ("HATCH", "SOLID", "POINT"):
                            continue
                        try:
                            pts = _flat(ezpath.make_path(e), tol)
                        except Exception:  # noqa: BLE001 - an entity ezdxf cannot make a path of: not drawn
                            continue
                        if len(pts) >= 2 and all(math.isfinite(c) for pt in pts for c in pt):
                            lines.append(np.asarray(pts, dtype=float))
                except Exception:  # noqa: BLE001 - a damaged block: the overlay falls back to its extent
                    lines = []
                if sum(len(a) for a in lines) > MAX_SYMBOL_VERTICES:
                    lines = []  # no door is drawn with that much: its extent will do
            self._symbol_cache[name] = tuple(lines)
        return self._symbol_cache[name]

    def _relevant(self, name: str, depth: int) -> bool:
        """Does a block (or one nested in it) hold walls, rooms, openings or counters?"""
        if name in self._relevant_cache:
            return self._relevant_cache[name]
        self._relevant_cache[name] = False  # guards against recursive block definitions
        found = False
        block = self.doc.blocks.get(name)
        if block is not None and depth <= MAX_BLOCK_DEPTH:
            for e in block:
                role = self.map.role(e.dxf.get("layer", "0"))
                if role in ("wall", "room", "zone", "outline", "door", "window", "counter", "column"):
                    found = True
                elif e.dxftype() == "INSERT":
                    found = self._relevant(e.dxf.name, depth + 1) or bool(
                        _DOOR_NAME.search(e.dxf.name) or _COUNTER_NAME.search(e.dxf.name))
                if found:
                    break
        self._relevant_cache[name] = found
        return found


def _path_line(p, flatten: float) -> LineString | None:
    pts = _flat(p, flatten)
    return LineString(pts) if len(set(pts)) >= 2 else None


MAX_CURVE_POINTS = 20_000  # per curve: a 1 cm chord on an absurd radius would mean millions


def _flat(p, flatten: float) -> list[tuple[float, float]]:
    """Flatten a path to within ``flatten`` drawing units, or coarser for a curve so large (a hostile
    radius of 1e12) that 1 cm chords would make millions of points in C code no time limit stops."""
    cv = list(p.control_vertices())
    if cv:
        xs, ys = [v.x for v in cv], [v.y for v in cv]
        span = max(max(xs) - min(xs), max(ys) - min(ys))
        if span > 0:
            flatten = max(flatten, span / MAX_CURVE_POINTS)
    return [(v.x, v.y) for v in p.flattening(flatten)]
