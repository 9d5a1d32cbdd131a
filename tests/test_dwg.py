"""DWG input (ezdwg): real drawings from ../shared/dwg-corpus, compared with the DXF their owners saved.

A DWG and its DXF twin must give the same plan: the same entities read (checked against ezdxf's own
reading of the DXF, a reader that shares nothing with ezdwg), and the same metrics, rooms, counters and
verdict. Native TArch drawings end in the T3 instruction; the file with NaN text positions is read with
those entities counted. The corpus is not redistributable: it is never copied into the repository, and
these tests fail (never skip) when it is missing.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import ezdxf
import pytest

from layoutcheck.ingest import dwg as D
from layoutcheck.ingest.reader import open_dxf

from .conftest import ROOT

DWG_CORPUS = ROOT.parent / "shared" / "dwg-corpus"
TWIN_LAYERS = ROOT / "tests" / "data" / "dwg-twins.toml"

# The corpus's MANIFEST.md, file by file.
TWINS = {  # DWG → its DXF twin, and the options that make the twin a plan (its layers follow no convention)
    "dp_d1__Drawing1.dwg": ("dp_d1__Drawing1.dxf", ["--layers", TWIN_LAYERS, "--units", "m"]),
    "ld_ex2000__example_2000.dwg": ("ld_ex2000__example_2000.dxf", ["--layers", TWIN_LAYERS]),
    "acs_1015__sample_AC1015.dwg": ("acs_1015__sample_AC1015_ascii.dxf", ["--layers", TWIN_LAYERS]),
}
TARCH_NATIVE = ["tz_test1__天正测试文件1.dwg", "tz_door__天正门测试文件.dwg",
                "tz_rectwall__rectangle_walls_windows.dwg", "ld_gh109__gh109_1.dwg"]
NAN_FILE = "tz_t7__0627滕召海报建图_t7.dwg"
ALL = sorted({*TWINS, *TARCH_NATIVE, NAN_FILE, "ee_abihoone__TRN_EP_AR-5-01_V01_Abihoone-Korruseplaan.dwg",
              "adsk_arch__architectural_example-imperial.dwg", "sn_kitchen__KUq_Chui_P.dwg"})


def corpus(name: str) -> Path:
    p = DWG_CORPUS / name
    assert p.is_file(), f"the DWG corpus is missing {p} (tests need ../shared/dwg-corpus; see its MANIFEST.md)"
    return p


def test_the_corpus_is_there():
    assert DWG_CORPUS.is_dir(), f"no DWG corpus at {DWG_CORPUS}"
    have = {p.name for p in DWG_CORPUS.glob("*.dwg")}
    assert set(ALL) <= have and len(have) == len(ALL), sorted(have ^ set(ALL))


@pytest.mark.parametrize("name", ALL)
def test_every_dwg_gives_a_report_or_one_clear_line(name, cli):
    path = corpus(name)
    run = cli("check", path, "--format", "json", "--population", "30000", "--lang", "en")
    assert "Traceback" not in run.err and run.code in (0, 1, 2), run.err
    if run.code == 2:
        lines = run.err.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and run.out == "", run.err
    else:
        assert run.json["plan"] == path.name and run.json["metrics"]["gross_area_m2"] >= 0


# --- the same entities as the DXF twin, by an independent reader ------------------------------------------
def _signature(e) -> tuple:
    """What an entity is, rounded to 1e-6 drawing units: type, layer and its defining numbers."""
    t = e.dxftype()
    r = lambda v: tuple(round(float(c), 6) + 0.0 for c in v)  # noqa: E731 - +0.0 makes -0.0 equal 0.0
    if t == "LINE":
        return t, e.dxf.layer, tuple(sorted([r(e.dxf.start), r(e.dxf.end)]))
    if t in ("CIRCLE", "ARC"):
        extra = (round(e.dxf.start_angle % 360, 4), round(e.dxf.end_angle % 360, 4)) if t == "ARC" else ()
        return t, e.dxf.layer, r(e.dxf.center), round(e.dxf.radius, 6), extra
    if t == "LWPOLYLINE":
        return t, e.dxf.layer, e.closed, tuple(r(p[:2]) + (round(p[4], 6),) for p in e.get_points("xyseb"))
    if t in ("TEXT", "MTEXT"):
        text = e.dxf.text if t == "TEXT" else e.text
        return t, e.dxf.layer, text, r(e.dxf.insert)
    if t == "INSERT":  # anonymous blocks (*U13) are numbered afresh by every writer
        name = e.dxf.name if not e.dxf.name.startswith("*") else e.dxf.name.rstrip("0123456789")
        return (t, e.dxf.layer, name, r(e.dxf.insert), round(e.dxf.rotation % 360, 4),
                tuple(sorted((a.dxf.tag, a.dxf.text) for a in e.attribs)))
    return (t,)


SIGNED = ("LINE", "ARC", "CIRCLE", "LWPOLYLINE", "TEXT", "MTEXT", "INSERT")


@pytest.mark.parametrize("name", sorted(TWINS))
def test_dwg_holds_the_entities_of_its_dxf_twin(name):
    """Model space entity by entity: every LINE, ARC, CIRCLE, LWPOLYLINE, TEXT, MTEXT and INSERT (with its
    ATTRIBs) of the DXF twin, as ezdxf reads it, is in the DWG as layoutcheck reads it, and nothing more."""
    doc, _ = open_dxf(corpus(name))
    twin = ezdxf.readfile(corpus(TWINS[name][0]))
    got = Counter(_signature(e) for e in doc.modelspace() if e.dxftype() in SIGNED)
    want = Counter(_signature(e) for e in twin.modelspace() if e.dxftype() in SIGNED)
    assert sum(want.values()) >= 4
    assert got == want, (got - want, want - got)


def test_dwg_units_come_from_insunits():
    """$INSUNITS as each file declares it (MANIFEST: dp_d1 mm, acs_1015 inches; gh109 declares 0)."""
    for name, code in (("dp_d1__Drawing1.dwg", 4), ("acs_1015__sample_AC1015.dwg", 1),
                       ("ld_ex2000__example_2000.dwg", 4)):
        doc, _ = open_dxf(corpus(name))
        twin = ezdxf.readfile(corpus(TWINS[name][0]))
        assert doc.header["$INSUNITS"] == twin.header["$INSUNITS"] == code


# --- the same report as the DXF twin --------------------------------------------------------------------
def _json(cli, path: Path, extra) -> dict:
    run = cli("check", path, "--format", "json", "--population", "30000", "--lang", "en", *extra)
    assert run.code in (0, 1), run.err
    return run.json


def _rooms(rep):
    return sorted((r["name"], r["type"], r["area_m2"]) for r in rep["rooms"])


def _results(rep):
    """Each rule's outcome and figure. Where a result is placed is left out: access.turning-space places its
    0.00 m circle at any of equal candidates, which a last-digit difference in a vertex decides."""
    return sorted((r["rule"], r["status"], json.dumps(r["measured"]), r["message"] if r["rule"] not in (
        "access.turning-space",) else "") for r in rep["results"])


@pytest.mark.parametrize("name", sorted(TWINS))
def test_dwg_gives_the_report_of_its_dxf_twin(name, cli):
    twin, extra = TWINS[name]
    a, b = _json(cli, corpus(name), extra), _json(cli, corpus(twin), extra)
    assert a["metrics"] == b["metrics"]
    assert _rooms(a) == _rooms(b)
    assert a["counters"] == b["counters"] and a["zones"] == b["zones"] and a["doors"] == b["doors"]
    assert a["verdict"] == b["verdict"]
    assert _results(a) == _results(b)
    assert a["metrics"]["room_count"] >= 1


def _shoelace_m2(points, unit_m: float) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]))) / 2 * unit_m ** 2


def test_dwg_room_areas_by_hand(cli):
    """dp_d1: the two closed polylines on layer JMD, read as rooms in metres. Their areas by the shoelace
    formula over the DXF twin's vertices (ezdxf only) are the DWG report's room areas."""
    twin = ezdxf.readfile(corpus("dp_d1__Drawing1.dxf"))
    want = sorted(round(_shoelace_m2([tuple(p[:2]) for p in e.get_points("xy")], 1.0), 2)
                  for e in twin.modelspace().query("LWPOLYLINE[layer=='JMD']") if e.closed)
    assert len(want) == 2
    rep = _json(cli, corpus("dp_d1__Drawing1.dwg"), TWINS["dp_d1__Drawing1.dwg"][1])
    assert sorted(r["area_m2"] for r in rep["rooms"]) == pytest.approx(want, abs=0.011)
    assert rep["metrics"]["gross_area_m2"] == pytest.approx(sum(want), abs=0.02)


# --- TArch ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", TARCH_NATIVE)
def test_native_tarch_dwg_gives_the_t3_instruction(name, cli):
    path = corpus(name)
    for lang, words in (("zh", ("天正", "图形导出", "T3")), ("en", ("TArch", "图形导出", "T3"))):
        run = cli("check", path, "--lang", lang)
        lines = run.err.strip().splitlines()
        assert run.code == 2 and len(lines) == 1 and run.out == "" and "Traceback" not in run.err
        assert str(path) in lines[0] and all(w in lines[0] for w in words), lines[0]


def test_tarch_dwg_and_its_dxf_twin_both_say_export_t3(cli):
    """gh109: the DXF twin holds 25 proxy objects (ACAD_PROXY_ENTITY) where the DWG holds 25 TCH_* entities."""
    a = cli("check", corpus("ld_gh109__gh109_1.dwg"), "--lang", "en")
    b = cli("check", corpus("ld_gh109__gh109_1.dxf"), "--lang", "en")
    assert a.code == b.code == 2
    assert "(25 TCH_*" in a.err and "(25 ACAD_PROXY_ENTITY" in b.err and "T3" in a.err and "T3" in b.err


def test_nan_file_is_read_with_its_bad_entities_counted(cli):
    """tz_t7 (MANIFEST): 6 TEXT with NaN positions, a damaged block table entry, 886 TArch objects. ezdwg's
    TEXT query raises on the NaN; the text is read from the decoder's rows and the 6 are dropped."""
    run = cli("check", corpus(NAN_FILE), "--format", "json", "--lang", "en")
    assert run.code in (0, 1) and "Traceback" not in run.err, run.err
    bad = run.result("drawing.bad-numbers")
    assert bad["status"] == "warn" and bad["message"].startswith("6 entities")
    blocks = run.result("drawing.dwg-block-names")
    assert blocks["status"] == "warn" and "control characters" in blocks["message"]
    assert run.result("drawing.proxy-entities")["message"].startswith("886 TArch")
    doc, _ = open_dxf(corpus(NAN_FILE))
    texts = doc.modelspace().query("TEXT")
    assert len(texts) > 400 and all(math.isfinite(c) for t in texts for c in t.dxf.insert)
    assert any("城南市场东路" == t.dxf.text for t in doc.query("TEXT"))  # GBK text of an R2004 file


# --- the builder, without ezdwg ----------------------------------------------------------------------------
def _data(**over):
    data = {
        "version": "AC1018", "insunits": 4, "layers": {10: "0", 11: "WALL", 12: "SPACE"},
        "style_layer": {100: 11, 101: 12, 102: 12, 103: 11, 104: 11, 200: 10},
        "placements": {100: (2, 0), 101: (2, 0), 102: (2, 0), 103: (2, 0), 104: (2, 0), 200: (0, 50)},
        "block_names": {31: "*Model_Space", 50: "CHAIR", 51: "BAD\x01\x02NAME"},
        "blocks": [(31, "*Model_Space", (0.0, 0.0, 0.0)), (50, "CHAIR", (0.0, 0.0, 0.0)),
                   (51, "BAD\x01\x02NAME", (0.0, 0.0, 0.0))],
        "insert_blocks": {103: 50, 104: 77},
        "entities": [
            ("LINE", 100, {"start": (0, 0, 0), "end": (6000, 0, 0)}),
            ("LWPOLYLINE", 101, {"points": [(0, 0, 0), (6000, 0, 0), (6000, 4000, 0), (0, 4000, 0)],
                                 "bulges": [0, 0, 0, 0], "closed": True}),
            ("TEXT", 102, {"text": "档案室", "insert": (float("nan"), 2000.0, 0.0), "height": 300.0}),
            ("INSERT", 103, {"name": "CHAIR", "insert": (1000, 1000, 0)}),
            ("INSERT", 104, {"name": "GONE", "insert": (2000, 1000, 0)}),
            ("CIRCLE", 200, {"center": (0, 0, 0), "radius": 250.0}),
        ],
        "failed": {"ELLIPSE": "ValueError"}, "lost": {"ELLIPSE": 3}, "custom": {"TCH_WALL": 2},
    }
    data.update(over)
    return data


def test_builder_places_entities_in_model_space_and_blocks():
    doc, findings = D.build(_data(), "x.dwg")
    msp = doc.modelspace()
    assert Counter(e.dxftype() for e in msp) == {"LINE": 1, "LWPOLYLINE": 1, "TEXT": 1, "INSERT": 1}
    (line,) = msp.query("LINE")
    assert line.dxf.layer == "WALL" and line.dxf.end.isclose((6000, 0, 0))
    assert [e.dxftype() for e in doc.blocks["CHAIR"]] == ["CIRCLE"]
    assert doc.header["$INSUNITS"] == 4
    by = {f.rule: f for f in findings}
    # one damaged block name (control characters) and one INSERT of a block the table lacks
    assert by["drawing.dwg-block-names"].args["count"] == 2
    assert by["drawing.dwg-unread"].args == {"count": 3, "types": "ELLIPSE"}
    assert D.custom_objects(doc) == (2, True)


def test_builder_leaves_insunits_out_when_the_dwg_has_none():
    doc, _ = D.build(_data(insunits=None), "x.dwg")
    assert "$INSUNITS" not in doc.header


def test_nan_entity_is_dropped_and_counted_by_the_guard():
    from layoutcheck.ingest.reader import guard

    doc, _ = D.build(_data(), "x.dwg")
    findings = guard(doc, "x.dwg")
    assert [(f.rule, f.args) for f in findings] == [("drawing.bad-numbers", {"count": 1})]
    assert len(doc.modelspace().query("TEXT")) == 0


# --- guard rails: time and memory --------------------------------------------------------------------------
def _hanging_child(tmp_path, monkeypatch) -> Path:
    pidfile = tmp_path / "child.pid"
    script = tmp_path / "hang.py"
    script.write_text(f"import os, time\nopen({str(pidfile)!r}, 'w').write(str(os.getpid()))\ntime.sleep(120)\n")
    monkeypatch.setattr(D, "_CHILD", script)
    return pidfile


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_dwg_read_that_hangs_is_stopped_by_the_time_limit(tmp_path, monkeypatch, cli):
    """The reader runs in a child process: the check's deadline kills it (a Rust call cannot be interrupted)."""
    pidfile = _hanging_child(tmp_path, monkeypatch)
    monkeypatch.setenv("LAYOUTCHECK_TIMEOUT", "1.5")
    started = time.monotonic()
    run = cli("check", corpus("dp_d1__Drawing1.dwg"), "--lang", "en")
    assert time.monotonic() - started < 10
    assert run.code == 2 and "longer than 1.5 s" in run.err and len(run.err.strip().splitlines()) == 1
    assert _gone(int(pidfile.read_text()))


def test_the_dwg_time_limit_holds_in_a_worker_thread(tmp_path, monkeypatch):
    """Dask runs checks in threads, where the deadline is an asynchronous exception: the wait for the reader
    polls, so the exception gets in and the reader is killed."""
    import threading

    from layoutcheck import pipeline
    from layoutcheck.errors import InputError

    pidfile = _hanging_child(tmp_path, monkeypatch)
    got = {}

    def work():
        try:
            pipeline.check(corpus("dp_d1__Drawing1.dwg"), timeout_s=1.0)
        except InputError as exc:
            got["error"] = exc.render("en")

    t = threading.Thread(target=work)
    started = time.monotonic()
    t.start()
    t.join(30)
    assert not t.is_alive() and time.monotonic() - started < 10
    assert "longer than 1 s" in got["error"]
    assert _gone(int(pidfile.read_text()))


def test_a_dwg_read_over_the_memory_cap_ends_in_one_line(monkeypatch, cli):
    """tz_t7 needs ~60 MB of address space to decode; capped at 40 MB, the reader's process runs out (a Rust
    allocation failure aborts it, or Python raises MemoryError) and the check says so in one line."""
    monkeypatch.setenv("LAYOUTCHECK_DWG_MEMORY_MB", "40")
    run = cli("check", corpus(NAN_FILE), "--lang", "en")
    lines = run.err.strip().splitlines()
    assert run.code == 2 and len(lines) == 1 and "memory cap (40 MB)" in lines[0] and "Traceback" not in run.err


# --- batch and markup --------------------------------------------------------------------------------------
def test_batch_reads_dwg_from_a_folder_and_a_glob(tmp_path, cli):
    src = tmp_path / "plans"
    src.mkdir()
    for name in ("dp_d1__Drawing1.dwg", "tz_door__天正门测试文件.dwg"):
        (src / name).symlink_to(corpus(name))
    (src / "notes.txt").write_text("not a plan")
    for given in (src, str(src / "*.dwg")):
        out = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
        run = cli("batch", given, "--out", out, "--lang", "en", "--jobs", "1", "--population", "30000",
                  "--layers", TWIN_LAYERS, "--units", "m")
        assert run.code == 2 and "Traceback" not in run.err  # one plan unusable: the batch's exit is 2
        rows = (out / "summary.csv").read_text(encoding="utf-8").splitlines()
        assert len(rows) == 3
        door = next(r for r in rows if "tz_door" in r)
        assert "T3" in door and "图形导出" in door
        plan = next(r for r in rows if "dp_d1" in r)
        assert ",fail," in plan or ",pass," in plan


def test_markup_of_a_dwg_is_a_dxf_copy(tmp_path, cli):
    out = tmp_path / "marked.dwg"
    run = cli("check", corpus("acs_1015__sample_AC1015.dwg"), "--layers", TWIN_LAYERS, "--markup", out,
              "--lang", "en")
    assert run.code in (0, 1)
    written = tmp_path / "marked.dxf"
    assert not out.exists() and written.is_file()
    assert "the marked-up copy is a DXF" in run.err and str(written) in run.err
    doc = ezdxf.readfile(written)
    assert len(doc.modelspace().query("*[layer=='LAYOUTCHECK']")) > 0
    twin = ezdxf.readfile(corpus("acs_1015__sample_AC1015_ascii.dxf"))  # the drawing itself is still there
    assert Counter(_signature(e) for e in twin.modelspace() if e.dxftype() in SIGNED) <= \
        Counter(_signature(e) for e in doc.modelspace() if e.dxftype() in SIGNED)


def test_reader_process_needs_no_layoutcheck_import():
    """The child is run as a plain script: it must not import layoutcheck (startup time, and it runs
    before the package's own imports could be capped)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", str(D._CHILD), str(corpus("dp_d1__Drawing1.dwg")),
                           "2048", "60"], capture_output=True, timeout=60)
    assert proc.returncode == 0 and b"layoutcheck" not in proc.stderr and b"ezdxf" not in proc.stderr


def test_the_reader_process_has_its_own_cpu_cap(tmp_path, monkeypatch, cli):
    """Behind the check's time limit (which a notebook may switch off), the reader caps its own CPU time
    with the child's real rlimit code: a decoder spinning past it is stopped by the kernel (SIGXCPU)."""
    script = tmp_path / "spin.py"
    script.write_text(f"import sys\nsys.path.insert(0, {str(D._CHILD.parent)!r})\nimport _dwg_child\n"
                      "_dwg_child._limit(int(sys.argv[2]), int(sys.argv[3]))\nwhile True:\n    pass\n")
    monkeypatch.setattr(D, "_CHILD", script)
    monkeypatch.setattr(D, "CPU_S", 1)
    monkeypatch.setenv("LAYOUTCHECK_TIMEOUT", "60")
    started = time.monotonic()
    run = cli("check", corpus("dp_d1__Drawing1.dwg"), "--lang", "en")
    assert time.monotonic() - started < 30
    assert run.code == 2 and "longer than 1 s" in run.err and len(run.err.strip().splitlines()) == 1
