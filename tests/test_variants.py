"""The same plan drawn differently must give the same rooms, areas and verdicts (issue #2)."""

from __future__ import annotations

import pytest

VARIANTS = {
    "metres, rotated 37°, survey coordinates": dict(units="m", rotation_deg=37.0, offset=(500000.0, 3400000.0)),
    "binary DXF": dict(binary=True),
    "R12 with GBK text": dict(dxfversion="R12", encoding="gbk"),
    "AIA layer names, walls as outlines": dict(convention="aia", walls="polylines"),
    "millimetres, rotated 90°, mirrored door swings": dict(rotation_deg=90.0),
}


def summary(run) -> dict:
    rep = run.json
    return {
        "rooms": sorted((r["name"], r["type"], round(r["area_m2"], 2)) for r in rep["rooms"]),
        "gross": round(rep["metrics"]["gross_area_m2"], 2),
        "usable": round(rep["metrics"]["usable_area_m2"], 2),
        "share": round(rep["metrics"]["hall_share"] or 0.0, 4),
        "verdicts": [(r["rule"], r["status"]) for r in rep["results"] if not r["rule"].startswith("drawing.")],
        "tier": rep["tier"],
        "doors_mm": sorted(d["clear_width_mm"] for d in rep["doors"]),
        "counters": sorted((c["length_mm"], c["depth_mm"], c["height_mm"]) for c in rep["counters"]),
    }




@pytest.mark.parametrize("sample", ["station-tier2-ok", "station-faulty"])
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_variant_matches_millimetre_original(variant, sample, drawn, cli):
    args = ("--population", "30000", "--format", "json")
    base = cli("check", drawn(sample), *args)
    other = cli("check", drawn(sample, **VARIANTS[variant]), *args)
    assert other.code == base.code
    assert summary(other) == summary(base)


def test_tier2_summary_figures(drawn, cli):
    s = summary(cli("check", drawn(), "--population", "30000", "--format", "json"))
    assert s["gross"] == 126.0 and s["usable"] == 110.88
    assert s["doors_mm"] == [1000, 1000, 1000, 1500]
    assert s["counters"] == [(1600, 750, 760)] * 4


def test_r12_units_are_guessed_and_said(drawn, cli):
    rep = cli("check", drawn(dxfversion="R12", encoding="gbk"), "--format", "json").json
    guessed = [r for r in rep["results"] if r["rule"] == "drawing.units-guessed"]
    assert len(guessed) == 1 and guessed[0]["status"] == "warn" and "mm" in guessed[0]["message"]
    assert rep["drawing"]["units"] == "mm"


def test_units_override(drawn, cli):
    # --units beats $INSUNITS: the millimetre drawing read as centimetres has 100× the room areas
    rep = cli("check", drawn(), "--units", "cm", "--format", "json").json
    assert rep["metrics"]["usable_area_m2"] == pytest.approx(11088.0, rel=0.001)
    assert rep["drawing"]["units"] == "cm"
    # and on an R12 drawing (no $INSUNITS) it replaces the guess, so nothing is reported as guessed
    rep = cli("check", drawn(dxfversion="R12"), "--units", "mm", "--format", "json").json
    assert not [r for r in rep["results"] if r["rule"] == "drawing.units-guessed"]
    assert rep["metrics"]["gross_area_m2"] == pytest.approx(126.0, rel=0.005)


@pytest.mark.parametrize("sample", ["station-tier2-ok", "station-faulty", "community-ok"])
def test_walls_only_copy_gives_the_same_rooms_and_areas(sample, drawn, cli):
    """No room outlines: the rooms come from the spaces the walls enclose, named by their labels."""
    kind = "community" if sample.startswith("community") else "station"
    args = ("--population", "30000", "--kind", kind, "--format", "json")
    base = cli("check", drawn(sample), *args)
    walls_only = cli("check", drawn(sample, room_outlines=False), *args)
    assert summary(walls_only) == summary(base)
    said = [r for r in walls_only.json["results"] if r["rule"] == "drawing.no-room-outlines"]
    assert len(said) == 1 and said[0]["status"] == "warn"


@pytest.mark.parametrize("sample", ["station-tier2-ok", "community-ok"])
def test_walls_only_copy_without_inner_doors_or_jamb_lines_gives_the_same_rooms(sample, tmp_path):
    """As offices send them: doorways left empty (no door block) and walls as two face lines with no
    line across their ends. Each wall end facing a wall within END_GAP_M is bridged, each pair of face
    lines ending side by side is capped, and the rooms are those of the outlined original."""
    from layoutcheck import read_plan, samples

    doc = samples.build(samples.SAMPLES[sample](), room_outlines=False)
    msp = doc.modelspace()
    doors = [e for e in msp.query("INSERT") if e.dxf.name == "M1021"]  # 1.0 m inner doors; the entrance stays
    jambs = [e for e in msp.query('LINE[layer=="WALL"]') if abs((e.dxf.end - e.dxf.start).magnitude - 240) < 1]
    assert doors and jambs
    for e in doors + jambs:
        msp.delete_entity(e)
    bare = read_plan(samples.save(doc, tmp_path / "bare.dxf"))
    original = read_plan(samples.save(samples.build(samples.SAMPLES[sample]()), tmp_path / "original.dxf"))
    assert sorted((r.name, round(r.area_m2, 2)) for r in bare.rooms) == sorted(
        (r.name, round(r.area_m2, 2)) for r in original.rooms)
    assert any(r.rule == "drawing.no-room-outlines" for r in bare.findings)
