"""The evidence model (issue 12): fail only where the source has force and the drawing shows the breach;
equipment a plan need not draw is to confirm; soft wording warns outside the file's band; a reviewer's
confirmations settle the rest. Each correction quotes the sentence of ../shared/seeds/ it rests on."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from shapely.geometry import Point, box

from layoutcheck import review as review_mod
from layoutcheck import standards
from layoutcheck.model import Label, Room, Zone
from layoutcheck.pipeline import check_plan
from layoutcheck.rules import Project

from . import plans as P

from .conftest import require

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
KAIFENG, YONGZHOU, NANXUN, GUANGDONG = ("000_92601250f7e3db16.txt", "002_f0d0b5693cb93a39.txt",
                                        "003_dfc48e1654da5dc6.txt", "001_c9e8b5f01a2a39ea.txt")


def in_source(seed: str, sentence: str) -> None:
    """The sentence a correction rests on is the source's own (seeds/ keeps ASCII punctuation)."""
    text = require(SEEDS / seed).read_text(encoding="utf-8")
    assert sentence in text, f"not in {seed}: {sentence}"


def rep(plan, sid="kaifeng-2014", review=None, **project):
    project.setdefault("population", 30000)
    return check_plan(plan, sid, Project(**project), review).report("zh")


def of(report, rule):
    return [r for r in report["results"] if r["rule"] == rule]


def write_review(tmp_path, text: str) -> Path:
    p = tmp_path / "review.toml"
    p.write_text(text, encoding="utf-8")
    return p


# --- done-when 1: right in everything a drawing shows, no equipment drawn ------------------------------
def test_right_plan_without_equipment_passes_kaifeng_with_the_undrawn_items_to_confirm():
    in_source(KAIFENG, "信息发布装置一般可设置纸质信息栏,有条件的地方可增设电子显示屏")
    report = rep(P.station(), staff=3)
    assert report["verdict"] == "pass"
    assert not [r for r in report["results"] if r["status"] == "fail"]
    (eq,) = of(report, "equipment.required")
    assert eq["status"] == "n/a" and eq["basis"] == "drawing"
    listed = {i for c in report["to_confirm"] for i in c["items"]}
    assert {"信息栏", "电子显示屏"} <= listed
    assert "框架式结构" in listed  # checklist items are listed by name too


def test_the_same_plan_with_its_board_confirmed_in_a_review_file(tmp_path):
    path = write_review(tmp_path, '''
by = "李工"
date = 2026-12-01
[[confirm]]
rule = "equipment.required"
item = "信息栏"
found = true
note = "大厅东墙纸质信息栏，现场照片 3"
''')
    report = rep(P.station(), review=path, staff=3)
    assert report["verdict"] == "pass"
    eq = {r["basis"]: r for r in of(report, "equipment.required")}
    assert eq["review"]["status"] == "pass" and "信息栏" in eq["review"]["message"]
    assert "审查人员确认" in eq["review"]["message"] and "李工" in eq["review"]["message"]
    assert eq["review"]["review"] == {"by": "李工", "date": "2026-12-01", "note": "大厅东墙纸质信息栏，现场照片 3"}
    # the screen is still open, and only the screen
    assert eq["drawing"]["status"] == "n/a" and "电子显示屏" in eq["drawing"]["message"]
    assert "信息栏" not in eq["drawing"]["message"].replace("电子显示屏", "")
    assert report["review"]["confirmed"][0]["item"] == "信息栏"
    listed = {i for c in report["to_confirm"] for i in c["items"]}
    assert "信息栏" not in listed and "电子显示屏" in listed


def test_a_board_confirmed_absent_fails_and_says_who_found_it(tmp_path):
    path = write_review(tmp_path, '[[confirm]]\nrule = "equipment.required"\nitem = "信息栏"\nfound = false\n'
                                  'by = "王工"\ndate = "2026-12-01"\nnote = "未设"\n')
    report = rep(P.station(), review=path, staff=3)
    assert report["verdict"] == "fail"
    (bad,) = [r for r in of(report, "equipment.required") if r["status"] == "fail"]
    assert bad["basis"] == "review" and "王工" in bad["message"]


def test_a_drawn_board_passes():
    report = rep(P.station(furniture=(P.board(),)), staff=3)
    eq = of(report, "equipment.required")
    assert [r["status"] for r in eq] == ["n/a"] and "信息栏" not in eq[0]["message"]  # only the screen is open


# --- the corrections, each with its source sentence ---------------------------------------------------------
def test_kaifeng_community_board_is_confirmed_once_not_failed_through_a_zone():
    in_source(KAIFENG, "信息发布政策宣传区。设置纸制信息栏,用于发布劳动力供求、价位等就业信息和有关政策信息。")
    report = rep(P.community(), kind="community", population=8000, staff=4)
    assert report["verdict"] == "pass"
    (zones,) = of(report, "zones.required")
    assert zones["status"] == "pass"
    (eq,) = of(report, "equipment.required")
    assert eq["status"] == "n/a" and "纸制信息栏" in eq["message"]


def test_kaifeng_community_hall_is_its_public_service_area():
    in_source(KAIFENG, "第十八条社区(行政村)人力资源和社会保障服务站一般由服务大厅及必要的辅助用房组成。")
    (rooms,) = of(rep(P.community(), kind="community", population=8000, staff=4), "rooms.required")
    assert rooms["status"] == "pass" and "public_service" in rooms["measured"]
    # without the hall there is no public service area
    no_hall = P.without_room(P.community(), "hall")
    (rooms,) = of(rep(no_hall, kind="community", population=8000, staff=4), "rooms.required")
    assert rooms["status"] == "fail" and "公共服务区" in rooms["message"]


def test_kaifeng_station_zones_are_soft_and_have_no_info_zone():
    in_source(KAIFENG, "(二)社会保险经办业务功能区域一般由业务办理区、等候区、查询区组成。")
    plan = P.station(zones=(Zone("业务办理区", "business", "服务大厅", Point(5, 5)),
                            Zone("等候区", "waiting", "服务大厅", Point(3, 2))))
    (z,) = of(rep(plan, staff=3), "zones.required")
    assert z["status"] == "warn" and "查询区" in z["message"] and z["force"] == "soft"
    assert "info" not in standards.load("kaifeng-2014").rules["zones.required"]["required"]


def test_kaifeng_four_window_types_are_counted_when_named_and_to_confirm_when_not():
    in_source(KAIFENG, "设置就业失业登记、就业创业培训登记、社会保险经办、劳动维权服务等多功能服务窗口")
    named = P.station(counters=[P.counter(2.0, block="低位柜台", service="就业失业登记 就业创业培训登记"),
                                P.counter(8.0, service="社会保险经办 劳动维权服务")])
    (c,) = of(rep(named, staff=3), "counter.count")
    assert c["status"] == "pass" and c["details"]["by_service"] == {
        "就业失业登记": 1, "就业创业培训登记": 1, "社会保险经办": 1, "劳动维权服务": 1}
    unnamed = of(rep(P.station(), staff=3), "counter.count")
    assert sorted(r["status"] for r in unnamed) == ["n/a"] * 4 + ["pass"]


def test_hall_share_band_is_said_to_be_the_files_reading():
    in_source(KAIFENG, "其面积一般应控制在总使用面积的60%左右")
    # hall 40.0 m² of 40.0 + 38.08 = 78.08 m² usable = 51.2 % (below 55 %): a warning, not a fail
    report = rep(P.hall_scaled(P.station(), 40.0), staff=3)
    (share,) = of(report, "hall.share")
    assert share["status"] == "warn" and share["measured"] == pytest.approx(40.0 / 78.08, abs=1e-4)
    assert "本标准文件的解读" in share["message"] and "60%左右" in share["message"]
    assert share["quote"] == "服务大厅作为主要的服务设施,其面积一般应控制在总使用面积的60%左右"
    en = check_plan(P.hall_scaled(P.station(), 40.0), "kaifeng-2014", Project(population=30000)).report("en")
    (share_en,) = of(en, "hall.share")
    assert "this standard file's reading" in share_en["message"]


def test_nanxun_hall_about_100_to_200_warns_only_outside_the_files_band():
    in_source(NANXUN, "其中镇人力资源市场面积为100-200平方米左右")
    # 205 m² hall: 11.6 m wide × 17.672 m
    big = replace(P.station(), rooms=(Room("人力资源市场", "hall", box(0, 0, 11.6, 205 / 11.6), "SPACE"),))
    (h,) = of(rep(big, "nanxun"), "hall.minimum")
    assert h["status"] == "pass" and h["measured"] == pytest.approx(205.0, abs=0.01)
    huge = replace(big, rooms=(Room("人力资源市场", "hall", box(0, 0, 11.6, 230 / 11.6), "SPACE"),))
    (h,) = of(rep(huge, "nanxun"), "hall.minimum")
    assert h["status"] == "warn" and "本标准文件的解读" in h["message"] and "100-200平方米左右" in h["message"]


def test_nanxun_nine_windows_in_principle_warn():
    in_source(NANXUN, "原则上应设置政策咨询、职业指导、用工登记、求职登记、合同备案、事务、培训登记、社会保险经办、劳动监察投诉接待和劳动纠纷调解等多功能服务窗口")
    cs = of(rep(P.station(), "nanxun"), "counter.count")
    assert {r["status"] for r in cs} == {"warn"} and len(cs) == 9


def test_nanxun_community_board_is_to_confirm_like_the_desk_and_chair():
    in_source(NANXUN, "必须按照“一桌、一椅、一电脑、一电话、一信息栏”配备办公设施")
    (eq,) = of(rep(P.community(), "nanxun", kind="community"), "equipment.required")
    # the counters drawn are its desk (keyword 柜台); the board and the chair are not drawn: to confirm, no fail
    assert eq["status"] == "n/a" and set(eq["details"]["shortfall"]) == {"一信息栏", "一椅"}
    assert eq["details"]["found"]["一桌"] == 2


def test_guangdong_board_is_to_confirm_like_the_cabinets_and_300_m2_in_principle_warns():
    in_source(GUANGDONG, "乡镇、街道服务机构要配备必要的电脑（网络设备）、打印机、传真机、电话、档案柜、信息发布栏等办公设备设施。")
    in_source(GUANGDONG, "乡镇、街道服务机构办公和服务场地建筑面积原则上不少于300平方米。")
    report = rep(P.station(), "guangdong-2011", staff=4)
    (eq,) = of(report, "equipment.required")
    assert eq["status"] == "n/a" and set(eq["details"]["shortfall"]) == {"信息发布栏", "档案柜"}
    (area,) = of(report, "area.minimum")
    assert area["status"] == "warn" and area["measured"] == pytest.approx(120.0)  # 12 × 10 m gross
    assert report["verdict"] == "pass"


def test_yongzhou_seats_and_notice_board_are_to_confirm():
    in_source(YONGZHOU, "服务大厅应设置方便服务对象的休息椅、报架、饮水机、纸张、笔等")
    in_source(YONGZHOU, "并按照政务公开的要求设立固定公示栏")
    (eq,) = of(rep(P.station(), "yongzhou-2014"), "equipment.required")
    assert eq["status"] == "n/a" and {"休息椅", "固定公示栏"} <= set(eq["details"]["shortfall"])


# --- Yongzhou: a points table, verdict and grade settled together -----------------------------------------
def yz_plan(hall_m2: float | None = 69.6, counters: tuple[int, int] = (2, 2)):
    cs = [P.counter(0.5 + 2.2 * i, block="低位柜台" if i == 0 else "柜台", service="社会救助") for i in range(counters[0])]
    cs += [P.counter(0.5 + 2.2 * (counters[0] + i), service="人力资源和社会保障") for i in range(counters[1])]
    plan = P.station(counters=cs)
    if hall_m2 is None:
        return P.without_room(plan, "hall")
    return P.hall_scaled(plan, hall_m2)


def item(report, id_):
    return next(i for i in report["score"]["items"] if i["id"] == id_)


def test_yongzhou_small_hall_and_few_counters_are_points_not_a_fail():
    in_source(YONGZHOU, "1、建立了便民服务中心或政务大厅,且面积达到100平方米以上")
    in_source(YONGZHOU, "面积不达标的扣5分")
    in_source(YONGZHOU, "社会救助、人力资源和社会保障服务柜台设置分别不少于2个的,记4分。每少1个扣1分。")
    report = rep(yz_plan(69.6, (1, 2)), "yongzhou-2014", staff=6)  # 3 counters drawn → 6 staff needed
    (h,) = of(report, "hall.minimum")
    assert h["status"] == "warn" and h["measured"] == pytest.approx(69.6)
    assert item(report, "hardware.premises")["lost"] == 5
    assert item(report, "hardware.counters")["lost"] == 1
    assert report["verdict"] == "pass" and report["score"]["grade"]["max"] != "不合格"


def test_yongzhou_no_hall_gives_at_most_7_points():
    in_source(YONGZHOU, "2、未建立服务大厅,但在社会事务办(民政办)设立“社会救助申请受理”窗口的,记7分。")
    premises = item(rep(yz_plan(None), "yongzhou-2014", staff=8), "hardware.premises")
    assert premises["points"] == 15 and premises["lost"] == 8 and premises["to_confirm"] == 7
    assert premises["earned"] == 0


def test_yongzhou_staffing_per_10000_residents_is_scored_in_proportion():
    in_source(YONGZHOU, "社会救助和劳动保障事务中心工作人员按“每万人口配备1名专职工作人员”要求落实到位的,记3分,否则按所差人数占应配人数的比例扣分")
    # 45,000 residents → 5 staff needed; 3 given → 2 short → 3 × 2/5 = 1.2 points lost
    s = item(rep(yz_plan(), "yongzhou-2014", population=45000, staff=3), "support.staffing")
    assert s["points"] == 3 and s["lost"] == pytest.approx(1.2) and s["earned"] == pytest.approx(1.8)
    assert s["basis"] == "project"
    assert item(rep(yz_plan(), "yongzhou-2014", population=None), "support.staffing")["to_confirm"] == 3
    sec = standards.load("yongzhou-2014").scoring
    assert sum(i["points"] for i in sec["items"]) == 100


@pytest.mark.parametrize("hall_m2", [None, 40.0, 69.6])
@pytest.mark.parametrize("counters", [(0, 0), (1, 1), (2, 2)])
@pytest.mark.parametrize("staff", [None, 0, 8])
@pytest.mark.parametrize("door_mm", [1200, 700])
def test_yongzhou_verdict_and_grade_never_contradict(hall_m2, counters, staff, door_mm):
    plan = yz_plan(hall_m2, counters)
    if door_mm != 1200:  # the entrance narrowed: a national requirement with force fails
        doors = list(plan.doors)
        doors[0] = P._door(5.4, 5.4 + door_mm / 1000, 0.0, 0.2, external=True)
        plan = replace(plan, openings=tuple(doors), walls=P._walls(doors),
                       storeys=(replace(plan.storeys[0], walls=P._walls(doors)),))
    report = rep(plan, "yongzhou-2014", staff=staff)
    grade, low = report["score"]["grade"], "不合格"
    assert (report["verdict"] == "fail") == (grade["max"] == low)
    if any(r["status"] == "fail" for r in report["results"]):
        assert report["verdict"] == "fail" and grade["capped_by"]
    if door_mm == 700:
        assert report["verdict"] == "fail" and "access.door-width" in grade["capped_by"]


def test_a_reviewer_narrows_the_score(tmp_path):
    base = rep(yz_plan(), "yongzhou-2014", staff=8)
    path = write_review(tmp_path, '''
by = "赵工"
date = 2026-12-01
[[confirm]]
score = "hardware.signs"
points = 6
note = "窗口吊牌缺 1 项"
[[confirm]]
rule = "equipment.required"
item = "饮水机"
found = false
''')
    done = rep(yz_plan(), "yongzhou-2014", review=path, staff=8)
    b, d = base["score"], done["score"]
    signs = item(done, "hardware.signs")
    assert signs["status"] == "confirmed" and signs["earned"] == 6 and signs["lost"] == 1 and signs["basis"] == "review"
    assert item(done, "hardware.amenities")["lost"] == item(base, "hardware.amenities")["lost"] + 1
    assert d["range"]["max"] == b["range"]["max"] - 2 and d["range"]["min"] == b["range"]["min"] + 6
    assert d["to_confirm"] == b["to_confirm"] - 7 - 1
    # a points item confirmed missing costs its point and warns; it does not fail the plan
    (dispenser,) = [r for r in done["results"] if r.get("details", {}).get("item") == "饮水机"]
    assert dispenser["status"] == "warn" and dispenser["basis"] == "review"
    assert done["verdict"] == "pass" and done["score"]["grade"]["max"] != "不合格"


# --- the review file is checked like a standard ---------------------------------------------------------
@pytest.mark.parametrize("text, words", [
    ('[[confirm]]\nrule = "equipment.required"\nitem = "信息拦"\n', ["confirm[0].item", "信息栏"]),
    ('[[confirm]]\nrule = "equipment.requird"\nitem = "信息栏"\n', ["confirm[0].rule", "equipment.required"]),
    ('[[confirm]]\nrul = "equipment.required"\n', ["confirm[0].rul", "rule"]),
    ('[[confirm]]\nscore = "hardware.sign"\npoints = 3\n', ["confirm[0].score"]),
    ('[[confirm]]\nstaff = "eight"\n', ["confirm[0].staff", "应为整数"]),
    ('[[confirm\n', ["TOML"]),
])
def test_a_bad_review_file_stops_with_one_line(cli, tmp_path, text, words):
    path = write_review(tmp_path, text)
    plan = Path(__file__).resolve().parent.parent / "plans" / "station-tier2-ok.dxf"
    run = cli("check", plan, "--population", "30000", "--review", path)
    assert run.code == 2 and run.out == ""
    line = run.err.strip()
    assert "\n" not in line and "Traceback" not in line and str(path) in line
    for w in words:
        assert w in line
    if "did you mean" in words[-1] or words[0].endswith((".item", ".rule", ".rul")):
        assert "是否想写" in line  # the default language is Chinese


def test_review_applies_in_batch_and_is_listed(cli, tmp_path):
    # the sample draws its notice board (信息栏) but no screen
    path = write_review(tmp_path, '[[confirm]]\nrule = "equipment.required"\nitem = "电子显示屏"\nby = "李工"\n')
    plan = Path(__file__).resolve().parent.parent / "plans" / "station-tier2-ok.dxf"
    run = cli("batch", plan, "--out", tmp_path / "out", "--population", "30000", "--review", path, "-q",
              "--jobs", "1")
    assert run.code in (0, 1)
    import json

    (report,) = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "out" / "reports").glob("*.json")]
    assert report["review"]["confirmed"] == [{"rule": "equipment.required", "item": "电子显示屏", "found": True,
                                              "by": "李工"}]
    assert any(r["basis"] == "review" and r["status"] == "pass" for r in report["results"])


def test_review_is_listed_in_text_and_html(cli, tmp_path):
    path = write_review(tmp_path, '[[confirm]]\nrule = "equipment.required"\nitem = "电子显示屏"\nby = "李工"\n'
                                  'note = "现场照片 3"\n')
    plan = Path(__file__).resolve().parent.parent / "plans" / "station-tier2-ok.dxf"
    for fmt in ("text", "html"):
        run = cli("check", plan, "--population", "30000", "--review", path, "--format", fmt)
        assert run.code in (0, 1)
        assert "李工" in run.out and "现场照片 3" in run.out and "电子显示屏" in run.out


def test_review_loader_reads_the_documented_example():
    doc = review_mod.__doc__
    example = doc[doc.index("    by = "):doc.index("Each confirmation")]
    text = "\n".join(line[4:] for line in example.splitlines())
    import tomllib

    data = tomllib.loads(text)
    assert data["confirm"][0]["item"] == "信息栏" and data["confirm"][1]["staff"] == 8


def test_readme_review_example_works(cli, tmp_path):
    from .test_standards_library import readme_block

    path = write_review(tmp_path, readme_block("review.toml"))
    plan = Path(__file__).resolve().parent.parent / "plans" / "station-tier2-ok.dxf"
    run = cli("check", plan, "--population", "30000", "--review", path, "--format", "json")
    assert run.code == 0
    report = run.json
    (staff,) = of(report, "staff.count")
    assert staff["status"] == "pass" and staff["basis"] == "review" and staff["measured"] == 4
    frame = [r for r in of(report, "checklist.confirm") if r["status"] == "pass"]
    assert frame and frame[0]["details"]["item"] == "框架式结构" and "李工" in frame[0]["message"]
    assert len(report["review"]["confirmed"]) == 3


def test_every_builtin_rule_entry_states_its_force_and_quotes_its_source():
    from layoutcheck.rules.base import FORCES

    for sid in standards.available():
        std = standards.load(sid)
        for kind in std.kinds:
            for rule_id, params in std.rules_for(kind):
                assert params.get("force") in FORCES, (sid, kind, rule_id)
                assert len(params.get("quote", "")) >= 10, (sid, kind, rule_id)
                if params["force"] == "soft" and rule_id in ("hall.share", "hall.minimum", "area.minimum"):
                    assert params.get("reading"), (sid, kind, rule_id)  # a band must say it is the file's


def test_kaifeng_screen_confirmed_absent_only_warns(tmp_path):
    in_source(KAIFENG, "有条件的地方可增设电子显示屏")
    path = write_review(tmp_path, '[[confirm]]\nrule = "equipment.required"\nitem = "电子显示屏"\nfound = false\n')
    report = rep(P.station(furniture=(P.board(),)), review=path, staff=3)
    (screen,) = [r for r in of(report, "equipment.required") if r["basis"] == "review"]
    assert screen["status"] == "warn" and screen["force"] == "soft" and report["verdict"] == "pass"


def test_review_and_quotes_in_the_pdf_review_document(cli, tmp_path):
    """The A4 review document (--format pdf) quotes the source under each finding and lists the review."""
    from .test_review import pdf_info, pdf_text  # poppler-utils, as the review document's own tests

    path = write_review(tmp_path, '[[confirm]]\nrule = "equipment.required"\nitem = "电子显示屏"\nby = "李工"\n'
                                  'note = "现场照片 3"\n')
    plan = Path(__file__).resolve().parent.parent / "plans" / "station-faulty.dxf"
    out = tmp_path / "r.pdf"
    run = cli("check", plan, "--population", "30000", "--review", path, "-f", "pdf", "-o", out)
    assert run.code == 1 and out.read_bytes()[:5] == b"%PDF-"
    squashed = "".join(pdf_text(out).split())
    assert "60%左右" in squashed and "李工" in squashed and "现场照片3" in squashed
    assert int(pdf_info(out)["Pages"]) <= 3  # still a review document of at most three A4 pages
