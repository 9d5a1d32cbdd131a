"""``layoutcheck.check(..., isolate=True)``: the library call in the same capped child as ``layoutcheck check``.

In-process, the time limit is an alarm that only reaches Python code and nothing caps memory; isolated, the
check is killed at the limit even inside C code and stopped at the memory cap, and the caller goes on."""

from __future__ import annotations

import signal
import time

import pytest

import layoutcheck
from layoutcheck import pipeline
from layoutcheck.errors import InputError
from layoutcheck.rules import Project

from .conftest import PLANS


def test_isolated_check_gives_the_in_process_result():
    plan = PLANS / "station-tier2-ok.dxf"
    alone = layoutcheck.check(plan, "kaifeng-2014", Project(population=30000), isolate=True)
    here = layoutcheck.check(plan, "kaifeng-2014", Project(population=30000))
    assert alone.verdict == here.verdict == "pass"  # the sample "tier2-ok" station passes
    assert alone.metrics.as_dict() == here.metrics.as_dict()
    assert [(r.rule, r.status, r.message("en")) for r in alone.results] == \
        [(r.rule, r.status, r.message("en")) for r in here.results]
    assert alone.report("en")["drawing"]["sha256"] == here.report("en")["drawing"]["sha256"]


def test_isolated_check_is_killed_at_the_time_limit_inside_c_code(monkeypatch):
    """The reading blocks SIGALRM and sleeps, as a long GEOS call does (the alarm's handler never runs): the
    child is killed at the limit (+1 s grace) and the call raises the one-line timeout error."""

    def stuck(*args, **kwargs):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(60)

    monkeypatch.setattr(pipeline, "read_plan", stuck)
    started = time.monotonic()
    with pytest.raises(InputError) as info:
        layoutcheck.check(PLANS / "station-tier2-ok.dxf", timeout_s=1, isolate=True)
    assert info.value.message_key == "error.timeout"
    assert "longer than 1 s" in info.value.render("en")
    assert time.monotonic() - started < 10
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == set()  # the caller's own signal mask untouched


def test_isolated_check_stops_at_the_memory_cap_and_the_caller_goes_on(monkeypatch):
    """The reading takes 300 MB more (one allocation, mapped on its own, so no free memory the test process
    holds can absorb it): capped at 100 MB the isolated call raises the memory error naming the file and the
    cap; the same call without the extra 300 MB then fits under the same cap."""
    real = pipeline.read_plan

    def heavy(*args, **kwargs):
        ballast = bytearray(300 << 20)  # noqa: F841 - held while the plan is read
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "read_plan", heavy)
    plan = PLANS / "station-tier2-ok.dxf"
    with pytest.raises(InputError) as info:
        layoutcheck.check(plan, isolate=True, memory_mb=100)
    assert info.value.message_key == "error.memory"
    assert "100 MB" in info.value.render("en") and str(plan) in info.value.render("en")
    monkeypatch.setattr(pipeline, "read_plan", real)
    assert layoutcheck.check(plan, "kaifeng-2014", Project(population=30000), isolate=True,
                             memory_mb=100).verdict == "pass"


def test_isolated_input_errors_come_back_as_themselves(tmp_path):
    missing = tmp_path / "nothing.dxf"
    with pytest.raises(InputError) as info:
        layoutcheck.check(missing, isolate=True)
    assert info.value.message_key == "error.not-found" and str(missing) in info.value.render("en")
