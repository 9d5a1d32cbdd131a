"""Rule mutants for the mutation check (bench/mutate_rules.py): one rule made to always pass or always fail.

``LAYOUTCHECK_MUTATE="rule.id:pass"`` (or ``:fail``) in the environment makes tests/conftest.py replace
that rule's check before any test runs; a good suite then fails somewhere."""

from __future__ import annotations

import dataclasses

from layoutcheck.rules import REGISTRY, Result

MODES = ("pass", "fail")


def mutate(rule_id: str, mode: str) -> None:
    """Replace ``rule_id``'s check by one that returns the real results with every status set to ``mode``
    (one result of that status when the real check returns none)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    rule = REGISTRY[rule_id]
    real = rule.check

    def check(plan, metrics, params, project):
        out = real(plan, metrics, params, project) or [Result(rule_id, mode, params.get("clause", ""), "mutant")]
        for r in out:
            r.status = mode
        return out

    REGISTRY[rule_id] = dataclasses.replace(rule, check=check)


def from_env(spec: str | None) -> None:
    if spec:
        rule_id, _, mode = spec.rpartition(":")
        mutate(rule_id, mode)
