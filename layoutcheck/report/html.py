"""The review document as one self-contained HTML file: a reviewer can mail it, open it offline or print it.

Input is the JSON report dict (the contract), plus the overlay as SVG text to inline. Nothing is fetched:
the CSS is inline, the SVG's text is drawn as paths, and the glyphs the page uses are cut from the bundled
Noto Sans SC and embedded as a base64 WOFF ``@font-face``, so Chinese renders on a machine with no CJK
font. The print stylesheet lays the page out on A4 (a typical station: ≤ 3 pages). The content and its
order come from :mod:`layoutcheck.report.review`, shared with the PDF writer.
"""

from __future__ import annotations

import base64
import re
from html import escape
from typing import Any

from ..i18n import LANG_TAGS, message
from ..render.fonts import subset_woff
from .review import Document, document, text_of

FONT_FAMILY = "LC Noto Sans SC"  # the embedded subset's family name, not a system font's
ICONS = {"pass": "✓", "fail": "×", "warn": "!", "n/a": "·"}  # all in Noto Sans SC (✗ is not)

CSS = """
body{font-family:"%(font)s","PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",
 sans-serif;margin:0 auto;max-width:1000px;padding:16px 24px;color:#1a1a1a;line-height:1.45;font-size:15px}
h1{font-size:1.45em;margin:.1em 0 .2em}h2{font-size:1.12em;margin:1em 0 .35em;border-bottom:1px solid #bbb;
 break-after:avoid}
table{border-collapse:collapse;margin:.3em 0;width:100%%}td,th{border:1px solid #d0d0d0;padding:2px 6px;
 text-align:left;vertical-align:top}th{background:#f3f3f3;font-weight:600;white-space:nowrap}
table.head th{width:8.5em}table.head td{white-space:pre-line;overflow-wrap:anywhere}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.verdict{display:inline-block;padding:1px 12px;border-radius:4px;color:#fff;font-weight:700}
.s-pass{color:#2e7d32}.s-fail{color:#c62828}.s-warn{color:#e65100}.s-na{color:#6d6d6d}
.b-pass{background:#2e7d32}.b-fail{background:#c62828}.b-warn{background:#e65100}.b-na{background:#6d6d6d}
.badge{display:inline-block;min-width:1.6em;text-align:center;border-radius:1em;color:#fff;font-weight:700;
 font-size:.9em;margin-right:.4em}
.finding{border:1px solid #d0d0d0;border-left:4px solid #c62828;padding:3px 8px;margin:.45em 0;
 break-inside:avoid}.finding.warn{border-left-color:#e65100}
.finding h3{font-size:1em;margin:0 0 .15em}.finding p{margin:.1em 0}.finding .k{font-weight:600;color:#444}
.overlay svg{width:100%%;height:auto;max-height:175mm;border:1px solid #e0e0e0}
.note{color:#666;font-size:.86em}:target{outline:3px solid #ffb300}.nw,code{white-space:nowrap}
code{font-family:inherit;font-size:.95em}
ul.confirm{list-style:none;padding-left:0;margin:.2em 0;columns:2;column-gap:2em}
ul.confirm li{break-inside:avoid;margin:.1em 0}ul.confirm li:before{content:"□ ";font-size:1.1em}
table.sign td{height:2.2em}table.sign td.opinion{height:6.5em}table.sign th{width:6em}
.rooms td,.rooms th{padding:1px 6px}
@page{size:A4;margin:11mm 11mm 12mm}
@media print{body{max-width:none;padding:0;font-size:8.6pt;line-height:1.35}
 .overlay svg{max-height:118mm;border:none}h2{margin:.7em 0 .25em}
 tr,.finding,ul.confirm li,table.sign{break-inside:avoid}:target{outline:none}a{color:inherit;text-decoration:none}}
"""


def _cls(status: str) -> str:
    return "na" if status == "n/a" else status


def _svg_inline(svg: str) -> str:
    """Matplotlib's SVG without its XML prolog, DOCTYPE and RDF metadata, scaled to the page."""
    svg = svg[svg.find("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    return re.sub(r'<svg([^>]*?)\swidth="[^"]*"\s+height="[^"]*"', r'<svg\1', svg, count=1)


def font_face(text: str) -> str:
    """A ``@font-face`` rule embedding the glyphs of ``text`` (empty without the font package)."""
    woff = subset_woff(text)
    if not woff:
        return ""
    data = base64.b64encode(woff).decode("ascii")
    return (f'@font-face{{font-family:"{FONT_FAMILY}";font-weight:400 700;'
            f'src:url(data:font/woff;base64,{data}) format("woff")}}')


def render(report: dict[str, Any], lang: str = "zh", svg: str | None = None, *, embed_font: bool = True) -> str:
    """The whole page as a string; ``svg`` is the overlay (see ``layoutcheck.render.overlay.render``).

    ``embed_font=False`` leaves the glyphs out (the page then relies on system fonts): for tests that
    show what a machine without a CJK font would print otherwise."""
    doc = document(report, lang)
    body = _body(doc, report, svg)
    face = font_face(text_of(doc)) if embed_font else ""
    e = escape
    return "\n".join([
        f'<!DOCTYPE html><html lang="{LANG_TAGS.get(lang, lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(report['plan'])} — {e(doc.verdict_text)} — layoutcheck</title>",
        f"<style>{face}{CSS % {'font': FONT_FAMILY}}</style></head><body>", *body, "</body></html>\n"])


def _body(doc: Document, report: dict[str, Any], svg: str | None) -> list[str]:
    e, w = escape, doc.labels
    colon, sep = message("sep.colon", doc.lang), message("sep.clause", doc.lang)
    out = [f'<h1>{e(doc.heading)} <span class="verdict b-{_cls(doc.verdict)}">{e(doc.verdict_text)}</span></h1>',
           f'<p><b class="s-{_cls(doc.verdict)}">{e(w["verdict"])}{colon}{e(doc.verdict_text)}</b>'
           f" — {e(doc.counts)}</p>",
           '<table class="head">']
    out += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in doc.head]
    out.append(f"<tr><th>{e(w['metrics'])}</th><td>"
               + sep.join(f"{e(k)} {e(v)}" for k, v in doc.metrics) + "</td></tr></table>")

    out.append(f"<h2>{e(w['failures'])}</h2>")
    if not doc.findings:
        out.append(f"<p>{e(w['no-failures'])}</p>")
    for f in doc.findings:
        st = message(f"status.{f.status}", doc.lang)
        out.append(f'<div class="finding {f.status}" id="lc-result-{f.n}"><h3>'
                   f'<span class="badge b-{f.status}">{f.n}</span>{e(f.title)} <code>{e(f.rule)}</code> '
                   f'<span class="s-{f.status}">{ICONS[f.status]} {e(st)}</span></h3>')
        out.append(f"<p>{e(f.message)}</p>")
        figures = [(w["required"], f.required), (w["measured"], f.measured)] if (f.required, f.measured) != ("—", "—") \
            else []
        out.append("<p>" + "　".join(f'<span class="k">{e(k)}</span> {e(v)}'
                                     for k, v in (*figures, (w["where"], f.where))) + "</p>")
        out.append(f'<p><span class="k">{e(w["clause"])}</span>{colon}{e(f.clause)}</p>')
        if f.quote:  # the source's own words: why this is a fail, or only a warning
            out.append(f'<p><span class="k">{e(w["quote"])}</span>{colon}“{e(f.quote)}”</p>')
        if f.basis:
            out.append(f'<p><span class="k">{e(w["basis"])}</span>{colon}{e(f.basis)}</p>')
        if f.why:
            out.append(f'<p><span class="k">{e(w["why"])}</span>{colon}{e(f.why)}</p>')
        if f.fix:
            out.append(f'<p><span class="k">{e(w["fix"])}</span>{colon}{e(f.fix)}</p>')
        out.append("</div>")

    if doc.score:
        out += _score(doc, w)

    if svg:
        out.append(f'<h2>{e(w["overlay"])}</h2><div class="overlay">{_svg_inline(svg)}</div>')
        out.append(f'<p class="note">{e(w["overlay-note"])}</p>')

    out.append(f"<h2>{e(w['passes'])}</h2><table><tr><th>{e(w['no'])}</th><th>{e(w['rule'])}</th>"
               f"<th>{e(w['message'])}</th><th>{e(w['clause'])}</th></tr>")
    clauses = {}
    for r in report["results"]:
        clauses.setdefault(r["rule"], r["clause"])
    for ns, rid, title, msgs in doc.passes:
        anchors = "".join(f'<span id="lc-result-{n}"></span>' for n in ns)
        out.append(f'<tr><td class="num">{anchors}{", ".join(map(str, ns))}</td>'
                   f"<td>{e(title)}<br><code>{e(rid)}</code></td><td>{e(msgs)}</td><td>{e(clauses[rid])}</td></tr>")
    out.append("</table>")

    out.append(f"<h2>{e(w['confirm'])}</h2>")
    confirm_ids = [n for n, r in enumerate(report["results"], 1) if r["status"] == "n/a"]
    out.append("".join(f'<span id="lc-result-{n}"></span>' for n in confirm_ids) + '<ul class="confirm">')
    out += [f'<li>{e(item)} <span class="note">{e(clause)}</span></li>' for item, clause in doc.confirm]
    out.append("</ul>")
    if doc.confirm_basis:
        out.append(f'<p class="note">{e(w["clause"])}{colon}{e(sep.join(doc.confirm_basis))}</p>')
    if doc.confirmed:  # what the reviewer confirmed (--review): it made those results pass or fail
        out.append(f"<h2>{e(w['review'].format(file=doc.review_file))}</h2><table>")
        out += [f"<tr><td>{e(what)}</td><td>{e(by)}</td><td>{e(date)}</td><td>{e(note)}</td></tr>"
                for what, by, date, note in doc.confirmed]
        out.append("</table>")

    out.append(f"<h2>{e(w['rooms'])}</h2><table class=\"rooms\"><tr>"
               + f"<th>{e(w['name'])}</th><th>{e(w['type'])}</th><th>{e(w['area'])}</th>" * 2 + "</tr>")
    half = (len(doc.rooms) + 1) // 2
    for a, b in zip(doc.rooms[:half], doc.rooms[half:] + [None] * (half - len(doc.rooms[half:]))):
        cells = [a] + ([b] if b else [])
        out.append("<tr>" + "".join(f'<td>{e(n)}</td><td>{e(t)}</td><td class="num">{e(ar)}</td>'
                                    for n, t, ar in cells) + ("<td></td>" * 3 if not b else "") + "</tr>")
    out.append("</table>")

    out.append(f'<h2>{e(w["signoff"])}</h2><table class="sign">'
               f'<tr><th>{e(w["reviewer"])}</th><td></td><th>{e(w["signed-date"])}</th><td></td></tr>'
               f'<tr><th>{e(w["opinion"])}</th><td class="opinion" colspan="3"></td></tr>'
               f'<tr><th>{e(w["signature"])}</th><td colspan="3"></td></tr></table>')
    out.append(f'<p class="note">{e(w["made-by"])}</p>')
    return out


def _score(doc: Document, w: dict[str, str]) -> list[str]:
    """The acceptance score as a table of every item: points, earned, lost, still to confirm, and the rules
    that decided it — a reviewer fills in the to-confirm column by hand."""
    e, sc = escape, doc.score
    out = [f'<h2 id="lc-score">{e(sc["title"])}</h2>', f"<p><b>{e(sc['summary'])}</b></p>",
           f"<table class=\"score\"><tr><th>{e(w['score-item'])}</th><th>{e(w['pts'])}</th><th>{e(w['earned'])}</th>"
           f"<th>{e(w['lost'])}</th><th>{e(w['tbc'])}</th><th>{e(w['rule'])}</th></tr>"]
    for r in sc["rows"]:
        note = f'<br><span class="note">{e(r["note"])}</span>' if r["note"] else ""
        out.append(f'<tr class="s-{r["cls"]}"><td>{e(r["name"])}{note}</td>'
                   + "".join(f'<td class="num">{r[k]:g}</td>' for k in ("points", "earned", "lost", "to_confirm"))
                   + f"<td>{' '.join(f'<code>{e(x)}</code>' for x in r['rules'])}</td></tr>")
    out.append(f'<tr><td colspan="6" class="note">{e(w["clause"])}{message("sep.colon", doc.lang)}'
               f'{e(sc["clause"])}</td></tr></table>')
    return out
