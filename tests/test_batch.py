"""``layoutcheck batch``: many plans, unreadable ones reported and skipped over, resumable, Dask too.

The plans are the bundled sample layouts, drawn once per module and copied into each test's folder.
Most tests check them against a light standard (the default one without the grid-based route
analysis of the access.* rules) so the file stays well under a minute on two cores.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from layoutcheck import batch as B
from layoutcheck import samples
from layoutcheck import standards as S

from .conftest import ROOT

COLUMNS = ["plan", "verdict", "gross_area_m2", "usable_area_m2", "hall_share", "failed_rules", "error"]
# issue 14: added after the original columns, which keep their places
NEW_COLUMNS = ["project", "standard", "kind", "population", "tier", "staff", "windows", "failed", "warnings",
               "to_confirm", "score_min", "score_max", "grade", "report", "failed_messages"]
NAMES = ["station-tier2-ok", "station-faulty", "community-ok"]  # from layoutcheck.samples


@pytest.fixture(scope="module")
def drawings(tmp_path_factory) -> dict[str, Path]:
    """The three sample plans, a plan cluttered with 10 000 dimension lines (slow to read), and a light
    standard: the default one with every access.* rule switched off."""
    folder = tmp_path_factory.mktemp("batch-drawings")
    out = {name: samples.save(samples.build(samples.SAMPLES[name]()), folder / f"{name}.dxf") for name in NAMES}
    doc = samples.build(samples.station_tier2_ok())
    msp = doc.modelspace()
    for i in range(10000):
        msp.add_line((i * 10.0, -5000), (i * 10.0, -4000), dxfattribs={"layer": "PUB_DIM"})
    out["slow"] = samples.save(doc, folder / "slow.dxf")
    heavy = sorted(r for r in S.load("kaifeng-2014").rules if r.startswith("access."))
    light = folder / "light.toml"
    light.write_text('id = "batch-light"\ntitle = "kaifeng-2014, no route analysis"\nextends = "kaifeng-2014"\n'
                     + "".join(f'\n[rules."{r}"]\nenabled = false\n' for r in heavy), encoding="utf-8")
    out["light"] = light
    return out


def make_folder(root: Path, drawings: dict[str, Path], good: int = 27) -> list[str]:
    """``good`` sample plans spread over sub-folders a/, b/, c/ (the same file names in each) plus an
    empty file, a DWG and a text file. Returns the relative paths of the unreadable ones."""
    for i in range(good):
        sub = root / "abc"[i % 3]
        sub.mkdir(parents=True, exist_ok=True)
        name = NAMES[(i // 3) % 3]
        shutil.copy2(drawings[name], sub / f"{name}-{i // 9}.dxf")
    (root / "bad").mkdir(parents=True, exist_ok=True)
    (root / "bad" / "empty.dxf").write_bytes(b"")
    (root / "bad" / "drawing.dxf").write_bytes(b"AC1032" + bytes(200))  # a DWG renamed to .dxf
    (root / "bad" / "notes.dxf").write_text("项目说明\n这不是图纸\n", encoding="utf-8")
    return ["bad/drawing.dxf", "bad/empty.dxf", "bad/notes.dxf"]


def summary(out: Path) -> list[dict[str, str]]:
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so Excel does not read it as GBK"
    with open(out / "summary.csv", encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS + NEW_COLUMNS
        return list(reader)


def batch_json(run) -> dict:
    return json.loads(run.out.strip().splitlines()[-1])


def test_folder_with_unreadable_plans(tmp_path, cli, drawings):
    src = tmp_path / "plans"
    bad = make_folder(src, drawings)
    out = tmp_path / "out"
    run = cli("batch", src, "--out", out, "--standard", drawings["light"], "--population", "30000",
              "--jobs", "2", "--format", "json", "--lang", "en")
    assert run.code == 2, run.err
    counts = batch_json(run)
    assert counts["plans"] == 30 and counts["error"] == 3 and counts["checked"] == 30 and counts["skipped"] == 0

    rows = summary(out)
    assert len(rows) == 30
    errors = [r for r in rows if r["error"]]
    assert sorted(Path(r["plan"]).relative_to(src).as_posix() for r in errors) == bad
    for r in errors:
        assert r["verdict"] == "error" and "\n" not in r["error"] and r["plan"] in r["error"]
        assert r["gross_area_m2"] == r["failed_rules"] == ""
    by_error = {Path(r["plan"]).name: r["error"] for r in errors}
    assert "DWG file cannot be read" in by_error["drawing.dxf"] and "empty" in by_error["empty.dxf"]
    assert "not a DXF" in by_error["notes.dxf"]
    # the errors were also said on stderr, one line each, and never a traceback
    assert "Traceback" not in run.err and sum("layoutcheck: " in ln for ln in run.err.splitlines()) == 3

    # every good plan measured as a single check measures it
    expected = {name: samples.SAMPLES[name]().expected() for name in NAMES}
    for r in rows:
        if r["error"]:
            continue
        name = Path(r["plan"]).stem.rsplit("-", 1)[0]
        assert float(r["gross_area_m2"]) == pytest.approx(expected[name]["gross_area_m2"], abs=0.01)
        assert float(r["usable_area_m2"]) == pytest.approx(expected[name]["usable_area_m2"], abs=0.01)
        assert r["verdict"] == ("pass" if name == "station-tier2-ok" else "fail"), r
        if name == "station-faulty":
            assert "area.tier" in r["failed_rules"].split(";")  # hall.share only warns (“60%左右”)
    # one report per plan; same-named files in different folders do not overwrite each other
    reports = sorted(p.name for p in (out / "reports").glob("*.json"))
    assert len(reports) == 30 and "a__station-tier2-ok-0.dxf.json" in reports and "b__station-tier2-ok-0.dxf.json" in reports
    rep = json.loads((out / "reports" / "c__station-faulty-1.dxf.json").read_text(encoding="utf-8"))
    assert rep["verdict"] == "fail" and rep["standard"] == "batch-light" and rep["batch"]["sha256"]
    bad_rep = json.loads((out / "reports" / "bad__empty.dxf.json").read_text(encoding="utf-8"))
    assert bad_rep["verdict"] == "error" and "empty" in bad_rep["error"]


def test_exit_codes_pass_and_fail(tmp_path, cli, drawings):
    (tmp_path / "ok").mkdir()
    shutil.copy2(drawings["station-tier2-ok"], tmp_path / "ok" / "a.dxf")
    run = cli("batch", tmp_path / "ok", "--out", tmp_path / "o1", "-s", drawings["light"], "-p", "30000", "-q")
    assert run.code == 0, run.err
    assert "1" in run.out and "summary.csv" in run.out  # the closing line
    shutil.copy2(drawings["station-faulty"], tmp_path / "ok" / "b.dxf")
    run = cli("batch", tmp_path / "ok", "--out", tmp_path / "o1", "-s", drawings["light"], "-p", "30000", "-q",
              "-f", "json")
    assert run.code == 1 and batch_json(run)["checked"] == 1 and batch_json(run)["skipped"] == 1


def test_units_and_approved_increase_apply_to_every_plan(tmp_path, cli, drawings):
    """The options ``check`` has for reading a plan work for a batch too, and a change re-checks the plans."""
    (tmp_path / "p").mkdir()
    shutil.copy2(drawings["station-tier2-ok"], tmp_path / "p" / "a.dxf")
    args = ["batch", tmp_path / "p", "--out", tmp_path / "o", "-s", drawings["light"], "-p", "30000", "-q", "-f", "json"]
    assert cli(*args).code == 0
    read_as_cm = cli(*args, "--units", "cm")  # the same drawing taken in cm is 100 × too large
    assert read_as_cm.code == 1 and batch_json(read_as_cm)["checked"] == 1
    (row,) = summary(tmp_path / "o")
    assert float(row["usable_area_m2"]) == pytest.approx(110.88 * 100, rel=1e-3) and "area.tier" in row["failed_rules"]
    report = json.loads((tmp_path / "o" / "reports" / "a.dxf.json").read_text(encoding="utf-8"))
    assert report["drawing"]["units"] == "cm"
    assert batch_json(cli(*args, "--units", "cm"))["checked"] == 0  # unchanged settings: skipped
    assert batch_json(cli(*args, "--approved-increase"))["checked"] == 1


def test_glob_input(tmp_path, cli, drawings):
    make_folder(tmp_path / "plans", drawings, good=6)
    pattern = str(tmp_path / "plans" / "**" / "station-*.dxf")
    run = cli("batch", pattern, "--out", tmp_path / "out", "-s", drawings["light"], "-p", "30000", "-f", "json")
    assert run.code == 1, run.err
    rows = summary(tmp_path / "out")
    assert len(rows) == 6 and all("station-" in r["plan"] for r in rows)
    assert sorted(p.stem for p in (tmp_path / "out" / "reports").iterdir()) == sorted(
        f"{d}__station-{n}-0.dxf" for d in "abc" for n in ("faulty", "tier2-ok"))


def test_manifest_per_plan_settings(tmp_path, cli, drawings, monkeypatch):
    plans = tmp_path / "project" / "plans"
    plans.mkdir(parents=True)
    for name in NAMES:
        shutil.copy2(drawings[name], plans / f"{name}.dxf")
    shutil.copy2(drawings["light"], tmp_path / "project" / "light.toml")
    manifest = tmp_path / "project" / "manifest.csv"
    manifest.write_text(
        "plan,standard,kind,population\n"
        "plans/station-tier2-ok.dxf,,,30000\n"          # 二类: 126 m² in 100–150 → pass
        "plans/station-tier2-ok.dxf,,station,60000\n"   # the same plan as 一类: 126 < 150 → fail
        "plans/community-ok.dxf,light.toml,community,\n"
        "plans/station-faulty.dxf,,,\n"                 # every cell from the command line
        "plans/missing.dxf,,,\n",
        encoding="utf-8")
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)  # the manifest's paths are relative to the manifest, not to the working directory
    run = cli("batch", manifest, "--out", out, "--standard", drawings["light"], "--population", "20000",
              "--format", "json", "--lang", "en")
    assert run.code == 2, run.err  # the missing plan
    rows = summary(out)
    assert [r["plan"] for r in rows] == ["plans/station-tier2-ok.dxf", "plans/station-tier2-ok.dxf",
                                        "plans/community-ok.dxf", "plans/station-faulty.dxf", "plans/missing.dxf"]
    assert [r["verdict"] for r in rows] == ["pass", "fail", "pass", "fail", "error"]
    assert "area.tier" in rows[1]["failed_rules"] and "not found" in rows[4]["error"]

    reports = out / "reports"
    first = json.loads((reports / "plans__station-tier2-ok.dxf.json").read_text(encoding="utf-8"))
    # the same file listed twice: the second report's name adds 8 hex digits of the path's SHA-256
    tag = hashlib.sha256(b"plans/station-tier2-ok.dxf").hexdigest()[:8]
    second = json.loads((reports / f"plans__station-tier2-ok.dxf~{tag}.json").read_text(encoding="utf-8"))
    assert (first["population"], first["tier"]) == (30000, "二类")
    assert (second["population"], second["tier"]) == (60000, "一类")
    community = json.loads((reports / "plans__community-ok.dxf.json").read_text(encoding="utf-8"))
    assert community["kind"] == "community" and community["population"] == 20000
    faulty = json.loads((reports / "plans__station-faulty.dxf.json").read_text(encoding="utf-8"))
    assert faulty["kind"] == "station" and faulty["population"] == 20000 and faulty["standard"] == "batch-light"


def test_manifest_row_with_several_storeys(tmp_path, cli, drawings):
    """A plan of two storeys is one row, its files joined by ';': checked together, one report, gross areas
    summed; a missing storey is that row's error, named as written; editing either file re-checks the row."""
    two = tmp_path / "two"
    two.mkdir()
    shutil.copy2(drawings["station-tier2-ok"], two / "1F.dxf")
    shutil.copy2(drawings["station-tier2-ok"], two / "2F.dxf")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("plan,population\ntwo/1F.dxf; two/2F.dxf,30000\ntwo/1F.dxf;two/3F.dxf,30000\n",
                        encoding="utf-8")
    args = ["batch", manifest, "--out", tmp_path / "out", "-s", drawings["light"], "-f", "json", "--lang", "en", "-q"]
    run = cli(*args)
    assert run.code == 2, run.err
    both, missing = summary(tmp_path / "out")
    assert both["plan"] == "two/1F.dxf;two/2F.dxf"
    assert float(both["gross_area_m2"]) == pytest.approx(2 * 126.0) and both["verdict"] == "fail"  # 252 m² > 150
    assert float(both["usable_area_m2"]) == pytest.approx(2 * 110.88)
    assert missing["verdict"] == "error" and "two/3F.dxf" in missing["error"] and "not found" in missing["error"]
    report = json.loads((tmp_path / "out" / "reports" / "two__1F.dxf.json").read_text(encoding="utf-8"))
    assert len(report["plans"]) == 2 and report["metrics"]["gross_area_by_storey_m2"] == [126.0, 126.0]
    again = batch_json(cli(*args))
    assert (again["checked"], again["skipped"]) == (1, 1)  # the error row is tried again, the other is current
    st = (two / "2F.dxf").stat()
    os.utime(two / "2F.dxf", ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    assert batch_json(cli(*args))["checked"] == 1  # touched, same bytes: only the error row again
    shutil.copy2(drawings["station-faulty"], two / "2F.dxf")  # another drawing on the second storey
    assert batch_json(cli(*args))["checked"] == 2


@pytest.mark.parametrize("content, needle", [
    ("plan,populaton\na.dxf,3\n", "populaton"),
    ("plan,population\na.dxf,many\n", "line 2"),
    ("plan,kind\na.dxf,school\n", "school"),
    ("plan\n ; \n", "line 2"),
    ("standard\nkaifeng-2014\n", "'plan'"),
])
def test_bad_manifest_is_one_line(tmp_path, cli, content, needle):
    manifest = tmp_path / "m.csv"
    manifest.write_text(content, encoding="utf-8")
    run = cli("batch", manifest, "--out", tmp_path / "out", "--lang", "en")
    assert run.code == 2 and run.out == ""
    assert len(run.err.strip().splitlines()) == 1 and needle in run.err and "m.csv" in run.err


def test_gbk_manifest_from_excel(tmp_path, cli, drawings):
    shutil.copy2(drawings["community-ok"], tmp_path / "社区.dxf")
    (tmp_path / "清单.csv").write_bytes("plan,kind\n社区.dxf,服务站\n".encode("gbk"))
    run = cli("batch", tmp_path / "清单.csv", "--out", tmp_path / "out", "-s", drawings["light"], "-f", "json")
    assert run.code == 0, run.err
    assert summary(tmp_path / "out")[0]["plan"] == "社区.dxf"


def test_nothing_to_check(tmp_path, cli):
    (tmp_path / "empty").mkdir()
    run = cli("batch", tmp_path / "empty", "--out", tmp_path / "out", "--lang", "en")
    assert run.code == 2 and "no .dxf or .dwg plans" in run.err and len(run.err.strip().splitlines()) == 1
    run = cli("batch", tmp_path / "nope", "--out", tmp_path / "out", "--lang", "en")
    assert run.code == 2 and "not found" in run.err


def test_resume_skips_unchanged_plans(tmp_path, cli, drawings):
    src = tmp_path / "plans"
    make_folder(src, drawings, good=12)
    out = tmp_path / "out"
    args = ["batch", src, "--out", out, "--standard", drawings["light"], "-p", "30000", "-f", "json", "-q"]
    first = batch_json(cli(*args))
    assert (first["checked"], first["skipped"]) == (15, 0)
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / "reports").iterdir()}

    again = cli(*args)
    assert again.code == 2 and (batch_json(again)["checked"], batch_json(again)["skipped"]) == (0, 15)
    assert {p.name: p.stat().st_mtime_ns for p in (out / "reports").iterdir()} == stamps
    assert len(summary(out)) == 15

    # `touch`: a new mtime, the same bytes. The file is hashed, found unchanged and not checked again;
    # its report stores the new mtime so the next run need not hash it.
    touched = src / "b" / "station-faulty-0.dxf"
    st = touched.stat()
    os.utime(touched, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    third = batch_json(cli(*args))
    assert (third["checked"], third["skipped"]) == (0, 15)
    changed = [n for n, t in stamps.items() if (out / "reports" / n).stat().st_mtime_ns != t]
    assert changed == ["b__station-faulty-0.dxf.json"]
    stored = json.loads((out / "reports" / changed[0]).read_text(encoding="utf-8"))["batch"]["files"]
    assert stored[0]["mtime_ns"] == st.st_mtime_ns + 2_000_000_000
    assert stored[0]["sha256"] == hashlib.sha256(touched.read_bytes()).hexdigest()
    # other bytes of the same size, the old mtime put back: the shortcut trusts size and mtime (as make and
    # rsync do); a new mtime makes it hash and see the change
    shutil.copy2(drawings["station-tier2-ok"], touched)
    assert batch_json(cli(*args))["checked"] == 1

    # another population, another language or an edited standard: every plan is checked again
    assert batch_json(cli(*[a if a != "30000" else "60000" for a in args]))["checked"] == 15
    assert batch_json(cli(*args, "--lang", "en"))["checked"] == 15
    assert batch_json(cli(*args, "--lang", "en"))["checked"] == 0
    std = Path(drawings["light"]).read_text(encoding="utf-8")
    edited = tmp_path / "light-edited.toml"
    edited.write_text(std.replace('extends = "kaifeng-2014"',
                                  'extends = "kaifeng-2014"\ndescription = "edited"'), encoding="utf-8")
    assert batch_json(cli(*[a if a != drawings["light"] else edited for a in args], "--lang", "en"))["checked"] == 15
    assert batch_json(cli(*args, "--lang", "en", "--force"))["checked"] == 15


def test_killed_batch_keeps_finished_reports(tmp_path, drawings):
    """Kill the whole process group (the batch and its workers) while it runs; a re-run keeps every
    report that was finished and checks only the rest."""
    src = tmp_path / "plans"
    src.mkdir()
    for i in range(6):
        shutil.copy2(drawings[NAMES[i % 3]], src / f"a{i}.dxf")
    for i in range(4):
        shutil.copy2(drawings["slow"], src / f"z{i}.dxf")  # sorted last; each takes a while to read
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "layoutcheck", "batch", str(src), "--out", str(out), "--jobs", "2",
           "-s", str(drawings["light"]), "-p", "30000", "-f", "json"]
    # the slow plans' clutter read in full (the selective reader would leave it out)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LAYOUTCHECK_FULL_READ": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list((out / "reports").glob("*.json"))) >= 4:
            break
        time.sleep(0.01)
    assert proc.poll() is None, proc.communicate()
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    proc.stderr.close()

    kept = {p.name: p.read_bytes() for p in (out / "reports").glob("*.json")}
    assert 4 <= len(kept) < 10
    # killed outright, the batch still left a summary marked unfinished: written before the first plan
    # was checked, every plan pending, and status.json says it never completed
    marked = summary(out)
    assert len(marked) == 10 and {r["verdict"] for r in marked} == {"pending"}
    assert all("not finished" in r["error"] or "未完成" in r["error"] for r in marked)
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    assert status["state"] == "running" and status["complete"] is False and status["pending"] == 10
    for data in kept.values():  # each finished report is whole (written to a temp file, then renamed)
        assert json.loads(data)["batch"]["plan"]

    rerun = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert rerun.returncode == 1, rerun.stderr
    counts = json.loads(rerun.stdout)
    assert counts["skipped"] == len(kept) and counts["checked"] == 10 - len(kept)
    assert {p.name: p.read_bytes() for p in (out / "reports").glob("*.json") if p.name in kept} == kept
    rows = summary(out)
    assert len(rows) == 10 and not any(r["error"] for r in rows)
    assert json.loads((out / "status.json").read_text(encoding="utf-8"))["state"] == "complete"


def dying_worker(task, *args):
    """A worker that dies (as if killed for memory, or by a segfault) on one plan."""
    if task.name == "b__station-faulty-0.dxf":
        os._exit(13)
    return B.run_task(task, *args)


def test_worker_death_is_one_error_row(tmp_path, drawings):
    src = tmp_path / "plans"
    make_folder(src, drawings, good=9)
    tasks = B.discover(src, standard=str(drawings["light"]), population=30000)
    logged: list[str] = []
    result = B.run_batch(tasks, tmp_path / "out", jobs=2, options=B.Options(lang="en"), worker=dying_worker,
                         log=logged.append)
    rows = {Path(r["plan"]).relative_to(src).as_posix(): r for r in result.rows}
    assert len(rows) == 12 and result.exit_code == 2
    assert "worker process died" in rows["b/station-faulty-0.dxf"]["error"]
    assert [p for p, r in rows.items() if r["error"]] == [
        "b/station-faulty-0.dxf", "bad/drawing.dxf", "bad/empty.dxf", "bad/notes.dxf"]
    assert len(logged) == 4
    # a crash is not remembered: the next run tries that plan again (and only that one)
    again = B.run_batch(tasks, tmp_path / "out", jobs=2, options=B.Options(lang="en"))
    assert (again.checked, again.skipped) == (1, 11)
    row = next(r for r in again.rows if r["plan"] == str(src / "b" / "station-faulty-0.dxf"))
    assert row["verdict"] == "fail" and row["error"] == "" and row["gross_area_m2"] == "90.25"


@pytest.mark.slow
def test_200_plans_with_5_unreadable(tmp_path, drawings):
    """The issue's scenario: 200 plans, 5 of them unreadable, on all cores."""
    src = tmp_path / "plans"
    for i in range(195):
        sub = src / f"district-{i % 7}"
        sub.mkdir(parents=True, exist_ok=True)
        shutil.copy2(drawings[NAMES[i % 3]], sub / f"hall-{i:03d}.dxf")
    (src / "x").mkdir()
    (src / "x" / "e1.dxf").write_bytes(b"")
    (src / "x" / "e2.dxf").write_bytes(b"\n\n  \n")
    (src / "x" / "dwg.dxf").write_bytes(b"AC1027" + bytes(100))
    (src / "x" / "word.dxf").write_bytes(b"PK\x03\x04" + bytes(100))
    (src / "x" / "cut.dxf").write_bytes(Path(drawings["station-faulty"]).read_bytes()[:3000])
    result = B.run_batch(B.discover(src, standard=str(drawings["light"]), population=30000), tmp_path / "out",
                         options=B.Options(lang="en"))
    rows = summary(tmp_path / "out")
    assert len(rows) == 200 and sum(bool(r["error"]) for r in rows) == 5 and result.exit_code == 2
    assert result.counts == {"pass": 65, "fail": 130, "error": 5}


def test_dask_cluster_gives_the_same_summary(tmp_path, cli, drawings):
    distributed = pytest.importorskip("distributed")
    src = tmp_path / "plans"
    make_folder(src, drawings, good=9)
    args = ["--standard", drawings["light"], "--population", "30000", "--format", "json", "--lang", "en"]
    local = cli("batch", src, "--out", tmp_path / "local", "--jobs", "2", *args)
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        remote = cli("batch", src, "--out", tmp_path / "dask", "--executor", "dask",
                     "--scheduler", cluster.scheduler_address, *args)
    assert remote.code == local.code == 2, remote.err
    assert batch_json(remote)["checked"] == 12
    assert (tmp_path / "dask" / "summary.csv").read_text(encoding="utf-8") == (
        tmp_path / "local" / "summary.csv").read_text(encoding="utf-8")


def test_dask_not_installed_or_unreachable(tmp_path, cli, drawings, monkeypatch):
    src = tmp_path / "plans"
    make_folder(src, drawings, good=1)
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` fails
    run = cli("batch", src, "--out", tmp_path / "out", "--executor", "dask", "--lang", "en")
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1
    assert "pip install 'layoutcheck[dask]'" in run.err


def test_symlinked_folders_are_followed_once(tmp_path, cli, drawings):
    """A batch folder of links to project folders finds their drawings; a link back up the tree (a loop)
    is walked once, not forever."""
    project = tmp_path / "projects" / "north"
    project.mkdir(parents=True)
    shutil.copy2(drawings["station-tier2-ok"], project / "hall.dxf")
    links = tmp_path / "batch"
    links.mkdir()
    (links / "north").symlink_to(project, target_is_directory=True)
    (project / "loop").symlink_to(links, target_is_directory=True)  # north/loop → batch → north …
    run = cli("batch", links, "--out", tmp_path / "out", "--population", "30000", "--quiet")
    assert run.code == 0, run.err
    rows = summary(tmp_path / "out")
    assert len(rows) == 1 and rows[0]["plan"].endswith("batch/north/hall.dxf") and rows[0]["verdict"] == "pass"
