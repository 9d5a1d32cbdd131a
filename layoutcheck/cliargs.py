"""The command line in the user's language.

click words its usage errors in English through ``gettext`` (each of its modules binds ``_`` and
``ngettext`` at import). :func:`use_language` points those names at the project's message catalog
(:mod:`layoutcheck.i18n`), where click's messages are registered under their English text with a
Chinese translation, so "No such command 'chek'. Did you mean check?" reads
"没有命令 'chek'。是否想写 check？" when the language is zh. The option types below read what people
type — ``3万``, ``30,000``, ``服务站`` — and say in one line what they expect when they cannot.
"""

from __future__ import annotations

import click

from .i18n import message, register, template

# .project (and through it the rule registry) is imported when an option is read, not at start-up:
# `layoutcheck --version` needs neither.

# click's message ids (click 8.1–8.5) → Chinese. English is the id itself.
CLICK_ZH = {
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Did you mean {possibility}?": "是否想写 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否想写其中之一：{possibilities}？）",
    "Missing command.": "缺少命令。",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选值之一：{choices}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "integer": "整数",
    "float": "数",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值，可写：{states}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    # ({name} is "file", "directory" or "path", worded when click's types were made, before the language
    # was known: the Chinese leaves it out)
    "{name} {filename!r} does not exist.": "{filename!r} 不存在，请检查路径。",
    "{name} {filename!r} is a file.": "{filename!r} 是文件，这里需要文件夹。",
    "{name} {filename!r} is a directory.": "{filename!r} 是文件夹，这里需要文件名。",
    "{name} {filename!r} is not readable.": "{filename!r} 不可读，请检查权限。",
    "{name} {filename!r} is not writable.": "{filename!r} 不可写，请检查权限。",
    "{name} {filename!r} is not executable.": "{filename!r} 不可执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "unknown error": "未知错误",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "Value must be an iterable.": "值必须是一组。",
    "Aborted!": "已中止。",
}
register({f"click:{msgid}": {"zh": zh, "en": msgid} for msgid, zh in CLICK_ZH.items()})
register(
    {
        "cli.usage-hint": {"zh": "（运行 {command} -h 查看用法）", "en": " (run {command} -h for help)"},
        "cli.population": {
            "zh": "常住人口 {value!r} 无法识别：请写整数人数，如 30000、30,000、3万 或 3e4",
            "en": "population {value!r} is not a number of people: write a whole number such as 30000, "
                  "30,000, 3e4 or '3万'"},
        "cli.kind": {
            "zh": "设施类型 {value!r} 无法识别：可写 station 或 服务所（街道/乡镇服务所）、community 或 服务站（社区/村服务站）",
            "en": "facility kind {value!r} is unknown: write station (or '服务所', a street/township station) or "
                  "community (or '服务站', a community/village station)"},
    }
)

_MODULES = ("core", "exceptions", "types", "parser", "decorators", "termui")
_state = {"lang": "zh", "installed": False}


def _translate(msgid: str) -> str:
    return template(f"click:{msgid}", _state["lang"]) or msgid


def _ntranslate(singular: str, plural: str, n: int) -> str:
    return _translate(singular if n == 1 else plural)


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
