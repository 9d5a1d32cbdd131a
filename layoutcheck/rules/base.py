"""The rule registry: every rule has a stable dotted id, its documentation, its parameters and a
pure check function ``(plan, metrics, params, project) -> list[Result]``.

Modelled on sqlfluff's registry and ruff's rule docs: ``layoutcheck explain RULE`` prints what a
rule checks, why, a failing and a passing example and its parameters, and a test fails when any
of them is missing. The parameters are declared here so a standard file can be validated against
them before anything is checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

from ..i18n import LANGS, Name, Text, localize, message
from ..measure import Metrics
from ..model import Plan

STATUSES = ("pass", "fail", "warn", "n/a")
# The force of the source's wording (README: evidence model): what a breach the drawing shows becomes.
FORCES = ("must", "soft", "score")
FORCE_STATUS = {"must": "fail", "soft": "warn", "score": "warn"}
# What a result rests on: the drawing, the project's figures (--project), or a reviewer's confirmation (--review).
BASES = ("drawing", "project", "review")
KINDS = ("station", "community")


@dataclass(frozen=True)
class Param:
    """One parameter a standard file sets for a rule."""

    name: str
    type: str  # "number" | "integer" | "string" | "bool" | "strings" | "tables"
    doc: str  # the message key of its description (param.RULE.NAME), worded by describe()
    required: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    fields: tuple["Param", ...] = ()  # for "tables": the keys of each table

    def describe(self, lang: str = "zh") -> str:
        return message(self.doc, lang) if self.doc else ""


# Keys every rule entry in a standard file may carry.
COMMON_PARAMS = (
    Param("clause", "string", "param.clause", required=True),
    Param("clause_en", "string", "param.clause_en"),
    Param("kinds", "strings", "param.kinds", choices=KINDS),
    Param("severity", "string", "param.severity", choices=("fail", "warn")),
    Param("note", "string", "param.note"),
    Param("note_en", "string", "param.note_en"),
    Param("enabled", "bool", "param.enabled"),
    Param("quote", "string", "param.quote"),
    Param("force", "string", "param.force",
          choices=FORCES),
    Param("reading", "string", "param.reading"),
    Param("reading_en", "string", "param.reading_en"),
)


@dataclass(frozen=True)
class Project:
    """Facts about the project a drawing cannot show (from the command line or a project file)."""

    kind: str = "station"
    population: int | None = None
    approved_increase: bool = False  # 开封 第十三条: an approved increase of up to 50 %
    staff: int | None = None  # 工作人员总数 (the feasibility report's staffing)
    employment_staff: int | None = None  # 从事就业工作的专职人员 (安徽 二（一）counts only these)
    windows: int | None = None  # 服务窗口数; when missing, rules count the counters drawn
    name: str | None = None  # 项目名称: for the report's title block only, no rule reads it
    renovation: bool = False  # an existing building being altered (改建/改扩建): GB 55019's 800 mm doors apply


@dataclass
class Result:
    rule: str
    status: str  # pass | fail | warn | n/a
    clause: str
    key: str  # message key
    args: dict[str, Any] = field(default_factory=dict)
    measured: Any = None
    required: Any = None
    unit: str | None = None
    where: list[list[float]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    storey: int | None = None  # which storey ``where`` is on, when the plan has several
    basis: str = "drawing"  # drawing | project | review (BASES)
    force: str | None = None  # must | soft | score, from the standard file's entry
    quote: str | None = None  # the source's wording the rule rests on
    reading: Name | None = None  # the file's reading of soft wording (reading / reading_en)
    review: dict[str, Any] | None = None  # who confirmed it, when, with what note (basis "review")

    def message(self, lang: str = "zh") -> str:
        text = message(self.key, lang, **self.args)
        if self.details.get("places", 1) > 1:
            text += message("places", lang, n=self.details["places"])
        if self.reading and self.status != "n/a":
            text += message("reading", lang, text=self.reading)
        if self.review:
            who = message("sep.comma", lang).join(str(self.review[k]) for k in ("by", "date") if self.review.get(k))
            note = self.review.get("note")
            who = f"{who}{message('sep.colon', lang)}{note}" if who and note else (who or note or "")
            text += message("confirmed", lang, who=who) if who else message("confirmed-anon", lang)
        return text

    def item_name(self, name: str) -> Name:
        """An item this result names (a standard file's facility, service or check-list entry) in both
        languages: the standard's own name is the data key, its ``name_en`` the English."""
        en = (self.details.get("name_en") or {}).get(name)
        for i in self.details.get("items", []) if en is None and isinstance(self.details.get("items"), list) else []:
            if isinstance(i, dict) and i.get("name") == name:
                en = i.get("name_en")
        return Name(name, en)

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        d = {
            "rule": self.rule, "status": self.status, "measured": _round(self.measured),
            "required": _round(self.required), "unit": self.unit, "clause": localize(self.clause, lang),
            "message": self.message(lang), "where": [[round(x, 3), round(y, 3)] for x, y in self.where],
        }
        if self.details:
            d["details"] = _round({k: v for k, v in self.details.items() if k != "findings"}, lang)
            if "findings" in self.details:  # a drawing.* kind met in several places: each one's own message
                d["details"]["findings"] = [{"message": message(i["key"], lang, **i["args"]),
                                             "where": [[round(x, 3), round(y, 3)] for x, y in i["where"]]}
                                            for i in self.details["findings"]]
        if self.storey is not None:
            d["storey"] = self.storey
        d["basis"] = self.basis
        if self.force:
            d["force"] = self.force
        if self.quote:
            d["quote"] = self.quote
        if self.review:
            d["review"] = dict(self.review)
        return d


def _round(v: Any, lang: str = "zh") -> Any:
    """JSON-ready: floats to 4 places, texts worded in ``lang``."""
    if isinstance(v, float):
        return round(v, 4)
    if isinstance(v, Text):
        return v.render(lang)
    if isinstance(v, dict):
        return {k: _round(x, lang) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_round(x, lang) for x in v]
    return v


Check = Callable[[Plan, Metrics, dict[str, Any], Project], list[Result]]


class Localized(Mapping[str, str]):
    """``texts[lang]``: one catalog message in each language (a rule's title, what or why)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __getitem__(self, lang: str) -> str:
        if lang not in LANGS:
            raise KeyError(lang)
        return message(self.key, lang)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGS)

    def __len__(self) -> int:
        return len(LANGS)


@dataclass(frozen=True)
class Rule:
    """A rule; its title, what and why are the catalog's ``rule.ID.title`` / ``.what`` / ``.why``."""

    id: str
    params: tuple[Param, ...]
    check: Check

    @property
    def title(self) -> Localized:
        return Localized(f"rule.{self.id}.title")

    @property
    def what(self) -> Localized:
        return Localized(f"rule.{self.id}.what")

    @property
    def why(self) -> Localized:
        return Localized(f"rule.{self.id}.why")

    @property
    def fail_example(self) -> Localized:
        return Localized(f"rule.{self.id}.fail-example")

    @property
    def pass_example(self) -> Localized:
        return Localized(f"rule.{self.id}.pass-example")

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    def param(self, name: str) -> Param | None:
        return next((p for p in (*self.params, *COMMON_PARAMS) if p.name == name), None)


REGISTRY: dict[str, Rule] = {}


def rule(id: str, *, params: tuple[Param, ...] = ()) -> Callable[[Check], Check]:
    """Register a check function as rule ``id``. Its documentation is in the catalogs: ``rule.ID.title``,
    ``.what``, ``.why``, ``.fail-example``, ``.pass-example``; its messages under ``ID.*``."""

    def deco(fn: Check) -> Check:
        if id in REGISTRY:
            raise ValueError(f"rule {id} registered twice")
        REGISTRY[id] = Rule(id, params, fn)
        return fn

    return deco
