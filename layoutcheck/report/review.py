"""The review document: what a reviewer attaches to an opinion, in one shape for HTML and PDF.

``document(report, lang)`` turns the JSON report (the contract) into plain sections — title block,
verdict, failures with why and how to fix, score, passes in one table, items to confirm, sign-off —
and ``report.html`` and ``report.pdf`` only lay them out, so the two files say the same thing.
Results keep the numbers of the overlay's marks (their place in ``report["results"]``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .. import __version__
from ..i18n import message, name
from ..rules import REGISTRY
from ..rules.drawing import DRAWING_CHECKS
from ..rules.rooms import type_name
from . import views_line
from .text import WORDS, fmt


BAD = ("fail", "warn")


@dataclass
class Finding:
    """A failed or warned result, with what a designer needs to act on it."""

    n: int  # the result's number on the overlay
    status: str
    rule: str
    title: str
    message: str
    required: str
    measured: str
    clause: str
    why: str
    fix: str
    where: str
    quote: str = ""  # the source's words (README: evidence model): why a fail, why only a warning
    basis: str = ""  # "" (the drawing), or who else the result rests on: the project file, the reviewer


@dataclass
class Document:
    lang: str
    heading: str
    verdict: str  # pass | fail
    verdict_text: str
    counts: str
    head: list[tuple[str, str]]  # the title block
    metrics: list[tuple[str, str]]
    findings: list[Finding]
    passes: list[tuple[list[int], str, str, str]]  # (numbers, rule, title, messages)
    confirm: list[tuple[str, str]]  # (item, clause)
    confirm_basis: list[str]  # the to-confirm rules' own clauses, where their items cite others
    rooms: list[tuple[str, str, str]]  # (name, use, area)
    score: dict[str, Any] | None
    labels: dict[str, str] = field(default_factory=dict)  # every heading and column name, translated
    confirmed: list[tuple[str, str, str, str]] = field(default_factory=list)  # (what, by, date, note): --review
    review_file: str = ""


def _words(lang: str) -> dict[str, str]:
    keys = ("failures", "no-failures", "why", "fix", "where", "nowhere", "overlay", "overlay-note", "passes", "no",
            "confirm", "score-item", "rooms", "signoff", "reviewer", "opinion", "signature", "signed-date")
    out = dict(WORDS[lang])
    out.update({k: message(f"review.{k}", lang) for k in keys})
    out["made-by"] = message("review.made-by", lang, v=__version__)
    return out


def checked_on(report: dict[str, Any]) -> str:
    """The date the plan was checked: the batch's record when there is one, else today."""
    at = (report.get("batch") or {}).get("checked_at")
    return str(at)[:10] if at else date.today().isoformat()


def document(report: dict[str, Any], lang: str = "zh") -> Document:
    w = _words(lang)
    v = report["verdict"]
    results = report["results"]
    proj = report.get("project") or {}
    count = {s: sum(1 for r in results if r["status"] == s) for s in ("fail", "warn", "n/a", "pass")}

    head: list[tuple[str, str]] = []
    if proj.get("name"):
        head.append((message("review.project", lang), proj["name"]))
    head.append((message("review.facility", lang), w.get(report["kind"], report["kind"])))
    if report.get("population") is not None:
        head.append((w["population"], message("report.population-value", lang, n=report["population"])))
    if report.get("tier"):
        head.append((w["tier"], str(report.get("tier_name") or report["tier"])))
    for k in ("staff", "windows"):
        if proj.get(k) is not None:
            head.append((w[k], str(proj[k])))
    head.append((w["standard"], f"{report['standard']}  {report.get('standard_title') or ''}".strip()))
    if report.get("standard_document"):
        head.append((message("review.document", lang), report["standard_document"]))
    if report.get("standard_sha256"):
        head.append((message("review.edition", lang),
                     message("review.edition-value", lang, issued=report.get("standard_issued") or "—",
                             sha=report["standard_sha256"][:12])))
    shas = (report.get("drawing") or {}).get("sha256") or []
    for i, path in enumerate(report.get("plans") or [report["plan"]]):
        sha = shas[i] if i < len(shas) and shas[i] else "—"
        head.append((message("review.drawing", lang), f"{Path(path).name}\nSHA-256 {sha}"))
    if (views := views_line(report, lang)) is not None:  # a drawing set: which views were checked
        head.append((w["views"], views))
    head.append((message("review.date", lang), checked_on(report)))
    head.append((message("review.tool", lang), f"layoutcheck {__version__}"))

    m = report["metrics"]
    metrics = [(w["gross"], f"{m['gross_area_m2']:.2f} m²"), (w["usable"], f"{m['usable_area_m2']:.2f} m²"),
               (w["hall"], f"{m['hall_area_m2']:.2f} m²"),
               (w["share"], "—" if m["hall_share"] is None else f"{m['hall_share']:.1%}")]
    if len(m.get("gross_area_by_storey_m2", [])) > 1:
        metrics.insert(1, (w["storeys"], " + ".join(f"{a:.2f}" for a in m["gross_area_by_storey_m2"])))

    findings = []
    for status in BAD:  # failures first, then warnings
        for n, r in enumerate(results, 1):
            if r["status"] != status:
                continue
            rule = REGISTRY.get(r["rule"])
            check = DRAWING_CHECKS.get(r["rule"])  # a drawing.* pre-check: what was found, what to do
            findings.append(Finding(
                n=n, status=status, rule=r["rule"],
                title=rule.title[lang] if rule else check.title[lang] if check else "",
                message=r["message"], required=fmt(r["required"], r["unit"], lang, (r.get("details") or {}).get("name_en")),
                measured=fmt(r["measured"], r["unit"], lang, (r.get("details") or {}).get("name_en")), clause=r["clause"],
                why=rule.why[lang] if rule else check.what[lang] if check else "",
                fix=_fix(r["rule"], lang) if rule else check.fix[lang] if check else "",
                where=_where(r.get("where") or [], w["nowhere"]), quote=r.get("quote") or "",
                basis=w["basis." + r["basis"]] if r.get("basis", "drawing") != "drawing" else ""))

    passes: dict[str, tuple[list[int], str, str, list[str]]] = {}
    for n, r in enumerate(results, 1):
        if r["status"] == "pass":
            rule = REGISTRY.get(r["rule"])
            entry = passes.setdefault(r["rule"], ([], r["rule"], rule.title[lang] if rule else "", []))
            entry[0].append(n)
            entry[3].append(r["message"])

    confirm: list[tuple[str, str]] = []
    for r in results:
        if r["status"] != "n/a":
            continue
        items = (r.get("details") or {}).get("items") if r["rule"] == "checklist.confirm" else None
        if items:
            confirm += [(name(i, lang), name(i, lang, "clause") or r["clause"])
                        for i in items]
        else:
            confirm.append((r["message"], r["clause"]))
    shown = {c for _, c in confirm}
    basis = list(dict.fromkeys(r["clause"] for r in results if r["status"] == "n/a" and r["clause"] not in shown))

    rooms = [(r["name"] or "?", type_name(r["type"], lang), f"{r['area_m2']:.2f}") for r in report["rooms"]]
    return Document(
        lang=lang, heading=message("review.heading", lang), verdict=v, verdict_text=message(f"verdict.{v}", lang),
        counts=message("review.counts", lang, fail=count["fail"], warn=count["warn"], na=count["n/a"],
                       passed=count["pass"]),
        head=head, metrics=metrics, findings=findings,
        passes=[(ns, rid, title, message("sep.clause", lang).join(dict.fromkeys(msgs)))
                for ns, rid, title, msgs in passes.values()],
        confirm=confirm, confirm_basis=basis, rooms=rooms, score=_score(report.get("score"), w), labels=w,
        confirmed=_confirmed(report.get("review")), review_file=(report.get("review") or {}).get("file") or "")


def _confirmed(review: dict[str, Any] | None) -> list[tuple[str, str, str, str]]:
    """The review file's confirmations (layoutcheck.review), one row each: what, by whom, when, note."""
    rows = []
    for c in (review or {}).get("confirmed", []):
        what = (f"{c['rule']} “{c['item']}” {'✓' if c.get('found', True) else '✗'}" if c.get("rule") else
                f"{c['score']} = {c['points']:g}" if c.get("score") else
                ", ".join(f"{k} = {c[k]}" for k in ("staff", "employment_staff", "windows") if k in c))
        rows.append((what, str(c.get("by") or ""), str(c.get("date") or ""), str(c.get("note") or "")))
    return rows


MAX_PLACES = 6  # a problem met in 30 places lists the first few; the overlay shows them all


def _where(points: list[list[float]], nowhere: str) -> str:
    text = "; ".join(f"({p[0]:.2f}, {p[1]:.2f})" for p in points[:MAX_PLACES]) or nowhere
    return text + (f"; … (+{len(points) - MAX_PLACES})" if len(points) > MAX_PLACES else "")


def _fix(rule_id: str, lang: str) -> str:
    text = message(f"fix.{rule_id}", lang)
    return "" if text.startswith("fix.") else text


def _score(sc: dict[str, Any] | None, w: dict[str, str]) -> dict[str, Any] | None:
    """The acceptance score: its summary line and every item (points, earned, lost, to confirm)."""
    if not sc:
        return None
    g = sc["grade"]["min"] if sc["grade"]["min"] == sc["grade"]["max"] else f"{sc['grade']['min']}–{sc['grade']['max']}"
    rows = []
    for i in sc["items"]:
        cls = "fail" if i["lost"] else ("pass" if i["status"] == "checked" else "na")
        name = f"{i['group']} · {i['name']}" if i.get("group") else i["name"]
        rows.append({"cls": cls, "name": name, "points": i["points"], "earned": i["earned"], "lost": i["lost"],
                     "to_confirm": i["to_confirm"], "rules": list(i["rules"]),
                     "note": i.get("note") if i.get("note") and i["to_confirm"] else ""})
    capped = sc["grade"].get("capped_by")  # a requirement with force fails: the grade is the lowest
    return {"title": f"{w['score']} {sc.get('title') or ''}".strip(),
            "summary": w["summary"].format(e=sc["earned"], l=sc["lost"], t=sc["to_confirm"], s=sc["scale"],
                                           lo=sc["range"]["min"], hi=sc["range"]["max"], g=g)
            + ((" — " + w["capped"].format(rules=", ".join(capped))) if capped else ""),
            "clause": sc["clause"], "rows": rows}


def text_of(doc: Document) -> str:
    """Every character the document prints: what the embedded font subset must hold."""
    parts = [doc.heading, doc.verdict_text, doc.counts, *doc.labels.values()]
    parts += [x for row in doc.head + doc.metrics for x in row]
    parts += [x for f in doc.findings for x in (f.title, f.message, f.required, f.measured, f.clause, f.why, f.fix,
                                                f.where, f.rule, f.quote, f.basis)]
    parts += [x for c in doc.confirmed for x in c] + [doc.review_file, "“”✗"]
    parts += [x for p in doc.passes for x in p[1:]] + [x for c in doc.confirm for x in c] + doc.confirm_basis
    parts += [x for r in doc.rooms for x in r]
    if doc.score:
        parts += [doc.score["title"], doc.score["summary"], doc.score["clause"]]
        parts += [x for r in doc.score["rows"] for x in (r["name"], r["note"], *r["rules"])]
    parts += [message("review.page", doc.lang, n=0, total=0), "0123456789×✓·□—–%.,:;()[]#/-+ "]
    return "".join(parts)
