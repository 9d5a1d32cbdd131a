"""Reading inputs and writing outputs safely.

Inputs (drawings, standards, project / review / layer files, manifests) must be regular files of a
bounded size: a FIFO would block the first ``open`` forever, ``/dev/zero`` or ``/dev/urandom`` would be
read until memory runs out, and a 40 GB file given by mistake would take the machine with it. The
check is a ``stat`` (which never blocks) before any ``open``, and every read stops one byte past the cap
(``/proc`` files report a size of 0).

Outputs (reports, overlays, marked-up drawings, batch reports and summaries) are written whole or not
at all: a temporary file in the same folder, flushed to disk, then ``os.replace`` over the target. A
disk that fills up, a folder that cannot be written or a renderer that runs out of memory or recursion
ends the command with exit 2 and one line naming the path (:func:`writing`); no truncated file is left.
An output is never one of the inputs (:func:`refuse_overwrite`).

A batch's ``--out`` folder is locked while the batch runs (:func:`lock_folder`), so two batches never
write into one folder at once.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from .errors import InputError
from .i18n import Msg

MiB = 1 << 20
# Far above any real floor plan (the largest in the corpora is a few tens of MB) and below what a
# 2-core, few-GB office machine can parse: ezdxf needs roughly 10–20× a DXF's size in memory.
MAX_DRAWING_BYTES = 512 * MiB
# Standards, project, review and layer-mapping files are hand-written TOML of a few KB.
MAX_TOML_BYTES = 1 * MiB
# A batch manifest: one short CSV row per plan; 64 MB is several hundred thousand rows.
MAX_MANIFEST_BYTES = 64 * MiB

LOCK_NAME = ".layoutcheck.lock"
_UMASK = os.umask(0o022)
os.umask(_UMASK)
_MODE = 0o666 & ~_UMASK  # what open() would give a new file (mkstemp's own temporary files are 0600)



# --- inputs ------------------------------------------------------------------------------------------
def _kind(mode: int) -> dict[str, Msg]:
    for test, kind in ((stat.S_ISFIFO, "fifo"), (stat.S_ISCHR, "char-device"), (stat.S_ISBLK, "block-device"),
                       (stat.S_ISSOCK, "socket")):
        if test(mode):
            return {"kind": Msg(f"file-kind.{kind}")}
    return {"kind": Msg("file-kind.special")}


def size_text(n: int) -> str:
    """1.5 GB, 600 MB, 2 KB: the unit a person reads at a glance."""
    for unit, scale in (("GB", 1 << 30), ("MB", MiB), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} B"


def check_regular(path: str | os.PathLike[str], limit: int) -> os.stat_result:
    """The ``stat`` of an input that may be opened: it exists, is a regular file (a symlink to one is
    fine) and is at most ``limit`` bytes. ``stat`` does not open the file, so a FIFO cannot block here."""
    p = os.fspath(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputError(p, "error.not-found") from None
    except OSError as exc:  # permission on a folder, a name too long, a loop of links
        if exc.errno in (errno.ENOTDIR, errno.ENAMETOOLONG, errno.ELOOP):
            raise InputError(p, "error.not-found") from None
        raise InputError(p, "error.unreadable", reason=exc.strerror or str(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(p, "error.is-directory")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(p, "error.not-regular", **_kind(st.st_mode))
    if st.st_size > limit:
        raise InputError(p, "error.too-large", size=size_text(st.st_size), limit=size_text(limit))
    return st


def open_regular(path: str | os.PathLike[str], limit: int) -> BinaryIO:
    """An input file opened for reading, once :func:`check_regular` allows it. O_NONBLOCK and a second look
    at what was opened: a file swapped for a FIFO since the stat cannot block the open either (on a regular
    file the flag changes nothing). OSError is the caller's to word."""
    check_regular(path, limit)
    p = os.fspath(path)
    fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    f = open(fd, "rb")
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        f.close()
        raise InputError(p, "error.not-regular", **_kind(mode))
    return f


def read_bytes(path: str | os.PathLike[str], limit: int) -> bytes:
    """A whole input file of at most ``limit`` bytes, or one InputError (see :func:`check_regular`)."""
    p = os.fspath(path)
    try:
        with open_regular(p, limit) as f:
            # a file that grew, or a /proc file whose stat says 0 bytes: read up to limit + 1, a MiB at a time
            # (read(limit + 1) allocates all 512 MiB first, which a check's memory cap refuses: limits.py)
            chunks, total = [], 0
            while total <= limit:
                chunk = f.read(min(MiB, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
            data = b"".join(chunks)
    except OSError as exc:
        raise InputError(p, "error.unreadable", reason=exc.strerror or str(exc)) from None
    if len(data) > limit:
        raise InputError(p, "error.too-large", size=f"> {size_text(limit)}", limit=size_text(limit))
    return data


def read_text(path: str | os.PathLike[str], limit: int = MAX_TOML_BYTES) -> str:
    """A UTF-8 text input (TOML); UnicodeDecodeError is left to the caller, which names the file's kind."""
    return read_bytes(path, limit).decode("utf-8")


def is_under(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    """Is ``path`` inside ``folder`` once ``..`` and symbolic links are resolved?"""
    real, base = os.path.realpath(path), os.path.realpath(folder)
    try:
        return os.path.commonpath([real, base]) == base
    except ValueError:  # another drive (Windows)
        return False


# --- outputs -----------------------------------------------------------------------------------------
@contextmanager
def writing(path: str | os.PathLike[str]) -> Iterator[None]:
    """Producing and writing one output: an OSError (disk full, no permission, a read-only or virtual
    file system), MemoryError or RecursionError becomes exit 2 with one line naming the output."""
    try:
        yield
    except (OSError, MemoryError, RecursionError) as exc:
        reason = (exc.strerror if isinstance(exc, OSError) and exc.strerror else None) or type(exc).__name__
        raise InputError(os.fspath(path), "error.write", reason=reason) from None


@contextmanager
def atomic_target(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``path`` for a library that writes by file name (ezdxf's ``saveas``);
    it replaces ``path`` when the block ends without an exception and is removed otherwise."""
    target = Path(path)
    with writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
        try:
            os.chmod(tmp, _MODE)
            yield Path(tmp)
            _fsync_file(tmp)
            os.replace(tmp, target)
        except BaseException:
            _unlink(tmp)
            raise


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write a whole file or nothing: a temporary file beside it, fsync, then ``os.replace`` (a symlink
    at ``path`` is replaced, not written through). Errors: InputError ``error.write`` naming ``path``."""
    target = Path(path)
    with writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, _MODE)
            with os.fdopen(fd, "wb") as f:
                f.write(data.encode("utf-8") if isinstance(data, str) else data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            _unlink(tmp)
            raise


def _fsync_file(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Do two paths name one file (hard links and symlinks included), or would writing ``a`` replace ``b``?"""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one does not exist (yet): compare where they point
        return os.path.realpath(a) == os.path.realpath(b)


def refuse_overwrite(outputs: Iterable[str | os.PathLike[str] | None],
                     inputs: Iterable[str | os.PathLike[str] | None]) -> None:
    """Stop (exit 2, one line) before any work when an output file would replace an input file."""
    ins = [i for i in inputs if i is not None]
    for out in outputs:
        if out is None:
            continue
        for i in ins:
            if same_file(out, i):
                raise InputError(os.fspath(out), "error.output-is-input", input=os.fspath(i))


# --- the batch lock ----------------------------------------------------------------------------------
_held: list[int] = []  # lock descriptors this process holds: closed in forked children (see below)


def _close_in_child() -> None:
    """A forked worker must not keep its parent's lock alive: if the parent is killed, the folder is free
    as soon as the parent is gone, whatever its workers do."""
    for fd in _held:
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


@contextmanager
def lock_folder(folder: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on ``folder/.layoutcheck.lock`` for the block, or raise InputError
    ``error.batch-locked`` at once when another process holds it. The lock is the kernel's (``flock``):
    it ends with the process, so a batch killed with SIGKILL leaves no stale lock behind."""
    path = Path(folder) / LOCK_NAME
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    with writing(path):
        fd = os.open(path, flags, 0o644)
    try:
        if not _try_lock(fd):
            try:
                pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            except (OSError, AttributeError):
                pid = "?"
            raise InputError(os.fspath(folder), "error.batch-locked", pid=pid if pid.isdigit() else "?")
        _held.append(fd)
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except (OSError, AttributeError):
            pass  # the pid is only for the message
        try:
            yield
        finally:
            _held.remove(fd)
    finally:
        os.close(fd)  # releases the lock


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
