"""The whole check in one call, for the CLI, batch runs and notebooks."""

from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Sequence

from . import review as review_mod
from . import rules
from . import standards as standards_mod
from .ingest import LayerMap, read_plan
from .measure import Metrics, measure
from .model import Plan
from .errors import InputError
from .report import build
from .rules import Project, Result
from .standards import Standard


@dataclass
class Checked:
    plan: Plan
    metrics: Metrics
    results: list[Result]
    standard: Standard
    project: Project
    review: Any = None  # review.Review: what the reviewer confirmed (--review)
    # source path → SHA-256, from a caller that hashed the files already (a batch) or from the first report:
    # each drawing is hashed once however many reports (languages, verdict) are built from one check
    sha256: dict[str, str | None] | None = None

    def report(self, lang: str = "zh") -> dict[str, Any]:
        report = build(self.plan, self.metrics, self.results, self.standard, self.project, lang, self.review,
                       sha256=self.sha256)
        self.sha256 = dict(zip(self.plan.sources, report["drawing"]["sha256"]))
        return report

    @property
    def verdict(self) -> str:
        return self.report()["verdict"] if self.standard.scoring_for(self.project.kind) else (
            "fail" if any(r.status == "fail" for r in self.results) else "pass")


DEFAULT_TIMEOUT_S = 300.0


class _Deadline(BaseException):
    """Raised by the alarm. A BaseException, so that the ``except Exception`` fallbacks around ezdxf
    (damaged files, unmeasurable blocks) cannot swallow it and let a timed-out check pass."""


@contextmanager
def time_limit(seconds: float | None, path: str):
    """Stop a check that runs too long (a hostile drawing) with a clear error instead of a hang.

    In a process's main thread (the CLI, batch worker processes) SIGALRM raises the deadline; elsewhere
    (Dask worker threads, Windows) a timer thread raises it in the checking thread with
    ``PyThreadState_SetAsyncExc``. Either way it arrives between Python bytecodes, so a long call into C
    ends first: the C-level limits (entity counts, curve points, grid size) keep those short."""
    if not seconds:
        yield
        return
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        ctx = _alarm(seconds)
    else:
        ctx = _async_deadline(seconds)
    try:
        with ctx:
            yield
    except _Deadline:
        raise InputError(path, "error.timeout", seconds=seconds) from None


@contextmanager
def _alarm(seconds: float):
    def on_alarm(signum, frame):
        raise _Deadline()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:  # even when the alarm fires while the timer is being stopped
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _async_deadline(seconds: float):
    import ctypes

    set_async = ctypes.pythonapi.PyThreadState_SetAsyncExc
    set_async.argtypes = (ctypes.c_ulong, ctypes.py_object)
    tid, lock, state = threading.get_ident(), threading.Lock(), {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = set_async(tid, _Deadline) == 1

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            timer.cancel()
            if state["fired"]:  # raised here, or still pending: never let it out of the check
                set_async(tid, ctypes.py_object())


def check(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
          standard: str | Standard = "kaifeng-2014", project: Project | None = None,
          units: str | None = None, layer_map: LayerMap | None = None,
          encoding: str | None = None, timeout_s: float | None = None, view: str | None = None,
          review: "str | os.PathLike[str] | review_mod.Review | None" = None, *, isolate: bool = False,
          memory_mb: int | None = None) -> Checked:
    """Read, measure and check a plan (one file per storey) against a standard.

    ``timeout_s`` (default ``LAYOUTCHECK_TIMEOUT`` or 300 s) bounds the whole check; ``view`` picks one
    plan view of a drawing set by part of its title. ``review`` (a review file or a loaded one) applies
    the reviewer's confirmations (review.py).

    In-process (the default) the time limit is an alarm, which reaches Python code only: a long call into
    GEOS ends first, and nothing caps memory. ``isolate=True`` runs the check as ``layoutcheck check`` does,
    in a forked child (limits.run) under the memory cap (``memory_mb``: default ``LAYOUTCHECK_MEMORY_MB``
    or 1536, the address space the check itself may add) and killed at the time limit even inside C
    code; the Checked comes back pickled. Over either limit: InputError (``error.memory`` /
    ``error.timeout``); a child that dies otherwise: RuntimeError. Where fork is missing (Windows) it
    runs in-process as without it."""
    if isolate:
        from . import limits

        first = str(paths if isinstance(paths, (str, os.PathLike)) else paths[0])
        return limits.run(check, paths, standard, project, units, layer_map, encoding, timeout_s, view, review,
                          path=first, timeout=timeout_s, memory=memory_mb)
    std = standard if isinstance(standard, Standard) else standards_mod.load(standard)
    project = project or Project()
    if project.kind not in std.kinds:
        raise InputError(None, "error.kind", standard=std.id, kind=project.kind, allowed=", ".join(std.kinds))
    review = _review(review, std, project)
    if timeout_s is None:
        from .limits import timeout_s as configured

        timeout_s = configured()  # LAYOUTCHECK_TIMEOUT, or DEFAULT_TIMEOUT_S
    first = str(paths if isinstance(paths, (str, os.PathLike)) else paths[0])
    with time_limit(timeout_s, first):
        plan = read_plan(paths, units=units, layer_map=layer_map, encoding=encoding, view=view)
        return check_plan(plan, std, project, review)


def _review(review, std: Standard, project: Project):
    if review is not None and not isinstance(review, review_mod.Review):
        review = review_mod.load(review)
    if review is not None:
        review_mod.validate(review, std, project.kind)
    return review


def check_plan(plan: Plan, standard: str | Standard = "kaifeng-2014", project: Project | None = None,
               review: "str | os.PathLike[str] | review_mod.Review | None" = None) -> Checked:
    """Measure and check a :class:`Plan` already built (by ingest, or in a test) against a standard,
    with the reviewer's confirmations (a review file or a loaded one) applied."""
    std = standard if isinstance(standard, Standard) else standards_mod.load(standard)
    project = project or Project()
    review = _review(review, std, project)
    project = review_mod.project_with(review, project)
    metrics = measure(plan)
    results = review_mod.apply(review, rules.run(plan, metrics, std, project))
    return Checked(plan, metrics, results, std, project, review)
