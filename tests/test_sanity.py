"""Measured areas that cannot be right are said (user trial): a usable area larger than the gross area
(drawing.usable-exceeds-gross), and a gross area no building has, with the --units value that fixes it
(drawing.units-suspect). Figures are worked by hand from the plans in tests/plans.py, or read from the
real drawing with ezdxf's own bounding box."""

from __future__ import annotations

from dataclasses import replace

import pytest
from shapely.affinity import scale
from shapely.geometry import box

from layoutcheck.ingest.units import PLAUSIBLE_GROSS_M2, PLAUSIBLE_SPAN_M, suggest
from layoutcheck.model import Room
from layoutcheck.pipeline import check_plan
from layoutcheck.rules import Project
from layoutcheck.rules.sanity import usable_over_gross_tolerance_m2

from . import plans as P
from .conftest import CORPUS_CN, require


def _report(plan, lang="zh"):
    return check_plan(plan, "kaifeng-2014", Project(population=30000)).report(lang)


def _result(report, rule):
    hits = [r for r in report["results"] if r["rule"] == rule]
    assert len(hits) <= 1, hits
    return hits[0] if hits else None


# --- usable > gross --------------------------------------------------------------------------------------
def test_the_right_station_says_nothing():
    rep = _report(P.station())  # gross 120 m², usable 107.68 m²
    assert _result(rep, "drawing.usable-exceeds-gross") is None
    assert _result(rep, "drawing.units-suspect") is None


def test_a_room_drawn_twice_makes_usable_exceed_gross_and_says_so():
    # the hall outline drawn a second time (a copy on the same layer): usable 107.68 + 69.60 = 177.28 m²,
    # gross 120.00 m², 57.28 m² more, all of it overlap (69.60 m² covered twice), nothing outside
    plan = P.station()
    plan = replace(plan, rooms=(*plan.rooms, Room("服务大厅", "hall", P.HALL, "SPACE")))
    zh, en = _report(plan, "zh"), _report(plan, "en")
    assert (zh["metrics"]["usable_area_m2"], zh["metrics"]["gross_area_m2"]) == (177.28, 120.0)
    r = _result(zh, "drawing.usable-exceeds-gross")
    assert r["status"] == "warn"
    assert "使用面积 177.28 m² 大于建筑面积 120.00 m²（多 57.28 m²）" in r["message"]
    assert "重叠 69.60 m²" in r["message"] and "超出建筑外轮廓 0.00 m²" in r["message"]
    assert r["where"] == []  # the overlap is marked by drawing.overlapping-rooms's own places
    msg = _result(en, "drawing.usable-exceeds-gross")["message"]
    assert "usable area 177.28 m² exceeds the gross area 120.00 m² by 57.28 m²" in msg
    assert "overlap by 69.60 m²" in msg and "check the room outlines" in msg


def test_a_gross_line_around_part_of_the_building_says_what_lies_outside():
    # the gross-area line drawn round the hall's half only (y 0–6.3: 75.60 m²); the archive, office and
    # toilet (y 6.4–9.8) lie outside it: 12.92 + 12.92 + 12.24 = 38.08 m²; usable 107.68, 32.08 m² more
    plan = P.station()
    part = replace(plan.storeys[0], footprint=box(0, 0, 12, 6.3))
    rep = _report(replace(plan, storeys=(part,)))
    assert rep["metrics"]["gross_area_m2"] == 75.6
    r = _result(rep, "drawing.usable-exceeds-gross")
    assert "使用面积 107.68 m² 大于建筑面积 75.60 m²（多 32.08 m²）" in r["message"]
    assert "重叠 0.00 m²" in r["message"] and "超出建筑外轮廓 38.08 m²" in r["message"]
    (x, y), = r["where"]
    assert y > 6.4 and 0.2 < x < 8.0  # inside the archive or the office (12.92 m² each, the largest pieces)


@pytest.mark.parametrize("room_h, warns", [(10.04, False), (10.06, True)])
def test_the_tolerance_is_half_a_square_metre_on_a_small_plan(room_h, warns):
    # gross 10 × 10 = 100 m²: the tolerance is max(0.5 m², 0.5 % × 100 m²) = 0.5 m²; one room 10 × room_h
    plan = P.station()
    storey = replace(plan.storeys[0], footprint=box(0, 0, 10, 10))
    plan = replace(plan, storeys=(storey,), rooms=(Room("服务大厅", "hall", box(0, 0, 10, room_h), "SPACE"),))
    assert (_result(_report(plan), "drawing.usable-exceeds-gross") is not None) == warns


def test_the_tolerance_grows_with_the_plan():
    assert usable_over_gross_tolerance_m2(100.0) == 0.5 and usable_over_gross_tolerance_m2(1000.0) == 5.0


# --- an implausible area: the --units value that makes it a building --------------------------------------
def _scaled(plan, k: float, units: str, unit_m: float):
    """The station drawn k times too small (or large) and read in ``units``: every outline scaled by k."""
    s = lambda g: scale(g, k, k, origin=(0, 0))  # noqa: E731
    storey = replace(plan.storeys[0], footprint=s(plan.storeys[0].footprint), walls=())
    rooms = tuple(replace(r, polygon=s(r.polygon)) for r in plan.rooms)
    return replace(plan, storeys=(storey,), rooms=rooms, walls=(), openings=(), counters=(), units=units,
                   unit_m=unit_m)


@pytest.mark.parametrize("k, units, unit_m, gross_zh, meant, then_zh", [
    (0.001, "mm", 0.001, "0.00012 m²", "m", "120.00 m²"),     # drawn in metres, read as mm: 120 m² × 10⁻⁶
    (0.1, "mm", 0.001, "1.20 m²", "cm", "120.00 m²"),         # drawn in cm, read as mm: 120 × 10⁻² = 1.20 m²
    (1000.0, "m", 1.0, "120,000,000.00 m²", "mm", "120.00 m²"),  # drawn in mm, read as metres
])
def test_an_implausible_gross_area_names_the_units_that_fix_it(k, units, unit_m, gross_zh, meant, then_zh):
    rep = _report(_scaled(P.station(), k, units, unit_m))
    r = _result(rep, "drawing.units-suspect")
    assert r["status"] == "warn"
    assert f"按单位 {units} 计算，建筑面积为 {gross_zh}" in r["message"], r["message"]
    assert f"按 --units {meant} 计算，建筑面积为 {then_zh}" in r["message"], r["message"]
    assert _result(rep, "area.tier")["status"] == "n/a"  # a wrong unit's area is not judged
    en = _result(_report(_scaled(P.station(), k, units, unit_m), "en"), "drawing.units-suspect")["message"]
    assert f"with --units {meant} the gross area is {then_zh}" in en and "unlike a building (10–200,000 m²)" in en


def test_no_factor_of_ten_fits_so_no_guess():
    # drawn in metres, read as inches: 120 m² × 0.0254² = 0.077 m²; no metric unit 10/100/1000 × an inch
    r = _result(_report(_scaled(P.station(), 0.0254, "inch", 0.0254)), "drawing.units-suspect")
    assert r["message"].endswith("请核对单位，必要时用 --units 指定") and "--units inch" not in r["message"]


@pytest.mark.parametrize("unit_m, measured, band, power, want", [
    (0.001, 0.74, PLAUSIBLE_GROSS_M2, 2, ("cm", 74.0)),    # cm (74 m²) and dm (7,400 m²) fit: cm is meant more often
    (0.001, 2.8, PLAUSIBLE_SPAN_M, 1, ("cm", 28.0)),
    (1.0, 9e8, PLAUSIBLE_GROSS_M2, 2, ("mm", 900.0)),      # mm (900 m²) before cm (90,000 m²)
    (0.001, 0.0009, PLAUSIBLE_GROSS_M2, 2, ("m", 900.0)),
    (1.0, 5.0, PLAUSIBLE_GROSS_M2, 2, None),              # 5 m² in metres: no unit 10–1000× smaller fits
    (0.001, 0.0, PLAUSIBLE_GROSS_M2, 2, None),
])
def test_suggest(unit_m, measured, band, power, want):
    got = suggest(unit_m, measured, band, power)
    assert (got[0], pytest.approx(got[1])) == want if want else got is None


# --- the real drawing of the user trial --------------------------------------------------------------------
PLAN_1F = CORPUS_CN / "superscholar1__HnuiFirst-nav-web__1F.dxf"


def test_the_trial_drawing_in_cm_warns_that_usable_exceeds_gross(cli):
    """The 1F schematic read with --units cm: its rooms (single lines) overlap, so the usable area came out
    larger than the gross area with no word. Now a warning names both figures as the report shows them."""
    run = cli("check", require(PLAN_1F), "--units", "cm", "--format", "json")
    m = run.json["metrics"]
    usable, gross = m["usable_area_m2"], m["gross_area_m2"]
    assert usable - gross > usable_over_gross_tolerance_m2(gross)
    r = run.result("drawing.usable-exceeds-gross")
    assert f"使用面积 {usable:.2f} m² 大于建筑面积 {gross:.2f} m²（多 {usable - gross:.2f} m²）" in r["message"]
    assert run.result("drawing.overlapping-rooms")["status"] == "warn"  # the cause, marked where it is
    en = cli("check", PLAN_1F, "--units", "cm", "--format", "json", "--lang", "en").result("drawing.usable-exceeds-gross")
    assert f"usable area {usable:.2f} m² exceeds the gross area {gross:.2f} m²" in en["message"]


def test_the_trial_drawing_as_declared_names_cm():
    """MANIFEST: declared mm but ~2,800 units across. ezdxf's own bounding box: 2,794.9 units, i.e. 2.8 m in
    mm and 27.9 m in cm; the warning says so and names --units cm."""
    import ezdxf
    from ezdxf import bbox

    from layoutcheck.pipeline import check

    doc = ezdxf.readfile(require(PLAN_1F))
    assert doc.header["$INSUNITS"] == 4
    size = bbox.extents(doc.modelspace()).size
    span = max(size.x, size.y)
    rep = check(PLAN_1F, project=Project(population=30000)).report("en")
    r = _result(rep, "drawing.units-suspect")
    assert f"spans {span / 1000:.1f} m" in r["message"] and f"with --units cm it spans {span / 100:.1f} m" in r["message"]
