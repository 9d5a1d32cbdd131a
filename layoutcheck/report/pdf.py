"""The review document as a PDF, made by the package itself (fpdf2): no browser, no system font.

The same sections as the HTML page (:mod:`layoutcheck.report.review`), laid out on A4. Text is set in
the bundled Noto Sans SC, which fpdf2 embeds as a subset of the glyphs used, with DejaVu Sans
(matplotlib's) as the fallback for the few symbols Noto lacks. The overlay is the matplotlib drawing as
a 200 dpi PNG.
"""

from __future__ import annotations

import io
from typing import Any

from ..i18n import LANG_TAGS, message
from .review import Document, document

FONT = "lcnoto"
SYMBOLS = "lcdejavu"
INK = (26, 26, 26)
GREY = (102, 102, 102)
RULE = (200, 200, 200)
HEAD_FILL = (243, 243, 243)
COLOURS = {"pass": (46, 125, 50), "fail": (198, 40, 40), "warn": (230, 81, 0), "na": (109, 109, 109),
           "n/a": (109, 109, 109)}
BODY_PT, SMALL_PT = 8.6, 7.4


def render(report: dict[str, Any], lang: str = "zh", overlay_png: bytes | None = None) -> bytes:
    """The PDF's bytes. ``overlay_png`` is the overlay (``layoutcheck.render.overlay.render(..., "png")``)."""
    doc = document(report, lang)
    pdf = _Pdf(doc)
    _write(pdf, doc, report, overlay_png)
    return bytes(pdf.output())


def _make_fpdf():
    from fpdf import FPDF

    from ..render.fonts import cjk_font_path, symbol_font_path

    class Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-9)
            self.set_font(FONT, size=SMALL_PT)
            self.set_text_color(*GREY)
            self.cell(0, 4, self.footer_text.replace("{n}", str(self.page_no())), align="C")

    pdf = Pdf(orientation="P", unit="mm", format="A4")
    font = cjk_font_path()
    if font is None:
        raise RuntimeError("the PDF report needs the font package pylopdf-fonts-zh-cn (pip install it)")
    pdf.add_font(FONT, "", str(font))
    pdf.add_font(FONT, "B", str(font))  # one weight is bundled: headings stand out by size and colour
    pdf.add_font(SYMBOLS, "", str(symbol_font_path()))
    pdf.set_fallback_fonts([SYMBOLS], exact_match=False)
    return pdf


def _Pdf(doc: Document):

    pdf = _make_fpdf()
    pdf.set_margins(12, 11, 12)
    pdf.set_auto_page_break(True, margin=13)
    pdf.footer_text = message("review.page", doc.lang, n="{n}", total="{nb}")
    pdf.alias_nb_pages("{nb}")
    pdf.set_title(f"{doc.heading} — {doc.verdict_text}")
    pdf.set_creator("layoutcheck")
    pdf.set_lang(LANG_TAGS.get(doc.lang, doc.lang))
    pdf.add_page()
    return pdf


CHAR_WRAPPED = ("zh",)  # languages written without spaces to break lines at


def _wrap(doc: Document) -> str:
    return "CHAR" if doc.lang in CHAR_WRAPPED else "WORD"


def _h2(pdf, text: str, need_mm: float = 20) -> None:
    """A section heading, moved to the next page when the section's start would not fit under it."""
    if pdf.get_y() + need_mm > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(2.2)
    pdf.set_font(FONT, size=10.5)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*RULE)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1.2)
    pdf.set_font(FONT, size=BODY_PT)


def _para(pdf, doc: Document, text: str, *, size: float = BODY_PT, colour=INK, label: str | None = None,
          h: float = 3.9) -> None:
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*colour)
    if label:
        text = f"{label}{message('sep.colon', doc.lang)}{text}"
    pdf.multi_cell(0, h, text, new_x="LMARGIN", new_y="NEXT", wrapmode=_wrap(doc))


def _table(pdf, doc: Document, rows: list[list[str]], widths: tuple[float, ...], *, heading: bool = True,
           size: float = BODY_PT, align: tuple[str, ...] | None = None, colours: list[Any] | None = None) -> None:
    from fpdf.fonts import FontFace

    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*RULE)
    pdf.set_fill_color(255, 255, 255)  # cells take the current fill colour
    with pdf.table(col_widths=widths, width=pdf.epw, line_height=size * 0.47, padding=(0.6, 1.2),
                   first_row_as_headings=heading, text_align="LEFT", wrapmode=_wrap(doc),
                   headings_style=FontFace(emphasis=None, fill_color=HEAD_FILL), borders_layout="ALL") as table:
        for i, cells in enumerate(rows):
            colour = (colours or [None] * len(rows))[i]
            row = table.row(style=FontFace(color=colour) if colour else None)
            for j, text in enumerate(cells):
                row.cell(text, align=(align[j] if align and not (heading and i == 0) else "LEFT"))


def _write(pdf, doc: Document, report: dict[str, Any], overlay_png: bytes | None) -> None:
    w = doc.labels
    colour = COLOURS["fail" if doc.verdict == "fail" else "pass"]
    pdf.set_font(FONT, size=16)
    pdf.set_text_color(*INK)
    pdf.cell(pdf.get_string_width(doc.heading) + 3, 9, doc.heading)
    pdf.set_fill_color(*colour)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(FONT, size=13)
    pdf.cell(pdf.get_string_width(doc.verdict_text) + 6, 8, doc.verdict_text, fill=True, align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)
    pdf.set_font(FONT, size=BODY_PT + 0.6)
    pdf.set_text_color(*colour)
    pdf.cell(0, 5, f"{w['verdict']}{message('sep.colon', doc.lang)}{doc.verdict_text} — {doc.counts}",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    head = [[k, v] for k, v in doc.head]
    head.append([w["metrics"], message("sep.clause", doc.lang).join(f"{k} {v}" for k, v in doc.metrics)])
    _table(pdf, doc, head, (1, 5.2), heading=False)

    _h2(pdf, w["failures"], 30)
    if not doc.findings:
        _para(pdf, doc, w["no-failures"])
    for f in doc.findings:
        _finding(pdf, doc, f)

    if doc.score:
        sc = doc.score
        _h2(pdf, sc["title"], 40)
        _para(pdf, doc, sc["summary"], size=BODY_PT + 0.4)
        pdf.ln(0.8)
        rows = [[w["score-item"], w["pts"], w["earned"], w["lost"], w["tbc"], w["rule"]]]
        colours = [None]
        for r in sc["rows"]:
            name = r["name"] + (f"\n{r['note']}" if r["note"] else "")
            rows.append([name, *(f"{r[k]:g}" for k in ("points", "earned", "lost", "to_confirm")),
                         "\n".join(r["rules"])])
            colours.append(COLOURS[r["cls"]] if r["cls"] != "na" else None)
        _table(pdf, doc, rows, (7.4, 0.9, 1.2, 0.9, 1.5, 3.6), size=SMALL_PT,
               align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "LEFT"), colours=colours)
        _para(pdf, doc, sc["clause"], size=SMALL_PT, colour=GREY, label=w["clause"])

    if overlay_png:
        from PIL import Image

        width_px, height_px = Image.open(io.BytesIO(overlay_png)).size
        box_w, box_h = pdf.epw, 112.0
        scale = min(box_w / width_px, box_h / height_px)
        img_w, img_h = width_px * scale, height_px * scale
        _h2(pdf, w["overlay"], img_h + 12)
        pdf.image(io.BytesIO(overlay_png), x=pdf.l_margin + (box_w - img_w) / 2, w=img_w, h=img_h)
        _para(pdf, doc, w["overlay-note"], size=SMALL_PT, colour=GREY)

    _h2(pdf, w["passes"], 25)
    clauses: dict[str, str] = {}
    for r in report["results"]:
        clauses.setdefault(r["rule"], r["clause"])
    rows = [[w["no"], w["rule"], w["message"], w["clause"]]]
    rows += [[", ".join(map(str, ns)), f"{title}\n{rid}", msgs, clauses[rid]] for ns, rid, title, msgs in doc.passes]
    _table(pdf, doc, rows, (0.7, 2.3, 5.2, 2.6), size=SMALL_PT + 0.3, align=("RIGHT", "LEFT", "LEFT", "LEFT"))

    _h2(pdf, w["confirm"], 20)
    for item, clause in doc.confirm:
        pdf.set_font(FONT, size=BODY_PT)
        pdf.set_text_color(*INK)
        pdf.cell(4.5, 3.9, "□")
        pdf.multi_cell(0, 3.9, message("report.item-clause", doc.lang, item=item, clause=clause),
                       new_x="LMARGIN", new_y="NEXT", wrapmode=_wrap(doc))
    if doc.confirm_basis:
        _para(pdf, doc, message("sep.clause", doc.lang).join(doc.confirm_basis), size=SMALL_PT, colour=GREY, label=w["clause"])
    if doc.confirmed:  # the review file's confirmations (--review)
        _h2(pdf, w["review"].format(file=doc.review_file), 16)
        _table(pdf, doc, [list(c) for c in doc.confirmed], (3.6, 1.4, 1.6, 4.2), heading=False, size=SMALL_PT + 0.3)

    _h2(pdf, w["rooms"], 20)
    rows = [[w["name"], w["type"], w["area"]] * 2]
    half = (len(doc.rooms) + 1) // 2
    left, right = doc.rooms[:half], doc.rooms[half:]
    for i, a in enumerate(left):
        rows.append([*a, *(right[i] if i < len(right) else ("", "", ""))])
    _table(pdf, doc, rows, (2.2, 2.2, 1.2) * 2, size=SMALL_PT + 0.3,
           align=("LEFT", "LEFT", "RIGHT") * 2)

    _h2(pdf, w["signoff"], 48)
    _signoff(pdf, w)
    pdf.ln(1.5)
    _para(pdf, doc, w["made-by"], size=SMALL_PT, colour=GREY)


def _finding(pdf, doc: Document, f) -> None:
    """One failure or warning: a coloured bar, the message, required and measured, clause, why, how to fix."""
    w = doc.labels
    colour = COLOURS[f.status]
    if pdf.get_y() + 24 > pdf.page_break_trigger:
        pdf.add_page()
    top, page = pdf.get_y(), pdf.page
    x0 = pdf.l_margin
    pdf.set_left_margin(x0 + 3)
    pdf.set_x(x0 + 3)
    pdf.set_fill_color(*colour)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(FONT, size=BODY_PT)
    pdf.cell(5.5, 4.2, str(f.n), fill=True, align="C")
    pdf.set_text_color(*INK)
    status = message(f"status.{f.status}", doc.lang)
    pdf.cell(pdf.get_string_width(f.title) + 2, 4.2, " " + f.title)
    pdf.set_text_color(*GREY)
    pdf.cell(pdf.get_string_width(f.rule) + 3, 4.2, f.rule)
    pdf.set_text_color(*colour)
    pdf.cell(0, 4.2, f"× {status}" if f.status == "fail" else f"! {status}", new_x="LMARGIN", new_y="NEXT")
    _para(pdf, doc, f.message)
    sp = message("sep.wide", doc.lang)
    figures = [(w["required"], f.required), (w["measured"], f.measured)] if (f.required, f.measured) != ("—", "—") \
        else []
    _para(pdf, doc, sp.join(f"{k} {v}" for k, v in (*figures, (w["where"], f.where))), colour=GREY)
    _para(pdf, doc, f.clause, label=w["clause"])
    if f.quote:  # the source's own words: why a fail, why only a warning (README: evidence model)
        _para(pdf, doc, f"“{f.quote}”", size=SMALL_PT, label=w["quote"])
    if f.basis:
        _para(pdf, doc, f.basis, label=w["basis"])
    if f.why:
        _para(pdf, doc, f.why, label=w["why"])
    if f.fix:
        _para(pdf, doc, f.fix, label=w["fix"])
    pdf.set_left_margin(x0)
    if pdf.page == page:  # the bar beside the block (a block split over pages keeps its heading's colour)
        pdf.set_fill_color(*colour)
        pdf.rect(x0, top, 1.2, pdf.get_y() - top, style="F")
    pdf.ln(1.8)


def _signoff(pdf, w: dict[str, str]) -> None:
    """审查人 / 日期 on one line, a box for the opinion, a line to sign."""
    pdf.set_draw_color(*RULE)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, size=BODY_PT + 0.6)
    label_w, half = 22.0, pdf.epw / 2
    pdf.cell(label_w, 9, w["reviewer"], border=1, fill=False)
    pdf.cell(half - label_w, 9, "", border=1)
    pdf.cell(label_w, 9, w["signed-date"], border=1)
    pdf.cell(half - label_w, 9, "", border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(label_w, 26, w["opinion"], border=1, align="L")
    pdf.cell(pdf.epw - label_w, 26, "", border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(label_w, 10, w["signature"], border=1)
    pdf.cell(pdf.epw - label_w, 10, "", border=1, new_x="LMARGIN", new_y="NEXT")
