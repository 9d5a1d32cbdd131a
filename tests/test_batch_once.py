"""A batch hashes each drawing once per run and reads each of its reports back at most once per run.

Counted, not timed: the hash function and ``read_report`` are wrapped in the test process before the batch
starts. Workers are forked from it (the ``fork`` start method, forced here: the batch picks ``forkserver``
when another thread is running, as one left by an earlier test may be), so the wrapper holds in them too;
each call appends one line to a log file, which every process writes with O_APPEND.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from layoutcheck import batch as B
from layoutcheck import digest as digest_mod

from .test_batch import NAMES, drawings  # noqa: F401 - drawings is a fixture


@pytest.fixture
def counted(monkeypatch, tmp_path):
    """Log every drawing hash (by path) and every report read (by path); return a reader of the logs."""
    log = tmp_path / "calls.log"
    real_digest, real_read = B.file_digest, B.read_report

    def note(kind: str, path) -> None:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, f"{kind}\t{os.fspath(path)}\n".encode("utf-8"))
        finally:
            os.close(fd)

    def digest(path):
        note("hash", path)
        return real_digest(path)

    def read(path):
        note("read", path)
        return real_read(path)

    def file_digest_elsewhere(*args, **kwargs):  # the report builder's old way of hashing: must not come back
        note("hashlib.file_digest", getattr(args[0], "name", "?"))
        return real_file_digest(*args, **kwargs)

    real_file_digest = hashlib.file_digest
    monkeypatch.setattr(B, "file_digest", digest)
    monkeypatch.setattr(digest_mod, "file_digest", digest)  # where the report builder would hash
    monkeypatch.setattr(B, "read_report", read)
    monkeypatch.setattr(hashlib, "file_digest", file_digest_elsewhere)
    monkeypatch.setattr(B, "_mp_context", lambda: multiprocessing.get_context("fork"))

    def calls() -> Counter:
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        log.unlink(missing_ok=True)
        return Counter(tuple(line.split("\t", 1)) for line in lines)

    return calls


def test_each_drawing_hashed_once_and_each_report_read_at_most_once(tmp_path, drawings, counted):
    src = tmp_path / "plans"
    src.mkdir()
    for name in NAMES:
        shutil.copy2(drawings[name], src / f"{name}.dxf")
    plans = sorted(str(p.resolve()) for p in src.glob("*.dxf"))
    tasks = B.discover(src, standard=str(drawings["light"]), population=30000)
    out = tmp_path / "out"
    reports = sorted(str(out / "reports" / f"{t.name}.json") for t in tasks)

    # 1. the first run checks all three: each hashed once (in its worker), each report read once (missing)
    first = B.run_batch(tasks, out, jobs=2, options=B.Options(lang="en"))
    assert first.checked == 3
    calls = counted()
    assert [p for (k, p), n in sorted(calls.items()) if k == "hash" for _ in range(n)] == plans
    assert sorted(p for (k, p), n in calls.items() if k == "read" for _ in range(n)) == reports
    assert not [k for k, _ in calls if k == "hashlib.file_digest"]
    # the report's drawing.sha256 is the digest taken once, and the true one (an independent hash)
    for t in tasks:
        rep = B.read_report(out / "reports" / f"{t.name}.json")
        assert rep["drawing"]["sha256"] == [hashlib.sha256(Path(t.path).read_bytes()).hexdigest()]
        assert rep["batch"]["sha256"] == rep["drawing"]["sha256"][0]
    counted()

    # 2. unchanged: nothing hashed (size and mtime match), each report read once, none checked
    again = B.run_batch(tasks, out, jobs=2, options=B.Options(lang="en"))
    assert (again.checked, again.skipped) == (0, 3)
    calls = counted()
    assert not [k for k, _ in calls if k == "hash"]
    assert sorted(p for (k, p), n in calls.items() if k == "read" for _ in range(n)) == reports

    # 3. one file touched (same bytes), one rewritten with other bytes of the same size: the parent hashes
    # both to see whether their reports still hold; the changed one is checked with that same hash
    touched, changed = Path(plans[0]), Path(plans[1])
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    data = changed.read_bytes()
    assert b"$LASTSAVEDBY\n  1\nezdxf\n" in data
    changed.write_bytes(data.replace(b"$LASTSAVEDBY\n  1\nezdxf\n", b"$LASTSAVEDBY\n  1\nEZDXF\n", 1))  # same size
    third = B.run_batch(tasks, out, jobs=2, options=B.Options(lang="en"))
    assert (third.checked, third.skipped) == (1, 2)
    calls = counted()
    assert calls[("hash", str(touched))] == 1
    assert calls[("hash", str(changed))] == 1
    assert calls[("hash", plans[2])] == 0
    assert max(n for (k, _), n in calls.items() if k == "read") == 1
    rep = B.read_report(out / "reports" / f"{next(t.name for t in tasks if t.path == str(changed))}.json")
    assert rep["drawing"]["sha256"] == [hashlib.sha256(changed.read_bytes()).hexdigest()]
    counted()  # the test's own read just above

    # 4. --force: nothing read back at all, each drawing hashed once
    B.run_batch(tasks, out, jobs=2, options=B.Options(lang="en"), force=True)
    calls = counted()
    assert not [k for k, _ in calls if k == "read"]
    assert [p for (k, p), n in sorted(calls.items()) if k == "hash" for _ in range(n)] == plans
