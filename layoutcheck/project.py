"""The project file (``--project project.toml``): the figures of a feasibility report a plan cannot show.

Validated as strictly as a standard: an unknown key, a wrong type or a value out of range stops with
exit 2 naming the file, the key and what is allowed. Options given on the command line win.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import InputError, read_toml
from .i18n import Msg
from .rules.base import KINDS, Param, Project

FIELDS = {p.name: p for p in (
    Param("kind", "string", "param.project.fields.kind", choices=KINDS),
    Param("population", "integer", "param.project.fields.population", min=0),
    Param("staff", "integer", "param.project.fields.staff", min=0),
    Param("employment_staff", "integer", "param.project.fields.employment_staff", min=0),
    Param("windows", "integer", "param.project.fields.windows", min=0),
    Param("approved_increase", "bool", "param.project.fields.approved_increase"),
    Param("renovation", "bool", "param.project.fields.renovation"),
    Param("name", "string", "param.project.fields.name"),
    Param("note", "string", "param.project.fields.note"),
)}
RECORD_ONLY = ("note",)


def load(path: str | Path | None, **given: Any) -> Project:
    """A Project from the file at ``path`` (if any), with the command line's ``given`` values on top."""
    values: dict[str, Any] = {}
    if path is not None:
        values = read(Path(path))
    values.update(given)
    return Project(**{k: v for k, v in values.items() if k not in RECORD_ONLY})


def read(path: Path) -> dict[str, Any]:
    from .standards import _check_value, _suggest

    data = read_toml(path, "error.project-syntax")
    if isinstance(data.get("population"), str):  # population = "3.8万", as people write it on the command line
        try:
            data["population"] = parse_population(data["population"])
        except ValueError:
            pass  # left as written: the check below says what it expects
    for k, v in data.items():
        if k not in FIELDS:
            raise InputError(str(path), "error.project-schema", key=k,
                             problem=Msg("problem.unknown-key", hint=_suggest(k, list(FIELDS)), allowed=", ".join(FIELDS)))
        try:
            _check_value(path, k, v, FIELDS[k])
        except InputError as exc:  # the same checks as a standard's, worded for a project file
            raise InputError(str(path), "error.project-schema", **exc.args_) from None
    return data


# --- what people type for a kind or a population (command line, manifest) ---------------------------
KIND_ALIASES = {"station": "station", "community": "community", "服务所": "station", "服务站": "community",
                "街道服务所": "station", "乡镇服务所": "station", "街道（乡镇）服务所": "station",
                "社区服务站": "community", "村服务站": "community", "社区（村）服务站": "community"}

_POPULATION_UNITS = {"万": 10_000, "千": 1_000, "w": 10_000, "k": 1_000}
MAX_POPULATION = 100_000_000  # more than any 街道 or 乡镇: a figure this large is a typo


def parse_kind(text: str) -> str | None:
    """``station`` / ``community`` from what a person types (服务所, 服务站, STATION …); None if unknown."""
    return KIND_ALIASES.get(str(text).strip().lower())


def parse_population(text: str | int) -> int:
    """A resident population as people write it: ``30000``, ``30,000``, ``3万``, ``3.5万``, ``3e4``,
    ``30000人``. Raises ValueError for anything else, a negative number or a fraction of a person."""
    if isinstance(text, int) and not isinstance(text, bool):
        value: float = text
    else:
        s = str(text).strip().lower().replace(",", "").replace("，", "").replace("_", "").replace(" ", "")
        s = s.removesuffix("人")
        scale = 1
        if s[-1:] in _POPULATION_UNITS:
            scale, s = _POPULATION_UNITS[s[-1]], s[:-1]
        try:
            value = float(s) * scale
        except ValueError:
            raise ValueError(text) from None
    if not (0 <= value <= MAX_POPULATION) or value != int(value):
        raise ValueError(text)
    return int(value)
