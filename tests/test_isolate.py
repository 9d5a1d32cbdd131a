"""``layoutcheck.check(..., isolate=True)``: the library call in the same capped child as ``layoutcheck check``.

In-process, the time limit is an alarm that only reaches Python code and nothing caps memory; isolated, the
check is killed at the limit even inside C code and stopped at the memory cap, and the caller goes on."""

from __future__ import annotations

import os
import signal
import time

import pytest

import layoutcheck
from layoutcheck import pipeline
from layoutcheck.errors import InputError
from layoutcheck.rules import Project

from .conftest import CORPUS_CN, PLANS, require


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


def test_isolated_check_stops_at_the_memory_cap_and_the_caller_goes_on():
    """Reading this 2.8 MB drawing needs more than 10 MB (tests/test_bounded.py); capped at 10 MB the
    isolated call raises the memory error, and the same call without the cap then works."""
    path = require(CORPUS_CN / "huihui-coder__daoshi__floor5.dxf")
    with pytest.raises(InputError) as info:
        layoutcheck.check(path, isolate=True, memory_mb=10)
    assert info.value.message_key == "error.memory" and "10 MB" in info.value.render("en")
    assert os.fspath(path) in info.value.render("en")
    done = layoutcheck.check(path, isolate=True, memory_mb=0)  # 0: no cap
    assert done.plan.rooms


def test_isolated_input_errors_come_back_as_themselves(tmp_path):
    missing = tmp_path / "nothing.dxf"
    with pytest.raises(InputError) as info:
        layoutcheck.check(missing, isolate=True)
    assert info.value.message_key == "error.not-found" and str(missing) in info.value.render("en")
