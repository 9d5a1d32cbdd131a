"""Text from a drawing, a standard or a file name made safe to show anywhere.

A drawing is untrusted input: its labels, block names and layer names reach the terminal, text files, SVG,
HTML, CSV/xlsx, DXF markup and PDF. Two steps keep them harmless:

* at capture (ingest, the model, the report) :func:`clean` drops control characters — C0 (but ``\\n`` where a
  format needs line breaks; ``\\t`` becomes a space), DEL, C1, the bidirectional overrides that make text read
  differently from what it is, and the two non-characters XML refuses — and :func:`cap` bounds a name's length,
  so that an ESC in a room name cannot recolour a terminal and a 200,000-character name cannot make a
  200 MB page;
* at output each format escapes its own syntax: rich markup (:func:`rich_text`), HTML/XML (``html.escape``),
  spreadsheet formulas (:func:`csv_cell`).

Every function here is linear in the length of its input (``str.translate``, no backtracking regex).
"""

from __future__ import annotations

import math
from typing import Any

# Longest text kept from one TEXT/MTEXT entity: a long 设计说明 block still gives its stated areas, and every
# regex that later reads labels works on a bounded string.
MAX_LABEL_CHARS = 4000
# Longest name kept for a room, zone, view title, block or layer: a real one is a few dozen characters.
MAX_NAME_CHARS = 120
TRUNCATED = "…"  # the marker a capped string ends with, so a reader sees it was cut

_DROP = dict.fromkeys([*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0),
                       0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A),  # bidi controls
                       0xFFFE, 0xFFFF])
_DROP[0x09] = " "  # a tab is a space in every output
_DROP[0x2028] = " "  # line / paragraph separators: a space (\n is the one line break kept)
_DROP[0x2029] = " "
_DROP.update(dict.fromkeys(range(0xD800, 0xE000), "\ufffd"))  # lone surrogates (a wrong code page): �
_ONE_LINE = {**_DROP, 0x0A: " "}  # a name is one line: its line breaks become spaces
_KEEP_LINES = dict(_DROP)
del _KEEP_LINES[0x0A]


def clean(text: str, keep_newlines: bool = False) -> str:
    """``text`` without control characters (C0, DEL, C1, bidi overrides); ``\\t`` → space, lone surrogates → �.
    ``keep_newlines`` keeps ``\\n`` (``\\r`` always goes) for outputs where a label's lines matter."""
    return text.translate(_KEEP_LINES if keep_newlines else _ONE_LINE)


def cap(text: str, limit: int = MAX_NAME_CHARS) -> str:
    """At most ``limit`` characters; a longer string is cut and ends with :data:`TRUNCATED`."""
    return text if len(text) <= limit else text[: limit - len(TRUNCATED)] + TRUNCATED


def name(text: str, limit: int = MAX_NAME_CHARS) -> str:
    """A name from a drawing (room, zone, view title, block, layer) as stored: one line, clean, capped."""
    return cap(clean(text), limit)


def label(text: str) -> str:
    """The text of one TEXT/MTEXT entity as stored: clean (its line breaks kept), capped at MAX_LABEL_CHARS."""
    return cap(clean(text, keep_newlines=True), MAX_LABEL_CHARS)


def clean_tree(value: Any) -> Any:
    """A JSON-ready structure (a report) with every string cleaned (line breaks kept); other values as they are."""
    if isinstance(value, str):
        return clean(value, keep_newlines=True)
    if isinstance(value, dict):
        return {clean(k) if isinstance(k, str) else k: clean_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_tree(v) for v in value]
    if isinstance(value, tuple):
        return tuple(clean_tree(v) for v in value)
    return value


def rich_text(text: Any, style: str = "") -> Any:
    """A rich ``Text`` (never parsed as markup, so ``[/]`` and ``[bold]`` print as written), cleaned."""
    from rich.text import Text

    return Text(clean(str(text), keep_newlines=True), style=style)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A spreadsheet cell that can never run as a formula: a string starting with ``= + - @ \\t \\r`` gets a
    leading ``'`` (the OWASP advice for CSV injection), then control characters go (openpyxl refuses
    some). Numbers, None and booleans pass unchanged: they are data, not text a program interprets."""
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START) and not _plain_number(value):
        value = "'" + value
    return clean(value)


def _plain_number(text: str) -> bool:
    """``-12.5``, ``+3e4``: a number a spreadsheet reads as a number, not a formula (no quote needed)."""
    if not text or len(text) > 40 or not set(text) <= set("0123456789+-.eE"):
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


class NotFinite(ValueError):
    """A number in a JSON output is NaN or infinite: JSON has no such value (the report would not parse)."""


def json_dumps(data: Any, **kwargs: Any) -> str:
    """``json.dumps`` that refuses NaN and ±inf (``allow_nan=False``) and says where the value is: bare
    ``NaN`` is not JSON, and a report that says ``NaN`` has checked nothing."""
    import json

    try:
        return json.dumps(data, allow_nan=False, **kwargs)
    except ValueError as exc:
        found = first_non_finite(data)
        where = f"{found[0]} = {found[1]!r}" if found else str(exc)
        raise NotFinite(f"{where}: not a finite number, JSON has no NaN or infinity") from None


def first_non_finite(data: Any) -> tuple[str, float] | None:
    """The dotted key (``rules.hall.share.share_min``, ``confirm[0].points``) and value of the first NaN or
    infinite float in a parsed TOML/JSON structure, or None. Iterative: a file nested thousands deep cannot
    exhaust the stack here."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return path or "value", value
        if isinstance(value, dict):
            stack.extend((f"{path}.{k}" if path else str(k), v) for k, v in reversed(value.items()))
        elif isinstance(value, (list, tuple)):
            stack.extend((f"{path}[{i}]", v) for i, v in reversed(list(enumerate(value))))
    return None


def refuse_non_finite(path: Any, data: Any) -> None:
    """Stop (exit 2, one line naming the file and the key) when a standard, project, review or layer file
    holds ``nan`` or ``inf``: TOML allows them, but a limit of NaN compares false with everything, so a rule
    with ``share_min = nan`` would pass every plan."""
    found = first_non_finite(data)
    if found:
        from .errors import InputError

        raise InputError(str(path), "error.not-finite", key=found[0], value=repr(found[1]))
