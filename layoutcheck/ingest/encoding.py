"""Text decoded with the wrong code page, and the code page that reads it.

Pre-2007 DXF stores text in the code page named by ``$DWGCODEPAGE``; drawings from Chinese,
Taiwanese and Japanese offices often declare none or the wrong one (a Jw_cad export is Shift-JIS
but declares nothing, so it reads as cp1252 mojibake). The bytes survive decoding (ezdxf keeps
undecodable bytes as surrogate escapes), so each candidate code page can be tried on a sample of
the drawing's strings without reading the file again; the file is re-read only with the winner.
"""

from __future__ import annotations

import unicodedata

from ezdxf.document import Drawing
from ezdxf.lldxf.encoding import decode_dxf_unicode, decode_mif_to_unicode

CANDIDATES = ("gbk", "cp932", "big5")
ESCAPES = (b"\\U+", b"\\M+")  # what an R2000–R2004 file writes for a character its code page lacks


def decode_escapes(s: str) -> str:
    """``\\U+670D`` (a Unicode code point) and ``\\M+5B7CE`` (MIF: code page 5 = GB 2312, bytes B7CE)
    → the characters they stand for; everything else unchanged.

    AutoCAD saves a pre-2007 DXF in one code page and writes each character it cannot hold as such
    an escape, so a drawing saved on a Western system stores 服务大厅 as ``\\U+670D\\U+52A1…``.
    ezdxf's recover loader decodes them, its normal loader does not; the decoding is ezdxf's own."""
    if "\\U+" in s:
        s = decode_dxf_unicode(s)
    if "\\M+" in s:
        s = decode_mif_to_unicode(s)
    return s

SAMPLE = 300


def _strings(doc: Drawing) -> list[str]:
    out = [layer.dxf.name for layer in doc.layers]
    for e in doc.modelspace().query("TEXT MTEXT"):
        out.append(e.dxf.get("text", ""))
        if len(out) >= SAMPLE:
            break
    return [s for s in out if s and not s.isascii()]


def _looks_wrong(texts: list[str]) -> bool:
    """Mojibake of a double-byte code page read as Latin: Latin-1/cp1252 letters, no CJK at all."""
    chars = [ch for s in texts for ch in s if ord(ch) > 127]
    if not chars:
        return False
    cjk = sum(1 for ch in chars if _is_cjk(ch))
    odd = sum(1 for ch in chars if 0xDC80 <= ord(ch) <= 0xDCFF or 0x80 <= ord(ch) <= 0x2122 and not _is_cjk(ch))
    # A few real ideographs may come from \\U+ escapes (a character the wrong code page lacks, decoded
    # by decode_escapes): they do not make mojibake right.
    return cjk <= 0.1 * len(chars) and odd >= max(4, 0.6 * len(chars))


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF01 <= o <= 0xFF5E


# The most frequent characters of simplified and traditional Chinese, and the words of a floor plan:
# GBK, Big5 and Shift-JIS all decode each other's bytes into valid ideographs, but only the right
# one gives common characters and room names.
COMMON = set(
    "的一是在不了有和人中大上我以他时来用们生到作地出就分对成会可主发年动同工也能下子产种面而方后多定行学法所民得"
    "十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开合还因由其些然前外天政"
    "服务厅室档案办公卫生间楼梯走廊区门窗储藏设备值班会议咨询等候查询业务窗口柜台入口大厅"
    "這個們來為國說時對會發後過種經麼學現當動還進樣開從實軍無與長機關點業將兩間問應戰頭體產話"
    "務廳檔辦衛樓區門儲藏設備議詢窗櫃臺"
)


def _score(text: str) -> int:
    """Plausibility of decoded text: common characters and full-width kana count, half-width kana
    (what GBK bytes look like in Shift-JIS) and replacement or private-use characters count against."""
    score = 0
    for ch in text:
        o = ord(ch)
        if 0x3040 <= o <= 0x30FF:
            score += 3
        elif ch in COMMON:
            score += 2
        elif _is_cjk(ch):
            score += 0
        elif 0xFF61 <= o <= 0xFF9F or o == 0xFFFD or unicodedata.category(ch) in ("Co", "Cs", "Cc"):
            score -= 3
    return score


def better_encoding(doc: Drawing) -> str | None:
    """The code page that reads the drawing's text, when the one it was read with does not."""
    texts = _strings(doc)
    if not _looks_wrong(texts):
        return None
    read_with = doc.encoding or "cp1252"
    best, best_score = None, 0
    for cand in CANDIDATES:
        total = 0
        for s in texts:
            try:
                raw = s.encode(read_with, errors="surrogateescape")
                total += _score(raw.decode(cand))
            except (UnicodeEncodeError, UnicodeDecodeError):
                total -= 10
        if total > best_score:
            best, best_score = cand, total
    return best
