"""The review file (``--review review.toml``): what a reviewer confirmed on site or from documents.

A floor plan need not show equipment, signs, finishes or staffing, so those results are n/a “to
confirm” (README: evidence model). A reviewer who has looked records each item once::

    by = "李工"            # who, for every entry that does not name its own
    date = 2026-12-01      # when (a TOML date or a string)

    [[confirm]]
    rule = "equipment.required"
    item = "信息栏"         # the item's name as the standard file lists it
    found = true           # true: present / done (pass); false: absent (fail)
    note = "大厅东墙纸质信息栏，现场照片 3"

    [[confirm]]
    staff = 8              # staffing from the establishment list (also windows, employment_staff)
    note = "编制文件 2026-11"

    [[confirm]]
    score = "hardware.signs"   # a scoring item nothing in a plan decides
    points = 6

Each confirmation turns the matching n/a into pass or fail with ``basis: review`` and the reviewer's
name, date and note in the message; the score range and grade narrow with them. The file is
validated like a standard: an unknown key, rule, item or score id stops with exit 2 and one line
naming the file, the key and the closest allowed name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import InputError, read_toml
from .i18n import Join, Msg, named
from .rules.base import Param, Project, Result

# Rules whose n/a items a reviewer can confirm by name, and where each result lists its items.
ITEM_RULES = ("equipment.required", "checklist.confirm", "counter.count")
FACTS = ("staff", "employment_staff", "windows")  # project figures a reviewer can confirm

ENTRY = {p.name: p for p in (
    Param("rule", "string", "param.review.entry.rule", choices=ITEM_RULES),
    Param("item", "string", "param.review.entry.item"),
    Param("found", "bool", "param.review.entry.found"),
    Param("staff", "integer", "param.review.entry.staff", min=0),
    Param("employment_staff", "integer", "param.review.entry.employment_staff", min=0),
    Param("windows", "integer", "param.review.entry.windows", min=0),
    Param("score", "string", "param.review.entry.score"),
    Param("points", "number", "param.review.entry.points", min=0),
    Param("by", "string", "param.review.entry.by"),
    Param("date", "string", "param.review.entry.date"),
    Param("note", "string", "param.review.entry.note"),
)}
TOP = {p.name: p for p in (
    Param("by", "string", "param.review.top.by"),
    Param("date", "string", "param.review.top.date"),
    Param("note", "string", "param.review.top.note"),
    Param("confirm", "tables", "param.review.top.confirm"),
)}




@dataclass(frozen=True)
class Confirmation:
    by: str | None
    date: str | None
    note: str | None
    rule: str | None = None
    item: str | None = None
    found: bool = True
    facts: dict[str, int] = field(default_factory=dict)
    score: str | None = None
    points: float | None = None

    def who(self) -> dict[str, Any]:
        return {"by": self.by, "date": self.date, "note": self.note}

    def as_dict(self) -> dict[str, Any]:
        d = {"rule": self.rule, "item": self.item, "found": self.found if self.rule else None,
             **self.facts, "score": self.score, "points": self.points, **self.who()}
        return {k: v for k, v in d.items() if v is not None}


@dataclass(frozen=True)
class Review:
    path: str
    items: tuple[Confirmation, ...]

    def facts(self) -> dict[str, tuple[int, Confirmation]]:
        out = {}
        for c in self.items:
            for k, v in c.facts.items():
                out[k] = (v, c)
        return out

    def item(self, rule: str, name: str) -> Confirmation | None:
        return next((c for c in reversed(self.items) if c.rule == rule and c.item == name), None)

    def points(self) -> dict[str, Confirmation]:
        return {c.score: c for c in self.items if c.score}


def _date(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v


def _fail(path: Path, key: str, problem: Any) -> None:
    raise InputError(str(path), "error.review-schema", key=key, problem=problem)


def load(path: str | Path) -> Review:
    """Read and check the review file's own shape (names are checked against the standard later)."""
    from .standards import _check_value, _suggest

    p = Path(path)
    data = read_toml(p, "error.review-syntax")

    def check(key: str, v: Any, spec: Param) -> None:
        try:
            _check_value(p, key, v, spec)
        except InputError as exc:  # the same checks as a standard's, worded for a review file
            raise InputError(str(p), "error.review-schema", **exc.args_) from None

    for k, v in data.items():
        if k not in TOP:
            _fail(p, k, Msg("problem.unknown-key", hint=_suggest(k, list(TOP)), allowed=", ".join(TOP)))
        check(k, _date(v), TOP[k])
    items = []
    for i, e in enumerate(data.get("confirm", [])):
        where = f"confirm[{i}]"
        for k, v in e.items():
            if k not in ENTRY:
                _fail(p, f"{where}.{k}", Msg("problem.unknown-key", hint=_suggest(k, list(ENTRY)), allowed=", ".join(ENTRY)))
            check(f"{where}.{k}", _date(v), ENTRY[k])
        facts = {k: e[k] for k in FACTS if k in e}
        kinds = sum(bool(x) for x in (e.get("rule"), facts, e.get("score")))
        if kinds != 1:
            _fail(p, where, Msg("problem.review-one-thing"))
        if e.get("rule") and not e.get("item"):
            _fail(p, where, Msg("problem.review-missing-item"))
        if e.get("score") and "points" not in e:
            _fail(p, where, Msg("problem.review-missing-points"))
        items.append(Confirmation(
            by=e.get("by", data.get("by")), date=_date(e.get("date", data.get("date"))),
            note=e.get("note"), rule=e.get("rule"), item=e.get("item"), found=e.get("found", True),
            facts=facts, score=e.get("score"), points=e.get("points")))
    return Review(str(p), tuple(items))


def item_names(standard, kind: str) -> dict[str, list[str]]:
    """The names a review may confirm under each rule of ``standard`` for ``kind``."""
    out: dict[str, list[str]] = {}
    for rule_id, params in standard.rules_for(kind):
        if rule_id in ITEM_RULES:
            key = "services" if rule_id == "counter.count" else "items"
            out[rule_id] = [x["name"] for x in params.get(key, [])]
    return out


def validate(review: Review, standard, kind: str) -> None:
    """Every rule, item and score id the review names exists in the standard (else exit 2, did-you-mean)."""
    from .standards import _suggest

    p = Path(review.path)
    names = item_names(standard, kind)
    sec = standard.scoring_for(kind)
    scores = {it["id"]: it for it in (sec["items"] if sec else [])}
    for i, c in enumerate(review.items):
        where = f"confirm[{i}]"
        if c.rule:
            if c.rule not in names:
                _fail(p, f"{where}.rule", Msg("problem.review-rule-not-set", rule=c.rule, standard=standard.id, kind=kind,
                                              set=Join(names, empty="word.none")))
            if c.item not in names[c.rule]:
                _fail(p, f"{where}.item", Msg("problem.review-not-item", item=c.item, rule=c.rule, standard=standard.id,
                                              hint=_suggest(c.item, names[c.rule]), allowed=Join(names[c.rule])))
        if c.score:
            if c.score not in scores:
                _fail(p, f"{where}.score", Msg("problem.review-not-score", score=c.score, standard=standard.id,
                                               hint=_suggest(c.score, list(scores)), allowed=Join(scores, empty="word.none")))
            if c.points > scores[c.score]["points"]:
                _fail(p, f"{where}.points", Msg("problem.review-points", points=c.points, max=scores[c.score]["points"]))


STAFF_FACTS = ("staff", "employment_staff")  # the figures staff.count rests on


def project_with(review: Review | None, project: Project) -> Project:
    """The project with the figures the reviewer confirmed (they win over the project file)."""
    if not review:
        return project
    return replace(project, **{k: v for k, (v, _) in review.facts().items()})


def apply(review: Review | None, results: list[Result]) -> list[Result]:
    """Results with the reviewer's confirmations applied: confirmed items leave their n/a result and
    become pass or fail with ``basis = "review"``; a result resting on a confirmed figure says so."""
    if not review:
        return results
    facts = review.facts()
    out: list[Result] = []
    for r in results:
        staffed = [c for k, (_, c) in facts.items() if k in STAFF_FACTS]
        if r.rule == "staff.count" and staffed:  # the rule ran on the confirmed staff figures (project_with)
            r.basis = "review"
            r.review = staffed[-1].who()  # who confirmed the staffing, not whoever confirmed anything last
            out.append(r)
            continue
        if r.rule not in ITEM_RULES or r.status not in ("n/a", "warn", "fail"):
            out.append(r)
            continue
        out.extend(_split(r, review))
    return out


def _missing(r: Result) -> list[str]:
    """The item names an n/a (or failing) result leaves open."""
    if r.rule == "checklist.confirm":
        return [i["name"] for i in r.details.get("items", [])]
    if r.rule == "counter.count":
        return [r.details["service"]] if r.details.get("service") else []
    short = r.details.get("shortfall") or {}
    return list(short)


def _split(r: Result, review: Review) -> list[Result]:
    open_ = _missing(r)
    done = [(n, c) for n in open_ if (c := review.item(r.rule, n))]
    if not done:
        return [r]
    out = []
    clauses = {n: _clause(r, n) for n, _ in done}  # before the open items are narrowed below
    units_of = dict(r.details.get("shortfall") or {})
    rest = [n for n in open_ if n not in {n for n, _ in done}]
    if rest:  # the items nobody confirmed stay as they were
        if r.rule == "checklist.confirm":
            items = [i for i in r.details["items"] if i["name"] in rest]
            r.details = {**r.details, "items": items, "shortfall": {i["name"]: 1 for i in items}}
            r.args = {**r.args, "items": Join((named(i) for i in items), sep="sep.clause")}
        else:
            r.details = {**r.details, "shortfall": {n: v for n, v in r.details["shortfall"].items() if n in rest}}
            r.args = {**r.args, "missing": Join(r.item_name(n) for n in rest)}
        out.append(r)
    for name, c in done:
        # confirmed missing: a fail where the source has force, else what its force makes of it (a warning)
        force = (r.details.get("item_force") or {}).get(name, r.force)
        status = "pass" if c.found else ("warn" if force in ("soft", "score") else "fail")
        units = units_of.get(name, 1)
        out.append(Result(r.rule, status, clauses[name], f"confirmed.{'found' if c.found else 'absent'}",
                          {"item": r.item_name(name)}, name if c.found else None, None, None,
                          [] if c.found else list(r.where),
                          {"item": name, **({} if c.found else {"shortfall": {name: units}}),
                           **({"name_en": {name: r.item_name(name).en}} if r.item_name(name).en != name else {}),
                           **({"demoted": force} if status == "warn" else {})},
                          basis="review", force=force, quote=r.quote, review=c.who()))
    return out


def _clause(r: Result, name: str) -> str:
    for i in r.details.get("items", []) if r.rule == "checklist.confirm" else []:
        if i["name"] == name:
            return named(i, "clause")  # in the report's language, as the item's result cites it
    return r.clause


def listing(review: Review | None) -> list[dict[str, Any]]:
    """What every report lists: each confirmation as the reviewer wrote it."""
    return [c.as_dict() for c in review.items] if review else []
