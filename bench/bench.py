#!/usr/bin/env python3
"""Benchmark layoutcheck: per-plan time and memory against ezdxf and GDAL, and batch throughput.

    python bench/bench.py                 # everything; prints Markdown tables
    python bench/bench.py --quick         # fewer repetitions and a smaller batch
    python bench/bench.py --profile       # also: where the time goes on the large plan (cProfile)

It draws three plans with ezdxf into a temporary folder (nothing is written to the repository):

* small   — the bundled compliant station sample (``layoutcheck.samples.station_tier2_ok``);
* typical — the same station as a design institute sends it: axes with bubbles, dimension chains,
            floor and wall hatches, furniture blocks in every room, a door/window schedule, design
            notes and a title block;
* large   — about 15 MB: the station on a whole sheet of site context around it — hundreds of
            dimensions, pattern hatches, thousands of furniture and tree blocks, notes, roads and
            landscape splines — the clutter left in a drawing that was never cleaned for checking.

Then, with several repetitions and the median of each:

* ``layoutcheck check PLAN --format json`` as a command, against ``ezdxf.readfile`` alone on the same
  file (also as a command: ``python -c "import ezdxf; ezdxf.readfile(...)"``) and against GDAL's
  ``ogrinfo -so -al`` when it is installed; peak memory of each (GNU ``/usr/bin/time``, else ``os.wait4``);
* the same in one process, stage by stage: ezdxf.readfile, read_plan (which includes the read),
  measure, rules, report;
* ``layoutcheck batch`` over ~40 plans with ``--jobs 1`` and ``--jobs 2``, interleaved: plans per second
  (best and median run).

Targets (issue 6): check ≤ 1.5 × ezdxf.readfile on the large plan; 2 jobs ≥ 1.7 × the throughput of 1.

``--part reader`` times the selective reader (issue 16.1) against the full read in the same run, on the
typical and large plans: the check both ways, ``ezdxf.readfile``, ``ogrinfo``, pyogrio (if installed), peak
RSS, and the read alone.

``--part dwg`` times DWG input on the drawings of ``../shared/dwg-corpus`` (``--dwg-corpus``) that have
a DXF twin: ``layoutcheck check`` on the DWG against the same check on its DXF, and in one process the
DWG read (ezdwg in its capped child process, then the ezdxf document built from it) against
``ezdxf.readfile`` of the twin.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ezdxf
from ezdxf.enums import TextEntityAlignment

from shapely.ops import unary_union

from layoutcheck import samples

POPULATION = "30000"
NOTES = [
    "本工程设计标高±0.000相当于绝对标高 {h:.3f}m，室内外高差 0.450m。",
    "墙体：除注明外均为 240 厚页岩多孔砖，砂浆强度等级 M5。",
    "门窗：外窗采用断桥铝合金中空玻璃窗，玻璃 6+12A+6，气密性不低于 6 级。",
    "无障碍设计执行 GB 55019-2021，主要出入口设 1:12 坡道，扶手高 0.85m。",
    "服务大厅地面：600×600 防滑地砖，踢脚线高 120，详见 05J909 LD12。",
    "档案室设防火门 FM乙1021，墙体耐火极限不低于 2.00h。",
    "卫生间楼地面低于相邻房间 20，找坡 1%坡向地漏。",
    "图中尺寸以毫米计，标高以米计；未尽事宜按国家现行规范执行。",
]
ROOM_WORDS = ["设备间", "走廊", "楼梯间", "门厅", "储藏", "空调机位", "管井", "雨篷", "台阶", "散水"]


# --- drawing the plans ------------------------------------------------------------------------------
def furniture_library(doc) -> dict[str, tuple[float, float]]:
    """Furniture and landscape blocks as office libraries draw them: many small pieces each."""
    sizes = {}

    def block(name, w, d, draw):
        if name in doc.blocks:
            return
        blk = doc.blocks.new(name, base_point=(0, 0))
        draw(blk, w, d)
        sizes[name] = (w, d)

    def chair(b, w, d):
        b.add_lwpolyline([(0, 0), (w, 0), (w, d * 0.8), (0, d * 0.8)], close=True)
        b.add_lwpolyline([(0, d * 0.8), (w, d * 0.8), (w, d), (0, d)], close=True)
        for x, y in ((40, 40), (w - 40, 40), (40, d * 0.8 - 40), (w - 40, d * 0.8 - 40)):
            b.add_circle((x, y), 15)
        b.add_arc((w / 2, d * 0.8), w / 2 - 30, 0, 180)

    def desk(b, w, d):
        b.add_lwpolyline([(0, 0), (w, 0), (w, d), (0, d)], close=True)
        for i in range(1, 4):
            b.add_line((w - 400, i * d / 4), (w, i * d / 4))
        b.add_line((w - 400, 0), (w - 400, d))
        b.add_blockref("座椅", (w / 2 - 250, -450))
        b.add_circle((200, d - 200), 120)  # a lamp
        b.add_lwpolyline([(w / 2 - 250, d - 350), (w / 2 + 250, d - 350), (w / 2 + 250, d - 50),
                          (w / 2 - 250, d - 50)], close=True)  # a monitor

    def cabinet(b, w, d):
        b.add_lwpolyline([(0, 0), (w, 0), (w, d), (0, d)], close=True)
        for i in range(1, 10):
            b.add_line((i * w / 10, 0), (i * w / 10, d))
        b.add_line((0, 0), (w, d))
        b.add_line((0, d), (w, 0))

    def plant(b, w, d):
        r = w / 2
        b.add_circle((r, r), r)
        for i in range(24):
            a = 2 * math.pi * i / 24
            b.add_arc((r + r * 0.5 * math.cos(a), r + r * 0.5 * math.sin(a)), r * 0.4,
                      math.degrees(a) - 60, math.degrees(a) + 60)

    def tree(b, w, d):
        r = w / 2
        b.add_circle((0, 0), r)
        b.add_circle((0, 0), r * 0.15)
        for i in range(36):
            a = 2 * math.pi * i / 36
            b.add_line((r * 0.2 * math.cos(a), r * 0.2 * math.sin(a)), (r * 0.95 * math.cos(a), r * 0.95 * math.sin(a)))

    def sofa(b, w, d):
        b.add_lwpolyline([(0, 0, 0, 0, 0), (w, 0, 0, 0, 0.2), (w, d, 0, 0, 0), (0, d, 0, 0, 0.2)],
                         format="xyseb", close=True)
        for i in range(1, 3):
            b.add_line((i * w / 3, 150), (i * w / 3, d))
        b.add_lwpolyline([(0, d - 150), (w, d - 150)])

    def toilet(b, w, d):
        b.add_lwpolyline([(0, d - 180), (w, d - 180), (w, d), (0, d)], close=True)
        b.add_ellipse((w / 2, d / 2 - 60), major_axis=(0, d / 2 - 120), ratio=0.7)
        b.add_arc((w / 2, d / 2 - 60), w / 2 - 60, 200, 340)

    block("座椅", 500, 500, chair)
    block("办公桌", 1400, 700, desk)
    block("档案柜", 900, 450, cabinet)
    block("绿植", 600, 600, plant)
    block("TREE-A", 4000, 4000, tree)
    block("沙发", 1800, 800, sofa)
    block("坐便器", 400, 700, toilet)
    return sizes


def setup_layers(doc) -> None:
    for name, color in (("AXIS", 1), ("AXIS_TEXT", 3), ("PUB_DIM", 3), ("PUB_HATCH", 8), ("WALL_HATCH", 8),
                        ("DESIGN_NOTE", 7), ("TITLE", 7), ("SITE", 4), ("ROAD", 9), ("TREE", 3),
                        ("LANDSCAPE", 94), ("PARKING", 6), ("DOTE", 1), ("WINDOW_TEXT", 4)):
        if name not in doc.layers:
            doc.layers.add(name, color=color)


def add_axes(msp, xs: list[float], ys: list[float], margin: float = 3000.0) -> None:
    """Grid axes with numbered bubbles, as TArch draws them (AXIS, AXIS_TEXT)."""
    x0, x1, y0, y1 = min(xs) - margin, max(xs) + margin, min(ys) - margin, max(ys) + margin
    for i, x in enumerate(xs):
        msp.add_line((x, y0), (x, y1), dxfattribs={"layer": "AXIS", "linetype": "CONTINUOUS"})
        for y in (y0 - 400, y1 + 400):
            msp.add_circle((x, y), 400, dxfattribs={"layer": "AXIS"})
            msp.add_text(str(i + 1), height=450, dxfattribs={"layer": "AXIS_TEXT"}).set_placement(
                (x, y), align=TextEntityAlignment.MIDDLE_CENTER)
    for j, y in enumerate(ys):
        msp.add_line((x0, y), (x1, y), dxfattribs={"layer": "AXIS"})
        for x in (x0 - 400, x1 + 400):
            msp.add_circle((x, y), 400, dxfattribs={"layer": "AXIS"})
            label = "ABCDEFGHJKLMNPQRSTUVWXY"[j % 23]
            msp.add_text(label, height=450, dxfattribs={"layer": "AXIS_TEXT"}).set_placement(
                (x, y), align=TextEntityAlignment.MIDDLE_CENTER)


def add_dim_chain(msp, points: list[float], y: float, horizontal: bool = True, offset: float = 0.0) -> None:
    """A chain of linear dimensions (rendered, so each has its own anonymous geometry block)."""
    for a, b in zip(points, points[1:]):
        if b - a < 1:
            continue
        if horizontal:
            dim = msp.add_linear_dim(base=(a, y - offset), p1=(a, y), p2=(b, y), dimstyle="Standard",
                                     override={"dimtxt": 300, "dimasz": 150, "dimexo": 200, "dimexe": 150},
                                     dxfattribs={"layer": "PUB_DIM"})
        else:
            dim = msp.add_linear_dim(base=(y - offset, a), p1=(y, a), p2=(y, b), angle=90, dimstyle="Standard",
                                     override={"dimtxt": 300, "dimasz": 150, "dimexo": 200, "dimexe": 150},
                                     dxfattribs={"layer": "PUB_DIM"})
        dim.render()


def add_hatch(msp, pts, layer: str, pattern: str | None = "ANSI31", scale: float = 40.0) -> None:
    h = msp.add_hatch(color=8, dxfattribs={"layer": layer})
    h.paths.add_polyline_path(pts, is_closed=True)
    if pattern:
        h.set_pattern_fill(pattern, scale=scale)


def add_notes(msp, rng: random.Random, origin: tuple[float, float], lines: int, layer: str = "DESIGN_NOTE") -> None:
    x, y = origin
    msp.add_text("设计说明", height=700, dxfattribs={"layer": layer}).set_placement((x, y + 1200))
    for i in range(lines):
        msp.add_text(f"{i + 1}. " + rng.choice(NOTES).format(h=rng.uniform(50, 120)), height=350,
                     dxfattribs={"layer": layer}).set_placement((x, y - i * 600))
    para = "\\P".join(rng.choice(NOTES).format(h=rng.uniform(50, 120)) for _ in range(6))
    msp.add_mtext(para, dxfattribs={"layer": layer, "char_height": 300, "width": 20000}).set_location(
        (x + 30000, y))


def add_schedule(msp, origin: tuple[float, float], rows: int) -> None:
    """A door and window schedule (门窗表): a table of lines and text."""
    x, y = origin
    cols = [0, 2500, 6000, 9000, 12000, 16000]
    for r in range(rows + 2):
        msp.add_line((x, y - r * 800), (x + cols[-1], y - r * 800), dxfattribs={"layer": "DESIGN_NOTE"})
    for c in cols:
        msp.add_line((x + c, y), (x + c, y - (rows + 1) * 800), dxfattribs={"layer": "DESIGN_NOTE"})
    head = ["编号", "洞口尺寸", "数量", "图集", "备注"]
    for i, h in enumerate(head):
        msp.add_text(h, height=350, dxfattribs={"layer": "DESIGN_NOTE"}).set_placement((x + cols[i] + 200, y - 600))
    for r in range(rows):
        code = ("M" if r % 2 else "C") + f"{10 + r % 9}{15 + r % 7}"
        for i, v in enumerate([code, f"{1000 + 100 * (r % 9)}×{1500 + 100 * (r % 7)}", str(1 + r % 4),
                               "05J4-1", "断桥铝合金" if code[0] == "C" else "木门"]):
            msp.add_text(v, height=300, dxfattribs={"layer": "DESIGN_NOTE"}).set_placement(
                (x + cols[i] + 200, y - (r + 2) * 800 + 200))


def add_title_block(msp, doc, origin: tuple[float, float], w: float, h: float) -> None:
    name = f"A1-FRAME-{int(w)}"
    if name not in doc.blocks:
        blk = doc.blocks.new(name)
        blk.add_lwpolyline([(0, 0), (w, 0), (w, h), (0, h)], close=True)
        blk.add_lwpolyline([(2500, 1000), (w - 1000, 1000), (w - 1000, h - 1000), (2500, h - 1000)], close=True)
        tx = w - 19000
        for i in range(8):
            blk.add_line((tx, 1000 + i * 900), (w - 1000, 1000 + i * 900))
        for c in (0, 4000, 9000, 13000):
            blk.add_line((tx + c, 1000), (tx + c, 1000 + 7 * 900))
        for i, t in enumerate(["XX市建筑设计研究院有限公司", "工程名称：街道人社服务所改造", "图名：一层平面图",
                               "设计", "校对", "审核", "审定"]):
            blk.add_text(t, height=350).set_placement((tx + 200, 1000 + i * 900 + 250))
    msp.add_blockref(name, origin, dxfattribs={"layer": "TITLE"})


def furnish_station(msp, rng: random.Random) -> None:
    """Furniture inside the station's rooms (hall, archive, office, WC of station_tier2_ok)."""
    for i in range(6):  # waiting seats in the hall
        msp.add_blockref("座椅", (600 + i * 550, 2000), dxfattribs={"layer": "PUB_FURN"})
    msp.add_blockref("沙发", (6500, 600), dxfattribs={"layer": "PUB_FURN"})
    for x in (400, 10600):
        msp.add_blockref("绿植", (x, 5200), dxfattribs={"layer": "PUB_FURN"})
    for i in range(3):  # archive shelving
        msp.add_blockref("档案柜", (400 + i * 1000, 9200), dxfattribs={"layer": "PUB_FURN"})
    for i in range(2):  # office desks
        msp.add_blockref("办公桌", (4300 + i * 1600, 8600), dxfattribs={"layer": "PUB_FURN"})
    msp.add_blockref("坐便器", (8400, 9100), dxfattribs={"layer": "PUB_FURN"})


def floor_hatches(msp, layout, walls: bool) -> None:
    for r in layout.rooms:
        add_hatch(msp, list(layout.net(r).exterior.coords)[:-1], "PUB_HATCH", "NET", 600)
    if walls:  # TArch fills the walls solid on WALL_HATCH: the same wall mass again, as hatches
        mass = layout.outline().difference(unary_union([layout.net(r) for r in layout.rooms]))
        for poly in getattr(mass, "geoms", [mass]):
            h = msp.add_hatch(color=8, dxfattribs={"layer": "WALL_HATCH"})
            h.paths.add_polyline_path(list(poly.exterior.coords)[:-1], is_closed=True, flags=1)
            for hole in poly.interiors:
                h.paths.add_polyline_path(list(hole.coords)[:-1], is_closed=True, flags=16)
            h.set_solid_fill(color=8)


def station_dims(msp, layout) -> None:
    xs = sorted({v for r in layout.rooms for v in (r.rect[0], r.rect[2])})
    ys = sorted({v for r in layout.rooms for v in (r.rect[1], r.rect[3])})
    add_axes(msp, xs, ys)
    add_dim_chain(msp, xs, -1500, True, 800)
    add_dim_chain(msp, [xs[0], xs[-1]], -1500, True, 1800)
    add_dim_chain(msp, ys, -1500, False, 800)
    add_dim_chain(msp, [ys[0], ys[-1]], -1500, False, 1800)
    opening_edges = sorted({o.at[0] for o in layout.openings if o.angle == 0} | {xs[0], xs[-1]})
    add_dim_chain(msp, opening_edges, -600, True, 300)


def small_plan(path: Path) -> Path:
    return samples.save(samples.build(samples.station_tier2_ok()), path)


def typical_plan(path: Path, seed: int = 1) -> Path:
    rng = random.Random(seed)
    layout = samples.station_tier2_ok()
    doc = samples.build(layout)
    setup_layers(doc)
    furniture_library(doc)
    msp = doc.modelspace()
    station_dims(msp, layout)
    floor_hatches(msp, layout, walls=True)
    furnish_station(msp, rng)
    add_notes(msp, rng, (-2000, -8000), 30)
    add_schedule(msp, (20000, 12000), 24)
    for i in range(8):  # trees and parking in front of the entrance
        msp.add_blockref("TREE-A", (-4000 + i * 3000, -12000), dxfattribs={"layer": "TREE"})
    add_context(msp, rng, furniture_library(doc), 10)  # the rest of the building and its forecourt
    add_title_block(msp, doc, (-60000, -60000), 169000, 120000)
    return samples.save(doc, path)


def large_plan(path: Path, target_mb: float = 15.0, seed: int = 2) -> Path:
    """The station on a whole site sheet, with enough context around it to reach ``target_mb``."""
    rng = random.Random(seed)
    layout = samples.station_tier2_ok()
    doc = samples.build(layout)
    setup_layers(doc)
    sizes = furniture_library(doc)
    msp = doc.modelspace()
    station_dims(msp, layout)
    floor_hatches(msp, layout, walls=True)
    furnish_station(msp, rng)
    add_schedule(msp, (-60000, 40000), 80)
    add_notes(msp, rng, (-60000, 90000), 120)
    cells = add_context(msp, rng, sizes, int(target_mb * 1e6 / BYTES_PER_CELL))
    span = 40000 * (2 * math.ceil(math.sqrt(cells) / 2) + 3)
    add_title_block(msp, doc, (-span / 2, -span / 2), span * 1.41, span)
    return samples.save(doc, path)


BYTES_PER_CELL = 79_000  # measured: what one cell of context adds to an ASCII R2018 file


def add_context(msp, rng: random.Random, sizes, wanted: int) -> int:
    """Cells of site context in rings of 40 m squares around the station."""
    ring, cells = 1, 0
    while cells < wanted:
        for gx in range(-ring, ring + 1):
            for gy in range(-ring, ring + 1):
                if max(abs(gx), abs(gy)) != ring or cells >= wanted:
                    continue
                site_cell(msp, rng, (gx * 40000 + 6000, gy * 40000 + 5000), sizes)
                cells += 1
        ring += 1
    return cells


def site_cell(msp, rng: random.Random, centre: tuple[float, float], sizes) -> None:
    """One 40 × 40 m cell of context: a neighbouring building with dimensions, hatched paving,
    trees and furniture, parking bays, a road edge, landscape curves and notes."""
    cx, cy = centre
    w, h = rng.uniform(15000, 25000), rng.uniform(10000, 20000)
    x0, y0 = cx - w / 2, cy - h / 2
    msp.add_lwpolyline([(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)], close=True,
                       dxfattribs={"layer": "SITE"})
    xs = [x0 + i * w / 5 for i in range(6)]
    ys = [y0 + j * h / 4 for j in range(5)]
    for x in xs[1:-1]:
        msp.add_line((x, y0), (x, y0 + h), dxfattribs={"layer": "SITE"})
    for y in ys[1:-1]:
        msp.add_line((x0, y), (x0 + w, y), dxfattribs={"layer": "SITE"})
    for x in xs:
        msp.add_line((x, y0 - 2500), (x, y0 + h + 2500), dxfattribs={"layer": "DOTE"})
    add_dim_chain(msp, xs, y0 - 1200, True, 900)
    add_dim_chain(msp, [xs[0], xs[-1]], y0 - 1200, True, 1900)
    add_dim_chain(msp, ys, x0 - 1200, False, 900)
    add_dim_chain(msp, [ys[0], ys[-1]], x0 - 1200, False, 1900)
    add_dim_chain(msp, xs, y0 + h + 1200, True, -900)
    for i in range(8):
        px, py = x0 + rng.uniform(0, w - 5000), y0 + rng.uniform(0, h - 5000)
        add_hatch(msp, [(px, py), (px + 5000, py), (px + 5000, py + 4000), (px, py + 4000)], "PUB_HATCH",
                  rng.choice(["ANSI31", "AR-B816", "NET", "ANSI37"]), rng.choice([30.0, 50.0, 80.0]))
    for i in range(20):
        msp.add_blockref("TREE-A", (cx + rng.uniform(-19000, 19000), cy + rng.uniform(-19000, 19000)),
                         dxfattribs={"layer": "TREE", "xscale": 1, "yscale": 1})
    for i in range(120):  # the neighbour's fit-out
        name = rng.choice(["座椅", "办公桌", "档案柜", "绿植", "沙发", "坐便器"])
        msp.add_blockref(name, (x0 + rng.uniform(500, w - 2000), y0 + rng.uniform(500, h - 1500)),
                         dxfattribs={"layer": "PUB_FURN", "rotation": rng.choice([0, 90, 180, 270])})
    for i in range(16):  # parking bays
        bx = x0 + i * 2500
        msp.add_lwpolyline([(bx, y0 - 8000), (bx, y0 - 2800), (bx + 2500, y0 - 2800)],
                           dxfattribs={"layer": "PARKING"})
        msp.add_text(f"P{i + 1}", height=400, dxfattribs={"layer": "PARKING"}).set_placement((bx + 900, y0 - 5500))
    msp.add_lwpolyline([(cx - 20000, cy - 19500, 0, 0, 0), (cx, cy - 19500, 0, 0, 0.3), (cx + 20000, cy - 19000)],
                       format="xyseb", dxfattribs={"layer": "ROAD"})
    pts = [(cx - 18000 + k * 3000, cy + 17000 + rng.uniform(-1500, 1500)) for k in range(13)]
    msp.add_spline(pts, dxfattribs={"layer": "LANDSCAPE"})
    for i in range(30):
        msp.add_text(rng.choice(ROOM_WORDS), height=350, dxfattribs={"layer": "DESIGN_NOTE"}).set_placement(
            (x0 + rng.uniform(0, w), y0 + rng.uniform(0, h)))
    msp.add_mtext(rng.choice(NOTES).format(h=rng.uniform(50, 120)),
                  dxfattribs={"layer": "DESIGN_NOTE", "char_height": 300, "width": 12000}).set_location(
        (x0, y0 + h + 1500))


# --- measuring --------------------------------------------------------------------------------------
TIME_V = shutil.which("time", path="/usr/bin:/bin")  # GNU time: the peak RSS of the command alone


def run_measured(cmd: list[str], cwd: str | None = None, env: dict | None = None) -> tuple[float, float, int, int]:
    """Run a command; return (wall seconds, CPU seconds (user + system, its children included),
    peak RSS in MiB, exit code). CPU time hardly changes when other work shares the machine; wall time does.

    The peak RSS comes from GNU ``/usr/bin/time`` when installed (it forks the command from a small
    process); otherwise from ``os.wait4``, whose ``ru_maxrss`` may include this Python process's own
    pages copied at fork time, so it is an upper bound.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        full = [TIME_V, "-f", "%M", "-o", rss.name, *cmd] if TIME_V else cmd
        t0 = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=err, cwd=cwd, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1, 2):
            err.seek(0)
            raise RuntimeError(f"{cmd[:4]} exited {proc.returncode}: {err.read().decode(errors='replace')[-800:]}")
        kib = usage.ru_maxrss
        if TIME_V:
            text = rss.read().strip().splitlines()
            kib = int(text[-1]) if text and text[-1].isdigit() else kib
    return wall, usage.ru_utime + usage.ru_stime, kib // 1024, proc.returncode


def median_run(cmd: list[str], reps: int, cwd: str | None = None) -> tuple[float, float, int]:
    """(median wall seconds, median CPU seconds, largest peak RSS in MiB) over ``reps`` runs."""
    runs = [run_measured(cmd, cwd) for _ in range(reps)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), max(r[2] for r in runs)


def layoutcheck_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "layoutcheck", *args]


def readfile_cmd(path: Path) -> list[str]:
    return [sys.executable, "-c", "import sys, ezdxf; ezdxf.readfile(sys.argv[1])", str(path)]


def pyogrio_cmd(path: Path) -> list[str] | None:
    """pyogrio (GDAL's DXF driver in a wheel, ``pip install '.[bench]'``) doing what ``ogrinfo -so -al`` does:
    every feature read to count them. (Its raw read of the geometry stops at the large plan's fit-point
    splines with a GDAL error, so the count is what both GDAL readers can do on every plan here.)"""
    import importlib.util

    if importlib.util.find_spec("pyogrio") is None:
        return None
    return [sys.executable, "-c", "import sys, pyogrio; pyogrio.read_info(sys.argv[1], force_feature_count=True)",
            str(path)]


def in_process(path: Path, reps: int) -> dict[str, float]:
    """Median seconds of each stage, in one warm process."""
    from layoutcheck import rules, standards
    from layoutcheck.ingest import read_plan
    from layoutcheck.measure import measure
    from layoutcheck.report import build
    from layoutcheck.rules import Project

    std = standards.load("kaifeng-2014")
    project = Project(population=int(POPULATION))
    stages: dict[str, list[float]] = {k: [] for k in ("readfile", "read_plan", "measure", "rules", "report", "check")}
    for _ in range(reps):
        t0 = time.perf_counter()
        ezdxf.readfile(path)
        t1 = time.perf_counter()
        plan = read_plan(path)
        t2 = time.perf_counter()
        metrics = measure(plan)
        t3 = time.perf_counter()
        results = rules.run(plan, metrics, std, project)
        t4 = time.perf_counter()
        json.dumps(build(plan, metrics, results, std, project, "zh"), ensure_ascii=False)
        t5 = time.perf_counter()
        for k, v in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t5 - t1)):
            stages[k].append(v)
    return {k: statistics.median(v) for k, v in stages.items()}


def profile(path: Path, top: int) -> str:
    from layoutcheck import check
    from layoutcheck.rules import Project

    check(path, "kaifeng-2014", Project(population=int(POPULATION)))  # warm imports and caches
    prof = cProfile.Profile()
    prof.enable()
    check(path, "kaifeng-2014", Project(population=int(POPULATION)))
    prof.disable()
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats("cumulative").print_stats(top)
    st.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def entity_count(path: Path) -> int:
    doc = ezdxf.readfile(path)
    return len(doc.modelspace()) + sum(len(b) for b in doc.blocks if not b.is_any_layout)


# --- main -------------------------------------------------------------------------------------------
def batch_throughput(plans: dict[str, Path], a, tmp: Path) -> None:
    """``layoutcheck batch`` over ``a.plans`` plans, half small and half typical, with 1 and 2 jobs."""
    folder = tmp / "batch"
    folder.mkdir(exist_ok=True)
    for i in range(a.plans):
        shutil.copy2(plans["small" if i % 2 else "typical"], folder / f"plan-{i:03d}.dxf")
    print(f"\n`layoutcheck batch` over {a.plans} plans (half small, half typical), `--force`; {a.batch_reps} runs "
          f"each, interleaved; load average {os.getloadavg()[0]:.1f} at the start. Other work on the machine only "
          f"ever slows a run down, so the best run is the closest to what the machine can do (as `timeit` "
          f"reports); the median is shown beside it.\n")
    print("| jobs | best wall time | plans / s (best) | speed-up (best) | median wall time | speed-up (median) "
          "| CPU time | peak RSS (largest process) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    runs: dict[int, list[tuple[float, float, int, int]]] = {1: [], 2: []}
    for _ in range(a.batch_reps):  # interleaved, so that both see the same machine
        for jobs in (1, 2):
            cmd = layoutcheck_cmd("batch", str(folder), "--out", str(tmp / f"out-{jobs}"), "--jobs", str(jobs),
                                  "--population", POPULATION, "--force", "--quiet", "--format", "json")
            runs[jobs].append(run_measured(cmd))
    best1 = min(r[0] for r in runs[1])
    med1 = statistics.median(r[0] for r in runs[1])
    for jobs, rs in runs.items():
        best, med = min(r[0] for r in rs), statistics.median(r[0] for r in rs)
        cpu, mem = statistics.median(r[1] for r in rs), max(r[2] for r in rs)
        print(f"| {jobs} | {best:.1f} s | {a.plans / best:.2f} | {best1 / best:.2f}× | {med:.1f} s | {med1 / med:.2f}× "
              f"| {cpu:.1f} s | {mem} MiB |", flush=True)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end.")


def floor_part(plans: dict[str, Path], a, tmp: Path) -> None:
    """The small-plan floor (issue 16.2): start-up, a small plan's JSON check end to end, and a batch of
    the bundled plans with 1 and 2 jobs — each a whole process, as a user runs it. With ``--vs-tree DIR``
    (an older checkout of the repository) every command also runs with ``PYTHONPATH=DIR``, in turn with
    this tree's (A B A B …), so that both see the same machine."""
    bundled = sorted((Path(__file__).resolve().parent.parent / "plans").glob("*.dxf"))
    folder = tmp / "bundled"
    folder.mkdir(exist_ok=True)
    copies = 4
    for k in range(copies):  # the bundled plans, several times over: a batch long enough to time
        for p in bundled:
            shutil.copy2(p, folder / f"{p.stem}-{k}.dxf")
    n = len(bundled) * copies
    trees = {"this tree": None, **({"--vs-tree": str(a.vs_tree)} if a.vs_tree else {})}
    # as an installed package runs: with bytecode caches (PYTHONDONTWRITEBYTECODE would compile every module
    # of the tree under test at every start, and only those: site-packages have theirs)
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    envs = {t: base if path is None else {**base, "PYTHONPATH": path} for t, path in trees.items()}
    cases = [
        ("`layoutcheck --version`", ["--version"], 1),
        ("`layoutcheck rules`", ["rules"], 1),
        ("`layoutcheck check` small plan, `--format json`",
         ["check", str(plans["small"]), "--population", POPULATION, "--format", "json"], 1),
        *[(f"`layoutcheck batch` {n} bundled plans, `--jobs {j}`",
           ["batch", str(folder), "--out", str(tmp / f"floor-out-{j}"), "--jobs", str(j), "--population", POPULATION,
            "--force", "--quiet", "--format", "json"], n) for j in (1, 2)],
    ]
    print(f"\nThe small-plan floor: each a whole process, median of {a.reps} runs, trees in turn; load average "
          f"{os.getloadavg()[0]:.1f} at the start.\n")
    print("| command | tree | wall (median) | CPU (median) | plans / s (wall) | peak RSS |")
    print("|---|---|---:|---:|---:|---:|")
    for title, args, plans_n in cases:
        runs: dict[str, list] = {t: [] for t in trees}
        for rep in range(a.reps + 1):  # the first run of each is a warm-up (it writes the bytecode caches)
            for tree, path in trees.items():
                run = run_measured(layoutcheck_cmd(*args), env=envs[tree])
                if rep:
                    runs[tree].append(run)
        for tree, rs in runs.items():
            wall, cpu = statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs)
            rate = f"{plans_n / wall:.1f}" if plans_n > 1 else ""
            print(f"| {title} | {tree} | {wall:.3f} s | {cpu:.3f} s | {rate} | {max(r[2] for r in rs)} MiB |", flush=True)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end.")


def compare_plans(plans: dict[str, Path], a, ogr: str | None) -> None:
    """Each plan: the check command against ezdxf.readfile and ogrinfo, then stage by stage in one process."""
    print(f"Python {sys.version.split()[0]}, ezdxf {ezdxf.__version__}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at the start; median of {a.reps} runs "
          f"(the large plan: {max(2, min(a.reps, 3))}); wall time, CPU time in brackets.\n")
    print("| plan | size | entities | `layoutcheck check --format json` | `ezdxf.readfile` | check ÷ readfile "
          f"| {'`ogrinfo -so -al`' if ogr else 'ogrinfo (not installed)'} | peak RSS check / readfile"
          f"{' / ogrinfo' if ogr else ''} |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    stage_rows = []
    for name, path in plans.items():
        reps = a.reps if name != "large" else max(2, min(a.reps, 3))
        chk, chk_cpu, chk_mem = median_run(layoutcheck_cmd("check", str(path), "--format", "json",
                                                           "--population", POPULATION), reps)
        rd, rd_cpu, rd_mem = median_run(readfile_cmd(path), reps)
        if ogr:
            og, og_cpu, og_mem = median_run([ogr, "-so", "-al", str(path)], reps)
            ogs, ogm = f"{og:.2f} s ({og_cpu:.2f})", f" / {og_mem}"
        else:
            ogs, ogm = "—", ""
        size = path.stat().st_size / 1e6
        print(f"| {name} | {size:.1f} MB | {entity_count(path):,} | {chk:.2f} s ({chk_cpu:.2f}) "
              f"| {rd:.2f} s ({rd_cpu:.2f}) | {chk / rd:.2f}× ({chk_cpu / rd_cpu:.2f}×) "
              f"| {ogs} | {chk_mem} / {rd_mem}{ogm} MiB |", flush=True)
        stage_rows.append((name, in_process(path, reps)))

    print("\nIn one warm process (no interpreter start or imports), median seconds per stage:\n")
    print("| plan | ezdxf.readfile | read_plan (incl. read) | measure | rules | report | check total "
          "| check ÷ readfile |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, st in stage_rows:
        print(f"| {name} | {st['readfile']:.3f} | {st['read_plan']:.3f} | {st['measure']:.3f} | {st['rules']:.3f} "
              f"| {st['report']:.3f} | {st['check']:.3f} | {st['check'] / st['readfile']:.2f}× |")


def selective_vs_full(plans: dict[str, Path], a, ogr: str | None) -> None:
    """The selective reader (issue 16.1) against the full read, in the same run, runs interleaved: the check
    command read selectively and with LAYOUTCHECK_FULL_READ=1, ezdxf.readfile and ogrinfo; then the read
    alone in one process (ingest.selective.read against ezdxf.readfile, the cyclic GC off as the reader has it)."""
    import gc

    from layoutcheck.ingest import selective
    from layoutcheck.ingest.extract import wanted_by
    from layoutcheck.ingest.layers import LayerMap

    print(f"Selective read against full read: median of {a.reps} interleaved runs, wall time (CPU time); "
          f"load average {os.getloadavg()[0]:.1f} at the start.\n")
    ogrio = pyogrio_cmd(plans["large"]) is not None
    print("| plan | size | check, selective | check, full read | `ezdxf.readfile` | "
          f"{'`ogrinfo -so -al`' if ogr else 'ogrinfo (not installed)'} | "
          f"{'pyogrio `read_info` (all features counted)' if ogrio else 'pyogrio (not installed)'} | "
          "selective ÷ readfile (CPU) | selective ÷ ogrinfo (CPU) | selective ÷ pyogrio (CPU) "
          "| peak RSS selective / full / readfile / ogrinfo / pyogrio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    full_env = ["env", f"{selective.ENV_FULL}=1"]
    for name in ("typical", "large"):
        path = plans[name]
        check = layoutcheck_cmd("check", str(path), "--format", "json", "--population", POPULATION)
        cmds = {"sel": check, "full": full_env + check, "read": readfile_cmd(path)}
        if ogr:
            cmds["ogr"] = [ogr, "-so", "-al", str(path)]
        if ogrio:
            cmds["pyogrio"] = pyogrio_cmd(path)
        runs: dict[str, list[tuple[float, float, int, int]]] = {k: [] for k in cmds}
        for _ in range(a.reps):
            for k, cmd in cmds.items():
                runs[k].append(run_measured(cmd))
        med = {k: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v), max(r[2] for r in v))
               for k, v in runs.items()}
        cell = lambda k: f"{med[k][0]:.2f} s ({med[k][1]:.2f})" if k in med else "—"  # noqa: E731
        ratio = lambda k: f"{med['sel'][0] / med[k][0]:.2f}× ({med['sel'][1] / med[k][1]:.2f}×)" if k in med else "—"  # noqa: E731
        mem = " / ".join(str(med[k][2]) if k in med else "—" for k in ("sel", "full", "read", "ogr", "pyogrio"))
        print(f"| {name} | {path.stat().st_size / 1e6:.1f} MB | {cell('sel')} | {cell('full')} | {cell('read')} "
              f"| {cell('ogr')} | {cell('pyogrio')} | {ratio('read')} | {ratio('ogr')} | {ratio('pyogrio')} "
              f"| {mem} MiB |", flush=True)
    print("\nThe read alone, in one process (median CPU seconds; GC off during the read, as the reader has it):\n")
    print("| plan | `ezdxf.readfile` | selective read | entities left out | dimension blocks left out "
          "| block references / texts read from their tags |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in ("typical", "large"):
        path, times = plans[name], {"full": [], "sel": []}
        sel = None
        for _ in range(max(2, a.reps)):
            gc.disable()
            t0 = time.process_time()
            ezdxf.readfile(path)
            times["full"].append(time.process_time() - t0)
            t0 = time.process_time()
            doc = selective.read(path, None, wanted_by(LayerMap()))
            times["sel"].append(time.process_time() - t0)
            sel = selective.selection(doc) if doc is not None else None
            del doc
            gc.enable()
            gc.collect()
        inserts = sum(1 for _, light in sel.lights if light.dxftype() == "INSERT") if sel else 0
        left = (f"{sel.dropped:,} | {sel.blocks:,} | {inserts:,} / {len(sel.lights) - inserts:,}" if sel
                else "read in full | — | —")
        print(f"| {name} | {statistics.median(times['full']):.2f} s | {statistics.median(times['sel']):.2f} s "
              f"| {left} |", flush=True)


CORPUS_CN = Path(__file__).resolve().parent.parent.parent / "shared" / "dxf-corpus-cn"


def corpus_cn(a, ogr: str | None) -> None:
    """Each real Chinese drawing of ../shared/dxf-corpus-cn: the check against reading the file alone."""
    files = sorted(CORPUS_CN.glob("*.dxf"))
    if not files:
        print(f"no corpus at {CORPUS_CN}", file=sys.stderr)
        return
    read = ("import sys, ezdxf\nfrom ezdxf import recover\ntry: ezdxf.readfile(sys.argv[1])\n"
            "except ezdxf.DXFStructureError: recover.readfile(sys.argv[1])")
    print(f"\nReal Chinese drawings ({CORPUS_CN.name}), median of {a.reps} runs, wall time (CPU time):\n")
    print("| drawing | size | `layoutcheck check --format json` | reading it alone (ezdxf) | check ÷ read "
          f"| {'`ogrinfo -so -al`' if ogr else 'ogrinfo (not installed)'} | peak RSS check | rooms / views checked |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for path in files:
        chk, chk_cpu, chk_mem = median_run(layoutcheck_cmd("check", str(path), "--format", "json"), a.reps)
        rd, rd_cpu, _ = median_run([sys.executable, "-c", read, str(path)], a.reps)
        ogs = "—"
        if ogr:
            og, og_cpu, _ = median_run([ogr, "-so", "-al", str(path)], a.reps)
            ogs = f"{og:.2f} s ({og_cpu:.2f})"
        out = subprocess.run(layoutcheck_cmd("check", str(path), "--format", "json"), capture_output=True, text=True)
        try:
            rep = json.loads(out.stdout)
            found = f"{len(rep['rooms'])} / {sum(v['checked'] for v in rep['views']) or 1}"
        except ValueError:
            found = "exit 2"
        print(f"| {path.name} | {path.stat().st_size / 1e6:.1f} MB | {chk:.2f} s ({chk_cpu:.2f}) "
              f"| {rd:.2f} s ({rd_cpu:.2f}) | {chk / rd:.2f}× | {ogs} | {chk_mem} MiB | {found} |", flush=True)


# DWG → its DXF twin in ../shared/dwg-corpus, with the options that make the twin a plan (tests/test_dwg.py)
DWG_TWINS = {
    "dp_d1__Drawing1.dwg": ("dp_d1__Drawing1.dxf", ["--units", "m"]),
    "ld_ex2000__example_2000.dwg": ("ld_ex2000__example_2000.dxf", []),
    "acs_1015__sample_AC1015.dwg": ("acs_1015__sample_AC1015_ascii.dxf", []),
}
DWG_ALONE = ["tz_t7__0627滕召海报建图_t7.dwg"]  # the largest of the corpus (R2004, 15,000 entities), no twin


def dwg_read_times(a) -> None:
    """DWG against its DXF twin: the check as a command, and the read alone in one process."""
    from layoutcheck.ingest.dwg import read_dwg

    folder = a.dwg_corpus
    layers = Path(__file__).resolve().parent.parent / "tests" / "data" / "dwg-twins.toml"
    print(f"DWG input, median of {a.reps} runs; wall time, CPU time in brackets (the check of a DWG includes "
          "its reader process).\n")
    print("| drawing | DWG size | `check` DWG | `check` DXF twin | DWG ÷ DXF | DWG read in-process "
          "| `ezdxf.readfile` of the twin | peak RSS check DWG / DXF |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    rows = [(n, *DWG_TWINS[n]) for n in DWG_TWINS] + [(n, None, []) for n in DWG_ALONE]
    for name, twin, extra in rows:
        dwg = folder / name
        args = ["--format", "json", "--population", POPULATION, "--layers", str(layers), *extra]
        c1, c1_cpu, m1 = median_run(layoutcheck_cmd("check", str(dwg), *args), a.reps)
        reads = []
        for _ in range(a.reps):
            t0 = time.perf_counter()
            read_dwg(dwg)
            reads.append(time.perf_counter() - t0)
        rd = statistics.median(reads)
        if twin:
            c2, c2_cpu, m2 = median_run(layoutcheck_cmd("check", str(folder / twin), *args), a.reps)
            rt = []
            for _ in range(a.reps):
                t0 = time.perf_counter()
                ezdxf.readfile(folder / twin)
                rt.append(time.perf_counter() - t0)
            twin_cells = (f"{c2:.2f} s ({c2_cpu:.2f})", f"{c1 / c2:.2f}×", f"{statistics.median(rt):.3f} s",
                          f"{m1} / {m2} MiB")
        else:
            twin_cells = ("—", "—", "—", f"{m1} / — MiB")
        print(f"| {name} | {dwg.stat().st_size / 1e3:.0f} kB | {c1:.2f} s ({c1_cpu:.2f}) | {twin_cells[0]} "
              f"| {twin_cells[1]} | {rd:.3f} s | {twin_cells[2]} | {twin_cells[3]} |", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=5, help="repetitions per measurement (median reported)")
    ap.add_argument("--large-mb", type=float, default=15.0, help="size of the large plan")
    ap.add_argument("--plans", type=int, default=40, help="plans in the batch throughput run")
    ap.add_argument("--batch-reps", type=int, default=5, help="repetitions of each batch run")
    ap.add_argument("--quick", action="store_true", help="2 repetitions, 20 plans")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of check() on the large plan")
    ap.add_argument("--part", choices=["all", "plans", "batch", "corpus-cn", "dwg", "reader", "floor"], default="all",
                    help="only the per-plan comparison, the batch throughput, the real Chinese drawings, DWG "
                         "read times, the selective reader against the full read, or the small-plan floor "
                         "(start-up, a small plan's check and a batch of the bundled plans)")
    ap.add_argument("--vs-tree", type=Path, default=None,
                    help="--part floor: also time an older checkout of the repository (PYTHONPATH), in turn")
    ap.add_argument("--dwg-corpus", type=Path,
                    default=Path(__file__).resolve().parent.parent.parent / "shared" / "dwg-corpus",
                    help="folder of the DWG drawings and their DXF twins (--part dwg, and all)")
    ap.add_argument("--keep", type=Path, default=None, help="draw the plans into this folder and keep them")
    a = ap.parse_args(argv)
    if a.quick:
        a.reps, a.plans, a.batch_reps = 2, 20, 2

    if a.part == "corpus-cn":  # the real drawings only: nothing to draw
        corpus_cn(a, shutil.which("ogrinfo"))
        return 0
    if a.part == "dwg":
        dwg_read_times(a)
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="layoutcheck-bench-")) if a.keep is None else a.keep
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        plans = {"small": small_plan(tmp / "small.dxf")}
        if a.part != "floor":
            plans |= {"typical": typical_plan(tmp / "typical.dxf"), "large": large_plan(tmp / "large.dxf", a.large_mb)}
        print(f"<!-- drew the plans in {time.perf_counter() - t0:.1f} s into {tmp} -->", file=sys.stderr)
        ogr = shutil.which("ogrinfo")
        if a.part in ("all", "plans"):
            compare_plans(plans, a, ogr)
        if a.part in ("all", "reader"):
            print()
            selective_vs_full(plans, a, ogr)
        if a.part in ("all", "batch"):
            batch_throughput(plans, a, tmp)
        if a.part in ("all", "floor"):
            floor_part(plans, a, tmp)
        if a.part in ("all", "corpus-cn"):
            corpus_cn(a, ogr)
        if a.part == "all" and a.dwg_corpus.is_dir():
            print()
            dwg_read_times(a)
        if a.profile:
            print("\n<details><summary>cProfile of check() on the large plan</summary>\n\n```")
            print(profile(plans["large"], 30))
            print("```\n</details>")
    finally:
        if a.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
