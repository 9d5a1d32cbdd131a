"""Standard files: load, validate against the rule registry, resolve ``extends``.

A standard is a TOML file: a few fields about the document, then one table per rule id holding
that rule's parameters and the clause it enforces. Per-kind overrides go in a sub-table named
after the kind (``[rules."rooms.required".community]``). Anything the registry does not declare —
an unknown key, a wrong type, a value out of range, an unknown rule id — is refused with the file,
the key and what is allowed, before a single plan is checked.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InputError
from .i18n import Msg, message
from .textsafe import refuse_non_finite
from .rules import KINDS, REGISTRY
from .rules.base import COMMON_PARAMS, Param

TOP_KEYS = {
    "id": "string", "title": "string", "title_en": "string", "document": "string", "issued": "string",
    "url": "string", "source": "string", "description": "string", "description_en": "string",
    "kinds": "strings", "extends": "string", "rules": "table", "scoring": "table",
}


@dataclass(frozen=True)
class Standard:
    id: str
    title: str
    document: str
    kinds: tuple[str, ...]
    rules: dict[str, dict[str, Any]]  # rule id → parameters (kind sub-tables kept)
    path: str
    title_en: str = ""
    description: str = ""
    extends: tuple[str, ...] = ()  # the chain of standards this one builds on
    meta: dict[str, Any] = field(default_factory=dict)
    scoring: dict[str, Any] | None = None  # [scoring]: an acceptance score table (see scoring.py)
    # this file and every file it extends, child first: inputs an output must never replace (files.refuse_overwrite)
    files: tuple[str, ...] = ()

    def scoring_for(self, kind: str) -> dict[str, Any] | None:
        s = self.scoring
        return s if s and kind in s.get("kinds", self.kinds) else None

    def rules_for(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        """The rules that apply to ``kind``, each with its parameters for that kind."""
        out = []
        for rule_id, entry in self.rules.items():
            params = effective(entry, kind)
            if not params.get("enabled", True):
                continue
            if kind in params.get("kinds", self.kinds):
                out.append((rule_id, params))
        return out


def effective(entry: dict[str, Any], kind: str) -> dict[str, Any]:
    base = {k: v for k, v in entry.items() if k not in KINDS}
    return {**base, **entry.get(kind, {})}


def builtin_dir() -> Path:
    """Standards shipped in the wheel (layoutcheck/standards) or, in a source checkout, ./standards."""
    packaged = resources.files("layoutcheck") / "standards"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "standards"


def available() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


def load(ref: str | Path) -> Standard:
    """Load a standard by id (``kaifeng-2014``) or by the path of a .toml file."""
    return _load(ref, seen=())


def _resolve(ref: str | Path, base: Path | None) -> Path:
    s = str(ref)
    if s.endswith(".toml") or "/" in s or "\\" in s:
        p = Path(s)
        if not p.is_absolute() and base is not None and not p.exists():
            p = base / p
        if not p.exists():
            raise InputError(s, "error.not-found")
        return p
    ids = available()
    found = next((i for i in ids if i.lower() == s.strip().lower()), None)  # KAIFENG-2014 is kaifeng-2014
    if found is None:
        close = difflib.get_close_matches(s.strip().lower(), ids, n=1, cutoff=0.5)
        raise InputError(None, "error.standard-unknown", id=s, allowed=", ".join(ids),
                         hint=Msg("hint.did-you-mean", word=close[0]) if close else "")
    return builtin_dir() / f"{found}.toml"


def _load(ref: str | Path, seen: tuple[str, ...], base: Path | None = None) -> Standard:
    path = _resolve(ref, base)
    key = str(path.resolve())
    if key in seen:
        raise InputError(str(path), "error.standard-schema", key="extends",
                         problem=Msg("problem.extends-cycle", chain=" → ".join(Path(s).stem for s in (*seen, key))))
    from .files import MAX_TOML_BYTES, read_text

    try:  # a regular file of at most 1 MB: `--standard /dev/zero` or a FIFO (also via extends) is refused
        data = tomllib.loads(read_text(path, MAX_TOML_BYTES))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(str(path), "error.standard-syntax", reason=str(exc)) from None
    except UnicodeDecodeError:
        raise InputError(str(path), "error.standard-syntax", reason=Msg("problem.not-utf8")) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise InputError(str(path), "error.too-deep") from None
    refuse_non_finite(path, data)  # share_min = nan would compare false and pass every plan
    _validate(path, data)
    parent = None
    if "extends" in data:
        parent = _load(data["extends"], (*seen, key), path.parent)
    rules: dict[str, dict[str, Any]] = {}
    if parent:
        rules = {k: dict(v) for k, v in parent.rules.items()}
    for rule_id, entry in data.get("rules", {}).items():
        merged = dict(rules.get(rule_id, {}))
        for k, v in entry.items():
            if k in KINDS and isinstance(v, dict):
                merged[k] = {**merged.get(k, {}), **v}
            else:
                merged[k] = v
        rules[rule_id] = merged
    kinds = tuple(data.get("kinds", parent.kinds if parent else KINDS))
    std = Standard(
        id=data.get("id", path.stem), title=data.get("title", path.stem), document=data.get("document", ""),
        kinds=kinds, rules=rules, path=str(path), title_en=data.get("title_en", ""),
        description=data.get("description", ""),
        extends=((parent.id, *parent.extends) if parent else ()),
        meta={k: v for k, v in data.items() if k not in ("rules", "scoring")},
        scoring=data.get("scoring", parent.scoring if parent else None),  # a child's table replaces its parent's
        files=(str(path), *(parent.files if parent else ())),
    )
    _check_required(path, std)
    if "scoring" in data:
        _check_scoring_refs(path, std)
    return std


def _fail(path: Path, key: str, problem: Any) -> None:
    raise InputError(str(path), "error.standard-schema", key=key, problem=problem)


def _suggest(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1)
    return Msg("hint.did-you-mean", word=close[0]) if close else ""


def _validate(path: Path, data: dict[str, Any]) -> None:
    for k, v in data.items():
        if k not in TOP_KEYS:
            _fail(path, k, Msg("problem.unknown-key", hint=_suggest(k, list(TOP_KEYS)), allowed=", ".join(TOP_KEYS)))
        if k not in ("rules", "scoring"):
            _check_value(path, k, v, Param(k, TOP_KEYS[k], "", choices=KINDS if k == "kinds" else None))
    if "scoring" in data:
        _check_scoring(path, data["scoring"])
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        _fail(path, "rules", Msg("problem.rules-table"))
    for rule_id, entry in rules.items():
        if rule_id not in REGISTRY:
            _fail(path, f"rules.{rule_id}", Msg("problem.unknown-rule", hint=_suggest(rule_id, list(REGISTRY)),
                                                allowed=", ".join(sorted(REGISTRY))))
        if not isinstance(entry, dict):
            _fail(path, f"rules.{rule_id}", Msg("problem.params-table"))
        _check_entry(path, f"rules.{rule_id}", REGISTRY[rule_id], entry, allow_kinds=True)


def _check_entry(path: Path, where: str, rule, entry: dict[str, Any], allow_kinds: bool) -> None:
    allowed = [p.name for p in (*rule.params, *COMMON_PARAMS)] + (list(KINDS) if allow_kinds else [])
    for k, v in entry.items():
        if allow_kinds and k in KINDS:
            if not isinstance(v, dict):
                _fail(path, f"{where}.{k}", Msg("problem.kind-table"))
            _check_entry(path, f"{where}.{k}", rule, v, allow_kinds=False)
            continue
        p = rule.param(k)
        if p is None:
            _fail(path, f"{where}.{k}", Msg("problem.unknown-parameter", hint=_suggest(k, allowed), allowed=", ".join(allowed)))
        _check_value(path, f"{where}.{k}", v, p)


def _check_value(path: Path, key: str, v: Any, p: Param) -> None:
    t = p.type
    if t == "number":
        ok = isinstance(v, (int, float)) and not isinstance(v, bool)
        if ok and not math.isfinite(v):  # nan passes every range test below: refused here too
            raise InputError(str(path), "error.not-finite", key=key, value=repr(v))
    elif t == "integer":
        ok = isinstance(v, int) and not isinstance(v, bool)
    elif t == "string":
        ok = isinstance(v, str)
    elif t == "bool":
        ok = isinstance(v, bool)
    elif t == "strings":
        ok = isinstance(v, list) and all(isinstance(x, str) for x in v)
    elif t in ("tables", "table"):
        ok = isinstance(v, list if t == "tables" else dict) and (
            t == "table" or all(isinstance(x, dict) for x in v))
    else:  # pragma: no cover - a registry bug
        raise AssertionError(t)
    if not ok:
        _fail(path, key, Msg("problem.expected", what=Msg(f"type.{t}"), value=v))
    if t in ("number", "integer"):
        if p.min is not None and v < p.min or p.max is not None and v > p.max:
            rng = f"{p.min if p.min is not None else '-∞'} … {p.max if p.max is not None else '∞'}"
            _fail(path, key, Msg("problem.out-of-range", value=v, range=rng))
    if t == "string" and p.choices and v not in p.choices:
        _fail(path, key, Msg("problem.not-allowed", value=v, hint=_suggest(v, list(p.choices)),
                             allowed=", ".join(p.choices)))
    if t == "strings" and p.choices:
        for x in v:
            if x not in p.choices:
                _fail(path, key, Msg("problem.not-allowed", value=x, hint=_suggest(x, list(p.choices)),
                                     allowed=", ".join(p.choices)))
    if t == "tables" and p.fields:
        names = [f.name for f in p.fields]
        for i, item in enumerate(v):
            for k2, v2 in item.items():
                f = next((f for f in p.fields if f.name == k2), None)
                if f is None:
                    _fail(path, f"{key}[{i}].{k2}",
                          Msg("problem.unknown-key", hint=_suggest(k2, names), allowed=", ".join(names)))
                _check_value(path, f"{key}[{i}].{k2}", v2, f)
            for f in p.fields:
                if f.required and f.name not in item:
                    _fail(path, f"{key}[{i}]", Msg("problem.missing-key", name=f.name))


def _check_required(path: Path, std: Standard) -> None:
    for rule_id, entry in std.rules.items():
        rule = REGISTRY[rule_id]
        for kind in std.kinds:
            params = effective(entry, kind)
            if not params.get("enabled", True) or kind not in params.get("kinds", std.kinds):
                continue
            for p in (*rule.params, *COMMON_PARAMS):
                if p.required and p.name not in params:
                    _fail(path, f"rules.{rule_id}", Msg("problem.missing-parameter", name=p.name, doc=Msg(p.doc)))


def _check_scoring(path: Path, sec: Any) -> None:
    """[scoring]: known keys and types, known rule ids, unique item ids, points adding up to the scale."""
    from .scoring import SECTION

    if not isinstance(sec, dict):
        _fail(path, "scoring", Msg("problem.expected-table"))
    for k, v in sec.items():
        if k not in SECTION:
            _fail(path, f"scoring.{k}", Msg("problem.unknown-key", hint=_suggest(k, list(SECTION)), allowed=", ".join(SECTION)))
        _check_value(path, f"scoring.{k}", v, SECTION[k])
    for p in SECTION.values():
        if p.required and p.name not in sec:
            _fail(path, "scoring", Msg("problem.missing-key-doc", name=p.name, doc=Msg(p.doc)))
    seen: set[str] = set()
    for i, it in enumerate(sec["items"]):
        where = f"scoring.items[{i}]"
        if it["id"] in seen:
            _fail(path, f"{where}.id", Msg("problem.id-twice", id=it["id"]))
        seen.add(it["id"])
        for rid in it.get("rules", []):
            if rid not in REGISTRY:
                _fail(path, f"{where}.rules", Msg("problem.unknown-rule-named", id=rid, hint=_suggest(rid, list(REGISTRY)),
                                                  allowed=", ".join(sorted(REGISTRY))))
        if it.get("confirm_points", 0) > it["points"]:
            _fail(path, f"{where}.confirm_points", Msg("problem.confirm-points", value=it["confirm_points"]))
    total = sum(it["points"] for it in sec["items"])
    if abs(total - sec["scale"]) > 1e-9:
        _fail(path, "scoring.items", Msg("problem.points-sum", total=total, scale=sec["scale"]))
    if sum("above" not in g for g in sec["grades"]) > 1:
        _fail(path, "scoring.grades", Msg("problem.grades-above"))


def _check_scoring_refs(path: Path, std: Standard) -> None:
    """Every rule a scoring item names is in the standard, and every name it picks is one a rule reports."""
    names = set()
    for entry in std.rules.values():
        for params in [entry, *(entry.get(k, {}) for k in KINDS)]:
            for key in ("items", "services"):
                names |= {x["name"] for x in params.get(key, []) if isinstance(x, dict)}
    for i, it in enumerate(std.scoring["items"]):
        for rid in it.get("rules", []):
            if rid not in std.rules:
                _fail(path, f"scoring.items[{i}].rules", Msg("problem.rule-not-set", id=rid, set=", ".join(std.rules)))
        for n in it.get("items", []):
            if n not in names:
                _fail(path, f"scoring.items[{i}].items", Msg("problem.item-unnamed", name=n, hint=_suggest(n, sorted(names))))
