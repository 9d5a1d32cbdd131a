"""Hostile DXF inputs, shared by ``tests/test_fuzz.py`` (hypothesis, a few hundred inputs in CI) and
``bench/fuzz.py`` (the same generators, tens of thousands of inputs).

Every generator is ``gen(rng, seeds) -> bytes``: ``rng`` is a :class:`random.Random` (hypothesis passes
one it controls, so failures shrink; the bench passes ``Random(f"{seed}:{i}")``, so every input can be
made again from its number) and ``seeds`` the starting drawings from :func:`load_seeds`. The bytes are
the whole file to check.

Families:

* byte level — truncation, byte flips, chunks deleted / duplicated / inserted, two files spliced;
* group-code level (ASCII DXF is pairs of lines: code, value) — pairs deleted, duplicated, swapped,
  random codes and values, hostile numbers (NaN, ±inf, 1e308, …) on coordinates and scales, absurd
  ``$INSUNITS`` / ``$ACADVER`` / ``$DWGCODEPAGE``;
* drawn with ezdxf — self-referencing and cyclic blocks, deep and fanned-out block nesting, INSERTs
  with zero / negative / NaN scales and huge MINSERT arrays, polylines with 0–2 or repeated vertices,
  hatches with broken boundaries, extreme coordinates and arcs, hostile text and attributes, zig-zag walls
  and outlines of huge vertex counts (issue 17);
* whole files — random bytes, the binary-DXF sentinel followed by junk, DWG magic, UTF-16/32 and BOMs,
  text that is almost DXF.

``scale`` ("test" or "bench") bounds the sizes: the CI test keeps every input small and fast.
"""

from __future__ import annotations

import io
import math
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ezdxf.math import Matrix44, Vec3

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
CORPUS = Path(os.environ.get("LAYOUTCHECK_CORPUS", ROOT.parent / "shared" / "dxf-corpus"))

BINARY_SENTINEL = b"AutoCAD Binary DXF\r\n\x1a\x00"

HOSTILE_FLOATS = (
    b"nan", b"NaN", b"-nan", b"inf", b"-inf", b"Infinity", b"1e308", b"-1e308", b"1.7976931348623157e308",
    b"1e309", b"-1e309", b"1e-320", b"5e-324", b"0", b"-0", b"0.0", b"1e15", b"-1e15", b"1e30", b"-1e30",
    b"1e100", b"123456789012345678901234567890", b"", b" ", b"abc", b"0x10", b"1,5", b"--1", b"1e",
    b"\xff\xfe", b"9" * 400, b"1" * 20, b"-1", b"1e-9",
)
HOSTILE_INTS = (
    b"-1", b"0", b"1", b"2147483647", b"2147483648", b"-2147483649", b"99999999999999999999", b"65536",
    b"1.5", b"x", b"", b"-32768", b"32767", b"255", b"256", b"1e3",
)
HOSTILE_CODES = (b"", b"abc", b"1.5", b" 10 ", b"-1", b"99999", b"1e3", b"0x0", b"-99999999999", b"  0",
                 b"\x00", b"1071", b"1072", b"5000", b"2147483648")
HOSTILE_TEXT = (
    b"", b" ", b"\\P\\P\\P", b"{\\fSimSun|b0|i0|c134;\\H0.7x;\\S1^2;}", b"\\U+ZZZZ\\M+1FFFF\\U+D800",
    b"%%c%%d%%p%%u%%o%%%", b"\xff\xfe\xfd", b"\xe6\x9c\x8d\xe5\x8a\xa1\xe5\xa4\xa7\xe5\x8e\x85",  # 服务大厅
    b"1e400\xe3\x8e\xa1", b"nan m2", b"inf m2", b"99999999999999999999999\xe3\x8e\xa1",  # ㎡
    b"0\xe3\x8e\xa1", b"-5 m2", b"\x1b[31m", b"\\A1;\\Q30;\\W2;\\T2;\\pxqc;{", b"}" * 50, b"{" * 50,
)
# Text no output may obey: rich markup, ANSI escapes, C0/C1 controls, bidi overrides, mathtext, formulas.
MARKUP_AND_ESCAPES = (
    "[/]", "[bold]服务大厅[/bold]", "[link=http://x]档案室", "档案室[/]", "[red]办公室", "\x1b[2J\x1b[31m办公室",
    "\x1b]8;;http://x\x1b\\卫生间\x1b]8;;\x1b\\", "\x9b31m等候区", "服务\x07大厅\x08\x7f", "\u202e室案档",
    "$\\frac{$", "$x^", "=HYPERLINK(\"http://x\")", "@SUM(1)", "+1+2", "-1-2", "\t=1", "<svg onload=x>&amp;",
    "]]>", "\ufffe\uffff",
)


def HOSTILE_LAYERS(long_n: int) -> tuple[str, ...]:  # noqa: N802 - a table, sized per scale
    """Layer names a reader must survive in linear time: runs of spaces (``\\s+\\d+$`` was quadratic), markup."""
    return (" " * long_n + "x", "WALL" + " " * long_n + "1x", "[/]", "\x1b[31mWALL", "A-WALL 12")


# Numbers TOML allows and no standard, project, review or layer file may hold (issue 17.4).
NON_FINITE_TOML = ("nan", "+nan", "-nan", "inf", "+inf", "-inf")


def hostile_toml(rng: random.Random, which: str) -> tuple[str, str]:
    """A standard / project / review / layer file that must end in exit 2 (one line naming the file): a
    NaN or infinite number in a numeric field, or arrays nested 500 deep. Returns (TOML text, what the line
    names: the key, or "nested")."""
    value = rng.choice(NON_FINITE_TOML)
    if rng.random() < 0.2:
        return "a = " + "[" * 500 + "]" * 500 + "\n", "nested"
    if which == "standard":
        rule, key = rng.choice([("hall.share", "share_min"), ("hall.share", "share_max"), ("hall.share", "target"),
                                ("access.door-width", "min_m"), ("counter.height", "tolerance_mm")])
        return (f'extends = "kaifeng-2014"\nid = "fuzz-nan"\ntitle = "[/]\\u001b[31m"\n\n'
                f'[rules."{rule}"]\n{key} = {value}\n', key)
    if which == "project":
        key = rng.choice(["population", "staff", "windows"])
        return f"{key} = {value}\n", key
    if which == "review":
        return f'[[confirm]]\nscore = "x"\npoints = {value}\n', "points"
    return f'[layers]\nwall = ["WALL"]\nwidth = {value}\n', "width"

# Named numbers as Python floats, for entities drawn with ezdxf.
WILD = (math.nan, math.inf, -math.inf, 1e308, -1e308, 1e300, 1e200, 1e30, 1e15, -1e15, 1e-300, 0.0, -0.0, 5e-324)
ROLE_LAYERS = ("WALL", "SPACE", "DOOR_FIRE", "WINDOW", "COUNTER", "PUB_FURN", "COLUMN", "PUB_TEXT", "0",
               "A-AREA-GROS", "A-AREA-ZONE", "STAIR", "AXIS", "房间", "墙", "柜台")


@dataclass(frozen=True)
class Seed:
    name: str
    data: bytes
    binary: bool = False


# --- seeds ------------------------------------------------------------------------------------------
_GUID = re.compile(rb"\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}")
_STAMP = re.compile(rb"@ \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00")
_DATE = re.compile(rb"(\$TDU?(?:CREATE|UPDATE)\r?\n *40\r?\n)[0-9.]+")


def _doc_bytes(doc, fmt: str = "asc") -> bytes:
    """The drawing as a file, without the creation times and GUIDs ezdxf writes: the same input every run."""
    if fmt == "bin":
        buf = io.BytesIO()
        doc.write(buf, fmt="bin")
        data = buf.getvalue()
    else:
        s = io.StringIO()
        doc.write(s)
        data = s.getvalue().encode(doc.output_encoding, errors="dxfreplace")
    data = _GUID.sub(b"{00000000-0000-0000-0000-000000000000}", data)
    data = _STAMP.sub(b"@ 2026-01-01T00:00:00.000000+00:00", data)
    return data if fmt == "bin" else _DATE.sub(rb"\g<1>2461000.5", data)


def tiny_layout():
    """One hall with a door, a window and a counter: the cheapest plan that reaches every rule."""
    from layoutcheck import samples

    return samples.Layout(
        "tiny",
        rooms=[samples.RoomSpec("服务大厅", (0, 0, 6000, 5000)), samples.RoomSpec("档案室", (6000, 0, 8400, 5000))],
        openings=[samples.OpeningSpec("M1021", (2000, 0)), samples.OpeningSpec("M1021", (6000, 1500), angle=90),
                  samples.OpeningSpec("C1515", (3500, 5000))],
        items=[samples.ItemSpec("柜台", (1000, 3500), attribs={"HEIGHT": "760"})],
        labels=[("等候区", (3000, 1200))],
    )


def base_doc(rng: random.Random | None = None, *, dxfversion: str = "R2018"):
    """A fresh, valid drawing to add hostile entities to."""
    from layoutcheck import samples

    layouts = [tiny_layout, samples.community_ok]
    make = layouts[rng.randrange(len(layouts))] if rng is not None else tiny_layout
    walls = rng.choice(["lines", "polylines"]) if rng is not None else "lines"
    return samples.build(make(), dxfversion=dxfversion, walls=walls)


_SEEDS: dict[tuple[int, bool], list[Seed]] = {}


def load_seeds(max_corpus_bytes: int = 64_000, *, include_plans: bool = True) -> list[Seed]:
    """The bundled sample plans, a tiny plan (ASCII, binary, R12 + GBK) and corpus files up to
    ``max_corpus_bytes`` (when the corpus folder is there). Cached per arguments."""
    key = (max_corpus_bytes, include_plans)
    if key in _SEEDS:
        return _SEEDS[key]
    seeds: list[Seed] = []
    doc = base_doc()
    seeds.append(Seed("tiny.dxf", _doc_bytes(doc)))
    seeds.append(Seed("tiny-bin.dxf", _doc_bytes(doc, "bin"), binary=True))
    import logging

    quiet = logging.getLogger("ezdxf")
    level, quiet.level = quiet.level, logging.ERROR  # "$INSUNITS are not exported for DXF R12": we know
    try:
        r12 = base_doc(dxfversion="R12")
        r12.encoding = "gbk"
        seeds.append(Seed("tiny-r12-gbk.dxf", _doc_bytes(r12)))
    finally:
        quiet.setLevel(level)
    if include_plans:
        for p in sorted(PLANS.glob("*.dxf")):
            seeds.append(Seed(p.name, p.read_bytes()))
    if CORPUS.is_dir():
        for p in sorted(CORPUS.glob("*.dxf")):
            if p.stat().st_size <= max_corpus_bytes:
                data = p.read_bytes()
                seeds.append(Seed("corpus:" + p.name, data, binary=data.startswith(b"AutoCAD Binary DXF")))
    _SEEDS[key] = seeds
    return seeds


def _pick(rng: random.Random, seeds: list[Seed], *, ascii_only: bool = False) -> Seed:
    pool = [s for s in seeds if not (ascii_only and s.binary)] or seeds
    # the tiny plan first: most inputs should be cheap to check
    if rng.random() < 0.6:
        return pool[0]
    return pool[rng.randrange(len(pool))]


# --- byte level ---------------------------------------------------------------------------------
def truncate(rng, seeds):
    data = _pick(rng, seeds).data
    return data[: rng.randrange(len(data) + 1)]


def byte_flips(rng, seeds):
    data = bytearray(_pick(rng, seeds).data)
    for _ in range(rng.choice([1, 1, 2, 5, 20, 100])):
        i = rng.randrange(len(data))
        data[i] = rng.randrange(256) if rng.random() < 0.5 else data[i] ^ (1 << rng.randrange(8))
    return bytes(data)


def chunk_ops(rng, seeds):
    data = bytearray(_pick(rng, seeds).data)
    for _ in range(rng.choice([1, 2, 4])):
        n = len(data)
        if n == 0:
            break
        i = rng.randrange(n)
        k = rng.choice([1, 8, 64, 512, 4096])
        op = rng.randrange(3)
        if op == 0:
            del data[i:i + k]
        elif op == 1:
            data[i:i] = data[i:i + k] * rng.choice([1, 2, 10])
        else:
            data[i:i] = bytes(rng.randrange(256) for _ in range(min(k, 256)))
    return bytes(data)


def splice(rng, seeds):
    a, b = _pick(rng, seeds).data, _pick(rng, seeds).data
    return a[: rng.randrange(len(a) + 1)] + b[rng.randrange(len(b) + 1):]


# --- group-code level -----------------------------------------------------------------------------
def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _code(line: bytes) -> int | None:
    try:
        return int(line.strip())
    except ValueError:
        return None


def _pairs_where(lines: list[bytes], pred: Callable[[int], bool]) -> list[int]:
    """Indices of code lines (even positions) whose code satisfies ``pred``."""
    out = []
    for i in range(0, len(lines) - 1, 2):
        c = _code(lines[i])
        if c is not None and pred(c):
            out.append(i)
    return out


def _float_code(c: int) -> bool:
    return 10 <= c <= 59 or 110 <= c <= 149 or 210 <= c <= 239 or 1010 <= c <= 1059


def _int_code(c: int) -> bool:
    return 60 <= c <= 99 or 170 <= c <= 179 or 270 <= c <= 289 or 370 <= c <= 389 or 1060 <= c <= 1071


def _one_line_op(rng, lines: list[bytes]) -> None:
    n = len(lines)
    if n < 4:
        lines.append(rng.choice(HOSTILE_CODES))
        return
    i = rng.randrange(0, n - 1) & ~1  # a code line
    op = rng.randrange(9)
    if op == 0:  # delete pairs
        k = 2 * rng.choice([1, 1, 2, 10, 100])
        del lines[i:i + k]
    elif op == 1:  # duplicate pairs
        k = 2 * rng.choice([1, 2, 10])
        lines[i:i] = lines[i:i + k] * rng.choice([1, 2, 5])
    elif op == 2:  # swap two pairs
        j = rng.randrange(0, n - 1) & ~1
        lines[i:i + 2], lines[j:j + 2] = lines[j:j + 2], lines[i:i + 2]
    elif op == 3:  # delete one line: every pair after it is out of step
        del lines[i + rng.randrange(2)]
    elif op == 4:  # a random group code
        lines[i] = rng.choice(HOSTILE_CODES) if rng.random() < 0.3 else str(rng.randrange(-10, 1100)).encode()
    elif op == 5:  # a hostile value
        c = _code(lines[i])
        pool = HOSTILE_FLOATS if c is not None and _float_code(c) else HOSTILE_INTS if c is not None and _int_code(c) \
            else HOSTILE_TEXT + HOSTILE_FLOATS
        lines[i + 1] = rng.choice(pool)
    elif op == 6:  # insert random pairs
        for _ in range(rng.choice([1, 3])):
            code = rng.randrange(0, 1100)
            val = rng.choice(HOSTILE_FLOATS + HOSTILE_INTS + HOSTILE_TEXT + (b"SECTION", b"ENDSEC", b"EOF",
                                                                              b"INSERT", b"BLOCK", b"ENDBLK",
                                                                              b"SEQEND", b"LWPOLYLINE", b"HATCH"))
            if rng.random() < 0.3:
                code = 0
            lines[i:i] = [str(code).encode(), val]
    elif op == 7:  # a structure marker out of place
        lines[i:i] = [b"  0", rng.choice([b"SECTION", b"ENDSEC", b"EOF", b"ENDBLK", b"SEQEND", b"BLOCK", b"TABLE",
                                          b"ENDTAB", b"VERTEX", b"INSERT"])]
    else:  # move a block of lines elsewhere
        k = 2 * rng.choice([1, 5, 50])
        chunk = lines[i:i + k]
        del lines[i:i + k]
        j = rng.randrange(0, max(1, len(lines) - 1)) & ~1
        lines[j:j] = chunk


def group_codes(rng, seeds):
    """Pairs deleted, duplicated, swapped, out of step; random codes and values; misplaced markers."""
    lines = _lines(_pick(rng, seeds, ascii_only=True).data)
    for _ in range(rng.choice([1, 1, 2, 3, 8, 30])):
        _one_line_op(rng, lines)
    return b"\n".join(lines)


def hostile_numbers(rng, seeds):
    """NaN, inf, 1e308, garbage … in coordinates, radii, scales, angles and bulges."""
    lines = _lines(_pick(rng, seeds, ascii_only=True).data)
    targets = _pairs_where(lines, _float_code)
    if not targets:
        return b"\n".join(lines)
    for _ in range(rng.choice([1, 2, 5, 50])):
        i = rng.choice(targets)
        lines[i + 1] = rng.choice(HOSTILE_FLOATS[:20]) if rng.random() < 0.8 else rng.choice(HOSTILE_FLOATS)
    return b"\n".join(lines)


def _set_header(lines: list[bytes], var: bytes, code: bytes, value: bytes) -> list[bytes]:
    for i in range(len(lines) - 1):
        if lines[i].strip() == var:
            # the value pair follows the name pair ("  9 / $VAR / code / value")
            if i + 2 < len(lines):
                lines[i + 1] = code
                lines[i + 2] = value
            return lines
    for i in range(len(lines) - 1):
        if lines[i].strip() == b"HEADER":
            lines[i + 1:i + 1] = [b"  9", var, code, value]
            return lines
    return lines


def header_vars(rng, seeds):
    """Absurd $INSUNITS, $ACADVER, $DWGCODEPAGE, $EXTMIN/$EXTMAX, $MEASUREMENT."""
    lines = _lines(_pick(rng, seeds, ascii_only=True).data)
    for _ in range(rng.choice([1, 1, 2, 4])):
        which = rng.randrange(5)
        if which == 0:
            lines = _set_header(lines, b"$INSUNITS", b" 70",
                                rng.choice(HOSTILE_INTS + (b"3", b"7", b"8", b"9", b"13", b"17", b"20", b"21")))
        elif which == 1:
            lines = _set_header(lines, b"$ACADVER", b"  1", rng.choice(
                [b"AC1009", b"AC1006", b"AC1015", b"AC1032", b"AC9999", b"", b"AC", b"R12", b"\xff" * 8, b"AC1012"]))
        elif which == 2:
            lines = _set_header(lines, b"$DWGCODEPAGE", b"  3", rng.choice(
                [b"ANSI_936", b"ANSI_99999", b"", b"utf-8", b"ANSI_1252", b"x" * 300, b"ANSI_-1", b"dos437",
                 b"ANSI_950", b"mac-roman"]))
        elif which == 3:
            var = rng.choice([b"$EXTMIN", b"$EXTMAX", b"$INSBASE", b"$LIMMIN"])
            lines = _set_header(lines, var, b" 10", rng.choice(HOSTILE_FLOATS[:12]))
        else:
            lines = _set_header(lines, b"$MEASUREMENT", b" 70", rng.choice(HOSTILE_INTS))
    return b"\n".join(lines)


# --- drawn with ezdxf -----------------------------------------------------------------------------
def _finish(rng, doc) -> bytes:
    """Write the drawing (ASCII mostly, binary sometimes); now and then damage it a little too."""
    fmt = "bin" if rng.random() < 0.1 else "asc"
    try:
        data = _doc_bytes(doc, fmt)
    except Exception:  # noqa: BLE001 - ezdxf refuses to write some of what we did (an ellipse moved 1e300
        msp = doc.modelspace()  # away has no valid axis ratio left): without those entities, then nothing
        for e in list(msp.query("ELLIPSE")):
            msp.delete_entity(e)
        try:
            data = _doc_bytes(doc, fmt)
        except Exception:  # noqa: BLE001
            data = b""
    if fmt == "asc" and data and rng.random() < 0.15:
        lines = _lines(data)
        _one_line_op(rng, lines)
        data = b"\n".join(lines)
    return data


def _size(rng: random.Random, scale: str, small: list[int], big: list[int]) -> int:
    """One of ``small``; at bench scale, one of ``big`` one time in six (big inputs are slow to check)."""
    return rng.choice(big) if scale != "test" and rng.random() < 1 / 6 else rng.choice(small)


def blocks_recursive(rng, seeds, scale="test"):
    """Block A inserting A, cycles A→B→…→A, on wall/door/counter/furniture layers and names."""
    doc = base_doc(rng)
    msp = doc.modelspace()
    n = rng.choice([1, 1, 2, 3, 5])
    kind = rng.choice(["WALLBLK", "M1021X", "柜台X", "座椅X", "PLAIN", "C1515X"])
    names = [f"{kind}{i}" for i in range(n)]
    for i, name in enumerate(names):
        b = doc.blocks.new(name)
        b.add_line((0, 0), (1000, 0), dxfattribs={"layer": rng.choice(ROLE_LAYERS)})
        b.add_lwpolyline([(0, 0), (900, 0), (900, 900), (0, 900)], close=True,
                         dxfattribs={"layer": rng.choice(ROLE_LAYERS)})
        b.add_blockref(names[(i + 1) % n], (rng.choice([0, 10, 1000]), 0),
                       dxfattribs={"layer": rng.choice(ROLE_LAYERS),
                                   "xscale": rng.choice([1, 1, 2, 0.5, -1])})
    for _ in range(rng.choice([1, 2])):
        msp.add_blockref(rng.choice(names), (1000, 1000), dxfattribs={"layer": rng.choice(ROLE_LAYERS)})
    return _finish(rng, doc)


def blocks_deep(rng, seeds, scale="test"):
    """A chain of nested blocks, each inserting the previous one, ending in wall or door geometry."""
    doc = base_doc(rng)
    n = _size(rng, scale, [9, 10, 30, 100], [500, 2000])
    b = doc.blocks.new("D0")
    b.add_line((0, 0), (1000, 0), dxfattribs={"layer": rng.choice(ROLE_LAYERS)})
    for i in range(1, n):
        b = doc.blocks.new(f"D{i}")
        b.add_blockref(f"D{i - 1}", (rng.choice([0, 1]), 0), dxfattribs={"layer": rng.choice(["0", "WALL"])})
    top = rng.choice([f"D{n - 1}", "M1021DEEP"])
    if top == "M1021DEEP":
        doc.blocks.new(top).add_blockref(f"D{n - 1}", (0, 0))
    doc.modelspace().add_blockref(top, (500, 500), dxfattribs={"layer": rng.choice(ROLE_LAYERS)})
    return _finish(rng, doc)


def blocks_fanout(rng, seeds, scale="test"):
    """Each level inserts the one below k times: k**depth entities once exploded (a block bomb)."""
    doc = base_doc(rng)
    k = rng.choice([2, 3, 5, 10])
    depth = _size(rng, scale, [2, 3, 4, 6, 8, 9], [12, 20])
    leaf_layer = rng.choice(["WALL", "SPACE", "0", "COLUMN", "PUB_FURN"])
    b = doc.blocks.new("F0")
    b.add_line((0, 0), (100, 0), dxfattribs={"layer": leaf_layer})
    b.add_lwpolyline([(0, 0), (50, 0), (50, 50)], close=True, dxfattribs={"layer": leaf_layer})
    for i in range(1, depth + 1):
        b = doc.blocks.new(f"F{i}")
        for j in range(k):
            b.add_blockref(f"F{i - 1}", (j * 7, i * 3))
    top = rng.choice([f"F{depth}", f"F{depth}", "M0900BOMB", "柜台BOMB"])
    if top != f"F{depth}":
        doc.blocks.new(top).add_blockref(f"F{depth}", (0, 0))
    doc.modelspace().add_blockref(top, (500, 500), dxfattribs={"layer": rng.choice(["0", "WALL", "DOOR_FIRE"])})
    return _finish(rng, doc)


def blocks_lattice(rng, seeds, scale="test"):
    """Levels of two blocks, each inserting both blocks of the level below: 2**levels paths through
    distinct names (what a cycle check without memory walks), often in a file that needs recovering."""
    doc = base_doc(rng)
    levels = _size(rng, scale, [4, 10, 20, 24], [30, 40])
    for side in "AB":
        doc.blocks.new(f"L{levels}{side}").add_line((0, 0), (100, 0), dxfattribs={"layer": rng.choice(ROLE_LAYERS)})
    for i in range(levels - 1, -1, -1):
        for side in "AB":
            b = doc.blocks.new(f"L{i}{side}")
            b.add_blockref(f"L{i + 1}A", (0, 0))
            b.add_blockref(f"L{i + 1}B", (5, 5))
    doc.modelspace().add_blockref("L0A", (500, 500), dxfattribs={"layer": rng.choice(["0", "WALL", "DOOR_FIRE"])})
    data = _finish(rng, doc)
    if rng.random() < 0.5:  # no EOF marker: ezdxf.readfile gives up, the recover path (and its audit) runs
        data = data.replace(b"\nEOF", b"\nXXX")
    return data


def inserts_hostile(rng, seeds, scale="test"):
    """Zero, negative, NaN and huge scales and rotations on INSERTs; MINSERT arrays; odd extrusions."""
    doc = base_doc(rng)
    msp = doc.modelspace()
    inserts = list(msp.query("INSERT"))
    for e in inserts:
        if rng.random() < 0.6:
            for attr in ("xscale", "yscale", "zscale", "rotation"):
                if rng.random() < 0.4:
                    e.dxf.set(attr, rng.choice(WILD + (0.0, -1.0, -0.001, 1e-12)))
        if rng.random() < 0.15:
            e.dxf.extrusion = rng.choice([(0, 0, -1), (1, 0, 0), (0, 0, 1e-300), (math.nan, 0, 1), (0, 1, 0)])
        if rng.random() < 0.15:
            e.dxf.row_count = rng.choice([0, 2, 1000, 100000, 2**31 - 1])
            e.dxf.column_count = rng.choice([0, 2, 1000, 100000, 2**31 - 1])
            e.dxf.row_spacing = rng.choice([0.0, 1.0, math.nan, 1e300])
            e.dxf.column_spacing = rng.choice([0.0, 1.0, -1.0])
    # a door block inserted with a degenerate matrix, and a block with no geometry at all
    name = rng.choice(["M1021", "C1515", "柜台"])
    if name in doc.blocks:
        msp.add_blockref(name, (rng.choice(WILD), 0), dxfattribs={"layer": rng.choice(ROLE_LAYERS),
                                                                   "xscale": rng.choice(WILD)})
    doc.blocks.new("M0000EMPTY")
    msp.add_blockref("M0000EMPTY", (0, 0), dxfattribs={"layer": "DOOR_FIRE"})
    if rng.random() < 0.2:  # a door block holding a MINSERT array (ezdxf.bbox expands rows × columns)
        doc.blocks.new("LEAF").add_line((0, 0), (10, 0))
        door = doc.blocks.new("M0900ARRAY")
        arr = door.add_blockref("LEAF", (0, 0))
        # test scale stays small: a door holding 1,000 × 1,000 takes a minute today (open bug, pinned by
        # test_door_block_bomb); 10,000 × 10,000 and more are refused at once
        arr.dxf.row_count = _size(rng, scale, [2, 10, 10000, 2**31 - 1], [1000])
        arr.dxf.column_count = _size(rng, scale, [2, 10, 10000], [1000])
        arr.dxf.row_spacing = arr.dxf.column_spacing = 1.0
        msp.add_blockref("M0900ARRAY", (0, 0), dxfattribs={"layer": "DOOR_FIRE"})
    return _finish(rng, doc)


def polylines_degenerate(rng, seeds, scale="test"):
    """Polylines with 0, 1, 2 or repeated vertices, collinear, self-crossing, with wild bulges."""
    doc = base_doc(rng)
    msp = doc.modelspace()
    shapes = [[], [(0, 0)], [(0, 0), (1000, 0)], [(0, 0), (0, 0), (0, 0)], [(5, 5)] * 10,
              [(0, 0), (1000, 0), (2000, 0)], [(0, 0), (1000, 1000), (1000, 0), (0, 1000)],
              [(0, 0), (1000, 0), (1000, 0), (1000, 1000), (0, 1000), (0, 0)],
              [(0, 0), (1e-9, 0), (1e-9, 1e-9)]]
    for _ in range(rng.choice([1, 3, 10])):
        pts = list(rng.choice(shapes))
        layer = rng.choice(ROLE_LAYERS)
        closed = rng.random() < 0.7
        kind = rng.randrange(4)
        if kind == 0:
            fmt_pts = [(x, y, 0, 0, rng.choice([0, 0, 1, -1, 1e300, math.nan, math.inf, 1e-300])) for x, y in pts]
            e = msp.add_lwpolyline([], dxfattribs={"layer": layer})
            if fmt_pts:
                e.set_points(fmt_pts, format="xyseb")
            e.closed = closed
        elif kind == 1:
            e = msp.add_polyline2d(pts, close=closed, dxfattribs={"layer": layer})
        elif kind == 2:
            msp.add_polyline3d([(x, y, rng.choice([0, 1e300])) for x, y in pts], close=closed,
                               dxfattribs={"layer": layer})
        else:
            pf = msp.add_polyface(dxfattribs={"layer": layer})
            if len(pts) >= 3:
                pf.append_face([(x, y, 0) for x, y in pts[:4]])
    return _finish(rng, doc)


def hatch_broken(rng, seeds, scale="test"):
    """Hatches with empty, open, degenerate and non-finite boundary paths."""
    doc = base_doc(rng)
    msp = doc.modelspace()
    for _ in range(rng.choice([1, 2, 4])):
        h = msp.add_hatch(dxfattribs={"layer": rng.choice(ROLE_LAYERS)})
        for _ in range(rng.choice([0, 1, 2, 3])):
            kind = rng.randrange(3)
            if kind == 0:
                pts = rng.choice([[], [(0, 0)], [(0, 0), (1, 1)], [(0, 0)] * 3,
                                  [(0, 0), (3000, 0), (3000, 3000), (0, 3000)],
                                  [(0, 0), (rng.choice(WILD), 0), (3000, 3000)]])
                h.paths.add_polyline_path(pts, is_closed=rng.random() < 0.5)
            elif kind == 1:
                ep = h.paths.add_edge_path()
                for _ in range(rng.choice([0, 1, 2, 4])):
                    e = rng.randrange(4)
                    if e == 0:
                        ep.add_line((rng.choice([0, 100]), 0), (rng.choice([0, 1000, 1e300]), 1000))
                    elif e == 1:
                        ep.add_arc((0, 0), rng.choice([0.0, 1.0, 1000.0, 1e12]), rng.choice([0, 90, math.nan]),
                                   rng.choice([0, 360, 1e10]))
                    elif e == 2:
                        el = ep.add_ellipse((0, 0), (rng.choice([1, 1000, 1e12]), 0), ratio=0.5,
                                            start_angle=0, end_angle=rng.choice([0, 180, 360]))
                        el.ratio = rng.choice([0.0, 0.5, 1.0, 2.0, math.nan, -1.0])  # past ezdxf's own check
                    else:
                        ep.add_spline(control_points=[(0, 0), (1000, 1000), (2000, 0), (3000, 1000)],
                                      knot_values=rng.choice([None, [0, 0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0],
                                                              [1, 0, 1, 0, 1, 0, 1, 0]]),
                                      degree=rng.choice([3, 3, 1, 0, 10]))
            else:
                h.paths.add_polyline_path([(0, 0), (1000, 0), (1000, 1000)], is_closed=True, flags=rng.choice([0, 1, 16]))
    return _finish(rng, doc)


def extreme_geometry(rng, seeds, scale="test"):
    """Lines, arcs, circles, solids and room outlines with huge, tiny or non-finite coordinates."""
    doc = base_doc(rng)
    msp = doc.modelspace()
    big = rng.choice([1e6, 1e9, 1e12, 1e15, 1e30, 1e100, 1e300])
    for _ in range(rng.choice([1, 2, 5])):
        layer = rng.choice(ROLE_LAYERS[:8])
        kind = rng.randrange(7)
        w = rng.choice(WILD + (big, -big))
        if kind == 0:
            msp.add_line((w, 0), (1000, rng.choice([0, w])), dxfattribs={"layer": layer})
        elif kind == 1:
            msp.add_arc((rng.choice([0, w]), 0), rng.choice([w, big, 1e-9, 0.0]), rng.choice([0, w]),
                        rng.choice([180, 359.999, w]), dxfattribs={"layer": layer})
        elif kind == 2:
            msp.add_circle((0, rng.choice([0, w])), rng.choice([w, big, 0.0, -5.0]), dxfattribs={"layer": layer})
        elif kind == 3:
            msp.add_solid([(0, 0), (w, 0), (0, 1000), (w, 1000)], dxfattribs={"layer": layer})
        elif kind == 4:  # a room outline of absurd size
            s = rng.choice([big, w])
            msp.add_lwpolyline([(0, 0), (s, 0), (s, s), (0, s)], close=True, dxfattribs={"layer": layer})
        elif kind == 5:
            el = msp.add_ellipse((0, 0), (1000, 0), ratio=0.5, dxfattribs={"layer": layer})
            el.dxf.unprotected_set("major_axis", Vec3(rng.choice([w, 1000.0]), 0, 0))  # past ezdxf's checks
            el.dxf.unprotected_set("ratio", rng.choice([0.5, 1e-6, 1.0]))  # others: ezdxf will not write
        else:  # everything moved far away (survey coordinates gone wrong)

            m = Matrix44.translate(rng.choice([big, -big]), rng.choice([0, big]), 0)
            for e in list(msp):
                try:
                    e.transform(m)
                except Exception:  # noqa: BLE001
                    pass
    return _finish(rng, doc)


def text_hostile(rng, seeds, scale="test"):
    """Long, malformed and numeric-looking labels inside rooms; wild text heights and attributes."""
    doc = base_doc(rng)
    msp = doc.modelspace()
    long_n = _size(rng, scale, [100, 2000, 5000], [50_000, 200_000])
    pool = [
        "服务大厅" * (long_n // 4),
        "1" * long_n,
        "1" + " " * long_n + "1",
        " ".join(["5065"] * (long_n // 5)) + " X",
        "面积" + "1" * long_n + "m",
        "1e400㎡", "99999999999999999999999999㎡", "0㎡", "-0.0㎡", "1,5㎡", "nan㎡", "服务大厅 1e309㎡",
        "\x00\x01\x02", "\ud800", "{\\fSimSun;服务大厅}\\P档案室", "\\U+D800\\U+DFFF", "等候区" * 50,
        "5065 X 3350" * 100, "%%c%%d%%p", "\\S1^" * 100,
        # what Chinese drawing sets write: view titles, scales, stated areas, labels with field names
        "一层平面图", "1:100", "1:0", "本层建筑面积：", "建筑面积：" + " " * long_n, "建筑面积为1,2,3,4m",
        "总建筑面积：1e400m2", "地下九十九层平面图", "①-④立面图", "一层顶棚平面图", "一层平面布置图",
        "房间名称：" + "办" * long_n, "房间编号：1\\P房间名称：办公室\\P使用面积：nan㎡\\P建筑面积：-1㎡",
        "房间名称：\\P\\P使用面积：", "工程名称：某街道办公楼", "（经济管理学院）", "坡度 1:0", "i=" + "9" * long_n + "%",
        *MARKUP_AND_ESCAPES, "档案室" + "啊" * long_n,  # room names no output may obey (issue 17.2)
    ]
    for _ in range(rng.choice([1, 2, 4])):
        text = rng.choice(pool)
        where = (rng.choice([1500, 3000, 4500]), rng.choice([1200, 2500, 3800]))
        attribs = {"layer": rng.choice(["PUB_TEXT", "SPACE", "0", "A-AREA-IDEN", "LCHOSTILE0", "LCHOSTILE1",
                                        "LCHOSTILE2", "LCHOSTILE3", "LCHOSTILE4"])}
        h = rng.choice([300.0, 300.0, 0.0, -10.0, math.nan, math.inf, 1e300, 1e-300])
        if rng.random() < 0.5:
            e = msp.add_text(text, height=h, dxfattribs=attribs)
            e.dxf.insert = where
            if rng.random() < 0.3:
                e.dxf.halign = rng.choice([0, 3, 5, 99, -1])
                e.dxf.valign = rng.choice([0, 3, 99])
                e.dxf.align_point = (rng.choice(WILD), 0)
            if rng.random() < 0.2:
                e.dxf.rotation = rng.choice(WILD)
            if rng.random() < 0.2:
                e.dxf.width = rng.choice([0.0, -1.0, math.nan, 1e300])
        else:
            e = msp.add_mtext(text, dxfattribs=attribs)
            e.dxf.insert = where
            e.dxf.char_height = h
            if rng.random() < 0.3:
                e.dxf.attachment_point = rng.choice([1, 5, 9])
                e.dxf.width = rng.choice([0.0, -1.0, math.nan, 1e300])
    for ins in msp.query("INSERT"):
        if rng.random() < 0.5:
            tag = rng.choice(["HEIGHT", "H", "高度", "台面高度"])
            value = rng.choice(["nan", "inf", "-inf", "1e309", "-760", "0", "760cm", "0.76m", "", "abc", "1e-320",
                                "999999999999999999999", "760" * 1000])
            ins.add_attrib(tag, value, (0, 0))
    data = _finish(rng, doc)
    if data[:22] != BINARY_SENTINEL[:22]:  # names ezdxf refuses to create, written into the file instead
        for i, layer in enumerate(HOSTILE_LAYERS(long_n)):
            data = data.replace(b"LCHOSTILE%d" % i, layer.encode("utf-8"))
    return data


def many_outlines(rng, seeds, scale="test"):
    """Many identical or overlapping room outlines and labels (quadratic work in de-duplication)."""
    doc = base_doc(rng)
    msp = doc.modelspace()
    n = _size(rng, scale, [20, 100], [1000, 4000])
    for i in range(n):
        d = rng.choice([0, i % 7, i * 10])
        msp.add_lwpolyline([(d, d), (3000 + d, d), (3000 + d, 3000 + d), (d, 3000 + d)], close=True,
                           dxfattribs={"layer": rng.choice(["SPACE", "A-AREA-ZONE", "A-AREA-GROS", "WALL"])})
        if rng.random() < 0.3:
            msp.add_text(rng.choice(["服务大厅", "档案室", "9.00㎡", "等候区"]), height=300,
                         dxfattribs={"layer": "PUB_TEXT"}).dxf.insert = (d + 1500, d + 1500)
    return _finish(rng, doc)


def wall_grid(rng, seeds, scale="test"):
    """n × n crossing lines on a wall layer (an exploded hatch pattern): n² faces to polygonise."""
    doc = base_doc(rng)
    msp = doc.modelspace()
    n = _size(rng, scale, [10, 50, 100], [400, 1500])
    layer = rng.choice(["WALL", "WALL_HATCH", "A-WALL-PATT", "SPACE", "COLUMN"])
    step = rng.choice([5.0, 10.0, 100.0])
    for i in range(n):
        msp.add_line((i * step, -100), (i * step, n * step + 100), dxfattribs={"layer": layer})
        msp.add_line((-100, i * step), (n * step + 100, i * step), dxfattribs={"layer": layer})
    return _finish(rng, doc)


def _zigzag(n: int, r: float, teeth: float, cx: float = 6000.0, cy: float = 5250.0) -> list[tuple[float, float]]:
    return [(cx + (r + teeth * (i % 2)) * math.cos(2 * math.pi * i / n),
             cy + (r + teeth * (i % 2)) * math.sin(2 * math.pi * i / n)) for i in range(n)]


def _outline(rng, msp, pts: list[tuple[float, float]], layer: str) -> None:
    """``pts`` as a closed LWPOLYLINE, 2D POLYLINE or HATCH boundary."""
    # a 2D POLYLINE is one VERTEX entity per point: beyond 20,000 points ezdxf alone takes seconds to read it
    kind = rng.randrange(3) if len(pts) <= 20_000 else rng.choice([0, 2])
    if kind == 0:
        msp.add_lwpolyline(pts, close=True, dxfattribs={"layer": layer})
    elif kind == 1:
        msp.add_polyline2d(pts, close=True, dxfattribs={"layer": layer})
    else:
        msp.add_hatch(dxfattribs={"layer": layer}).paths.add_polyline_path(pts, is_closed=True)


def zigzag_walls(rng, seeds, scale="test"):
    """Issue 17's repro: a closed outline zig-zagging between two radii (teeth of 5–30 mm, 2.5 mm apart at
    n = 5,000) inside the sample station. A GEOS buffer of it grows with n × the teeth within its distance:
    n = 20,000 took 23.7 GB. Over 2,000 vertices it must be simplified or left out (drawing.* finding)."""
    doc = ezdxf_read_sample(rng, seeds)
    msp = doc.modelspace()
    n = _size(rng, scale, [200, 2_500, 20_000], [1_999, 5_000, 20_000, 200_000])
    teeth = rng.choice([30.0, 30.0, 5.0, 300.0])
    for _ in range(rng.choice([1, 1, 2])):
        _outline(rng, msp, _zigzag(n, rng.choice([2000.0, 500.0]), teeth), rng.choice(["WALL", "WALL", "SPACE",
                                                                                     "COLUMN", "A-AREA-GROS"]))
    return _finish(rng, doc)


def huge_vertex_counts(rng, seeds, scale="test"):
    """Smooth outlines of very many vertices (a circle traced point by point, a survey contour): simplified
    to 10 mm when that brings them under the cap, left out beyond 50,000 vertices."""
    doc = ezdxf_read_sample(rng, seeds)
    msp = doc.modelspace()
    n = _size(rng, scale, [2_001, 10_000, 52_000], [100_000, 1_000_000])
    r = rng.choice([2000.0, 50.0, 2e5])
    pts = [(20000 + r * math.cos(2 * math.pi * i / n), r * math.sin(2 * math.pi * i / n)) for i in range(n)]
    _outline(rng, msp, pts, rng.choice(["WALL", "SPACE", "COLUMN", "A-AREA-GROS", "0"]))
    return _finish(rng, doc)


def ezdxf_read_sample(rng, seeds):
    """The sample station as an ezdxf document (the hostile outline is added to a real plan)."""
    import ezdxf

    return ezdxf.readfile(PLANS / rng.choice(["station-tier2-ok.dxf", "station-faulty.dxf"]))


# --- whole files ------------------------------------------------------------------------------------
def random_bytes(rng, seeds):
    n = rng.choice([0, 1, 2, 16, 300, 4096, 5000])
    return bytes(rng.randrange(256) for _ in range(n))


def almost_dxf(rng, seeds):
    """Text that starts like a DXF and then is not: comments only, a lone SECTION, whitespace."""
    junk = bytes(rng.randrange(32, 127) for _ in range(rng.choice([0, 10, 500])))
    return rng.choice([
        b"  0\nSECTION\n" + junk,
        b"  0\nSECTION\n  2\nENTITIES\n" + junk,
        b"999\ncomment\n" * rng.choice([1, 100]) + junk,
        b"999\ncomment\n" * rng.choice([1, 3]) + b"  0\nSECTION\n  2\nHEADER\n  0\nENDSEC\n  0\nEOF\n",
        b"  0\nSECTION\n  2\nENTITIES\n  0\nENDSEC\n  0\nEOF\n",
        b"  0\nEOF\n",
        b"\n" * rng.choice([1, 1000]) + b"  0\nSECTION\n" + junk,
        b" \t\r\n" * 100,
        b"0\r\nSECTION\r\n2\r\nENTITIES\r\n0\r\nLINE\r\n8\r\nWALL\r\n10\r\n0\r\n20\r\n0\r\n11\r\n1000\r\n21\r\n0\r\n0\r\nENDSEC\r\n0\r\nEOF\r\n",
        b"0\rSECTION\r2\rENTITIES\r0\rENDSEC\r0\rEOF\r",  # old Mac line ends
        b"\xef\xbb\xbf" * 2 + b"  0\nSECTION\n" + junk,
    ])


def binary_junk(rng, seeds):
    """The binary-DXF sentinel, then junk (or a damaged real binary DXF)."""
    if rng.random() < 0.5:
        n = rng.choice([0, 1, 2, 3, 10, 1000])
        return BINARY_SENTINEL[: rng.choice([len(BINARY_SENTINEL), 18, 20])] + bytes(
            rng.randrange(256) for _ in range(n))
    data = bytearray(_pick(rng, [s for s in seeds if s.binary] or seeds).data)
    for _ in range(rng.choice([1, 5, 50])):
        i = rng.randrange(len(BINARY_SENTINEL), len(data))
        data[i] = rng.randrange(256)
    if rng.random() < 0.5:
        del data[rng.randrange(len(BINARY_SENTINEL), len(data)):]
    return bytes(data)


def dwg_magic(rng, seeds):
    head = rng.choice([b"AC1032", b"AC1027", b"AC1015", b"AC1009", b"AC1000", b"AC9999", b"AC1", b"AC10",
                       b"AC1.50", b"MC0.0", b"AC2.10", b"AC1032" + b"\xff" * 2])
    return head + bytes(rng.randrange(256) for _ in range(rng.choice([0, 6, 200, 2000])))


def encodings(rng, seeds):
    """A real drawing re-encoded: UTF-16 (LE/BE, with and without BOM), UTF-32, UTF-8 BOMs, GBK."""
    seed = _pick(rng, seeds, ascii_only=True)
    text = seed.data.decode("utf-8", errors="replace")
    how = rng.randrange(8)
    if how == 0:
        return text.encode("utf-16")  # BOM + LE
    if how == 1:
        return text.encode("utf-16-be")
    if how == 2:
        return text.encode("utf-16-le")
    if how == 3:
        return text.encode("utf-32")
    if how == 4:
        return b"\xef\xbb\xbf" + seed.data
    if how == 5:
        return b"\xff\xfe" + seed.data  # a UTF-16 BOM on UTF-8 text
    if how == 6:
        return text.encode("gb18030", errors="replace")  # no code page says so
    data = seed.data.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\r", b"\x85"]))
    return data


# --- registry -------------------------------------------------------------------------------------
Generator = Callable[..., bytes]

# name → (function, weight in the bench's mix, takes ``scale``)
GENERATORS: dict[str, tuple[Generator, int, bool]] = {
    "truncate": (truncate, 10, False),
    "byte_flips": (byte_flips, 10, False),
    "chunk_ops": (chunk_ops, 6, False),
    "splice": (splice, 3, False),
    "group_codes": (group_codes, 14, False),
    "hostile_numbers": (hostile_numbers, 10, False),
    "header_vars": (header_vars, 5, False),
    "blocks_recursive": (blocks_recursive, 4, True),
    "blocks_deep": (blocks_deep, 2, True),
    "blocks_fanout": (blocks_fanout, 3, True),
    "blocks_lattice": (blocks_lattice, 2, True),
    "inserts_hostile": (inserts_hostile, 5, True),
    "polylines_degenerate": (polylines_degenerate, 5, True),
    "hatch_broken": (hatch_broken, 5, True),
    "extreme_geometry": (extreme_geometry, 6, True),
    "text_hostile": (text_hostile, 5, True),
    "many_outlines": (many_outlines, 2, True),
    "wall_grid": (wall_grid, 1, True),
    "zigzag_walls": (zigzag_walls, 2, True),
    "huge_vertex_counts": (huge_vertex_counts, 1, True),
    "random_bytes": (random_bytes, 2, False),
    "almost_dxf": (almost_dxf, 2, False),
    "binary_junk": (binary_junk, 3, False),
    "dwg_magic": (dwg_magic, 1, False),
    "encodings": (encodings, 3, False),
}


def generate(name: str, rng: random.Random, seeds: list[Seed], scale: str = "test") -> bytes:
    fn, _, scaled = GENERATORS[name]
    return fn(rng, seeds, scale) if scaled else fn(rng, seeds)


def pick_generator(rng: random.Random) -> str:
    names = list(GENERATORS)
    return rng.choices(names, weights=[GENERATORS[n][1] for n in names])[0]


# Option sets the check is run with (all JSON): the defaults, a population (area rules decide), English,
# a community, a forced unit.
OPTION_SETS: tuple[tuple[str, ...], ...] = (
    (),
    ("--population", "30000"),
    ("--lang", "en", "--population", "60000"),
    ("--kind", "community"),
    ("--units", "m"),
)


# --- running one input and judging the outcome -------------------------------------------------------
@dataclass
class Outcome:
    code: int
    out: str
    err: str
    warnings: list[str]
    seconds: float


def run_check(path: str | os.PathLike[str], options: tuple[str, ...] = ()) -> Outcome:
    """``layoutcheck check PATH --format json [options]`` in this process, as ``main`` runs it.

    Python warnings are recorded rather than printed: in a real run they would be extra stderr lines.
    """
    import contextlib
    import time
    import warnings

    from layoutcheck.cli import main

    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        warnings.simplefilter("always")
        code = main(["check", os.fspath(path), "--format", "json", *options])
    return Outcome(code, out.getvalue(), err.getvalue(), [f"{w.category.__name__}: {w.message}" for w in caught],
                   time.perf_counter() - started)


def _reject_constant(name: str):
    raise ValueError(f"not JSON: {name}")


def problems(o: Outcome, path: str | os.PathLike[str]) -> list[str]:
    """What is wrong with an outcome, by the CLI's contract (an empty list: nothing)."""
    import json

    path = os.fspath(path)
    found = []
    if o.code not in (0, 1, 2):
        found.append(f"exit code {o.code}")
    if "Traceback" in o.err or "Traceback" in o.out:
        found.append("traceback printed")
    if o.code == 2 and "LAYOUTCHECK_TIMEOUT" in o.err:
        found.append("stopped by the check's own time limit (a hang)")
    if o.code == 2:
        lines = o.err.splitlines()
        if len(lines) != 1:
            found.append(f"exit 2 with {len(lines)} stderr lines")
        elif path not in lines[0]:
            found.append("exit 2 without the path on its stderr line")
        if o.warnings:
            found.append(f"exit 2 with {len(o.warnings)} warnings (extra stderr lines)")
        if o.out:
            found.append("exit 2 with output on stdout")
    elif o.code in (0, 1):
        try:
            report = json.loads(o.out, parse_constant=_reject_constant)  # NaN / Infinity are not JSON
            if not isinstance(report, dict) or report.get("verdict") not in ("pass", "fail"):
                found.append("report without a verdict")
            elif (report["verdict"] == "fail") != (o.code == 1):
                found.append(f"verdict {report['verdict']} but exit {o.code}")
        except ValueError as exc:
            found.append(f"stdout is not JSON ({str(exc)[:80]})")
        else:
            if _has_control(report):
                found.append("control character in a report string (issue 17.2: clean text out)")
    if _CONTROL.search(o.err):
        found.append("control character on stderr")
    return found


_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _has_control(value) -> bool:
    """Does any string (key or value) in a parsed report hold a C0 (but \\n), DEL or C1 character?"""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if _CONTROL.search(v):
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False
