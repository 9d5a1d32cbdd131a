"""Errors that end a command with exit code 2: the input cannot be used.

Each carries the file it is about and what the user should do, so the CLI can print one line.
"""

from __future__ import annotations

from typing import Any


class InputError(Exception):
    """A plan, standard or option that cannot be used. ``key`` names a message in the catalog."""

    def __init__(self, path: str | None, key: str, **args: Any) -> None:
        self.path = path
        self.key = key
        self.args_ = args
        super().__init__(f"{path}: {key} {args}")

    def render(self, lang: str = "zh") -> str:
        from .i18n import message

        text = message(self.key, lang, **self.args_)
        return f"{self.path}: {text}" if self.path else text
