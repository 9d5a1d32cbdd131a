"""Every rule, failing and passing, on plans built in code (tests/plans.py) — no DXF.

Figures come from the plan's hand-drawn dimensions (see tests/plans.py). bench/mutate_rules.py makes each
rule always pass and always fail in turn and runs this file: each mutation must fail a test here."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from shapely.geometry import box

from layoutcheck.model import Approach, Furniture
from layoutcheck.pipeline import check_plan
from layoutcheck.rules import Project

from . import plans as P


def results(plan, rule, standard="kaifeng-2014", review=None, **project):
    project.setdefault("population", 30000)
    done = check_plan(plan, standard, Project(**project), review)
    return [r for r in done.report("zh")["results"] if r["rule"] == rule]


def statuses(plan, rule, standard="kaifeng-2014", **kw):
    return sorted({r["status"] for r in results(plan, rule, standard, **kw)})


def std_file(tmp_path: Path, body: str, name: str = "strict.toml") -> Path:
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


def with_doors(plan, doors, walls_from=None):
    """The plan with these doors; walls cut for ``walls_from`` (default: the same doors)."""
    walls = P._walls(walls_from if walls_from is not None else doors)
    return replace(plan, openings=tuple(doors), walls=walls, storeys=(replace(plan.storeys[0], walls=walls),))


GOOD = P.station()
ENTRANCE, ARCHIVE_DOOR = GOOD.doors[0], GOOD.doors[1]


# --- access.* (GB 55019-2021) -------------------------------------------------------------------------
def test_access_route():
    assert statuses(GOOD, "access.route") == ["pass"]
    # a screen of furniture across the hall at y 2.0–2.4 leaves a 0.90 m gap (x 5.0–5.9) < 1.20 m
    wall = (Furniture("展板", "A-FURN", "furniture", box(0.2, 2.0, 5.0, 2.4)),
            Furniture("展板", "A-FURN", "furniture", box(5.9, 2.0, 11.8, 2.4)))
    rs = results(P.station(furniture=wall), "access.route")
    assert rs and {r["status"] for r in rs} == {"fail"}
    assert all(r["measured"] == pytest.approx(0.90, abs=0.02) for r in rs)


def test_access_door_width():
    assert statuses(GOOD, "access.door-width") == ["pass"]
    narrow = P._door(5.4, 6.2, 0.0, 0.2, external=True, block="M0821")  # 800 mm clear
    plan = with_doors(GOOD, [narrow, *GOOD.doors[1:]])
    bad = [r for r in results(plan, "access.door-width") if r["status"] == "fail"]
    assert bad and bad[0]["measured"] == pytest.approx(800, abs=1)


def test_access_entrance():
    (r,) = results(GOOD, "access.entrance")
    assert r["status"] == "pass"  # the 1.20 m M1221 in the south wall, labelled 入口
    # an entrance platform drawn 1.20 m deep (y −1.2–0) in front of it: GB 55019 2.4.2 asks 1.50 m
    platform = replace(GOOD, approaches=(Approach("platform", box(5.0, -1.2, 7.0, 0.0), "PLATFORM"),))
    bad = [r for r in results(platform, "access.entrance") if r["status"] == "fail"]
    assert bad and bad[0]["measured"] == pytest.approx(1.20, abs=0.01)


def test_access_turning_space():
    assert statuses(GOOD, "access.turning-space") == ["pass"]
    # a cabinet 1.0 m in front of the low counter (y 3.5–4.4 below its front at y 4.5) leaves no 1.50 m circle
    cab = (Furniture("资料柜", "A-FURN", "furniture", box(1.2, 3.4, 4.4, 4.4)),)
    assert "fail" in statuses(P.station(furniture=cab), "access.turning-space")


def test_counter_low_section():
    assert statuses(GOOD, "counter.low-section") == ["pass"]
    high = P.station(counters=[P.counter(2.0, height_mm=1100), P.counter(8.0, height_mm=1100)])
    (r,) = results(high, "counter.low-section")
    assert r["status"] == "fail" and r["required"] == {"min": 700, "max": 850}


# --- areas ---------------------------------------------------------------------------------------------
def test_area_tier():
    (r,) = results(GOOD, "area.tier")
    assert r["status"] == "pass" and r["measured"] == pytest.approx(120.0)  # 12 × 10 m, 二类 100–150
    (r,) = results(GOOD, "area.tier", population=60000)  # 一类: 150–200 m²
    assert r["status"] == "fail" and r["required"] == {"min": 150, "max": 200}


def test_area_minimum():
    community = P.community()
    (r,) = results(community, "area.minimum", kind="community")
    assert r["status"] == "pass" and r["measured"] == pytest.approx(120.0)
    small = replace(community, storeys=(replace(community.storeys[0], footprint=box(0, 0, 6, 7)),))
    (r,) = results(small, "area.minimum", kind="community")  # 6 × 7 = 42 m² < 50 (正文 二.3 不得少于)
    assert r["status"] == "fail" and r["measured"] == pytest.approx(42.0)


def test_hall_share(tmp_path):
    (r,) = results(GOOD, "hall.share")
    assert r["status"] == "pass" and r["measured"] == pytest.approx(69.6 / 107.68, abs=1e-4)
    small = P.hall_scaled(GOOD, 40.0)  # 40 / 78.08 = 51.2 %
    (r,) = results(small, "hall.share")
    assert r["status"] == "warn"  # Kaifeng: “60%左右” is soft
    strict = std_file(tmp_path, 'extends = "kaifeng-2014"\n[rules."hall.share"]\nforce = "must"\n')
    (r,) = results(small, "hall.share", str(strict))
    assert r["status"] == "fail" and r["measured"] == pytest.approx(40.0 / 78.08, abs=1e-4)


def test_hall_minimum(tmp_path):
    std = std_file(tmp_path, 'id = "hall100"\n[rules."hall.minimum"]\nclause = "test"\nmin_m2 = 100\n')
    (r,) = results(GOOD, "hall.minimum", str(std))  # 69.6 m² < 100
    assert r["status"] == "fail" and r["measured"] == pytest.approx(69.6)
    big = replace(GOOD, rooms=(replace(GOOD.rooms[0], polygon=box(0, 0, 12, 9)), *GOOD.rooms[1:]))
    (r,) = results(big, "hall.minimum", str(std))  # 108 m²
    assert r["status"] == "pass" and r["measured"] == pytest.approx(108.0)


# --- rooms, zones, archive ------------------------------------------------------------------------------
def test_rooms_required():
    assert statuses(GOOD, "rooms.required") == ["pass"]
    (r,) = results(P.without_room(GOOD, "archive"), "rooms.required")
    assert r["status"] == "fail" and r["details"]["missing"] == ["archive"]


def test_archive_enclosed():
    assert statuses(GOOD, "archive.enclosed") == ["pass"]
    # the archive's doorway (x 1.6–2.6) left open: a 1.00 m gap and no door
    plan = with_doors(GOOD, [d for d in GOOD.doors if d is not ARCHIVE_DOOR], walls_from=list(GOOD.doors))
    rs = results(plan, "archive.enclosed")
    assert {r["status"] for r in rs} == {"fail"}
    assert any(r["measured"] == pytest.approx(1.0, abs=0.03) for r in rs)


def test_zones_required():
    assert statuses(P.community(), "zones.required", kind="community") == ["pass"]
    no_counters = replace(P.community(), counters=())  # 第十八条: both functional areas 设置服务柜台
    (r,) = results(no_counters, "zones.required", kind="community")
    assert r["status"] == "fail" and set(r["details"]["missing"]) == {"hr_zone", "social_insurance_zone"}


# --- counters ---------------------------------------------------------------------------------------------
def test_counter_height():
    assert statuses(GOOD, "counter.height") == ["pass"]
    plan = P.station(counters=[P.counter(2.0, block="低位柜台"), P.counter(8.0, height_mm=800)])
    (r,) = results(plan, "counter.height")
    assert r["status"] == "fail" and r["measured"] == 800 and r["required"] == {"value": 760, "tolerance": 10}


def test_counter_depth():
    assert statuses(GOOD, "counter.depth") == ["pass"]
    plan = P.station(counters=[P.counter(2.0, block="低位柜台"), P.counter(8.0, depth_m=0.6)])
    (r,) = results(plan, "counter.depth")
    assert r["status"] == "fail" and r["measured"] == pytest.approx(600, abs=1)


def test_counter_count():
    assert "pass" in statuses(GOOD, "counter.count")
    (r,) = [r for r in results(P.station(counters=[]), "counter.count") if r["status"] != "n/a"]
    assert r["status"] == "fail" and r["measured"] == 0 and r["required"] == {"min": 1}


# --- what a plan need not show: equipment, staff, the checklist -----------------------------------------
def test_equipment_required(tmp_path):
    assert statuses(GOOD, "equipment.required") == ["n/a"]
    drawn = P.station(furniture=(P.board(), P.board(y=1.0, name="电子显示屏")))
    (r,) = results(drawn, "equipment.required")
    assert r["status"] == "pass" and r["details"]["found"] == {"信息栏": 1, "电子显示屏": 1}
    review = std_file(tmp_path, '[[confirm]]\nrule = "equipment.required"\nitem = "信息栏"\nfound = false\n',
                      "review.toml")
    bad = [r for r in results(GOOD, "equipment.required", review=review) if r["status"] == "fail"]
    assert bad and bad[0]["basis"] == "review"
    # an item the standard wants drawn (confirm = false) fails when the plan lacks it
    must = std_file(tmp_path, 'extends = "kaifeng-2014"\n[rules."equipment.required"]\nitems = [{ name = "信息栏", '
                              'keywords = ["信息栏"], confirm = false }]\n')
    (r,) = results(GOOD, "equipment.required", str(must))
    assert r["status"] == "fail"


def test_staff_count():
    (r,) = results(GOOD, "staff.count", staff=3)  # 30,000 / 10,000 = 3
    assert r["status"] == "pass" and r["basis"] == "project"
    (r,) = results(GOOD, "staff.count", staff=2)
    assert r["status"] == "fail" and r["required"] == {"min": 3} and r["details"]["shortfall"] == {"staff": 1}
    (r,) = results(GOOD, "staff.count")
    assert r["status"] == "n/a"


def test_checklist_confirm(tmp_path):
    (r,) = results(GOOD, "checklist.confirm")
    assert r["status"] == "n/a" and "框架式结构" in r["message"]
    review = std_file(tmp_path, '[[confirm]]\nrule = "checklist.confirm"\nitem = "框架式结构"\n'
                                '[[confirm]]\nrule = "checklist.confirm"\nitem = "空气流通、采光照明"\nfound = false\n',
                      "review.toml")
    rs = {r["status"]: r for r in results(GOOD, "checklist.confirm", review=review)}
    assert set(rs) == {"n/a", "pass", "fail"}
    assert rs["pass"]["clause"] == "汴政办〔2014〕61号 附件 第十六条" and rs["pass"]["basis"] == "review"
    assert rs["fail"]["clause"] == "汴政办〔2014〕61号 附件 第二十三条"
    assert "框架式结构" not in rs["n/a"]["message"]


def test_no_hall_is_an_unknown_share_not_zero_percent():
    """Metrics agree with hall.share: a plan with no hall has no share (JSON null, an empty summary cell),
    never 0.0 that a batch engineer filtering on hall_share would read as a measured 0 %."""
    from layoutcheck.measure import measure

    m = measure(P.without_room(P.station(), "hall"))
    assert m.hall_area_m2 == 0 and m.usable_area_m2 > 0
    assert m.hall_share is None and m.as_dict()["hall_share"] is None
