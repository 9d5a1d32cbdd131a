"""Messages in Chinese (default) and English: one gettext catalog per language.

Every user-facing sentence has a stable key (``error.not-found``, ``report.tier``, ``room_type.hall``,
``rule.hall.share.what`` …). Its wording lives in the message catalogs
``layoutcheck/locale/{zh,en}/LC_MESSAGES/layoutcheck.po`` (msgid = the key, msgstr = the text with
``{named}`` placeholders; plural entries carry ``msgid_plural`` and follow the catalog's ``Plural-Forms``:
Chinese has one form, English two). The ``.po`` files are what people edit; the compiled ``.mo`` files
next to them are what runs (Python's own :class:`gettext.GNUTranslations`, loaded on first use, so
``--version`` pays nothing). After editing a ``.po`` run ``python -m layoutcheck.locale``; a test
fails when a committed ``.mo`` differs from a fresh compile, when a key lacks a language, or when code
uses a key no catalog has.

click's own English messages are translated through a second domain, ``click`` (msgid = click's English
text, as gettext intends), see :mod:`layoutcheck.cliargs`.

Arguments are formatted in the reader's language too: an argument may be a :class:`Text` (a message,
a list of them, or a name a standard file gives in both languages) that is worded only when the
message is, so a result made once reads in either language and no translated text is stored as data.
"""

from __future__ import annotations

import functools
import gettext
import os
from pathlib import Path
from typing import Any, Iterable, Mapping

LANGS = ("zh", "en")
LANG_TAGS = {"zh": "zh-CN", "en": "en"}  # BCP 47 tags (HTML lang, PDF /Lang)
DOMAIN = "layoutcheck"
LOCALE_DIR = Path(__file__).with_name("locale")


@functools.cache
def catalog(lang: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (loaded once, on first use)."""
    try:
        with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.mo", "rb") as f:
            return gettext.GNUTranslations(f)
    except FileNotFoundError:
        return gettext.NullTranslations()


# What people write for a language besides the codes themselves (matched after lower-casing).
LANG_NAMES = {"chinese": "zh", "中文": "zh", "简体中文": "zh", "english": "en", "英文": "en", "英语": "en"}


def parse_lang(text: object) -> str | None:
    """The report language a person means: ``EN``, ``en-US``, ``en_GB.UTF-8``, ``zh-CN``, ``zh_CN``, ``ZH``,
    ``zh-Hans`` → ``en`` / ``zh``; None for anything else.

    Case is ignored and only the primary language subtag counts (BCP 47 ``zh-CN``, POSIX ``zh_CN.UTF-8``,
    as ``LANG`` holds it): the catalogs are per language, not per region, so any region of a language we
    have reads that language."""
    s = str(text).strip().lower()
    if s in LANG_NAMES:
        return LANG_NAMES[s]
    primary = s.split(".")[0].split("@")[0].replace("_", "-").split("-")[0]
    return primary if primary in LANGS else None


def default_lang() -> str:
    """``LAYOUTCHECK_LANG`` (any spelling :func:`parse_lang` reads), else Chinese."""
    return parse_lang(os.environ.get("LAYOUTCHECK_LANG", "zh")) or "zh"


# Messages added with the old ``register()`` call: kept only so a branch written against it still runs
# until its messages are moved into the catalogs (tests/test_i18n.py forbids the call in the tree).
_LEGACY: dict[str, dict[str, str]] = {}


def register(messages: dict[str, dict[str, str]]) -> None:
    """Deprecated: put messages in the .po catalogs instead."""
    for key, texts in messages.items():
        missing = [lang for lang in LANGS if lang not in texts]
        if missing:
            raise ValueError(f"message {key!r} lacks {missing}")
        _LEGACY[key] = texts


def template(key: str, lang: str = "zh", n: int | None = None) -> str | None:
    """A message's text before formatting (``n`` picks the plural form), or None for an unknown key."""
    for code in dict.fromkeys((lang if lang in LANGS else "zh", "zh")):
        cat = catalog(code)
        text = cat.gettext(key) if n is None else cat.ngettext(key, key, n)
        if text != key:
            return text
        if n is not None:  # a key with no plural entry: its only form
            text = cat.gettext(key)
            if text != key:
                return text
    legacy = _LEGACY.get(key)
    return None if legacy is None else legacy.get(lang, legacy["zh"])


def keys(lang: str = "zh", domain: str = DOMAIN) -> list[str]:
    """Every key of a catalog (plural entries once)."""
    cat = getattr(catalog(lang, domain), "_catalog", {})
    out = dict.fromkeys(k if isinstance(k, str) else k[0] for k in cat)
    out.pop("", None)  # the header
    return list(out)


def has(key: str) -> bool:
    return template(key) is not None


class Text:
    """Text worded in the reader's language when the message holding it is formatted."""

    def render(self, lang: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def __str__(self) -> str:
        return self.render("zh")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(sorted(vars(self).items(), key=lambda kv: kv[0]))))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({vars(self)!r})"


class Msg(Text):
    """A catalog message as an argument of another message."""

    def __init__(self, key: str, /, **args: Any) -> None:
        self.key, self.args = key, args

    def render(self, lang: str) -> str:
        return message(self.key, lang, **self.args)


class Name(Text):
    """A name a standard file (or a drawing) gives, in Chinese and optionally in English.

    Names from the drawing have no English: they are shown as drawn in every language."""

    def __init__(self, zh: str, en: str | None = None) -> None:
        self.zh, self.en = zh, en or zh

    def render(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Join(Text):
    """Items joined with the language's list separator (、 / ,), another separator key, or nothing (None)."""

    def __init__(self, items: Iterable[Any], sep: str | None = "sep.list", empty: str | None = None) -> None:
        self.items, self.sep, self.empty = tuple(items), sep, empty

    def render(self, lang: str) -> str:
        if not self.items and self.empty:
            return message(self.empty, lang)
        sep = message(self.sep, lang) if self.sep else ""
        return sep.join(str(localize(i, lang)) for i in self.items)


def localize(value: Any, lang: str) -> Any:
    """``value`` worded in ``lang`` when it is a :class:`Text`; other values unchanged."""
    return value.render(lang) if isinstance(value, Text) else value


def name(entry: Mapping[str, Any], lang: str, field: str = "name") -> str:
    """A standard file's bilingual field (``name`` / ``name_en``, ``title`` / ``title_en`` …) in ``lang``:
    the one function that reads a TOML-provided display name."""
    zh = entry.get(field)
    if lang == "en":
        return entry.get(f"{field}_en") or zh
    return zh


def named(entry: Mapping[str, Any], field: str = "name") -> Name:
    """A standard file's bilingual field as a :class:`Name` to pass as a message argument."""
    return Name(entry.get(field), entry.get(f"{field}_en"))


def message(key: str, lang: str = "zh", /, **args: Any) -> str:
    """The message ``key`` in ``lang`` with ``args`` filled in. For a plural entry the ``count`` (or ``n``)
    argument picks the form, so a finding stored as key + args reads right for 1 and for 2."""
    count = args.get("count", args.get("n"))
    text = template(key, lang, count if isinstance(count, int) and not isinstance(count, bool) else None)
    return _fill(key, text, args, lang)


def nmessage(key: str, n: int, lang: str = "zh", /, **args: Any) -> str:
    """The plural message ``key`` for ``n`` things (``n`` is also the ``{n}`` placeholder)."""
    return _fill(key, template(key, lang, n), {"n": n, **args}, lang)


def _fill(key: str, text: str | None, args: dict[str, Any], lang: str) -> str:
    """``text`` with ``args`` (worded in ``lang``) filled in; the key and arguments themselves when there is
    no such message or they do not fit it, so a missing entry shows, never crashes."""
    args = {k: localize(v, lang) for k, v in args.items()}
    if text is None:
        return key + (" " + repr(args) if args else "")
    try:
        return text.format(**args)
    except (KeyError, IndexError, ValueError):
        return text + " " + repr(args)


def words(prefix: str, lang: str) -> dict[str, str]:
    """Every message under ``prefix.`` (a report's or the overlay's labels) as templates, by the rest of the key."""
    return dict(_words(prefix, lang if lang in LANGS else "zh"))


@functools.cache
def _words(prefix: str, lang: str) -> tuple[tuple[str, str], ...]:
    start = prefix + "."
    keys = [k for k in getattr(catalog("zh"), "_catalog", {}) if isinstance(k, str) and k.startswith(start)]
    return tuple((k[len(start):], template(k, lang) or k) for k in keys)


class Words:
    """``WORDS[lang]["tier"]``: the labels under one key prefix, per language (a module's table of words)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __getitem__(self, lang: str) -> dict[str, str]:
        return words(self.prefix, lang)


def compile_catalogs(check: bool = False) -> list[Path]:
    """Compile every ``.po`` under ``locale/`` to its ``.mo`` (a development step; needs Babel).

    With ``check`` nothing is written: the ``.mo`` files that differ from a fresh compile are returned."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    stale = []
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        with open(po, "rb") as f:
            cat = read_po(f, locale=po.parent.parent.name)
        buf = io.BytesIO()
        write_mo(buf, cat, use_fuzzy=False)
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != buf.getvalue():
            stale.append(mo)
            if not check:
                mo.write_bytes(buf.getvalue())
    return stale
