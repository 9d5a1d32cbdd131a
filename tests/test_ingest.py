"""DXF → Plan: small drawings made here with ezdxf, checked against figures worked out by hand.

Every drawing is in millimetres ($INSUNITS 4) unless a test says otherwise; areas are asserted in
m², widths and heights in mm, the way a reviewer with a scale rule would read them.
"""

from __future__ import annotations

import math
from pathlib import Path

import ezdxf
import pytest
from ezdxf.enums import TextEntityAlignment

from layoutcheck import classify, read_plan
from layoutcheck.errors import InputError
from layoutcheck.ingest.layers import load_mapping

HALF_DISC_R2 = math.pi * 2.0**2 / 2  # half a disc of radius 2 m, in m²


# --- helpers -------------------------------------------------------------------------------------


def new_doc(insunits: int | None = 4, version: str = "R2018"):
    doc = ezdxf.new(version)
    if insunits is not None:
        doc.header["$INSUNITS"] = insunits
    return doc, doc.modelspace()


def save(doc, tmp_path: Path, name: str = "plan.dxf") -> Path:
    path = tmp_path / name
    doc.saveas(path)
    return path


def plan_of(doc, tmp_path: Path, name: str = "plan.dxf", **kw):
    return read_plan(save(doc, tmp_path, name), **kw)


def rect(x0: float, y0: float, x1: float, y1: float, s: float = 1.0) -> list[tuple[float, float]]:
    return [(x0 * s, y0 * s), (x1 * s, y0 * s), (x1 * s, y1 * s), (x0 * s, y1 * s)]


def room(msp, x0, y0, x1, y1, layer: str = "SPACE", s: float = 1.0):
    return msp.add_lwpolyline(rect(x0, y0, x1, y1, s), close=True, dxfattribs={"layer": layer})


def text(msp, s: str, at, h: float = 300.0, layer: str = "PUB_TEXT"):
    return msp.add_text(s, height=h, dxfattribs={"layer": layer}).set_placement(
        at, align=TextEntityAlignment.MIDDLE_CENTER)


def building(msp, x0, y0, x1, y1, t: float = 240.0, s: float = 1.0, name: str | None = None):
    """A one-room building: the wall's two faces as closed polylines on WALL, the room inside.
    Coordinates in mm, multiplied by ``s`` (the drawing unit per mm)."""
    msp.add_lwpolyline(rect(x0, y0, x1, y1, s), close=True, dxfattribs={"layer": "WALL"})
    msp.add_lwpolyline(rect(x0 + t, y0 + t, x1 - t, y1 - t, s), close=True, dxfattribs={"layer": "WALL"})
    room(msp, x0 + t, y0 + t, x1 - t, y1 - t, s=s)
    if name:
        text(msp, name, ((x0 + x1) / 2 * s, (y0 + y1) / 2 * s), 300 * s)


def found(plan, rule: str) -> list:
    return [f for f in plan.findings if f.rule == rule]


def only_room(plan):
    assert len(plan.rooms) == 1, [(r.name, r.area_m2) for r in plan.rooms]
    return plan.rooms[0]


def by_name(plan) -> dict:
    return {r.name: r for r in plan.rooms}


def unit_door_block(doc, name: str = "UNITDOOR"):
    """A door one drawing unit wide: the opening along local X from (0,0) to (1,0), leaf and swing above."""
    blk = doc.blocks.new(name)
    blk.add_line((0, 0), (0, 1))
    blk.add_arc((0, 0), 1, 0, 90)
    return blk


def door_block(doc, name: str, width: float):
    blk = doc.blocks.new(name)
    blk.add_line((0, 0), (0, width))
    blk.add_arc((0, 0), width, 0, 90)
    return blk


def counter_block(doc, name: str, length: float = 1600, depth: float = 750, tag: str | None = "HEIGHT",
                  tag_at: tuple[float, float] | None = None):
    blk = doc.blocks.new(name)
    blk.add_lwpolyline(rect(0, 0, length, depth), close=True)
    if tag:
        blk.add_attdef(tag, tag_at or (length / 2, depth / 2), dxfattribs={"height": 100})
    return blk


# --- 1. arcs drawn as bulges -----------------------------------------------------------------------


def test_bulge_side_is_measured_as_an_arc(tmp_path):
    doc, msp = new_doc()
    # 6.0 × 4.0 m, the east side a half-disc of radius 2.0 m bowed outwards (bulge +1 = 180° ccw)
    msp.add_lwpolyline([(0, 0, 0), (6000, 0, 1.0), (6000, 4000, 0), (0, 4000, 0)], format="xyb",
                       close=True, dxfattribs={"layer": "SPACE"})
    # the same rectangle 10 m further east with the half-disc bowed inwards (bulge −1): a bay cut out
    msp.add_lwpolyline([(10000, 0, 0), (16000, 0, -1.0), (16000, 4000, 0), (10000, 4000, 0)], format="xyb",
                       close=True, dxfattribs={"layer": "SPACE"})
    plan = plan_of(doc, tmp_path)
    out, bay = sorted(plan.rooms, key=lambda r: r.polygon.bounds[0])
    assert out.area_m2 == pytest.approx(24.0 + HALF_DISC_R2, rel=0.005)  # 30.28 m²
    assert out.polygon.bounds[2] == pytest.approx(8.0, abs=0.01)  # the arc reaches 2 m east of the wall
    assert bay.area_m2 == pytest.approx(24.0 - HALF_DISC_R2, rel=0.005)  # 17.72 m²
    assert bay.polygon.bounds[2] == pytest.approx(16.0, abs=0.001)
    assert not found(plan, "drawing.invalid-polygon") and not found(plan, "drawing.open-room-outline")


def test_bulge_in_metres_is_flattened_finely(tmp_path):
    # the same outline drawn in metres: arcs are flattened to 1 cm of the drawing unit, not 1 unit
    doc, msp = new_doc(insunits=6)
    msp.add_lwpolyline([(0, 0, 0), (6, 0, 1.0), (6, 4, 0), (0, 4, 0)], format="xyb", close=True,
                       dxfattribs={"layer": "SPACE"})
    assert only_room(plan_of(doc, tmp_path)).area_m2 == pytest.approx(24.0 + HALF_DISC_R2, rel=0.005)


# --- 2. closed, almost closed and open outlines --------------------------------------------------------


def test_outline_whose_last_point_repeats_the_first_is_a_room(tmp_path):
    doc, msp = new_doc()
    msp.add_lwpolyline([(0, 0), (4000, 0), (4000, 3000), (0, 3000), (0, 0)], close=False,
                       dxfattribs={"layer": "SPACE"})
    text(msp, "办公室", (2000, 1500))
    plan = plan_of(doc, tmp_path)
    r = only_room(plan)
    assert (r.name, r.type) == ("办公室", "office")
    assert r.area_m2 == pytest.approx(12.0)
    assert not found(plan, "drawing.open-room-outline")


def test_open_outline_is_no_room_and_its_gap_is_reported(tmp_path):
    doc, msp = new_doc()
    room(msp, 0, 0, 4000, 3000)  # a proper room so the drawing is not empty of rooms
    # the west side is missing: the gap runs from the last point (5000, 3000) to the first (5000, 0), 3.0 m
    msp.add_lwpolyline([(5000, 0), (9000, 0), (9000, 3000), (5000, 3000)], close=False,
                       dxfattribs={"layer": "SPACE"})
    text(msp, "档案室", (7000, 1500))
    plan = plan_of(doc, tmp_path)
    r = only_room(plan)
    assert r.area_m2 == pytest.approx(12.0) and r.polygon.bounds[0] == pytest.approx(0.0)
    assert "档案室" not in by_name(plan)  # its label lies in no room
    gaps = found(plan, "drawing.open-room-outline")
    assert len(gaps) == 1
    assert gaps[0].args["layer"] == "SPACE"
    assert gaps[0].args["gap_m"] == pytest.approx(3.0)
    assert sorted(gaps[0].where) == [(5.0, 0.0), (5.0, 3.0)]  # the two loose ends, in metres


def test_outline_pieces_that_meet_are_one_room(tmp_path):
    """A polyline closed by a LINE, and an outline of four LINEs (as Plans__plan.dxf draws its hallway): rooms.
    A piece that does not meet the others stays open and is reported."""
    doc, msp = new_doc()
    msp.add_lwpolyline([(0, 0), (4000, 0), (4000, 3000), (0, 3000)], close=False, dxfattribs={"layer": "SPACE"})
    msp.add_line((0, 3000), (0, 0), dxfattribs={"layer": "SPACE"})  # closes it
    text(msp, "办公室", (2000, 1500))
    for a, b in (((5000, 0), (9000, 0)), ((9000, 0), (9000, 3000)), ((9000, 3000), (5000, 3000.4)),
                 ((5000, 3000.4), (5000, 0))):  # drawn by hand: one end 0.4 mm off
        msp.add_line(a, b, dxfattribs={"layer": "SPACE"})
    text(msp, "档案室", (7000, 1500))
    msp.add_lwpolyline([(10000, 0), (14000, 0), (14000, 3000)], dxfattribs={"layer": "SPACE"})  # open for good
    # two rooms of LINEs sharing their middle edge (x = 20000), and a stray tail off one corner
    for a, b in (((16000, 0), (24000, 0)), ((24000, 0), (24000, 3000)), ((24000, 3000), (16000, 3000)),
                 ((16000, 3000), (16000, 0)), ((20000, 0), (20000, 3000)), ((24000, 3000), (25000, 3500))):
        msp.add_line(a, b, dxfattribs={"layer": "A-AREA"})
    text(msp, "办公室", (18000, 1500))
    text(msp, "卫生间", (22000, 1500))
    plan = plan_of(doc, tmp_path)
    assert sorted((r.name, round(r.area_m2, 3)) for r in plan.rooms) == [
        ("办公室", 12.0), ("办公室", 12.0), ("卫生间", 12.0), ("档案室", 12.0)]
    gap, tail = sorted(found(plan, "drawing.open-room-outline"), key=lambda f: f.where)
    assert gap.args["gap_m"] == pytest.approx(5.0) and sorted(gap.where) == [(10.0, 0.0), (14.0, 3.0)]
    assert sorted(tail.where) == [(24.0, 3.0), (25.0, 3.5)] and tail.args["layer"] == "A-AREA"


# --- 3. rooms drawn as hatches --------------------------------------------------------------------------


def test_hatch_room_with_a_hole_is_filled_even_odd(tmp_path):
    doc, msp = new_doc()
    h = msp.add_hatch(dxfattribs={"layer": "SPACE"})
    # outer boundary 8 × 6 m, a 2 × 2 m shaft (hole) inside it; the hole is listed first on purpose
    h.paths.add_polyline_path(rect(3000, 2000, 5000, 4000), is_closed=True, flags=16)
    h.paths.add_polyline_path(rect(0, 0, 8000, 6000), is_closed=True, flags=1)
    text(msp, "服务大厅", (1500, 1000))
    plan = plan_of(doc, tmp_path)
    r = only_room(plan)
    assert (r.name, r.type) == ("服务大厅", "hall")
    assert r.area_m2 == pytest.approx(48.0 - 4.0)
    assert len(r.polygon.interiors) == 1


def test_hatch_room_with_an_island_in_its_hole(tmp_path):
    doc, msp = new_doc()
    h = msp.add_hatch(dxfattribs={"layer": "SPACE"})
    h.paths.add_polyline_path(rect(0, 0, 8000, 6000), is_closed=True, flags=1)
    h.paths.add_polyline_path(rect(3000, 2000, 5000, 4000), is_closed=True, flags=16)  # hole 4 m²
    h.paths.add_polyline_path(rect(3500, 2500, 4500, 3500), is_closed=True, flags=16)  # island 1 m²
    text(msp, "办公室", (1500, 1000))
    plan = plan_of(doc, tmp_path)
    # even-odd: 48 − 4 + 1 m² is filled
    assert sum(r.area_m2 for r in plan.rooms) == pytest.approx(45.0)
    assert by_name(plan)["办公室"].area_m2 == pytest.approx(44.0)


def test_hatch_room_with_an_arc_edge(tmp_path):
    doc, msp = new_doc()
    h = msp.add_hatch(dxfattribs={"layer": "SPACE"})
    ep = h.paths.add_edge_path(flags=1)
    ep.add_line((0, 0), (6000, 0))
    ep.add_arc((6000, 2000), radius=2000, start_angle=-90, end_angle=90, ccw=True)  # half-disc east
    ep.add_line((6000, 4000), (0, 4000))
    ep.add_line((0, 4000), (0, 0))
    plan = plan_of(doc, tmp_path)
    assert only_room(plan).area_m2 == pytest.approx(24.0 + HALF_DISC_R2, rel=0.005)


# --- 4. self-intersecting outlines -------------------------------------------------------------------


def test_bow_tie_outline_is_repaired_and_reported(tmp_path, cli):
    doc, msp = new_doc()
    # the 4 × 3 m rectangle with two corners swapped: two triangles meeting at (2, 1.5)
    msp.add_lwpolyline([(0, 0), (4000, 3000), (4000, 0), (0, 3000)], close=True, dxfattribs={"layer": "SPACE"})
    path = save(doc, tmp_path)
    plan = read_plan(path)
    bad = found(plan, "drawing.invalid-polygon")
    assert len(bad) == 1 and bad[0].args["layer"] == "SPACE"
    assert all(r.polygon.is_valid for r in plan.rooms)
    assert sum(r.area_m2 for r in plan.rooms) == pytest.approx(2 * 0.5 * 3.0 * 2.0)  # two 3 m² triangles
    run = cli("check", path, "--format", "json")
    assert run.code in (0, 1), run.err
    assert any(r["rule"] == "drawing.invalid-polygon" for r in run.json["results"])


def test_outline_with_a_small_crossing_loop_keeps_the_room(tmp_path):
    doc, msp = new_doc()
    # the closing side overshoots below y = 0 and crosses the south side: a sliver loop of 0.005 m²
    msp.add_lwpolyline([(0, 0), (5000, 0), (5000, 4000), (0, 4000), (100, -100)], close=True,
                       dxfattribs={"layer": "SPACE"})
    text(msp, "办公室", (2500, 2000))
    plan = plan_of(doc, tmp_path)
    assert len(found(plan, "drawing.invalid-polygon")) == 1
    r = by_name(plan)["办公室"]
    # the slanted closing side cuts y = 0 at x = 0.1 × 4000 / 4100 m: the room loses that triangle
    assert r.area_m2 == pytest.approx(20.0 - 0.5 * 4.0 * (0.1 * 4000 / 4100), rel=1e-6)
    assert r.polygon.is_valid


# --- 5. names, area notes and zone labels from TEXT / MTEXT -------------------------------------------


def test_mtext_with_formatting_codes_names_the_room_and_gives_its_area(tmp_path):
    doc, msp = new_doc()
    room(msp, 0, 0, 8000, 8000)  # 64.00 m² measured
    msp.add_mtext(r"{\fSimSun|b0;服务大厅}\P67.74㎡",
                  dxfattribs={"insert": (4000, 5000), "char_height": 300, "attachment_point": 5,
                              "layer": "PUB_TEXT"})
    text(msp, "等候区", (2000, 2000), 250)
    plan = plan_of(doc, tmp_path)
    hall = only_room(plan)
    assert (hall.name, hall.type) == ("服务大厅", "hall")
    assert hall.stated_area_m2 == pytest.approx(67.74)
    assert hall.area_m2 == pytest.approx(64.0)
    mismatch = found(plan, "drawing.area-mismatch")
    assert len(mismatch) == 1
    assert mismatch[0].args["annotated"] == pytest.approx(67.74)
    assert mismatch[0].args["measured"] == pytest.approx(64.0)
    # the zone label is not the hall's name: it becomes a zone of the hall
    assert [(z.name, z.type, z.room) for z in plan.zones] == [("等候区", "waiting", "服务大厅")]
    assert plan.zones[0].geometry.distance(hall.polygon) == 0


def test_area_note_within_one_percent_is_no_mismatch(tmp_path):
    doc, msp = new_doc()
    room(msp, 0, 0, 8000, 8000)
    msp.add_mtext(r"\A1;{\H1.2x;服务大厅}\P64.20㎡", dxfattribs={"insert": (3000, 5000), "char_height": 300})
    plan = plan_of(doc, tmp_path)
    assert only_room(plan).stated_area_m2 == pytest.approx(64.20)
    assert not found(plan, "drawing.area-mismatch")


def test_a_zone_label_with_its_own_area_note_does_not_annotate_the_room(tmp_path):
    doc, msp = new_doc()
    room(msp, 0, 0, 8000, 8000)  # 64.00 m²
    msp.add_mtext(r"服务大厅\P64.00㎡", dxfattribs={"insert": (4000, 6000), "char_height": 300,
                                                    "attachment_point": 5})
    msp.add_mtext(r"等候区\P20.00㎡", dxfattribs={"insert": (2000, 2000), "char_height": 300,
                                                  "attachment_point": 5})  # drawn after the name
    plan = plan_of(doc, tmp_path)
    hall = only_room(plan)
    assert hall.name == "服务大厅"
    assert hall.stated_area_m2 == pytest.approx(64.0)  # not the waiting zone's 20 m²
    assert not found(plan, "drawing.area-mismatch")
    assert [z.name for z in plan.zones] == ["等候区"]


def test_name_and_area_on_one_line(tmp_path):
    doc, msp = new_doc()
    room(msp, 0, 0, 8000, 8000)
    room(msp, 9000, 0, 13000, 3000)
    text(msp, "服务大厅 67.74㎡", (4000, 4000))
    text(msp, "档案室（12.00m²）", (11000, 1500))
    plan = plan_of(doc, tmp_path)
    rooms = by_name(plan)
    assert set(rooms) == {"服务大厅", "档案室"}
    assert rooms["服务大厅"].stated_area_m2 == pytest.approx(67.74)
    assert rooms["档案室"].stated_area_m2 == pytest.approx(12.0)
    assert [f.args["name"] for f in found(plan, "drawing.area-mismatch")] == ["服务大厅"]


def test_english_multiline_mtext_drops_the_size_note(tmp_path):
    doc, msp = new_doc()
    room(msp, 0, 0, 4000, 3000)
    msp.add_mtext("MASTER\\PBEDROOM\\P12' X 10'", dxfattribs={"insert": (800, 2500), "char_height": 200,
                                                             "layer": "A-AREA-IDEN"})
    r = only_room(plan_of(doc, tmp_path))
    assert r.name == "MASTER BEDROOM"
    assert r.type == "other"


def test_mtext_in_a_wide_box_is_placed_by_its_text_not_its_box(tmp_path):
    doc, msp = new_doc()
    room(msp, 0, 0, 4000, 3000)
    room(msp, 4000, 0, 14000, 3000)
    # a 10 m wide MTEXT box, top-left attachment, drawn from inside the first room: the text itself
    # ("办公室", 0.9 m long) stays in that room even though the box runs into the next one
    msp.add_mtext("办公室", dxfattribs={"insert": (500, 2000), "char_height": 300, "width": 10000,
                                       "attachment_point": 1})
    text(msp, "卫生间", (9000, 1500))
    rooms = by_name(plan_of(doc, tmp_path))
    assert set(rooms) == {"办公室", "卫生间"}
    assert rooms["办公室"].area_m2 == pytest.approx(12.0)


def test_known_room_name_beats_a_taller_room_number(tmp_path):
    doc, msp = new_doc()
    room(msp, 0, 0, 4000, 3000)
    text(msp, "A101", (2000, 2200), 500)
    text(msp, "档案室", (2000, 1000), 300)
    r = only_room(plan_of(doc, tmp_path))
    assert (r.name, r.type) == ("档案室", "archive")
    assert "A101" in r.labels


# --- 6. room types --------------------------------------------------------------------------------------

SYNONYMS = [
    ("服务大厅", "hall"), ("办事大厅", "hall"), ("大厅", "hall"), ("SERVICE HALL", "hall"),
    ("档案室", "archive"), ("档案管理区", "archive"), ("Archive", "archive"),
    ("办公室", "office"), ("Office", "office"),
    ("卫生间", "auxiliary"), ("储藏室", "auxiliary"), ("设备间", "auxiliary"), ("W.C.", "auxiliary"),
    ("公共服务区", "public_service"), ("咨询服务区", "consultation"),
    ("门厅", "circulation"), ("会客", "other"),
]


@pytest.mark.parametrize("name,rtype", SYNONYMS)
def test_room_type_synonyms(name, rtype):
    assert classify.room_type(name) == rtype


@pytest.mark.parametrize("name,rtype", [("办 公 室", "office"), ("档　案　室", "archive"),
                                        ("卫 生 间", "auxiliary")])
def test_room_type_ignores_spacing_between_chinese_characters(name, rtype):
    # drafters space out short names ("办  公  室") so they fill the room; the word is the same
    assert classify.room_type(name) == rtype


def test_room_types_reach_the_plan(tmp_path):
    doc, msp = new_doc()
    names = ["服务大厅", "档案管理区", "办公室", "卫生间", "储藏室", "设备间", "公共服务区", "咨询服务区"]
    for i, name in enumerate(names):
        room(msp, i * 5000, 0, i * 5000 + 4000, 3000)
        text(msp, name, (i * 5000 + 2000, 1500))
    plan = plan_of(doc, tmp_path)
    assert {r.name: r.type for r in plan.rooms} == {
        "服务大厅": "hall", "档案管理区": "archive", "办公室": "office", "卫生间": "auxiliary",
        "储藏室": "auxiliary", "设备间": "auxiliary", "公共服务区": "public_service", "咨询服务区": "consultation"}
    assert not found(plan, "drawing.unknown-room-type")
    assert not plan.zones  # 档案管理区 / 公共服务区 are rooms, not zone labels


def test_mapping_file_adds_layers_and_room_names(tmp_path, cli):
    mapping = tmp_path / "mylayers.toml"
    mapping.write_text('[layers]\nwall = ["QT*"]\nroom = ["FJ-*"]\ndoor = ["MC"]\nignore = ["辅助线"]\n\n'
                       '[room_types]\nhall = ["营业厅"]\nauxiliary = ["配餐间"]\n', encoding="utf-8")
    doc, msp = new_doc()
    msp.add_lwpolyline(rect(0, 0, 10240, 6240), close=True, dxfattribs={"layer": "QT-1"})
    msp.add_lwpolyline(rect(120, 120, 10120, 6120), close=True, dxfattribs={"layer": "QT-1"})
    msp.add_lwpolyline(rect(120, 120, 6120, 6120), close=True, dxfattribs={"layer": "FJ-01"})
    msp.add_lwpolyline(rect(6120, 120, 10120, 6120), close=True, dxfattribs={"layer": "FJ-02"})
    text(msp, "营业厅", (3000, 3000), layer="FJ-TEXT")
    text(msp, "A101", (3000, 4500), 500, layer="FJ-TEXT")  # a taller room number must not win
    text(msp, "配餐间", (8000, 3000), layer="FJ-TEXT")
    text(msp, "临时", (8000, 1000), 800, layer="辅助线")  # construction-line layer: never read
    unit_door_block(doc, "X1")
    msp.add_blockref("X1", (2000, 0), dxfattribs={"layer": "MC", "xscale": 1000, "yscale": 1000})
    path = save(doc, tmp_path)

    # without the mapping none of these layers means anything: only lines and text, read as a schematic
    bare = read_plan(path)
    assert found(bare, "drawing.single-line") and not bare.walls and not bare.openings
    plan = read_plan(path, layer_map=load_mapping(mapping))
    assert {r.name: (r.type, round(r.area_m2, 2)) for r in plan.rooms} == {
        "营业厅": ("hall", 36.0), "配餐间": ("auxiliary", 24.0)}
    assert [round(d.clear_width_mm) for d in plan.doors] == [1000]
    assert plan.storeys[0].footprint_source == "walls"
    assert plan.storeys[0].gross_area_m2 == pytest.approx(10.24 * 6.24, rel=0.005)
    assert not [lb for lb in plan.labels if lb.text == "临时"]
    assert plan.convention == "custom"

    rep = cli("check", path, "--layers", mapping, "--format", "json").json
    assert rep["metrics"]["hall_area_m2"] == pytest.approx(36.0)


# --- 7. doors ---------------------------------------------------------------------------------------


def _door_plan(tmp_path, **insert_attribs):
    doc, msp = new_doc()
    unit_door_block(doc)
    msp.add_blockref("UNITDOOR", (1000, 2000), dxfattribs={"layer": "DOOR_FIRE", **insert_attribs})
    plan = plan_of(doc, tmp_path)
    assert len(plan.doors) == 1, plan.openings
    return plan.doors[0]


def test_door_width_honours_insert_scale(tmp_path):
    d = _door_plan(tmp_path, xscale=900, yscale=900)
    assert d.clear_width_mm == pytest.approx(900)
    assert (d.axis.centroid.x, d.axis.centroid.y) == pytest.approx((1.45, 2.0))


def test_door_width_honours_rotation(tmp_path):
    d = _door_plan(tmp_path, xscale=900, yscale=900, rotation=37)
    assert d.clear_width_mm == pytest.approx(900)
    a = math.radians(37)
    assert (d.axis.centroid.x, d.axis.centroid.y) == pytest.approx(
        (1.0 + 0.45 * math.cos(a), 2.0 + 0.45 * math.sin(a)), abs=1e-6)


def test_door_width_honours_mirroring(tmp_path):
    d = _door_plan(tmp_path, xscale=-900, yscale=900, rotation=37)
    assert d.clear_width_mm == pytest.approx(900)
    a = math.radians(37)
    assert (d.axis.centroid.x, d.axis.centroid.y) == pytest.approx(
        (1.0 - 0.45 * math.cos(a), 2.0 - 0.45 * math.sin(a)), abs=1e-6)


def test_door_width_honours_non_uniform_scale(tmp_path):
    # a 1000 mm door block stretched to 1200 along the wall (its leaf keeps y scale 1)
    doc, msp = new_doc()
    door_block(doc, "DOOR1000", 1000)
    msp.add_blockref("DOOR1000", (0, 0), dxfattribs={"layer": "DOOR_FIRE", "xscale": 1.2, "rotation": 90})
    plan = plan_of(doc, tmp_path)
    assert [round(d.clear_width_mm) for d in plan.doors] == [1200]


def test_nested_door_block(tmp_path):
    doc, msp = new_doc()
    unit_door_block(doc)
    unit = doc.blocks.new("户型A")  # a group block (a unit of rooms) holding a door
    unit.add_blockref("UNITDOOR", (500, 0), dxfattribs={"xscale": 900, "yscale": 900, "rotation": 37})
    unit.add_lwpolyline(rect(0, 0, 4000, 3000), close=True, dxfattribs={"layer": "SPACE"})
    outer = doc.blocks.new("楼层")  # and that block inside another one
    outer.add_blockref("户型A", (0, 0), dxfattribs={"rotation": 90})
    msp.add_blockref("楼层", (10000, 5000))
    plan = plan_of(doc, tmp_path)
    assert [round(d.clear_width_mm) for d in plan.doors] == [900]
    # hand-worked: the door's middle (500 + 450 cos 37°, 450 sin 37°) turned 90° and moved to (10, 5) m
    a = math.radians(37)
    cx, cy = 500 + 450 * math.cos(a), 450 * math.sin(a)
    c = plan.doors[0].axis.centroid
    assert (c.x, c.y) == pytest.approx(((10000 - cy) / 1000, (5000 + cx) / 1000), abs=1e-6)
    assert only_room(plan).area_m2 == pytest.approx(12.0)


@pytest.mark.parametrize("layer", ["0", "PUB_TEXT", "WALL"])
def test_tarch_door_name_on_a_non_door_layer(tmp_path, layer):
    doc, msp = new_doc()
    door_block(doc, "M1021", 1000)
    door_block(doc, "C1815", 1800)  # a window named the TArch way is not a door
    msp.add_blockref("M1021", (0, 0), dxfattribs={"layer": layer, "rotation": 180})
    msp.add_blockref("C1815", (3000, 0), dxfattribs={"layer": layer})
    plan = plan_of(doc, tmp_path)
    assert [(d.block, round(d.clear_width_mm)) for d in plan.doors] == [("M1021", 1000)]
    assert [w.block for w in plan.windows] == ["C1815"]


def test_automatic_door_is_marked(tmp_path):
    doc, msp = new_doc()
    door_block(doc, "自动门1500", 1500)
    msp.add_blockref("自动门1500", (0, 0), dxfattribs={"layer": "DOOR_FIRE"})
    plan = plan_of(doc, tmp_path)
    assert [(round(d.clear_width_mm), d.automatic) for d in plan.doors] == [(1500, True)]


# --- 8. counters --------------------------------------------------------------------------------


@pytest.mark.parametrize("block,tag,value,height", [
    ("柜台", "HEIGHT", "760", 760),
    ("COUNTER", "H", "800", 800),
    ("服务台", "高度", "0.76", 760),
    ("柜台", "台面高度", "0.76", 760),
    ("柜台", "HEIGHT", "1100mm", 1100),
    ("柜台", "HEIGHT", "0.76m", 760),
    ("柜台", "HEIGHT", "76cm", 760),
    ("柜台", "HEIGHT", "76 CM", 760),
    ("柜台", None, None, None),  # no attribute at all
    ("柜台", "HEIGHT", "", None),  # the tag is there, the value left blank
])
def test_counter_height_from_attribute(tmp_path, block, tag, value, height):
    doc, msp = new_doc()
    counter_block(doc, block, tag=tag)
    ref = msp.add_blockref(block, (1000, 1000))
    if tag is not None and value is not None:
        ref.add_auto_attribs({tag: value})
    plan = plan_of(doc, tmp_path)
    assert len(plan.counters) == 1
    c = plan.counters[0]
    assert c.height_mm == (None if height is None else pytest.approx(height))
    assert (round(c.length_mm), round(c.depth_mm)) == (1600, 750)


@pytest.mark.parametrize("rotation", [0, 30, 90, 217])
def test_counter_footprint_regardless_of_rotation(tmp_path, rotation):
    doc, msp = new_doc()
    counter_block(doc, "柜台", 1600, 750)
    ref = msp.add_blockref("柜台", (5000, 5000), dxfattribs={"rotation": rotation, "layer": "PUB_FURN"})
    ref.add_auto_attribs({"HEIGHT": "760"})
    plan = plan_of(doc, tmp_path)
    assert [(round(c.length_mm), round(c.depth_mm), c.height_mm) for c in plan.counters] == [(1600, 750, 760)]
    assert plan.counters[0].footprint.area == pytest.approx(1.6 * 0.75)
    assert not plan.furniture  # a counter on a furniture layer is still a counter


def test_counter_attribute_text_does_not_widen_the_footprint(tmp_path):
    doc, msp = new_doc()
    # the HEIGHT tag sits below the counter's outline, as block authors often place it
    counter_block(doc, "柜台", 1600, 750, tag="HEIGHT", tag_at=(0, -400))
    ref = msp.add_blockref("柜台", (1000, 1000), dxfattribs={"rotation": 30})
    ref.add_auto_attribs({"HEIGHT": "760"})
    plan = plan_of(doc, tmp_path)
    c = plan.counters[0]
    assert (round(c.length_mm), round(c.depth_mm), c.height_mm) == (1600, 750, 760)


# --- 9. several storeys -----------------------------------------------------------------------------


def test_two_files_one_per_storey_sum_their_gross_area(tmp_path, cli):
    d1, m1 = new_doc()
    building(m1, 0, 0, 10240, 8240, name="服务大厅")
    d2, m2 = new_doc()
    building(m2, 0, 0, 6240, 8240, name="档案室")
    f1, f2 = save(d1, tmp_path, "floor1.dxf"), save(d2, tmp_path, "floor2.dxf")
    g1, g2 = 10.24 * 8.24, 6.24 * 8.24

    plan = read_plan([f1, f2])
    assert [s.index for s in plan.storeys] == [0, 1]
    assert [s.gross_area_m2 for s in plan.storeys] == [pytest.approx(g1, rel=0.005), pytest.approx(g2, rel=0.005)]
    assert {r.name: r.storey for r in plan.rooms} == {"服务大厅": 0, "档案室": 1}

    rep = cli("check", f1, f2, "--format", "json").json
    assert rep["metrics"]["gross_area_m2"] == pytest.approx(g1 + g2, abs=0.01)
    assert rep["metrics"]["usable_area_m2"] == pytest.approx(9.76 * 7.76 + 5.76 * 7.76, abs=0.01)
    assert len(rep["drawing"]["storeys"]) == 2


def test_storeys_drawn_in_different_units_sum_in_square_metres(tmp_path):
    d1, m1 = new_doc(insunits=4)
    building(m1, 0, 0, 10240, 8240, name="服务大厅")
    d2, m2 = new_doc(insunits=6)
    building(m2, 0, 0, 6240, 8240, s=0.001, name="档案室")
    plan = read_plan([save(d1, tmp_path, "f1-mm.dxf"), save(d2, tmp_path, "f2-m.dxf")])
    assert plan.units == "mm+m"
    assert sum(s.gross_area_m2 for s in plan.storeys) == pytest.approx(10.24 * 8.24 + 6.24 * 8.24, rel=0.005)
    assert by_name(plan)["档案室"].area_m2 == pytest.approx(5.76 * 7.76)


def test_two_storeys_side_by_side_in_one_drawing(tmp_path, cli):
    doc, msp = new_doc()
    building(msp, 0, 0, 10240, 8240, name="服务大厅")
    building(msp, 30000, 0, 36240, 8240, name="档案室")  # the upper floor, drawn 20 m to the east
    rep = cli("check", save(doc, tmp_path), "--format", "json").json
    assert rep["metrics"]["gross_area_m2"] == pytest.approx(10.24 * 8.24 + 6.24 * 8.24, abs=0.01)
    [storey] = rep["drawing"]["storeys"]
    assert storey["parts"] == 2 and storey["measured_from"] == "walls"


# --- 10. units -------------------------------------------------------------------------------------


@pytest.mark.parametrize("insunits,per_mm,name", [(4, 1.0, "mm"), (5, 0.1, "cm"), (6, 0.001, "m"),
                                                  (1, 1 / 25.4, "inch")])
def test_declared_units_scale_the_plan(tmp_path, insunits, per_mm, name):
    doc, msp = new_doc(insunits)
    building(msp, 0, 0, 6480, 4480, s=per_mm, name="办公室")
    unit_door_block(doc)
    msp.add_blockref("UNITDOOR", (2000 * per_mm, 0), dxfattribs={
        "layer": "DOOR_FIRE", "xscale": 1000 * per_mm, "yscale": 1000 * per_mm})
    plan = plan_of(doc, tmp_path)
    assert plan.units == name
    assert only_room(plan).area_m2 == pytest.approx(6.0 * 4.0, rel=1e-6)
    assert plan.storeys[0].gross_area_m2 == pytest.approx(6.48 * 4.48, rel=0.005)
    assert [round(d.clear_width_mm) for d in plan.doors] == [1000]
    assert not found(plan, "drawing.units-guessed") and not found(plan, "drawing.units-suspect")


@pytest.mark.parametrize("per_mm,name", [(1.0, "mm"), (0.001, "m")])
def test_unitless_drawing_is_guessed_and_said(tmp_path, per_mm, name):
    doc, msp = new_doc(insunits=0)
    building(msp, 0, 0, 6480, 4480, s=per_mm, name="办公室")
    plan = plan_of(doc, tmp_path)
    assert plan.units == name
    assert only_room(plan).area_m2 == pytest.approx(24.0, rel=1e-6)
    guessed = found(plan, "drawing.units-guessed")
    assert len(guessed) == 1 and guessed[0].args["units"] == name and guessed[0].args["insunits"] == 0


def test_declared_unit_that_does_not_fit_the_drawing_is_suspect(tmp_path):
    doc, msp = new_doc(insunits=4)  # says millimetres, drawn in metres: a 6 mm building
    building(msp, 0, 0, 6240, 4240, s=0.001)
    plan = plan_of(doc, tmp_path)
    assert len(found(plan, "drawing.units-suspect")) == 1


# --- 11. code pages --------------------------------------------------------------------------------


def _gbk_r12(tmp_path) -> Path:
    doc, msp = new_doc(insunits=None, version="R12")
    doc.encoding = "gbk"
    msp.add_polyline2d(rect(0, 0, 4000, 3000), close=True, dxfattribs={"layer": "SPACE"})
    msp.add_text("档案室", height=300, dxfattribs={"insert": (1500, 1400), "layer": "PUB_TEXT"})
    path = save(doc, tmp_path, "r12-gbk.dxf")
    data = path.read_bytes()
    assert "档案室".encode("gbk") in data and "档案室".encode("utf-8") not in data  # really GBK bytes
    return path


def test_gbk_r12_text_is_decoded(tmp_path):
    plan = read_plan(_gbk_r12(tmp_path))
    r = only_room(plan)
    assert (r.name, r.type) == ("档案室", "archive")
    assert r.area_m2 == pytest.approx(12.0)
    assert plan.units == "mm" and len(found(plan, "drawing.units-guessed")) == 1


def test_gbk_text_with_a_wrong_code_page_is_read_with_encoding(tmp_path):
    path = _gbk_r12(tmp_path)
    data = path.read_bytes()
    assert b"ANSI_936" in data
    path.write_bytes(data.replace(b"ANSI_936", b"ANSI_1252"))  # the header lies about the code page
    plan = read_plan(path)  # the garbled text is noticed and the drawing read again as GBK
    assert only_room(plan).name == "档案室"
    assert [f.args["used"] for f in plan.findings if f.rule == "drawing.encoding-guessed"] == ["gbk"]
    assert only_room(read_plan(path, encoding="gbk")).name == "档案室"


# --- door symbols -----------------------------------------------------------------------------------


def _door_arcs(plan):
    """Each door's symbol split into (arc length, straight leaf length) in metres."""
    out = []
    for o in sorted((o for o in plan.openings if o.kind == "door"), key=lambda o: o.axis.centroid.coords[0]):
        parts = sorted(o.symbol.geoms, key=lambda g: -len(g.coords))
        out.append((round(o.clear_width_m, 3), [(len(g.coords) > 2, round(g.length, 2)) for g in parts]))
    return out


def test_door_symbols_from_blocks_and_from_loose_arcs_are_the_same(tmp_path):
    """Doors are drawn on the overlay as their leaf and swing — from the block's linework, or from the
    loose LINE + ARC an exploded door leaves behind — and an exploded door is the same opening."""
    from layoutcheck import samples

    blocks = read_plan(samples.save(samples.build(samples.station_tier2_ok()), tmp_path / "blocks.dxf"))
    doc = samples.build(samples.station_tier2_ok())
    for ins in list(doc.modelspace().query("INSERT")):
        if ins.dxf.name.startswith("M"):
            for e in ins.explode():
                e.dxf.layer = "DOOR_FIRE"  # exploded, they would be on layer 0 as in the block
    loose = read_plan(samples.save(doc, tmp_path / "loose.dxf"))
    a, b = _door_arcs(blocks), _door_arcs(loose)
    assert sorted(w for w, _ in a) == [1.0, 1.0, 1.0, 1.5]
    assert sorted(w for w, _ in b) == sorted(w for w, _ in a)
    for width, parts in a + b:
        arcs = [length for curved, length in parts if curved]
        leaves = [length for curved, length in parts if not curved]
        leaf = width / len(arcs)  # a 1.5 m door has two 0.75 m leaves
        assert arcs == [pytest.approx(math.pi / 2 * leaf, rel=0.01)] * len(arcs)  # quarter circles
        assert leaves == [pytest.approx(leaf, abs=0.005)] * len(leaves)


def test_the_same_drawing_problem_in_several_rooms_is_one_result_with_every_place(tmp_path):
    from layoutcheck import Project, check

    doc, msp = new_doc()
    for x in (0, 5000, 10000):
        room(msp, x, 0, x + 4000, 3000)
        text(msp, "GYM", (x + 2000, 1500))
    path = save(doc, tmp_path)
    results = [r for r in check(path, project=Project(population=30000)).results
               if r.rule == "drawing.unknown-room-type"]
    (r,) = results
    assert r.details["places"] == 3 and sorted(r.where) == [[2.0, 1.5], [7.0, 1.5], [12.0, 1.5]]
    assert r.message("en").endswith("(3 places)") and r.message("zh").endswith("（共 3 处）")


@pytest.mark.parametrize("corners, said", [
    (((-120, -120), (11880, 10380)), None),  # along the outer wall faces: 12.0 × 10.5 = 126 m²
    (((-5000, -5000), (20000, 15000)), (500.0, 374.0)),  # the site boundary drawn on the outline layer
    (((-120, -120), (11880, 5000)), (61.44, 64.56)),  # a stale outline: 12.0 × 5.12 m, half the building left out
    (((5880, -120), (17880, 10380)), (126.0, 63.0)),  # the right size, shifted half a building east
])
def test_a_drawn_gross_outline_far_from_the_walls_is_reported(corners, said, tmp_path):
    from layoutcheck import samples

    doc = samples.build(samples.station_tier2_ok())
    (x0, y0), (x1, y1) = corners
    doc.modelspace().add_lwpolyline(rect(x0, y0, x1, y1), close=True, dxfattribs={"layer": "建筑面积"})
    plan = read_plan(samples.save(doc, tmp_path / "outlined.dxf"))
    assert plan.storeys[0].footprint_source == "outline"
    assert plan.storeys[0].footprint.area == pytest.approx((x1 - x0) * (y1 - y0) * 1e-6)  # the drawn outline decides
    got = found(plan, "drawing.outline-mismatch")
    if said is None:
        assert not got
    else:
        (f,) = got
        assert (f.args["drawn_m2"], f.args["off_m2"]) == (pytest.approx(said[0], abs=0.01), pytest.approx(said[1], abs=0.01))
        assert f.args["walls_m2"] == pytest.approx(126.0, abs=0.01)


@pytest.mark.parametrize("mirrored", [False, True])
def test_loose_door_arc_mirrored_in_cad_is_the_same_door(mirrored, tmp_path):
    """CAD's MIRROR leaves an arc with extrusion −Z, its centre in its own (mirrored) coordinates: the door is
    still 0.9 m wide, hinged at its jamb, its swing drawn where it is."""
    doc, msp = new_doc()
    msp.add_lwpolyline(rect(0, 0, 2000, 200), close=True, dxfattribs={"layer": "WALL"})
    msp.add_lwpolyline(rect(2900, 0, 6000, 200), close=True, dxfattribs={"layer": "WALL"})
    if mirrored:  # hinge at (2900, 200): the mirror image of a door hinged at (−2900, 200)
        msp.add_arc((-2900, 200), 900, 0, 90, dxfattribs={"layer": "DOOR_FIRE", "extrusion": (0, 0, -1)})
    else:  # hinge at (2000, 200)
        msp.add_arc((2000, 200), 900, 0, 90, dxfattribs={"layer": "DOOR_FIRE"})
    (door,) = plan_of(doc, tmp_path).openings
    assert door.clear_width_m == pytest.approx(0.9)
    assert sorted(door.axis.coords) == [pytest.approx((2.0, 0.2)), pytest.approx((2.9, 0.2))]
    assert door.symbol.bounds == pytest.approx((2.0, 0.2, 2.9, 1.1), abs=0.01)



def test_thousands_of_the_same_drawing_problem_are_one_result_per_kind(tmp_path):
    """80 open polylines and 80 rooms named GYM: two results, each counting its 80 places; every open
    polyline's gap listed to draw (up to MAX_DRAWING_ITEMS), each place's own message in details."""
    from layoutcheck import Project, check
    from layoutcheck.rules import MAX_DRAWING_ITEMS

    doc, msp = new_doc()
    room(msp, 0, 0, 4000, 3000)
    for i in range(80):  # open polylines on the room layer, each with its own 0.3 m gap
        msp.add_lwpolyline([(10000 + i * 500, 0), (10000 + i * 500, 3000), (10300 + i * 500, 3000)],
                           dxfattribs={"layer": "SPACE"})
        room(msp, 10000 + i * 500, 5000, 10400 + i * 500, 8000)  # and as many rooms named GYM: one result
        text(msp, "GYM", (10200 + i * 500, 6500), h=100)
    done = check(save(doc, tmp_path), project=Project(population=30000))
    (gym,) = [r for r in done.results if r.rule == "drawing.unknown-room-type"]
    assert gym.details["places"] == 80 and len(gym.where) == 80
    (gaps,) = [r for r in done.results if r.rule == "drawing.open-room-outline"]
    assert gaps.details["places"] == 80 and len(gaps.details["gaps"]) == min(80, MAX_DRAWING_ITEMS)
    assert all(math.dist(*g) == pytest.approx(math.hypot(300, 3000) / 1000) for g in gaps.details["gaps"])
    assert "80" in gaps.message("en")
    listed = gaps.as_dict("en")["details"]["findings"]
    assert len(listed) == 80 and all("open" in f["message"] for f in listed)


def test_a_pier_is_not_bridged_round_a_corner_but_a_post_between_doorways_is(tmp_path):
    """Rooms from walls bridge wall ends across empty doorways. A 0.4 × 0.4 m pier 1 m from two walls of a
    room is bridged to neither (bridged to both, it would cut off a false 1 m² room in the corner); a 0.2 m
    post standing in a wall line between two empty 0.9 m doorways is bridged to both sides, so the wall
    line closes and the two rooms on either side are found."""
    doc, msp = new_doc()
    msp.add_lwpolyline(rect(-240, -240, 10240, 8240), close=True, dxfattribs={"layer": "WALL"})
    msp.add_lwpolyline(rect(0, 0, 10000, 8000), close=True, dxfattribs={"layer": "WALL"})
    msp.add_lwpolyline(rect(1000, 1000, 1400, 1400), close=True, dxfattribs={"layer": "WALL"})  # the pier
    assert [round(r.area_m2, 2) for r in plan_of(doc, tmp_path, "pier.dxf").rooms] == [80.0]
    # a wall across the room at x = 6000 … 6200, from y = 0 to 3000 and from 5000 to 8000, with a post
    # (y 3900 … 4100) in the 2 m between: two empty doorways of 0.9 m
    msp.add_lwpolyline(rect(6000, 0, 6200, 3000), close=True, dxfattribs={"layer": "WALL"})
    msp.add_lwpolyline(rect(6000, 5000, 6200, 8000), close=True, dxfattribs={"layer": "WALL"})
    msp.add_lwpolyline(rect(6000, 3900, 6200, 4100), close=True, dxfattribs={"layer": "WALL"})
    rooms = sorted(round(r.area_m2, 2) for r in plan_of(doc, tmp_path, "post.dxf").rooms)
    assert rooms == [30.4, 48.0]  # 3.8 × 8 m east of the wall line, 6 × 8 m west of it (the pier stands inside)
