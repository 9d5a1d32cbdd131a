"""A CJK font for matplotlib that is there on a fresh install, so Chinese never renders as tofu.

Noto Sans SC (SIL OFL 1.1) comes from the ``pylopdf-fonts-zh-cn`` wheel, a plain font package
(17 MB) that pip installs with layoutcheck; no system font is needed. DejaVu Sans (matplotlib's
own) follows it in the family list for the few symbols Noto Sans SC lacks (✗). Registering is
done at render time, once per process, and changes no global rcParams.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

# System fonts tried when the font package is missing (a distro build without the dependency).
_SYSTEM_CJK = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
               "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC")


def _packaged() -> Path | None:
    try:
        import pylopdf_fonts_zh_cn as pkg
    except ImportError:
        return None
    path = Path(pkg.__file__).with_name("NotoSansSC-Regular.otf")
    return path if path.is_file() else None


@lru_cache(maxsize=None)
def family() -> tuple[str, ...]:
    """The font family list to give every text artist: a CJK font first, DejaVu Sans for symbols."""
    from matplotlib import font_manager

    path = _packaged()
    if path is not None:
        font_manager.fontManager.addfont(str(path))
        return (font_manager.FontProperties(fname=str(path)).get_name(), "DejaVu Sans")
    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in _SYSTEM_CJK:
        if name in names:
            return (name, "DejaVu Sans")
    warnings.warn("layoutcheck: no CJK font found (install pylopdf-fonts-zh-cn); Chinese text will not "
                  "render", stacklevel=2)
    return ("DejaVu Sans",)


def cjk_font_path() -> Path | None:
    """The bundled Noto Sans SC file (an OpenType/CFF font), or None when the font package is missing."""
    return _packaged()


def symbol_font_path() -> Path:
    """DejaVu Sans from matplotlib's own data: the fallback for the few symbols Noto Sans SC lacks."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def subset_woff(text: str, path: Path | None = None) -> bytes | None:
    """The glyphs ``text`` uses, cut from the bundled Noto Sans SC as a WOFF font (zlib, no extra
    dependency). A page that embeds it as a base64 ``@font-face`` shows its Chinese on a machine with
    no CJK font; the subset of a typical report is ~100 KB instead of the font's 8 MB.

    None when there is no font package (the page then falls back to system fonts)."""
    import io

    from fontTools import subset

    path = path or _packaged()
    if path is None:
        return None
    chars = {c for c in text if not c.isspace()} | set(" 0123456789")
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["kern", "liga", "vert", "locl"]  # what a report's text needs; smaller subset
    options.name_IDs = ["*"]  # keep the font's name and licence records (SIL OFL 1.1)
    options.notdef_outline = True
    font = subset.load_font(str(path), options)
    try:  # a TTFont reads its file lazily and keeps it open until closed
        sub = subset.Subsetter(options)
        sub.populate(unicodes=[ord(c) for c in chars])
        sub.subset(font)
        buf = io.BytesIO()
        subset.save_font(font, buf, options)
    finally:
        font.close()
    return buf.getvalue()
