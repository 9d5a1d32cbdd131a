"""Text entities → plain strings and the point a reader would call their centre."""

from __future__ import annotations

import math
import unicodedata

from ezdxf.entities import MText, Text

from ezdxf.tools.text import fast_plain_mtext, plain_text

from ..textsafe import MAX_LABEL_CHARS, label as _safe

# Raw characters read from one entity: room for the formatting codes of MAX_LABEL_CHARS of text. ezdxf's
# plain-text functions take quadratic time (a 200,000-character TEXT took 4 s, 1,000,000 would take
# minutes), so the raw string is cut before they run.
MAX_RAW_CHARS = 4 * MAX_LABEL_CHARS


def _width_em(text: str) -> float:
    """Approximate width of a line in text heights: CJK glyphs are square, Latin ~0.6 wide."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)


def text_label(e: Text) -> tuple[str, tuple[float, float], float]:
    """Plain text, estimated centre (WCS, drawing units) and height of a TEXT entity."""
    text = _safe(plain_text((e.dxf.get("text") or "")[:MAX_RAW_CHARS])).strip()  # untrusted: no control characters, capped
    h = float(e.dxf.get("height", 1.0) or 1.0)
    w = _width_em(text) * h * float(e.dxf.get("width", 1.0) or 1.0)
    halign, valign = e.dxf.get("halign", 0), e.dxf.get("valign", 0)
    ins = e.dxf.insert
    if halign in (3, 5) and e.dxf.hasattr("align_point"):  # ALIGNED / FIT: between the two points
        a = e.dxf.align_point
        x, y = (ins.x + a.x) / 2, (ins.y + a.y) / 2
        dx, dy = 0.0, h / 2
    else:
        anchor = e.dxf.align_point if (halign or valign) and e.dxf.hasattr("align_point") else ins
        x, y = anchor.x, anchor.y
        dx = {0: w / 2, 1: 0.0, 2: -w / 2, 4: 0.0}.get(halign, 0.0)
        dy = 0.0 if halign == 4 else {0: h / 2, 1: h / 2, 2: 0.0, 3: -h / 2}.get(valign, h / 2)
    return text, _offset(e, x, y, dx, dy, math.radians(e.dxf.get("rotation", 0.0))), h


def mtext_label(e: MText) -> tuple[str, tuple[float, float], float]:
    """Plain text (formatting codes stripped, paragraphs as lines), centre and height of MTEXT."""
    text = _safe(fast_plain_mtext(e.text[:MAX_RAW_CHARS], split=False)).strip()  # as MText.plain_text()
    lines = [ln for ln in text.splitlines() if ln.strip()] or [""]
    h = float(e.dxf.get("char_height", 1.0) or 1.0)
    natural = max(_width_em(ln) for ln in lines) * h
    # "width" is the box the user dragged, not the text: left- or right-attached text sits at one
    # edge of a wide box, so the text is as wide as its longest line (wrapped at the box width).
    box_w = float(e.dxf.get("width", 0.0) or 0.0)
    w = min(box_w, natural) if box_w > 0 else natural
    total_h = h * (1 + 1.67 * (len(lines) - 1))
    ap = e.dxf.get("attachment_point", 1)
    col, row = (ap - 1) % 3, (ap - 1) // 3
    dx = (0.5 - col * 0.5) * w
    dy = (row * 0.5 - 0.5) * total_h
    ins = e.dxf.insert
    return text, _offset(e, ins.x, ins.y, dx, dy, math.radians(e.get_rotation())), h


def _offset(e, x: float, y: float, dx: float, dy: float, angle: float) -> tuple[float, float]:
    c, s = math.cos(angle), math.sin(angle)
    px, py = x + dx * c - dy * s, y + dx * s + dy * c
    # TEXT and MTEXT insert points of mirrored / 3D entities are in OCS; floor plans seldom are.
    extrusion = e.dxf.get("extrusion", None)
    if extrusion is not None and (abs(extrusion[0]) > 1e-9 or abs(extrusion[1]) > 1e-9 or extrusion[2] < 0):
        if e.dxftype() == "TEXT":
            v = e.ocs().to_wcs((px, py, 0))
            return v.x, v.y
    return px, py
