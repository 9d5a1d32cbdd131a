"""A command line in the user's language (issue 14): every usage error is one line and exit 2, in Chinese
by default and in English with --lang en; what people type for a population or a kind is understood."""

from __future__ import annotations

import re

import pytest

from .conftest import PLANS

PLAN = PLANS / "station-faulty.dxf"
CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese_outside_quotes(line: str) -> bool:
    """Chinese in the words of the line, not only in a value the user typed (quoted as '…')."""
    return bool(CJK.search(re.sub(r"'[^']*'", "", line)))


# (arguments, what the Chinese line must say, what the English line must say)
BAD_USAGE = [
    (["check", PLAN, "--population", "3万人口"], ["常住人口", "3万"], ["population", "30,000"]),
    (["check", PLAN, "--population", "-5"], ["常住人口"], ["population"]),
    (["check", PLAN, "--population", "1.5"], ["整数"], ["whole number"]),
    (["check", PLAN, "--kind", "服务中心"], ["设施类型", "服务站"], ["kind", "community"]),
    (["chek", PLAN], ["没有命令", "check"], ["No such command", "Did you mean", "check"]),
    (["check", PLAN, "--formt", "json"], ["没有选项", "--format"], ["No such option", "--format"]),
    (["check"], ["缺少参数", "PLANS"], ["Missing argument", "PLANS"]),
    (["check", PLAN, "--format", "docx"], ["不是可选值之一", "pdf"], ["is not one of", "pdf"]),
    (["check", PLAN, "--standard", "kaifeng2014"], ["找不到标准", "kaifeng-2014"], ["no standard", "did you mean kaifeng-2014"]),
    (["check", PLAN, "--population"], ["需要一个值"], ["requires an argument"]),
    (["batch", PLANS, "--out", "OUT", "--jobs", "0"], ["不在范围"], ["not in the range"]),
    (["check", PLAN, "-o", "/proc/no/such/report.txt"], ["无法创建输出文件夹"], ["cannot create the output folder"]),
]


@pytest.mark.parametrize("args, zh, en", BAD_USAGE, ids=[" ".join(map(str, a[2:] or a[:1])) for a, _, _ in BAD_USAGE])
def test_bad_usage_is_one_line_in_the_user_s_language(cli, tmp_path, args, zh, en):
    args = [tmp_path / "out" if a == "OUT" else a for a in args]
    for lang, needles in (("zh", zh), ("en", en)):
        run = cli(*args, "--lang", lang) if "--population" != args[-1] else cli(*args[:-1], "--lang", lang, args[-1])
        assert run.code == 2, (run.code, run.err)
        lines = run.err.strip().splitlines()
        assert len(lines) == 1, run.err
        line = lines[0]
        assert "Traceback" not in line and "Usage:" not in line and "Error:" not in line
        for needle in needles:
            assert needle in line, (needle, line)
        assert chinese_outside_quotes(line) == (lang == "zh"), line


@pytest.mark.parametrize("written", ["30000", "3万", "30,000", "3e4", "30000人", "3.0万"])
def test_population_as_people_write_it(cli, written):
    run = cli("check", PLAN, "--population", written, "--format", "json")
    assert run.code == 1, run.err
    assert run.json["population"] == 30000 and run.json["tier"] == "二类"  # kaifeng: 2–5万 → 二类


@pytest.mark.parametrize("written, kind", [("服务所", "station"), ("服务站", "community"), ("Community", "community"),
                                           ("社区（村）服务站", "community")])
def test_kind_in_chinese(cli, written, kind):
    run = cli("check", PLANS / "community-ok.dxf", "--kind", written, "--population", "3000", "--format", "json")
    assert run.code in (0, 1), run.err
    assert run.json["kind"] == kind


def test_standard_ids_ignore_case(cli):
    run = cli("check", PLAN, "--standard", "KAIFENG-2014", "--population", "30000", "--format", "json")
    assert run.code == 1, run.err
    assert run.json["standard"] == "kaifeng-2014"


def test_output_folders_are_created_and_the_verdict_is_shown(cli, tmp_path):
    out = tmp_path / "new" / "deeper" / "report.html"
    run = cli("check", PLAN, "--population", "30000", "-f", "html", "-o", out, "--overlay", tmp_path / "o" / "p.png")
    assert run.code == 1 and out.is_file() and (tmp_path / "o" / "p.png").is_file()
    assert run.out == ""
    (line,) = run.err.strip().splitlines()
    # area.tier fails; hall.share (“60%左右”, soft wording) only warns (issue 12)
    assert "不合格" in line and "不通过 1 项" in line and "警告 1 项" in line and str(out) in line
    run = cli("check", PLANS / "station-tier2-ok.dxf", "--population", "30000", "-o", tmp_path / "t.txt",
              "--lang", "en")
    assert run.code == 0 and run.err.startswith("layoutcheck: PASS: 0 failed")


def test_only_failures(cli):
    full = cli("check", PLAN, "--population", "30000").out
    short = cli("check", PLAN, "--population", "30000", "--only-failures").out
    assert re.search(r"✗ 不通过 area\.tier", short) and re.search(r"! 警告\s+hall\.share", short)
    assert "✓ 通过" in full and "✓ 通过" not in short
    results = cli("check", PLAN, "--population", "30000", "--format", "json").json["results"]
    passes, na = (sum(r["status"] == st for r in results) for st in ("pass", "n/a"))
    assert f"另有通过 {passes} 项、待核实 {na} 项未列出" in short


def test_a_project_file_takes_the_population_as_people_write_it(cli, tmp_path):
    """population = "3.8万" in a project file is 38,000, as on the command line."""
    project = tmp_path / "p.toml"
    project.write_text('population = "3.8万"\n', encoding="utf-8")
    assert cli("check", PLAN, "--project", project, "--format", "json").json["population"] == 38_000


# --- --lang before or after the command name, in the spellings people use (user trial) ----------------------
@pytest.mark.parametrize("before, after, want", [
    (["--lang", "en"], [], "en"), (["--lang", "EN"], [], "en"), (["--lang=en-US"], [], "en"),
    (["--lang", "zh_CN"], [], "zh"), ([], ["--lang", "ZH"], "zh"), ([], ["--lang", "zh-CN"], "zh"),
    ([], ["--lang", "en_GB.UTF-8"], "en"),
    (["--lang", "zh"], ["--lang", "en"], "en"),  # the command's own value overrides the one before it
    (["--lang", "en"], ["--lang", "zh"], "zh"),
])
def test_lang_before_or_after_the_command(cli, before, after, want):
    run = cli(*before, "check", PLAN, "--population", "30000", *after)
    assert run.code == 1, run.err
    verdict = run.out.splitlines()[[i for i, line in enumerate(run.out.splitlines()) if line.strip()][0]]
    assert ("Plan" in verdict) == (want == "en") and ("图纸" in verdict) == (want == "zh"), verdict


@pytest.mark.parametrize("args, english", [
    (["rules"], "Door clear width on accessible routes"),
    (["explain", "hall.share"], "What it checks"),
    (["standards", "list"], "Kaifeng construction standard"),
    (["standards", "show", "kaifeng-2014"], "Kaifeng construction standard"),
    (["conventions"], "Layers (first match wins)"),
])
def test_every_command_takes_lang_before_its_name(cli, args, english):
    assert english in cli("--lang", "en", *args).out
    assert english in cli(*args, "--lang", "EN").out
    assert english not in cli(*args).out  # Chinese by default


def test_batch_takes_lang_before_its_name(cli, tmp_path):
    run = cli("--lang", "en-US", "batch", PLAN, "--out", tmp_path / "out", "--population", "30000", "-q")
    assert run.code == 1, run.err
    assert "1 plan:" in run.out and "could not be checked" in run.out, run.out
    report = (tmp_path / "out" / "reports" / "station-faulty.dxf.json").read_text(encoding="utf-8")
    assert "a tier 2 station needs 100–150 m² gross" in report


@pytest.mark.parametrize("args", [["--lang", "fr", "rules"], ["rules", "--lang", "fr"],
                                  ["--lang", "english-please", "check", PLAN]])
def test_an_unknown_language_is_one_line_listing_the_accepted_values(cli, args):
    run = cli(*args)
    assert run.code == 2
    (line,) = run.err.strip().splitlines()
    assert "语言" in line and "zh 或 en" in line and "zh-CN" in line and "en-US" in line, line
    (line,) = cli(*args, "--lang", "en").err.strip().splitlines() if args[0] != "rules" else \
        cli("--lang", "en", *args).err.strip().splitlines()
    assert "language" in line and "write zh or en" in line and not chinese_outside_quotes(line), line


@pytest.mark.parametrize("env, want", [("en", "en"), ("EN", "en"), ("en_US.UTF-8", "en"), ("zh-CN", "zh"),
                                       ("", "zh"), ("klingon", "zh")])
def test_the_environment_variable_keeps_working(monkeypatch, env, want):
    from layoutcheck.i18n import default_lang

    monkeypatch.setenv("LAYOUTCHECK_LANG", env)
    assert default_lang() == want


def test_the_environment_gives_the_default_the_options_override(cli, monkeypatch):
    monkeypatch.setenv("LAYOUTCHECK_LANG", "en")
    assert "Door clear width" in cli("rules").out
    assert "Door clear width" not in cli("--lang", "zh", "rules").out


# --- a mistyped rule id or standard name: one line with the closest known one (user trial) ------------------
@pytest.mark.parametrize("args, typed, meant", [
    (["explain", "hall.shar"], "hall.shar", "hall.share"),
    (["explain", "counter.hieght"], "counter.hieght", "counter.height"),
    (["explain", "drawing.overlaping-rooms"], "drawing.overlaping-rooms", "drawing.overlapping-rooms"),
    (["standards", "show", "kaifeng2014"], "kaifeng2014", "kaifeng-2014"),
    (["standards", "show", "gb55019"], "gb55019", "gb55019-2021"),
    (["check", PLAN, "--standard", "yongzhou"], "yongzhou", "yongzhou-2014"),
])
def test_a_typo_gets_did_you_mean_in_one_line(cli, args, typed, meant):
    for lang, hint in (("zh", f"（是否想写 {meant}？）"), ("en", f" (did you mean {meant}?)")):
        run = cli(*args, "--lang", lang)
        assert run.code == 2, run.err
        (line,) = run.err.strip().splitlines()
        assert f"'{typed}'{hint}" in line, line
        assert chinese_outside_quotes(line) == (lang == "zh"), line


def test_a_rule_id_in_capitals_is_the_rule(cli):
    assert cli("explain", "HALL.SHARE", "--lang", "en").out.startswith("hall.share — Service hall share")


def test_nothing_close_gets_the_list_without_a_guess(cli):
    run = cli("explain", "zzz", "--lang", "en")
    (line,) = run.err.strip().splitlines()
    assert run.code == 2 and "did you mean" not in line and "hall.share" in line and "drawing.*" in line
