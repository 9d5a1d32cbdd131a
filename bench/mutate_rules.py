#!/usr/bin/env python3
"""Mutation check of the rule tests: each rule made to always pass, then always fail, must fail a test.

    python bench/mutate_rules.py                       # every rule, both ways, on tests/test_rules_plan.py
    python bench/mutate_rules.py --rules hall.share    # some rules only
    python bench/mutate_rules.py --tests tests/test_rules_plan.py tests/test_evidence.py

For each rule id in the registry and each mode, pytest runs in a fresh process with
``LAYOUTCHECK_MUTATE=rule:mode`` (tests/conftest.py applies tests/mutation.py before any test) and
``-x`` (the first failing test is enough). A mutant is *killed* when pytest exits 1 and *survives*
when it exits 0. The unmutated suite must pass first. Prints a Markdown table; exits 1 if any
mutant survives.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layoutcheck.rules import REGISTRY  # noqa: E402

MODES = ("pass", "fail")


def run(tests: list[str], spec: str | None) -> tuple[int, float, str]:
    env = dict(os.environ)
    env.pop("LAYOUTCHECK_MUTATE", None)
    if spec:
        env["LAYOUTCHECK_MUTATE"] = spec
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    first = next((ln for ln in proc.stdout.splitlines() if ln.startswith("FAILED")), "")
    return proc.returncode, time.perf_counter() - started, first


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rules", nargs="*", default=None, help="rule ids (default: every registered rule)")
    ap.add_argument("--tests", nargs="*", default=["tests/test_rules_plan.py"])
    args = ap.parse_args(argv)
    rules = args.rules or sorted(REGISTRY)
    code, secs, first = run(args.tests, None)
    if code != 0:
        print(f"the unmutated tests fail ({first}); fix them first", file=sys.stderr)
        return 2
    print(f"unmutated: pass ({secs:.1f} s)\n")
    print("| rule | always pass | always fail |")
    print("|---|---|---|")
    survived, total = [], 0
    for rid in rules:
        cells = []
        for mode in MODES:
            code, secs, first = run(args.tests, f"{rid}:{mode}")
            total += 1
            if code == 1:
                test = first.split("::")[-1].split(" ")[0] if first else "?"
                cells.append(f"killed by {test} ({secs:.0f} s)")
            else:
                survived.append(f"{rid}:{mode}")
                cells.append(f"**survived** (exit {code})")
        print(f"| {rid} | {cells[0]} | {cells[1]} |", flush=True)
    print(f"\n{total - len(survived)} of {total} mutants killed" + (f"; survived: {', '.join(survived)}"
                                                                    if survived else ""))
    return 1 if survived else 0


if __name__ == "__main__":
    raise SystemExit(main())
