"""Open a DXF file, or say in one line why it cannot be opened.

ASCII and binary DXF, R12 to R2018, go through ``ezdxf.readfile``; a file ezdxf rejects as
malformed is retried through ``ezdxf.recover`` (the same path as AutoCAD's RECOVER) and the
repair is reported. DWG files, empty files and text that is not DXF are recognised from their
first bytes before ezdxf sees them, so the user gets a precise instruction instead of a parse error.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import ezdxf
from ezdxf import recover
from ezdxf.document import Drawing

from ..errors import InputError
from ..model import Finding

BINARY_SENTINEL = b"AutoCAD Binary DXF"
_DWG_MAGIC = re.compile(rb"^AC1\d{3}")
_DWG_VERSIONS = {
    b"AC1012": "R13", b"AC1014": "R14", b"AC1015": "AutoCAD 2000", b"AC1018": "AutoCAD 2004",
    b"AC1021": "AutoCAD 2007", b"AC1024": "AutoCAD 2010", b"AC1027": "AutoCAD 2013",
    b"AC1032": "AutoCAD 2018",
}


def sniff(path: Path) -> str:
    """Return "ascii" or "binary", or raise InputError for a file that is not a DXF."""
    if not path.exists():
        raise InputError(str(path), "error.not-found")
    if path.is_dir():
        raise InputError(str(path), "error.is-directory")
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError as exc:
        raise InputError(str(path), "error.unreadable", reason=exc.strerror or str(exc)) from None
    if not head.strip():
        raise InputError(str(path), "error.empty")
    if head.startswith(BINARY_SENTINEL):
        return "binary"
    if _DWG_MAGIC.match(head):
        raise InputError(str(path), "error.dwg", version=_DWG_VERSIONS.get(head[:6], head[:6].decode()))
    # An ASCII DXF is pairs of lines: a group code (an integer) and a value. The first pair is
    # "0 / SECTION", possibly after 999 comments; some writers put a BOM or blank lines first.
    text = head.lstrip(b"\xef\xbb\xbf").decode("latin-1")
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln] if lines else []
    i = 0
    while i + 1 < len(lines) and lines[i] == "999":
        i += 2
    if i + 1 < len(lines) and lines[i] == "0" and lines[i + 1].upper() == "SECTION":
        return "ascii"
    shown = head[:24].decode("utf-8", "replace").replace("\n", " ").replace("\r", " ").strip()
    raise InputError(str(path), "error.not-dxf", head=shown)


def open_dxf(path: str | os.PathLike[str], encoding: str | None = None) -> tuple[Drawing, list[Finding]]:
    """Read a DXF drawing. Returns the document and findings about how it was read."""
    p = Path(path)
    sniff(p)
    findings: list[Finding] = []
    try:
        if encoding:
            doc = ezdxf.readfile(p, encoding=encoding)
        else:
            doc = ezdxf.readfile(p)
        return doc, findings
    except (ezdxf.DXFStructureError, ezdxf.DXFError, ValueError, UnicodeDecodeError, EOFError, IndexError):
        pass  # fall through to the recover path
    except OSError as exc:
        raise InputError(str(p), "error.unreadable", reason=exc.strerror or str(exc)) from None
    try:
        doc, auditor = recover.readfile(p)
    except Exception as exc:  # noqa: BLE001 - recover is the last resort; any failure means "damaged"
        raise InputError(str(p), "error.damaged", reason=_short(exc)) from None
    fixes = len(auditor.fixes) + len(auditor.errors)
    findings.append(Finding("drawing.recovered", "drawing.recovered", {"fixes": fixes}))
    return doc, findings


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
