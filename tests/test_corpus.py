"""Real drawings from AutoCAD, ZWCAD, LibreCAD, QCAD, Jw_cad and converters (../shared/dxf-corpus).

Each must give a report (exit 0 or 1) or one clear line with exit 2 — never a traceback or a crash.
"""

from __future__ import annotations

import pytest

from .conftest import CORPUS

FILES = sorted(CORPUS.glob("*.dxf")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not FILES, reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_gives_a_report_or_one_clear_line(path, cli):
    run = cli("check", path, "--format", "json", "--population", "30000")
    assert "Traceback" not in run.err
    assert run.code in (0, 1, 2), run.err
    if run.code == 2:
        lines = run.err.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0], run.err
        assert run.out == ""
    else:
        rep = run.json
        assert rep["plan"] == path.name
        assert rep["metrics"]["gross_area_m2"] >= 0
        for r in rep["results"]:
            assert r["clause"] and r["message"], r


@pytest.mark.skipif(not FILES, reason=f"no corpus at {CORPUS}")
def test_corpus_room_areas_match_an_independent_computation(cli):
    # Plans__plan.dxf: the kitchen outline is 74,517,359 mm² (MANIFEST, computed by shapely over the raw
    # vertices); the drawing has no $INSUNITS, so millimetres are guessed and said.
    rep = cli("check", CORPUS / "Plans__plan.dxf", "--format", "json").json
    kitchen = [r for r in rep["rooms"] if r["name"] == "KITCHEN"]
    assert len(kitchen) == 1 and kitchen[0]["area_m2"] == pytest.approx(74.517, rel=0.005)
    assert any(r["rule"] == "drawing.units-guessed" for r in rep["results"])
