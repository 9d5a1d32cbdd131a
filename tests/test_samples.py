"""The bundled sample plans: areas a reviewer would work out by hand, and the verdicts they earn."""

from __future__ import annotations

import pytest

from layoutcheck import samples

from .conftest import PLANS

# Hand-worked from the layouts (wall centre lines, 240 mm walls): gross to the outer wall face,
# rooms to the inner wall faces.
TIER2 = {"gross": 12.00 * 10.50, "服务大厅": 11.52 * 6.06, "档案室": 3.66 * 3.72, "办公室": 3.66 * 3.72,
         "卫生间": 3.72 * 3.72}
FAULTY = {"gross": 9.50 * 9.50, "服务大厅": 9.02 * 3.76, "档案室": 2.76 * 5.02, "办公室": 3.02 * 5.02,
          "卫生间": 2.76 * 5.02}
COMMUNITY = {"gross": 9.00 * 7.20, "公共服务区": 5.26 * 6.72, "咨询服务区": 3.02 * 3.36, "档案管理区": 3.02 * 3.12}


def usable(expected: dict[str, float]) -> float:
    return sum(v for k, v in expected.items() if k != "gross")


def assert_close(measured: float, expected: float, rel: float = 0.005) -> None:
    assert measured == pytest.approx(expected, rel=rel), f"{measured} vs {expected}"


@pytest.mark.parametrize("name", sorted(samples.SAMPLES))
def test_committed_samples_are_what_the_script_draws(name, drawn, cli):
    """plans/*.dxf must be regenerated when samples.py changes: same areas from both."""
    a = cli("check", PLANS / f"{name}.dxf", "--format", "json").json["metrics"]
    b = cli("check", drawn(name), "--format", "json").json["metrics"]
    assert a == b


def test_tier2_station_passes_every_area_rule(cli):
    run = cli("check", PLANS / "station-tier2-ok.dxf", "--standard", "kaifeng-2014", "--kind", "station",
              "--population", "30000", "--format", "json")
    assert run.code == 0, run.out
    rep = run.json
    assert rep["verdict"] == "pass" and rep["tier"] == "二类"
    assert_close(rep["metrics"]["gross_area_m2"], TIER2["gross"])  # 126.00 m²
    assert_close(rep["metrics"]["usable_area_m2"], usable(TIER2))  # 110.88 m²
    assert_close(rep["metrics"]["hall_area_m2"], TIER2["服务大厅"])  # 69.81 m²
    assert rep["metrics"]["hall_share"] == pytest.approx(TIER2["服务大厅"] / usable(TIER2), abs=0.002)
    rooms = {r["name"]: r for r in rep["rooms"]}
    assert set(rooms) == {"服务大厅", "档案室", "办公室", "卫生间"}
    for name in rooms:
        assert_close(rooms[name]["area_m2"], TIER2[name])
    assert [rooms[n]["type"] for n in ("服务大厅", "档案室", "办公室", "卫生间")] == [
        "hall", "archive", "office", "auxiliary"]
    tier = run.result("area.tier")
    assert tier["status"] == "pass" and tier["required"] == {"min": 100, "max": 150}
    assert tier["clause"] == "汴政办〔2014〕61号 附件 第十条、第十三条"
    share = run.result("hall.share")
    assert share["status"] == "pass" and share["clause"].endswith("第十七条")
    assert run.result("rooms.required")["status"] == "pass"
    assert [r for r in rep["results"] if r["rule"].startswith("drawing.")] == []


def test_faulty_station_names_each_failing_rule_with_measured_required_and_clause(cli):
    run = cli("check", PLANS / "station-faulty.dxf", "--kind", "station", "--population", "30000",
              "--format", "json")
    assert run.code == 1
    rep = run.json
    assert rep["verdict"] == "fail"
    failed = {r["rule"] for r in rep["results"] if r["status"] == "fail"}
    assert failed == {"area.tier"}  # “60%左右” is soft wording: the hall share warns (issue 12)
    tier = run.result("area.tier")
    assert_close(tier["measured"], FAULTY["gross"])  # 90.25 m² < 100 m²
    assert tier["required"] == {"min": 100, "max": 150}
    assert "汴政办〔2014〕61号" in tier["clause"] and "第十三条" in tier["clause"]
    assert "少 9.8 m²" in tier["message"]
    assert tier["where"], "an area failure is marked on the plan"
    share = run.result("hall.share")
    assert share["status"] == "warn" and "本标准文件的解读" in share["message"]
    assert share["measured"] == pytest.approx(FAULTY["服务大厅"] / usable(FAULTY), abs=0.002)  # 44.2 %
    assert share["required"]["min"] == 0.55 and share["required"]["max"] == 0.65
    assert share["clause"] == "汴政办〔2014〕61号 附件 第十七条"
    # the hall is marked where it is: inside the hall's outline (x 0.12–9.14 m, y 0.12–3.88 m)
    (x, y), = share["where"]
    assert 0.12 < x < 9.14 and 0.12 < y < 3.88


def test_community_station_passes(cli):
    run = cli("check", PLANS / "community-ok.dxf", "--kind", "community", "--format", "json")
    assert run.code == 0, run.out
    rep = run.json
    assert_close(rep["metrics"]["gross_area_m2"], COMMUNITY["gross"])  # 64.8 m² ≥ 50
    assert_close(rep["metrics"]["usable_area_m2"], usable(COMMUNITY))
    assert run.result("area.minimum")["status"] == "pass"
    assert run.result("rooms.required")["status"] == "pass"
    assert {r["type"] for r in rep["rooms"]} == {"public_service", "consultation", "archive"}


def test_population_sets_the_tier_and_the_verdict(cli):
    plan = PLANS / "station-tier2-ok.dxf"  # 126 m²
    assert cli("check", plan, "--population", "60000", "--format", "json").result("area.tier")["status"] == "fail"
    assert cli("check", plan, "--population", "8000", "--format", "json").result("area.tier")["status"] == "fail"
    t3 = cli("check", plan, "--population", "8000", "--format", "json").result("area.tier")
    assert t3["required"] == {"min": 50, "max": 100} and "超出 26.0 m²" in t3["message"]
    # 第十三条: an approved increase lifts the upper limit by 50 % (三类: 100 → 150 m²)
    ok = cli("check", plan, "--population", "8000", "--approved-increase", "--format", "json")
    assert ok.result("area.tier")["status"] == "pass" and ok.result("area.tier")["required"]["max"] == 150
    na = cli("check", plan, "--format", "json").result("area.tier")
    assert na["status"] == "n/a" and "--population" in na["message"]


def test_text_report_reads_in_chinese_and_english(cli):
    zh = cli("check", PLANS / "station-faulty.dxf", "--population", "30000")
    assert zh.code == 1
    assert "建筑面积" in zh.out and "不合格" in zh.out and "汴政办〔2014〕61号" in zh.out and "90.25 m²" in zh.out
    en = cli("check", PLANS / "station-faulty.dxf", "--population", "30000", "--lang", "en")
    assert "Gross building area" in en.out and "FAIL" in en.out and "100–150 m²" in en.out
