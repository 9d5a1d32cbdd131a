"""The report as readable tables (Chinese by default), measured beside required, each with its clause."""

from __future__ import annotations

import io
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from ..i18n import Name, Words, message
from ..textsafe import clean, rich_text as T
from ..rules.rooms import type_name
from . import pad, views_line  # noqa: F401 - pad: text.pad as before

WORDS = Words("report")  # the report's labels: report.* in the message catalogs




def fmt(v: Any, unit: str | None, lang: str, names: dict[str, str] | None = None) -> str:
    """A measured or required figure for people. ``names``: the English of the standard's item names a list
    holds (a result's ``details.name_en``)."""
    if v is None:
        return "—"
    if isinstance(v, dict):
        if unit == "ratio" and "min" in v:
            return f"{v['min']:.0%}–{v['max']:.0%}"
        if "min" in v and "max" in v:
            return f"{v['min']:g}–{v['max']:g} {_u(unit, lang)}".strip()
        if "min" in v:
            return f"≥ {v['min']:g} {_u(unit, lang)}".strip()
        if "max" in v:
            return f"≤ {v['max']:g} {_u(unit, lang)}".strip()
        if "value" in v:
            return f"{v['value']:g} ± {v.get('tolerance', 0):g} {_u(unit, lang)}".strip()
        if "required" in v:
            return fmt(v["required"], None, lang, names)
        return ", ".join(f"{k}={fmt(x, None, lang)}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return message("sep.list", lang).join(
            (Name(x, (names or {}).get(x)).render(lang) if names and x in names else type_name(x, lang))
            if isinstance(x, str) else fmt(x, None, lang) for x in v) or "—"
    if isinstance(v, float):
        if unit == "ratio":
            return f"{v:.1%}"
        if unit == "mm":
            return f"{v:.0f} mm"
        return f"{v:.2f} {_u(unit, lang)}".strip()
    return f"{v} {_u(unit, lang)}".strip()


def _u(unit: str | None, lang: str = "zh") -> str:
    if unit in ("count", "persons"):
        return message(f"unit.{unit}", lang)
    return {"m2": "m²", "mm": "mm", "m": "m", None: ""}.get(unit, unit or "")


def render(report: dict[str, Any], lang: str = "zh", width: int = 140, only_failures: bool = False) -> str:
    """The report as text. ``only_failures`` lists only failed and warned results (numbered as always)
    and says how many others there are."""
    w = WORDS[lang]
    buf = io.StringIO()
    con = Console(file=buf, width=width, force_terminal=False, color_system=None, legacy_windows=False)
    m = report["metrics"]
    verdict = message(f"verdict.{report['verdict']}", lang)
    head = Table(box=box.SIMPLE, show_header=False, pad_edge=False)
    head.add_column(style="bold")
    head.add_column()
    # Cells are Text, never markup: a plan, standard or room named "[/]" or "[bold]" prints as written.
    head.add_row(w["plan"], T(report["plan"]))
    head.add_row(w["standard"], T(f"{report['standard']}  {report.get('standard_title', '')}"))
    head.add_row(w["kind"], T(w.get(report["kind"], report["kind"])))
    if report.get("population") is not None:
        head.add_row(w["population"], f"{report['population']:,}")
    if report.get("tier"):
        head.add_row(w["tier"], T(report.get("tier_name") or report["tier"]))
    for k in ("staff", "windows"):
        if (report.get("project") or {}).get(k) is not None:
            head.add_row(w[k], T(report["project"][k]))
    head.add_row(w["units"], T(f"{report['drawing']['units']} ({report['drawing']['layer_convention']})"))
    if (views := views_line(report, lang)) is not None:
        head.add_row(w["views"], T(views))
    head.add_row(w["verdict"], T(verdict))
    con.print(head)

    mt = Table(title=w["metrics"], box=box.SIMPLE, title_justify="left", show_header=False)
    mt.add_column()
    mt.add_column(justify="right")
    mt.add_row(w["gross"], f"{m['gross_area_m2']:.2f} m²")
    if len(m["gross_area_by_storey_m2"]) > 1:
        mt.add_row(w["storeys"], " + ".join(f"{a:.2f}" for a in m["gross_area_by_storey_m2"]))
    mt.add_row(w["usable"], f"{m['usable_area_m2']:.2f} m²")
    mt.add_row(w["hall"], f"{m['hall_area_m2']:.2f} m²")
    mt.add_row(w["share"], "—" if m["hall_share"] is None else f"{m['hall_share']:.1%}")
    con.print(mt)

    rt = Table(title=w["rooms"], box=box.SIMPLE_HEAVY, title_justify="left")
    rt.add_column(w["name"])
    rt.add_column(w["type"])
    rt.add_column(w["area"], justify="right")
    for r in report["rooms"]:
        rt.add_row(T(r["name"] or "?"), T(type_name(r["type"], lang)), f"{r['area_m2']:.2f}")
    con.print(rt)

    # Results: one block per finding, so long clauses and messages stay readable in a terminal.
    con.print(w["results"], style="bold")
    marks = {"pass": "✓", "fail": "✗", "warn": "!", "n/a": "·"}
    shown: set[str] = set()
    for n, r in enumerate(report["results"], 1):  # numbered as the overlay marks and the HTML tables
        if only_failures and r["status"] not in ("fail", "warn"):
            continue
        passes = [x for x in report["results"] if x["rule"] == r["rule"] and x["status"] == "pass"]
        if r["status"] == "pass" and len(passes) > 1:
            if r["rule"] in shown:
                continue  # several passes of one rule (one per counter …) read as one line
            shown.add(r["rule"])
        status = message(f"status.{r['status']}", lang)
        status += " " * max(0, 6 - cell_len(status))  # CJK glyphs are two cells wide
        line = f"{n:>3} {marks[r['status']]} {status} {r['rule']:<24}"
        if r["status"] == "pass" and len(passes) > 1:
            line += f" ×{len(passes)}"
        elif r["measured"] is not None or r["required"] is not None:
            names = (r.get("details") or {}).get("name_en")
            line += (f" {w['measured']} {fmt(r['measured'], r['unit'], lang, names)}"
                     f"   {w['required']} {fmt(r['required'], r['unit'], lang, names)}")
        con.print(line, highlight=False, markup=False)  # "[room_types]" in a message is text, not a style
        con.print(f"        {r['message']}", highlight=False, markup=False)
        colon = message("sep.colon", lang)
        con.print(f"        {w['clause']}{colon}{r['clause']}", highlight=False, markup=False)
        if r.get("quote") and r["status"] in ("fail", "warn"):  # why it is a fail or only a warning
            con.print(f"        {w['quote']}{colon}“{r['quote']}”", highlight=False, markup=False)
        if r.get("basis", "drawing") != "drawing":
            con.print(f"        {w['basis']}{colon}{w['basis.' + r['basis']]}", highlight=False, markup=False)
    if only_failures:
        con.print("    " + message("text.others", lang, passed=sum(r["status"] == "pass" for r in report["results"]),
                                    na=sum(r["status"] == "n/a" for r in report["results"])), highlight=False,
                  markup=False)
    if report.get("to_confirm") and not only_failures:  # --only-failures said it leaves these out
        con.print("")
        con.print(w["to_confirm"], style="bold")
        for c in report["to_confirm"]:
            names = message("sep.clause", lang).join(c["items"]) if c["items"] else c["message"]
            con.print(f"  · {c['rule']:<20} {names}", highlight=False, markup=False)
    if report.get("review"):
        con.print("")
        con.print(w["review"].format(file=report["review"]["file"]), style="bold", highlight=False, markup=False)
        for c in report["review"]["confirmed"]:
            what = (f"{c['rule']} “{c['item']}” {'✓' if c.get('found', True) else '✗'}" if c.get("rule") else
                    f"{c['score']} = {c['points']:g}" if c.get("score") else
                    ", ".join(f"{k} = {c[k]}" for k in ("staff", "employment_staff", "windows") if k in c))
            who = " ".join(str(c[k]) for k in ("by", "date") if c.get(k))
            con.print(f"  · {what}  {who}  {c.get('note') or ''}".rstrip(), highlight=False, markup=False)
    if report.get("score"):
        _score(con, report["score"], w, lang)
    return clean(buf.getvalue(), keep_newlines=True)  # the last gate: whatever reached a line, no control bytes


def _score(con: Console, sc: dict[str, Any], w: dict[str, str], lang: str) -> None:
    """A short section: the items a plan decides, one line for the rest, the range and the grade range."""
    con.print("")
    con.print(f"{w['score']}  {sc.get('title') or ''}", style="bold", highlight=False, markup=False)
    g = sc["grade"]["min"] if sc["grade"]["min"] == sc["grade"]["max"] else f"{sc['grade']['min']}–{sc['grade']['max']}"
    con.print("  " + w["summary"].format(e=sc["earned"], l=sc["lost"], t=sc["to_confirm"], s=sc["scale"],
                                         lo=sc["range"]["min"], hi=sc["range"]["max"], g=g), highlight=False,
              markup=False)
    if sc["grade"].get("capped_by"):
        con.print("  " + w["capped"].format(rules=", ".join(sc["grade"]["capped_by"])), highlight=False,
                  markup=False)
    marks = {"checked": "✓", "partial": "~", "to-confirm": "·", "confirmed": "✓"}
    shown = [i for i in sc["items"] if i["rules"] or i.get("basis") in ("project", "review")]
    rest = [i for i in sc["items"] if i not in shown]
    for i in sc["items"]:
        if i in shown:
            mark = "✗" if i["lost"] else marks[i["status"]]
            con.print(f"  {mark} {pad(i['name'], 18)} {i['points']:>4g} {w['pts']}  {w['earned']} {i['earned']:g}  "
                      f"{w['lost']} {i['lost']:g}  {w['tbc']} {i['to_confirm']:g}   {', '.join(i['rules'])}",
                      highlight=False, markup=False)
    if rest:
        con.print("  · " + message("report.others", lang, n=len(rest), p=sum(i["points"] for i in rest)),
                  highlight=False, markup=False)
    con.print(f"  {w['clause']}{message('sep.colon', lang)}{sc['clause']}", highlight=False, markup=False)
