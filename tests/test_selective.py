"""The selective reader (layoutcheck.ingest.selective) against the full one.

What it leaves out must be exactly what the extractor never reads: the report of every drawing we have — the
bundled plans, the real drawings in ../shared/dxf-corpus*/ and the benchmark's cluttered plan — is the same
byte for byte whether the file is read selectively or in full (LAYOUTCHECK_FULL_READ=1).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import ezdxf
import pytest

from layoutcheck.conventions import ROLES
from layoutcheck.ingest import read_plan, selective
from layoutcheck.ingest.extract import Extractor, reads, wanted_by
from layoutcheck.ingest.layers import LayerMap
from layoutcheck.ingest.reader import open_dxf

from .conftest import CORPUS, CORPUS_CN, PLANS, ROOT, corpus_files, require

sys.path.insert(0, str(ROOT / "bench"))
import bench  # noqa: E402  (the benchmark's plan generator)

ALL_DRAWINGS = sorted(PLANS.glob("*.dxf")) + corpus_files(CORPUS) + corpus_files(CORPUS_CN)


def _report(cli, monkeypatch, path: Path, full: bool) -> tuple[int, str, str]:
    if full:
        monkeypatch.setenv(selective.ENV_FULL, "1")
    else:
        monkeypatch.delenv(selective.ENV_FULL, raising=False)
    run = cli("check", path, "--format", "json")
    return run.code, run.out, run.err


@pytest.mark.parametrize("path", ALL_DRAWINGS, ids=lambda p: p.name)
def test_same_report_as_full_read(path, cli, monkeypatch):
    require(path)
    assert _report(cli, monkeypatch, path, full=False) == _report(cli, monkeypatch, path, full=True)


@pytest.fixture(scope="module")
def cluttered(tmp_path_factory) -> Path:
    """The benchmark's large plan (the station on a site sheet of dimensions, hatches, site lines, notes,
    furniture and trees), drawn at 1.5 MB instead of 15 to keep the suite quick: the same content per cell."""
    return bench.large_plan(tmp_path_factory.mktemp("bench") / "large.dxf", target_mb=1.5)


def test_bench_plan_same_report_and_smaller_document(cluttered, cli, monkeypatch):
    assert _report(cli, monkeypatch, cluttered, full=False) == _report(cli, monkeypatch, cluttered, full=True)
    monkeypatch.delenv(selective.ENV_FULL)
    full = ezdxf.readfile(cluttered)
    doc, _ = open_dxf(cluttered, wanted=wanted_by(LayerMap()))
    sel = selective.selection(doc)
    assert sel is not None  # read selectively, not quietly in full
    msp_full = [e.dxftype() for e in full.modelspace()]
    msp_kept = [e.dxftype() for e in selective.entities(doc)]
    # Counted by hand from the generator: every DIMENSION, HATCH and SPLINE of the site is left out, every block
    # reference kept; the dimensions' own anonymous blocks go with them.
    assert msp_kept.count("DIMENSION") == 0 and msp_kept.count("SPLINE") == 0
    assert msp_kept.count("INSERT") == msp_full.count("INSERT")
    # The furniture, trees and doors carry no attributes: all are read from their tags; the counters (with
    # attributes) are built by ezdxf.
    counters = sum(1 for e in full.modelspace() if e.dxftype() == "INSERT" and e.attribs)
    assert counters == 4
    assert len(selective.light_inserts(doc)) == msp_full.count("INSERT") - counters
    assert [e.dxftype() for e in doc.modelspace()].count("INSERT") == counters
    assert sel.dropped == len(msp_full) - len(msp_kept)
    assert sel.blocks == msp_full.count("DIMENSION") > 0
    assert {"PUB_DIM", "PUB_HATCH", "SITE", "DOTE", "LANDSCAPE"} <= sel.layers
    assert not any(b.name.startswith("*D") for b in doc.blocks)


def test_full_read_switch(cluttered, monkeypatch):
    monkeypatch.setenv(selective.ENV_FULL, "1")
    doc, _ = open_dxf(cluttered, wanted=wanted_by(LayerMap()))
    assert selective.selection(doc) is None


# --- reads() mirrors the extractor ------------------------------------------------------------------------
def _add(msp, kind: str, layer: str) -> None:
    a = {"layer": layer}
    sq = [(0, 0), (4000, 0), (4000, 3000), (0, 3000)]
    if kind == "LINE":
        msp.add_line((0, 0), (4000, 0), dxfattribs=a)
    elif kind == "ARC":
        msp.add_arc((0, 0), 900, 0, 90, dxfattribs=a)
    elif kind == "CIRCLE":
        msp.add_circle((0, 0), 300, dxfattribs=a)
    elif kind == "ELLIPSE":
        msp.add_ellipse((0, 0), (2000, 0), 0.5, dxfattribs=a)
    elif kind == "LWPOLYLINE":
        msp.add_lwpolyline(sq, close=True, dxfattribs=a)
    elif kind == "POLYLINE":
        msp.add_polyline2d(sq, close=True, dxfattribs=a)
    elif kind == "HATCH":
        msp.add_hatch(dxfattribs=a).paths.add_polyline_path(sq, is_closed=True)
    elif kind in ("SOLID", "TRACE"):
        getattr(msp, f"add_{kind.lower()}")([(0, 0), (400, 0), (0, 300), (400, 300)], dxfattribs=a)
    elif kind == "SPLINE":
        msp.add_spline([(0, 0), (1000, 500), (2000, 0), (3000, 800)], dxfattribs=a)
    elif kind == "DIMENSION":
        msp.add_linear_dim(base=(0, 500), p1=(0, 0), p2=(4000, 0), dxfattribs=a).render()
    elif kind == "LEADER":
        msp.add_leader([(0, 0), (500, 500), (900, 500)], dxfattribs=a)
    elif kind == "POINT":
        msp.add_point((10, 10), dxfattribs=a)
    elif kind == "3DFACE":
        msp.add_3dface([(0, 0), (400, 0), (400, 300)], dxfattribs=a)
    elif kind in ("RAY", "XLINE"):
        getattr(msp, f"add_{kind.lower()}")((0, 0), (1, 0), dxfattribs=a)
    elif kind == "MLINE":
        msp.add_mline(sq, dxfattribs=a)
    elif kind == "TEXT":
        msp.add_text("服务大厅", height=300, dxfattribs=a).set_placement((100, 100))
    elif kind == "MTEXT":
        msp.add_mtext("档案室", dxfattribs={**a, "char_height": 300}).set_location((100, 100))
    else:
        raise AssertionError(kind)


TYPES = sorted((selective.DROPPABLE - {"ARC_DIMENSION", "LARGE_RADIAL_DIMENSION", "MULTILEADER", "MLEADER"})
               | selective.TEXTS)


def _extracted(kind: str, role: str | None):
    doc = ezdxf.new("R2010")
    _add(doc.modelspace(), kind, "L-THIS")
    layer_map = LayerMap(custom={role: ("L-THIS",)} if role else {}, unmapped=None)
    assert layer_map.role("L-THIS") == role
    raw = Extractor(doc, layer_map, flatten=10.0).run()
    return (any(raw.rings.values()) or any(raw.lines.values()) or raw.open_room_lines or raw.inserts
            or raw.door_arcs or raw.labels or raw.proxies or raw.extent[0] < math.inf)


@pytest.mark.parametrize("role", [*ROLES, None])
def test_reads_is_what_the_extractor_reads(role):
    """For every type the reader may leave out and every layer role: the extractor takes something from the
    entity exactly when ``reads`` says so (an ELLIPSE, SPLINE, DIMENSION … never; a LINE on a wall layer, a
    CIRCLE on a column layer, a TEXT anywhere but an ignored layer do)."""
    got = {kind: bool(_extracted(kind, role)) for kind in TYPES}
    assert got == {kind: reads(kind, role) for kind in TYPES}


# --- what must never be left out -----------------------------------------------------------------------------
def test_bad_numbers_in_left_out_entities_read_in_full(tmp_path):
    """A NaN on an ignored layer: the guard would drop and report it, so the file is read in full and the
    report says the same as before."""
    doc = ezdxf.new("R2010")
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (6000, 0), (6000, 5000), (0, 5000)], close=True, dxfattribs={"layer": "WALL"})
    msp.add_line((0, 0), (1000, 0), dxfattribs={"layer": "PUB_DIM"})
    msp.add_line((0, 0), (float("nan"), 0), dxfattribs={"layer": "PUB_DIM"})
    path = tmp_path / "nan.dxf"
    doc.saveas(path)
    sel, findings = open_dxf(path, wanted=wanted_by(LayerMap()))
    assert selective.selection(sel) is None
    assert [(f.rule, f.args) for f in findings] == [("drawing.bad-numbers", {"count": 1})]


def test_schematic_reads_unmapped_lines_in_full(tmp_path):
    """A single-line schematic (rooms as lines on layer 0, names inside): the lines sit on an unmapped layer,
    which the selective read leaves out; the schematic's second pass reads the file in full and finds the
    room — 6 m × 5 m = 30 m², as drawn."""
    doc = ezdxf.new("R2010")
    msp = doc.modelspace()
    for a, b in (((0, 0), (6000, 0)), ((6000, 0), (6000, 5000)), ((6000, 5000), (0, 5000)), ((0, 5000), (0, 0))):
        msp.add_line(a, b)
    msp.add_text("服务大厅", height=300).set_placement((2000, 2500))
    doc.header["$INSUNITS"] = 4
    path = tmp_path / "schematic.dxf"
    doc.saveas(path)
    plan = read_plan(path)
    assert "drawing.single-line" in [f.rule for f in plan.findings]
    assert [round(r.area_m2, 2) for r in plan.rooms] == [30.0]


# --- encodings, versions, line ends -----------------------------------------------------------------------
def _cluttered_doc(dxfversion: str):
    """The bundled station with the clutter of a real sheet: dimension chains (each with its *D block) on a
    Chinese-named dimension layer, site lines on an unmapped Chinese layer, Chinese notes, and hatches (R2000+)."""
    import random

    from layoutcheck import samples

    layout = samples.station_tier2_ok()
    doc = samples.build(layout, dxfversion=dxfversion)
    bench.setup_layers(doc)
    msp = doc.modelspace()
    for name in ("尺寸标注", "总图线"):
        doc.layers.add(name)
    xs = [0, 3000, 7500, 12000, 18000]
    bench.add_dim_chain(msp, xs, -2000)
    for dim in msp.query("DIMENSION"):
        dim.dxf.layer = "尺寸标注"
    for i in range(40):
        msp.add_line((-20000 + 500 * i, -30000), (-20000 + 500 * i, -25000), dxfattribs={"layer": "总图线"})
    if dxfversion != "R12":  # no MTEXT or HATCH in R12
        bench.add_notes(msp, random.Random(3), (-2000, -8000), 12)
        bench.floor_hatches(msp, layout, walls=True)
    else:
        for i in range(12):
            msp.add_text(f"说明 {i}", height=300, dxfattribs={"layer": "DESIGN_NOTE"}).set_placement((0, -8000 - 500 * i))
    return doc


def _variant(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.dxf"
    if name == "r12":
        _cluttered_doc("R12").saveas(path)
    elif name == "gbk":  # an R2000 file in code page 936
        doc = _cluttered_doc("R2000")
        doc.encoding = "gbk"
        doc.saveas(path)
    elif name == "gbk-declared-1252":  # GBK bytes declared ANSI_1252: the encoding guess re-reads it
        doc = _cluttered_doc("R2000")
        doc.encoding = "gbk"
        doc.saveas(path)
        raw = path.read_bytes()
        assert b"ANSI_936" in raw
        path.write_bytes(raw.replace(b"ANSI_936", b"ANSI_1252"))
    elif name == "escapes":  # R2000 in cp1252: every Chinese character written as \U+XXXX
        _cluttered_doc("R2000").saveas(path)
        assert b"\\U+" in path.read_bytes()
    elif name == "crlf":
        _cluttered_doc("R2018").saveas(path)
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    return path


@pytest.mark.parametrize("name", ["r12", "gbk", "gbk-declared-1252", "escapes", "crlf"])
def test_versions_encodings_line_ends(name, tmp_path, cli, monkeypatch):
    path = _variant(tmp_path, name)
    assert _report(cli, monkeypatch, path, full=False) == _report(cli, monkeypatch, path, full=True)
    monkeypatch.delenv(selective.ENV_FULL)
    doc, _ = open_dxf(path, wanted=wanted_by(LayerMap()))
    sel = selective.selection(doc)
    assert sel is not None and {"尺寸标注", "总图线"} <= sel.layers or name == "gbk-declared-1252"
    assert sel.blocks == 4  # the four dimensions of the chain, each with its own block
    assert not any(e.dxftype() == "DIMENSION" for e in doc.modelspace())


# --- block references read from their tags ---------------------------------------------------------------
def _light_doc(tmp_path: Path, name: str, add) -> Path:
    doc = ezdxf.new("R2010")
    blk = doc.blocks.new("沙发", base_point=(100, 50))
    blk.add_lwpolyline([(0, 0), (1800, 0), (1800, 800), (0, 800)], close=True)
    tag = doc.blocks.new("COUNTER-A")
    tag.add_lwpolyline([(0, 0), (1500, 0), (1500, 700), (0, 700)], close=True)
    tag.add_attdef("HEIGHT", (0, 0), dxfattribs={"height": 100})
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (9000, 0), (9000, 6000), (0, 6000)], close=True, dxfattribs={"layer": "WALL"})
    add(msp)
    path = tmp_path / f"{name}.dxf"
    doc.saveas(path)
    return path


def _inserts_both_ways(path: Path):
    full = [e for e in ezdxf.readfile(path).modelspace() if e.dxftype() == "INSERT"]
    doc, _ = open_dxf(path, wanted=wanted_by(LayerMap()))
    return full, [e for e in selective.entities(doc) if e.dxftype() == "INSERT"], selective.light_inserts(doc)


def test_light_references_place_blocks_as_ezdxf_does(tmp_path):
    """Rotated, mirrored, scaled, on a tilted plane (extrusion), with a 2D insertion point (no z): the matrix
    each light reference gives is ezdxf's own for the same entity read in full, number for number, and the
    block's corners land where ezdxf's full read puts them."""
    def add(msp):
        msp.add_blockref("沙发", (3000, 2000), dxfattribs={"layer": "FURNITURE", "rotation": 30})
        msp.add_blockref("沙发", (5000, 1000), dxfattribs={"layer": "FURNITURE", "xscale": -1, "yscale": 2.5})
        msp.add_blockref("沙发", (1000, 4000), dxfattribs={"layer": "FURNITURE", "extrusion": (0, 0, -1)})
        msp.add_blockref("沙发", (2000, 5000), dxfattribs={"layer": "FURNITURE", "extrusion": (0.6, 0, 0.8),
                                                          "rotation": 90, "color": 3, "linetype": "DASHED"})

    path = _light_doc(tmp_path, "placed", add)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(" 10\n1000.0\n 20\n4000.0\n 30\n0.0\n", " 10\n1000.0\n 20\n4000.0\n"),
                    encoding="utf-8")  # a 2D insertion point, as some programs write it
    full, seen, light = _inserts_both_ways(path)
    assert len(light) == 4 and seen == light
    for f, lt in zip(full, light):
        assert list(lt.matrix44()) == list(f.matrix44())
        assert lt.dxf.name == f.dxf.name and lt.dxf.layer == f.dxf.layer
    # Hand check of the first: base point (100, 50) → the block's origin sits at (3000, 2000) minus the base
    # point rotated by 30°: x = 3000 − (100 cos30 − 50 sin30) = 2938.40, y = 2000 − (100 sin30 + 50 cos30) = 1906.70
    origin = light[0].matrix44().transform((0, 0, 0))
    assert (round(origin.x, 2), round(origin.y, 2)) == (2938.40, 1906.70)


def test_light_reference_explodes_like_the_real_one(tmp_path):
    """A block that is neither door, window, counter nor furniture is exploded: the light reference's
    virtual entities are the full read's, vertex for vertex."""
    def add(msp):
        msp.add_blockref("沙发", (3000, 2000), dxfattribs={"layer": "SOMETHING", "rotation": 45, "xscale": 2})

    full, _, light = _inserts_both_ways(_light_doc(tmp_path, "explode", add))
    got = [list(e.get_points("xy")) for e in light[0].virtual_entities()]
    want = [list(e.get_points("xy")) for e in full[0].virtual_entities()]
    assert got == want and len(got) == 1


@pytest.mark.parametrize("case", ["attributes", "minsert", "paper", "xdata", "nan", "zero-scale"])
def test_references_that_are_not_plain_are_built_by_ezdxf(case, tmp_path):
    """Attributes, an array (MINSERT), paper space, extended data, a NaN or a zero scale: these are left to
    ezdxf (and the guard), never read from their tags."""
    def add(msp):
        if case == "attributes":
            msp.add_blockref("COUNTER-A", (1000, 1000)).add_auto_attribs({"HEIGHT": "800"})
        elif case == "minsert":
            msp.add_blockref("沙发", (1000, 1000)).grid(size=(2, 3), spacing=(1000, 2000))
        elif case == "paper":
            msp.doc.paperspace().add_blockref("沙发", (1000, 1000))
        elif case == "xdata":
            msp.add_blockref("沙发", (1000, 1000)).set_xdata("ACAD", [(1000, "note")])
        elif case == "nan":
            msp.add_blockref("沙发", (1000, 1000), dxfattribs={"rotation": float("nan")})
        elif case == "zero-scale":  # ezdxf will not write a zero scale: 2.0 is made 0.0 in the file below
            msp.add_blockref("沙发", (1000, 1000), dxfattribs={"xscale": 2.0})

    path = _light_doc(tmp_path, case, add)
    if case == "zero-scale":
        text = path.read_text(encoding="utf-8")
        assert text.count(" 41\n2.0\n") == 1
        path.write_text(text.replace(" 41\n2.0\n", " 41\n0.0\n"), encoding="utf-8")
    doc, _ = open_dxf(path, wanted=wanted_by(LayerMap()))
    assert selective.light_inserts(doc) == []


def test_light_references_keep_the_drawing_order(tmp_path):
    """The extractor meets entities in the drawing's order, light or not: a plain reference, one with
    attributes, a plain one, a text, a plain one."""
    def add(msp):
        msp.add_blockref("沙发", (1000, 1000), dxfattribs={"layer": "FURNITURE"})
        msp.add_blockref("COUNTER-A", (2000, 1000), dxfattribs={"layer": "COUNTER"}).add_auto_attribs({"HEIGHT": "800"})
        msp.add_blockref("沙发", (3000, 1000), dxfattribs={"layer": "FURNITURE"})
        msp.add_text("服务大厅", height=300).set_placement((4000, 3000))
        msp.add_blockref("沙发", (5000, 1000), dxfattribs={"layer": "FURNITURE"})

    path = _light_doc(tmp_path, "order", add)
    def seen(entities):
        return [(e.dxftype(), e.dxf.name, e.dxf.insert.x) if e.dxftype() == "INSERT" else e.dxftype() for e in entities]

    doc, _ = open_dxf(path, wanted=wanted_by(LayerMap()))
    assert len(selective.light_inserts(doc)) == 3
    assert seen(selective.entities(doc)) == seen(ezdxf.readfile(path).modelspace()) == [
        "LWPOLYLINE", ("INSERT", "沙发", 1000), ("INSERT", "COUNTER-A", 2000), ("INSERT", "沙发", 3000), "TEXT",
        ("INSERT", "沙发", 5000)]


def test_guard_deletes_among_light_references(tmp_path):
    """A wall with a NaN that the extractor reads is built, screened and dropped by the guard (reported
    once); the light references around it keep their places."""
    def add(msp):
        msp.add_blockref("沙发", (1000, 1000), dxfattribs={"layer": "FURNITURE"})
        msp.add_lwpolyline([(0, 0), (float("nan"), 0), (10, 10)], dxfattribs={"layer": "WALL"})
        msp.add_blockref("沙发", (3000, 1000), dxfattribs={"layer": "FURNITURE"})

    path = _light_doc(tmp_path, "guarded", add)
    doc, findings = open_dxf(path, wanted=wanted_by(LayerMap()))
    assert [(f.rule, f.args) for f in findings] == [("drawing.bad-numbers", {"count": 1})]
    assert [(e.dxftype(), e.dxf.get("insert", (0,))[0]) if e.dxftype() == "INSERT" else e.dxftype()
            for e in selective.entities(doc)] == ["LWPOLYLINE", ("INSERT", 1000), ("INSERT", 3000)]


def test_header_read_from_the_bytes_in_hand(cluttered, monkeypatch):
    """The version and code page come from the bytes already read, not from opening the file again."""
    import ezdxf.filemanagement

    version = ezdxf.readfile(cluttered).dxfversion

    def reopened(*_a, **_k):
        raise AssertionError("the file was opened again for its header")

    monkeypatch.setattr(ezdxf.filemanagement, "dxf_file_info", reopened)
    monkeypatch.delenv(selective.ENV_FULL, raising=False)
    doc = selective.read(cluttered, None, wanted_by(LayerMap()))
    assert doc is not None and doc.dxfversion == version


# --- texts read from their tags ------------------------------------------------------------------------------
def _texts_doc(tmp_path: Path, name: str, add, version: str = "R2010") -> Path:
    """A wall, the SAMPLE first texts (the encoding guess reads those as ezdxf builds them), then ``add``'s."""
    from layoutcheck.ingest.encoding import SAMPLE

    doc = ezdxf.new(version)
    msp = doc.modelspace()
    msp.add_polyline2d([(0, 0), (9000, 0), (9000, 6000), (0, 6000)], close=True, dxfattribs={"layer": "WALL"})
    for i in range(SAMPLE):
        msp.add_text(f"N{i}", height=100, dxfattribs={"layer": "NOTES"}).set_placement((20000, 100 * i))
    add(msp)
    path = tmp_path / f"{name}.dxf"
    doc.saveas(path)
    return path


@pytest.mark.parametrize("version", ["R2010", "R12"])
def test_light_texts_give_the_labels_ezdxf_gives(tmp_path, version, monkeypatch):
    """Left, centred, right, middle, aligned and fit texts, rotated, mirrored (extrusion −Z), with a width
    factor and a formatting code: each label (text, centre, height) read from the tags is the one read from
    ezdxf's entity, number for number."""
    from ezdxf.enums import TextEntityAlignment as A

    from layoutcheck.ingest.text import text_label

    def add(msp):
        for i, (align, extra) in enumerate([
                (A.LEFT, {}), (A.CENTER, {"rotation": 30}), (A.RIGHT, {"width": 0.8}), (A.MIDDLE, {}),
                (A.TOP_CENTER, {}), (A.ALIGNED, {}), (A.FIT, {"rotation": 90}), (A.LEFT, {"extrusion": (0, 0, -1)})]):
            t = msp.add_text(f"服务大厅%%c{i}", height=350, dxfattribs={"layer": "ROOM-NAMES", **extra})
            if align in (A.ALIGNED, A.FIT):
                t.set_placement((1000 * i, 500), (1000 * i + 2400, 600), align=align)
            else:
                t.set_placement((1000 * i, 500), align=align)

    path = _texts_doc(tmp_path, f"texts-{version}", add, version)
    monkeypatch.setenv(selective.ENV_FULL, "1")  # the full read, \\U+ escapes of R12 decoded as the reader does
    whole, _ = open_dxf(path, wanted=wanted_by(LayerMap()))
    full = [e for e in whole.modelspace() if e.dxftype() == "TEXT" and e.dxf.layer == "ROOM-NAMES"]
    monkeypatch.delenv(selective.ENV_FULL)
    doc, _ = open_dxf(path, wanted=wanted_by(LayerMap()))
    light = [e for e in selective.light_entities(doc) if e.dxftype() == "TEXT" and e.dxf.layer == "ROOM-NAMES"]
    assert len(light) == len(full) == 8 and all(isinstance(e, selective.LightText) for e in light)
    assert [text_label(e) for e in light] == [text_label(e) for e in full]
    assert text_label(light[0])[0] == "服务大厅Ø0"  # %%c is ezdxf's diameter sign, as in the full read


def test_texts_that_are_not_plain_are_built_by_ezdxf(tmp_path):
    """Extended data on a text, or a text among the first the encoding guess samples: built by ezdxf."""
    def add(msp):
        msp.add_text("档案室", height=350, dxfattribs={"layer": "ROOM-NAMES"}).set_xdata("ACAD", [(1000, "x")])

    doc, _ = open_dxf(_texts_doc(tmp_path, "xdata", add), wanted=wanted_by(LayerMap()))
    built = [e.dxf.text for e in doc.modelspace() if e.dxftype() == "TEXT"]
    assert "档案室" in built and "N0" in built
    assert not any(e.dxftype() == "TEXT" for e in selective.light_entities(doc))
