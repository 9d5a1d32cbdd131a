"""Every rule is documented (what, why, a failing and a passing example, its parameters) in both languages."""

from __future__ import annotations

import pytest

from layoutcheck.i18n import LANGS, has, keys, message
from layoutcheck.rules import REGISTRY


@pytest.mark.parametrize("rule_id", sorted(REGISTRY))
def test_rule_has_docs(rule_id, cli):
    r = REGISTRY[rule_id]
    assert "." in r.id and r.id == r.id.lower()
    for name, field in (("title", r.title), ("what", r.what), ("why", r.why), ("fail-example", r.fail_example),
                        ("pass-example", r.pass_example)):
        assert has(f"rule.{rule_id}.{name}"), (rule_id, name)  # in the catalogs, not the key shown as text
        for lang in LANGS:
            assert len(field.get(lang, "").strip()) >= 2, (rule_id, lang)
    assert "fail" in r.fail_example["en"] and "pass" in r.pass_example["en"]
    assert "不通过" in r.fail_example["zh"] or "无法判断" in r.fail_example["zh"]
    assert "通过" in r.pass_example["zh"]
    for p in r.params:
        assert all(p.describe(lang).strip() and p.describe(lang) != p.doc for lang in LANGS), (rule_id, p.name)
    run = cli("explain", rule_id, "--lang", "en")
    assert run.code == 0
    for heading in ("What it checks", "Why", "Failing example", "Passing example", "Parameters"):
        assert heading in run.out
    assert r.fail_example["en"] in run.out
    assert all(p.describe("en") in run.out for p in r.params)  # the parameters explained in English


def test_every_message_has_both_languages():
    for key in keys():
        for lang in LANGS:
            assert message(key, lang).strip() or key.startswith("sep."), (key, lang)


def test_rules_command_lists_every_rule(cli):
    out = cli("rules").out
    for rule_id in REGISTRY:
        assert rule_id in out


def test_explain_unknown_rule(cli):
    run = cli("explain", "hall.shares")
    assert run.code == 2 and "hall.share" in run.err


def _drawing_ids() -> list[str]:
    return sorted(k for k in keys() if k.startswith("drawing."))


def test_every_drawing_finding_is_documented_and_explained(cli):
    """Each ``drawing.*`` finding the reader can give says what was found and what to do, in both
    languages, through ``layoutcheck explain`` and in the README's pre-check table."""
    from layoutcheck.rules.drawing import DRAWING_CHECKS

    from .conftest import ROOT

    assert sorted(DRAWING_CHECKS) == _drawing_ids()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for cid, c in DRAWING_CHECKS.items():
        for name, field in (("title", c.title), ("what", c.what), ("fix", c.fix)):
            assert has(f"check.{cid}.{name}"), (cid, name)
            assert all(len(field[lang].strip()) >= 2 for lang in LANGS), cid
        short = cid.split(".", 1)[1]
        assert f"`{cid}`" in readme or f"`{short}`" in readme, f"{cid} missing from the README's table"
        run = cli("explain", cid, "--lang", "en")
        assert run.code == 0 and c.fix["en"] in run.out and "What to do" in run.out
    assert all(cid in cli("rules").out for cid in DRAWING_CHECKS)
