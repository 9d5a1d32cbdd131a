"""Hostile input (issue 7): no file gives a traceback, exit code 3 or a hang — and batch output stays put.

Property tests (hypothesis, derandomized so CI sees the same inputs every run) feed ``layoutcheck check
PATH --format json`` the generators of ``tests/fuzzgen.py`` — mutated sample plans and small corpus
drawings, hostile drawings made with ezdxf, junk files — and hold it to the CLI's contract:

* the exit code is 0, 1 or 2 (3 is a crash);
* on 2, stderr is exactly one line and it names the file; nothing on stdout;
* on 0 or 1, stdout is strict JSON (no NaN / Infinity) with a verdict matching the exit code.

Hangs: the check's own time limit (``LAYOUTCHECK_TIMEOUT``, set low here) turns a Python-level hang into
a failure; ``faulthandler`` ends the run with a stack dump if one gets stuck inside C code; and the
nastiest generated files are also run in child processes held to a CPU-time limit (``SLOW_CPU_S``,
RLIMIT_CPU and ``os.wait4``'s count: not wall time, which on a shared machine measures the load).

``bench/fuzz.py`` runs the same generators for tens of thousands of inputs. Bugs it found that are
still open are pinned below as strict xfails, each with a minimal reproducer: remove the marker when
the fix lands.
"""

from __future__ import annotations

import concurrent.futures
import csv
import faulthandler
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ezdxf
import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from layoutcheck import samples

from . import fuzzgen as G
from .conftest import PLANS, wait_or_kill

CHECK_TIMEOUT_S = 20  # LAYOUTCHECK_TIMEOUT for the in-process runs: the plans here take well under 2 s
HARD_TIMEOUT_S = 90  # stuck in C code past this: dump every stack and end the test run
CHILD_TIMEOUT_S = 30  # per file, for the runs in child processes
FAILURES = Path(tempfile.gettempdir()) / "layoutcheck-fuzz-failures"

FUZZ = settings(deadline=None, derandomize=True, database=None, phases=(Phase.explicit, Phase.generate),
                suppress_health_check=list(HealthCheck))

BYTE_AND_CODE = ["truncate", "byte_flips", "chunk_ops", "splice", "group_codes", "hostile_numbers", "header_vars"]
DRAWN = ["blocks_recursive", "blocks_deep", "blocks_fanout", "blocks_lattice", "inserts_hostile",
         "polylines_degenerate", "hatch_broken", "extreme_geometry", "text_hostile", "many_outlines", "wall_grid",
         "zigzag_walls", "huge_vertex_counts"]
WHOLE_FILE = ["random_bytes", "almost_dxf", "binary_junk", "dwg_magic", "encodings"]
assert sorted(BYTE_AND_CODE + DRAWN + WHOLE_FILE) == sorted(G.GENERATORS)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Where inputs are written: a path with spaces, CJK and "#", which every error line must repeat."""
    old = os.environ.get("LAYOUTCHECK_TIMEOUT")
    os.environ["LAYOUTCHECK_TIMEOUT"] = str(CHECK_TIMEOUT_S)
    d = tmp_path_factory.mktemp("fuzz") / "图纸  fuzz #1"  # two spaces: the error line must keep both
    d.mkdir()
    yield d
    if old is None:
        os.environ.pop("LAYOUTCHECK_TIMEOUT", None)
    else:
        os.environ["LAYOUTCHECK_TIMEOUT"] = old


@pytest.fixture(scope="module")
def seeds():
    return G.load_seeds()


_count = [0]


def check_contract(folder: Path, name: str, data: bytes, options: tuple[str, ...] = ()) -> G.Outcome:
    _count[0] += 1
    path = folder / f"{name} {_count[0]}.dxf"
    path.write_bytes(data)
    faulthandler.dump_traceback_later(HARD_TIMEOUT_S, exit=True)
    try:
        outcome = G.run_check(path, options)
    finally:
        faulthandler.cancel_dump_traceback_later()
    found = G.problems(outcome, path)
    if outcome.seconds > 0.75 * CHECK_TIMEOUT_S:  # stopped by the time limit — or past it, the limit swallowed
        found.append(f"took {outcome.seconds:.0f} s (a hang)")
    if found:
        FAILURES.mkdir(parents=True, exist_ok=True)
        kept = FAILURES / path.name
        shutil.copyfile(path, kept)
        pytest.fail(f"{found}: layoutcheck check {kept} --format json {' '.join(options)}\n"
                    f"exit {outcome.code}, {outcome.seconds:.1f} s\nstderr: {outcome.err[-3000:]}\n"
                    f"warnings: {outcome.warnings[:3]}", pytrace=False)
    path.unlink()
    return outcome


# --- properties ---------------------------------------------------------------------------------------
@settings(FUZZ, max_examples=110)
@given(name=st.sampled_from(BYTE_AND_CODE), seed=st.integers(0, 2**32 - 1), options=st.sampled_from(G.OPTION_SETS))
def test_mutated_plans(folder, seeds, name, seed, options):
    """Truncation, byte flips, deleted / duplicated / swapped group-code pairs, random codes and values,
    NaN / inf / 1e308 coordinates, absurd $INSUNITS — on the sample plans and small corpus drawings."""
    data = G.generate(name, random.Random(seed), seeds, "test")
    note(f"{name} seed {seed}: {len(data)} bytes")
    check_contract(folder, name, data, options)


@settings(FUZZ, max_examples=60)
@given(name=st.sampled_from(DRAWN), seed=st.integers(0, 2**32 - 1))
def test_hostile_drawings(folder, seeds, name, seed):
    """Self-inserting, cyclic, deep and fanned-out blocks; zero / negative / NaN insert scales; polylines
    of 0–2 or repeated vertices; broken hatches; huge and tiny coordinates; hostile text and attributes."""
    data = G.generate(name, random.Random(seed), seeds, "test")
    note(f"{name} seed {seed}: {len(data)} bytes")
    check_contract(folder, name, data)


@settings(FUZZ, max_examples=60)
@given(name=st.sampled_from(WHOLE_FILE), seed=st.integers(0, 2**32 - 1))
def test_junk_files(folder, seeds, name, seed):
    """Random bytes, the binary-DXF sentinel and junk, DWG magic, UTF-16 / UTF-32 / BOMs, near-DXF text."""
    data = G.generate(name, random.Random(seed), seeds, "test")
    outcome = check_contract(folder, name, data)
    if not data.strip():
        assert outcome.code == 2


def _child(args: list[str], timeout: float = CHILD_TIMEOUT_S, env: dict | None = None):
    """``layoutcheck ARGS`` in a child process; (exit code or None when killed at ``timeout``, stdout, stderr)."""
    cmd = [sys.executable, "-c", "import sys; from layoutcheck.cli import main; sys.exit(main(sys.argv[1:]))", *args]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired as exc:
        return None, exc.stdout or "", exc.stderr or ""
    return p.returncode, p.stdout, p.stderr


NASTY = [("blocks_fanout", 3), ("blocks_lattice", 5), ("blocks_recursive", 4), ("hatch_broken", 7),
         ("extreme_geometry", 9), ("text_hostile", 6)]


def test_nastiest_inputs_in_child_processes(tmp_path, seeds):
    """A stuck child is killed after CHILD_TIMEOUT_S: a hang fails here even inside C code."""
    jobs = []
    for name, i in NASTY:
        p = tmp_path / f"{name}-{i}.dxf"
        p.write_bytes(G.generate(name, random.Random(f"nasty:{name}:{i}"), seeds, "test"))
        jobs.append(p)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda p: (p, *_child(["check", str(p), "--format", "json"])), jobs))
    for p, code, out, err in results:
        assert code is not None, f"{p.name}: no result after {CHILD_TIMEOUT_S} s"
        assert code in (0, 1, 2), f"{p.name}: exit {code}\n{err[-2000:]}"
        if code == 2:
            assert len(err.splitlines()) == 1 and str(p) in err, err


# --- reproducers of bugs found and fixed (reader.py) ------------------------------------------------------
def _tiny_doc():
    return G.base_doc()


def _bytes(doc) -> bytes:
    return G._doc_bytes(doc)


def _fanout(doc, k: int, depth: int, top: str | None = None, layer: str = "WALL", ref: str = "F"):
    doc.blocks.new("F0").add_line((0, 0), (100, 0), dxfattribs={"layer": layer})
    for i in range(1, depth + 1):
        b = doc.blocks.new(f"F{i}")
        for j in range(k):
            b.add_blockref(f"{ref}{i - 1}", (j * 7, i * 3))  # ref "f": names differ in case (still the block)
    name = f"F{depth}"
    if top:
        doc.blocks.new(top).add_blockref(name, (0, 0))
        name = top
    doc.modelspace().add_blockref(name, (500, 500))
    return doc


def _lattice(levels: int) -> bytes:
    doc = _tiny_doc()
    for side in "AB":
        doc.blocks.new(f"L{levels}{side}").add_line((0, 0), (100, 0))
    for i in range(levels - 1, -1, -1):
        for side in "AB":
            b = doc.blocks.new(f"L{i}{side}")
            b.add_blockref(f"L{i + 1}A", (0, 0))
            b.add_blockref(f"L{i + 1}B", (5, 5))
    doc.modelspace().add_blockref("L0A", (0, 0))
    return _bytes(doc).replace(b"\nEOF", b"\nXXX")  # needs the recover path, whose audit checks for cycles


def _nan_wall() -> bytes:
    doc = _tiny_doc()
    doc.modelspace().add_line((0, 0), (1000, 0), dxfattribs={"layer": "WALL"}).dxf.unprotected_set(
        "start", ezdxf.math.Vec3(float("nan"), 0, 0))
    return _bytes(doc)


def _counter_base_point_inf() -> bytes:
    doc = _tiny_doc()
    doc.blocks["柜台"].block.dxf.base_point = (0, float("inf"), 0)
    return _bytes(doc)


def _scaled_inserts(scale: float) -> bytes:
    doc = _tiny_doc()
    for e in doc.modelspace().query("INSERT"):
        e.dxf.xscale = scale
    return _bytes(doc)


def _huge_room() -> bytes:
    doc = _tiny_doc()
    doc.modelspace().add_lwpolyline([(0, 0), (1e300, 0), (1e300, 1e300), (0, 1e300)], close=True,
                                    dxfattribs={"layer": "SPACE"})
    return _bytes(doc)


def _door_with_array(rows: int, columns: int) -> bytes:
    doc = _tiny_doc()
    doc.blocks.new("LEAF").add_line((0, 0), (10, 0))
    arr = doc.blocks.new("M0900ARRAY").add_blockref("LEAF", (0, 0))
    arr.dxf.row_count, arr.dxf.column_count = rows, columns
    arr.dxf.row_spacing = arr.dxf.column_spacing = 1.0
    doc.modelspace().add_blockref("M0900ARRAY", (0, 0), dxfattribs={"layer": "DOOR_FIRE"})
    return _bytes(doc)


def _column_circle(radius: float) -> bytes:
    doc = _tiny_doc()
    doc.modelspace().add_circle((0, 0), 1.0, dxfattribs={"layer": "COLUMN"}).dxf.unprotected_set("radius", radius)
    return _bytes(doc)


def _diagonal_wall() -> bytes:
    """One wall line of the tiny plan, beside its door, drawn to the wrong end: (2000,120)→(0,-120)."""
    doc = _tiny_doc()
    for e in doc.modelspace().query("LINE"):
        if e.dxf.layer == "WALL" and e.dxf.start.isclose((2000, 120, 0)) and e.dxf.end.isclose((2000, -120, 0)):
            e.dxf.end = (0, -120, 0)
    return _bytes(doc)


def _chain(levels: int, top: str = "M1021CHAIN") -> bytes:
    """A door block at the top of ``levels`` blocks, each inserting the one below once."""
    doc = _tiny_doc()
    doc.blocks.new("D0").add_line((0, 0), (900, 0))
    for i in range(1, levels):
        doc.blocks.new(f"D{i}").add_blockref(f"D{i - 1}", (0, 0))
    doc.blocks.new(top).add_blockref(f"D{levels - 1}", (0, 0))
    doc.modelspace().add_blockref(top, (2000, 0), dxfattribs={"layer": "DOOR_FIRE"})
    return _bytes(doc)


def _tiny_text() -> str:
    return _bytes(_tiny_doc()).decode("utf-8")


FIXED = {
    # name: (bytes, exit codes allowed, text the stderr line must hold)
    "binary sentinel then one byte (struct.error)": (b"AutoCAD Binary DXF\r\n\x1a\x00\xa7", {2}, "damaged"),
    "header cut in the middle (StopIteration)": ("  0\nSECTION\n  2\nHEADER\n  9\n$ACADVER\n  1\nAC1032\n 7",
                                                 {2}, ""),
    "UTF-16 BOM on UTF-8 text ('check its permissions')": (b"\xff\xfe" + _tiny_text().encode(), {2}, "DXF"),
    "UTF-16 LE with BOM, as Notepad saves it": (_tiny_text().encode("utf-16"), {0, 1}, None),
    "UTF-16 BE without BOM": (_tiny_text().encode("utf-16-be"), {0, 1}, None),
    "UTF-32": (_tiny_text().encode("utf-32"), {0, 1}, None),
    "NaN start point of a wall line (GEOSException)": (_nan_wall(), {0, 1}, None),
    "counter block with an infinite base point (GEOSException in _box)": (_counter_base_point_inf(), {0, 1}, None),
    "inserts scaled by NaN (GEOSException)": (_scaled_inserts(float("nan")), {0, 1}, None),
    "inserts scaled by 0 (empty point in routes.customer_side)": (_scaled_inserts(0.0), {0, 1}, None),
    "room outline 1e300 wide (segfault in GEOS buffer)": (_huge_room(), {0, 1}, None),
    "a door block on a chain of 2,000 nested blocks (any recursive count overflows the stack)": (
        _chain(2000), {0, 1}, None),
    "counter blocks measured as points (ZeroDivisionError in access._largest_circle; seed 7)": (
        G.generate("hostile_numbers", random.Random("7:1425"), G.load_seeds(), "bench"), {0, 1}, None),
    "column circle of radius 5e-324 (GEOS: 'EdgeEnd with coordinate -nan')": (_column_circle(5e-324), {0, 1}, None),
    "block bomb: 10 references per level, 9 levels (a hang)": (_bytes(_fanout(_tiny_doc(), 10, 9)), {2}, "3,000,000"),
    "lattice of 40 levels in a damaged file (ezdxf's cycle check never ends)": (_lattice(40), {2}, "3,000,000"),
    "door block holding a 10,000 × 10,000 MINSERT (ezdxf.bbox expands it)": (_door_with_array(10_000, 10_000), {2},
                                                                            "3,000,000"),
    "block names differing in case only ('F1' inserts 'f0')": (
        _bytes(_fanout(_tiny_doc(), 10, 9, ref="f")), {2}, "3,000,000"),
}


@pytest.mark.parametrize("case", list(FIXED))
def test_fixed_reproducers(folder, case):
    data, codes, needle = FIXED[case]
    outcome = check_contract(folder, "repro", data if isinstance(data, bytes) else data.encode("utf-8"),
                             ("--lang", "en"))
    assert outcome.code in codes, (outcome.code, outcome.err[-2000:])
    if outcome.code == 2:
        assert needle in outcome.err, outcome.err


def test_bad_numbers_are_reported(tmp_path, cli):
    p = tmp_path / "nan.dxf"
    p.write_bytes(_nan_wall())
    run = cli("check", p, "--format", "json", "--lang", "en")
    (bad,) = [r for r in run.json["results"] if r["rule"] == "drawing.bad-numbers"]
    assert bad["status"] == "warn" and "1 entity with" in bad["message"] and "AUDIT" in bad["message"]


# --- open bugs found by the fuzzer (each a minimal reproducer; remove the marker when fixed) -----------
def _counter_height(value: str) -> bytes:
    doc = _tiny_doc()
    for e in doc.modelspace().query("INSERT"):
        if e.dxf.name == "柜台":
            for a in e.attribs:
                a.dxf.text = value
    return _bytes(doc)


def test_counter_height_infinite(tmp_path, cli):
    """Found by the fuzzer: HEIGHT '1e309' → inf → OverflowError in the report. Fixed: assemble._height_mm skips non-finite heights."""
    p = tmp_path / "height.dxf"
    p.write_bytes(_counter_height("1e309"))
    run = cli("check", p, "--format", "json")
    assert run.code in (0, 1), run.err


def test_diagonal_wall_line(folder):
    """Found by the fuzzer: a wall line drawn diagonally left lines in the floor (a GeometryCollection,
    exit 3). Fixed: routes.floor_of keeps only the polygons of its overlays (routes._areas)."""
    check_contract(folder, "diagonal-wall", _diagonal_wall())


def _room_label(text: str) -> bytes:
    doc = _tiny_doc()
    doc.modelspace().add_mtext(text, dxfattribs={"layer": "PUB_TEXT", "insert": (3000, 2500), "char_height": 300,
                                                 "attachment_point": 5})  # centred on the room, however long
    return _bytes(doc)


def _wall_grid(n: int) -> bytes:
    doc = _tiny_doc()
    msp = doc.modelspace()
    for i in range(n):
        msp.add_line((i * 10, -100), (i * 10, n * 10 + 100), dxfattribs={"layer": "WALL"})
        msp.add_line((-100, i * 10), (n * 10 + 100, i * 10), dxfattribs={"layer": "WALL"})
    return _bytes(doc)


def _room_lattice(n: int, layer: str = "SPACE") -> bytes:
    """``n`` × ``n`` crossing lines on a room layer, 1 m apart: (n − 1)² faces if they were room outlines."""
    doc = _tiny_doc()
    msp = doc.modelspace()
    for i in range(n):
        msp.add_line((i * 1000, -100), (i * 1000, n * 1000 + 100), dxfattribs={"layer": layer})
        msp.add_line((-100, i * 1000), (n * 1000 + 100, i * 1000), dxfattribs={"layer": layer})
    return _bytes(doc)


def _room_squares(n: int) -> bytes:
    """``n`` × ``n`` closed 1 m squares on a room layer, each drawn twice (a copy in place)."""
    doc = _tiny_doc()
    msp = doc.modelspace()
    for i in range(n):
        for j in range(n):
            pts = [(i * 1500, j * 1500), (i * 1500 + 1000, j * 1500), (i * 1500 + 1000, j * 1500 + 1000),
                   (i * 1500, j * 1500 + 1000)]
            for layer in ("SPACE", "A-AREA"):
                msp.add_lwpolyline(pts, close=True, dxfattribs={"layer": layer})
    return _bytes(doc)


def _arc_in_metres(radius: float) -> bytes:
    doc = samples.build(samples.station_tier2_ok(), units="m")
    doc.modelspace().add_arc((0, 0), radius, 0, 90, dxfattribs={"layer": "WALL"})
    return _bytes(doc)


def _budget_bypass() -> bytes:
    """A block bomb (10 per level, 6 levels: 1.1 million entities, under the reader's 3,000,000) whose every
    level is first met 9 deep, through a chain of 8 blocks: extract._expansion caches each as 0 there."""
    doc = _tiny_doc()
    doc.blocks.new("F0").add_line((0, 0), (100, 0), dxfattribs={"layer": "PUB_FURN"})
    for i in range(1, 7):
        b = doc.blocks.new(f"F{i}")
        for j in range(10):
            b.add_blockref(f"F{i - 1}", (j * 7, i * 3))
    for i in range(9):
        c = doc.blocks.new(f"C{i}")
        for n in ([f"C{i + 1}"] if i < 8 else [f"F{n}" for n in range(6)]):
            c.add_blockref(n, (0, 0))
    doc.modelspace().add_blockref("C0", (0, 0), dxfattribs={"layer": "WALL"})
    doc.modelspace().add_blockref("F6", (500, 500), dxfattribs={"layer": "WALL"})
    return _bytes(doc)


def _overlapping_wall_outlines(n: int) -> bytes:
    doc = _tiny_doc()
    rng = random.Random(1)
    for _ in range(n):
        x, y = rng.uniform(0, 200), rng.uniform(0, 60)
        doc.modelspace().add_lwpolyline([(x, y), (x + 50, y), (x + 50, y + 50)], close=True,
                                        dxfattribs={"layer": "WALL"})
    return _bytes(doc)


SLOW = {  # hangs the fuzzer found: all start together in child processes, each stopped past SLOW_CPU_S of CPU
    "label": lambda: _room_label("1" + " " * 40_000 + "1"),
    "grid": lambda: _wall_grid(400),
    "door-bomb": lambda: _bytes(_fanout(_tiny_doc(), 10, 5, top="M1021BOMB", layer="PUB_FURN")),
    "arc": lambda: _arc_in_metres(1e12),
    "explode": lambda: _bytes(_fanout(_tiny_doc(), 5, 8)),
    "budget-bypass": lambda: _budget_bypass(),
    "deep-counter": lambda: _bytes(_fanout(_tiny_doc(), 3, 12, top="柜台BOMB", layer="PUB_FURN")),
    "outlines": lambda: _overlapping_wall_outlines(10_000),
    "thin-floor": lambda: G.generate("many_outlines", random.Random("0:3421"), G.load_seeds(), "bench"),
    "room-lattice": lambda: _room_lattice(150),
    "wall-grid-rooms": lambda: G.generate("wall_grid", random.Random("3:3242"), G.load_seeds(), "bench"),
    "wall-grid-join": lambda: G.generate("wall_grid", random.Random("3:3169"), G.load_seeds(), "bench"),
    "fanout-lines": lambda: G.generate("blocks_fanout", random.Random("3:9037"), G.load_seeds(), "bench"),
}
SLOW_OPTIONS = {"thin-floor": ("--units", "m")}
# Bounded by CPU time, not wall time: all 13 start together, on a 2-core machine other test runs share, so
# their wall time says more about the load than about them (a 25 s wall deadline failed under load). Before
# their fixes each took 20 s to minutes of CPU alone; fixed, each is 1–3 s of CPU, start-up included. Each
# process (the command and the check it forks, which inherits the limit) may use SLOW_CPU_S of CPU
# (RLIMIT_CPU: the kernel stops it with SIGXCPU past that, however busy the machine), and the CPU the run
# used in all, from os.wait4 (the command plus the check it waited for), must stay under it too.
SLOW_CPU_S = 10  # the heaviest uses ~1.2 s here; before the fixes, 20 s and more
SLOW_WALL_S = 300  # only so that a run stuck without using CPU (a lock, a sleep) cannot hang the suite


@pytest.fixture(scope="module")
def slow_runs(tmp_path_factory):
    import resource

    folder = tmp_path_factory.mktemp("open-hangs")

    def cpu_cap():
        resource.setrlimit(resource.RLIMIT_CPU, (SLOW_CPU_S, resource.RLIM_INFINITY))

    procs = {}
    for name, make in SLOW.items():
        p = folder / f"{name}.dxf"
        p.write_bytes(make())
        cmd = [sys.executable, "-c", "import sys; from layoutcheck.cli import main; sys.exit(main(sys.argv[1:]))",
               "check", str(p), "--format", "json", *SLOW_OPTIONS.get(name, ())]
        out, err = (folder / f"{name}.out").open("wb"), (folder / f"{name}.err").open("w+b")
        procs[name] = (subprocess.Popen(cmd, stdout=out, stderr=err, preexec_fn=cpu_cap), out, err)
    deadline = time.monotonic() + SLOW_WALL_S

    def result(name: str) -> tuple[int | None, str]:
        """(exit code, stderr), or (None, why) when the run went over its CPU time or the wall-clock guard."""
        proc, out, err = procs[name]
        _, usage, killed = wait_or_kill(proc, deadline)
        if killed:
            return None, f"still running after {SLOW_WALL_S} s of wall time"
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        cpu_s = usage.ru_utime + usage.ru_stime
        if cpu_s > SLOW_CPU_S or "signal 24" in text or proc.returncode == -24:  # SIGXCPU: over RLIMIT_CPU
            return None, f"used {cpu_s:.1f} s of CPU (limit {SLOW_CPU_S} s): {text[-300:]}"
        return proc.returncode, text

    yield result
    for proc, out, err in procs.values():
        if proc.returncode is None and proc.poll() is None:
            proc.kill()
            proc.wait()
        out.close()
        err.close()


def test_long_label_in_a_room(slow_runs):
    """Found by the fuzzer: a 40,000-character label was quadratic in classify. Fixed: text longer than classify.MAX_LABEL_CHARS is a note, not read as a name."""
    code, err = slow_runs("label")
    assert code in (0, 1), (code, err[-500:])


def test_wall_grid(slow_runs):
    """Found by the fuzzer: 400 × 400 crossing wall lines made 160,000 faces (minutes, GBs). Fixed: linework with far more crossings than walls have is left out (assemble._thin_faces)."""
    code, err = slow_runs("grid")
    assert code in (0, 1, 2), (code, err[-500:])


def test_door_block_bomb(slow_runs):
    """Found by the fuzzer: a door block of 100,000 nested entities was measured through ezdxf.bbox. Fixed: blocks yielding more than MAX_BLOCK_FOR_BOX entities are not doors (extract._local_box)."""
    code, err = slow_runs("door-bomb")
    assert code in (0, 1, 2), (code, err[-500:])


def test_explosion_budget_not_bypassed(slow_runs):
    """Found by the fuzzer: extract._expansion cached a block's count from the depth it was first met
    (0 when met 9 deep), so the same bomb referenced from model space passed MAX_EXPLODED and 1.1 million
    entities were exploded (~60 s). Fixed: the whole expansion is counted whatever the depth, iteratively."""
    code, err = slow_runs("budget-bypass")
    assert code in (0, 1, 2), (code, err[-500:])


def test_deep_counter_block(slow_runs):
    """Found by the fuzzer: a counter block 12 levels deep (1 million entities) counted as 13,000, passed
    MAX_BLOCK_FOR_BOX and ezdxf.bbox exploded all of it (~100 s). Fixed: the count goes all the way down."""
    code, err = slow_runs("deep-counter")
    assert code in (0, 1, 2), (code, err[-500:])


def test_overlapping_wall_outlines(slow_runs):
    """Found by the fuzzer: 10,000 overlapping closed wall outlines made assemble._even_odd loop over
    every pair (~13 s). Fixed: one STRtree query per chunk for the containing pairs, and a cap on them."""
    code, err = slow_runs("outlines")
    assert code in (0, 1, 2), (code, err[-500:])


def test_thin_floor_route_grid(slow_runs):
    """Found by the fuzzer: a floor of thin slivers over a 3 km box asked the route grid for 84 million
    points. Fixed: the grid never has more than 4 × MAX_NODES cells over the bounding box."""
    code, err = slow_runs("thin-floor")
    assert code in (0, 1, 2), (code, err[-500:])


def test_lattice_on_a_room_layer(slow_runs):
    """Found by the fuzzer: 150 × 150 crossing lines on a room layer were joined into 22,000 rooms, then
    compared pairwise (minutes). Fixed: more than MAX_JOINED_FACES faces on a layer is a lattice, left open."""
    code, err = slow_runs("room-lattice")
    assert code in (0, 1, 2), (code, err[-500:])


@pytest.mark.parametrize("name", ["wall-grid-rooms", "wall-grid-join", "fanout-lines"])
def test_fuzzed_grids_and_fanouts(slow_runs, name):
    """Found by the fuzzer (seed 3): a wall grid also drawn on room layers made thousands of outlines that
    assemble._dedupe and _sort_outlines compared pairwise, or noded a crossing lattice in
    extract._join_open_outlines; exploded block fan-outs gave _thin_faces a billion bounding-box pairs.
    Fixed: outlines are compared through an STRtree, and extract.crowded() counts pairs a few lines at a
    time and stops early."""
    code, err = slow_runs(name)
    assert code in (0, 1, 2), (code, err[-500:])


def test_huge_arc_in_metres(slow_runs):
    """Found by the fuzzer: an arc of radius 1e12 m flattened to 1 cm chords (millions of points in C code
    no time limit stops). Fixed: curves are flattened to at most MAX_CURVE_POINTS (extract._flat)."""
    code, err = slow_runs("arc")
    assert code in (0, 1, 2), (code, err[-500:])


def test_block_bomb_within_limits(slow_runs):
    """Found by the fuzzer: 8 levels of 5 references exploded 488,000 entities. Fixed: what a block would yield is counted first (extract._expansion) against MAX_EXPLODED."""
    code, err = slow_runs("explode")
    assert code in (0, 1, 2), (code, err[-500:])


def test_time_limit_is_not_swallowed(tmp_path, cli, monkeypatch):
    """Found by the fuzzer: the alarm's InputError was caught by ``except Exception`` in extract._local_box,
    the door silently dropped and the check passed (exit 0). Fixed in 3376e23 (pipeline._Deadline)."""
    from layoutcheck.ingest import extract

    measure = extract.ezbbox.extents

    def slow(*args, **kwargs):  # the alarm goes off inside _local_box's `except Exception`
        time.sleep(3)
        return measure(*args, **kwargs)

    monkeypatch.setattr(extract.ezbbox, "extents", slow)
    monkeypatch.setenv("LAYOUTCHECK_TIMEOUT", "1")
    run = cli("check", PLANS / "community-ok.dxf", "--format", "json", "--lang", "en")
    assert run.code == 2 and "LAYOUTCHECK_TIMEOUT" in run.err, (run.code, run.err[-500:])


# --- batch: report files stay inside the output folder -------------------------------------------------
def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def _batch(cli, source, out: Path, *extra):
    return cli("batch", source, "--out", out, "--jobs", "1", "--quiet", "--format", "json", "--kind", "community",
               *extra)


@pytest.fixture
def plan_bytes():
    return (PLANS / "community-ok.dxf").read_bytes()


def _inside(out: Path, created: set[Path]) -> list[Path]:
    root = out.resolve()
    return [p for p in created if root not in p.resolve().parents]


def test_batch_manifest_names_stay_inside_out(tmp_path, cli, plan_bytes):
    """Plan cells with .., absolute paths, backslashes, newlines, dots only, a folder: every report lands
    in OUT/reports under a plain name, and nothing is written anywhere else."""
    proj = tmp_path / "a" / "b" / "proj"
    (proj / "sub").mkdir(parents=True)
    for p in (proj / "sub" / "plan.dxf", tmp_path / "a" / "evil.dxf", tmp_path / "evil2.dxf", tmp_path / "abs.dxf"):
        p.write_bytes(plan_bytes)
    cells = ["../evil.dxf", "../../../evil2.dxf", str(tmp_path / "abs.dxf"), "sub/plan.dxf", "sub/../../evil.dxf",
             "..\\..\\evil.dxf", "sub/\nplan.dxf", "....dxf", ".", "..", "/", "./sub/./plan.dxf",
             "../" * 30 + "etc/passwd", "x" * 300 + ".dxf", "服务/../../大厅.dxf"]
    manifest = proj / "manifest.csv"
    with open(manifest, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["plan"])
        w.writerows([c] for c in cells)
    before = _files(tmp_path)
    out = tmp_path / "results"
    run = _batch(cli, manifest, out)
    assert run.code in (0, 1, 2) and "Traceback" not in run.err, run.err
    created = _files(tmp_path) - before
    assert created and not _inside(out, created), sorted(map(str, _inside(out, created)))
    reports = sorted(p for p in created if p.parent == out / "reports")
    assert len(reports) == len(cells)  # one report per row, none overwritten by another
    for p in reports:
        assert p.suffix == ".json" and "/" not in p.stem and "\\" not in p.stem and not p.name.startswith(".")


def test_batch_folder_with_symlinks_and_odd_names(tmp_path, cli, plan_bytes):
    src = tmp_path / "plans"
    (src / "..x").mkdir(parents=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "far.dxf").write_bytes(plan_bytes)
    (src / "link.dxf").symlink_to(outside / "far.dxf")
    (src / "linked-dir").symlink_to(outside, target_is_directory=True)
    for name in ("..x/..dxf", "-rf.dxf", "a\nb.dxf", " .dxf", "CON.dxf"):
        (src / name).write_bytes(plan_bytes)
    before = _files(tmp_path)
    out = tmp_path / "results"
    run = _batch(cli, src, out)
    assert run.code in (0, 1, 2) and "Traceback" not in run.err, run.err
    created = _files(tmp_path) - before
    assert not _inside(out, created), sorted(map(str, _inside(out, created)))
    assert (outside / "far.dxf").read_bytes() == plan_bytes and len(list(outside.iterdir())) == 1


def test_batch_does_not_write_through_symlinked_report_files(tmp_path, cli, plan_bytes):
    """A report or summary file that is a symlink to a file elsewhere is replaced, not written through."""
    src = tmp_path / "plans"
    src.mkdir()
    (src / "plan.dxf").write_bytes(plan_bytes)
    out = tmp_path / "results"
    (out / "reports").mkdir(parents=True)
    victim, victim_csv = tmp_path / "victim.json", tmp_path / "victim.csv"
    victim.write_text('{"keep": "me"}', encoding="utf-8")
    victim_csv.write_text("keep,me\n", encoding="utf-8")
    (out / "reports" / "plan.dxf.json").symlink_to(victim)
    (out / "summary.csv").symlink_to(victim_csv)
    run = _batch(cli, src, out)
    assert run.code in (0, 1), run.err
    assert victim.read_text(encoding="utf-8") == '{"keep": "me"}' and victim_csv.read_text(encoding="utf-8") == "keep,me\n"
    assert not (out / "reports" / "plan.dxf.json").is_symlink() and not (out / "summary.csv").is_symlink()


def test_batch_reports_folder_symlinked_elsewhere(tmp_path, cli, plan_bytes):
    src = tmp_path / "plans"
    src.mkdir()
    (src / "settings.dxf").write_bytes(plan_bytes)
    victim_dir = tmp_path / "config"
    victim_dir.mkdir()
    (victim_dir / "settings.json").write_text('{"theme": "dark"}', encoding="utf-8")
    out = tmp_path / "results"
    out.mkdir()
    (out / "reports").symlink_to(victim_dir, target_is_directory=True)
    _batch(cli, src, out)
    assert (victim_dir / "settings.json").read_text(encoding="utf-8") == '{"theme": "dark"}'


def test_batch_report_names_are_not_windows_devices(tmp_path, plan_bytes):
    from layoutcheck import batch as B

    src = tmp_path / "plans"
    src.mkdir()
    for name in ("CON", "nul", "Com1", "LPT9", "aux"):
        (src / f"{name}.dxf").write_bytes(plan_bytes)
    names = {t.name.upper() for t in B.discover(src)}
    devices = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
    assert not names & devices, names & devices


def test_reproducers_from_the_long_run(monkeypatch, cli):
    """What the 10,000-input run (bench/fuzz.py) crashed on last: a byte-flipped file read without a
    model space (KeyError 'MODEL' deep in ezdxf), and an $INSUNITS that is not a number (ValueError)."""
    from ezdxf.document import Drawing

    from layoutcheck.ingest import units

    assert units.from_header("mm") is None and units.from_header(float("nan")) is None
    assert units.from_header(4) == ("mm", 0.001)

    def no_model_space(self):
        raise KeyError("MODEL")

    monkeypatch.setattr(Drawing, "modelspace", no_model_space)
    plan = Path(__file__).resolve().parent.parent / "plans" / "station-tier2-ok.dxf"
    run = cli("check", plan, "--lang", "en")
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1
    assert "damaged" in run.err and "no model space" in run.err
