"""Memory and time caps that hold for C code too (GEOS, ezdxf's C parts, numpy).

A check runs in a child process forked from the one that has already imported layoutcheck (no start-up
cost beyond the fork, a few milliseconds). The child's address space is capped with ``RLIMIT_AS`` (soft
limit): what it has mapped once the modules a check uses are imported (:data:`PRELOAD`, in the child, before
the cap) plus ``memory_mb``. So ``--memory`` is the check's own growth, measured the same way in a
``layoutcheck check`` process and in a batch worker (which have imported different things before the fork),
and a hostile drawing that makes GEOS ask for gigabytes gets ``std::bad_alloc`` / ``MemoryError`` — one line,
exit 2 — instead of the kernel's OOM killer.
The parent waits for the result with a deadline and kills the child with SIGKILL when it passes: SIGALRM
and asynchronous exceptions arrive only between Python bytecodes, never inside one long GEOS call.

The child dies with its parent (``PR_SET_PDEATHSIG``), so a check or a batch worker killed with SIGKILL
leaves nothing running. ``run`` is used by ``layoutcheck check`` (the whole command: reading, checking,
drawing), by each batch task and by each Dask task. Where ``fork`` is missing (Windows, macOS is not
relied on) the work runs in-process under the alarm of :func:`layoutcheck.pipeline.time_limit`, as before.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import sys
import time
from typing import Any, Callable

from .errors import InputError

DEFAULT_TIMEOUT_S = 300.0  # per check; the slowest real drawing of the test corpora takes ~12 s
# Address space a check may add to what its process has mapped with layoutcheck's modules loaded (~140-160 MB). The
# bench's 15 MB plan peaks at ~250 MiB resident; a zig-zag wall of 5,000 teeth asked GEOS for 1.75 GB.
DEFAULT_MEMORY_MB = 1536
GRACE_S = 1.0  # the child's own alarm gets this long to end a Python-level overrun with its own message
PR_SET_PDEATHSIG = 1


def timeout_s(value: float | None = None) -> float:
    """The time limit in seconds: ``value`` (--timeout), else LAYOUTCHECK_TIMEOUT, else 300. 0: none."""
    if value is not None:
        return float(value)
    try:
        return float(os.environ.get("LAYOUTCHECK_TIMEOUT", DEFAULT_TIMEOUT_S))
    except ValueError:
        return DEFAULT_TIMEOUT_S


def memory_mb(value: int | None = None) -> int:
    """The memory cap in MB: ``value`` (--memory), else LAYOUTCHECK_MEMORY_MB, else 1536. 0: none."""
    if value is not None:
        return int(value)
    try:
        return int(os.environ.get("LAYOUTCHECK_MEMORY_MB", DEFAULT_MEMORY_MB))
    except ValueError:
        return DEFAULT_MEMORY_MB


def available() -> bool:
    """Can checks run in a forked, capped child here? (Linux.)"""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Have the kernel send ``sig`` to this process when its parent dies (Linux ``prctl``; elsewhere
    nothing). A parent killed with SIGKILL cannot stop its children itself: this is what ends them."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):  # no libc to ask (a static or unusual build): no such guarantee
        pass


def mapped_bytes() -> int:
    """The address space this process has mapped now (VmSize), 0 if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def cap_memory(mb: int) -> int | None:
    """Cap this process's address space at what it has mapped now plus ``mb`` MB (soft RLIMIT_AS, never
    above the hard limit, e.g. a ``ulimit -v``). The cap in bytes, or None when there is none."""
    if mb <= 0:
        return None
    try:
        import resource
    except ImportError:
        return None
    limit = mapped_bytes() + (mb << 20)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        return None
    return limit


def _warm_up() -> None:  # pragma: no cover - runs in the child
    """Throw and catch one C++ exception in GEOS before the cap. The first exception a thread throws makes
    glibc allocate libstdc++'s thread-local exception state; when that first one is the ``std::bad_alloc`` of
    an exhausted cap, the allocation fails and glibc aborts the process ("cannot allocate memory for
    thread-local data") instead of GEOS reporting the bad_alloc."""
    try:
        import shapely

        shapely.from_wkt("POINT (")
    except Exception:  # noqa: BLE001 - the point is the exception
        pass


# What a check imports: loaded in the child before its baseline is taken, so that the cap is on the check's
# own growth wherever the child was forked from — a `layoutcheck check` process that has imported little, or
# a batch worker that has imported all of it (and more) already. Without this the same --memory figure
# stopped a plan checked alone (its imports, ~35-100 MB of address space, counted against the cap) and let
# the same plan through in a batch. What only `check` does after the check — rendering text (rich, ~1.4 MB),
# HTML, PDF or an overlay (matplotlib) — is not preloaded: a JSON check would pay its import time for nothing.
PRELOAD = ("ezdxf", "shapely", "numpy", "layoutcheck.pipeline", "layoutcheck.routes", "layoutcheck.report",
           "layoutcheck.digest", "layoutcheck.scoring", "layoutcheck.review", "layoutcheck.render.markup")


def preload() -> None:
    """Import :data:`PRELOAD` (each already imported costs nothing)."""
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)


def out_of_memory(exc: BaseException) -> bool:
    """MemoryError, or GEOS's ``std::bad_alloc`` as shapely reports it."""
    return isinstance(exc, MemoryError) or type(exc).__name__ == "GEOSException" and "bad_alloc" in str(exc)


def run(fn: Callable[..., Any], *args: Any, path: str | None, timeout: float | None = None,
        memory: int | None = None, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in a forked child under the memory cap and killed at the time limit.

    Returns what ``fn`` returned (it must pickle) or raises what it raised (an InputError as itself; an
    exception that does not pickle as a RuntimeError naming it). Exceeding the cap raises
    InputError(path, "error.memory"), the limit InputError(path, "error.timeout"); a child that dies any
    other way (a crash in a native library) raises RuntimeError — a bug, exit 3. ``fn`` must not print:
    what it writes to sys.stdout stays in the child."""
    seconds, mb = timeout_s(timeout), memory_mb(memory)
    if not available():
        return fn(*args, **kwargs)
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice, by both processes
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    parent = os.getpid()
    r, w = os.pipe()
    # What exists now is frozen in the child: its garbage collector then never walks (and so never copies,
    # page by page) the parent's objects — 0.07 s instead of 1 s per check in a test process of 300,000
    # objects. Unfrozen again here at once, unless they were frozen before (by a start-up gc.freeze()).
    thawed = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        pid = os.fork()
    finally:
        if thawed and os.getpid() == parent:
            gc.unfreeze()
    if pid == 0:  # pragma: no cover - the child; coverage does not follow it
        _child(r, w, parent, mb, fn, args, kwargs)
    os.close(w)
    return _wait(pid, r, path, seconds, mb)


def _child(r: int, w: int, parent: int, mb: int, fn, args, kwargs) -> None:  # pragma: no cover
    code = 0
    try:
        os.close(r)
        die_with_parent()
        if os.getppid() != parent:  # the parent died before the line above: nobody waits for us
            os._exit(1)
        # Ctrl-C reaches the whole process group: the parent stops this child; a SIGTERM handler
        # inherited from a batch parent must not run here
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _warm_up()
        preload()  # before the baseline: what is mapped at the cap then does not depend on who forked us
        # The child makes one check and exits: the cyclic collector's passes over the drawing's hundreds
        # of thousands of objects buy nothing (the memory cap still bounds it). 0.95x CPU on the large plan.
        gc.disable()
        limit = cap_memory(mb)
        try:
            result: tuple = ("ok", fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            result = ("memory", limit) if out_of_memory(exc) else ("raise", exc)
            if os.environ.get("LAYOUTCHECK_DEBUG") and not isinstance(exc, InputError):
                import traceback

                traceback.print_exc()  # here, where the frames are: the parent gets the exception alone
        # A check that ended in a RecursionError (a TOML file nested 500 deep) can leave this thread's
        # recursion budget nearly spent in a deep test process: the result is shallow, give pickle room.
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
        try:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            if result[0] == "raise":
                pickle.loads(data)  # an exception whose __init__ wants other arguments pickles, but never loads
        except BaseException as exc:  # noqa: BLE001 - a result or exception that does not pickle
            what = result[1] if result[0] == "raise" else exc
            if out_of_memory(exc):
                data = pickle.dumps(("memory", limit))
            elif isinstance(what, InputError):  # its arguments, as text, always pickle
                data = pickle.dumps(("raise", InputError(what.path, what.message_key,
                                                         **{k: str(v) for k, v in what.args_.items()})))
            else:
                data = pickle.dumps(("raise", RuntimeError(f"{type(what).__name__}: {what}"[:300])))
        view = memoryview(data)
        while view:
            view = view[os.write(w, view):]
    except BaseException:  # noqa: BLE001 - the parent sees a child that ended without a result
        code = 70
    finally:
        os._exit(code)


def _wait(pid: int, r: int, path: str | None, seconds: float, mb: int) -> Any:
    deadline = time.monotonic() + seconds + GRACE_S if seconds and seconds > 0 else None
    chunks: list[bytes] = []
    status, usage = None, None
    try:
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise InputError(path, "error.timeout", seconds=seconds)
            ready, _, _ = select.select([r], [], [], left if left is None else min(left, 1.0))
            if ready:
                chunk = os.read(r, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        _, status, usage = os.wait4(pid, 0)
    finally:
        os.close(r)
        if status is None:  # the deadline, Ctrl-C, or the parent told to stop: the child must not outlive it
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
    try:
        kind, value = pickle.loads(b"".join(chunks)) if chunks else (None, None)
    except Exception:  # noqa: BLE001 - cut short by a crash: no result
        kind, value = None, None
    if kind == "ok":
        return value
    if kind == "raise":
        raise value
    if kind == "memory":
        raise InputError(path, "error.memory", limit=mb)
    # Died without a word: killed by the kernel, or a native library aborted on a failed allocation
    # (a thread that cannot get its stack). Near the cap, that is the cap.
    peak = usage.ru_maxrss * 1024 if usage is not None else 0
    if mb > 0 and peak >= (mb << 20) // 2:
        raise InputError(path, "error.memory", limit=mb)
    how = (f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit status {os.WEXITSTATUS(status)}")
    raise RuntimeError(f"the check process stopped ({how})")
