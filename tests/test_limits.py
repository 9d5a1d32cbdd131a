"""Hostile drawings meet limits, each a clear error or finding: block nesting, entity count, time."""

from __future__ import annotations

import ezdxf
import pytest

from layoutcheck.ingest import extract

from .conftest import PLANS


def test_self_inserting_block_is_skipped_and_reported(tmp_path, cli):
    doc = ezdxf.readfile(PLANS / "station-tier2-ok.dxf")
    loop = doc.blocks.new("LOOP")
    loop.add_line((0, 0), (100, 0), dxfattribs={"layer": "WALL"})
    loop.add_blockref("LOOP", (10, 10))  # inserts itself
    doc.modelspace().add_blockref("LOOP", (-5000, -5000), dxfattribs={"layer": "WALL"})
    p = tmp_path / "loop.dxf"
    doc.saveas(p)
    run = cli("check", p, "--population", "30000", "--format", "json")
    assert run.code in (0, 1) and "Traceback" not in run.err
    (nest,) = [r for r in run.json["results"] if r["rule"] == "drawing.nesting-limit"]
    assert nest["status"] == "warn" and "分解" in nest["message"]


def test_too_many_entities_is_refused(monkeypatch, cli):
    monkeypatch.setattr(extract, "MAX_ENTITIES", 50)
    run = cli("check", PLANS / "station-tier2-ok.dxf", "--lang", "en")
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1
    assert "more than 50 entities" in run.err and "station-tier2-ok.dxf" in run.err


def test_a_check_that_runs_too_long_is_stopped(monkeypatch, cli):
    monkeypatch.setenv("LAYOUTCHECK_TIMEOUT", "0.01")
    run = cli("check", PLANS / "station-tier2-ok.dxf", "--lang", "en")
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1
    assert "longer than 0.01 s" in run.err and "LAYOUTCHECK_TIMEOUT" in run.err


def test_the_time_limit_works_in_a_worker_thread(monkeypatch):
    """Dask runs checks in worker threads, where SIGALRM cannot reach: the deadline is raised in the thread."""
    import threading
    import time

    from layoutcheck import pipeline
    from layoutcheck.errors import InputError

    def slow_measure(plan):  # a hang in Python code, as a hostile drawing makes one
        while True:
            time.sleep(0.001)

    monkeypatch.setattr(pipeline, "measure", slow_measure)
    got = {}

    def work():
        started = time.monotonic()
        try:
            pipeline.check(PLANS / "station-tier2-ok.dxf", timeout_s=1.0)
        except InputError as exc:
            got["error"] = exc.render("en")
        got["seconds"] = time.monotonic() - started
        time.sleep(0.3)  # the deadline must not arrive late, after the check
        got["after"] = "clean"

    t = threading.Thread(target=work)
    t.start()
    t.join(30)
    assert not t.is_alive()
    assert "longer than 1 s" in got["error"] and "station-tier2-ok.dxf" in got["error"]
    assert got["seconds"] < 5 and got["after"] == "clean"


def test_a_check_in_a_thread_that_ends_in_time_is_not_interrupted_later():
    import threading
    import time

    from layoutcheck import Project, pipeline

    got = {}

    def work():
        got["verdict"] = pipeline.check(PLANS / "station-tier2-ok.dxf", project=Project(population=30000),
                                        timeout_s=2.0).verdict
        time.sleep(2.5)  # past the deadline: the timer was cancelled with the check
        got["after"] = "clean"

    t = threading.Thread(target=work)
    t.start()
    t.join(60)
    assert got == {"verdict": "pass", "after": "clean"}


@pytest.mark.parametrize("text", ["  0\nSECTION\n  2\nENTITIES\n  0\nINSERT\n  8\n0\n  2\nNOPE\n 10\n0\n 20\n0\n"
                                  "  0\nENDSEC\n  0\nEOF\n"])
def test_insert_of_a_missing_block(tmp_path, cli, text):
    p = tmp_path / "missing-block.dxf"
    p.write_text(text, encoding="utf-8")
    run = cli("check", p, "--lang", "en")
    assert run.code == 2 and "Traceback" not in run.err and len(run.err.strip().splitlines()) == 1


def test_template_is_a_compliant_starting_point(tmp_path, cli):
    out = tmp_path / "start.dxf"
    assert cli("template", out).code == 0 and out.exists()
    doc = ezdxf.readfile(out)
    assert {"WALL", "SPACE", "DOOR_FIRE", "WINDOW", "PUB_TEXT", "COUNTER"} <= {layer.dxf.name for layer in doc.layers}
    counter = doc.blocks.get("柜台")
    assert counter is not None and [a.dxf.tag for a in counter.query("ATTDEF")] == ["HEIGHT"]
    assert "M1021" in doc.blocks and "C1815" in doc.blocks
    run = cli("check", out, "--population", "30000", "--format", "json")
    assert run.code == 0 and run.json["metrics"]["gross_area_m2"] == pytest.approx(126.0, rel=0.005)
    assert not [r for r in run.json["results"] if r["rule"].startswith("drawing.")]  # the notes are not read
    again = cli("template", out)
    assert again.code == 2 and "--force" in again.err
