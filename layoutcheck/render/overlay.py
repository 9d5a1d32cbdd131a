"""The plan to scale with every finding marked where it is — what a reviewer looks at first.

``draw(plan, report)`` draws on a new Agg figure (or on the caller's ``ax``) and returns what it
drew; ``save`` writes PNG, SVG or PDF by the file's suffix. Each located finding is one artist
with gid ``lc-mark-N`` (N = its number in the report), so an SVG can be checked or scripted.
"""

from __future__ import annotations

import io
import math
import unicodedata
import warnings
from pathlib import Path
from typing import Any

from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import polylabel

from ..i18n import Words, message
from ..model import Plan
from ..report import views_line
from ..report.text import WORDS as REPORT_WORDS, fmt
from ..rules.rooms import type_name
from . import STATUS_COLOURS, findings
from .fonts import family

FORMATS = ("png", "svg", "pdf")

ROOM_COLOURS = {"hall": "#cfe2f6", "public_service": "#cfe2f6", "archive": "#f2dfbf", "office": "#d4ebcd",
                "consultation": "#e2d7f1", "employment": "#cdebe7", "auxiliary": "#e4e4e4",
                "circulation": "#f3efd6", "other": "#f6d6d6"}
WALL, DOOR, WINDOW, COUNTER, FURNITURE = "#2b2b2b", "#8a5a2b", "#1e88c8", "#3f6fb5", "#8c8c8c"
ICONS = {"fail": "✗", "warn": "!", "n/a": "?", "pass": "✓"}

WORDS = Words("overlay")  # the overlay's labels: overlay.* in the message catalogs

PANEL_W, LEGEND_W, PLAN_W, PLAN_H_MAX, MARGIN = 4.4, 2.6, 7.6, 9.5, 0.3  # inches
PLAN_W_MAX = 15.0  # inches: how wide a wide plan may grow beside a tall panel
LINE = 1.42  # line height / font size


def _bold(colour: str, width: float = 0.7) -> dict[str, Any]:
    """Bold by a thin stroke in the text's colour: Noto Sans SC ships one weight, and asking
    matplotlib for "bold" only logs a findfont fallback on every run."""
    from matplotlib import patheffects

    return {"path_effects": [patheffects.withStroke(linewidth=width, foreground=colour)]}


def draw(plan: Plan, report: dict[str, Any], ax=None, *, lang: str = "zh", panel: bool = True) -> dict[str, Any]:
    """Draw the plan and its findings beside a panel (title block, numbered results, legend).

    ``panel=False`` keeps only the legend (the HTML report has the rest as tables); with ``ax`` the
    plan goes on the caller's axes with the legend to its right and a one-line title.

    Returns ``{"figure", "axes", "marks": {n: result}, "mark_artists": {n: [ring, badge…]},
    "routes": {n: line}, "gaps": {n: line}, "rooms": [(name, name_text, area_text)], "unlocated": [n, …]}`` so a
    notebook or a test can see exactly what was drawn.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fam = family()
    groups = _groups(plan)
    found = findings(report)
    located = [(n, r) for n, r in found if r.get("where")]
    drawn: dict[str, Any] = {"marks": {}, "mark_artists": {}, "routes": {}, "gaps": {}, "rooms": [],
                             "unlocated": [n for n, r in found if not r.get("where")]}
    if ax is None:
        boxes = [_bounds(plan, g) for g in groups]
        widths = [b[2] - b[0] for b in boxes]
        height_m = max(b[3] - b[1] for b in boxes)
        items = _panel_items(report, lang) if panel else []
        panel_w = PANEL_W if panel else LEGEND_W
        panel_h = sum(i["size"] * LINE + i.get("gap", 0) for i in items) / 72 + _legend_h(plan, report, lang, panel)
        # A wide plan (a hotel floor, 51 × 17 m) beside a tall panel of findings would be a thumbnail: it may
        # grow up to PLAN_W_MAX wide, as far as the panel is tall.
        scale = min(PLAN_W / sum(widths), PLAN_H_MAX / height_m)  # inches per metre
        scale = max(scale, min(PLAN_W_MAX / sum(widths), min(panel_h, PLAN_H_MAX * 1.6) / height_m))
        plan_w, plan_h = sum(widths) * scale, height_m * scale
        fig_h = max(plan_h, panel_h) + 2 * MARGIN
        fig_w = plan_w + panel_w + 3 * MARGIN
        fig = Figure(figsize=(fig_w, fig_h), dpi=100)
        FigureCanvasAgg(fig)
        axes, x = [], MARGIN
        for b, w in zip(boxes, widths):
            a = fig.add_axes((x / fig_w, (fig_h - MARGIN - (b[3] - b[1]) * scale) / fig_h,
                              w * scale / fig_w, (b[3] - b[1]) * scale / fig_h))
            a.set_xlim(b[0], b[2])
            a.set_ylim(b[1], b[3])
            axes.append(a)
            x += w * scale
        pax = fig.add_axes((1 - (panel_w + MARGIN) / fig_w, MARGIN / fig_h, panel_w / fig_w,
                            (fig_h - 2 * MARGIN) / fig_h))
        pax.set_axis_off()
    else:
        fig, axes, pax = ax.figure, [ax], None
        b = _bounds(plan, [s.index for s in plan.storeys])
        ax.set_xlim(b[0], b[2])
        ax.set_ylim(b[1], b[3])
    for a, g in zip(axes, groups if len(axes) == len(groups) else [[s.index for s in plan.storeys]]):
        a.set_aspect("equal")
        a.set_axis_off()
        view = next((s.view for s in plan.storeys if s.index == g[0] and s.view), "")
        if view and pax is not None:  # a plan view of a drawing set: its own title above it
            a.set_title(view, fontfamily=fam, fontsize=11, loc="left", pad=4, parse_math=False)
        ppm = _points_per_metre(a)
        _draw_plan(a, plan, g, fam)
        _draw_area_outlines(a, plan, g, located)
        obstacles = _draw_marks(a, plan, g, located, ppm, fam, drawn, single=len(axes) == 1)
        obstacles += _draw_routes(a, report, ppm, drawn)
        obstacles += _draw_counter_numbers(a, plan, g, ppm, fam, drawn)
        _draw_labels(a, plan, g, obstacles, ppm, lang, fam, drawn)
        _scale_bar(a, ppm, fam)
        _north(a, lang, fam)
    if pax is not None:
        _draw_panel(pax, items, fam)
        _legend(pax, plan, report, lang, fam, where="bottom" if panel else "top")
    else:
        _legend(axes[0], plan, report, lang, fam, where="right")
        verdict = message("verdict." + report["verdict"], lang)
        axes[0].set_title(f"{report['plan']} · {report['standard']} · {verdict}",
                          fontfamily=fam, fontsize=10, loc="left", parse_math=False)  # "$" in a file name
        if drawn["unlocated"]:
            rows = [f"{n}. {report['results'][n - 1]['rule']}: {report['results'][n - 1]['message']}"
                    for n in drawn["unlocated"]]
            axes[0].text(0, -0.02, "\n".join(_wrap(r, 8, 460) for r in rows), transform=axes[0].transAxes,
                         va="top", fontsize=8, fontfamily=fam, parse_math=False, color="#333333")
    drawn.update(figure=fig, axes=axes)
    return drawn


def save(plan: Plan, report: dict[str, Any], path: str | Path, *, lang: str = "zh", dpi: int = 130) -> Path:
    """Write the overlay; the format comes from the suffix (.png, .svg or .pdf)."""
    path = Path(path)
    fmt_ = path.suffix.lower().lstrip(".")
    if fmt_ not in FORMATS:
        raise ValueError(f"{path.name}: overlay format must be one of {', '.join(FORMATS)}")
    from ..files import write_atomic

    write_atomic(path, render(plan, report, fmt_, lang=lang, dpi=dpi))  # whole or not at all
    return path


def render(plan: Plan, report: dict[str, Any], fmt_: str = "svg", *, lang: str = "zh", dpi: int = 130,
           panel: bool = True) -> bytes:
    """The overlay as PNG, SVG or PDF bytes (the HTML report inlines the SVG, ``panel=False``)."""
    with warnings.catch_warnings():
        # A glyph the bundled fonts lack (Korean in a car park's labels) is drawn as a box; matplotlib's
        # warning about it, with its site-packages path, is no message for a user.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        return _render(plan, report, fmt_, lang, dpi, panel)


def _render(plan: Plan, report: dict[str, Any], fmt_: str, lang: str, dpi: int, panel: bool) -> bytes:
    drawn = draw(plan, report, lang=lang, panel=panel)
    meta = {"svg": {"Date": None, "Creator": "layoutcheck"}, "pdf": {"Creator": "layoutcheck"},
            "png": {"Software": "layoutcheck"}}[fmt_]
    buf = io.BytesIO()
    extra = {"pil_kwargs": {"compress_level": 3}} if fmt_ == "png" else {}  # zlib 6 costs 60 ms for 1 % less
    drawn["figure"].savefig(buf, format=fmt_, dpi=dpi, metadata=meta, facecolor="white", **extra)
    return buf.getvalue()


# --- the plan ---------------------------------------------------------------------------------

def _groups(plan: Plan) -> list[list[int]]:
    """Storey indices per source file and view: storeys of one file share a frame, files and the plan views
    of a drawing set are drawn apart (cropped to each view, not the whole sheet)."""
    by_source: dict[tuple[str, str], list[int]] = {}
    for s in plan.storeys:
        by_source.setdefault((s.source, s.view), []).append(s.index)
    return list(by_source.values()) or [[0]]


def _geoms(plan: Plan, group: list[int]) -> list[BaseGeometry]:
    gs = [s.footprint for s in plan.storeys if s.index in group]
    gs += [r.polygon for r in plan.rooms if r.storey in group]
    return [g for g in gs if not g.is_empty] or [w for w in plan.walls] or [Point(0, 0).buffer(1)]


def _bounds(plan: Plan, group: list[int]) -> tuple[float, float, float, float]:
    xs0, ys0, xs1, ys1 = zip(*(g.bounds for g in _geoms(plan, group)))
    x0, y0, x1, y1 = min(xs0), min(ys0), max(xs1), max(ys1)
    pad = 0.05 * max(x1 - x0, y1 - y0, 1.0) + 0.3
    return x0 - pad, y0 - 1.6 * pad, x1 + pad, y1 + pad  # room below for scale and north


def _points_per_metre(ax) -> float:
    bb = ax.get_position().transformed(ax.figure.transFigure)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return min(bb.width / (x1 - x0), bb.height / (y1 - y0)) * 72 / ax.figure.dpi


def _path(geom):
    """A matplotlib Path of a (multi)polygon or a list of them, holes kept (outer rings CCW, holes CW):
    one compound path draws a hundred chairs as one artist, not a hundred."""
    import numpy as np
    from matplotlib.path import Path as MPath

    geoms = geom if isinstance(geom, (list, tuple)) else [geom]
    polys = [g for one in geoms for g in getattr(one, "geoms", [one]) if isinstance(g, Polygon) and not g.is_empty]
    verts, codes = [], []
    for p in polys:
        p = orient(p, 1.0)
        for ring in (p.exterior, *p.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            verts.append(xy)
            codes += [MPath.MOVETO] + [MPath.LINETO] * (len(xy) - 2) + [MPath.CLOSEPOLY]
    if not verts:
        return None
    return MPath(np.concatenate(verts), codes)


def _fill(ax, geom, **kw):
    from matplotlib.patches import PathPatch

    path = _path(geom)
    return ax.add_patch(PathPatch(path, **kw)) if path is not None else None


def _line(ax, geoms, **kw) -> None:
    """Line work (LineStrings, MultiLineStrings, or a list of them) as one collection."""
    from matplotlib.collections import LineCollection

    geoms = geoms if isinstance(geoms, (list, tuple)) else [geoms]
    parts = [list(g.coords) for one in geoms for g in getattr(one, "geoms", [one]) if len(g.coords) >= 2]
    if parts:
        ax.add_collection(LineCollection(parts, colors=kw.pop("color"), linewidths=kw.pop("lw"),
                                         capstyle=kw.pop("capstyle", "round"), **kw))


def _draw_plan(ax, plan: Plan, group: list[int], fam) -> None:
    """Everything of one kind in one artist (a drawing has thousands of chairs and wall pieces)."""
    storeys = [s for s in plan.storeys if s.index in group]
    _fill(ax, [s.footprint for s in storeys], fc="none", ec="#9e9e9e", lw=0.8, ls=(0, (4, 3)), zorder=1)
    by_type: dict[str, list[Polygon]] = {}
    for r in plan.rooms:
        if r.storey in group:
            by_type.setdefault(r.type, []).append(r.polygon)
    for t, polys in by_type.items():
        _fill(ax, polys, fc=ROOM_COLOURS.get(t, ROOM_COLOURS["other"]), ec="#7a7a7a", lw=0.5, zorder=2)
    _fill(ax, [z.geometry for z in plan.zones if z.storey in group and isinstance(z.geometry, (Polygon, MultiPolygon))],
          fc="none", ec="#7a7a7a", lw=0.6, ls=(0, (2, 2)), zorder=3)
    _fill(ax, [f.footprint for f in plan.furniture if f.storey in group], fc="#f5f5f5", ec=FURNITURE, lw=0.6, zorder=4)
    _fill(ax, [c.footprint for c in plan.counters if c.storey in group], fc=COUNTER, ec="#1f3f73", lw=0.6,
          alpha=0.85, zorder=4)
    _fill(ax, [w for s in storeys for w in s.walls], fc=WALL, ec=WALL, lw=0.3, zorder=6)
    _fill(ax, [c for s in storeys for c in s.columns], fc="black", ec="black", lw=0.3, zorder=7)
    doors = [o for o in plan.openings if o.storey in group and o.kind == "door"]
    windows = [o for o in plan.openings if o.storey in group and o.kind != "door"]
    # doors: leaf and swing as drawn (else the block's extent, faint), the opening bold
    _line(ax, [o.symbol for o in doors if o.symbol is not None and not o.symbol.is_empty], color=DOOR, lw=0.7,
          zorder=7)
    _fill(ax, [o.footprint for o in doors if o.symbol is None or o.symbol.is_empty], fc=DOOR + "14", ec=DOOR + "99",
          lw=0.6, ls=(0, (1.5, 1.5)), zorder=7)
    _line(ax, [o.axis for o in doors], color=DOOR, lw=3, capstyle="butt", zorder=8)
    # windows: the usual symbol, both wall faces and the glass line
    _fill(ax, [o.footprint for o in windows], fc="white", ec=WINDOW, lw=0.7, zorder=7)
    _line(ax, [o.axis for o in windows], color=WINDOW, lw=1.2, capstyle="butt", zorder=8)


def _draw_area_outlines(ax, plan: Plan, group: list[int], located) -> None:
    """A failed area rule is about the whole building: draw the measured outline in its colour."""
    for _, r in located:
        if r["rule"].startswith("area.") and r["status"] in ("fail", "warn"):
            colour = STATUS_COLOURS.get(r["status"], STATUS_COLOURS["fail"])
            for s in plan.storeys:
                if s.index in group:
                    _fill(ax, s.footprint, fc="none", ec=colour, lw=2.2, ls=(0, (6, 3)), zorder=9)


def _in_group(plan: Plan, group: list[int], pt: tuple[float, float]) -> bool:
    p = Point(pt)
    return any(s.footprint.buffer(1.0).contains(p) for s in plan.storeys if s.index in group)


def _draw_marks(ax, plan, group, located, ppm, fam, drawn, single) -> list[BaseGeometry]:
    """Ring each located point and put the finding's number in a badge beside it, clear of others.

    Returns the circles (in metres) that room labels must keep away from.
    """
    obstacles: list[BaseGeometry] = []
    badges = _Badges()
    for n, r in located:
        if r.get("storey") is not None:  # the rule said which storey: draw it there only
            pts = [tuple(p) for p in r["where"]] if r["storey"] in group else []
        else:
            pts = [tuple(p) for p in r["where"] if single or _in_group(plan, group, p)]
        if not pts:
            continue
        colour = STATUS_COLOURS.get(r["status"], STATUS_COLOURS["fail"])
        xs, ys = zip(*pts)
        grouped = r["rule"].startswith("drawing.") and len(pts) > 1  # one kind of drawing problem in many places
        coll = ax.scatter(xs, ys, s=120 if grouped else 320, facecolors=colour + "33", edgecolors=colour,
                          linewidths=1.4 if grouped else 2.2, zorder=20)
        coll.set_gid(f"lc-mark-{n}")
        coll.set_url(f"#lc-result-{n}")
        drawn["marks"][n] = r
        drawn["mark_artists"][n] = [coll]
        details = r.get("details") or {}
        gaps = [g for g in details.get("gaps") or [details.get("gap")] if g and len(g) >= 2]
        if gaps:  # an opening the rule measured (archive outline, open room polylines): the lines themselves
            from matplotlib.collections import LineCollection

            line = LineCollection([[(p[0], p[1]) for p in g] for g in gaps], colors=colour, linewidths=4.5,
                                  capstyle="butt", zorder=19, alpha=0.9)
            ax.add_collection(line)
            line.set_gid(f"lc-gap-{n}")
            drawn["gaps"][n] = line
            drawn["mark_artists"][n].append(line)
        for k, (x, y) in enumerate(pts[:1] if grouped else pts):  # a drawing.* kind: one badge, a ring per place
            dx, dy = _badge_offset(x, y, badges, ppm)
            bx, by = x + dx / ppm, y + dy / ppm
            badges.add(bx * ppm, by * ppm)
            t = ax.annotate(str(n), (x, y), xytext=(dx, dy), textcoords="offset points", ha="center",
                            va="center", color="white", fontsize=10, fontfamily=fam, **_bold("white", 0.5),
                            bbox=dict(boxstyle="circle,pad=0.28", fc=colour, ec="white", lw=1.2),
                            arrowprops=dict(arrowstyle="-", color=colour, lw=1.4, shrinkA=0, shrinkB=8),
                            zorder=21)
            t.set_gid(f"lc-num-{n}-{k + 1}")
            drawn["mark_artists"][n].append(t)
            obstacles += [Point(x, y).buffer(12 / ppm), Point(bx, by).buffer(11 / ppm)]
    return obstacles


BADGE_PT = 22  # badges this far apart (points) do not overlap


class _Badges:
    """Badge centres (points) in a grid of BADGE_PT cells, so a try looks at nine cells, not every badge;
    and the anchors around which every place is taken, so a crowd of findings at one spot costs no search."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
        self.full: dict[tuple[int, int], tuple[float, float]] = {}

    def add(self, px: float, py: float) -> None:
        self.cells.setdefault((int(px // BADGE_PT), int(py // BADGE_PT)), []).append((px, py))

    def gap(self, px: float, py: float) -> float:
        i, j = int(px // BADGE_PT), int(py // BADGE_PT)
        return min((math.hypot(px - u, py - v) for di in (-1, 0, 1) for dj in (-1, 0, 1)
                    for u, v in self.cells.get((i + di, j + dj), ())), default=math.inf)


def _badge_offset(x, y, badges: _Badges, ppm) -> tuple[float, float]:
    """Up-right of the point unless another badge is there; then the other diagonals and sides, then
    further out ring by ring; in a crowd, the place farthest from the badges near it within four rings."""
    anchor = (int(x * ppm // BADGE_PT), int(y * ppm // BADGE_PT))
    if anchor in badges.full:
        return badges.full[anchor]
    best, best_gap = (15.6, 15.6), -1.0
    for ring in range(1, 5):
        for ang in (45, 135, -45, -135, 90, 0, 180, -90, 22.5, 67.5, 112.5, 157.5, -22.5, -67.5, -112.5, -157.5):
            dx, dy = BADGE_PT * ring * math.cos(math.radians(ang)), BADGE_PT * ring * math.sin(math.radians(ang))
            gap = badges.gap(x * ppm + dx, y * ppm + dy)
            if gap > BADGE_PT:
                return dx, dy
            if gap > best_gap:
                best, best_gap = (dx, dy), gap
    badges.full[anchor] = best
    return best


def _draw_routes(ax, report, ppm, drawn) -> list[BaseGeometry]:
    """Routes a rule found (``details["route"]``), dashed, arrow at the end; returned as obstacles."""
    from shapely.geometry import LineString

    lines = []
    for n, r in enumerate(report["results"], 1):
        d = r.get("details") or {}
        routes = [p for p in (d.get("routes") or [d.get("route")]) if p and len(p) >= 2]
        colour = STATUS_COLOURS.get(r["status"], "#6d6d6d")
        for k, route in enumerate(routes):  # one finding may be about several counters beyond one pinch
            xs, ys = zip(*[(p[0], p[1]) for p in route])
            (line,) = ax.plot(xs, ys, color=colour, lw=2, ls=(0, (5, 2)), zorder=15, alpha=0.9)
            line.set_gid(f"lc-route-{n}" if k == 0 else f"lc-route-{n}-{k}")
            ax.annotate("", xy=route[-1][:2], xytext=route[-2][:2],
                        arrowprops=dict(arrowstyle="-|>", color=colour, lw=2, mutation_scale=14), zorder=15)
            ax.plot(xs[:1], ys[:1], "o", color=colour, ms=5, zorder=15)
            if k == 0:
                drawn["routes"][n] = line
            lines.append(LineString(list(zip(xs, ys))).buffer(4 / ppm))
    return lines


def _draw_counter_numbers(ax, plan: Plan, group: list[int], ppm, fam, drawn) -> list[BaseGeometry]:
    """Each counter's number (柜台 #n, as every message has it) on the counter, and its public side as a
    heavier line, so a reviewer can tell which counter a finding means and which way it faces."""
    from .. import routes as R

    fronts = R.counter_fronts(plan)
    out = []
    edges = [fronts[i].edge for i, c in enumerate(plan.counters)
             if c.storey in group and not fronts[i].edge.is_empty]
    _line(ax, edges, color="#0d2a57", lw=2.2, capstyle="butt", zorder=5)
    for i, c in enumerate(plan.counters):
        if c.storey not in group or c.footprint.is_empty:
            continue
        p = c.footprint.representative_point()
        t = ax.text(p.x, p.y, f"#{i + 1}", ha="center", va="center", fontsize=7.5, fontfamily=fam,
                    color="white", zorder=5.5, parse_math=False)
        t.set_gid(f"lc-counter-{i + 1}")
        drawn.setdefault("counters", {})[i + 1] = t
        out.append(p.buffer(8 / ppm))
    return out


def _draw_labels(ax, plan, group, obstacles, ppm, lang, fam, drawn) -> None:
    """Room name and area inside the room, sized to it, and moved off marks, counters and zone names."""
    from shapely.geometry import box

    obstacles = list(obstacles)
    obstacles += [c.footprint for c in plan.counters if c.storey in group]
    obstacles += [f.footprint for f in plan.furniture if f.storey in group]
    for z in plan.zones:
        if z.storey in group:
            c = z.geometry if z.geometry.geom_type == "Point" else z.geometry.representative_point()
            ax.text(c.x, c.y, z.name, ha="center", va="center", fontsize=7, color="#555555", style="italic",
                    fontfamily=fam, parse_math=False, zorder=9)
            hw, hh = _ems(z.name) * 7 / 2 / ppm, 5 / ppm
            obstacles.append(box(c.x - hw, c.y - hh, c.x + hw, c.y + hh))
    for r in plan.rooms:
        if r.storey not in group:
            continue
        name, area = r.name or "?", f"{r.area_m2:.2f} m²"
        x0, _, x1, _ = r.polygon.bounds
        size = max(5.0, min(9.5, 0.85 * (x1 - x0) * ppm / max(_ems(name), _ems(area) * 0.85, 1)))
        half_w, half_h = max(_ems(name), _ems(area) * 0.85) * size / 2 / ppm, size * 1.2 / ppm
        where = _label_point(r.polygon, obstacles, ppm, half_w, half_h)
        t1 = ax.text(where.x, where.y, name, ha="center", va="bottom", fontsize=size, fontfamily=fam,
                     parse_math=False, zorder=9, color="#1a1a1a", **_bold("#1a1a1a", 0.4))
        t2 = ax.text(where.x, where.y, area, ha="center", va="top", fontsize=size * 0.85, fontfamily=fam,
                     parse_math=False, zorder=9, color="#333333")
        drawn["rooms"].append((r.name, t1, t2))
        obstacles.append(box(where.x - half_w, where.y - half_h, where.x + half_w, where.y + half_h))


def _label_point(poly: Polygon, obstacles: list[BaseGeometry], ppm, half_w, half_h) -> Point:
    """The point near the room's visual centre whose label box covers the least of the obstacles."""
    from shapely.geometry import box

    best = polylabel(poly, tolerance=0.05) if poly.is_valid else poly.representative_point()
    near = [o for o in obstacles if o.intersects(poly)]
    if not near:
        return best
    x0, y0, x1, y1 = poly.bounds
    cands = [best] + [Point(x0 + (x1 - x0) * i / 10, y0 + (y1 - y0) * j / 10) for i in range(11) for j in range(11)]

    def cost(c: Point) -> float:
        lab = box(c.x - half_w, c.y - half_h, c.x + half_w, c.y + half_h)
        outside = lab.area - lab.intersection(poly).area
        covered = sum(lab.intersection(o).area for o in near)
        return (covered + 2 * outside) / lab.area * 100 + c.distance(best) * ppm * 0.02

    return min((c for c in cands if poly.contains(c)), key=cost, default=best)


def _scale_bar(ax, ppm, fam) -> None:
    """A bar of 4 alternating segments, 1/5 of the view wide, below the plan (bottom-left)."""
    from matplotlib.patches import Rectangle

    (x0, x1), (y0, _) = ax.get_xlim(), ax.get_ylim()
    target = (x1 - x0) / 5
    length = max((v for v in (0.5, 1, 2, 5, 10, 20, 50, 100) if v <= target), default=0.5)
    h, bx, by = 5 / ppm, x0 + 4 / ppm, y0 + 14 / ppm
    for i in range(4):
        ax.add_patch(Rectangle((bx + i * length / 4, by), length / 4, h, fc="black" if i % 2 == 0 else "white",
                               ec="black", lw=0.6, zorder=30))
    for v, x in ((0, bx), (length, bx + length)):
        ax.text(x, by - 3 / ppm, f"{v:g}" + (" m" if v else ""), ha="center", va="top", fontsize=7,
                fontfamily=fam, zorder=30)


def _north(ax, lang, fam) -> None:
    """North arrow: the drawing's +Y is drawn up (the plan is never rotated)."""
    from matplotlib.transforms import offset_copy

    base = offset_copy(ax.transAxes, fig=ax.figure, x=-10, y=4, units="points")
    ax.annotate("", xy=(1, 0), xytext=(1, 0), xycoords=offset_copy(base, fig=ax.figure, y=26, units="points"),
                textcoords=base, arrowprops=dict(arrowstyle="-|>", color="black", lw=1.6, mutation_scale=12),
                zorder=30)
    ax.text(1, 0, WORDS[lang]["north"], transform=offset_copy(base, fig=ax.figure, x=-6, y=13, units="points"),
            ha="right", va="center", fontsize=9,
            fontfamily=fam, zorder=30, **_bold("black", 0.5))


# --- the panel --------------------------------------------------------------------------------

def _panel_items(report: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Title block, areas and the numbered results, as lines laid out top to bottom."""
    w, ww, width = REPORT_WORDS[lang], WORDS[lang], PANEL_W * 72 - 26
    v = report["verdict"]
    items: list[dict[str, Any]] = [dict(text=f"layoutcheck · {ww['title']}", size=12, weight="bold", gap=4)]
    m = report["metrics"]
    rows = [(w["plan"], report["plan"]), (w["standard"], report["standard"]),
            ("", report.get("standard_title") or ""), (w["kind"], w.get(report["kind"], report["kind"]))]
    if report.get("population") is not None:
        rows.append((w["population"], f"{report['population']:,}"))
    rows += [(w["tier"], report.get("tier_name") or report.get("tier") or "—"),
             (w["gross"], f"{m['gross_area_m2']:.2f} m²"), (w["usable"], f"{m['usable_area_m2']:.2f} m²"),
             (w["share"], "—" if m["hall_share"] is None else f"{m['hall_share']:.1%}"),
             (w["verdict"], message(f"verdict.{v}", lang))]
    if (views := views_line(report, lang)) is not None:  # a drawing set: which views the figures are of
        rows.insert(4, (w["views"], views))
    key_w = max(_ems(k) for k, _ in rows) * 9 + 16
    for k, val in rows:
        size = 8 if not k else 9
        for i, line in enumerate(_wrap(val, size, width - key_w - 8).split("\n")):
            items.append(dict(key=k if i == 0 else "", text=line, size=size, block=True, key_w=key_w,
                              weight="bold" if k == w["verdict"] else "normal",
                              colour=STATUS_COLOURS[v] if k == w["verdict"] else "#1a1a1a"))
    items[-1]["gap"] = 10
    items.append(dict(text=ww["results"], size=10.5, weight="bold", gap=3))
    for n, r in enumerate(report["results"], 1):
        colour = STATUS_COLOURS.get(r["status"], "#6d6d6d")
        head = f"{ICONS.get(r['status'], '')} {message('status.' + r['status'], lang)}  {r['rule']}"
        if r["status"] == "pass":
            items.append(dict(badge=n, colour=colour, text=head, size=8.5, gap=3, located=bool(r.get("where"))))
            continue
        items.append(dict(badge=n, colour=colour, text=head, size=9, weight="bold", located=bool(r.get("where"))))
        if r["measured"] is not None or r["required"] is not None:
            names = (r.get("details") or {}).get("name_en")
            mr = (f"{w['measured']} {fmt(r['measured'], r['unit'], lang, names)}    "
                  f"{w['required']} {fmt(r['required'], r['unit'], lang, names)}")
            for line in _wrap(mr, 8, width).split("\n"):
                items.append(dict(text=line, size=8, indent=True, colour=colour))
        for line in _wrap(r["message"], 8, width).split("\n"):
            items.append(dict(text=line, size=8, indent=True))
        note = r["clause"] + ("" if r.get("where") else f"  ·  {ww['nowhere']}")
        for line in _wrap(note, 7.5, width).split("\n"):
            items.append(dict(text=line, size=7.5, colour="#666666", indent=True))
        items[-1]["gap"] = 5
    return items


def _draw_panel(ax, items, fam) -> None:
    from matplotlib.patches import Rectangle

    h = ax.get_position().height * ax.figure.get_figheight() * 72  # panel height in points
    y, block = 0.0, []
    for it in items:
        lh = it["size"] * LINE
        yf, x = 1 - (y + lh * 0.5) / h, 22 if it.get("indent") or it.get("badge") else 0
        if it.get("block"):
            block.append((y, y + lh))
            x = it["key_w"] + 8
            ax.annotate(it.get("key", ""), (0, yf), xytext=(6, 0), textcoords="offset points",
                        xycoords="axes fraction", va="center", fontsize=it["size"], color="#555555",
                        fontfamily=fam, annotation_clip=False, parse_math=False)
        if it.get("badge"):
            ax.annotate(str(it["badge"]), (0, yf), xytext=(9, 0), textcoords="offset points",
                        xycoords="axes fraction", ha="center", va="center", color="white", fontsize=7.5,
                        fontfamily=fam, **_bold("white", 0.4),
                        bbox=dict(boxstyle="circle,pad=0.25" if it.get("located") else "round,pad=0.3",
                                  fc=it["colour"], ec="none"))
        ax.annotate(it["text"], (0, yf), xytext=(x, 0), textcoords="offset points", xycoords="axes fraction",
                    va="center", fontsize=it["size"], color=it.get("colour", "#1a1a1a"), fontfamily=fam,
                    parse_math=False, annotation_clip=False,
                    **(_bold(it.get("colour", "#1a1a1a"), 0.5) if it.get("weight") == "bold" else {}))
        y += lh + it.get("gap", 0)
    if block:
        top, bottom = block[0][0] - 3, block[-1][1] + 3
        ax.add_patch(Rectangle((0, 1 - bottom / h), 1, (bottom - top) / h, transform=ax.transAxes, fill=False,
                               ec="#444444", lw=0.8))
        key_w = next(it["key_w"] for it in items if it.get("block"))
        ax.plot([key_w / (ax.get_position().width * ax.figure.get_figwidth() * 72)] * 2,
                [1 - bottom / h, 1 - top / h], transform=ax.transAxes, color="#444444", lw=0.5)


def _legend_entries(plan: Plan, report: dict[str, Any], lang: str):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ww = WORDS[lang]
    types = sorted({r.type for r in plan.rooms}, key=lambda t: list(ROOM_COLOURS).index(t) if t in ROOM_COLOURS else 99)
    h = [Patch(fc=ROOM_COLOURS.get(t, ROOM_COLOURS["other"]), ec="#7a7a7a", lw=0.5, label=type_name(t, lang))
         for t in types]
    h += [Patch(fc=WALL, ec=WALL, label=ww["wall"])]
    if plan.columns:
        h.append(Patch(fc="black", label=ww["column"]))
    if plan.doors:
        h.append(Line2D([], [], color=DOOR, lw=3, label=ww["door"]))
    if plan.windows:
        h.append(Line2D([], [], color=WINDOW, lw=3, label=ww["window"]))
    if plan.counters:
        h.append(Patch(fc=COUNTER, ec="#1f3f73", label=ww["counter"]))
    if plan.furniture:
        h.append(Patch(fc="#f5f5f5", ec=FURNITURE, label=ww["furniture"]))
    h.append(Line2D([], [], color="#9e9e9e", lw=0.8, ls=(0, (4, 3)), label=ww["outline"]))
    if any((r.get("details") or {}).get("route") for r in report["results"]):
        h.append(Line2D([], [], color="#6d6d6d", lw=2, ls=(0, (5, 2)), label=ww["route"]))
    if any((r.get("details") or {}).get("gap") and r["status"] != "pass" for r in report["results"]):
        h.append(Line2D([], [], color=STATUS_COLOURS["fail"], lw=4.5, label=ww["gap"]))
    h.append(Line2D([], [], marker="o", ls="none", ms=12, mfc=STATUS_COLOURS["fail"] + "33",
                    mec=STATUS_COLOURS["fail"], mew=2, label=ww["mark"]))
    return h


def _legend_h(plan, report, lang, two_columns: bool) -> float:
    rows = math.ceil(len(_legend_entries(plan, report, lang)) / (2 if two_columns else 1))
    return (rows * 8 * 1.9 + 30) / 72


def _legend(ax, plan, report, lang, fam, where: str) -> None:
    """The legend at the panel's bottom (two columns), its top (legend-only panel) or right of ``ax``."""
    from matplotlib.font_manager import FontProperties

    handles = _legend_entries(plan, report, lang)
    prop = FontProperties(family=list(fam), size=8)
    kw = {"bottom": dict(loc="lower left", bbox_to_anchor=(0, 0), ncol=2),
          "top": dict(loc="upper left", bbox_to_anchor=(0, 1), ncol=1),
          "right": dict(loc="upper left", bbox_to_anchor=(1.02, 1), ncol=1)}[where]
    leg = ax.legend(handles=handles, prop=prop,  title=WORDS[lang]["legend"],
                    title_fontproperties=FontProperties(family=list(fam), size=9),
                    alignment="left", columnspacing=1.2, handlelength=1.8, **kw)
    leg.get_frame().set_linewidth(0.6)
    leg.set_zorder(40)


# --- text measure -----------------------------------------------------------------------------

def _ems(s: str) -> float:
    """Width of a string in ems: CJK characters are square, Latin ones about half as wide."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.58 for c in s)


def _wrap(s: str, size: float, width_pt: float) -> str:
    """Wrap mixed Chinese/Latin text to a width in points, breaking Latin at spaces when it can."""
    lines, cur = [], ""
    for c in s:
        if cur and _ems(cur + c) * size > width_pt:
            cut = cur.rfind(" ")
            if not unicodedata.east_asian_width(c) in "WF" and c != " " and cut > len(cur) * 0.6:
                lines.append(cur[:cut])
                cur = cur[cut + 1:]
            else:
                lines.append(cur)
                cur = ""
            if c == " " and not cur:
                continue
        cur += c
    return "\n".join(lines + [cur])
