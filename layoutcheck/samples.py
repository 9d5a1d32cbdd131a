"""Sample floor plans drawn with ezdxf, the way a TArch or AIA office would draw them.

Rooms are laid out on wall centre lines in millimetres; the walls are the building outline minus
the rooms' net outlines, cut at every door and window, exactly as a TArch T3 export shows them.
The same layout can be written in metres, rotated, moved to survey coordinates, as binary DXF, as
R12 with GBK text, or with AIA layer names, so tests can show the results do not change.
``plans/make_samples.py`` writes the bundled samples; ``layoutcheck template`` starts from here too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import ezdxf
from ezdxf.document import Drawing
from ezdxf.math import Matrix44
from shapely.geometry import LineString, Polygon, box
from shapely.ops import unary_union

LAYERS = {
    "tarch": {"wall": "WALL", "door": "DOOR_FIRE", "window": "WINDOW", "room": "SPACE", "text": "PUB_TEXT",
              "counter": "COUNTER", "furniture": "PUB_FURN", "column": "COLUMN", "axis": "AXIS"},
    "aia": {"wall": "A-WALL", "door": "A-DOOR", "window": "A-GLAZ", "room": "A-AREA", "text": "A-AREA-IDEN",
            "counter": "A-FURN-CNTR", "furniture": "A-FURN", "column": "A-COLS", "axis": "A-GRID"},
}


@dataclass
class RoomSpec:
    name: str
    rect: tuple[float, float, float, float]  # wall centre lines, mm: x0, y0, x1, y1
    area_label: bool = True


@dataclass
class OpeningSpec:
    block: str  # M1021 = door 1000 wide; C1815 = window 1800 wide
    at: tuple[float, float]  # start of the opening on a wall centre line, mm
    angle: float = 0.0  # direction of the opening along the wall, degrees
    swing: int = 1  # +1: the leaf opens to the left of the direction; -1 mirrored


@dataclass
class ItemSpec:
    block: str  # 柜台 / 座椅 / 公示栏 / 长椅 / 显示屏
    at: tuple[float, float]  # insertion point, mm
    angle: float = 0.0
    attribs: dict[str, str] = field(default_factory=dict)
    size: tuple[float, float] | None = None  # length × depth, mm (else the block's usual size)

    @property
    def block_name(self) -> str:
        return f"{self.block}{int(self.size[0])}x{int(self.size[1])}" if self.size else self.block


@dataclass
class Layout:
    name: str
    rooms: list[RoomSpec]
    openings: list[OpeningSpec] = field(default_factory=list)
    items: list[ItemSpec] = field(default_factory=list)
    labels: list[tuple[str, tuple[float, float]]] = field(default_factory=list)  # zone labels etc.
    gaps: list[tuple[tuple[float, float], float, float]] = field(default_factory=list)  # (at, width, angle): holes, no door
    wall_mm: float = 240.0

    def net(self, r: RoomSpec) -> Polygon:
        h = self.wall_mm / 2
        x0, y0, x1, y1 = r.rect
        return box(x0 + h, y0 + h, x1 - h, y1 - h)

    def outline(self) -> Polygon:
        h = self.wall_mm / 2
        return unary_union([box(*r.rect) for r in self.rooms]).buffer(h, join_style="mitre")

    def expected(self) -> dict[str, float]:
        """The figures a reviewer would compute by hand, in m²."""
        rooms = {r.name: self.net(r).area / 1e6 for r in self.rooms}
        return {"gross_area_m2": self.outline().area / 1e6, "usable_area_m2": sum(rooms.values()), **rooms}


def opening_width_mm(block: str) -> float:
    return float(block[1:3]) * 100.0  # TArch code: M1021 → 10 × 100 mm wide, 21 × 100 mm high


# --- blocks -------------------------------------------------------------------------------------
def _define_blocks(doc: Drawing, layout: Layout, r12: bool) -> None:
    t = layout.wall_mm
    for o in layout.openings:
        if o.block in doc.blocks:
            continue
        w = opening_width_mm(o.block)
        blk = doc.blocks.new(o.block, base_point=(0, 0))
        if o.block.startswith("M"):
            leaves = 2 if w >= 1500 else 1
            lw = w / leaves
            blk.add_line((0, 0), (0, lw))  # leaf, open 90°
            blk.add_arc((0, 0), lw, 0, 90)  # swing
            if leaves == 2:
                blk.add_line((w, 0), (w, lw))
                blk.add_arc((w, 0), lw, 90, 180)
        else:  # window: four lines across the wall
            for y in (-t / 2, -t / 6, t / 6, t / 2):
                blk.add_line((0, y), (w, y))
            blk.add_line((0, -t / 2), (0, t / 2))
            blk.add_line((w, -t / 2), (w, t / 2))
    for it in layout.items:
        if it.block_name in doc.blocks:
            continue
        blk = doc.blocks.new(it.block_name, base_point=(0, 0))
        w, d = it.size or {"柜台": (1600, 750), "座椅": (500, 500), "公示栏": (1200, 100), "长椅": (1800, 450),
                           "显示屏": (1500, 100), "低位柜台": (900, 600)}.get(it.block, (600, 600))
        pts = [(0, 0), (w, 0), (w, d), (0, d)]
        if r12:
            blk.add_polyline2d(pts, close=True)
        else:
            blk.add_lwpolyline(pts, close=True)
        if "柜台" in it.block:
            blk.add_attdef("HEIGHT", (w / 2, d / 2), dxfattribs={"height": 100})


def build(layout: Layout, *, convention: str = "tarch", units: str = "mm", rotation_deg: float = 0.0,
          offset: tuple[float, float] = (0.0, 0.0), dxfversion: str = "R2018", walls: str = "lines",
          text_height_mm: float = 300.0, room_outlines: bool = True) -> Drawing:
    """Draw ``layout`` into a new document.

    ``units`` "m" scales the whole drawing to metres ($INSUNITS 6, block inserts scaled 0.001);
    ``rotation_deg`` and ``offset`` (in the output units) move it, e.g. to survey coordinates;
    ``walls`` "lines" draws wall faces as LINEs (a TArch T3 export), "polylines" as closed outlines;
    ``room_outlines`` False leaves the rooms to be found from the walls (only their names are drawn).
    """
    r12 = dxfversion == "R12"
    doc = ezdxf.new(dxfversion)
    L = LAYERS[convention]
    for name in L.values():
        if name not in doc.layers:
            doc.layers.add(name)
    _define_blocks(doc, layout, r12)
    msp = doc.modelspace()
    t = layout.wall_mm

    # walls: the outline minus the rooms, cut at every opening
    cuts = []
    holes = [(o.at, opening_width_mm(o.block), o.angle) for o in layout.openings] + list(layout.gaps)
    for at, w, angle in holes:
        a = math.radians(angle)
        seg = LineString([at, (at[0] + w * math.cos(a), at[1] + w * math.sin(a))])
        cuts.append(seg.buffer(t / 2 + 1, cap_style="flat"))
    mass = layout.outline().difference(unary_union([layout.net(r) for r in layout.rooms] + cuts))
    for poly in getattr(mass, "geoms", [mass]):
        for ring in (poly.exterior, *poly.interiors):
            pts = list(ring.coords)
            if walls == "lines" or r12:
                for p, q in zip(pts, pts[1:]):
                    msp.add_line(p, q, dxfattribs={"layer": L["wall"]})
            else:
                msp.add_lwpolyline(pts[:-1], close=True, dxfattribs={"layer": L["wall"]})

    # rooms with their names and area annotations
    for r in layout.rooms:
        net = layout.net(r)
        pts = list(net.exterior.coords)[:-1]
        if not room_outlines:
            pass
        elif r12:
            msp.add_polyline2d(pts, close=True, dxfattribs={"layer": L["room"]})
        else:
            msp.add_lwpolyline(pts, close=True, dxfattribs={"layer": L["room"]})
        c = net.centroid
        _text(msp, r.name, (c.x, c.y + text_height_mm * 0.8), text_height_mm, L["text"])
        if r.area_label:
            _text(msp, f"{net.area / 1e6:.2f}㎡", (c.x, c.y - text_height_mm * 0.8), text_height_mm * 0.7, L["text"])
    for text, at in layout.labels:
        _text(msp, text, at, text_height_mm * 0.8, L["text"])

    # doors and windows
    for o in layout.openings:
        layer = L["door"] if o.block.startswith("M") else L["window"]
        msp.add_blockref(o.block, o.at, dxfattribs={"layer": layer, "rotation": o.angle,
                                                   "yscale": 1.0 if o.swing > 0 else -1.0})
    # counters and furniture
    for it in layout.items:
        layer = L["counter"] if "柜台" in it.block else L["furniture"]
        ref = msp.add_blockref(it.block_name, it.at, dxfattribs={"layer": layer, "rotation": it.angle})
        for tag, value in it.attribs.items():
            ref.add_attrib(tag, value, it.at, dxfattribs={"height": 100, "layer": layer})

    # units, rotation, placement
    scale = {"mm": 1.0, "m": 0.001}[units]
    doc.header["$INSUNITS"] = {"mm": 4, "m": 6}[units]
    if r12:
        del doc.header["$INSUNITS"]  # R12 has no $INSUNITS: the reader must guess
    if scale != 1.0 or rotation_deg or offset != (0.0, 0.0):
        m = (Matrix44.scale(scale, scale, scale) @ Matrix44.z_rotate(math.radians(rotation_deg))
             @ Matrix44.translate(offset[0], offset[1], 0))
        for e in list(msp):
            e.transform(m)
    return doc


def _text(msp, text: str, at: tuple[float, float], h: float, layer: str) -> None:
    from ezdxf.enums import TextEntityAlignment

    msp.add_text(text, height=h, dxfattribs={"layer": layer}).set_placement(
        at, align=TextEntityAlignment.MIDDLE_CENTER)


def save(doc: Drawing, path: str | Path, *, binary: bool = False, encoding: str | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if encoding:  # only R12–R2004 files carry a code page; later DXF is always UTF-8
        # sets $DWGCODEPAGE (ANSI_936 / ANSI_950 / ANSI_932) and the bytes written
        doc.encoding = {"cp936": "gbk", "big5": "cp950", "shift_jis": "cp932"}.get(encoding, encoding)
        doc.saveas(path)
    else:
        doc.saveas(path, fmt="bin" if binary else "asc")
    return path


# --- the bundled samples ---------------------------------------------------------------------------
def station_tier2_ok() -> Layout:
    """A compliant 二类 station: 126 m² gross, hall 63 % of the usable area, every room present."""
    return Layout(
        "station-tier2-ok",
        rooms=[
            RoomSpec("服务大厅", (0, 0, 11760, 6300)),
            RoomSpec("档案室", (0, 6300, 3900, 10260)),
            RoomSpec("办公室", (3900, 6300, 7800, 10260)),
            RoomSpec("卫生间", (7800, 6300, 11760, 10260)),
        ],
        openings=[
            OpeningSpec("M1521", (5130, 0)),  # entrance, double door 1.5 m
            OpeningSpec("M1021", (1400, 6300)),  # hall → archive
            OpeningSpec("M1021", (5300, 6300)),  # hall → office
            OpeningSpec("M1021", (9300, 6300)),  # hall → WC
            OpeningSpec("C1815", (1500, 0)), OpeningSpec("C1815", (8400, 0)),
            OpeningSpec("C1815", (11760, 2200), angle=90), OpeningSpec("C1815", (0, 2200), angle=90),
            OpeningSpec("C1215", (5400, 10260)),
        ],
        items=[
            ItemSpec("柜台", (1300, 4300), attribs={"HEIGHT": "760", "SIDE": "FRONT"}),
            ItemSpec("柜台", (3400, 4300), attribs={"HEIGHT": "760", "SIDE": "FRONT"}),
            ItemSpec("柜台", (7800, 4300), attribs={"HEIGHT": "760", "SIDE": "FRONT"}),
            ItemSpec("柜台", (9900, 4300), attribs={"HEIGHT": "760", "SIDE": "FRONT"}),
            ItemSpec("座椅", (1200, 1000)), ItemSpec("座椅", (1800, 1000)), ItemSpec("座椅", (2400, 1000)),
            ItemSpec("公示栏", (9600, 200)),
        ],
        labels=[("业务办理区", (5880, 3600)), ("等候区", (2000, 2000)), ("查询区", (10200, 900))],
    )


def station_faulty() -> Layout:
    """A 二类 station that is too small (90 m² gross) and whose hall is only 44 % of the usable area."""
    return Layout(
        "station-faulty",
        rooms=[
            RoomSpec("服务大厅", (0, 0, 9260, 4000)),
            RoomSpec("档案室", (0, 4000, 3000, 9260)),
            RoomSpec("办公室", (3000, 4000, 6260, 9260)),
            RoomSpec("卫生间", (6260, 4000, 9260, 9260)),
        ],
        openings=[
            OpeningSpec("M1021", (4130, 0)),
            OpeningSpec("M1021", (1000, 4000)), OpeningSpec("M1021", (4130, 4000)),
            OpeningSpec("M1021", (7260, 4000)),
            OpeningSpec("C1515", (1200, 0)), OpeningSpec("C1515", (6600, 0)),
        ],
        items=[
            ItemSpec("柜台", (1200, 2200), attribs={"HEIGHT": "760", "SIDE": "FRONT"}),
            ItemSpec("柜台", (5600, 2200), attribs={"HEIGHT": "760", "SIDE": "FRONT"}),
            ItemSpec("座椅", (7600, 300)), ItemSpec("座椅", (8200, 300)),
            ItemSpec("公示栏", (250, 300), angle=90),
        ],
        labels=[("等候区", (8100, 1300)), ("查询区", (800, 900))],
    )


def community_ok() -> Layout:
    """A compliant community station: 64.8 m² gross with its three functional areas."""
    return Layout(
        "community-ok",
        rooms=[
            RoomSpec("公共服务区", (0, 0, 5500, 6960)),
            RoomSpec("咨询服务区", (5500, 0, 8760, 3600)),
            RoomSpec("档案管理区", (5500, 3600, 8760, 6960)),
        ],
        openings=[
            OpeningSpec("M1021", (2000, 0)),
            OpeningSpec("M1021", (5500, 1200), angle=90, swing=-1),
            OpeningSpec("M1021", (5500, 4800), angle=90, swing=-1),
            OpeningSpec("C1515", (6500, 0)),
        ],
        items=[ItemSpec("柜台", (1000, 4500), attribs={"HEIGHT": "760", "SIDE": "FRONT"}),
               ItemSpec("公示栏", (600, 1500), angle=90)],
    )


def _tier2_with(name: str, **changes) -> Layout:
    lay = station_tier2_ok()
    lay.name = name
    for k, v in changes.items():
        v(lay) if callable(v) else setattr(lay, k, v)
    return lay


def station_archive_open() -> Layout:
    """The tier-2 station with no archive door: a 1.5 m hole in the wall to the hall instead."""
    def change(lay: Layout) -> None:
        lay.openings = [o for o in lay.openings if o.at != (1400, 6300)]
        lay.gaps = [((1200, 6300), 1500.0, 0.0)]
    return _tier2_with("station-archive-open", edit=change)


def station_aisle_blocked() -> Layout:
    """A bench across the hall leaves a 0.9 m aisle: no wheelchair gets to the counters."""
    def change(lay: Layout) -> None:
        lay.items.append(ItemSpec("长椅", (120, 2000), size=(10620, 450)))  # to x = 10.74 m; wall face at 11.64
    return _tier2_with("station-aisle-blocked", edit=change)


def station_counter_wrong() -> Layout:
    """Counter #3 is 800 mm high and 600 mm deep (Kaifeng wants 760 × 750)."""
    def change(lay: Layout) -> None:
        lay.items[2] = ItemSpec("柜台", (7800, 4300), attribs={"HEIGHT": "800", "SIDE": "FRONT"}, size=(1600, 600))
    return _tier2_with("station-counter-wrong", edit=change)


def station_narrow_entrance() -> Layout:
    """The entrance is an 800 mm door (M0821); GB 55019 wants 900 mm."""
    def change(lay: Layout) -> None:
        lay.openings[0] = OpeningSpec("M0821", (5480, 0))
    return _tier2_with("station-narrow-entrance", edit=change)


SAMPLES = {"station-tier2-ok": station_tier2_ok, "station-faulty": station_faulty, "community-ok": community_ok,
           "station-archive-open": station_archive_open, "station-aisle-blocked": station_aisle_blocked,
           "station-counter-wrong": station_counter_wrong, "station-narrow-entrance": station_narrow_entrance}


def write_all(folder: str | Path) -> list[Path]:
    """Write the bundled samples (what ``plans/make_samples.py`` runs)."""
    return [save(build(make()), Path(folder) / f"{name}.dxf") for name, make in SAMPLES.items()]


TEMPLATE_NOTES = r"""{\fSimHei|b1;layoutcheck 绘图约定（按此绘制，检查结果准确）}
1. 墙体画在 WALL 图层（墙线、闭合轮廓或实体填充均可）。
2. 每个房间在 SPACE 图层画一条闭合多段线，沿墙体内皮；房间名称（服务大厅、档案室、办公室、卫生间…）写在房间内部，面积标注（如 69.81㎡）可放在名称下方。
3. 门用 DOOR_FIRE 图层上的门图块（如 M1021 = 宽 1000、高 2100），图块局部 X 方向为洞口宽度方向；窗用 WINDOW 图层上的窗图块（如 C1815）。
4. 服务柜台插入“柜台”图块，并填写属性 HEIGHT（台面高度，mm）；属性 SIDE=FRONT 表示图块局部 −Y 一侧面向群众（不填则按图面推断并警告）。一排窗口画成一个图块时，其中每个窗口嵌套一个柜台图块。低位柜台用“低位柜台”图块（或属性 LOW=1），台面 700–850 mm。
5. 座椅、公示栏、显示屏等家具放在 PUB_FURN 图层，图块名包含“座椅 / 公示栏 / 显示屏”。
6. 大厅内的功能区可标注文字：业务办理区、等候区、查询区、信息发布区。
7. 入口门附近可标注“入口”。图纸单位用毫米（$INSUNITS = 4）。
8. 检查：layoutcheck check 本图.dxf --standard kaifeng-2014 --kind station --population 30000
9. 也认得常见的中文画法：“使用面积线”图层上的房间轮廓、“建筑面积线”图层上的外轮廓、多行标注“房间名称：… 使用面积：…㎡”；一套图中每个“…平面图 1:100”按一层检查。全部约定：layoutcheck conventions"""


def template() -> Drawing:
    """A starter drawing: the layers, the door/window/counter/furniture blocks (the counter with its
    HEIGHT attribute) and a complete compliant tier-2 station to copy from, with the conventions
    written beside it on a notes layer the check ignores."""
    lay = station_tier2_ok()
    lay.name = "template"
    lay.items.append(ItemSpec("低位柜台", (5600, 4300), attribs={"HEIGHT": "760", "SIDE": "FRONT"}, size=(900, 750)))
    lay.items.append(ItemSpec("显示屏", (300, 300), angle=90))
    lay.labels.append(("入口", (5880, -900)))
    lay.labels.append(("信息发布区", (1200, 2600)))
    doc = build(lay)
    doc.layers.add("LC-NOTES", color=8)
    doc.modelspace().add_mtext(TEMPLATE_NOTES, dxfattribs={"layer": "LC-NOTES", "char_height": 250,
                                                          "width": 11000, "insert": (14000, 10260)})
    return doc
