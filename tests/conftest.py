"""Shared fixtures: the CLI run in-process, sample plans drawn on demand, the corpus folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from layoutcheck import samples
from layoutcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    """The mutation check (bench/mutate_rules.py): LAYOUTCHECK_MUTATE="rule.id:pass|fail" breaks one rule."""
    from .mutation import from_env

    from_env(os.environ.get("LAYOUTCHECK_MUTATE"))
PLANS = ROOT / "plans"
# Real drawings from other CAD programs (not redistributable, so never copied into the repo).
CORPUS = Path(os.environ.get("LAYOUTCHECK_CORPUS", ROOT.parent / "shared" / "dxf-corpus"))
# Real Chinese drawings (area lines, labelled areas, TArch T3 drawing sets): the ground truth is their own text.
CORPUS_CN = Path(os.environ.get("LAYOUTCHECK_CORPUS_CN", ROOT.parent / "shared" / "dxf-corpus-cn"))


def corpus_files(folder: Path, pattern: str = "*.dxf") -> list[Path]:
    """The corpus files to parametrize over; a missing corpus gives one entry that fails (see require)."""
    return sorted(folder.glob(pattern)) or [folder / "MISSING"]


def require(path: Path) -> Path:
    """Fail loudly — never skip — when a real drawing the tests rely on is not there."""
    if not path.exists():
        pytest.fail(f"{path} is missing: the real-drawing corpus must sit in ../shared beside the checkout "
                    f"(or set LAYOUTCHECK_CORPUS / LAYOUTCHECK_CORPUS_CN)", pytrace=False)
    return path


class CliRun:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    @property
    def json(self) -> dict:
        return json.loads(self.out)

    def result(self, rule: str) -> dict:
        hits = [r for r in self.json["results"] if r["rule"] == rule]
        assert len(hits) == 1, f"{rule}: {hits}"
        return hits[0]


@pytest.fixture
def cli(capsys):
    """Run ``layoutcheck ARGS`` in-process; returns exit code, stdout and stderr."""

    def run(*args: str | Path) -> CliRun:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def drawn(tmp_path_factory):
    """Draw a sample layout with build() options and return the file's path (cached per options)."""
    folder = tmp_path_factory.mktemp("drawn")
    cache: dict[tuple, Path] = {}

    def make(name: str = "station-tier2-ok", *, binary: bool = False, encoding: str | None = None,
             **build_kw) -> Path:
        key = (name, binary, encoding, tuple(sorted(build_kw.items())))
        if key not in cache:
            layout = samples.SAMPLES[name]()
            doc = samples.build(layout, **build_kw)
            cache[key] = samples.save(doc, folder / f"{name}-{len(cache)}.dxf", binary=binary, encoding=encoding)
        return cache[key]

    return make


def wait_or_kill(proc, deadline: float):
    """Wait for ``proc`` until ``deadline`` (``time.monotonic()``), killing it past that: (exit code, its
    ``os.wait4`` resource usage — the process and the children it waited for —, whether it was killed).
    Sets ``proc.returncode``."""
    import os
    import time

    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            killed = False
            break
        if time.monotonic() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            killed = True
            break
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage, killed
