"""Which layer holds what: TArch and AIA/NCS names recognised automatically, or a user's mapping.
The patterns themselves live in :mod:`layoutcheck.conventions`.

A role is what the ingest does with a layer's entities: ``wall``, ``column``, ``door``,
``window``, ``room`` (outlines of rooms), ``zone`` (outlines of zones inside a room), ``outline``
(a drawn gross-area outline), ``counter``, ``furniture``, ``stair``, ``text`` and ``ignore``
(axes, dimensions: never read). Layers with no role still give their text as labels.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import Msg
from ..errors import InputError
from ..textsafe import refuse_non_finite

from ..conventions import LAYER_CONVENTIONS as CONVENTIONS, LAYER_KEYWORDS as GENERIC, ROLES

_GENERIC = tuple((role, re.compile(rx)) for role, rx in GENERIC)


def normalise(layer: str) -> str:
    """Upper-case, without bound-xref prefixes (``xref$0$A-WALL``, ``xref|A-WALL``) or the
    numeric suffix some DWG converters append (``A-325G - Internal Doors 6``)."""
    name = layer.strip()
    name = name.rsplit("|", 1)[-1]
    if "$0$" in name:
        name = name.rsplit("$0$", 1)[-1]
    return _drop_number_suffix(name).upper()


def _drop_number_suffix(name: str) -> str:
    r"""``name`` without a trailing run of digits that follows whitespace (``"Doors 6"`` → ``"Doors"``).

    Written as two scans from the end, not ``re.sub(r"\s+\d+$", …)``: that regex retries from every start
    position of a long run of spaces not followed by digits, so a layer name of 120,000 spaces and one
    letter took quadratic time (minutes). Same meaning: ``\d`` is ``str.isdecimal``, ``\s`` ``str.isspace``."""
    end = len(name)
    i = end
    while i > 0 and name[i - 1].isdecimal():
        i -= 1
    if i == end:
        return name
    j = i
    while j > 0 and name[j - 1].isspace():
        j -= 1
    return name[:j] if j < i else name


@dataclass
class LayerMap:
    """Layer → role. ``custom`` patterns (from a mapping file) are tried first."""

    custom: dict[str, tuple[str, ...]] = field(default_factory=dict)
    room_types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str | None = None
    unmapped: str | None = None  # the role of a layer nothing else names (None: its text only)
    _cache: dict[str, str | None] = field(default_factory=dict, repr=False)

    def role(self, layer: str) -> str | None:
        if layer in self._cache:
            return self._cache[layer]
        name = normalise(layer)
        found = _match(self.custom, name)
        if found is None:
            for patterns in CONVENTIONS.values():
                found = _match(patterns, name)
                if found:
                    break
        if found is None:
            found = next((role for role, rx in _GENERIC if rx.search(name)), self.unmapped)
        self._cache[layer] = found
        return found

    def convention(self, layers: list[str]) -> str:
        """Name the convention most of the drawing's layers follow (for the report)."""
        names = [normalise(n) for n in layers]
        if self.custom and any(_match(self.custom, n) for n in names):
            return "custom"
        scores = {conv: sum(1 for n in names if _match(p, n)) for conv, p in CONVENTIONS.items()}
        best = max(scores, key=lambda c: scores[c])
        return best if scores[best] >= 2 else "generic"


def _match(patterns: dict[str, tuple[str, ...]], name: str) -> str | None:
    for role, pats in patterns.items():
        for pat in pats:
            if fnmatch.fnmatchcase(name, pat.upper()):
                return role
    return None


def load_mapping(path: str | Path) -> LayerMap:
    """Read a mapping file: ``[layers]`` role = [glob patterns], ``[room_types]`` type = [synonyms]."""
    from ..files import MAX_TOML_BYTES, read_text

    p = Path(path)
    try:  # a regular file of at most 1 MB (files.read_text): no FIFO, device or runaway size
        data = tomllib.loads(read_text(p, MAX_TOML_BYTES))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(p), "error.mapping", problem=str(exc)) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise InputError(str(p), "error.too-deep") from None
    refuse_non_finite(p, data)
    unknown = set(data) - {"layers", "room_types"}
    if unknown:
        raise InputError(str(p), "error.mapping",
                         problem=Msg("mapping.unknown-table", tables=", ".join(sorted(unknown))))
    custom: dict[str, tuple[str, ...]] = {}
    for role, pats in data.get("layers", {}).items():
        if role not in ROLES:
            raise InputError(str(p), "error.mapping",
                             problem=Msg("mapping.unknown-role", role=role, allowed=", ".join(ROLES)))
        custom[role] = _str_list(p, f"layers.{role}", pats)
    from ..classify import ROOM_TYPES

    room_types: dict[str, tuple[str, ...]] = {}
    for rtype, words in data.get("room_types", {}).items():
        if rtype not in ROOM_TYPES:
            raise InputError(str(p), "error.mapping",
                             problem=Msg("mapping.unknown-type", type=rtype, allowed=", ".join(ROOM_TYPES)))
        room_types[rtype] = _str_list(p, f"room_types.{rtype}", words)
    return LayerMap(custom=custom, room_types=room_types, source=str(p))


def _str_list(p: Path, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(str(p), "error.mapping", problem=Msg("mapping.list", key=key))
    return tuple(value)
