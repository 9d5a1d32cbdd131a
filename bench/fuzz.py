#!/usr/bin/env python3
"""Fuzz ``layoutcheck check`` for a long time: no input may crash it (exit 3, a traceback) or hang it.

    python bench/fuzz.py                      # 10 000 inputs, seed 0, one worker per core, 20 s each
    python bench/fuzz.py 50000 --seed 7 --jobs 2 --timeout 20 --out /tmp/layoutcheck-fuzz/run7
    python bench/fuzz.py 2000 --only blocks_fanout hatch_broken
    python bench/fuzz.py --replay /tmp/layoutcheck-fuzz/seed-0/crashes/…/000123-hatch_broken.dxf
    python bench/fuzz.py --toml 200            # NaN / inf / 500-deep standard, project, review, layer files

The inputs come from the generators in ``tests/fuzzgen.py`` (the CI test ``tests/test_fuzz.py`` uses
the same ones with smaller sizes): mutated sample plans and small corpus drawings, hostile drawings made
with ezdxf, random and almost-DXF files. Input ``i`` of seed ``s`` is made from ``Random(f"{s}:{i}")``,
so every input can be made again from its number.

Each input is written to a file and checked in a worker process, in-process as ``layoutcheck.cli.main``
runs it (``LAYOUTCHECK_DEBUG=1``, so a crash comes with its traceback). A worker that takes longer than
``--timeout`` has its Python stack dumped (faulthandler, SIGUSR1) and is killed; a worker that dies (a
segfault, the ``--mem-mb`` address-space limit) is replaced. Every crash, hang, death and contract
violation (exit 2 without exactly one stderr line naming the file, stdout that is not strict JSON,
warnings on stderr) is kept under ``OUT/<kind>/<signature>/`` with the input, the outcome and the stack.
Inputs without a problem are deleted. The summary is printed and written to ``OUT/summary.json``.
"""

from __future__ import annotations

import argparse
import collections
import faulthandler
import json
import multiprocessing
import multiprocessing.connection
import os
import random
import re
import shutil
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import fuzzgen as G  # noqa: E402

DEFAULT_OUT = Path("/tmp/layoutcheck-fuzz")


# --- making input i -----------------------------------------------------------------------------
def make_input(seed: str, i: int, seeds, scale: str, only: list[str] | None) -> tuple[str, tuple[str, ...], bytes]:
    pick = random.Random(f"{seed}:{i}:pick")
    name = pick.choice(only) if only else G.pick_generator(pick)
    options = G.OPTION_SETS[pick.randrange(len(G.OPTION_SETS))] if pick.random() < 0.3 else ()
    data = G.generate(name, random.Random(f"{seed}:{i}"), seeds, scale)
    return name, options, data


# --- worker -------------------------------------------------------------------------------------
def _worker(conn, seed: str, scale: str, only, work: Path, stacks: Path, mem_mb: int, max_corpus: int) -> None:
    import logging
    import resource
    import warnings

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if mem_mb:
        limit = mem_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.environ["LAYOUTCHECK_DEBUG"] = "1"
    stack_file = open(stacks / f"worker-{os.getpid()}.txt", "w")  # noqa: SIM115 - lives as long as the worker
    faulthandler.register(signal.SIGUSR1, file=stack_file, all_threads=False)
    logging.getLogger("ezdxf").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")  # run_check records the warnings of each run itself
    seeds = G.load_seeds(max_corpus)
    while True:
        try:
            i = conn.recv()
        except EOFError:
            return
        if i is None:
            return
        try:
            name, options, data = make_input(seed, i, seeds, scale, only)
        except Exception:  # noqa: BLE001 - a bug in a generator, not in layoutcheck
            conn.send(("generror", i, traceback.format_exc()))
            continue
        path = work / f"{i:06d}-{name}.dxf"
        path.write_bytes(data)
        conn.send(("start", i, str(path), name, options, len(data)))
        try:
            o = G.run_check(path, options)
            found = G.problems(o, path)
            conn.send(("done", i, o.code, found, o.err[-8000:], o.warnings[:5], o.seconds))
        except BaseException as exc:  # noqa: BLE001 - main() itself raised: the worst kind of crash
            conn.send(("done", i, -1, [f"main raised {type(exc).__name__}"], traceback.format_exc(), [], 0.0))
            if isinstance(exc, MemoryError):
                return


def _children(pid: int) -> list[int]:
    """The processes ``pid`` forked (Linux): a check runs in one, which inherits the worker's stack dumper."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            return [int(c) for c in f.read().split()]
    except (OSError, ValueError):
        return []


class Worker:
    def __init__(self, ctx, args, work: Path, stacks: Path) -> None:
        self.parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, args.seed, args.scale, args.only, work, stacks,
                                                      args.mem_mb, args.max_corpus_bytes), daemon=True)
        self.proc.start()
        child.close()
        self.stacks = stacks / f"worker-{self.proc.pid}.txt"
        self.task: dict | None = None  # the input it is on: i, path, generator, options, started

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.parent.close()


# --- signatures and reproducers -----------------------------------------------------------------------
_FRAME = re.compile(r'File "([^"]+)", line (\d+), in (\S+)')


def signature(kind: str, text: str, found: list[str]) -> str:
    """Group problems by cause: the exception and the innermost layoutcheck frame (or the stack's top)."""
    frames = _FRAME.findall(text)
    ours = [f for f in frames if "/layoutcheck/" in f[0]]
    where = ""
    if kind == "hang":  # faulthandler: most recent call first
        top = [f for f in re.findall(r'File "([^"]+)", line (\d+) in (\S+)', text)]
        ours = [f for f in top if "/layoutcheck/" in f[0]]
        f = ours[0] if ours else (top[0] if top else None)
        where = f"{Path(f[0]).stem}.{f[2]}" if f else "unknown"
        lib = top[0] if top else None
        if lib and lib is not f:
            where += f"<{Path(lib[0]).stem}.{lib[2]}"
        return f"hang@{where}"
    if ours:
        f = ours[-1]
        where = f"{Path(f[0]).stem}.{f[2]}"
    exc = ""
    for line in reversed(text.strip().splitlines()):  # the exception line ends a traceback
        m = re.match(r"^([A-Za-z_][\w.]*)(?::|$)", line)
        if m and not line.startswith(("layoutcheck", "Traceback", "During handling")) and "File " not in line:
            exc = m.group(1).split(".")[-1]
            break
    if kind == "crash":
        return f"{exc or 'exit3'}@{where or 'unknown'}"
    head = re.sub(r"[^a-z0-9]+", "-", (found[0] if found else kind).lower()).strip("-")
    head = re.sub(r"\d+", "N", head)
    return f"{head}@{where}" if where else head


def keep(out: Path, kind: str, sig: str, task: dict, detail: str, limit: int = 5) -> Path | None:
    """Copy the input under OUT/kind/sig/ (at most ``limit`` per signature, smallest kept first)."""
    folder = out / kind / re.sub(r"[^\w.@<>-]+", "_", sig)[:120]
    folder.mkdir(parents=True, exist_ok=True)
    have = sorted(folder.glob("*.dxf"))
    src = Path(task["path"])
    if len(have) >= limit:
        return None
    dst = folder / src.name
    try:
        shutil.copyfile(src, dst)
    except OSError:
        return None
    opts = " ".join(task["options"])
    (folder / (src.stem + ".txt")).write_text(
        f"input {task['i']} generator {task['gen']} size {task['size']} bytes\n"
        f"reproduce: LAYOUTCHECK_DEBUG=1 layoutcheck check {dst} --format json {opts}\n"
        f"      or:  python bench/fuzz.py --replay {dst} {opts}\n\n{detail}\n", encoding="utf-8")
    return dst


# --- the run ------------------------------------------------------------------------------------
def run(args) -> dict:
    out = Path(args.out or DEFAULT_OUT / f"seed-{args.seed}")
    work, stacks = out / "inputs", out / "stacks"
    for d in (work, stacks):
        d.mkdir(parents=True, exist_ok=True)
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    G.load_seeds(args.max_corpus_bytes)  # read once before forking
    workers = [Worker(ctx, args, work, stacks) for _ in range(args.jobs)]
    pending = collections.deque(range(args.start, args.start + args.n))
    codes: collections.Counter = collections.Counter()
    per_gen: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    issues: dict[str, dict] = {}  # signature → {kind, count, examples, detail}
    slow: list[tuple[float, int, str]] = []
    gen_errors: list[str] = []
    warned = 0
    done = 0
    started = time.monotonic()
    last_note = started

    def note_issue(kind: str, task: dict, sig: str, detail: str) -> None:
        entry = issues.setdefault(sig, {"kind": kind, "count": 0, "examples": [], "generators": collections.Counter(),
                                        "detail": detail[-3000:]})
        entry["count"] += 1
        entry["generators"][task["gen"]] += 1
        kept = keep(out, kind if kind != "violation" else "violations", sig, task, detail)
        if kept is not None:
            entry["examples"].append(str(kept))

    def finish(w: Worker) -> None:
        nonlocal done
        task, w.task = w.task, None
        done += 1
        if task is not None and task.get("path"):
            Path(task["path"]).unlink(missing_ok=True)

    def feed(w: Worker) -> None:
        if pending and w.task is None:
            i = pending.popleft()
            w.task = {"i": i, "path": "", "gen": "?", "options": (), "size": 0, "started": time.monotonic()}
            w.parent.send(i)

    for w in workers:
        feed(w)
    try:
        while any(w.task is not None for w in workers):
            ready = multiprocessing.connection.wait([w.parent for w in workers if w.task is not None], timeout=0.5)
            for w in list(workers):
                if w.parent not in ready:
                    continue
                try:
                    msg = w.parent.recv()
                except (EOFError, OSError):  # the worker died mid-input
                    task = w.task or {}
                    w.kill()
                    code = w.proc.exitcode
                    codes[f"died({code})"] += 1
                    if task.get("path"):
                        per_gen[task["gen"]][f"died({code})"] += 1
                        sig = f"died:{signal.Signals(-code).name if code and code < 0 else code}@{task['gen']}"
                        note_issue("died", task, sig, f"worker exit code {code}")
                    finish(w)
                    workers[workers.index(w)] = nw = Worker(ctx, args, work, stacks)
                    feed(nw)
                    continue
                if msg[0] == "start":
                    _, i, path, gen, options, size = msg
                    w.task.update(path=path, gen=gen, options=options, size=size, started=time.monotonic())
                elif msg[0] == "generror":
                    gen_errors.append(msg[2])
                    finish(w)
                    feed(w)
                elif msg[0] == "done":
                    _, i, code, found, err, warns, seconds = msg
                    task = w.task
                    codes[str(code)] += 1
                    per_gen[task["gen"]][str(code)] += 1
                    slow.append((seconds, i, task["gen"]))
                    slow = sorted(slow, reverse=True)[:8]
                    if warns:
                        warned += 1
                    detail = f"exit {code}; problems: {found}\nwarnings: {warns}\n--- stderr ---\n{err}"
                    if code == 3 or code == -1:
                        note_issue("crash", task, signature("crash", err, found), detail)
                    elif found:
                        note_issue("violation", task, signature("violation", err, found), detail)
                    finish(w)
                    feed(w)
            now = time.monotonic()
            for w in list(workers):
                t = w.task
                if t is None or not t.get("path") or now - t["started"] <= args.timeout:
                    continue
                # hung: dump its Python stack (and the forked check's, which does the work: layoutcheck.limits),
                # then kill it
                for pid in (w.proc.pid, *_children(w.proc.pid)):
                    try:
                        os.kill(pid, signal.SIGUSR1)
                    except ProcessLookupError:
                        pass
                time.sleep(0.5)
                stack = w.stacks.read_text(errors="replace") if w.stacks.exists() else ""
                w.kill()
                codes["hang"] += 1
                per_gen[t["gen"]]["hang"] += 1
                note_issue("hang", t, signature("hang", stack, []), f"no result after {args.timeout:.0f} s\n{stack}")
                finish(w)
                workers[workers.index(w)] = nw = Worker(ctx, args, work, stacks)
                feed(nw)
            if args.progress and now - last_note > 30:
                last_note = now
                rate = done / (now - started)
                print(f"  … {done}/{args.n} inputs, {rate:.1f}/s, {dict(codes)}", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        print("interrupted: summary of the inputs run so far", file=sys.stderr)
    finally:
        for w in workers:
            try:
                w.parent.send(None)
            except (OSError, BrokenPipeError):
                pass
            w.kill()
        shutil.rmtree(stacks, ignore_errors=True)

    elapsed = time.monotonic() - started
    summary = {
        "seed": args.seed, "inputs": done, "seconds": round(elapsed, 1), "jobs": args.jobs, "timeout_s": args.timeout,
        "scale": args.scale, "exit_codes": dict(sorted(codes.items())),
        "crashes": sum(v["count"] for v in issues.values() if v["kind"] == "crash"),
        "hangs": sum(v["count"] for v in issues.values() if v["kind"] == "hang"),
        "died": sum(v["count"] for v in issues.values() if v["kind"] == "died"),
        "violations": sum(v["count"] for v in issues.values() if v["kind"] == "violation"),
        "runs_with_warnings": warned,
        "issues": {sig: {**v, "generators": dict(v["generators"])} for sig, v in
                   sorted(issues.items(), key=lambda kv: (kv[1]["kind"], -kv[1]["count"]))},
        "per_generator": {g: dict(sorted(c.items())) for g, c in sorted(per_gen.items())},
        "slowest": [{"seconds": round(s, 2), "input": i, "generator": g} for s, i, g in slow],
        "generator_errors": gen_errors[:5],
        "out": str(out),
    }
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return summary


def print_summary(s: dict) -> None:
    print(f"layoutcheck fuzz: seed {s['seed']}, {s['inputs']} inputs in {s['seconds']:.0f} s "
          f"({s['inputs'] / max(s['seconds'], 1e-9):.1f}/s, {s['jobs']} workers, timeout {s['timeout_s']:.0f} s)")
    print("exit codes: " + ", ".join(f"{k}: {v}" for k, v in s["exit_codes"].items()))
    print(f"crashes (exit 3 / traceback): {s['crashes']}   hangs: {s['hangs']}   workers died: {s['died']}   "
          f"contract violations: {s['violations']}   runs with Python warnings: {s['runs_with_warnings']}")
    for sig, v in s["issues"].items():
        gens = ", ".join(f"{g} {n}" for g, n in sorted(v["generators"].items(), key=lambda kv: -kv[1]))
        print(f"\n[{v['kind']}] {sig}  ×{v['count']}  ({gens})")
        for ex in v["examples"][:2]:
            print(f"    {ex}")
    if s["generator_errors"]:
        print(f"\n{len(s['generator_errors'])} generator errors (bugs in tests/fuzzgen.py), first:\n"
              + s["generator_errors"][0])
    print("\nslowest: " + ", ".join(f"#{x['input']} {x['generator']} {x['seconds']} s" for x in s["slowest"][:5]))
    print(f"per generator: see {s['out']}/summary.json")


def replay(path: str, options: list[str], timeout: float) -> int:
    """Check one file in a child process as the CLI does, with the traceback of a crash or a hang."""
    import subprocess

    env = {**os.environ, "LAYOUTCHECK_DEBUG": "1", "PYTHONFAULTHANDLER": "1"}
    cmd = [sys.executable, "-X", "faulthandler", "-c",
           "import faulthandler, sys; faulthandler.dump_traceback_later(%r, exit=True);"
           "from layoutcheck.cli import main; sys.exit(main(sys.argv[1:]))" % timeout,
           "check", path, "--format", "json", *options]
    started = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    print(f"exit {p.returncode} after {time.monotonic() - started:.1f} s")
    print(p.stderr.rstrip())
    if p.returncode in (0, 1):
        print(p.stdout[:2000])
    return p.returncode


def fuzz_toml(n: int, seed: str) -> int:
    """N hostile TOML inputs (``fuzzgen.hostile_toml``): each must end in exit 2 with one stderr line naming
    the file and the key. Prints every one that does not; returns 1 if any."""
    import contextlib
    import io
    import tempfile

    from layoutcheck.cli import main as cli_main

    options = {"standard": "--standard", "project": "--project", "review": "--review", "layers": "--layers"}
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            rng = random.Random(f"{seed}:toml:{i}")
            which = rng.choice(sorted(options))
            text, key = G.hostile_toml(rng, which)
            path = Path(tmp) / f"{i:05d}-{which}.toml"
            path.write_text(text, encoding="utf-8")
            err = io.StringIO()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                code = cli_main(["check", str(ROOT / "plans" / "station-tier2-ok.dxf"), options[which], str(path)])
            line = err.getvalue()
            want = "nested" if key == "nested" else key
            if code != 2 or line.count("\n") != 1 or str(path) not in line or (key != "nested" and want not in line):
                bad += 1
                print(f"{path.name}: exit {code}: {line.strip()[:300]}\n  {text[:200]!r}")
    print(f"{n} hostile TOML files, {bad} not refused cleanly")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", nargs="?", type=int, default=10000, help="number of inputs (default 10000)")
    ap.add_argument("--seed", default="0", help="run seed: input i is made from Random(f'{seed}:{i}')")
    ap.add_argument("--start", type=int, default=0, help="first input number (to re-run a range)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per input before it counts as a hang")
    ap.add_argument("--mem-mb", type=int, default=3000, help="address-space limit of a worker (0: none)")
    ap.add_argument("--scale", choices=["test", "bench"], default="bench",
                    help="input sizes: bench adds larger block bombs, longer texts, more outlines")
    ap.add_argument("--only", nargs="+", choices=sorted(G.GENERATORS), help="use only these generators")
    ap.add_argument("--max-corpus-bytes", type=int, default=64_000, help="corpus files up to this size are seeds")
    ap.add_argument("--out", help=f"folder for reproducers and summary.json (default {DEFAULT_OUT}/seed-SEED)")
    ap.add_argument("--quiet", dest="progress", action="store_false", help="no progress lines on stderr")
    ap.add_argument("--replay", metavar="FILE", help="check one file (e.g. a kept reproducer) and show what happens")
    ap.add_argument("--toml", type=int, default=0, metavar="N",
                    help="instead: N hostile standard/project/review/layer files (NaN, inf, 500-deep nesting)")
    args, rest = ap.parse_known_args(argv)
    if args.replay:
        return replay(args.replay, rest, args.timeout)
    if args.toml:
        return fuzz_toml(args.toml, args.seed)
    if rest:
        ap.error(f"unrecognised arguments: {' '.join(rest)}")
    summary = run(args)
    print_summary(summary)
    return 1 if summary["crashes"] or summary["hangs"] or summary["died"] else 0


if __name__ == "__main__":
    sys.exit(main())
