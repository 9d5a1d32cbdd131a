"""Standard files: the built-in ones load, tiers resolve at their boundaries, typos are refused."""

from __future__ import annotations

import pytest

from layoutcheck import standards
from layoutcheck.errors import InputError
from layoutcheck.rules.area import select_tier

from .conftest import PLANS

GOOD = """
id = "mycity"
title = "某市标准"
document = "某政办〔2024〕1号"
extends = "kaifeng-2014"

[rules."hall.share"]
clause = "某政办〔2024〕1号 第五条"
share_min = 0.50
share_max = 0.70
"""


def test_every_builtin_standard_loads_and_cites_every_rule():
    ids = standards.available()
    assert "kaifeng-2014" in ids
    for sid in ids:
        std = standards.load(sid)
        for kind in std.kinds:
            for rule_id, params in std.rules_for(kind):
                assert params["clause"].strip(), f"{sid} {rule_id} has no clause"


@pytest.mark.parametrize("population, tier", [
    (0, "三类"), (10000, "三类"), (10001, "二类"), (50000, "二类"), (50001, "一类"), (300000, "一类")])
def test_kaifeng_tier_boundaries(population, tier):
    # 附件 第十条: 一类 5 万以上; 二类 1–5 万（含 5 万）; 三类 1 万及以下
    tiers = dict(standards.load("kaifeng-2014").rules_for("station"))["area.tier"]["tiers"]
    assert select_tier(tiers, population)["name"] == tier


def test_user_standard_extends_and_overrides(tmp_path, cli):
    f = tmp_path / "mycity.toml"
    f.write_text(GOOD, encoding="utf-8")
    std = standards.load(str(f))
    assert std.extends[0] == "kaifeng-2014"
    rules = dict(std.rules_for("station"))
    assert rules["hall.share"]["share_min"] == 0.50 and rules["hall.share"]["clause"].endswith("第五条")
    assert rules["area.tier"]["clause"].startswith("汴政办")  # inherited untouched
    # the faulty sample's hall share (44 %) is still outside the wider band, citing the user's clause;
    # the entry inherits Kaifeng's force (“60%左右” is soft), so it is a warning
    run = cli("check", PLANS / "station-faulty.dxf", "--standard", f, "--population", "30000", "--format", "json")
    share = run.result("hall.share")
    assert share["status"] == "warn" and share["force"] == "soft" and share["clause"] == "某政办〔2024〕1号 第五条"
    assert share["required"]["min"] == 0.5


TYPOS = [
    # (what is wrong, file text, words the one-line message must contain)
    ("unknown parameter", GOOD.replace("share_min", "share_mn"),
     ["rules.hall.share.share_mn", "unknown parameter", "share_min"]),
    ("wrong type", GOOD.replace("share_max = 0.70", 'share_max = "70%"'),
     ["rules.hall.share.share_max", "expected a number", "70%"]),
    ("out of range", GOOD.replace("share_max = 0.70", "share_max = 70"),
     ["rules.hall.share.share_max", "out of range", "0 … 1"]),
    ("unknown rule id", GOOD.replace('"hall.share"', '"hall.shares"'),
     ["rules.hall.shares", "unknown rule id", "hall.share"]),
    ("unknown top-level key", GOOD.replace("document =", "documnet ="),
     ["documnet", "unknown key", "document"]),
    ("missing clause", GOOD.replace('clause = "某政办〔2024〕1号 第五条"\n', "").replace('extends = "kaifeng-2014"\n', ""),
     ["rules.hall.share", "clause"]),
    ("bad kind", GOOD.replace("share_min = 0.50", 'kinds = ["stations"]\nshare_min = 0.50'),
     ["kinds", "stations", "station"]),
    ("TOML syntax", GOOD.replace("share_min = 0.50", "share_min = "), ["TOML"]),
    ("unknown parent", GOOD.replace("kaifeng-2014", "kaifeng-2015"), ["kaifeng-2015", "kaifeng-2014"]),
]


@pytest.mark.parametrize("what, text, words", TYPOS, ids=[t[0] for t in TYPOS])
def test_standard_with_a_typo_is_refused_with_one_clear_line(what, text, words, tmp_path, cli):
    f = tmp_path / "mycity.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError):
        standards.load(str(f))
    run = cli("check", PLANS / "station-tier2-ok.dxf", "--standard", f, "--lang", "en")
    assert run.code == 2 and run.out == ""
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    for w in words:
        assert w in lines[0], (w, lines[0])
    if what not in ("unknown parent",):
        assert str(f) in lines[0]


def test_extends_cycle_is_refused(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        standards.load(str(tmp_path / "a.toml"))
    assert "cycle" in err.value.render("en")


def test_standards_commands(cli):
    run = cli("standards", "list")
    assert run.code == 0 and "kaifeng-2014" in run.out and "汴政办〔2014〕61号" in run.out
    run = cli("standards", "show", "kaifeng-2014")
    assert run.code == 0 and "area.tier" in run.out and "第十七条" in run.out and "share_min = 0.55" in run.out
