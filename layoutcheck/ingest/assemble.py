"""Raw drawing contents (drawing units) → the parts of a :class:`~layoutcheck.model.Plan` (metres).

Tolerances are explicit and in metres: ``SNAP_M`` closes hairline gaps between drawn pieces,
``WALL_MAX_THICKNESS_M`` tells a wall strip from a room when faces are made from wall lines.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import LinearRing, LineString, MultiLineString, MultiPolygon, Point, Polygon
from shapely.ops import polygonize, unary_union
from shapely.strtree import STRtree

from .. import classify, conventions
from ..model import Approach, Counter, Finding, Furniture, Label, Opening, Room, Storey, Zone
from .extract import HEIGHT_TAGS, Raw, RawArc, RawInsert, crowded

SNAP_GRID_M = 0.001  # wall lines that mostly fail to meet are snapped to this grid before they are joined
DANGLING_SHARE = 0.2  # … when more than this share of them dangle
SNAP_M = 0.05  # gaps narrower than this between wall pieces are drawing slop, not openings
WALL_MAX_THICKNESS_M = 0.6  # faces of wall linework thinner than this are wall, wider are rooms
ZONE_CONTAINED = 0.95  # an outline this much inside a larger room is a zone of it, not a room
DUPLICATE_TOL = 0.01  # outlines differing by less than 1 % of their area are the same outline
OPENING_THIN = 3.0  # a door or window block this many times longer along Y than X is drawn along Y
OPENING_REACH_M = 0.4  # how far beside a door axis to look for the wall it sits in
MIN_ROOM_M2 = 0.5
LABEL_REACH_M = 0.15  # a room name this close outside a room (or half its text height) is that room's
END_GAP_M = 1.25  # a wall end this close to another wall, straight ahead, is a door or window left undrawn
MAX_END_VERTICES = 200_000  # wall outline vertices (or loose line ends) beyond which ends are not bridged


@dataclass
class StoreyParts:
    storey: Storey
    rooms: list[Room] = field(default_factory=list)
    zones: list[Zone] = field(default_factory=list)
    walls: list[Polygon] = field(default_factory=list)
    columns: list[Polygon] = field(default_factory=list)
    openings: list[Opening] = field(default_factory=list)
    counters: list[Counter] = field(default_factory=list)
    furniture: list[Furniture] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    approaches: list[Approach] = field(default_factory=list)


def assemble(raw: Raw, unit_m: float, index: int, source: str,
             room_types: dict[str, tuple[str, ...]] | None = None) -> StoreyParts:
    """One drawing's contents, sorted by role, → rooms, zones, walls, openings … in metres."""
    k = unit_m
    findings: list[Finding] = []

    def polys(role: str) -> list[tuple[Polygon, str]]:
        return _polys(raw, role, k, findings)

    labels = [Label(lb.text, Point(lb.xy[0] * k, lb.xy[1] * k), lb.height * k, lb.layer, index)
              for lb in raw.labels]

    # --- walls, columns, openings ---------------------------------------------------------------
    walls = _even_odd([p for p, _ in polys("wall")])
    # Windows drawn as loose lines (窗线: the panes across the wall) close the wall as a window block does.
    wall_lines = [shapely.transform(ln, lambda c: c * k) for ln in raw.lines.get("wall", []) + raw.lines.get("window", [])]
    if wall_lines:
        walls += _thin_faces(wall_lines)
    wall_union = unary_union(walls) if walls else Polygon()
    walls = [p for p in getattr(wall_union, "geoms", [wall_union]) if isinstance(p, Polygon) and not p.is_empty]
    columns = [p for p, _ in polys("column")] + _line_faces(raw.lines.get("column", []), k)
    wall_tree = STRtree(walls) if walls else None
    openings = [_opening(ins, k, index) for ins in raw.inserts if ins.role in ("door", "window")]
    openings += _arc_doors(raw, k, index, walls, wall_tree)
    openings = [replace(o, gap=_bridge(o, walls, wall_tree)) for o in openings]

    # --- rooms and outlined zones ---------------------------------------------------------------
    outline = [p for p, _ in polys("outline")]
    room_polys, zone_polys, containers = _sort_outlines(_dedupe(polys("room")), _dedupe(polys("zone")), labels,
                                                        room_types)
    outline += containers  # a "room" drawn around named rooms is the building's outline
    if not room_polys and walls:
        room_polys = _rooms_from_walls(walls, columns, openings)
        if room_polys:
            findings.append(Finding("drawing.no-room-outlines", "drawing.no-room-outlines", {"count": len(room_polys)}))
    for line, layer, _ in raw.open_room_lines:
        c = shapely.transform(line, lambda xy: xy * k)
        findings.append(Finding("drawing.open-room-outline", "drawing.open-room-outline",
                                {"layer": layer, "gap_m": math.dist(c.coords[0], c.coords[-1])},
                                (_xy(c.coords[0]), _xy(c.coords[-1])),
                                details={"gap": [list(_xy(c.coords[-1])), list(_xy(c.coords[0]))]}))

    # --- names, types, zones ----------------------------------------------------------------------
    room_labels, zone_labels, stray = _assign_labels(labels, room_polys, zone_polys)
    rooms, zones = _make_rooms(room_polys, room_labels, zone_polys, zone_labels, columns, index, room_types, findings)
    if rooms:
        for lb in stray:  # a room name that sits in no room: the room is missing or the label misplaced
            name = " ".join(_label_names(lb.text))
            if name and classify.room_type(name, room_types) != "other" and not classify.is_zone_label(name):
                findings.append(Finding("drawing.label-outside", "drawing.label-outside", {"name": name},
                                        ((round(lb.point.x, 3), round(lb.point.y, 3)),)))
    _overlaps(rooms, findings)

    # --- counters and furniture ---------------------------------------------------------------------
    counters = [_counter(ins, k, index) for ins in raw.inserts if ins.role == "counter"]
    placed = [ins for ins in raw.inserts if ins.role == "furniture"]
    furniture = [Furniture(ins.block, ins.layer, ins.kind or "furniture", box, index)
                 for ins, box in zip(placed, _boxes(placed, k))]

    # --- the storey's outline (建筑面积) -----------------------------------------------------------
    from_walls = None
    if walls:
        pieces = walls + columns + [o.gap for o in openings if o.gap is not None] + [r.polygon for r in rooms]
        from_walls = _fill_holes(_close(unary_union(pieces), SNAP_M))
    if outline:
        footprint, how = unary_union(outline), "outline"
        if from_walls is not None and from_walls.area > 0:
            _compare_outline(footprint, from_walls, findings)
    elif from_walls is not None:
        footprint, how = from_walls, "walls"
    elif rooms:
        footprint, how = _fill_holes(_close(unary_union([r.polygon for r in rooms]), SNAP_M)), "rooms"
        findings.append(Finding("drawing.no-walls", "drawing.no-walls"))
    else:
        footprint, how = Polygon(), "none"
    if not rooms:
        findings.append(Finding("drawing.no-rooms", "drawing.no-rooms", severity="warn"))
    if not footprint.is_empty:
        openings = [replace(o, external=_is_external(o, footprint)) for o in openings]
        _repeated_parts(footprint, findings)
    storey = Storey(index, source, footprint, how, tuple(walls), tuple(columns))
    approaches = [Approach(kind, poly, layer, index, _slope_near(poly, labels))
                  for kind in ("ramp", "platform") for poly, layer in polys(kind)]
    return StoreyParts(storey, rooms, zones, walls, columns, openings, counters, furniture, labels, findings,
                       approaches)


_SLOPE = re.compile(r"(?:1\s{0,3}[:：/]\s{0,3}(\d{1,4}(?:\.\d{1,3})?))|(?<![\d.])(\d{1,3}(?:\.\d{1,3})?)\s{0,3}%")
SLOPE_LABEL_REACH_M = 1.5
MAX_SLOPE_LABEL_CHARS = 200  # a slope note is short; a long text is a note whose figures are not a slope


def _slope_near(poly: Polygon, labels: list[Label]) -> float | None:
    """A ramp's slope from a label on it or within SLOPE_LABEL_REACH_M: "1:12", "i=1/12", "坡度 8%"."""
    best = None
    for lb in labels:
        d = poly.distance(lb.point)
        if d > SLOPE_LABEL_REACH_M:
            continue
        m = _SLOPE.search(lb.text[:MAX_SLOPE_LABEL_CHARS])
        if not m:
            continue
        run = float(m.group(1)) if m.group(1) else None
        if run == 0:  # "1:0" is no slope
            continue
        v = 1.0 / run if run else float(m.group(2)) / 100.0
        if 0 < v < 1 and (best is None or d < best[0]):
            best = (d, v)
    return best[1] if best else None


def _polys(raw: Raw, role: str, k: float, findings: list[Finding]) -> list[tuple[Polygon, str]]:
    """Closed outlines of one role in metres; self-crossing ones repaired (make_valid) and reported."""
    out = []
    for g, layer in raw.rings.get(role, []):
        poly = shapely.transform(Polygon(g) if isinstance(g, LinearRing) else g, lambda c: c * k)
        if not poly.is_valid:
            if role in ("room", "zone", "outline"):
                c = poly.representative_point() if not poly.is_empty else Point(0, 0)
                findings.append(Finding("drawing.invalid-polygon", "drawing.invalid-polygon",
                                        {"layer": layer}, ((round(c.x, 3), round(c.y, 3)),)))
            poly = _polygonal(shapely.make_valid(poly))
        for p in getattr(poly, "geoms", [poly]):
            if isinstance(p, Polygon) and p.area > 1e-6:
                out.append((p, layer))
    return out


def _label_names(text: str) -> list[str]:
    """The room names a label may give: its 房间名称 field, or each of its lines."""
    fields = conventions.label_fields(text)
    if fields is not None:
        return [fields.name] if fields.name else []
    return [classify.split_area(ln)[0] for ln in _lines(text)]


def _names_a_room(labels: list[Label], poly: Polygon, room_types) -> bool:
    for lb in labels:
        if poly.contains(lb.point):
            for ln in _label_names(lb.text):
                if classify.room_type(ln, room_types) != "other" and not classify.is_zone_label(ln):
                    return True
    return False


def _sort_outlines(rooms: list[tuple[Polygon, str]], zones: list[tuple[Polygon, str]], labels: list[Label],
                   room_types) -> tuple[list[tuple[Polygon, str]], list[tuple[Polygon, str, int]], list[Polygon]]:
    """Outlines on room layers → rooms, zones (outlines inside a room) and building outlines.

    An outline lying inside a larger one is a zone of it (等候区 inside the hall), unless it is
    labelled as a room (档案室, KITCHEN): then the larger outline was drawn around the rooms and is
    the building's outline, not a room.
    """
    rooms = sorted(rooms, key=lambda pl: -pl[0].area)
    room_polys: list[tuple[Polygon, str]] = []
    zone_polys: list[tuple[Polygon, str, int]] = []
    tree = STRtree([p for p, _ in rooms]) if rooms else None
    position: dict[int, int] = {}  # index in ``rooms`` → index in ``room_polys``, for the outlines kept as rooms
    for k, (poly, layer) in enumerate(rooms):
        parent = next((position[j] for j in sorted(int(j) for j in tree.query(poly)) if j in position
                       and rooms[j][0].area > poly.area
                       and rooms[j][0].intersection(poly).area >= ZONE_CONTAINED * poly.area), None)
        if parent is None:
            position[k] = len(room_polys)
            room_polys.append((poly, layer))
        else:
            zone_polys.append((poly, layer, parent))
    containers = {parent for poly, _, parent in zone_polys if _names_a_room(labels, poly, room_types)}
    if containers:
        kept = [i for i in range(len(room_polys)) if i not in containers]
        renumber = {old: new for new, old in enumerate(kept)}
        promoted = [(poly, layer) for poly, layer, parent in zone_polys if parent in containers]
        zone_polys = [(poly, layer, renumber[parent]) for poly, layer, parent in zone_polys if parent not in containers]
        outlines = [room_polys[i][0] for i in sorted(containers)]
        room_polys = [room_polys[i] for i in kept] + promoted
    else:
        outlines = []
    final = STRtree([p for p, _ in room_polys]) if room_polys else None
    for poly, layer in zones:
        inside = sorted(int(i) for i in final.query(poly.representative_point(), predicate="within")) if final else []
        zone_polys.append((poly, layer, inside[0] if inside else -1))
    return room_polys, zone_polys, outlines


def _rooms_from_walls(walls: list[Polygon], columns: list[Polygon], openings: list[Opening]
                      ) -> list[tuple[Polygon, str]]:
    """No room outlines: the rooms are the spaces the walls enclose, doors and windows closed by
    the wall pieces they replace."""
    solid = unary_union(walls + columns + [o.gap for o in openings if o.gap is not None]
                        + _end_bridges(walls, columns, END_GAP_M))
    holes = [Polygon(ring) for poly in getattr(solid, "geoms", [solid]) if isinstance(poly, Polygon)
             for ring in poly.interiors]
    return [(h, "<walls>") for h in holes if h.area >= MIN_ROOM_M2 and not h.buffer(-0.25).is_empty]


def _wall_ends(poly: Polygon):
    """The end faces of a wall strip: edges no wider than a wall whose two neighbours both run back
    from them (a cap), with the outward normal."""
    for k, ring in enumerate((poly.exterior, *poly.interiors)):
        r = ring.simplify(0.005)
        pts = list(r.coords)[:-1]
        n = len(pts)
        if n < 3:
            continue
        left = r.is_ccw == (k == 0)  # the wall on the left of the direction of travel
        for i in range(n):
            a, b = pts[i], pts[(i + 1) % n]
            w = math.dist(a, b)
            if not 0.04 <= w <= WALL_MAX_THICKNESS_M:
                continue
            dx, dy = (b[0] - a[0]) / w, (b[1] - a[1]) / w
            nx, ny = (dy, -dx) if left else (-dy, dx)
            p0, p1 = pts[i - 1], pts[(i + 2) % n]
            back = min(0.5 * w, 0.05)  # a rebated jamb steps back 5-10 cm, a change of thickness not at all
            if (a[0] - p0[0]) * nx + (a[1] - p0[1]) * ny < back or (b[0] - p1[0]) * nx + (b[1] - p1[1]) * ny < back:
                continue
            yield a, b, nx, ny


def _end_bridges(walls: list[Polygon], columns: list[Polygon], reach: float) -> list[Polygon]:
    """Wall ends facing another wall (or column) across a gap up to ``reach``: the strip that fills
    the gap, the wall's own width wide (an opening drawn without a door or window in it).

    A small piece about as long as wide (a post, a pier: ``_compact``) is bridged only along a line of wall
    (to both sides, as sample7's 0.2 m posts between two doorways are) or to one wall alone: a pier bridged
    round a corner, to two walls at right angles, would cut off a small false room between them."""
    targets = walls + columns
    if not targets or sum(len(r.coords) for w in walls for r in (w.exterior, *w.interiors)) > MAX_END_VERTICES:
        return []  # no walls, or a mesh of them no plan has: the gaps stay open
    tree = STRtree(targets)
    out = []
    for poly in walls:
        strips = []
        for a, b, nx, ny in _wall_ends(poly):
            e = 0.005
            sweep = Polygon([(a[0] + nx * e, a[1] + ny * e), (b[0] + nx * e, b[1] + ny * e),
                             (b[0] + nx * reach, b[1] + ny * reach), (a[0] + nx * reach, a[1] + ny * reach)])
            if not sweep.is_valid:
                continue
            hits = [targets[int(i)].intersection(sweep) for i in tree.query(sweep, predicate="intersects")]
            hits = [h for h in hits if not h.is_empty]
            if not hits:
                continue
            d = min(LineString([a, b]).distance(h) for h in hits) + 0.01
            strips.append(((nx, ny), Polygon([a, b, (b[0] + nx * d, b[1] + ny * d), (a[0] + nx * d, a[1] + ny * d)])))
        if len(strips) > 1 and _compact(poly):
            paired = [(u, g) for u, g in strips if any(u[0] * v[0] + u[1] * v[1] < -0.9 for v, _ in strips)]
            strips = paired  # along a line of wall; a pier bridged round a corner gets none
        out += [g for _, g in strips]
    return out


def _compact(poly: Polygon) -> bool:
    """A small piece about as long as wide: a post or a pier, not a strip of wall with two ends."""
    mrr = poly.minimum_rotated_rectangle
    if not isinstance(mrr, Polygon):
        return True
    c = list(mrr.exterior.coords)
    short, long_ = sorted((math.dist(c[0], c[1]), math.dist(c[1], c[2])))
    return long_ <= 2 * WALL_MAX_THICKNESS_M and long_ < 1.5 * short


def _assign_labels(labels: list[Label], room_polys, zone_polys):
    room_labels: list[list[Label]] = [[] for _ in room_polys]
    zone_labels: list[list[Label]] = [[] for _ in zone_polys]
    stray: list[Label] = []
    zone_geoms, room_geoms = [z[0] for z in zone_polys], [r[0] for r in room_polys]
    zone_tree = STRtree(zone_geoms) if zone_geoms else None
    room_tree = STRtree(room_geoms) if room_geoms else None
    for lb in labels:
        hit = _first_containing(zone_tree, zone_geoms, lb.point)
        if hit is not None:
            zone_labels[hit].append(lb)
            continue
        hit = _first_containing(room_tree, room_geoms, lb.point, smallest=True)
        if hit is None and room_tree is not None:
            # A label's estimated centre a hair outside its room (in a 0.1 m slit of the outline, or just
            # over a line): the nearest room within half the text's height, or LABEL_REACH_M, has it.
            reach = max(LABEL_REACH_M, lb.height_m / 2)
            x, y = lb.point.x, lb.point.y  # every room whose box meets the square around the label; then by distance
            near = [int(i) for i in room_tree.query(shapely.box(x - reach, y - reach, x + reach, y + reach))]
            near = [(room_geoms[i].distance(lb.point), i) for i in near]
            hit = min((d, i) for d, i in near if d <= reach)[1] if any(d <= reach for d, _ in near) else None
        if hit is not None:
            room_labels[hit].append(lb)
        else:
            stray.append(lb)
    return room_labels, zone_labels, stray


def _make_rooms(room_polys, room_labels, zone_polys, zone_labels, columns, index, room_types, findings):
    col_union = unary_union(columns) if columns else None
    rooms: list[Room] = []
    zones: list[Zone] = []
    room_of: dict[int, Room] = {}  # index in room_polys → the room kept
    for i, ((poly, layer), lbs) in enumerate(zip(room_polys, room_labels)):
        if col_union is not None and poly.intersects(col_union):
            poly = _largest(poly.difference(col_union))  # columns are not usable floor
        if poly.area < MIN_ROOM_M2:
            continue
        naming = _name_room(lbs, room_types)
        name, annotated, zone_lbs = naming.name, naming.stated_m2, naming.zone_labels
        rtype = classify.room_type(name, room_types) if name else "other"
        room = Room(name or "", rtype, poly, layer, index, tuple(naming.names), annotated, naming.number,
                    naming.gross_m2)
        rooms.append(room)
        room_of[i] = room
        c = poly.representative_point()
        where = ((round(c.x, 3), round(c.y, 3)),)
        if not name:
            findings.append(Finding("drawing.unlabeled-room", "drawing.unlabeled-room", {"area_m2": poly.area}, where))
        elif rtype == "other":
            findings.append(Finding("drawing.unknown-room-type", "drawing.unknown-room-type", {"name": name}, where))
        if annotated and abs(annotated - poly.area) > 0.01 * poly.area + 0.05:
            findings.append(Finding("drawing.area-mismatch", "drawing.area-mismatch",
                                    {"name": name, "annotated": annotated, "measured": poly.area,
                                     "diff_pct": 100 * abs(annotated - poly.area) / poly.area}, where))
        for zl in zone_lbs:  # zones named by a label only (no outline)
            zones.append(Zone(zl.text.strip(), classify.zone_type(zl.text) or classify.room_type(zl.text),
                              room.name, zl.point, index))
    for (poly, layer, parent), lbs in zip(zone_polys, zone_labels):
        name = next((ln for lb in lbs for ln in _lines(lb.text) if not classify.area_annotation(ln)), "")
        parent_name = room_of[parent].name if parent in room_of else ""
        ztype = (classify.zone_type(name) or classify.room_type(name, room_types)) if name else "other"
        zones.append(Zone(name, ztype, parent_name, poly, index))
    return rooms, zones


def _arc_doors(raw: Raw, k: float, index: int, walls: list[Polygon], tree: STRtree | None) -> list[Opening]:
    """Doors drawn as loose swing arcs: the closed leaf runs from the hinge to the swing end that
    touches a wall (the latch jamb); a double door's two leaves meeting in the middle become one."""
    if tree is None:
        return []
    arcs = []
    for arc in raw.door_arcs:
        r = arc.radius * k
        if 0.4 <= r <= 1.8:  # else not a door leaf
            arcs.append((arc, (arc.centre[0] * k, arc.centre[1] * k),
                         [(arc.start[0] * k, arc.start[1] * k), (arc.end[0] * k, arc.end[1] * k)]))
    end_points = [Point(e) for _, _, ends in arcs for e in ends]
    end_tree = STRtree(end_points) if end_points else None

    def to_wall(p):
        near = tree.query(Point(p).buffer(0.3))
        return min((walls[int(i)].distance(Point(p)) for i in near), default=math.inf)

    def meets_another(n: int, p) -> bool:  # the middle of a double door, where two leaves' latches meet
        near = end_tree.query(Point(p).buffer(0.05)) if end_tree is not None else []
        return any(int(j) // 2 != n for j in near)

    leaves = []
    for n, (arc, hinge, ends) in enumerate(arcs):
        meeting = [e for e in ends if meets_another(n, e)]
        latch = meeting[0] if meeting else min(ends, key=to_wall)
        if not meeting and to_wall(latch) > 0.15:
            continue
        leaves.append([hinge, latch, arc.layer, _swing(arc, k, latch)])
    merged = []
    used = set()
    for i, (h1, l1, layer, swing) in enumerate(leaves):
        if i in used:
            continue
        axis, swings = LineString([h1, l1]), list(swing)
        for j in range(i + 1, len(leaves)):
            h2, l2, _, swing2 = leaves[j]
            if j not in used and math.dist(l1, l2) <= 0.05 and LineString([h1, h2]).length > axis.length * 1.5:
                axis = LineString([h1, h2])  # a double door: two leaves meeting in the middle
                swings += swing2
                used.add(j)
                break
        merged.append(Opening("door", "ARC", layer, axis, axis.length, axis.buffer(axis.length, cap_style="flat"),
                              index, symbol=MultiLineString(swings)))
    return merged


def _swing(arc: RawArc, k: float, latch: tuple[float, float]) -> list[list[tuple[float, float]]]:
    """A loose door arc as the overlay draws it: the swing, and the leaf open from the hinge to the end
    of the swing away from the latch."""
    pts = [(x * k, y * k) for x, y in arc.points]
    hinge = (arc.centre[0] * k, arc.centre[1] * k)
    open_end = max((pts[0], pts[-1]), key=lambda p: math.dist(p, latch))
    return [pts, [hinge, open_end]]


# --- helpers ---------------------------------------------------------------------------------------
def _xy(c) -> tuple[float, float]:
    return (round(c[0], 3), round(c[1], 3))


def _polygonal(g):
    if isinstance(g, (Polygon, MultiPolygon)):
        return g
    parts = [p for p in getattr(g, "geoms", []) if isinstance(p, (Polygon, MultiPolygon))]
    return unary_union(parts) if parts else Polygon()


def _largest(g) -> Polygon:
    parts = [p for p in getattr(g, "geoms", [g]) if isinstance(p, Polygon)]
    return max(parts, key=lambda p: p.area) if parts else Polygon()


MAX_NESTED_PAIRS = 200_000  # (outline, larger outline around it) pairs; a pile of outlines is not walls


def _even_odd(polys: list[Polygon]) -> list[Polygon]:
    """Closed wall outlines nest (outer face, inner face …): fill them even-odd, as CAD hatches do.

    The containing pairs come from STRtree queries in chunks (the loops over every pair of outlines were
    quadratic: 10,000 small overlapping outlines took 13 s). A pile with more than MAX_NESTED_PAIRS of
    them is no wall drawing: it is filled as a whole, without counting."""
    if not polys:
        return []
    polys = sorted(polys, key=lambda p: -p.area)
    areas = np.array([p.area for p in polys])
    tree = STRtree(polys)
    points = [p.representative_point() for p in polys]
    inner_parts, outer_parts, total = [], [], 0
    for start in range(0, len(points), 1024):
        chunk = points[start:start + 1024]
        total += int(tree.query(chunk).shape[1])  # bounding boxes: cheap, and never fewer than the pairs
        if total > 4 * MAX_NESTED_PAIRS:
            whole = unary_union(polys)
            return [q for q in getattr(whole, "geoms", [whole]) if isinstance(q, Polygon)]
        a, b = tree.query(chunk, predicate="within")
        inner_parts.append(a + start)
        outer_parts.append(b)
    inner, outer = np.concatenate(inner_parts), np.concatenate(outer_parts)
    keep = (inner != outer) & (areas[outer] > areas[inner])
    inner, outer = inner[keep], outer[keep]
    depth = np.bincount(inner, minlength=len(polys))
    holes: dict[int, list[int]] = {}
    for i, j in zip(inner.tolist(), outer.tolist()):
        if depth[i] == depth[j] + 1:
            holes.setdefault(j, []).append(i)
    out = []
    for j, p in enumerate(polys):
        if depth[j] % 2 == 0:
            hs = holes.get(j)
            out.append(p.difference(unary_union([polys[i] for i in hs])) if hs else p)
    return [q for g in out for q in getattr(g, "geoms", [g]) if isinstance(q, Polygon) and q.area > 0]


def _noded(lines: list[LineString]):
    """Lines noded at every crossing. Ends a hair apart (1e-5 m of floating-point noise in a real drawing) do
    not meet: when many pieces dangle, the lines are snapped to a millimetre grid first, or a hotel floor's
    walls polygonize into dangles instead of wall strips. A clean drawing is left as drawn (snapping a
    rotated plan would move every vertex by up to half a millimetre)."""
    noded = unary_union(lines)
    dangles = shapely.polygonize_full([noded])[2]
    if shapely.get_num_geometries(dangles) > DANGLING_SHARE * len(lines):
        noded = unary_union(shapely.set_precision(MultiLineString(lines), SNAP_GRID_M))
    return noded


def _line_faces(lines: list[LineString], k: float) -> list[Polygon]:
    """Columns drawn as loose LINEs (柱子): the faces they enclose, in metres, ends snapped as wall lines are."""
    if not lines or crowded(lines, max(50_000, 40 * len(lines))):
        return []
    scaled = [shapely.transform(ln, lambda c: c * k) for ln in lines]
    return [f for f in polygonize(_noded(scaled)) if f.area > 0]


def _thin_faces(lines: list[LineString]) -> list[Polygon]:
    """Faces of wall linework that are wall (thin), not the rooms they enclose.

    Wall lines meet a few others each, at corners and junctions; a lattice of crossing lines (an
    exploded hatch on the wall layer) would make noding and polygonizing quadratic, so linework with
    far more crossings than walls have is left out."""
    limit = max(50_000, 40 * len(lines))
    if crowded(lines, 10 * limit):  # bounding boxes first: cheap, and never fewer than the crossings
        return []
    left, right = STRtree(lines).query(lines, predicate="intersects")
    if len(left) > limit:
        return []
    noded = _noded(lines)
    caps = _end_caps(noded, WALL_MAX_THICKNESS_M)
    if caps:
        noded = unary_union([noded, *caps])
    faces = list(polygonize(noded))
    r = WALL_MAX_THICKNESS_M / 2
    return [f for f in faces if f.area > 0 and f.buffer(-r, join_style="mitre").is_empty]


def _end_caps(noded, width: float) -> list[LineString]:
    """The missing end line of a wall drawn as two face lines: both faces stop, side by side and
    running the same way, at most a wall's width apart (the jamb line was drawn on the door or
    window layer, or not at all). Each loose end is capped at most once, to its nearest partner."""
    pieces = [g for g in getattr(noded, "geoms", [noded]) if isinstance(g, LineString) and not g.is_empty]
    degree: dict[tuple[float, float], int] = {}
    ends = []
    for g in pieces:
        c = list(g.coords)
        for end, prev in ((c[0], c[1]), (c[-1], c[-2])):
            key = (round(end[0], 6), round(end[1], 6))
            degree[key] = degree.get(key, 0) + 1
            d = math.dist(end, prev)
            if d > 0:
                ends.append((key, end, ((end[0] - prev[0]) / d, (end[1] - prev[1]) / d)))
    loose = [(p, u) for key, p, u in ends if degree[key] == 1]
    if not 2 <= len(loose) <= MAX_END_VERTICES:
        return []
    tree = STRtree([Point(p) for p, _ in loose])
    pairs = []
    for i, (p, u) in enumerate(loose):
        for j in tree.query(Point(p).buffer(width)).tolist():
            if j <= i:
                continue
            q, v = loose[j]
            dist = math.dist(p, q)
            if not 0 < dist <= width or u[0] * v[0] + u[1] * v[1] < 0.985:  # parallel, same way (< 10°)
                continue
            along = abs((q[0] - p[0]) * u[0] + (q[1] - p[1]) * u[1])
            if along <= 0.15 and along < dist:  # side by side (a rebated jamb staggers them a little)
                pairs.append((dist, i, j))
    used, caps = set(), []
    for _, i, j in sorted(pairs):
        if i not in used and j not in used:
            used.update((i, j))
            caps.append(LineString([loose[i][0], loose[j][0]]))
    return caps


def _dedupe(items: list[tuple[Polygon, str]]) -> list[tuple[Polygon, str]]:
    """Outlines drawn twice (on two layers, or copied in place) count once: the larger of two outlines
    differing by less than DUPLICATE_TOL of its area is kept. Candidates are those whose boxes touch with
    nearly the same bounds and area (numpy, so a pile of thousands of overlapping outlines stays fast);
    only those are compared exactly."""
    items = sorted(items, key=lambda pl: -pl[0].area)
    if not items:
        return []
    polys = [p for p, _ in items]
    tree = STRtree(polys)
    bounds = np.array([p.bounds for p in polys])
    areas = np.array([p.area for p in polys])
    kept = np.zeros(len(items), dtype=bool)
    for i, p in enumerate(polys):
        cand = tree.query(p)
        cand = cand[kept[cand]]
        size = max(bounds[i, 2] - bounds[i, 0], bounds[i, 3] - bounds[i, 1])
        cand = cand[(np.abs(areas[cand] - areas[i]) <= DUPLICATE_TOL * areas[cand])
                    & (np.abs(bounds[cand] - bounds[i]).max(axis=1) <= DUPLICATE_TOL * size)]
        if not any(polys[j].symmetric_difference(p).area <= DUPLICATE_TOL * areas[j] for j in cand.tolist()):
            kept[i] = True
    return [items[i] for i in np.flatnonzero(kept).tolist()]


def _first_containing(tree, geoms, point, smallest: bool = False):
    if tree is None:
        return None
    hits = [int(i) for i in tree.query(point, predicate="intersects")]
    if not hits:
        return None
    return min(hits, key=lambda i: geoms[i].area) if smallest else hits[0]


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


@dataclass
class _Naming:
    """What the labels inside one room say about it."""

    stated_m2: float | None = None
    number: str = ""
    gross_m2: float | None = None
    zone_labels: list[Label] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # best first

    @property
    def name(self) -> str:
        return self.names[0] if self.names else ""


def _name_room(labels: list[Label], room_types: dict[str, tuple[str, ...]] | None = None) -> _Naming:
    """Pick a room's name from the labels inside it.

    A label with field names (房间编号：… 房间名称：… 使用面积：…㎡ 建筑面积：…) gives the name, number and
    stated areas directly, and wins over any other label. Otherwise, area annotations ("67.74㎡", or after
    the name on its line: "服务大厅 67.74㎡") give the stated area; size notes ("5065 X 3350"), level marks,
    axis labels, door and window codes, room numbers and notes (:func:`conventions.not_a_name`) are
    dropped; zone labels (等候区) are zones, not names, and an area note in the same text as a zone label
    is the zone's. Among the rest a label naming a known room type (the user's synonyms included) wins,
    then the tallest text.
    """
    out = _Naming()
    candidates: list[tuple[bool, bool, float, str]] = []
    for lb in labels:
        fields = conventions.label_fields(lb.text)
        if fields is not None:  # fields without a name (管理人员：…, 面积：20㎡) never name the room
            if fields.name:
                candidates.append((True, True, lb.height_m, fields.name))
            out.stated_m2 = fields.usable_m2 if fields.usable_m2 is not None else out.stated_m2
            out.gross_m2 = fields.gross_m2 if fields.gross_m2 is not None else out.gross_m2
            out.number = fields.number or out.number
            continue
        kept: list[str] = []
        areas: list[float] = []
        zoned = False
        for ln in _lines(lb.text):
            a = classify.area_annotation(ln)
            if a is not None:
                areas.append(a)
                continue
            ln, a = classify.split_area(ln)
            if a is not None:
                areas.append(a)
            known = classify.room_type(ln, room_types) != "other"
            if classify.is_dimension(ln) or (not known and conventions.not_a_name(ln)):
                continue
            elif classify.is_zone_label(ln):
                zoned = True
                out.zone_labels.append(Label(ln, lb.point, lb.height_m, lb.layer, lb.storey))
            else:
                kept.append(ln)
        if areas and not zoned and out.stated_m2 is None:
            out.stated_m2 = areas[-1]
        if kept:
            joiner = "" if all(not w.isascii() for w in kept) else " "
            name = joiner.join(kept)
            candidates.append((False, classify.room_type(name, room_types) != "other", lb.height_m, name))
    candidates.sort(key=lambda c: c[:3], reverse=True)
    out.names = [c[3] for c in candidates]
    return out


def _overlaps(rooms: list[Room], findings: list[Finding]) -> None:
    if len(rooms) < 2:
        return
    tree = STRtree([r.polygon for r in rooms])
    for i, r in enumerate(rooms):
        for j in tree.query(r.polygon, predicate="intersects"):
            j = int(j)
            if j <= i:
                continue
            inter = r.polygon.intersection(rooms[j].polygon)
            if inter.area > 0.01:
                c = inter.representative_point()
                findings.append(Finding("drawing.overlapping-rooms", "drawing.overlapping-rooms",
                                        {"a": r.name or "?", "b": rooms[j].name or "?", "area_m2": inter.area},
                                        ((round(c.x, 3), round(c.y, 3)),)))


def _corners(ins: RawInsert, k: float) -> list[tuple[float, float]]:
    """The block's local box placed by the insert, in metres: four corners, counter-clockwise in the block."""
    x0, y0, x1, y1 = ins.local_box
    pts = [ins.matrix.transform((x, y, 0)) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    return [(p.x * k, p.y * k) for p in pts]


def _box(ins: RawInsert, k: float) -> Polygon:
    return Polygon(_corners(ins, k))


def _boxes(inserts: list[RawInsert], k: float) -> list[Polygon]:
    """:func:`_box` of many inserts, the polygons made in one call (a site sheet holds tens of thousands)."""
    if not inserts:
        return []
    return list(shapely.polygons(np.array([_corners(ins, k) for ins in inserts], dtype=float)))


def _opening(ins: RawInsert, k: float, index: int) -> Opening:
    x0, y0, x1, y1 = ins.local_box
    if (y1 - y0) > OPENING_THIN * (x1 - x0):  # a sliding door or a window drawn along its local Y axis
        xa = 0.0 if x0 <= 0.0 <= x1 else x0
        a, b = ins.matrix.transform((xa, y0, 0)), ins.matrix.transform((xa, y1, 0))
    else:
        ya = 0.0 if y0 <= 0.0 <= y1 else y0  # door blocks put the opening on local y = 0
        a, b = ins.matrix.transform((x0, ya, 0)), ins.matrix.transform((x1, ya, 0))
    axis = LineString([(a.x * k, a.y * k), (b.x * k, b.y * k)])
    return Opening(ins.role, ins.block, ins.layer, axis, axis.length, _box(ins, k), index,
                   automatic=ins.kind == "automatic", symbol=_symbol(ins, k))


def _symbol(ins: RawInsert, k: float) -> MultiLineString | None:
    """The block's linework placed by the insert's matrix, in metres (numpy: row vectors times the matrix,
    as ezdxf's Matrix44 does)."""
    if not ins.symbol:
        return None
    m = np.array(list(ins.matrix.rows()), dtype=float)
    xy = np.concatenate(ins.symbol)
    placed = (xy @ m[:2, :2] + m[3, :2]) * k
    return MultiLineString(np.split(placed, np.cumsum([len(a) for a in ins.symbol])[:-1]))


def _counter(ins: RawInsert, k: float, index: int) -> Counter:
    fp = _box(ins, k)
    c = list(fp.exterior.coords)
    sides = sorted([math.dist(c[0], c[1]), math.dist(c[1], c[2])])
    return Counter(ins.block, ins.layer, fp, sides[1], sides[0], _height_mm(ins.attribs), index, dict(ins.attribs))


def _height_mm(attribs: dict[str, str]) -> float | None:
    for tag in HEIGHT_TAGS:
        v = attribs.get(tag.upper())
        if v is None:
            continue
        text = str(v).strip().lower()
        per_cm = text.endswith("cm")  # "76cm": centimetres would otherwise read as no height at all
        try:
            x = float(text.removesuffix("mm").removesuffix("cm").removesuffix("m").strip())
        except ValueError:
            continue
        if not math.isfinite(x) or x <= 0:  # "1e309", "nan", "-760": not a height
            continue
        if per_cm:
            return x * 10.0
        return x * 1000.0 if x <= 3.0 else x  # "0.76" is metres, "760" millimetres
    return None


def _bridge(o: Opening, walls: list[Polygon], tree: STRtree | None) -> Polygon | None:
    """The piece of wall an opening replaces: the hull of the wall ends on both sides of it."""
    if tree is None or o.axis.length == 0:
        return None
    (ax, ay), (bx, by) = o.axis.coords[0], o.axis.coords[-1]
    ux, uy = (bx - ax) / o.axis.length, (by - ay) / o.axis.length
    ext = 0.25
    reach = LineString([(ax - ux * ext, ay - uy * ext), (bx + ux * ext, by + uy * ext)]).buffer(
        OPENING_REACH_M, cap_style="flat")
    near = [walls[int(i)].intersection(reach) for i in tree.query(reach, predicate="intersects")]
    near = [g for g in near if not g.is_empty]
    if not near:
        return None
    hull = unary_union(near).convex_hull
    return hull if isinstance(hull, Polygon) and hull.area > 0 else None


OUTLINE_MISMATCH = 0.05  # a drawn gross outline this far from the walls' own outline is worth a look


def _compare_outline(drawn, from_walls, findings: list[Finding]) -> None:
    """A drawn gross outline (建筑面积 / A-AREA-GROS) decides the gross area; say so when it cannot run
    along the outer wall faces: more than OUTLINE_MISMATCH of it lies beyond every wall (a site boundary
    on the outline layer, an outline shifted off the building) or of what the walls enclose lies outside
    it (a stale outline after a redesign). The walls' convex hull bounds them from above, what they
    enclose from below: walls with open gaps enclose too little."""
    hull = from_walls.convex_hull
    beyond = drawn.difference(hull)
    left_out = from_walls.difference(drawn)
    if beyond.area > OUTLINE_MISMATCH * hull.area:
        rest, walls_m2 = beyond, hull.area
    elif left_out.area > OUTLINE_MISMATCH * from_walls.area:
        rest, walls_m2 = left_out, from_walls.area
    else:
        return
    parts = [g for g in getattr(rest, "geoms", [rest]) if isinstance(g, Polygon)]
    c = max(parts, key=lambda g: g.area).representative_point() if parts else drawn.representative_point()
    findings.append(Finding("drawing.outline-mismatch", "drawing.outline-mismatch",
                            {"drawn_m2": drawn.area, "walls_m2": walls_m2, "off_m2": rest.area},
                            ((round(c.x, 3), round(c.y, 3)),)))


REPEAT_TOL = 0.03  # two parts of a footprint this alike (area and shape, moved) are one plan drawn twice
MIN_REPEAT_M2 = 10.0


def _repeated_parts(footprint, findings: list[Finding]) -> None:
    """The same building drawn twice in one model space (an architectural and an electrical plan of one
    floor, without titles): both count in the gross area, so say so."""
    parts = sorted((p for p in getattr(footprint, "geoms", [footprint]) if p.area >= MIN_REPEAT_M2),
                   key=lambda p: -p.area)[:50]
    for i, a in enumerate(parts):
        for b in parts[i + 1:]:
            if abs(a.area - b.area) > REPEAT_TOL * a.area:
                continue
            ca, cb = a.centroid, b.centroid
            moved = shapely.affinity.translate(b, ca.x - cb.x, ca.y - cb.y)
            if a.symmetric_difference(moved).area <= REPEAT_TOL * a.area:
                findings.append(Finding("drawing.repeated-plan", "drawing.repeated-plan",
                                        {"area_m2": a.area, "total_m2": footprint.area},
                                        ((round(ca.x, 3), round(ca.y, 3)), (round(cb.x, 3), round(cb.y, 3)))))
                return


def _is_external(o: Opening, footprint) -> bool:
    """An opening is in an external wall when one side of it is outside the building."""
    if o.axis.length == 0:
        return False
    (ax, ay), (bx, by) = o.axis.coords[0], o.axis.coords[-1]
    cx, cy = (ax + bx) / 2, (ay + by) / 2
    nx, ny = -(by - ay) / o.axis.length, (bx - ax) / o.axis.length
    reach = OPENING_REACH_M + 0.2  # past the far face of a thick wall
    sides = [Point(cx + s * nx * reach, cy + s * ny * reach) for s in (1, -1)]
    return sum(footprint.contains(p) for p in sides) == 1


def _close(g, r: float):
    """Morphological closing with mitred corners: seals hairline gaps, keeps square corners square."""
    return g.buffer(r, join_style="mitre").buffer(-r, join_style="mitre")


def _fill_holes(g):
    parts = [Polygon(p.exterior) for p in getattr(g, "geoms", [g]) if isinstance(p, Polygon) and not p.is_empty]
    if not parts:
        return Polygon()
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


