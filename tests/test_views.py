"""Drawing sets built here with ezdxf: views found by their titles, each floor plan checked as a storey,
elevations and sections left out, stated gross areas compared — figures worked by hand."""

from __future__ import annotations

import pytest

from layoutcheck import Project, check, read_plan
from layoutcheck.errors import InputError

from .test_ingest import building, found, new_doc, save, text


def drawing_set(msp, stated_1f: str = "本层建筑面积：120.00m2"):
    """Three sheets side by side, 1:1 in mm: 一层平面图 (12 × 10 m building, one 服务大厅), 二层平面图 (10 × 10 m,
    one 档案室) and ①-④立面图 (an elevation drawn on the same wall layer, with a level mark 4.200), each with
    its title and 1:100 below it."""
    building(msp, 0, 0, 12000, 10000, name="服务大厅")
    text(msp, "一层平面图", (6000, -3000), 700)
    text(msp, "1:100", (9500, -3000), 500)
    text(msp, stated_1f, (6000, -4200), 500)
    building(msp, 30000, 0, 40000, 10000, name="档案室")
    text(msp, "二层平面图", (35000, -3000), 700)
    text(msp, "1:100", (38500, -3000), 500)
    building(msp, 60000, 0, 72000, 6000)  # the elevation's outline on WALL: must never become a storey
    text(msp, "4.200", (73000, 6000), 300)
    text(msp, "①-④立面图", (66000, -3000), 700)
    text(msp, "1:100", (69500, -3000), 500)


def test_each_plan_view_is_a_storey_and_the_elevation_is_left_out(tmp_path):
    doc, msp = new_doc()
    drawing_set(msp)
    plan = read_plan(save(doc, tmp_path))
    assert [(s.view, round(s.gross_area_m2, 2)) for s in plan.storeys] == [("一层平面图", 120.0), ("二层平面图", 100.0)]
    assert sorted(r.name for r in plan.rooms) == ["服务大厅", "档案室"]
    assert {v.title: (v.kind, v.checked) for v in plan.views} == {
        "一层平面图": ("plan", True), "二层平面图": ("plan", True), "①-④立面图": ("elevation", False)}
    assert [r.storey for r in sorted(plan.rooms, key=lambda r: r.name)] == [0, 1]
    assert found(plan, "drawing.drawing-set") and not found(plan, "drawing.stated-gross-mismatch")


def test_a_stated_gross_area_off_by_more_than_3_percent_is_a_warning_with_both_figures(tmp_path):
    """The 12 × 10 m plan says 本层建筑面积：130.00m2: 120 m² measured, −7.7 %."""
    doc, msp = new_doc()
    drawing_set(msp, "本层建筑面积：130.00m2")
    (f,) = found(read_plan(save(doc, tmp_path)), "drawing.stated-gross-mismatch")
    assert f.args["stated_m2"] == pytest.approx(130.0) and f.args["measured_m2"] == pytest.approx(120.0)
    assert f.args["diff_pct"] == pytest.approx(-100 * 10 / 130, abs=0.01) and f.args["what"] == "一层平面图"


def test_view_picks_one_plan_and_an_unknown_view_names_the_plans(tmp_path):
    doc, msp = new_doc()
    drawing_set(msp)
    path = save(doc, tmp_path)
    done = check(path, project=Project(population=30000), view="二层")
    assert [s.view for s in done.plan.storeys] == ["二层平面图"]
    assert done.metrics.gross_area_m2 == pytest.approx(100.0)
    with pytest.raises(InputError) as err:
        read_plan(path, view="三层")
    assert err.value.message_key == "error.no-such-view"
    assert "一层平面图、二层平面图" in err.value.render("zh") and "三层" in err.value.render("zh")


def test_a_single_plan_with_its_title_states_its_gross_area(tmp_path):
    doc, msp = new_doc()
    building(msp, 0, 0, 12000, 10000, name="服务大厅")
    msp.add_mtext("一层平面图\\P建筑面积：125.00㎡", dxfattribs={"layer": "PUB_TEXT", "char_height": 500,
                                                             "insert": (4000, -2500)})
    plan = read_plan(save(doc, tmp_path))
    (storey,) = plan.storeys
    assert storey.view == "一层平面图" and storey.stated_gross_m2 == pytest.approx(125.0)
    (f,) = found(plan, "drawing.stated-gross-mismatch")  # 120 m² measured: −4.0 %
    assert f.args["diff_pct"] == pytest.approx(-4.0)


def test_thousands_of_titles_and_scales_are_no_drawing_set(tmp_path):
    """A hostile (or list-like) drawing with 4,000 view titles and 4,000 scales: more titles than any set
    (MAX_TITLES) means no split and no search over every pair of texts; the plan is read as one."""
    from layoutcheck.ingest.views import MAX_TITLES

    doc, msp = new_doc()
    building(msp, 0, 0, 12000, 10000, name="服务大厅")
    for i in range(4000):
        msp.add_text("立面图", height=300, dxfattribs={"insert": (20000 + (i % 60) * 2000, (i // 60) * 800)})
        msp.add_text("1:100", height=200, dxfattribs={"insert": (21000 + (i % 60) * 2000, (i // 60) * 800)})
    plan = read_plan(save(doc, tmp_path))
    assert 4000 > MAX_TITLES and not plan.views and len(plan.storeys) == 1
    assert plan.storeys[0].gross_area_m2 == pytest.approx(120.0)


def test_a_ceiling_plan_and_a_second_plan_of_the_same_storey_are_not_counted_again(tmp_path):
    """一层顶棚平面图 (a trade plan) is listed, not checked; a second 一层平面图 (another scheme) is left out with a
    warning: the gross area stays 120 + 100 m², not 360 or 460."""
    doc, msp = new_doc()
    drawing_set(msp)
    building(msp, 0, 30000, 12000, 40000)
    text(msp, "一层顶棚平面图", (6000, 27000), 700)
    text(msp, "1:100", (10500, 27000), 500)
    building(msp, 30000, 30000, 42000, 40000, name="服务大厅")
    text(msp, "一层平面图", (36000, 27000), 700)
    text(msp, "1:100", (39500, 27000), 500)
    plan = read_plan(save(doc, tmp_path))
    assert sorted(round(s.gross_area_m2, 2) for s in plan.storeys) == [100.0, 120.0]
    kinds = sorted(v.kind for v in plan.views)
    assert kinds.count("specialty") == 1 and kinds.count("plan") == 3
    (same,) = found(plan, "drawing.same-storey-views")
    assert same.args["kept"] == "一层平面图" and same.args["left"] == "一层平面图"


def test_stated_totals_and_room_labels_are_read_for_what_they_are(tmp_path):
    """A room label with 房间编号 and 建筑面积 but no 房间名称 is the room's, never the building's total; a
    总建筑面积 of 220 m² in the notes holds for the whole set (120 + 100 m²: no warning) and is not held against
    one view picked with --view."""
    doc, msp = new_doc()
    drawing_set(msp)
    msp.add_mtext("房间编号：101\\P使用面积：108.00㎡\\P建筑面积：120.00㎡",
                  dxfattribs={"layer": "PUB_TEXT", "char_height": 300, "insert": (3000, 8000)})
    text(msp, "本工程总建筑面积：220.00m2", (20000, -15000), 500)
    path = save(doc, tmp_path)
    plan = read_plan(path)
    assert plan.stated_total_m2 == pytest.approx(220.0)
    assert not found(plan, "drawing.stated-gross-mismatch")
    assert not found(read_plan(path, view="二层"), "drawing.stated-gross-mismatch")
