"""The report as one self-contained HTML file: a reviewer can mail it or open it offline.

Input is the JSON report dict (the contract), plus the overlay as SVG text to inline. No fonts,
scripts or stylesheets are fetched: the CSS is inline and names system fonts only, and the SVG's
text is drawn as paths. Results are numbered as on the overlay; a mark links to its table.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from .. import __version__
from ..i18n import message
from ..rules import REGISTRY
from ..rules.rooms import type_name
from . import views_line
from .text import WORDS, fmt

EXTRA = {
    "zh": {"heading": "平面图检查报告", "overlay": "检查图", "summary": "结果一览", "no": "编号",
           "where": "位置 (m)", "item": "评分项", "nowhere": "全图 / 无定位", "by": "由 layoutcheck {v} 生成",
           "note": "编号与检查图上的标记一致；坐标为图纸坐标系中的米数（图纸坐标 × 单位）。"},
    "en": {"heading": "Plan check report", "overlay": "Overlay", "summary": "Results at a glance", "no": "No.",
           "where": "Location (m)", "item": "Item", "nowhere": "whole plan / no location", "by": "made by layoutcheck {v}",
           "note": "Numbers match the marks on the overlay; locations are metres in the drawing's frame "
                   "(drawing coordinates × unit)."},
}
ICONS = {"pass": "✓", "fail": "✗", "warn": "!", "n/a": "·"}

CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",
 system-ui,sans-serif;margin:0 auto;max-width:1180px;padding:16px 24px;color:#1a1a1a;line-height:1.5}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.4em 0 .5em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #d0d0d0;padding:3px 9px;text-align:left;
 vertical-align:top}th{background:#f3f3f3;font-weight:600;white-space:nowrap}
.num{text-align:right;font-variant-numeric:tabular-nums}
.verdict{display:inline-block;padding:2px 12px;border-radius:4px;color:#fff;font-weight:700}
.s-pass{color:#2e7d32}.s-fail{color:#d32f2f}.s-warn{color:#ef6c00}.s-na{color:#6d6d6d}
.b-pass{background:#2e7d32}.b-fail{background:#d32f2f}.b-warn{background:#ef6c00}.b-na{background:#6d6d6d}
.badge{display:inline-block;min-width:1.6em;text-align:center;border-radius:1em;color:#fff;font-weight:700;
 font-size:.9em;margin-right:.4em}
.result{width:100%;margin:.8em 0 1.2em}.result caption{text-align:left;font-weight:600;padding:3px 0}
.result th{width:9em}.overlay svg{width:100%;max-width:960px;height:auto;border:1px solid #e0e0e0}
.note{color:#666;font-size:.9em}:target{outline:3px solid #ffb300}.nw,code{white-space:nowrap}
"""


def _cls(status: str) -> str:
    return "na" if status == "n/a" else status


def _svg_inline(svg: str) -> str:
    """Matplotlib's SVG without its XML prolog, DOCTYPE and RDF metadata, scaled to the page."""
    svg = svg[svg.find("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    return re.sub(r'<svg([^>]*?)\swidth="[^"]*"\s+height="[^"]*"', r'<svg\1', svg, count=1)


def render(report: dict[str, Any], lang: str = "zh", svg: str | None = None) -> str:
    """The whole page as a string; ``svg`` is the overlay (see ``layoutcheck.render.overlay.render``)."""
    w, x, e = WORDS[lang], EXTRA[lang], escape
    m, v = report["metrics"], report["verdict"]
    verdict = message(f"verdict.{v}", lang)
    out = [f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(report['plan'])} — {e(verdict)} — layoutcheck</title><style>{CSS}</style></head><body>",
           f'<h1>{e(x["heading"])} <span class="verdict b-{_cls(v)}">{e(verdict)}</span></h1>']

    head = [(w["plan"], report["plan"]),
            (w["standard"], f"{report['standard']}  {report.get('standard_title') or ''}"),
            (w["kind"], w.get(report["kind"], report["kind"]))]
    if report.get("population") is not None:
        head.append((w["population"], f"{report['population']:,}"))
    head += [(w["tier"], report.get("tier") or "—"),
             (w["units"], f"{report['drawing']['units']} ({report['drawing']['layer_convention']})")]
    if (views := views_line(report, lang)) is not None:
        head.append((w["views"], views))
    head.append((w["verdict"], verdict))
    out.append('<table class="head">' + "".join(f"<tr><th>{e(k)}</th><td>{e(str(val))}</td></tr>"
                                                 for k, val in head[:-1]))
    out.append(f'<tr><th>{e(w["verdict"])}</th><td class="s-{_cls(v)}"><b>{e(verdict)}</b></td></tr></table>')

    out.append(f"<h2>{e(w['metrics'])}</h2><table>")
    rows = [(w["gross"], f"{m['gross_area_m2']:.2f} m²")]
    if len(m.get("gross_area_by_storey_m2", [])) > 1:
        rows.append((w["storeys"], " + ".join(f"{a:.2f}" for a in m["gross_area_by_storey_m2"])))
    rows += [(w["usable"], f"{m['usable_area_m2']:.2f} m²"), (w["hall"], f"{m['hall_area_m2']:.2f} m²"),
             (w["share"], "—" if m["hall_share"] is None else f"{m['hall_share']:.1%}")]
    out += [f'<tr><th>{e(k)}</th><td class="num">{e(val)}</td></tr>' for k, val in rows] + ["</table>"]

    if svg:
        out.append(f'<h2>{e(x["overlay"])}</h2><div class="overlay">{_svg_inline(svg)}</div>')
        out.append(f'<p class="note">{e(x["note"])}</p>')

    out.append(f"<h2>{e(x['summary'])}</h2><table><tr><th>{e(x['no'])}</th><th>{e(w['status'])}</th>"
               f"<th>{e(w['rule'])}</th><th>{e(w['message'])}</th></tr>")
    for n, r in enumerate(report["results"], 1):
        st = message(f"status.{r['status']}", lang)
        out.append(f'<tr><td class="num"><a href="#lc-result-{n}">{n}</a></td>'
                   f'<td class="nw s-{_cls(r["status"])}">{ICONS.get(r["status"], "")} {e(st)}</td>'
                   f"<td><code>{e(r['rule'])}</code></td><td>{e(r['message'])}</td></tr>")
    out.append("</table>")

    out.append(f"<h2>{e(w['results'])}</h2>")
    for n, r in enumerate(report["results"], 1):
        rule = REGISTRY.get(r["rule"])
        title = rule.title[lang] if rule else ""
        cls = _cls(r["status"])
        where = "; ".join(f"({p[0]:.2f}, {p[1]:.2f})" for p in r.get("where") or []) or x["nowhere"]
        rows = [(w["required"], fmt(r["required"], r["unit"], lang)),
                (w["measured"], fmt(r["measured"], r["unit"], lang)),
                (w["status"], f'<span class="s-{cls}">{ICONS.get(r["status"], "")} '
                              f'{e(message("status." + r["status"], lang))}</span>'),
                (w["clause"], r["clause"]), (w["message"], r["message"]), (x["where"], where)]
        out.append(f'<table class="result" id="lc-result-{n}"><caption><span class="badge b-{cls}">{n}</span>'
                   f"<code>{e(r['rule'])}</code> {e(title)}</caption>")
        out += [f"<tr><th>{e(k)}</th><td>{val if k == w['status'] else e(str(val))}</td></tr>" for k, val in rows]
        out.append("</table>")

    if report.get("score"):
        out += _score(report["score"], w, x, lang)

    out.append(f"<h2>{e(w['rooms'])}</h2><table><tr><th>{e(w['name'])}</th><th>{e(w['type'])}</th>"
               f"<th>{e(w['area'])}</th></tr>")
    out += [f"<tr><td>{e(r['name'] or '?')}</td><td>{e(type_name(r['type'], lang))}</td>"
            f'<td class="num">{r["area_m2"]:.2f}</td></tr>' for r in report["rooms"]]
    out.append(f'</table><p class="note">{e(x["by"].format(v=__version__))}</p></body></html>\n')
    return "\n".join(out)


def _score(sc: dict[str, Any], w: dict[str, str], x: dict[str, str], lang: str) -> list[str]:
    """The acceptance score as a table of every item: points, earned, lost, still to confirm, and the rules
    that decided it — a reviewer fills in the to-confirm column by hand."""
    e = escape
    g = sc["grade"]["min"] if sc["grade"]["min"] == sc["grade"]["max"] else f"{sc['grade']['min']}–{sc['grade']['max']}"
    out = [f"<h2 id=\"lc-score\">{e(w['score'])} {e(sc.get('title') or '')}</h2>",
           "<p><b>" + e(w["summary"].format(e=sc["earned"], l=sc["lost"], t=sc["to_confirm"], s=sc["scale"],
                                            lo=sc["range"]["min"], hi=sc["range"]["max"], g=g)) + "</b></p>",
           f"<table class=\"score\"><tr><th>{e(x['item'])}</th><th>{e(w['pts'])}</th><th>{e(w['earned'])}</th>"
           f"<th>{e(w['lost'])}</th><th>{e(w['tbc'])}</th><th>{e(w['rule'])}</th><th>{e(w['clause'])}</th></tr>"]
    for i in sc["items"]:
        cls = "s-fail" if i["lost"] else ("s-pass" if i["status"] == "checked" else "s-na")
        name = f"{i['group']} · {i['name']}" if i.get("group") else i["name"]
        note = f'<br><span class="note">{e(i["note"])}</span>' if i.get("note") and i["to_confirm"] else ""
        out.append(f'<tr class="{cls}"><td>{e(name)}{note}</td>'
                   + "".join(f'<td class="num">{i[k]:g}</td>' for k in ("points", "earned", "lost", "to_confirm"))
                   + f"<td>{'<br>'.join(f'<code>{e(r)}</code>' for r in i['rules'])}</td>"
                   f"<td>{e(i.get('clause') or '')}</td></tr>")
    out.append(f'</table><p class="note">{e(w["clause"])}{"：" if lang == "zh" else ": "}{e(sc["clause"])}</p>')
    return out
