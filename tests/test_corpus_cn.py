"""Real Chinese drawings as they arrive (../shared/dxf-corpus-cn): area-line layers with multi-line labels,
a TArch T3 drawing set, a hotel floor of double-line walls, a single-line schematic, a Korean car park.

The truth is in the drawings themselves — each daoshi room label states its 房间名称 and 使用面积, the T3 set
states 本层建筑面积 under its plan — read here with ezdxf and regular expressions of the test's own
(``corpus_cn_truth``), never from layoutcheck's reader. A missing corpus fails loudly.
"""

from __future__ import annotations

import re

import ezdxf
import pytest
from shapely.geometry import Point

from layoutcheck import Project, check

from .conftest import CORPUS, CORPUS_CN, corpus_files, require
from .corpus_cn_truth import labelled_rooms

DAOSHI = ["huihui-coder__daoshi__floor1.dxf", "huihui-coder__daoshi__floor3.dxf", "huihui-coder__daoshi__floor5.dxf"]
T3 = CORPUS_CN / "koros2018__BAA__peidianfang_t3.dxf"
HOTEL = CORPUS_CN / "yao1480__IndoorMapStudio__hotel.dxf"


@pytest.mark.parametrize("name", DAOSHI)
def test_daoshi_labelled_rooms_are_found_with_their_name_and_stated_area(name, cli):
    """≥ 90 % of the labelled rooms are reported under the label's 房间名称 at an area within 2 % of the
    使用面积 the label states; each reported room carries that stated area (rooms[].stated_area_m2)."""
    path = require(CORPUS_CN / name)
    truth = labelled_rooms(path)
    assert len(truth) >= 29  # 29 / 31 / 51 labels on floors 1 / 3 / 5
    rooms = cli("check", path, "--format", "json").json["rooms"]
    pool = list(rooms)
    found = 0
    for room_name, usable_m2 in truth:
        hit = next((r for r in pool if r["name"] == room_name and abs(r["area_m2"] - usable_m2) <= 0.02 * usable_m2),
                   None)
        if hit is not None:
            pool.remove(hit)
            found += 1
            assert hit["stated_area_m2"] == pytest.approx(usable_m2)
    assert found >= 0.9 * len(truth), f"{found} of {len(truth)} labelled rooms found"


def test_daoshi_building_outline_gives_the_stated_gross_area(cli):
    """floor1's title states 建筑面积：4223.16㎡; the 建筑面积线 building outline (not the per-room gross outlines
    on the same layer) measures it, and the title's figure is reported as the view's claim."""
    path = require(CORPUS_CN / DAOSHI[0])
    doc = ezdxf.readfile(path)
    stated = next(float(m.group(1)) for e in doc.modelspace().query("MTEXT")
                  for m in [re.search(r"平面图\s*建筑面积[:：]\s*([\d.]+)", e.plain_text(split=False).replace("\n", ""))]
                  if m)
    assert stated == pytest.approx(4223.16)
    rep = cli("check", path, "--format", "json").json
    assert rep["metrics"]["gross_area_m2"] == pytest.approx(stated, rel=0.02)
    (storey,) = rep["drawing"]["storeys"]
    assert storey["view"].endswith("一层平面图") and storey["stated_gross_m2"] == pytest.approx(stated)
    assert not [r for r in rep["results"] if r["rule"] == "drawing.stated-gross-mismatch"]


def _t3_texts() -> list[tuple[str, float, float]]:
    doc = ezdxf.recover.readfile(require(T3))[0]  # TArch T3 exports need the recover path
    return [(e.dxf.text, e.dxf.insert.x, e.dxf.insert.y) for e in doc.modelspace().query("TEXT")]


def test_t3_drawing_set_views_are_listed_with_their_kinds(cli):
    """The set holds 一层平面图, 屋顶平面图, four 立面图 and 1-1剖面图 (titles with 1:100 beside them): each is
    listed with its kind, and only the floor plan is checked."""
    rep = cli("check", require(T3), "--format", "json").json
    kinds = {v["title"]: v["kind"] for v in rep["views"]}
    assert kinds["一层平面图"] == "plan" and kinds["屋顶平面图"] == "roof" and kinds["1-1剖面图"] == "section"
    assert sorted(k for k in kinds.values()) == sorted(["plan", "roof", "elevation", "elevation", "elevation",
                                                        "elevation", "section"])
    assert [v["title"] for v in rep["views"] if v["checked"]] == ["一层平面图"]
    assert all(v["scale"] == "1:100" for v in rep["views"])


def test_t3_plan_rooms_are_found_once_and_none_from_elevations_or_sections(cli):
    """The plan names 配电房 and 工具间 twice each (a symmetric building); the section names them once more.
    Each plan label is inside exactly one reported room, and no room lies outside the plan view."""
    rep = cli("check", require(T3), "--format", "json").json
    plan_view = next(v for v in rep["views"] if v["kind"] == "plan")
    x0, y0, x1, y1 = plan_view["bbox"]
    labels = [(t, x / 1000, y / 1000) for t, x, y in _t3_texts() if t in ("配电房", "工具间")]
    in_plan = [(t, x, y) for t, x, y in labels if x0 <= x <= x1 and y0 <= y <= y1]
    assert sorted(t for t, _, _ in in_plan) == ["工具间", "工具间", "配电房", "配电房"] and len(labels) == 6
    assert sorted(r["name"] for r in rep["rooms"]) == ["工具间", "工具间", "配电房", "配电房"]
    for r in rep["rooms"]:
        cx, cy = r["centre"]
        assert x0 <= cx <= x1 and y0 <= cy <= y1
    assert not any(re.fullmatch(r"[±+\-]?\d+\.\d{3}", r["name"]) for r in rep["rooms"])


def test_t3_gross_area_of_the_plan_matches_the_stated_one(cli):
    """本层建筑面积：113.05m2 is written under 一层平面图 as two texts; the plan's gross area is within 2 %."""
    texts = _t3_texts()
    label = next((x, y) for t, x, y in texts if t.startswith("本层建筑面积"))
    stated = next(float(re.match(r"([\d.]+)", t).group(1)) for t, x, y in texts
                  if abs(y - label[1]) < 300 and x > label[0] and re.match(r"[\d.]+m2", t))
    assert stated == pytest.approx(113.05)
    rep = cli("check", require(T3), "--format", "json").json
    (storey,) = rep["drawing"]["storeys"]
    assert storey["gross_area_m2"] == pytest.approx(stated, rel=0.02)
    assert storey["stated_gross_m2"] == pytest.approx(stated)


def test_view_option_picks_a_plan_view_or_says_which_there_are(cli):
    assert cli("check", require(T3), "--view", "一层", "--format", "json").code in (0, 1)
    run = cli("check", require(T3), "--view", "二层")
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1
    assert "二层" in run.err and "一层平面图" in run.err


def test_hotel_rooms_from_double_line_walls_hold_each_label_once():
    """Walls as LINEs (ends 1e-5 m apart), doors and windows as blocks, three room labels: each label lies in
    exactly one room found, that room is named by it, and the many guest rooms are enclosed."""
    done = check(require(HOTEL), project=Project(population=30000))
    doc = ezdxf.readfile(HOTEL)
    labels = [(e.dxf.text, Point(e.dxf.insert.x / 1000, e.dxf.insert.y / 1000))
              for e in doc.modelspace().query("TEXT") if e.dxf.text not in ("上", "下")]
    assert sorted(t for t, _ in labels) == ["服务间", "消防控制室", "配电室"]
    for text, pt in labels:
        holding = [r for r in done.plan.rooms if r.polygon.buffer(0.3).contains(pt)]
        assert len(holding) == 1 and holding[0].name == text, (text, [r.name for r in holding])
    # every room door (the 普通门 blocks of the guest rooms and their bathrooms) opens into a room found
    doors = [Point(e.dxf.insert.x / 1000, e.dxf.insert.y / 1000) for e in doc.modelspace().query("INSERT")
             if e.dxf.name.startswith("普通门")]
    assert len(doors) == 37
    lost = [d for d in doors if not any(r.polygon.distance(d) <= 1.0 for r in done.plan.rooms)]
    assert not lost
    assert not [r for r in done.results if r.rule == "access.door-width" and r.status == "fail"
                and r.measured is not None and r.measured < 300]  # a sliding door is not 80 mm wide


NOT_NAMES = re.compile(r"^(?:[±+\-]?\d+\.\d{3}|(?!WC$)[A-Z]{1,2}|\d{1,2}|\d+/[A-Z0-9]+|[A-Z]?M\d{4}|[A-Z]?C\d{4}|1:\d+)$")


@pytest.mark.parametrize("path", corpus_files(CORPUS_CN) + corpus_files(CORPUS), ids=lambda p: p.name)
def test_no_level_mark_axis_label_or_door_code_is_a_room_name(path, cli):
    run = cli("check", require(path), "--format", "json")
    assert run.code in (0, 1, 2) and "Traceback" not in run.err
    if run.code == 2:
        assert len(run.err.strip().splitlines()) == 1
        return
    bad = [r["name"] for r in run.json["rooms"] if NOT_NAMES.match(r["name"] or "")]
    assert not bad
