"""``layoutcheck standards show ID``: a standard as a reviewer reads it — each rule with its clause and
parameters (explained in Chinese), per kind, then the scoring table."""

from __future__ import annotations

import json
from typing import Any

from ..i18n import Words, message, name
from ..rules import REGISTRY
from ..standards import Standard
from . import pad

W = Words("standard")  # standards show's labels: standard.* in the message catalogs


def _v(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


def list_line(std: Standard, lang: str = "zh") -> str:
    """One line of ``standards list``: id, document number, title (columns kept in terminal cells)."""
    title = name(std.meta, lang, "title")
    return f"{pad(std.id, 16)} {pad(std.document, 26)} {title}"


def render(std: Standard, lang: str = "zh") -> str:
    w = W[lang]
    out = [f"{std.id}  {std.document}", name(std.meta, lang, "title")]
    meta = [f"{w['issued']}: {std.meta['issued']}"] if std.meta.get("issued") else []
    meta.append(f"{w['kinds']}: " + w["sep"].join(w[k] for k in std.kinds))
    if std.extends:
        meta.append(f"{w['extends']}: " + " → ".join(std.extends))
    out.append("   ".join(meta))
    desc = name(std.meta, lang, "description")
    if desc:
        out.append(desc)
    for kind in std.kinds:
        out += ["", f"[{kind}] {w[kind]}"]
        for rule_id, params in std.rules_for(kind):
            rule = REGISTRY[rule_id]
            out.append(f"  {rule_id:<22} {rule.title[lang]}")
            out.append(f"    {w['clause']}: {name(params, lang, 'clause')}")
            force = params.get("force", "must")  # README: evidence model
            out.append(f"    {w['force']}: {force}  {w['force.' + force]}")
            if params.get("quote"):
                out.append(f"    {w['quote']}: “{params['quote']}”")
            if params.get("reading"):
                out.append(f"    {w['reading']}: {name(params, lang, 'reading')}")
            for k, v in params.items():
                if k in ("clause", "clause_en", "kinds", "force", "quote", "reading", "reading_en", "note_en"):
                    continue
                if k == "note":
                    v = name(params, lang, "note")
                p = rule.param(k)
                doc = f"    # {p.describe(lang)}" if p and p.doc and k != "note" else ""
                if isinstance(v, list) and v and isinstance(v[0], dict):
                    out.append(f"    {k}:{doc}")
                    out += ["      - " + ", ".join(f"{a}={_v(name(row, lang, a) if a == 'clause' else b)}"
                                                for a, b in row.items() if a != "clause_en") for row in v]
                else:
                    out.append(f"    {k} = {_v(v)}{doc}")
    sc = next((s for s in map(std.scoring_for, std.kinds) if s), None)
    if sc:
        out += _scoring(sc, w, lang)
    return "\n".join(out) + "\n"


def _scoring(sc: dict[str, Any], w: dict[str, str], lang: str) -> list[str]:
    title = name(sc, lang, "title")
    out = ["", f"{w['score']}  {title or ''}  ({w['scale']} {sc['scale']:g})", f"  {w['clause']}: {name(sc, lang, 'clause')}"]
    grades = sorted(sc["grades"], key=lambda g: g.get("above", float("-inf")), reverse=True)
    out.append(f"  {w['grades']}: " + w["sep"].join(
        f"{name(g, lang)} > {g['above']:g}" if "above" in g else f"{name(g, lang)}" for g in grades))
    group = None
    for it in sc["items"]:
        if it.get("group") != group:
            group = it.get("group")
            out.append(f"  {name(it, lang, 'group') or ''}")
        how = []
        if it.get("rules"):
            if it.get("per_missing") is not None:
                how.append(w["per"].format(d=it["per_missing"]))
            if it.get("deduct") is not None:
                how.append(w["deduct"].format(d=it["deduct"]))
            if not how:
                how.append(w["whole"])
            if it.get("confirm_points"):
                how.append(w["cp"].format(d=it["confirm_points"]))
            if it.get("items"):
                how.append(w["only"].format(n=message("sep.list", lang).join(it["items"])))
            if it.get("absent_points") is not None:
                how.append(w["absent"].format(d=it["absent_points"]))
            rules = f"{w['rules']} {', '.join(it['rules'])}: " + w["sep"].join(how)
        elif it.get("served_per_staff"):
            rules = w["staffing"].format(n=it["served_per_staff"])
        else:
            rules = w["confirm"]
        out.append(f"    {pad(name(it, lang), 22)} {it['points']:>4g} {w['pts']}   {rules}")
        out.append(f"      {w['clause']}: {name(it, lang, 'clause')}")
        if it.get("note"):
            out.append(f"      {name(it, lang, 'note')}")
    return out
