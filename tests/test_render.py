"""Seeing the result (issue #5): overlay PNG/SVG/PDF, HTML report, marked-up DXF, numbering, lazy imports."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import warnings
from pathlib import Path

import ezdxf
import pytest

from layoutcheck import Project, check
from layoutcheck.render import findings, markup, overlay

from .conftest import PLANS

SAMPLES = sorted(PLANS.glob("*.dxf"))
MARK_ID = re.compile(r'id="lc-mark-(\d+)"')


def _project(path: Path) -> Project:
    return Project(kind="community" if path.name.startswith("community") else "station", population=30000)


@pytest.fixture(scope="module")
def checked():
    cache: dict[tuple[str, str], tuple] = {}

    def get(path: Path, lang: str = "zh"):
        key = (str(path), lang)
        if key not in cache:
            done = check(path, "kaifeng-2014", _project(path))
            cache[key] = (done, done.report(lang))
        return cache[key]

    return get


def located(report) -> set[int]:
    return {n for n, r in findings(report) if r["where"]}


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_sample_renders_with_one_mark_per_located_finding(path, checked, tmp_path):
    done, report = checked(path)
    png = overlay.save(done.plan, report, tmp_path / "o.png")
    svg = overlay.save(done.plan, report, tmp_path / "o.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 30_000
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text and len(text) > 30_000
    ids = MARK_ID.findall(text)
    assert len(ids) == len(set(ids)), "one mark group per finding"
    assert {int(i) for i in ids} == located(report)


def test_faulty_station_is_marked_where_its_failures_are(checked, tmp_path):
    done, report = checked(PLANS / "station-faulty.dxf")
    fails = {r["rule"]: n for n, r in findings(report) if r["status"] in ("fail", "warn")}  # hall.share warns
    assert {"area.tier", "hall.share"} <= set(fails)
    drawn = overlay.draw(done.plan, report)
    for rule in ("area.tier", "hall.share"):
        n = fails[rule]
        assert drawn["marks"][n]["rule"] == rule
        coll = drawn["mark_artists"][n][0]
        assert coll.get_gid() == f"lc-mark-{n}"
        assert [list(p) for p in coll.get_offsets()] == report["results"][n - 1]["where"]
    # the room labels are drawn, in Chinese, with their areas
    names = {name for name, *_ in drawn["rooms"]}
    assert {"服务大厅", "档案室", "办公室", "卫生间"} <= names


def test_pdf_is_written(checked, tmp_path):
    done, report = checked(PLANS / "station-faulty.dxf")
    pdf = overlay.save(done.plan, report, tmp_path / "o.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 20_000


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_chinese_renders_without_missing_glyphs(fmt, checked, caplog):
    """No tofu: every glyph of the Chinese report is in the fonts, and matplotlib never falls back."""
    from matplotlib import font_manager

    from layoutcheck.render.fonts import family

    done, report = checked(PLANS / "station-faulty.dxf")
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" is a UserWarning: make it fail
        data = overlay.render(done.plan, report, fmt)
    assert len(data) > 20_000
    assert not [r for r in caplog.records if "findfont" in r.getMessage() or "Glyph" in r.getMessage()]
    found = font_manager.findfont(font_manager.FontProperties(family=list(family())), fallback_to_default=False)
    assert Path(found).name == "NotoSansSC-Regular.otf"


def test_routes_and_unlocated_findings(checked):
    done, report = checked(PLANS / "station-faulty.dxf")
    report = json.loads(json.dumps(report))  # a copy to edit
    n = next(n for n, r in findings(report) if r["rule"] == "hall.share")
    report["results"][n - 1]["where"] = []
    report["results"][n - 1]["details"] = {"route": [[4.63, 0.3], [4.63, 2.0], [2.0, 2.0]]}
    drawn = overlay.draw(done.plan, report)
    assert n in drawn["unlocated"] and n not in drawn["marks"]
    assert drawn["routes"][n].get_gid() == f"lc-route-{n}"
    svg = overlay.render(done.plan, report, "svg").decode()
    assert f'id="lc-route-{n}"' in svg and f'id="lc-mark-{n}"' not in svg


def test_archive_opening_is_drawn_as_a_line_along_the_wall(checked):
    """The 1.5 m hole in the archive wall is drawn where it is, not only ringed at its middle."""
    done, report = checked(PLANS / "station-archive-open.dxf")
    n = next(n for n, r in findings(report) if r["rule"] == "archive.enclosed" and (r.get("details") or {}).get("gap"))
    line = overlay.draw(done.plan, report)["gaps"][n]
    assert line.get_gid() == f"lc-gap-{n}"
    (seg,) = line.get_segments()  # one gap, drawn as one segment of a line collection
    xs, ys = seg[:, 0], seg[:, 1]
    assert (min(xs), max(xs)) == (pytest.approx(1.2, abs=0.01), pytest.approx(2.7, abs=0.01))
    assert all(y == pytest.approx(6.42, abs=0.01) for y in ys)
    assert f'id="lc-gap-{n}"' in overlay.render(done.plan, report, "svg").decode()


def test_overlay_on_a_given_axes():
    from matplotlib.figure import Figure

    done = check(PLANS / "station-faulty.dxf", "kaifeng-2014", Project(population=30000))
    ax = Figure(figsize=(6, 5)).subplots()
    drawn = overlay.draw(done.plan, done.report(), ax=ax)
    assert drawn["axes"] == [ax] and drawn["marks"]


def test_cli_overlay_markup_and_html_together(cli, tmp_path):
    run = cli("check", PLANS / "station-faulty.dxf", "--population", "30000", "--overlay", tmp_path / "o.png",
              "--markup", tmp_path / "m.dxf", "--format", "html", "--output", tmp_path / "r.html")
    assert run.code == 1, run.err
    assert (tmp_path / "o.png").stat().st_size > 30_000
    assert (tmp_path / "m.dxf").is_file() and (tmp_path / "r.html").is_file()


def test_cli_refuses_an_unknown_overlay_format(cli, tmp_path):
    run = cli("check", PLANS / "station-faulty.dxf", "--overlay", tmp_path / "o.gif")
    assert run.code == 2 and ".png" in run.err and not (tmp_path / "o.gif").exists()


def test_text_report_numbers_results_as_the_overlay(cli):
    run = cli("check", PLANS / "station-faulty.dxf", "--population", "30000", "--format", "json")
    report = run.json
    text = cli("check", PLANS / "station-faulty.dxf", "--population", "30000").out
    for n, r in findings(report):
        assert re.search(rf"^\s*{n} [✗!·] .*{re.escape(r['rule'])}", text, re.M), (n, r["rule"])


# --- HTML -------------------------------------------------------------------------------------

EXTERNAL = re.compile(r"""(?:\b(?:src|href|xlink:href|action|poster)\s*=\s*["']?\s*(?:https?:)?//)"""
                      r"""|url\(\s*["']?\s*(?:https?:)?//|@import|<link\b|<script\b|<iframe\b""", re.I)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_report_is_self_contained(lang, cli, tmp_path):
    out = tmp_path / "r.html"
    run = cli("check", PLANS / "station-faulty.dxf", "--population", "30000", "--format", "html", "-o", out,
              "--lang", lang)
    assert run.code == 1, run.err
    page = out.read_text(encoding="utf-8")
    report = cli("check", PLANS / "station-faulty.dxf", "--population", "30000", "--format", "json",
                 "--lang", lang).json
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert not EXTERNAL.findall(page), EXTERNAL.findall(page)
    assert "<svg" in page and {int(i) for i in MARK_ID.findall(page)} == located(report)
    for n, r in enumerate(report["results"], 1):
        assert f'id="lc-result-{n}"' in page
        assert r["clause"].replace("&", "&amp;") in page
    for room in report["rooms"]:
        assert room["name"] in page
    assert ("平面图检查报告" if lang == "zh" else "Plan check report") in page
    assert ("依据条款" if lang == "zh" else "Clause") in page


# --- DXF markup -------------------------------------------------------------------------------

def _marks_on_layer(path: Path):
    doc = ezdxf.readfile(path)
    layer = doc.layers.get(markup.LAYER)
    ents = list(doc.modelspace().query(f'*[layer=="{markup.LAYER}"]'))
    return doc, layer, ents


def _centre(poly) -> tuple[float, float]:
    pts = [v.dxf.location for v in poly.vertices]
    return sum(p.x for p in pts) / len(pts), sum(p.y for p in pts) / len(pts)


@pytest.mark.parametrize("variant", [{}, {"units": "m"}, {"dxfversion": "R12", "encoding": "gbk"}],
                         ids=["mm", "metres", "R12-gbk"])
def test_markup_reopens_with_marks_on_their_layer(variant, drawn, tmp_path):
    src = drawn("station-faulty", **variant)
    done = check(src, "kaifeng-2014", Project(population=30000))
    report = done.report()
    out = tmp_path / "marked.dxf"
    markup.write(done.plan, report, out)
    doc, layer, ents = _marks_on_layer(out)
    assert layer is not None and layer.color == 1
    clouds = [e for e in ents if e.dxftype() == "POLYLINE"]
    notes = [e for e in ents if e.dxftype() in ("MTEXT", "TEXT")]
    points = [(n, p) for n, r in findings(report) for p in r["where"]]
    assert len(clouds) == len(points) >= 2
    for (n, (x, y)), cloud in zip(points, clouds):
        cx, cy = _centre(cloud)
        assert abs(cx * done.plan.unit_m - x) < 0.01 and abs(cy * done.plan.unit_m - y) < 0.01
    texts = [e.plain_text() if e.dxftype() == "MTEXT" else e.dxf.text for e in notes]
    for n, r in findings(report):  # a note at each mark, and every finding in the list above the plan
        assert any(t.startswith(f"#{n} [{r['status']}] {r['rule']}") for t in texts), (n, texts)
        assert not r["where"] or any(t.startswith(f"#{n} {r['rule']}: ") for t in texts), (n, texts)
    if doc.dxfversion == "AC1009":
        assert any("m2" in t for t in texts) and not any("\\x" in t or "\\U" in t for t in texts)
    # the original drawing is still all there
    assert len(doc.modelspace().query('*[layer!="LAYOUTCHECK"]')) == len(ezdxf.readfile(src).modelspace())


# --- lazy imports -----------------------------------------------------------------------------

def test_json_check_never_imports_matplotlib():
    argv = ["check", str(PLANS / "station-faulty.dxf"), "--population", "30000", "--format", "json"]
    code = (f"import sys; from layoutcheck.cli import main; rc = main({argv!r}); "
            "print('MODULES', sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'), rc, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "MODULES [] 1" in proc.stderr, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["verdict"] == "fail"


def test_two_storeys_at_one_origin_keep_their_marks_apart(tmp_path):
    """Storey files usually share an origin: each finding is drawn on its own storey's panel only."""
    done = check([PLANS / "station-tier2-ok.dxf", PLANS / "station-counter-wrong.dxf"], "kaifeng-2014",
                 Project(population=30000))
    report = done.report("zh")
    wrong = [n for n, r in findings(report) if r["rule"] == "counter.height" and r["status"] == "fail"]
    assert len(wrong) == 1 and report["results"][wrong[0] - 1]["storey"] == 1
    drawn = overlay.draw(done.plan, report)
    assert len(drawn["axes"]) == 2
    (ring,) = [a for a in drawn["mark_artists"][wrong[0]] if a.get_gid() == f"lc-mark-{wrong[0]}"]
    assert ring.axes is drawn["axes"][1]  # the second storey's panel, not both
    text = overlay.save(done.plan, report, tmp_path / "two.svg").read_text(encoding="utf-8")
    assert text.count(f'id="lc-mark-{wrong[0]}"') == 1
