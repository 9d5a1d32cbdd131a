"""Many plans at once: ``layoutcheck batch INPUT --out DIR``.

Plain functions, one per step::

    tasks = discover(INPUT, standard=..., kind=..., population=...)   # folder, glob or CSV manifest
    result = run_batch(tasks, DIR, jobs=N)        # check what changed, in worker processes
    # → DIR/reports/<name>.json (one per plan) and DIR/summary.csv (rebuilt from the reports)

Each report carries, under ``"batch"``, what it was checked from: the file's size and mtime, its
SHA-256, the standard's content digest, kind, population, language, layer mapping and layoutcheck
version. A later run skips a plan whose report still matches, so an interrupted or repeated batch only
checks what is new or changed. Reports and the summary are written to a temporary file and renamed
into place (``os.replace``): a killed batch leaves every finished report whole.

A plan that cannot be read (DWG, empty, not DXF, damaged …) or that makes layoutcheck crash becomes a
report and a summary row with ``verdict`` "error" and the one-line message in ``error``; the batch
goes on. The work runs in a ``ProcessPoolExecutor`` (``--jobs``) or on a Dask cluster
(``--executor dask``, optional extra ``layoutcheck[dask]``). Workers only read plans and return
reports; the parent process alone writes files.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import logging
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePath
from typing import Any, Callable, Iterable

from . import __version__
from .errors import InputError
from .files import (MAX_DRAWING_BYTES, MAX_MANIFEST_BYTES, check_regular, is_under, lock_folder,
                    read_bytes, write_atomic, writing)
from .digest import file_digest, standard_digest  # noqa: F401 - the batch's names for them, as before
from .i18n import Msg, message
from .textsafe import clean, csv_cell, json_dumps
from .project import KIND_ALIASES, parse_kind, parse_population  # noqa: F401 - KIND_ALIASES: for scripts

# The first seven columns are the original ones (scripts read them by position); the rest follow them.
SUMMARY_COLUMNS = ("plan", "verdict", "gross_area_m2", "usable_area_m2", "hall_share", "failed_rules", "error",
                   "project", "standard", "kind", "population", "tier", "staff", "windows", "failed", "warnings",
                   "to_confirm", "score_min", "score_max", "grade", "report", "failed_messages")
FINDING_COLUMNS = ("plan", "project", "rule", "status", "clause", "message", "required", "measured", "where",
                   "storey", "report")
MANIFEST_COLUMNS = ("plan", "standard", "kind", "population", "staff", "windows", "project")
STATE_KEY = "batch"
REPORTS = "reports"
SUMMARY = "summary.csv"
SUMMARY_XLSX = "summary.xlsx"
STATUS = "status.json"



# --- tasks ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Task:
    """One plan to check and how."""

    path: str  # absolute path of the DXF file (the first storey's)
    display: str  # the plan as the user named it: the summary's ``plan`` column
    name: str  # stem of DIR/reports/<name>.json, unique within the batch: the relative path, extension kept
    standard: str  # built-in id or absolute path of a .toml file
    kind: str = "station"
    population: int | None = None
    more: tuple[tuple[str, str], ...] = ()  # the other storeys' files: (absolute path, as the user named it)
    staff: int | None = None  # 工作人员 (the project's staffing)
    windows: int | None = None  # 窗口数
    employment_staff: int | None = None
    project: str | None = None  # the project's name, for the reports' title block and the summary
    approved_increase: bool | None = None  # None: the batch's --approved-increase
    refused: str | None = None  # a manifest cell naming a file outside the manifest's folder: not read

    @property
    def paths(self) -> list[str]:
        """Every file of the plan, one per storey."""
        return [self.path, *(p for p, _ in self.more)]


@dataclass(frozen=True)
class Options:
    """Settings shared by every task of a batch."""

    lang: str = "zh"
    layers: str | None = None  # absolute path of a layer mapping file
    units: str | None = None  # overrides every drawing's $INSUNITS
    encoding: str | None = None  # forces every drawing's text code page
    approved_increase: bool = False  # every plan's area increase was approved
    review: str | None = None  # absolute path of a review file applied to every plan (--review)
    timeout_s: float | None = None  # per plan (--timeout); None: LAYOUTCHECK_TIMEOUT or 300 s
    memory_mb: int | None = None  # per plan (--memory); None: LAYOUTCHECK_MEMORY_MB or 1536 MB


def discover(source: str | os.PathLike[str], *, standard: str = "kaifeng-2014", kind: str = "station",
             population: int | None = None, project: dict[str, Any] | None = None,
             allow_outside: bool = False) -> list[Task]:
    """Turn INPUT — a folder (every *.dxf and *.dwg below it), a glob, a CSV manifest or one drawing — into tasks.

    Report names come from each plan's path relative to the folder (or the glob's fixed part, or the
    manifest's folder), folders joined with ``__`` and the extension kept: ``north/hall.dxf`` →
    ``north__hall.dxf``, so ``a.dxf`` and ``a.dwg`` are two reports. A name that does not spell its path
    back unambiguously (a ``__`` in a file name, an unsafe character, ``..``, cut at 200 bytes) gets
    ``~`` and 8 hex digits of the path's SHA-256: ``a__b.dxf`` → ``a__b.dxf~1c2d3e4f``, never the
    ``a/b.dxf`` report. Names depend only on the plan's own path (plus a ``~N`` for a manifest that
    lists one file twice), so adding a plan does not rename an existing report. Which report belongs to
    which file is decided by the path and content hash stored in it (see :func:`is_current`).

    A manifest's paths must stay inside the manifest's folder (``..``, absolute paths and links leading
    out are refused, the file is never opened) unless ``allow_outside``.

    ``project`` holds figures for every plan (``--project``: a project file's keys, staff, windows, name …);
    ``kind`` and ``population`` win over it, and a manifest row's cells win over both.
    """
    base_project = {k: v for k, v in (project or {}).items() if k in _PROJECT_KEYS}
    text = os.fspath(source)
    p = Path(text)
    found: list[tuple[str, str, PurePath, dict[str, Any]]] = []  # (path, display, relative, overrides)
    if p.is_dir():
        for f in sorted(_walk_dxf(p), key=lambda f: f.relative_to(p).as_posix()):
            found.append((os.path.abspath(f), str(f), f.relative_to(p), {}))
    elif p.is_file() and p.suffix.lower() == ".csv":
        found = _read_manifest(p, allow_outside)
    elif p.is_file():
        found.append((os.path.abspath(p), text, PurePath(p.name), {}))
    elif _MAGIC.search(text):
        base = _glob_base(text)
        for m in sorted(glob.glob(text, recursive=True)):
            if os.path.isfile(m):
                found.append((os.path.abspath(m), m, _relative(m, base), {}))
    else:
        raise InputError(text, "error.not-found")
    if not found:
        raise InputError(None, "error.batch-empty", input=text)

    tasks, taken = [], set()
    for path, display, rel, over in found:
        name = _unique(_report_name(rel), rel.as_posix(), taken)
        figures = {**base_project, "kind": kind, "population": population if population is not None
                   else base_project.get("population")}
        figures.update(over.get("project_file", {}))
        figures.update({k: v for k, v in over.items() if k in _PROJECT_KEYS and v is not None})
        tasks.append(Task(path=path, display=display, name=name,
                          standard=over.get("standard") or standard,
                          kind=figures.get("kind") or "station", population=figures.get("population"),
                          more=tuple(over.get("more", ())), staff=figures.get("staff"),
                          windows=figures.get("windows"), employment_staff=figures.get("employment_staff"),
                          project=figures.get("name"), approved_increase=figures.get("approved_increase"),
                          refused=over.get("refused")))
    return tasks


_PROJECT_KEYS = ("kind", "population", "staff", "windows", "employment_staff", "name", "approved_increase")


def _walk_dxf(folder: Path) -> Iterable[Path]:
    """Drawings below ``folder``, symlinked folders followed (a folder of links to project folders is how
    many offices collect a batch), each real folder once, so a link back up the tree is no endless loop."""
    seen: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in files:
            if f.lower().endswith((".dxf", ".dwg")) and not f.startswith("."):
                yield Path(root) / f


def _glob_base(pattern: str) -> str:
    parts = Path(pattern).parts
    fixed = []
    for part in parts:
        if _MAGIC.search(part):
            break
        fixed.append(part)
    return os.path.join(*fixed) if fixed else "."


def _relative(path: str, base: str) -> PurePath:
    try:
        return PurePath(os.path.relpath(path, base))
    except ValueError:  # another drive (Windows)
        return PurePath(path)


_MAGIC = re.compile(r"[*?[]")
_UNSAFE = re.compile(r'[<>:"|?*\x00-\x1f\\/]')


_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


def _report_name(rel: PurePath) -> str:
    """The report's file stem for a plan at ``rel``: its parts joined by ``__``, extension kept, plus
    ``~`` and a tag of the path whenever that spelling could also be another path's (see :func:`discover`)."""
    raw = [part for part in rel.parts if part not in (rel.anchor, ".", "")]
    parts = [("up" if part == ".." else part) for part in raw]
    name = "__".join(_UNSAFE.sub("_", part) for part in parts).lstrip(".") or "plan"
    if name.split(".")[0].upper() in _WINDOWS_DEVICES:  # reports/CON.json is the console on Windows
        name = f"_{name}"
    short = name.encode("utf-8")[:200].decode("utf-8", "ignore")  # file names: 255 bytes, with "~tag" and ".json"
    # The join can be split back on "__" only if no part holds "__" or starts or ends with "_"
    # (``a_/b.dxf`` and ``a/_b.dxf`` would both be ``a___b.dxf``).
    faithful = (short == "__".join(raw) and not rel.is_absolute() and "~" not in short
                and not any("__" in part or part.startswith("_") or part.endswith("_") for part in raw))
    return short if faithful else f"{short}~{_path_tag(rel.as_posix())}"


def _path_tag(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:8]


def _unique(name: str, key: str, taken: set[str]) -> str:
    """``name``, or when another plan of the batch has it (case-insensitively: reports may land on macOS or
    Windows disks) ``name~tag`` from the plan's own path ``key``, then ``~2``, ``~3`` for a path listed twice."""
    candidate = name
    if candidate.lower() in taken:
        candidate = name if "~" in name else f"{name}~{_path_tag(key)}"  # a faithful name has no "~"
    base, n = candidate, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{base}~{n}"
    taken.add(candidate.lower())
    return candidate


def _read_manifest(path: Path, allow_outside: bool = False) -> list[tuple[str, str, PurePath, dict[str, Any]]]:
    """A CSV with a header row: plan (required), standard, kind, population. Empty cells → CLI options.

    A plan of several storeys lists its files in one cell, separated by ``;`` (``north/1F.dxf;north/2F.dxf``):
    they are checked together, as ``layoutcheck check 1F.dxf 2F.dxf`` does.

    A file named in a cell (plan, standard or project file) that lies outside the manifest's folder is not
    opened unless ``allow_outside``: its row becomes an error row (``refused``) naming the rule."""
    raw = read_bytes(path, MAX_MANIFEST_BYTES)
    for enc in ("utf-8-sig", "gb18030"):  # Excel in Chinese Windows saves CSV as GBK
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise InputError(str(path), "error.manifest", problem=Msg("manifest.encoding"))
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise InputError(str(path), "error.manifest", problem=Msg("manifest.empty"))
    header = [h.strip().lower() for h in rows[0]]
    for h in header:
        if h not in MANIFEST_COLUMNS:
            import difflib

            close = difflib.get_close_matches(h, MANIFEST_COLUMNS, n=1)
            hint = Msg("hint.did-you-mean", word=close[0]) if close else ""
            raise InputError(str(path), "error.manifest", problem=Msg("manifest.unknown-column", column=h, hint=hint))
    if "plan" not in header:
        raise InputError(str(path), "error.manifest", problem=Msg("manifest.no-plan-column"))
    base = path.parent

    def outside(cell: str) -> bool:
        return not allow_outside and not is_under(Path(cell) if os.path.isabs(cell) else base / cell, base)

    out = []
    for lineno, row in enumerate(rows[1:], start=2):
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        plan = cells.get("plan", "")
        if plan.startswith("#"):
            continue
        if not plan:
            raise InputError(str(path), "error.manifest", problem=_line(lineno, Msg("manifest.plan-empty")))
        over: dict[str, Any] = {}
        if cells.get("standard"):
            s = cells["standard"]
            looks_like_path = s.lower().endswith(".toml") or "/" in s or "\\" in s
            over["standard"] = os.path.abspath(base / s) if looks_like_path and not os.path.isabs(s) else s
            if looks_like_path and outside(s):
                over["refused"], over["standard"] = s, None
        if cells.get("kind"):
            k = parse_kind(cells["kind"])
            if k is None:
                raise InputError(str(path), "error.manifest",
                                 problem=_line(lineno, Msg("manifest.kind", value=cells["kind"])))
            over["kind"] = k
        if cells.get("population"):
            over["population"] = _population(path, lineno, cells["population"])
        for key in ("staff", "windows"):
            if cells.get(key):
                over[key] = _count(path, lineno, key, cells[key])
        if cells.get("project"):
            ref = cells["project"]
            if ref.lower().endswith(".toml") and outside(ref):
                over["refused"] = ref
            elif ref.lower().endswith(".toml"):  # a project file per plan, relative to the manifest
                from .project import read as read_project

                try:
                    over["project_file"] = read_project(Path(ref) if os.path.isabs(ref) else base / ref)
                except InputError as exc:
                    raise InputError(str(path), "error.manifest",
                                     problem=_line(lineno, Msg(exc.message_key, **exc.args_))) from None
            else:
                over["name"] = ref  # the project's name
        files = [f.strip() for f in plan.split(";") if f.strip()]
        if not files:
            raise InputError(str(path), "error.manifest", problem=_line(lineno, Msg("manifest.no-file")))
        full = [os.path.abspath(Path(f) if os.path.isabs(f) else base / f) for f in files]
        over["refused"] = next((f for f in files if outside(f)), over.get("refused"))
        if len(files) > 1:
            over["more"] = list(zip(full[1:], files[1:]))
        out.append((full[0], ";".join(files), PurePath(os.path.normpath(files[0])), over))
    return out


def _line(lineno: int, problem: Msg) -> Msg:
    return Msg("manifest.line", line=lineno, problem=problem)


def _population(path: Path, lineno: int, cell: str) -> int:
    try:
        return parse_population(cell)  # 30000, 30,000, 3万, 3e4
    except ValueError:
        raise InputError(str(path), "error.manifest",
                         problem=_line(lineno, Msg("manifest.population", value=cell))) from None


def _count(path: Path, lineno: int, key: str, cell: str) -> int:
    text = cell.strip()
    if not (text.isascii() and text.isdigit()):  # "²" is a digit to Python, not a number to int()
        raise InputError(str(path), "error.manifest", problem=_line(lineno, Msg("manifest.count", key=key, value=cell)))
    return int(text)


# --- what a report was made from -------------------------------------------------------------------
def settings_of(task: Task, std_digest: str | None, options: Options, layers_digest: str | None,
                review_digest: str | None) -> dict[str, Any]:
    """What a plan's report depends on besides its files; the digests are taken once per batch."""
    return {"standard": task.standard if std_digest is None else None, "standard_sha256": std_digest,
            "kind": task.kind, "population": task.population, "lang": options.lang,
            "layers_sha256": layers_digest, "units": options.units, "encoding": options.encoding,
            "approved_increase": _approved(task, options), "version": __version__,
            "staff": task.staff, "windows": task.windows, "employment_staff": task.employment_staff,
            "project": task.project,
            **({"review_sha256": review_digest} if options.review else {})}


def _approved(task: Task, options: Options) -> bool:
    # As for check: the command-line flag wins over a project file or manifest cell (it can only say yes).
    return True if options.approved_increase else bool(task.approved_increase)


def file_state(path: str) -> dict[str, Any] | None:
    """Path, size and mtime of a plan's file; None when it is missing, not a regular file or too large
    (the worker then says why in the plan's error row; nothing here may open a FIFO or read /dev/zero)."""
    try:
        st = check_regular(path, MAX_DRAWING_BYTES)
    except InputError:
        return None
    return {"path": path, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def hashed_state(path: str) -> dict[str, Any] | None:
    """:func:`file_state` plus the SHA-256 of the content, taken together: the size and mtime stored are the
    ones the hash was computed from (a file that changes while it is hashed gets ``sha256`` None)."""
    before = file_state(path)
    if before is None:
        return None
    try:
        sha = file_digest(path)
    except OSError:
        return None
    after = file_state(path)
    return {**before, "sha256": sha if after == before else None}


def is_current(report: dict[str, Any] | None, state: dict[str, Any],
               refresh: Callable[[list[dict[str, Any]]], None] | None = None) -> bool:
    """Does a stored report describe this plan — the same files at the same paths with the same content —
    checked the way it would be checked now?

    Identity is the path and the content's SHA-256. Size and mtime are only a shortcut: when a file's path,
    size and mtime all equal what the report stored with its hash, the file is not read again; otherwise it
    is hashed now and compared (a ``touch`` or a copy with the same bytes stays current, and ``refresh``
    is given the new states so the shortcut works next time). A report written before reports stored
    ``files`` (an older layoutcheck) is never current: the plan is checked again."""
    if not report or not isinstance(report.get(STATE_KEY), dict):
        return False
    saved = report[STATE_KEY]
    stored, files = saved.get("files"), state.get("files") or []
    if (not saved.get("cacheable", False) or saved.get("settings") != state["settings"]
            or not isinstance(stored, list) or len(stored) != len(files) or not files):
        return False
    fresh, changed = [], False
    for old, now in zip(stored, files):
        if not isinstance(old, dict) or now is None or old.get("path") != now["path"] or not old.get("sha256"):
            return False
        if old.get("size") == now["size"] and old.get("mtime_ns") == now["mtime_ns"]:
            fresh.append(old)
            continue
        again = hashed_state(now["path"]) if old.get("size") == now["size"] else None  # new size: new content
        if again is not None:  # kept for the check, should the content differ: not hashed a second time
            state.setdefault("hashed", {})[now["path"]] = again
        if again is None or again["sha256"] != old["sha256"]:
            return False
        fresh.append(again)
        changed = True
    if changed and refresh is not None:
        refresh(fresh)
    return True


# --- one task (runs in a worker) --------------------------------------------------------------------
def run_task(task: Task, std, state: dict[str, Any], options: Options, layer_map=None) -> dict[str, Any]:
    """Check one plan and return its report with the batch state added. Never raises for a bad plan.

    The check runs in a child of the worker (limits.run) under the memory cap and is killed at the time
    limit, GEOS call or not: the plan then gets an error row and the worker goes on with the next.
    ``std`` is the loaded :class:`~layoutcheck.standards.Standard`, or the InputError loading it gave.
    """
    from . import limits

    try:
        return limits.run(check_task, task, std, state, options, layer_map, path=task.path,
                          timeout=options.timeout_s, memory=options.memory_mb)
    except InputError as exc:  # over the memory cap or the time limit: not remembered, tried again next time
        return _crash(task, std, state, options, _render(exc, task, options.lang))
    except Exception as exc:  # noqa: BLE001 - the check's process died (a crash in a native library)
        return _crash(task, std, state, options, _crash_message(task, exc, options.lang))


def check_task(task: Task, std, state: dict[str, Any], options: Options, layer_map=None) -> dict[str, Any]:
    """:func:`run_task`'s work, in the process it is called in."""
    logging.getLogger("ezdxf").setLevel(logging.CRITICAL)
    started = time.perf_counter()
    cacheable = True
    files: list[dict[str, Any] | None] = [None] * len(task.paths)
    try:
        if task.refused:  # never opened: a manifest may not make layoutcheck read files elsewhere
            raise InputError(task.refused, "error.outside-manifest")
        # The content is hashed before it is checked, with the size and mtime it had: the report then
        # says which bytes its verdict is about even when the file changes during the check. A hash the
        # parent took while deciding whether the old report was current is used while the file's size and
        # mtime are still the ones it was taken with; the report's drawing.sha256 is these same digests.
        hashed = state.get("hashed") or {}
        for i, p in enumerate(task.paths):
            check_regular(p, MAX_DRAWING_BYTES)  # a FIFO or a device: one line, no hang
            before = hashed.get(p)
            now = file_state(p) if before is not None else None
            same = now is not None and all(before.get(k) == now[k] for k in ("path", "size", "mtime_ns"))
            files[i] = before if same and before.get("sha256") else hashed_state(p)
        if isinstance(std, InputError):
            cacheable = False  # the standard may be fixed without the plan changing
            raise std
        from .pipeline import check
        from .rules import Project

        project = Project(kind=task.kind, population=task.population, approved_increase=_approved(task, options),
                          staff=task.staff, windows=task.windows, employment_staff=task.employment_staff,
                          name=task.project)
        done = check(task.paths, std, project, units=options.units, layer_map=layer_map, encoding=options.encoding,
                     review=options.review, timeout_s=options.timeout_s)
        done.sha256 = {p: f.get("sha256") if f else None for p, f in zip(task.paths, files)}
        report = done.report(options.lang)
    except InputError as exc:
        report = error_report(task, std, _render(exc, task, options.lang))
        if exc.message_key in ("error.not-found", "error.unreadable", "error.timeout", "error.not-regular",
                               "error.outside-manifest"):
            cacheable = False  # gone, unreadable or too slow this time: try again next time
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - one bad plan must not stop the batch
        from .limits import out_of_memory

        if out_of_memory(exc):
            raise  # run_task's memory cap: its own message, not a bug
        if os.environ.get("LAYOUTCHECK_DEBUG"):
            import traceback

            traceback.print_exc()
        reason = f"{type(exc).__name__}: {exc}"[:200]
        text = message("error.internal", options.lang, reason=reason)
        report = error_report(task, std, f"{task.display}: {text}")
        cacheable = False  # a crash may be a bug fixed in the next version, or a passing condition
    hashed_all = all(f is not None and f.get("sha256") for f in files)
    report[STATE_KEY] = {
        "plan": task.display, "path": task.path, "name": task.name, "files": files,
        "sha256": ";".join(f["sha256"] for f in files) if hashed_all else None,
        "settings": state["settings"], "cacheable": cacheable and hashed_all,
        "checked_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 3),
    }
    return _clean(report)


def error_report(task: Task, std, error: str) -> dict[str, Any]:
    sid = getattr(std, "id", task.standard)
    return {"schema": 1, "plan": Path(task.path).name, "plans": task.paths, "standard": sid,
            "kind": task.kind, "population": task.population, "verdict": "error", "error": error}


def _render(exc: InputError, task: Task, lang: str) -> str:
    spelled = {task.path: task.display.split(";")[0], **dict(task.more)}
    if exc.path is not None and os.path.abspath(exc.path) in spelled:
        exc.path = spelled[os.path.abspath(exc.path)]  # the user's own spelling of the path, not the absolute one
    text = exc.render(lang)
    return text if exc.path is not None else f"{task.display}: {text}"


def _clean(obj: Any) -> Any:
    """Drop lone surrogates (names decoded with a wrong code page) so the report can be written as UTF-8."""
    if isinstance(obj, str):
        return obj.encode("utf-8", "replace").decode("utf-8")
    if isinstance(obj, dict):
        return {_clean(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_clean(v) for v in obj]
    return obj


# --- files ------------------------------------------------------------------------------------------
def report_path(out: Path, task: Task) -> Path:
    """DIR/reports/<name>.json (``write_atomic``, from :mod:`layoutcheck.files`, writes it)."""
    return Path(out) / REPORTS / f"{task.name}.json"


def read_report(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def write_report(out: Path, task: Task, report: dict[str, Any]) -> None:
    write_atomic(report_path(out, task), json_dumps(report, ensure_ascii=False, indent=1) + "\n")  # no bare NaN


def summary_row(task: Task, report: dict[str, Any] | None, lang: str = "zh") -> dict[str, str]:
    """One summary.csv row from a plan's report (or a row saying it was not checked)."""
    given = {"project": task.project or "", "standard": task.standard if not os.path.isabs(task.standard)
             else Path(task.standard).name, "kind": task.kind,
             "population": "" if task.population is None else str(task.population),
             "staff": "" if task.staff is None else str(task.staff),
             "windows": "" if task.windows is None else str(task.windows)}
    if report is None:
        # not checked yet (an interrupted batch): "pending", so a filter on "error" finds only plans that failed
        return {**dict.fromkeys(SUMMARY_COLUMNS, ""), **given, "plan": task.display, "verdict": "pending",
                "error": f"{task.display}: {message('error.not-checked', lang)}"}
    metrics = report.get("metrics") or {}

    def num(key: str) -> str:
        v = metrics.get(key)
        return "" if v is None else repr(v) if isinstance(v, float) else str(v)

    results = [r for r in report.get("results", []) if isinstance(r, dict)]
    failed = [r for r in results if r.get("status") == "fail"]
    score = report.get("score") or {}
    grade = score.get("grade") or {}
    sep = message("sep.clause", lang)
    row = {**given, "plan": task.display, "verdict": report.get("verdict", "error"),
           "gross_area_m2": num("gross_area_m2"), "usable_area_m2": num("usable_area_m2"),
           "hall_share": num("hall_share"), "failed_rules": ";".join(dict.fromkeys(r.get("rule", "") for r in failed)),
           "error": " ".join(str(report.get("error") or "").split()),
           "standard": str(report.get("standard") or given["standard"]),
           "tier": str(report.get("tier_name") or report.get("tier") or ""),
           "failed": str(len(failed)) if results else "",
           "warnings": str(sum(r.get("status") == "warn" for r in results)) if results else "",
           "to_confirm": str(sum(r.get("status") == "n/a" for r in results)) if results else "",
           "score_min": _g((score.get("range") or {}).get("min")), "score_max": _g((score.get("range") or {}).get("max")),
           "grade": grade.get("min", "") if grade.get("min") == grade.get("max") else f"{grade.get('min')}–{grade.get('max')}",
           "report": f"{REPORTS}/{task.name}.json",
           "failed_messages": sep.join(" ".join(str(r.get("message", "")).split()) for r in failed)}
    return {k: row.get(k, "") for k in SUMMARY_COLUMNS}


def _g(v: Any) -> str:
    return "" if v is None else f"{v:g}" if isinstance(v, (int, float)) else str(v)


def finding_rows(task: Task, report: dict[str, Any] | None, lang: str = "zh") -> list[dict[str, Any]]:
    """Every failing or warned result of a plan, one row each, for the workbook's findings sheet."""
    from .report.text import fmt

    rows = []
    for r in (report or {}).get("results", []):
        if not isinstance(r, dict) or r.get("status") not in ("fail", "warn"):
            continue
        where = "; ".join(f"({p[0]:.2f}, {p[1]:.2f})" for p in r.get("where") or [] if len(p) >= 2)
        rows.append({"plan": task.display, "project": task.project or "", "rule": r.get("rule", ""),
                     "status": r.get("status"), "clause": r.get("clause", ""), "message": r.get("message", ""),
                     "required": fmt(r.get("required"), r.get("unit"), lang, (r.get("details") or {}).get("name_en")),
                     "measured": fmt(r.get("measured"), r.get("unit"), lang, (r.get("details") or {}).get("name_en")),
                     "where": where, "storey": r.get("storey", ""), "report": f"{REPORTS}/{task.name}.json"})
    return rows


def summary_parts(task: Task, report: dict[str, Any] | None,
                  lang: str = "zh") -> tuple[dict[str, str], list[dict[str, Any]]]:
    """What the summary takes from a plan's report (its row and its findings), for a report that is this
    plan's (:func:`_own`). Kept by a batch for each report it reads or writes, so that rebuilding the
    summary (at the start, on an interruption, at the end) never reads a report back from disk."""
    report = _own(report, task)
    return summary_row(task, report, lang), finding_rows(task, report, lang)


def write_summary(out: Path, tasks: list[Task], lang: str = "zh", unfinished: set[str] | None = None,
                  known: dict[str, tuple[dict[str, str], list[dict[str, Any]]]] | None = None
                  ) -> list[dict[str, str]]:
    """Rebuild DIR/summary.csv and DIR/summary.xlsx from the reports of ``tasks`` (in their order) and
    return the rows. A task named in ``unfinished`` (an interrupted batch) gets a not-checked row even if
    an older report of it exists. ``known`` holds :func:`summary_parts` by task name for reports the caller
    has in hand; only the others are read from ``DIR/reports``.

    The CSV is UTF-8 with a byte-order mark, so Excel on Chinese Windows opens it as UTF-8, not GBK."""
    unfinished = unfinished or set()
    known = {} if known is None else known
    parts = [summary_parts(t, None, lang) if t.name in unfinished
             else known[t.name] if t.name in known
             else summary_parts(t, read_report(report_path(out, t)), lang) for t in tasks]
    rows = [row for row, _ in parts]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows([{k: csv_cell(v) for k, v in row.items()} for row in rows])  # "=cmd|…" cells are text
    write_atomic(Path(out) / SUMMARY, "\ufeff" + buf.getvalue())
    findings = [f for _, found in parts for f in found]
    with writing(Path(out) / SUMMARY_XLSX):  # MemoryError building it: exit 2 naming the file
        data = workbook(rows, findings, lang)
    write_atomic(Path(out) / SUMMARY_XLSX, data)
    return rows


def _own(report: dict[str, Any] | None, task: Task) -> dict[str, Any] | None:
    """The report if it is this plan's (same path as the task); another file's report under the same name
    is never summed up as this plan's result."""
    state = (report or {}).get(STATE_KEY)
    return report if isinstance(state, dict) and state.get("path") == task.path else None


def write_status(out: Path, state: str, plans: int, done: int) -> None:
    """DIR/status.json: ``{"state": "running" | "interrupted" | "complete", "complete": bool, "plans",
    "done", "pending", "updated_at", "pid"}`` — for scripts: the summary beside it is final only when
    ``complete`` is true. A ``running`` state whose batch is gone (no process holds
    ``.layoutcheck.lock``) was killed outright."""
    status = {"state": state, "complete": state == "complete", "plans": plans, "done": done,
              "pending": plans - done, "updated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "pid": os.getpid()}
    write_atomic(Path(out) / STATUS, json.dumps(status, ensure_ascii=False, indent=1) + "\n")


NUMERIC = {"gross_area_m2", "usable_area_m2", "hall_share", "population", "staff", "windows", "failed", "warnings",
           "to_confirm", "score_min", "score_max"}


def workbook(rows: list[dict[str, str]], findings: list[dict[str, Any]], lang: str = "zh") -> bytes:
    """summary.xlsx: a sheet of plans (one row each, filters on, header frozen) and a sheet of every
    failing finding with its clause and location."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    sheets = ((wb.active, message("batch.sheet-plans", lang), SUMMARY_COLUMNS, rows),
              (wb.create_sheet(), message("batch.sheet-findings", lang), FINDING_COLUMNS, findings))
    red = PatternFill("solid", fgColor="FDE0DC")
    amber = PatternFill("solid", fgColor="FFF2CC")
    for ws, title, columns, data in sheets:
        ws.title = title
        ws.append(list(columns))
        for row in data:
            values = []
            for c in columns:
                v = row.get(c, "")
                if c in NUMERIC and v not in ("", None):
                    try:
                        v = float(v) if "." in str(v) else int(v)
                    except ValueError:
                        pass
                values.append(_cell(v))
            ws.append(values)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # a name like "=HYPERLINK(...)" in a drawing is text, not a formula
            if row.get("verdict") in ("fail", "error") or row.get("status") == "fail":
                for cell in ws[ws.max_row]:
                    cell.fill = red
            elif row.get("verdict") == "pending":  # not checked (yet): the sheet is not final
                for cell in ws[ws.max_row]:
                    cell.fill = amber
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, ws.max_row)}"
        for i, c in enumerate(columns, 1):
            longest = max([len(str(c))] + [min(60, len(str(r.get(c, "")))) for r in data[:500]])
            ws.column_dimensions[get_column_letter(i)].width = max(8, longest + 2)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(v: Any) -> Any:
    """A value openpyxl can store and no spreadsheet runs: control characters dropped, a leading = + - @ quoted."""
    return csv_cell(v)


# --- the batch --------------------------------------------------------------------------------------
@dataclass
class BatchResult:
    rows: list[dict[str, str]]
    checked: int
    skipped: int
    seconds: float
    summary: Path
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 every plan passes, 1 some plan fails a rule, 2 some plan could not be checked."""
        if self.counts.get("error"):
            return 2
        return 1 if self.counts.get("fail") else 0

    def as_dict(self) -> dict[str, Any]:
        return {"plans": len(self.rows), "pass": self.counts.get("pass", 0), "fail": self.counts.get("fail", 0),
                "error": self.counts.get("error", 0), "checked": self.checked, "skipped": self.skipped,
                "seconds": round(self.seconds, 2), "summary": str(self.summary)}


Done = Callable[[Task, dict[str, Any]], None]


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def run_batch(tasks: list[Task], out: str | os.PathLike[str], **kwargs: Any) -> BatchResult:
    """:func:`_run_batch` while holding the lock on ``out`` (``out/.layoutcheck.lock``): a second batch
    writing into the same folder stops at once with ``error.batch-locked`` (exit 2) instead of mixing
    its reports and summary with this one's."""
    out = Path(out)
    with writing(out):
        out.mkdir(parents=True, exist_ok=True)
    with lock_folder(out):
        return _run_batch(tasks, out, **kwargs)


def _run_batch(tasks: list[Task], out: str | os.PathLike[str], *, jobs: int | None = None,
               options: Options | None = None, executor: str = "process", scheduler: str | None = None,
               force: bool = False, progress: bool = False, worker: Callable[..., dict[str, Any]] = run_task,
               log: Callable[[str], None] | None = None) -> BatchResult:
    """Check every task whose report is missing or out of date, then rebuild the summary.

    ``worker`` is the function the executor runs (``run_task``; tests substitute one that misbehaves).
    ``log`` receives the one-line error of each plan that could not be checked, as it happens.

    While plans are being checked, ``summary.csv``/``summary.xlsx`` already list them with verdict
    ``pending`` and ``status.json`` says ``"state": "running"``, so a batch killed outright (SIGKILL, a
    power cut) leaves a summary marked unfinished, not the previous run's. Both are rewritten at the end.
    """
    started = time.perf_counter()
    out = Path(out)
    options = options or Options()
    (out / REPORTS).mkdir(parents=True, exist_ok=True)
    if not (out / REPORTS).resolve().is_relative_to(out.resolve()):  # a symlink to somewhere else
        raise InputError(str(out / REPORTS), "error.reports-elsewhere", target=str((out / REPORTS).resolve()))
    jobs = max(1, jobs or default_jobs())

    layer_map, layers_digest = None, None
    if options.layers:
        from .ingest.layers import load_mapping

        layer_map = load_mapping(options.layers)
        layers_digest = file_digest(options.layers)
    review_digest = file_digest(options.review) if options.review and tasks else None  # once, not per plan

    from . import standards as standards_mod

    loaded: dict[str, Any] = {}  # standard ref → (Standard or InputError, digest)
    todo: list[tuple[Task, Any, dict[str, Any]]] = []
    known: dict[str, tuple[dict[str, str], list[dict[str, Any]]]] = {}  # name → summary_parts, as written
    for task in tasks:
        if task.standard not in loaded:
            try:
                std = standards_mod.load(task.standard)
                loaded[task.standard] = (std, standard_digest(std))
            except InputError as exc:
                loaded[task.standard] = (exc, None)
        std, digest = loaded[task.standard]
        state = {"files": [file_state(p) for p in task.paths],  # each storey's file: path, size and mtime
                 "settings": settings_of(task, digest, options, layers_digest, review_digest)}
        old = None if force or task.refused else read_report(report_path(out, task))  # its only read this run

        def refresh(fresh, task=task, old=old):  # same bytes, new mtime: store it, so it is not hashed again
            old[STATE_KEY]["files"] = fresh
            write_report(out, task, old)

        if old is not None and is_current(old, state, refresh):
            known[task.name] = summary_parts(task, old, options.lang)
            continue
        todo.append((task, std, state))

    unfinished = {t.name for t, _, _ in todo}
    if todo:  # marked unfinished from the start: nothing can stop the batch before this is on disk
        write_summary(out, tasks, options.lang, unfinished, known)
        write_status(out, "running", len(tasks), len(tasks) - len(unfinished))

    def done(task: Task, report: dict[str, Any]) -> None:
        write_report(out, task, report)
        known[task.name] = summary_parts(task, report, options.lang)
        unfinished.discard(task.name)
        if report.get("verdict") == "error" and log is not None:
            line = clean(str(report.get("error") or task.display))  # a file name or error text: no control bytes
            if not bar.print(line):
                log(line)
        bar.advance()

    try:
        with stop_on_signals(), _Progress(len(todo), enabled=progress) as bar:
            if todo:
                if executor == "dask":
                    bar.start()
                    _run_dask(todo, options, layer_map, scheduler, jobs, worker, done)
                elif executor == "process":
                    _run_processes(todo, options, layer_map, jobs, worker, done, bar)
                else:
                    raise ValueError(f"unknown executor {executor!r}")
    except (KeyboardInterrupt, Interrupted) as exc:  # the workers are stopped: sum up what finished
        write_summary(out, tasks, options.lang, unfinished, known)
        write_status(out, "interrupted", len(tasks), len(tasks) - len(unfinished))
        signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
        raise Interrupted(signum, done=len(tasks) - len(unfinished), total=len(tasks),
                          summary=out / SUMMARY) from None

    rows = write_summary(out, tasks, options.lang, known=known)
    write_status(out, "complete", len(tasks), len(tasks))
    counts = {"pass": 0, "fail": 0, "error": 0}
    for r in rows:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    return BatchResult(rows=rows, checked=len(todo), skipped=len(tasks) - len(todo),
                       seconds=time.perf_counter() - started, summary=out / SUMMARY, counts=counts)


def _crash(task: Task, std, state: dict[str, Any], options: Options, error: str) -> dict[str, Any]:
    report = error_report(task, std, error)
    report[STATE_KEY] = {"plan": task.display, "path": task.path, "name": task.name, "files": state.get("files"),
                         "sha256": None, "settings": state["settings"], "cacheable": False,
                         "checked_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "seconds": None}
    return report


def _crash_message(task: Task, exc: BaseException, lang: str) -> str:
    if isinstance(exc, BrokenProcessPool):
        return f"{task.display}: {message('error.worker-died', lang)}"
    reason = f"{type(exc).__name__}: {exc}"[:200]
    return f"{task.display}: {message('error.internal', lang, reason=reason)}"


# --- stopping ----------------------------------------------------------------------------------------
class Interrupted(BaseException):
    """SIGINT (Ctrl-C) or SIGTERM stopped the batch. A BaseException, like KeyboardInterrupt, so no
    ``except Exception`` on the way swallows it. Raised out of ``run_batch`` after the workers were
    stopped and the summary of what finished was written."""

    def __init__(self, signum: int, done: int = 0, total: int = 0, summary: Path | None = None) -> None:
        super().__init__(signum)
        self.signum, self.done, self.total, self.summary = int(signum), done, total, summary

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # as a shell reports a process ended by the signal: 130, 143


@contextmanager
def stop_on_signals():
    """In the main thread, turn SIGTERM (and SIGINT) into :class:`Interrupted`, so a batch that is told
    to stop ends its workers and writes its summary instead of dying with the workers still running."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    stopping = []

    def stop(signum, frame):
        if stopping:  # a second signal while the first one's cleanup runs: let the cleanup finish
            return
        stopping.append(signum)
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


# --- local processes --------------------------------------------------------------------------------
def _init_worker() -> None:
    from .limits import die_with_parent

    die_with_parent(signal.SIGKILL)  # a batch killed with SIGKILL (which it cannot catch) takes its workers along
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the parent's stop handler
    logging.getLogger("ezdxf").setLevel(logging.CRITICAL)
    _freeze_imports()


def _freeze_imports() -> None:
    """Import what checking a plan needs, then move every object made so far out of the collector's
    reach (``gc.freeze``): the modules, ezdxf's and shapely's among them, live as long as the worker, and
    without this each full collection while a plan is read walks all of them again."""
    import gc

    from . import pipeline  # noqa: F401 - imported once per worker, before its first plan

    gc.freeze()


def _mp_context():
    """How worker processes start. ``fork`` when this process has a single thread (Linux): a worker is
    then a copy of a process that has already imported layoutcheck and starts at once. Otherwise
    (another thread is running, e.g. the progress bar's, or not Linux) ``forkserver``: workers fork from
    a server process that imports layoutcheck once; ``spawn`` where there is neither (Windows)."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and threading.active_count() == 1:
        from . import pipeline  # noqa: F401 - imported here, before the fork, not again in every worker
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["layoutcheck.batch", "layoutcheck.pipeline"])
        return ctx
    return multiprocessing.get_context("spawn")


def _run_processes(todo, options: Options, layer_map, jobs: int, worker, done: Done, bar: "_Progress") -> None:
    """At most ``jobs`` plans in flight. When a worker dies (killed for memory, a segfault in a native
    library) the pool breaks; the plans that were in flight are retried one at a time in a new pool,
    and the one that breaks it alone gets an error row while the batch goes on."""
    queue = deque(todo)
    suspects: deque = deque()
    jobs = min(jobs, len(todo))
    pool: ProcessPoolExecutor | None = None
    inflight: dict[Future, tuple[Any, bool]] = {}  # future → (item, run alone?)

    def settle(fut: Future, item, alone: bool) -> bool:
        """Hand a finished plan to ``done``; True when its worker's pool broke."""
        task, std, state = item
        try:
            report = fut.result()
        except BrokenProcessPool as exc:
            if alone:
                done(task, _crash(task, std, state, options, _crash_message(task, exc, options.lang)))
            else:
                suspects.append(item)
            return True
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
            report = _crash(task, std, state, options, _crash_message(task, exc, options.lang))
        done(task, report)
        return False

    try:
        while queue or suspects or inflight:
            if pool is None:
                pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_mp_context(), initializer=_init_worker)
            broken = False
            try:
                if suspects:
                    if not inflight:
                        inflight[pool.submit(worker, *suspects[0], options, layer_map)] = (suspects[0], True)
                        suspects.popleft()
                else:
                    while queue and len(inflight) < jobs:
                        inflight[pool.submit(worker, *queue[0], options, layer_map)] = (queue[0], False)
                        queue.popleft()
            except BrokenProcessPool:  # a worker died since the last look: its plan is one of those in flight
                if not inflight:
                    raise RuntimeError("the worker processes cannot start") from None
                broken = True
            bar.start()  # once the first workers are running: they were started without its thread
            if not broken:
                finished, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
                for fut in finished:
                    broken |= settle(fut, *inflight.pop(fut))
            if broken:
                for fut in list(inflight):  # every other plan in flight fails with the pool
                    settle(fut, *inflight.pop(fut))
                pool.shutdown(wait=True, cancel_futures=True)
                pool = None
    except BaseException:
        if pool is not None:
            procs = list((getattr(pool, "_processes", None) or {}).values())
            for proc in procs:  # stop the work in flight now
                proc.terminate()
            for proc in procs:  # and see them gone: none is left running behind the batch
                proc.join(timeout=5)
                if proc.is_alive():
                    proc.kill()
                    proc.join(timeout=2)
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True)


# --- Dask -------------------------------------------------------------------------------------------
def _run_dask(todo, options: Options, layer_map, scheduler: str | None, jobs: int, worker, done: Done) -> None:
    """Run on a Dask distributed cluster (``scheduler`` address), or on a local one of ``jobs`` workers.
    Workers must have layoutcheck installed and see the plans at the same paths."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise InputError(None, "error.dask-missing") from None
    cluster = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout=20, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                reason = " ".join(str(exc).split())[:160] or type(exc).__name__
                raise InputError(None, "error.dask-scheduler", address=scheduler, reason=reason) from None
        else:
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster, set_as_default=False)
        with client:
            futures = {}
            for item in todo:
                fut = client.submit(worker, item[0], item[1], item[2], options, layer_map, pure=False,
                                    key=f"layoutcheck-{item[0].name}-{os.urandom(4).hex()}")
                futures[fut] = item
            for fut in as_completed(list(futures), loop=client.loop):
                task, std, state = futures.pop(fut)
                try:
                    report = fut.result()
                except (Exception, SystemExit) as exc:  # noqa: BLE001 - KilledWorker, a lost worker …
                    report = _crash(task, std, state, options, _crash_message(task, exc, options.lang))
                done(task, report)
    finally:
        if cluster is not None:
            cluster.close()


# --- progress ---------------------------------------------------------------------------------------
class _Progress:
    """A rich progress bar on stderr, silent when stderr is not a terminal or when disabled."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled and total > 0 and sys.stderr.isatty()
        self._progress = None
        self._task = None

    def __enter__(self) -> "_Progress":
        return self

    def start(self) -> None:
        if self.enabled and self._progress is None:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), TimeRemainingColumn(),
                                      console=Console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task("layoutcheck", total=self.total)

    def advance(self) -> None:
        self.start()
        if self._progress is not None:
            self._progress.advance(self._task)

    def print(self, text: str) -> bool:
        """Print above the bar; False when there is no bar."""
        if self._progress is None:
            return False
        self._progress.console.print(text, markup=False, highlight=False)
        return True

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
