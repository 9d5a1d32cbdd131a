"""Hostile text (issue 17.2, parts of 17.4): markup, escape codes and control characters from a drawing, a
standard or a file name never reach an output; names are capped; NaN/inf and 500-deep TOML are refused
with exit 2; CSV cells never start a formula; the layer-name suffix strip is linear."""

from __future__ import annotations

import csv
import json
import math
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import ezdxf
import pytest

from layoutcheck import textsafe
from layoutcheck.ingest.layers import normalise

from .conftest import PLANS

# Any C0 control but the line break, DEL and C1: none may be in an output (\r of DXF line ends is removed first).
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
ESC_NAME = "\x1b[2J\x1b[31m档案室\x07"
HOSTILE = {"markup": ("[/]", "[/]", 1), "escape": (ESC_NAME, "[2J[31m档案室", 0)}  # name, shown as, exit code


def relabel(src: Path, out: Path, old: str, new: str) -> Path:
    """``src`` with the text ``old`` (a room's label) replaced by ``new``, saved as ``out`` (ezdxf)."""
    doc = ezdxf.readfile(src)
    hits = [e for e in doc.modelspace().query("TEXT") if e.dxf.text == old]
    assert len(hits) == 1
    hits[0].dxf.text = new
    doc.saveas(out)
    return out


def no_control(text: str, what: str) -> None:
    found = CONTROL.findall(text)
    assert not found, f"{what}: control characters {found[:5]!r}"


@pytest.fixture(params=sorted(HOSTILE))
def hostile(request, tmp_path):
    name, shown, code = HOSTILE[request.param]
    return relabel(PLANS / "station-tier2-ok.dxf", tmp_path / "plan.dxf", "档案室", name), shown, code


def test_text_report_on_the_terminal_shows_the_name_literally(cli, hostile):
    plan, shown, code = hostile
    run = cli("check", plan, "-p", "30000", "--lang", "en")
    assert run.code == code, run.err  # a normal report: never 3 (MarkupError)
    no_control(run.out + run.err, "terminal")
    (row,) = [ln for ln in run.out.splitlines() if shown in ln and "m²" not in ln and "“" not in ln]
    assert row.split()[-1] == "13.62"  # the archive room's area as the drawing states it (13.62㎡)
    assert "[room_types]" in run.out or code == 0  # the tool's own hint survives where it is given
    if code == 1:
        assert re.search(r"✗ fail\s+rooms\.required", run.out)  # 档案室 renamed "[/]": no archive room


def test_every_file_output_is_clean(cli, hostile, tmp_path):
    plan, shown, code = hostile
    out = tmp_path / "out"
    run = cli("check", plan, "-p", "30000", "-f", "json", "-o", out / "r.json", "--overlay", out / "o.svg",
              "--markup", out / "m.dxf")
    assert run.code == code, run.err
    report = json.loads((out / "r.json").read_text(encoding="utf-8"), parse_constant=_no_nan)
    assert shown in [r["name"] for r in report["rooms"]]
    for f in ("r.json", "o.svg"):
        no_control((out / f).read_text(encoding="utf-8"), f)
    no_control((out / "m.dxf").read_text(encoding="utf-8").replace("\r\n", "\n"), "markup DXF")
    ET.parse(out / "o.svg")  # well-formed XML
    assert shown in {e.dxf.text for e in ezdxf.readfile(out / "m.dxf").modelspace().query("TEXT")}
    for fmt, name in (("text", "r.txt"), ("html", "r.html")):
        run = cli("check", plan, "-p", "30000", "-f", fmt, "-o", out / name)
        assert run.code == code, run.err
        text = (out / name).read_text(encoding="utf-8")
        no_control(text, name)
        assert (shown if fmt == "text" else _html(shown)) in text
        no_control(run.err, "stderr")


def test_pdf_of_a_hostile_name_is_written(cli, tmp_path):
    plan = relabel(PLANS / "station-tier2-ok.dxf", tmp_path / "plan.dxf", "档案室", ESC_NAME + "[/]")
    run = cli("check", plan, "-p", "30000", "-f", "pdf", "-o", tmp_path / "r.pdf")
    assert run.code == 0, run.err
    assert (tmp_path / "r.pdf").read_bytes()[:5] == b"%PDF-"


def test_batch_summary_csv_and_xlsx_are_clean_and_never_formulas(cli, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    folder = tmp_path / "in"
    folder.mkdir()
    relabel(PLANS / "station-tier2-ok.dxf", folder / "=HYPERLINK(1).dxf", "档案室", ESC_NAME)
    relabel(PLANS / "station-tier2-ok.dxf", folder / "@b.dxf", "档案室", "[/]\x85")
    monkeypatch.chdir(folder)  # the plan cells are the names as given: "=HYPERLINK(1).dxf"
    run = cli("batch", "*.dxf", "--out", tmp_path / "out", "-p", "30000", "-q")
    assert run.code == 1, run.err  # "@b.dxf" has no archive room
    text = (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8-sig")
    no_control(text, "summary.csv")
    plans = [row["plan"] for row in csv.DictReader(text.splitlines())]
    assert sorted(plans) == ["'=HYPERLINK(1).dxf", "'@b.dxf"]
    wb = load_workbook(tmp_path / "out" / "summary.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(c.value.startswith(("=", "+", "-", "@")) for c in cells)
    assert not any(c.data_type == "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    for c in cells:
        no_control(c.value, f"xlsx {c.coordinate}")
    findings = wb.worksheets[1]
    assert "'@b.dxf" in [row[0] for row in findings.iter_rows(values_only=True)]  # rooms.required failed


# --- names capped at capture ----------------------------------------------------------------------
def test_a_200k_character_room_name_is_capped(cli, tmp_path):
    plan = relabel(PLANS / "station-tier2-ok.dxf", tmp_path / "plan.dxf", "档案室", "档案室" + "啊" * 200_000)
    run = cli("check", plan, "-p", "30000", "-f", "json")
    assert run.code == 0, run.err
    (room,) = [r for r in run.json["rooms"] if r["name"].startswith("档案室")]
    assert len(room["name"]) == textsafe.MAX_NAME_CHARS and room["name"].endswith(textsafe.TRUNCATED)
    assert room["type"] == "archive"
    run = cli("check", plan, "-p", "30000", "-f", "html", "-o", tmp_path / "r.html")
    assert (tmp_path / "r.html").stat().st_size < 2_000_000  # was 221 MB


def test_label_and_name_caps():
    assert textsafe.label("x" * 10_000) == "x" * (textsafe.MAX_LABEL_CHARS - 1) + "…"
    assert textsafe.name("服务大厅") == "服务大厅"
    assert textsafe.name("a\nb\tc\x1b[0m\u202e") == "a b c[0m"


# --- the pieces ------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, cleaned", [
    ("\x1b[2J\x1b[31m档案室", "[2J[31m档案室"), ("a\x00b\x7fc\x85d\x9f", "abcd"), ("tab\there", "tab here"),
    ("line\r\nbreak", "line\nbreak"), ("\u202eevil", "evil"), ("\ud800x", "\ufffdx"), ("[/] [bold]", "[/] [bold]"),
])
def test_clean_drops_control_characters_and_keeps_the_rest(raw, cleaned):
    assert textsafe.clean(raw, keep_newlines=True) == cleaned


@pytest.mark.parametrize("cell, written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1+2", "'+1+2"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "' x"), ("\r=1", "'=1"), ("-3.5", "-3.5"), ("+3e4", "+3e4"),
    ("档案室", "档案室"), (12, 12), (None, None),
])
def test_csv_cell_quotes_what_a_spreadsheet_would_run(cell, written):
    assert textsafe.csv_cell(cell) == written


def _no_nan(word):
    raise AssertionError(f"{word} in a JSON report")


def _html(text: str) -> str:
    import html

    return html.escape(text)


# --- NaN / inf and nesting in input files ----------------------------------------------------------
def test_a_standard_with_share_min_nan_is_refused(cli, tmp_path):
    std = tmp_path / "nan.toml"
    std.write_text('extends = "kaifeng-2014"\nid = "nan-test"\ntitle = "nan"\n\n'
                   '[rules."hall.share"]\nshare_min = nan\n', encoding="utf-8")
    run = cli("check", PLANS / "station-faulty.dxf", "-s", std, "-p", "30000", "--lang", "en")
    assert run.code == 2
    assert run.err.count("\n") == 1 and str(std) in run.err and "share_min" in run.err and "nan" in run.err


@pytest.mark.parametrize("option, body", [
    ("--project", "population = 30000\nstaff = inf\n"),
    ("--review", "[[confirm]]\nscore = \"x\"\npoints = nan\n"),
    ("--layers", "[layers]\nwall = [\"WALL\"]\nweights = [nan]\n"),
])
def test_nan_and_inf_in_project_review_and_layer_files_are_refused(cli, tmp_path, option, body):
    f = tmp_path / "f.toml"
    f.write_text(body, encoding="utf-8")
    run = cli("check", PLANS / "station-tier2-ok.dxf", option, f, "--lang", "en")
    assert run.code == 2, run.err
    assert run.err.count("\n") == 1 and str(f) in run.err and ("nan" in run.err or "inf" in run.err)


@pytest.mark.parametrize("option", ["--standard", "--project", "--review", "--layers"])
def test_toml_nested_500_deep_is_exit_2(cli, tmp_path, option):
    f = tmp_path / "deep.toml"
    f.write_text("a = " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    run = cli("check", PLANS / "station-tier2-ok.dxf", option, f, "--lang", "en")
    assert run.code == 2, run.err
    assert run.err.count("\n") == 1 and str(f) in run.err and "nested too deeply" in run.err


def test_json_output_refuses_nan():
    with pytest.raises(textsafe.NotFinite, match=r"metrics\.hall_share = nan"):
        textsafe.json_dumps({"metrics": {"hall_share": math.nan}})
    assert textsafe.first_non_finite({"a": [1, {"b": -math.inf}]}) == ("a[1].b", -math.inf)


# --- linear work on hostile layer names ------------------------------------------------------------
def test_layer_suffix_strip_is_linear_on_120k_spaces():
    """Was ``re.sub(r"\\s+\\d+$")``: quadratic on a long run of spaces not followed by digits (minutes)."""
    assert normalise("A-325G - Internal Doors 6") == "A-325G - INTERNAL DOORS"
    assert normalise("WALL 12") == "WALL" and normalise("12") == "12" and normalise("A1") == "A1"
    start = time.perf_counter()
    for n in (120_000, 240_000):
        assert normalise("a" + " " * n + "b") == "A" + " " * n + "B"
        assert normalise("a" + " " * n + "1" * n + "x") == "A" + " " * n + "1" * n + "X"
        assert normalise(" " * n) == ""
    assert time.perf_counter() - start < 2.0  # a guard against a hang only: the work is a few ms


# --- the fuzz generators' hostile TOML: every one ends in exit 2 naming the file and the key ------------
@pytest.mark.parametrize("which, option", [("standard", "--standard"), ("project", "--project"),
                                           ("review", "--review"), ("layers", "--layers")])
def test_fuzz_hostile_toml_is_exit_2(cli, tmp_path, which, option):
    import random

    from . import fuzzgen as G

    for seed in range(4):
        text, key = G.hostile_toml(random.Random(f"{which}:{seed}"), which)
        f = tmp_path / f"{which}-{seed}.toml"
        f.write_text(text, encoding="utf-8")
        run = cli("check", PLANS / "station-tier2-ok.dxf", option, f, "--lang", "en")
        assert run.code == 2, (text, run.err)
        assert run.err.count("\n") == 1 and str(f) in run.err, run.err
        assert (key in run.err) if key != "nested" else ("nested too deeply" in run.err), run.err
        no_control(run.err, "stderr")


def test_fuzz_contract_flags_control_characters():
    """The fuzz contract (tests/fuzzgen.problems) now also fails a report that carries a control character."""
    from . import fuzzgen as G

    clean = G.Outcome(0, json.dumps({"verdict": "pass", "rooms": [{"name": "[/]"}]}), "", [], 0.1)
    dirty = G.Outcome(0, json.dumps({"verdict": "pass", "rooms": [{"name": "\x1b[31m"}]}), "", [], 0.1)
    assert G.problems(clean, "x.dxf") == []
    assert G.problems(dirty, "x.dxf") == ["control character in a report string (issue 17.2: clean text out)"]


def test_a_million_character_text_is_cut_before_ezdxf_reads_it():
    """ezdxf's TEXT plain_text is quadratic (200,000 characters: 4 s); the raw string is cut first."""
    from layoutcheck.ingest.text import MAX_RAW_CHARS, mtext_label, text_label

    msp = ezdxf.new().modelspace()
    start = time.perf_counter()
    text, _, _ = text_label(msp.add_text("档案室" + "啊" * 1_000_000, height=300))
    mtext, _, _ = mtext_label(msp.add_mtext("档案室" + "啊" * 1_000_000))
    assert text == mtext == "档案室" + "啊" * (textsafe.MAX_LABEL_CHARS - 4) + "…"
    assert MAX_RAW_CHARS < 100_000 and time.perf_counter() - start < 5.0  # a guard against a hang only


def test_a_standard_titled_with_markup_and_escapes_prints_as_written(cli, tmp_path):
    std = tmp_path / "title.toml"
    std.write_text('extends = "kaifeng-2014"\nid = "title-test"\ntitle = "[/]某市\\u001b[2J[bold]标准"\n',
                   encoding="utf-8")
    run = cli("check", PLANS / "station-tier2-ok.dxf", "-s", std, "-p", "30000")
    assert run.code == 0, run.err
    assert "[/]某市[2J[bold]标准" in run.out
    no_control(run.out + run.err, "terminal")
    run = cli("standards", "show", std)
    assert run.code == 0 and "[/]某市[2J[bold]标准" in run.out
    no_control(run.out, "standards show")
