"""The command line in the user's language.

click words its usage errors in English through ``gettext`` (each of its modules binds ``_`` and
``ngettext`` at import). :func:`use_language` points those names at the project's gettext catalog for
click (domain ``click``: ``locale/zh/LC_MESSAGES/click.po``, msgid = click's English text, as gettext
intends, with plural forms), so "No such command 'chek'. Did you mean check?" reads
"没有命令 'chek'。是否想写 check？" when the language is zh. The option types below read what people
type — ``3万``, ``30,000``, ``服务站`` — and say in one line what they expect when they cannot.
"""

from __future__ import annotations

import click

from .i18n import catalog, message

# .project (and through it the rule registry) is imported when an option is read, not at start-up:
# `layoutcheck --version` needs neither.

_MODULES = ("core", "exceptions", "types", "parser", "decorators", "termui")
_state = {"lang": "zh", "installed": False}


def current_language() -> str:
    """The language the command line speaks (set by use_language)."""
    return _state["lang"]


def _translate(msgid: str) -> str:
    return catalog(_state["lang"], "click").gettext(msgid)


def _ntranslate(singular: str, plural: str, n: int) -> str:
    return catalog(_state["lang"], "click").ngettext(singular, plural, n)


def use_language(lang: str) -> None:
    """Word click's own messages in ``lang`` from now on (idempotent; English leaves them as they are)."""
    import importlib

    _state["lang"] = lang
    if _state["installed"]:
        return
    for name in _MODULES:
        try:
            mod = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - a click without that module
            continue
        if hasattr(mod, "_"):
            mod._ = _translate
        if hasattr(mod, "ngettext"):
            mod.ngettext = _ntranslate
    _state["installed"] = True


class Population(click.ParamType):
    """A resident population: 30000, 30,000, 3万, 3.5万, 3e4 or 30000人 (see ``project.parse_population``)."""

    name = "population"

    def convert(self, value, param, ctx):
        from .project import parse_population

        try:
            return parse_population(value)
        except ValueError:
            self.fail(message("cli.population", _state["lang"], value=str(value)), param, ctx)

    def get_metavar(self, param, ctx=None):  # noqa: D401 - click's signature
        return "N"


class Lang(click.ParamType):
    """A report language as people write it: zh, en, ZH, EN, zh-CN, zh_CN, en-US … (``i18n.parse_lang``)."""

    name = "lang"

    def convert(self, value, param, ctx):
        from .i18n import parse_lang

        lang = parse_lang(value)
        if lang is None:
            self.fail(message("cli.lang", _state["lang"], value=str(value)), param, ctx)
        return lang

    def get_metavar(self, param, ctx=None):
        return "[zh|en]"

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        from .i18n import LANGS

        return [CompletionItem(k) for k in LANGS if k.startswith(incomplete.lower())]


class Kind(click.ParamType):
    """station or community, also as 服务所 / 服务站 (and the longer Chinese names)."""

    name = "kind"

    def convert(self, value, param, ctx):
        from .project import parse_kind

        kind = parse_kind(value)
        if kind is None:
            self.fail(message("cli.kind", _state["lang"], value=str(value)), param, ctx)
        return kind

    def get_metavar(self, param, ctx=None):
        return "[station|community|服务所|服务站]"

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        from .project import KIND_ALIASES

        return [CompletionItem(k) for k in KIND_ALIASES if k.startswith(incomplete)]


def usage_line(exc: click.ClickException, lang: str) -> str:
    """A click error as one line: the message, and for a usage error where to read the usage."""
    text = " ".join(exc.format_message().split())
    if lang == "zh":  # click joins its sentences with ". " and a space: Chinese punctuation needs neither
        text = text.replace("。 ", "。").replace("'. ", "'。").removesuffix(".")
        text = text if text.endswith(("。", "）", "？")) else text + "。"
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        text += message("cli.usage-hint", lang, command=ctx.command_path)
    return text
