"""The review document (issue 14): HTML printed by headless Chromium and the package's own PDF, for
plans/station-faulty.dxf under yongzhou-2014 with a project file, checked as a reviewer would read them:
at most 3 A4 pages, the title block and sign-off there, and Chinese readable on a machine with no CJK
font (Chromium is given a font configuration holding only DejaVu Sans).

The tools are Debian's chromium and poppler-utils; .ci/run installs them. A missing tool fails the
test (it does not skip), as a missing corpus does.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from layoutcheck import __version__
from layoutcheck.cli import main
from layoutcheck.i18n import message
from layoutcheck.rules import REGISTRY

from .conftest import PLANS

PLAN = PLANS / "station-faulty.dxf"
PROJECT = 'name = "西区街道人力资源和社会保障服务所改造工程"\nkind = "station"\npopulation = 30000\nstaff = 6\nwindows = 4\n'
# station-faulty.dxf under yongzhou-2014 with 4 windows and 6 staff (plans/make_samples.py draws it):
# the hall is 33.9 m² (< 100), no counter is labelled for either service (2 + 2 needed), 4 × 2 = 8 staff > 6.
FAILING = ["hall.minimum", "counter.count", "staff.count"]


def tool(*names: str) -> str:
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    pytest.fail(f"{names[0]} is missing: apt-get install -y chromium poppler-utils (.ci/run installs them)")


def run(*cmd, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in cmd], capture_output=True, timeout=180, **kw)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    return done


def latin_only_fonts(folder: Path) -> dict[str, str]:
    """An environment whose fontconfig sees DejaVu Sans only (matplotlib's copy): a machine with no CJK font."""
    import matplotlib

    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    conf = folder / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>{ttf}</dir>'
                    f"<cachedir>{folder / 'fc-cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    import os

    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def print_html(html: Path, pdf: Path, env: dict[str, str]) -> Path:
    """Print a page to PDF as a person would from Chromium (A4 comes from the page's @page rule)."""
    profile = pdf.parent / f"chromium-{pdf.stem}"
    run(tool("chromium", "chromium-browser"), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri(), env=env)
    assert pdf.is_file() and pdf.stat().st_size > 10_000
    return pdf


def pdf_info(pdf: Path) -> dict[str, str]:
    out = run(tool("pdfinfo"), pdf).stdout.decode()
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def pdf_text(pdf: Path) -> str:
    return run(tool("pdftotext"), "-enc", "UTF-8", pdf, "-").stdout.decode("utf-8")


def page_image(pdf: Path, page: int = 1, dpi: int = 100) -> np.ndarray:
    png = run(tool("pdftoppm"), "-r", dpi, "-f", page, "-l", page, "-png", "-singlefile", pdf).stdout
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"))


def heading_glyphs(gray: np.ndarray, count: int = 6) -> int:
    """How many different shapes the first ``count`` marks of the page's first line of text have.

    The first line is the heading 平面图检查报告: seven different characters. Drawn as boxes (no font
    for them) every mark is the same rectangle, so the count is 1; drawn as glyphs it is ≥ 4 (a character
    may split into two marks, e.g. 扌 and 卩 of 报, so not exactly 6)."""
    ink = gray < 128
    rows = np.flatnonzero(ink.any(axis=1))
    assert rows.size, "a blank page"
    top = rows[0]
    bottom = top
    while bottom + 1 < ink.shape[0] and ink[bottom + 1].any():
        bottom += 1
    band = ink[top:bottom + 1]
    cols = band.any(axis=0)
    marks, start = [], None
    for x, on in enumerate(np.append(cols, False)):
        if on and start is None:
            start = x
        elif not on and start is not None:
            marks.append(band[:, start:x])
            start = None
    assert len(marks) >= count, f"only {len(marks)} marks on the first line"
    shapes: list[np.ndarray] = []  # one per group of alike marks (differing in under 15 % of their area)
    for m in marks[:count]:
        ys = np.flatnonzero(m.any(axis=1))
        crop = m[ys[0]:ys[-1] + 1]
        small = np.asarray(Image.fromarray((crop * 255).astype(np.uint8)).resize((16, 16))) > 100
        if not any(np.mean(small != s) < 0.15 for s in shapes):
            shapes.append(small)
    return len(shapes)


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    """The HTML and the PDF made by ``layoutcheck check … --format html|pdf`` with a project file."""
    folder = tmp_path_factory.mktemp("review")
    project = folder / "project.toml"
    project.write_text(PROJECT, encoding="utf-8")
    files = {}
    for fmt in ("html", "pdf", "json"):
        files[fmt] = folder / "out" / f"review.{fmt}"  # the folder does not exist yet: -o creates it
        code = main(["check", str(PLAN), "-s", "yongzhou-2014", "--project", str(project), "-f", fmt,
                     "-o", str(files[fmt])])
        assert code == 1 and files[fmt].is_file()
    files["folder"] = folder
    return files


def must_say(text: str) -> list[str]:
    """What a reviewer must find in the document, figures from outside layoutcheck: the file's SHA-256
    from hashlib, the document number and project name as written, today's date."""
    return ["西区街道人力资源和社会保障服务所改造工程", "街道（乡镇）服务所", "30,000", "永政办函〔2014〕97号",
            "station-faulty.dxf", hashlib.sha256(PLAN.read_bytes()).hexdigest(), date.today().isoformat(),
            f"layoutcheck {__version__}", "审查人", "审查意见", "日期", "为什么", "怎么改", "意见簿", "举报电话",
            *FAILING]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_own_pdf_is_three_a4_pages_at_most_with_title_block_and_sign_off(review):
    info = pdf_info(review["pdf"])
    assert int(info["Pages"]) <= 3
    assert "A4" in info["Page size"]
    text = squeeze(pdf_text(review["pdf"]))
    for needle in must_say(text):
        assert squeeze(needle) in text, needle
    # failures come first, then the score, then the passes
    assert text.index("hall.minimum") < text.index("验收评分") < text.index("通过的规则")
    fonts = run(tool("pdffonts"), review["pdf"]).stdout.decode()
    assert re.search(r"NotoSansSC\S*\s.*\byes\s+yes\b", fonts), fonts  # embedded, as a subset


def test_html_printed_by_chromium_is_three_a4_pages_at_most(review, tmp_path):
    pdf = print_html(review["html"], tmp_path / "printed.pdf", latin_only_fonts(tmp_path))
    info = pdf_info(pdf)
    assert int(info["Pages"]) <= 3, info["Pages"]
    assert "A4" in info["Page size"]
    text = squeeze(pdf_text(pdf))
    for needle in must_say(text):
        assert squeeze(needle) in text, needle
    assert text.index("hall.minimum") < text.index("验收评分") < text.index("通过的规则")


def test_chinese_is_glyphs_not_boxes_on_a_machine_without_a_cjk_font(review, tmp_path):
    """Chromium with DejaVu Sans only prints the page; the same page without the embedded font is the
    control: its heading is seven identical boxes, the real one's is seven different characters."""
    from layoutcheck.report.html import render

    import json

    env = latin_only_fonts(tmp_path)
    report = json.loads(review["json"].read_text(encoding="utf-8"))
    bare = tmp_path / "bare.html"
    bare.write_text(render(report, "zh", None, embed_font=False), encoding="utf-8")
    boxes = heading_glyphs(page_image(print_html(bare, tmp_path / "bare.pdf", env)))
    glyphs = heading_glyphs(page_image(print_html(review["html"], tmp_path / "printed.pdf", env)))
    assert boxes <= 2, "the control should show boxes: is a CJK font visible to Chromium after all?"
    assert glyphs >= 4
    assert heading_glyphs(page_image(review["pdf"])) >= 4  # the package's own PDF (poppler draws its fonts)


def test_html_embeds_the_glyphs_it_uses_and_no_more(review):
    from fontTools.ttLib import TTFont

    page = review["html"].read_text(encoding="utf-8")
    face = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", page)
    assert face, "no embedded font"
    font = TTFont(io.BytesIO(base64.b64decode(face.group(1))))
    cmap = font.getBestCmap()
    visible = re.sub(r"<svg.*?</svg>|<style>.*?</style>|<[^>]+>", "", page, flags=re.S)
    cjk = {c for c in visible if "\u4e00" <= c <= "\u9fff"}
    assert len(cjk) > 200 and not {c for c in cjk if ord(c) not in cmap}
    assert len(cmap) < 1500 and len(face.group(1)) < 600_000  # a subset, not the 8 MB font


def test_every_rule_says_how_to_fix_it_in_both_languages():
    for rule in REGISTRY:
        for lang in ("zh", "en"):
            assert not message(f"fix.{rule}", lang).startswith("fix."), (rule, lang)
    assert message("fix.hall.minimum", "en") != message("fix.hall.minimum", "zh")
