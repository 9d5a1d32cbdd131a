"""Issue 17.3/17.4: batches that never mix plans, and safe files in and out.

- a lock on ``--out``: a second batch on the same folder stops at once (exit 2, one line);
- a report belongs to a plan by path and content hash: ``a__b.dxf`` then ``a/b.dxf`` (same size and
  mtime) is not "skipped, unchanged"; ``a.dxf`` and ``a.dwg`` get two reports;
- the summary is marked unfinished (``pending`` rows, ``status.json``) from the moment plans are checked;
- inputs are regular files under a size cap (a FIFO or ``/dev/zero`` never hangs or fills memory); a
  manifest's paths stay under its folder; an output never replaces an input; outputs are written whole or
  not at all, and a full disk is exit 2 naming the file.

Every expected verdict below comes from the sample plans' own figures (station-tier2-ok: 126 m², inside
二类's 100–150 m² at 30 000 residents → pass; station-faulty: 90.25 m² < 100 m² → area.tier fails).
"""

from __future__ import annotations

import csv
import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from layoutcheck import batch as B
from layoutcheck import files as F
from layoutcheck import samples
from layoutcheck import standards as S

from .conftest import ROOT


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> dict[str, Path]:
    """A passing and a failing plan of exactly the same size (the smaller padded with DXF 999 comments),
    and a light standard (the default one without the slow route analysis)."""
    folder = tmp_path_factory.mktemp("safety")
    ok = samples.save(samples.build(samples.station_tier2_ok()), folder / "ok.dxf")
    bad = samples.save(samples.build(samples.SAMPLES["station-faulty"]()), folder / "bad.dxf")
    small, big = sorted((ok, bad), key=lambda p: p.stat().st_size)
    _pad(small, big.stat().st_size)
    assert ok.stat().st_size == bad.stat().st_size and ok.read_bytes() != bad.read_bytes()
    heavy = sorted(r for r in S.load("kaifeng-2014").rules if r.startswith("access."))
    light = folder / "light.toml"
    light.write_text('id = "safety-light"\ntitle = "no route analysis"\nextends = "kaifeng-2014"\n'
                     + "".join(f'\n[rules."{r}"]\nenabled = false\n' for r in heavy), encoding="utf-8")
    return {"ok": ok, "bad": bad, "light": light}


def _pad(path: Path, size: int) -> None:
    """Grow a DXF to ``size`` bytes with blank lines after its ``0 / EOF`` (readers stop at EOF)."""
    data = path.read_bytes()
    assert data.rstrip().endswith(b"EOF") and len(data) <= size
    path.write_bytes(data + b"\n" * (size - len(data)))


def _same_stamp(*paths: Path) -> None:
    for p in paths:
        os.utime(p, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))


def _summary(out: Path) -> list[dict[str, str]]:
    with open(out / "summary.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


# --- 17.3: one folder, one batch ----------------------------------------------------------------------
@pytest.mark.parametrize("lang, words", [("en", "another batch"), ("zh", "另一个批量检查")])
def test_second_batch_on_a_locked_folder_is_one_line(tmp_path, cli, plans, lang, words):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy2(plans["ok"], src / "ok01.dxf")
    out = tmp_path / "out"
    out.mkdir()
    with F.lock_folder(out):  # a batch is writing into out/ (another open file: flock refuses it, even here)
        run = cli("batch", src, "--out", out, "-s", plans["light"], "-p", "30000", "--lang", lang)
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1, run.err
    assert words in run.err and str(out) in run.err and str(os.getpid()) in run.err
    assert not (out / "summary.csv").exists() and not (out / "reports").exists()
    run = cli("batch", src, "--out", out, "-s", plans["light"], "-p", "30000", "-f", "json")  # free again
    assert run.code == 0, run.err


def test_two_batches_at_once_on_one_out(tmp_path, plans):
    """The issue's scenario, as two real processes: while batch A (in/) runs, batch B (in2/, same file
    names) on the same --out stops at once with one line; A's summary then has A's verdicts only."""
    a, b = tmp_path / "in", tmp_path / "in2"
    a.mkdir(), b.mkdir()
    slow = samples.build(samples.station_tier2_ok())
    for i in range(6000):  # clutter that makes each plan take a moment to read
        slow.modelspace().add_line((i * 10.0, -5000), (i * 10.0, -4000), dxfattribs={"layer": "PUB_DIM"})
    for i in range(4):
        samples.save(slow, a / f"ok{i:02d}.dxf")
        shutil.copy2(plans["bad"], b / f"ok{i:02d}.dxf")
    out = tmp_path / "out"
    # the clutter read in full: the selective reader would leave it out, and A would finish before B starts
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LAYOUTCHECK_LANG": "en", "LAYOUTCHECK_FULL_READ": "1"}

    def cmd(src):
        return [sys.executable, "-m", "layoutcheck", "batch", str(src), "--out", str(out), "--jobs", "1",
                "-s", str(plans["light"]), "-p", "30000", "-f", "json", "-q"]

    first = subprocess.Popen(cmd(a), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 60
        while not (out / "status.json").exists() and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.02)
        assert first.poll() is None, "batch A finished before B could start: make its plans slower"
        second = subprocess.run(cmd(b), capture_output=True, text=True, env=env, timeout=60)
        assert first.poll() is None, "batch A finished while B ran: the test proves nothing"
        out_a, err_a = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert second.returncode == 2 and second.stdout == "", second
    assert len(second.stderr.strip().splitlines()) == 1 and "another batch" in second.stderr
    assert f"process {first.pid}" in second.stderr
    assert first.returncode == 0, err_a
    rows = _summary(out)
    assert [(Path(r["plan"]).parent.name, r["verdict"]) for r in rows] == [("in", "pass")] * 4


def test_lock_is_released_when_its_holder_dies(tmp_path):
    """flock belongs to the process: a holder killed with SIGKILL leaves no stale lock."""
    code = f"import time; from layoutcheck.files import lock_folder\nwith lock_folder({str(tmp_path)!r}):\n" \
           "    print('held', flush=True); time.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(B.InputError) as held:
            with F.lock_folder(tmp_path):
                pass
        assert held.value.message_key == "error.batch-locked" and held.value.args_["pid"] == str(proc.pid)
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    with F.lock_folder(tmp_path):
        pass


def test_two_inputs_one_out_each_plan_its_own_verdict(tmp_path, cli, plans):
    """The issue's scenario: in/ok01.dxf passes, in2/ok01.dxf (same name, same size and mtime) fails. Run
    one after the other on one --out, then the first again: every summary gives each plan its own verdict."""
    a, b = tmp_path / "in", tmp_path / "in2"
    a.mkdir(), b.mkdir()
    shutil.copy2(plans["ok"], a / "ok01.dxf")
    shutil.copy2(plans["bad"], b / "ok01.dxf")
    _same_stamp(a / "ok01.dxf", b / "ok01.dxf")
    out = tmp_path / "out"
    args = ["--out", out, "-s", plans["light"], "-p", "30000", "-f", "json", "-q"]
    first = cli("batch", a, *args)
    assert first.code == 0 and _summary(out)[0]["verdict"] == "pass", first.err
    second = cli("batch", b, *args)
    assert second.code == 1 and json.loads(second.out)["checked"] == 1, second.out
    (row,) = _summary(out)
    assert row["plan"] == str(b / "ok01.dxf") and row["verdict"] == "fail" and "area.tier" in row["failed_rules"]
    third = cli("batch", a, *args)
    assert third.code == 0 and json.loads(third.out)["checked"] == 1
    assert _summary(out)[0]["verdict"] == "pass"


def test_a__b_and_a_slash_b_are_two_plans(tmp_path, cli, plans):
    """``a__b.dxf`` (passes) then ``a/b.dxf`` (fails, same size and mtime): before, the second run said
    "skipped 1 unchanged", pass, exit 0. Each now has its own report name and its own verdict."""
    flat, nested = tmp_path / "one", tmp_path / "two"
    (nested / "a").mkdir(parents=True)
    flat.mkdir()
    shutil.copy2(plans["ok"], flat / "a__b.dxf")
    shutil.copy2(plans["bad"], nested / "a" / "b.dxf")
    _same_stamp(flat / "a__b.dxf", nested / "a" / "b.dxf")
    out = tmp_path / "out"
    args = ["--out", out, "-s", plans["light"], "-p", "30000", "-f", "json", "-q"]
    assert cli("batch", flat, *args).code == 0
    run = cli("batch", nested, *args)
    assert run.code == 1 and (run.json["checked"], run.json["skipped"]) == (1, 0), run.out
    assert _summary(out)[0]["verdict"] == "fail"
    tag = hashlib.sha256(b"a__b.dxf").hexdigest()[:8]  # a name that could be another path's gets a tag
    assert sorted(p.name for p in (out / "reports").iterdir()) == sorted([f"a__b.dxf~{tag}.json", "a__b.dxf.json"])

    both = tmp_path / "both"  # and together in one batch
    (both / "a").mkdir(parents=True)
    shutil.copy2(flat / "a__b.dxf", both / "a__b.dxf")
    shutil.copy2(nested / "a" / "b.dxf", both / "a" / "b.dxf")
    run = cli("batch", both, "--out", tmp_path / "out2", *args[2:])
    rows = {Path(r["plan"]).relative_to(both).as_posix(): r for r in _summary(tmp_path / "out2")}
    assert run.code == 1 and rows["a__b.dxf"]["verdict"] == "pass" and rows["a/b.dxf"]["verdict"] == "fail"
    assert rows["a/b.dxf"]["report"] == "reports/a__b.dxf.json"
    assert rows["a__b.dxf"]["report"] == f"reports/a__b.dxf~{tag}.json"


def test_a_dxf_and_a_dwg_have_two_reports(tmp_path, cli, plans):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy2(plans["ok"], src / "a.dxf")
    (src / "a.dwg").write_bytes(b"AC1032" + bytes(200))  # unreadable DWG: an error row of its own
    out = tmp_path / "out"
    run = cli("batch", src, "--out", out, "-s", plans["light"], "-p", "30000", "-q", "--lang", "en")
    assert run.code == 2
    rows = {Path(r["plan"]).name: r for r in _summary(out)}
    assert rows["a.dxf"]["verdict"] == "pass" and rows["a.dwg"]["verdict"] == "error"
    assert (rows["a.dxf"]["report"], rows["a.dwg"]["report"]) == ("reports/a.dxf.json", "reports/a.dwg.json")
    report = json.loads((out / "reports" / "a.dxf.json").read_text(encoding="utf-8"))["batch"]
    assert report["path"] == str(src / "a.dxf") and report["name"] == "a.dxf"
    assert report["files"][0]["sha256"] == hashlib.sha256((src / "a.dxf").read_bytes()).hexdigest()


def test_identity_is_path_and_content_hash(tmp_path, plans):
    """is_current: the stored size/mtime only skip hashing when path, size and mtime all match."""
    plan = tmp_path / "p.dxf"
    shutil.copy2(plans["ok"], plan)
    settings = {"x": 1}
    saved = B.hashed_state(str(plan))
    assert saved["sha256"] == hashlib.sha256(plan.read_bytes()).hexdigest()
    report = {"batch": {"cacheable": True, "settings": settings, "path": str(plan), "files": [saved]}}
    now = {"files": [B.file_state(str(plan))], "settings": settings}
    assert B.is_current(report, now)
    # another path with the same size, mtime and stored hash: not this plan's report
    other = tmp_path / "q.dxf"
    shutil.copy2(plan, other)
    assert not B.is_current(report, {"files": [B.file_state(str(other))], "settings": settings})
    # same path, same size and mtime, but the hash was never stored (an interrupted write): hash needed → no
    assert not B.is_current({"batch": {**report["batch"], "files": [{**saved, "sha256": None}]}}, now)
    # same path, same bytes, new mtime: hashed, current, and the new mtime handed back for storing
    os.utime(plan, ns=(saved["mtime_ns"], saved["mtime_ns"] + 10**9))
    refreshed = []
    assert B.is_current(report, {"files": [B.file_state(str(plan))], "settings": settings}, refreshed.append)
    assert refreshed[0][0]["mtime_ns"] == saved["mtime_ns"] + 10**9 and refreshed[0][0]["sha256"] == saved["sha256"]
    # same path and size, other bytes, new mtime: not current
    shutil.copy2(plans["bad"], plan)
    os.utime(plan, ns=(saved["mtime_ns"], saved["mtime_ns"] + 2 * 10**9))
    assert not B.is_current(report, {"files": [B.file_state(str(plan))], "settings": settings})
    # a report from before reports stored "files" (path, size, mtime, hash) is simply not current
    old = {"batch": {"cacheable": True, "settings": settings, "file": {"size": 1, "mtime_ns": 1}, "sha256": "ab"}}
    assert not B.is_current(old, now)


def test_summary_never_shows_another_plans_report(tmp_path, plans):
    """A report file under a plan's name that was made from another path is not summed up as that plan."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy2(plans["ok"], src / "x.dxf")
    (task,) = B.discover(src, standard=str(plans["light"]), population=30000)
    out = tmp_path / "out"
    B.write_report(out, task, {"verdict": "pass", "batch": {"path": "/elsewhere/x.dxf"}})
    (row,) = B.write_summary(out, [task], "en")
    assert row["verdict"] == "pending" and "not checked yet" in row["error"]


# --- 17.4: inputs ------------------------------------------------------------------------------------
def _run_bounded(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    """The CLI in a child process with 1.5 GB of address space and 60 s: a regression (a FIFO opened, /dev/zero
    read) fails the test instead of hanging the suite or eating the machine's memory."""
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20)); "
    code = limit + "import sys; from layoutcheck.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT), "LAYOUTCHECK_LANG": "en"})


def test_fifo_and_devices_are_refused_before_any_open(tmp_path, plans):
    fifo_dxf, fifo_toml = tmp_path / "plan.dxf", tmp_path / "std.toml"
    os.mkfifo(fifo_dxf)
    os.mkfifo(fifo_toml)
    zero_parent = tmp_path / "child.toml"
    zero_parent.write_text('extends = "/dev/zero"\n', encoding="utf-8")
    fifo_parent = tmp_path / "child2.toml"
    fifo_parent.write_text(f'extends = "{fifo_toml}"\n', encoding="utf-8")
    ok = plans["ok"]
    cases = [
        (["check", fifo_dxf], fifo_dxf, "FIFO"),
        (["check", ok, "--standard", fifo_toml], fifo_toml, "FIFO"),
        (["check", ok, "--standard", "/dev/zero"], "/dev/zero", "character device"),
        (["check", ok, "--standard", zero_parent], "/dev/zero", "character device"),  # through extends
        (["check", ok, "--standard", fifo_parent], fifo_toml, "FIFO"),
        (["check", ok, "--project", fifo_toml], fifo_toml, "FIFO"),
        (["check", ok, "--review", "/dev/zero"], "/dev/zero", "character device"),
        (["check", ok, "--layers", fifo_toml], fifo_toml, "FIFO"),
    ]
    for args, named, kind in cases:
        run = _run_bounded(*args, cwd=tmp_path)
        assert run.returncode == 2, (args, run.stderr)
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and str(named) in lines[0] and kind in lines[0] and "not a regular file" in lines[0], \
            (args, run.stderr)


def test_fifo_in_a_batch_is_one_error_row(tmp_path, plans):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy2(plans["ok"], src / "good.dxf")
    os.mkfifo(src / "pipe.dxf")
    run = _run_bounded("batch", src, "--out", tmp_path / "out", "-s", plans["light"], "-p", "30000", "-q",
                       cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    rows = {Path(r["plan"]).name: r for r in _summary(tmp_path / "out")}
    assert rows["good.dxf"]["verdict"] == "pass"
    assert rows["pipe.dxf"]["verdict"] == "error" and "not a regular file (a FIFO)" in rows["pipe.dxf"]["error"]


def test_size_caps(tmp_path, cli, plans, monkeypatch):
    assert F.MAX_DRAWING_BYTES == 512 << 20 and F.MAX_TOML_BYTES == 1 << 20
    huge = tmp_path / "huge.dxf"
    with open(huge, "wb") as f:  # sparse: 600 MB on paper, nothing on disk, and never read
        f.truncate(600 << 20)
    run = cli("check", huge, "--lang", "en")
    assert run.code == 2 and "too large (600 MB, limit 512 MB)" in run.err and str(huge) in run.err
    big = tmp_path / "big.toml"
    big.write_text('id = "big"\n' + "# padding\n" * 120_000, encoding="utf-8")  # 11 + 10 × 120 000 = 1 200 011 bytes
    run = cli("check", plans["ok"], "--standard", big, "--lang", "en")
    assert run.code == 2 and "too large (1.14 MB, limit 1 MB)" in run.err, run.err  # 1 200 011 B / 2^20
    # a file that is bigger than its stat says (a /proc file says 0 bytes) is cut at the cap, not read whole
    monkeypatch.setattr(F, "MAX_TOML_BYTES", 64)
    with pytest.raises(B.InputError) as err:
        S.load("/proc/self/status")
    assert err.value.message_key == "error.too-large"


def _manifest(folder: Path, rows: list[str]) -> Path:
    m = folder / "manifest.csv"
    m.write_text("plan\n" + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return m


def test_manifest_paths_stay_under_its_folder(tmp_path, cli, plans):
    proj = tmp_path / "proj"
    (proj / "sub").mkdir(parents=True)
    shutil.copy2(plans["ok"], proj / "sub" / "in.dxf")
    shutil.copy2(plans["ok"], tmp_path / "sibling.dxf")
    secret = tmp_path / "secret.dxf"
    secret.write_text("root:x:0:0:SECRET-BYTES\n", encoding="utf-8")
    (proj / "link.dxf").symlink_to(secret)
    depth = "../" * len(proj.parts)
    rows = ["sub/in.dxf", "../sibling.dxf", f"{depth}etc/passwd", str(secret), "link.dxf", "sub/../../secret.dxf"]
    manifest = _manifest(proj, rows)
    out = tmp_path / "out"
    run = cli("batch", manifest, "--out", out, "-s", plans["light"], "-p", "30000", "-q", "--lang", "en")
    assert run.code == 2
    got = _summary(out)
    assert [r["verdict"] for r in got] == ["pass"] + ["error"] * 5
    for r in got[1:]:
        assert "outside the manifest's folder" in r["error"] and "--allow-outside" in r["error"], r
    written = "".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*.json"))
    written += (out / "summary.csv").read_text(encoding="utf-8-sig")
    assert "SECRET-BYTES" not in written and "root:x:0:0" not in written

    run = cli("batch", manifest, "--out", out, "-s", plans["light"], "-p", "30000", "-q", "--allow-outside")
    rows_out = {r["plan"]: r["verdict"] for r in _summary(out)}
    assert rows_out["../sibling.dxf"] == "pass" and rows_out["link.dxf"] == "error"  # read now: not a DXF


def test_manifest_standard_and_project_cells_stay_under_its_folder(tmp_path, cli, plans):
    proj = tmp_path / "proj"
    proj.mkdir()
    shutil.copy2(plans["ok"], proj / "in.dxf")
    shutil.copy2(plans["light"], tmp_path / "outside.toml")
    (proj / "manifest.csv").write_text("plan,standard,project\nin.dxf,../outside.toml,\nin.dxf,,../p.toml\n",
                                       encoding="utf-8")
    run = cli("batch", proj / "manifest.csv", "--out", tmp_path / "out", "-s", plans["light"], "-p", "30000",
              "-q", "--lang", "en")
    rows = _summary(tmp_path / "out")
    assert run.code == 2 and [r["verdict"] for r in rows] == ["error", "error"]
    assert "../outside.toml" in rows[0]["error"] and "../p.toml" in rows[1]["error"]
    assert all("outside the manifest's folder" in r["error"] for r in rows)


# --- 17.4: outputs -----------------------------------------------------------------------------------
def test_outputs_never_overwrite_an_input(tmp_path, cli, plans):
    plan = tmp_path / "x.dxf"
    shutil.copy2(plans["ok"], plan)
    os.link(plan, tmp_path / "hard.dxf")
    std = tmp_path / "std.toml"
    shutil.copy2(plans["light"], std)
    before = plan.read_bytes(), std.read_bytes()
    for args in (["-o", plan], ["--markup", plan], ["--markup", tmp_path / "x.dwg"],  # written as x.dxf
                 ["-o", tmp_path / "hard.dxf"], ["-o", tmp_path / "sub" / ".." / "x.dxf"], ["-o", std]):
        run = cli("check", plan, "-s", std, "--lang", "en", *args)
        assert run.code == 2 and len(run.err.strip().splitlines()) == 1, (args, run.err)
        assert "would overwrite the input" in run.err, run.err
    assert (plan.read_bytes(), std.read_bytes()) == before
    out = tmp_path / "results"  # a batch's summary over its own manifest
    out.mkdir()
    shutil.copy2(plan, out / "x.dxf")
    (out / "summary.csv").write_text("plan\nx.dxf\n", encoding="utf-8")
    run = cli("batch", out / "summary.csv", "--out", out, "--lang", "en")
    assert run.code == 2 and "would overwrite the input" in run.err
    assert (out / "summary.csv").read_text(encoding="utf-8") == "plan\nx.dxf\n"


def test_outputs_never_overwrite_a_standard_the_standard_extends(tmp_path, cli, plans):
    """A standard file's `extends` parents (and theirs) are inputs as much as the file named by -s: a report
    written over one is refused, exit 2, one line naming it, and the file is unchanged (check and batch)."""
    shutil.copy2(plans["light"], tmp_path / "base.toml")  # itself extends the built-in kaifeng-2014
    (tmp_path / "sub").mkdir()
    child = tmp_path / "sub" / "child.toml"
    child.write_text('id = "child"\ntitle = "child"\nextends = "../base.toml"\n', encoding="utf-8")
    plan = tmp_path / "x.dxf"
    shutil.copy2(plans["ok"], plan)
    parent, before = tmp_path / "base.toml", (tmp_path / "base.toml").read_bytes()
    for args in (["-o", parent], ["-f", "json", "-o", tmp_path / "sub" / ".." / "base.toml"], ["-o", child]):
        run = cli("check", plan, "-s", child, "--lang", "en", *args)
        assert run.code == 2 and len(run.err.strip().splitlines()) == 1, (args, run.err)
        assert "would overwrite the input" in run.err, run.err
    assert parent.read_bytes() == before
    builtin = S.load("kaifeng-2014").path  # the grandparent, shipped with layoutcheck
    run = cli("check", plan, "-s", child, "--lang", "en", "-f", "json", "-o", builtin)
    assert run.code == 2 and "would overwrite the input" in run.err and "kaifeng-2014.toml" in run.err
    run = cli("check", plan, "-s", child, "--lang", "en", "-f", "json", "-o", tmp_path / "report.json")
    assert run.code == 0, run.err  # any other file is fine
    # the batch too: its summary over a standard its standard extends (a standard file named summary.csv)
    out = tmp_path / "results"
    out.mkdir()
    shutil.copy2(plans["light"], out / "summary.csv")
    (tmp_path / "mid.toml").write_text('id = "mid"\ntitle = "mid"\nextends = "results/summary.csv"\n',
                                       encoding="utf-8")
    kept = (out / "summary.csv").read_bytes()
    run = cli("batch", plan, "--out", out, "-s", tmp_path / "mid.toml", "--lang", "en")
    assert run.code == 2 and "would overwrite the input" in run.err and "summary.csv" in run.err, run.err
    assert (out / "summary.csv").read_bytes() == kept


def test_output_folders_created_or_one_line(tmp_path, cli, plans):
    run = cli("check", plans["ok"], "-s", plans["light"], "-p", "30000", "-o", tmp_path / "missing" / "dir" / "r.txt")
    assert run.code == 0 and (tmp_path / "missing" / "dir" / "r.txt").read_text(encoding="utf-8")
    for args in (["check", plans["ok"], "-o", "/proc/x/r.txt"], ["batch", plans["ok"], "--out", "/proc/x"]):
        run = cli(*args, "--lang", "en")
        assert run.code == 2 and "/proc/x" in run.err and len(run.err.strip().splitlines()) == 1, run.err


class _DiskFull:
    """os.fdopen whose files take half of what is written, then fail as a full disk does."""

    def __init__(self, real):
        self.real = real

    def __call__(self, fd, *args, **kwargs):
        f = self.real(fd, *args, **kwargs)
        write = f.write

        def half_then_full(data):
            write(data[: len(data) // 2])
            f.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        f.write = half_then_full
        return f


@pytest.mark.parametrize("fmt, suffix", [("html", "html"), ("text", "txt"), ("json", "json")])
def test_disk_full_is_exit_2_and_leaves_no_partial_file(tmp_path, cli, plans, monkeypatch, fmt, suffix):
    target = tmp_path / f"report.{suffix}"
    target.write_text("the previous report\n", encoding="utf-8")
    monkeypatch.setattr(os, "fdopen", _DiskFull(os.fdopen))
    run = cli("check", plans["ok"], "-s", plans["light"], "-p", "30000", "-f", fmt, "-o", target, "--lang", "en")
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1, run.err
    assert str(target) in run.err and "No space left on device" in run.err
    assert target.read_text(encoding="utf-8") == "the previous report\n"  # untouched, not half-written
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temporary file left


def test_disk_full_for_overlay_and_markup(tmp_path, cli, plans, monkeypatch):
    from ezdxf.document import Drawing

    monkeypatch.setattr(os, "fdopen", _DiskFull(os.fdopen))
    run = cli("check", plans["ok"], "-s", plans["light"], "--overlay", tmp_path / "o.svg", "--lang", "en")
    assert run.code == 2 and str(tmp_path / "o.svg") in run.err and "No space left" in run.err, run.err
    monkeypatch.undo()
    real = Drawing.saveas

    def full(self, filename, *args, **kwargs):
        real(self, filename, *args, **kwargs)
        with open(filename, "r+b") as f:
            f.truncate(100)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Drawing, "saveas", full)
    run = cli("check", plans["ok"], "-s", plans["light"], "--markup", tmp_path / "m.dxf", "--lang", "en")
    assert run.code == 2 and str(tmp_path / "m.dxf") in run.err and "No space left" in run.err, run.err
    assert list(tmp_path.iterdir()) == []


def test_memory_or_recursion_while_writing_is_exit_2_with_the_path(tmp_path, cli, plans, monkeypatch):
    from layoutcheck.report import html

    for exc in (RecursionError("maximum recursion depth exceeded"), MemoryError()):
        def boom(*args, exc=exc, **kwargs):
            raise exc

        monkeypatch.setattr(html, "render", boom)
        run = cli("check", plans["ok"], "-s", plans["light"], "-f", "html", "-o", tmp_path / "r.html", "--lang", "en")
        assert run.code == 2 and str(tmp_path / "r.html") in run.err and type(exc).__name__ in run.err, run.err
        assert not (tmp_path / "r.html").exists()


def test_batch_disk_full_is_exit_2_naming_the_report(tmp_path, cli, plans, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy2(plans["ok"], src / "a.dxf")
    out = tmp_path / "out"
    real = F.write_atomic

    def full(path, data):
        if Path(path).parent.name == "reports":
            raise B.InputError(str(path), "error.write", reason=os.strerror(errno.ENOSPC))
        real(path, data)

    monkeypatch.setattr(B, "write_atomic", full)
    run = cli("batch", src, "--out", out, "-s", plans["light"], "-p", "30000", "-q", "--jobs", "1", "--lang", "en")
    assert run.code == 2 and str(out / "reports" / "a.dxf.json") in run.err and "No space left" in run.err, run.err
    assert [r["verdict"] for r in _summary(out)] == ["pending"]  # marked unfinished, not a stale verdict
    with F.lock_folder(out):  # and the folder is free again
        pass


def test_write_atomic_real_os_error(tmp_path):
    """A real OSError (a folder where the file should go) through the real code path: one InputError."""
    (tmp_path / "taken").mkdir()
    with pytest.raises(B.InputError) as err:
        F.write_atomic(tmp_path / "taken", b"data")
    assert err.value.message_key == "error.write" and err.value.path == str(tmp_path / "taken")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    F.write_atomic(tmp_path / "new.txt", "完整")
    assert (tmp_path / "new.txt").read_text(encoding="utf-8") == "完整"
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o666 & ~F._UMASK


def test_report_names_never_collide_and_keep_the_extension():
    """Paths that the old scheme (folders joined by ``__``, extension dropped) mapped to one report."""
    from pathlib import PurePath

    tag = {p: hashlib.sha256(p.encode("utf-8")).hexdigest()[:8] for p in ("a__b.dxf", "a_/b.dxf", "a/_b.dxf",
                                                                          "../x.dxf", "CON.dxf")}
    expected = {"a/b.dxf": "a__b.dxf", "a__b.dxf": f"a__b.dxf~{tag['a__b.dxf']}", "a.dxf": "a.dxf",
                "a.dwg": "a.dwg", "a_/b.dxf": f"a___b.dxf~{tag['a_/b.dxf']}",
                "a/_b.dxf": f"a___b.dxf~{tag['a/_b.dxf']}", "up/x.dxf": "up__x.dxf",
                "../x.dxf": f"up__x.dxf~{tag['../x.dxf']}", "CON.dxf": f"_CON.dxf~{tag['CON.dxf']}",
                "北区/大厅.dxf": "北区__大厅.dxf"}
    for rel, name in expected.items():
        assert B._report_name(PurePath(rel)) == name, rel
    taken: set[str] = set()
    names = [B._unique(B._report_name(PurePath(rel)), rel, taken) for rel in [*expected, "A.dxf", "a/b.dxf"]]
    assert len({n.lower() for n in names}) == len(names)
    a_upper = hashlib.sha256(b"A.dxf").hexdigest()[:8]
    assert names[-2:] == [f"A.dxf~{a_upper}", f"a__b.dxf~{hashlib.sha256(b'a/b.dxf').hexdigest()[:8]}"]


def test_a_file_swapped_for_a_fifo_after_the_stat_does_not_block(tmp_path, monkeypatch):
    """read_bytes opens with O_NONBLOCK and looks again at what it opened (the stat-then-open race)."""
    import signal

    fifo = tmp_path / "std.toml"
    os.mkfifo(fifo)
    monkeypatch.setattr(F, "check_regular", lambda path, limit: None)  # the stat saw a regular file

    def hung(signum, frame):
        raise TimeoutError("read_bytes blocked on a FIFO")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        with pytest.raises(B.InputError) as err:
            F.read_bytes(fifo, F.MAX_TOML_BYTES)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert err.value.message_key == "error.not-regular" and err.value.args_["kind"].render("en") == "a FIFO"
