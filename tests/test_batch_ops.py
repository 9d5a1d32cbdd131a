"""Batch for operations (issue 14): summary.csv an Excel user can open, summary.xlsx with every failing
finding, project figures per plan, and a batch that is stopped (Ctrl-C, SIGTERM) leaving a summary of
what finished and no worker behind.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from openpyxl import load_workbook

from .conftest import ROOT
from .test_batch import NAMES, batch_json, drawings, summary  # noqa: F401 - drawings is a fixture


@pytest.fixture(scope="module")
def light_yongzhou(tmp_path_factory) -> Path:
    """yongzhou-2014 without the grid-based route analysis (access.*), to keep the batch quick."""
    from layoutcheck import standards as S

    heavy = sorted(r for r in S.load("yongzhou-2014").rules if r.startswith("access."))
    path = tmp_path_factory.mktemp("std") / "yongzhou-light.toml"
    path.write_text('id = "yongzhou-light"\ntitle = "yongzhou-2014, no route analysis"\nextends = "yongzhou-2014"\n'
                    + "".join(f'\n[rules."{r}"]\nenabled = false\n' for r in heavy), encoding="utf-8")
    return path


def test_summary_csv_and_xlsx_for_a_manifest_with_project_figures(tmp_path, cli, drawings, light_yongzhou):
    """Three plans; staffing from the manifest (staff, windows), from a project file named in a row, and
    from --project for the rest. yongzhou: 2 staff per window (永政办函〔2014〕97号 正文 二.3)."""
    for name in NAMES:
        shutil.copy2(drawings[name], tmp_path / f"{name}.dxf")
    (tmp_path / "east.toml").write_text('name = "东区服务站"\nstaff = 3\nwindows = 2\n', encoding="utf-8")
    (tmp_path / "all.toml").write_text('name = "全市改造"\nstaff = 20\n', encoding="utf-8")
    manifest = tmp_path / "清单.csv"
    manifest.write_bytes(("plan,kind,population,staff,windows,project\n"
                          "station-tier2-ok.dxf,服务所,3万,8,4,西区街道\n"
                          "station-faulty.dxf,,\"30,000\",5,4,\n"
                          "community-ok.dxf,服务站,,,,east.toml\n").encode("gbk"))  # as Excel saves it
    out = tmp_path / "out"
    run = cli("batch", manifest, "--out", out, "-s", light_yongzhou, "--project", tmp_path / "all.toml", "-q",
              "-f", "json")
    assert run.code == 1, run.err
    rows = {r["plan"]: r for r in summary(out)}
    tier2, faulty, community = rows["station-tier2-ok.dxf"], rows["station-faulty.dxf"], rows["community-ok.dxf"]
    assert (tier2["project"], tier2["kind"], tier2["population"], tier2["staff"], tier2["windows"]) == \
        ("西区街道", "station", "30000", "8", "4")
    assert (faulty["project"], faulty["staff"], faulty["windows"], faulty["population"]) == ("全市改造", "5", "4", "30000")
    assert (community["project"], community["kind"], community["staff"], community["windows"]) == \
        ("东区服务站", "community", "3", "2")
    for r in rows.values():
        assert r["standard"] == "yongzhou-light" and r["report"] == f"reports/{Path(r['plan']).name}.json"
        report = json.loads((out / r["report"]).read_text(encoding="utf-8"))
        fails = [x for x in report["results"] if x["status"] == "fail"]
        assert r["failed"] == str(len(fails))
        assert r["to_confirm"] == str(sum(x["status"] == "n/a" for x in report["results"]))
        assert all(" ".join(x["message"].split()) in r["failed_messages"] for x in fails)
        assert r["score_min"] and r["grade"]  # yongzhou has a 100-point acceptance table
    staff = {p: [x for x in json.loads((out / rows[p]["report"]).read_text(encoding="utf-8"))["results"]
                 if x["rule"] == "staff.count"][0] for p in rows}
    # 4 windows × 2 = 8 staff: 8 given passes, 5 given fails; 2 windows × 2 = 4 > 3 given
    assert staff["station-tier2-ok.dxf"]["status"] == "pass"
    assert (staff["station-faulty.dxf"]["status"], staff["station-faulty.dxf"]["measured"]) == ("fail", 5)
    assert (staff["community-ok.dxf"]["status"], staff["community-ok.dxf"]["required"]) == ("fail", {"min": 4})
    assert "staff.count" in faulty["failed_rules"]

    wb = load_workbook(out / "summary.xlsx", read_only=False)
    plans, findings = wb.worksheets
    header = [c.value for c in plans[1]]
    assert header[:7] == ["plan", "verdict", "gross_area_m2", "usable_area_m2", "hall_share", "failed_rules", "error"]
    assert plans.auto_filter.ref == f"A1:{plans.cell(1, len(header)).column_letter}4" and plans.max_row == 4
    by_plan = {row[0]: dict(zip(header, row)) for row in plans.iter_rows(min_row=2, values_only=True)}
    assert by_plan["station-faulty.dxf"]["gross_area_m2"] == pytest.approx(float(faulty["gross_area_m2"]))
    assert by_plan["station-tier2-ok.dxf"]["project"] == "西区街道"
    fheader = [c.value for c in findings[1]]
    listed = [dict(zip(fheader, row)) for row in findings.iter_rows(min_row=2, values_only=True)]
    expected = []
    for r in rows.values():
        report = json.loads((out / r["report"]).read_text(encoding="utf-8"))
        expected += [(r["plan"], x["rule"], x["clause"], x["message"]) for x in report["results"]
                     if x["status"] in ("fail", "warn")]
    assert sorted((f["plan"], f["rule"], f["clause"], f["message"]) for f in listed) == sorted(expected)
    hall = next(f for f in listed if f["plan"] == "station-faulty.dxf" and f["rule"] == "hall.minimum")
    # 附件2 scores the 100 m² hall (−5 points): a warning, located on the hall (issue 12)
    assert hall["status"] == "warn" and hall["where"].startswith("(")


def test_summary_csv_reads_back_in_excel_s_way(tmp_path, cli, drawings):
    """Excel on Chinese Windows takes a CSV without a BOM as GBK (西区街道 → 瑗垮尯琛楅亾); with the BOM it
    reads UTF-8. Decoded as GBK the file is garbage; as UTF-8-with-BOM it is the names as written."""
    folder = tmp_path / "西区街道"
    folder.mkdir()
    shutil.copy2(drawings["community-ok"], folder / "社区服务站.dxf")
    out = tmp_path / "out"
    assert cli("batch", folder, "--out", out, "-k", "服务站", "-q").code in (0, 1)
    raw = (out / "summary.csv").read_bytes()
    assert raw[:3] == b"\xef\xbb\xbf"
    assert "社区服务站.dxf" in raw.decode("utf-8-sig")
    assert "社区服务站" not in raw.decode("gbk", "replace")


def _children(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _running(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopped_batch_leaves_a_summary_and_no_worker(tmp_path, drawings, sig):
    """Signal the batch process alone (as a service manager does) while plans are in flight: it stops its
    workers, writes the summary of what finished, says how to resume in both languages and exits 128+N."""
    src = tmp_path / "plans"
    src.mkdir()
    for i in range(3):
        shutil.copy2(drawings[NAMES[i % 3]], src / f"a{i}.dxf")
    for i in range(6):
        shutil.copy2(drawings["slow"], src / f"z{i}.dxf")  # sorted last; each takes a while to read
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "layoutcheck", "batch", str(src), "--out", str(out), "--jobs", "2",
           "-s", str(drawings["light"]), "-p", "30000", "-q"]
    # the slow plans' clutter read in full (the selective reader would leave it out)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LAYOUTCHECK_FULL_READ": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        workers: list[psutil.Process] = []
        while time.monotonic() < deadline and proc.poll() is None:
            workers = _children(proc.pid)
            if len(list((out / "reports").glob("*.json"))) >= 3 and len(workers) >= 2:
                break
            time.sleep(0.02)
        assert proc.poll() is None, proc.communicate()
        workers = _children(proc.pid)
        assert workers, "no worker processes to stop"
        os.kill(proc.pid, sig)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 128 + sig, err.decode()
    gone_by = time.monotonic() + 10
    while time.monotonic() < gone_by and any(_running(w) for w in workers):
        time.sleep(0.1)
    assert not [w.pid for w in workers if _running(w)], "workers left running after the batch stopped"

    lines = err.decode("utf-8").strip().splitlines()
    assert len(lines) == 1, lines
    assert "重新运行同一命令" in lines[0] and "run the same command again" in lines[0] and "batch" in lines[0]
    finished = sorted(p.stem for p in (out / "reports").glob("*.json"))
    rows = summary(out)
    assert len(rows) == 9
    done = [r for r in rows if r["verdict"] in ("pass", "fail")]
    assert sorted(Path(r["plan"]).name for r in done) == finished  # reports/<name>.dxf.json
    for r in rows:
        if r not in done:
            assert r["verdict"] == "pending" and "重新运行同一命令" in r["error"]
    assert f"{len(finished)}/9" in lines[0]

    rerun = subprocess.run(cmd + ["-f", "json"], capture_output=True, text=True, env=env, timeout=180)
    counts = json.loads(rerun.stdout)
    assert counts["skipped"] == len(finished) and counts["checked"] == 9 - len(finished)
