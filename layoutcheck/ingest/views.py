"""Drawing sets: one model space holding several views (一层平面图, 屋顶平面图, ①-④立面图, 1-1剖面图 …).

TArch T3 sets and many office drawings put a whole set in one model space, each view drawn 1:1 with its
title underneath (usually with a scale beside it: ``一层平面图 1:100``). A view is found as the title and the
linework above it: the drawing's geometry is grouped into pieces (boxes closer than ``VIEW_GAP_M`` join),
and each piece belongs to the nearest title below it. Only floor-plan views are checked; each is a storey.

Figures the drawing states about a view or the building (``本层建筑面积：113.05m2`` under a plan,
``建筑面积为113.05m`` in the notes) are kept as claims, to be compared with what is measured.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely

from .. import conventions
from .assemble import _box
from .extract import Raw, RawLabel
from .text import _width_em

VIEW_GAP_M = 1.5  # linework closer than this belongs to one view (views stand metres apart on a sheet)
TITLE_SCALE_REACH = 8.0  # a scale this many text heights right of a title's end is its scale
TITLE_BELOW_REACH = 0.35  # a title sits below its view, or at most this share of the view's height inside it
MAX_VIEW_BOXES = 300_000  # pieces of linework grouped into views; beyond, the model space is one plan
CLAIM_REACH = 6.0  # a stated area this many title heights from a title is that view's


@dataclass
class RawView:
    title: str
    kind: str
    xy: tuple[float, float]  # the title's centre, drawing units
    height: float  # the title's text height
    scale: str = ""
    storey: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # the view's linework, drawing units
    stated_gross_m2: float | None = None


@dataclass
class ViewSet:
    views: list[RawView] = field(default_factory=list)
    stated_total_m2: float | None = None

    @property
    def is_set(self) -> bool:
        """Several views with linework: the model space must be split before it is read as a plan."""
        return sum(v.bbox is not None for v in self.views) >= 2


def _lines(lb: RawLabel) -> list[str]:
    return [ln.strip() for ln in lb.text.splitlines() if ln.strip()]


def _width(text: str, h: float) -> float:
    return _width_em(text) * h


MAX_TITLES = 200  # title candidates; a drawing with more is a list or a hostile file, not a set of views
MAX_CLAIMS = 200  # texts stating a gross area


class _Near:
    """Labels by position (numpy), for "the texts on this line, just left / right of here" without a
    quadratic search over a drawing's thousands of labels."""

    def __init__(self, labels: list[RawLabel]) -> None:
        self.labels = labels
        self.xy = np.array([lb.xy for lb in labels], dtype=float).reshape(-1, 2)

    def on_line(self, y: float, dy: float, x0: float, x1: float) -> list[RawLabel]:
        m = (np.abs(self.xy[:, 1] - y) <= dy) & (self.xy[:, 0] > x0) & (self.xy[:, 0] <= x1)
        return [self.labels[i] for i in np.flatnonzero(m)]


def find_titles(labels: list[RawLabel], near: _Near | None = None) -> list[RawView]:
    """View titles among the labels. A title with a scale beside it is certain; without one (a title-block
    cell, a list of drawings) it counts only when no title in the drawing has a scale."""
    candidates = [(lb, first) for lb in labels
                  for first in [next((ln for ln in _lines(lb) if conventions.view_title(ln)), None)] if first]
    if not candidates or len(candidates) > MAX_TITLES:
        return []
    near = near or _Near(labels)
    sure, unsure = [], []
    for lb, first in candidates:
        kind = conventions.view_title(first)
        title = _with_prefix(lb, first, near)
        x, y = lb.xy
        right = x + _width(first, lb.height) / 2
        scale = next((m.group(0) for o in near.on_line(y, 1.5 * lb.height, right - lb.height,
                                                       right + (TITLE_SCALE_REACH + 3) * lb.height)
                      for m in [conventions.SCALE_RX.match(o.text.strip().replace(" ", ""))] if m), "")
        view = RawView(title, kind, (x, y), lb.height, scale, conventions.storey_of_title(title) if kind == "plan"
                       else None)
        rest = "\n".join(ln for ln in _lines(lb) if ln != first)
        claim = conventions.stated_gross(rest) if rest else None
        if claim:
            view.stated_gross_m2 = claim[1]
        (sure if scale else unsure).append(view)
    return sure or unsure


def _with_prefix(lb: RawLabel, title: str, near: _Near) -> str:
    """An elevation's axes are often separate texts before its title: "1" "~" "3" "立面图" → "1~3立面图"."""
    if title not in ("立面图", "剖面图", "立面", "剖面"):
        return title
    x, y, h = lb.xy[0] - _width(title, lb.height) / 2, lb.xy[1], lb.height
    before = sorted((o for o in near.on_line(y, 0.6 * h, x - 5 * h, x) if o is not lb and len(o.text.strip()) <= 4),
                    key=lambda o: o.xy[0])
    return "".join(o.text.strip() for o in before) + title


def find_views(raw: Raw, unit_m: float) -> ViewSet:
    """The views of a drawing set with their extents, and the figures it states."""
    near = _Near(raw.labels)
    out = ViewSet(find_titles(raw.labels, near))
    for lb, scope, value in _claims(raw.labels, near):
        owner = _nearest_title(out.views, lb) if scope != "total" else None
        if owner is not None and owner.kind in ("plan", "layout"):
            if owner.stated_gross_m2 is None:  # 本层建筑面积 (or a bare 建筑面积) under a plan's title
                owner.stated_gross_m2 = value
        elif scope != "storey" and out.stated_total_m2 is None:  # 总建筑面积, or 建筑面积 in the notes
            out.stated_total_m2 = value
    if len(out.views) >= 2:
        _extents(raw, out.views, VIEW_GAP_M / unit_m)
    return out


def _claims(labels: list[RawLabel], near: _Near) -> list[tuple[RawLabel, str, float]]:
    """Texts stating a gross area (not a room label's 建筑面积 field); "本层建筑面积：" and "113.05m2" written
    as two texts on one line are read together."""
    out, lookups = [], 0
    for lb in labels:
        if "建筑面积" not in lb.text:
            continue
        fields = conventions.label_fields(lb.text)
        if fields is not None and (fields.name or fields.number or fields.use or fields.usable_m2 is not None):
            continue  # a room's own label (房间编号：101 … 建筑面积：20㎡), whatever fields it has
        lines = _lines(lb)
        if lines and conventions.view_title(lines[0]) is not None:
            continue  # a title's own lines were read with the title
        text = lb.text
        if len(text) > conventions.MAX_CLAIM_CHARS:
            continue
        if text.rstrip().rstrip(":：为").rstrip().endswith("建筑面积") and lookups < MAX_CLAIMS:
            lookups += 1  # its figure is the next text on the line: looked up a bounded number of times
            x = lb.xy[0]
            right = near.on_line(lb.xy[1], 0.8 * lb.height, x, x + _width(text, lb.height) / 2 + 8 * lb.height)
            right = [o for o in right if o is not lb]
            if right:
                text += min(right, key=lambda o: o.xy[0]).text
        claim = conventions.stated_gross(text)
        if claim:
            out.append((lb, claim[0], claim[1]))
            if len(out) >= MAX_CLAIMS:
                break
    return out


def _nearest_title(views: list[RawView], lb: RawLabel) -> RawView | None:
    best, best_d = None, math.inf
    for v in views:
        d = math.dist(v.xy, lb.xy) / v.height
        if d <= CLAIM_REACH + _width(v.title, 1.0) and d < best_d:
            best, best_d = v, d
    return best


def _boxes(raw: Raw) -> np.ndarray:
    """Bounding boxes of every piece of linework the reader kept (drawing units)."""
    geoms = [g for items in raw.rings.values() for g, _ in items]
    geoms += [ln for lines in raw.lines.values() for ln in lines]
    boxes = [g.bounds for g in geoms]
    boxes += [_box(ins, 1.0).bounds for ins in raw.inserts]  # the block's extent where it is inserted
    for a in raw.door_arcs:
        boxes.append((a.centre[0] - a.radius, a.centre[1] - a.radius, a.centre[0] + a.radius, a.centre[1] + a.radius))
    arr = np.array(boxes, dtype=float).reshape(-1, 4)
    return arr[np.isfinite(arr).all(axis=1)]


def _extents(raw: Raw, views: list[RawView], gap: float) -> None:
    """Give each title the pieces of linework it stands under."""
    boxes = _boxes(raw)
    if not len(boxes) or len(boxes) > MAX_VIEW_BOXES:
        return  # nothing to split, or more pieces than any drawing set has: read as one plan
    pieces = shapely.unary_union(shapely.box(boxes[:, 0] - gap / 2, boxes[:, 1] - gap / 2,
                                             boxes[:, 2] + gap / 2, boxes[:, 3] + gap / 2))
    geoms = getattr(pieces, "geoms", [pieces])
    b = shapely.bounds(np.asarray(geoms, dtype=object)).reshape(-1, 4) + np.array([gap, gap, -gap, -gap]) / 2
    x0, y0, x1, y1 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    best, best_d = np.full(len(b), -1), np.full(len(b), np.inf)
    for i, v in enumerate(views):  # numpy over the pieces, one view at a time
        tx, ty = v.xy
        d = np.maximum(y0 - ty, 0.0)
        ok = ((x0 - 2 * v.height <= tx) & (tx <= x1 + 2 * v.height)  # under this piece …
              & (ty <= y0 + TITLE_BELOW_REACH * (y1 - y0))  # … below it, or just inside its foot
              & (d <= np.maximum(y1 - y0, 20 * v.height)) & (d < best_d))
        best[ok], best_d[ok] = i, d[ok]
    for i, v in enumerate(views):
        mine = best == i
        if mine.any():
            v.bbox = (float(x0[mine].min()), float(y0[mine].min()), float(x1[mine].max()), float(y1[mine].max()))


def crop(raw: Raw, box: tuple[float, float, float, float], margin: float) -> Raw:
    """The part of ``raw`` whose pieces have their centre inside ``box`` (grown by ``margin``): one view."""
    x0, y0, x1, y1 = box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin

    def inside(b) -> bool:
        cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        return x0 <= cx <= x1 and y0 <= cy <= y1

    out = Raw(layers=set(raw.layers))
    for role, items in raw.rings.items():
        for g, layer in items:
            if inside(g.bounds):
                out.add_ring(role, g, layer)
    for role, lines in raw.lines.items():
        for ln in lines:
            if inside(ln.bounds):
                out.add_line(role, ln)
    out.open_room_lines = [t for t in raw.open_room_lines if inside(t[0].bounds)]
    for ins in raw.inserts:
        p = ins.matrix.transform(((ins.local_box[0] + ins.local_box[2]) / 2, (ins.local_box[1] + ins.local_box[3]) / 2, 0))
        if x0 <= p.x <= x1 and y0 <= p.y <= y1:
            out.inserts.append(ins)
    out.door_arcs = [a for a in raw.door_arcs if x0 <= a.centre[0] <= x1 and y0 <= a.centre[1] <= y1]
    out.labels = [lb for lb in raw.labels if x0 <= lb.xy[0] <= x1 and y0 <= lb.xy[1] <= y1]
    out.entities, out.exploded = raw.entities, raw.exploded
    return out
