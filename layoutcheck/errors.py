"""Errors that end a command with exit code 2: the input cannot be used.

Each carries the file it is about and what the user should do, so the CLI can print one line.
"""

from __future__ import annotations

from typing import Any


class InputError(Exception):
    """A plan, standard or option that cannot be used. ``key`` names a message in the catalog."""

    def __init__(self, path: str | None, message_key: str, /, **args: Any) -> None:
        self.path = path
        self.message_key = message_key
        self.args_ = args
        super().__init__(f"{path}: {message_key} {args}")

    def __reduce__(self):
        """Rebuilt from its parts when it crosses a process boundary (batch workers): the default pickling
        passes only the formatted text and the error would die in the parent as a TypeError."""
        return _rebuild, (self.path, self.message_key, self.args_)

    def render(self, lang: str = "zh") -> str:
        from .i18n import message

        from .textsafe import clean

        # Arguments may quote a drawing (layer names, a parser's reason): no control character reaches stderr.
        text = " ".join(clean(_printable(message(self.message_key, lang, **self.args_))).split())
        if not self.path:
            return text
        # The path as the user typed it (two spaces stay two, so it can be copied back), on one line:
        # a newline or other control character in a file name is shown escaped, not obeyed.
        path = "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in _printable(str(self.path)))
        return f"{path}: {text}"


def read_toml(path, syntax_key: str) -> dict[str, Any]:
    """A TOML input file (project, review) as a dict, or one InputError: missing, unreadable, or not TOML
    (``syntax_key`` names the message for the last, with the parser's reason)."""
    import tomllib
    from pathlib import Path

    from .files import MAX_TOML_BYTES, read_text
    from .textsafe import refuse_non_finite

    p = Path(path)
    try:  # a regular file of at most 1 MB (files.read_text): no FIFO, device or runaway size
        data = tomllib.loads(read_text(p, MAX_TOML_BYTES))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        from .i18n import Msg

        raise InputError(str(p), syntax_key, reason=str(exc) or Msg("problem.not-utf8")) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise InputError(str(p), "error.too-deep") from None
    refuse_non_finite(p, data)  # nan / inf: TOML allows them, no figure is either
    return data


def _rebuild(path: str | None, message_key: str, args: dict[str, Any]) -> InputError:
    return InputError(path, message_key, **args)


def _printable(text: str) -> str:
    """Names decoded with the wrong code page carry lone surrogates, which no terminal can print."""
    return text.encode("utf-8", "replace").decode("utf-8")
