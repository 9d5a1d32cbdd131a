"""Ground truth of the real Chinese drawings in ../shared/dxf-corpus-cn, read straight from the drawings'
own text with ezdxf and a regular expression written here — never from layoutcheck's reader."""

from __future__ import annotations

import re
from pathlib import Path

import ezdxf
from ezdxf import recover

_NAME = re.compile(r"房间名称[:：]\s*(.+?)\s*(?=\n[^\n：:]{2,6}[:：]|$)", re.DOTALL)  # up to the next field
_USABLE = re.compile(r"使用面积[:：]\s*([\d.]+)")


def labelled_rooms(path: Path) -> list[tuple[str, float]]:
    """(房间名称, 使用面积 m²) of every room label that states both."""
    try:
        doc = ezdxf.readfile(path)
    except ezdxf.DXFStructureError:
        doc, _ = recover.readfile(path)
    out = []
    for e in doc.modelspace().query("MTEXT"):
        text = e.plain_text(split=False)
        name, usable = _NAME.search(text), _USABLE.search(text)
        if name and usable:
            out.append((re.sub(r"\s*\n\s*", "", name.group(1).strip()), float(usable.group(1))))
    return out
