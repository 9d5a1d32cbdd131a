"""One translation mechanism (issue 14.4): the gettext catalogs are complete, every key the code uses is in
them, and ``--lang en`` output holds no Chinese except what the drawing or the standard itself says."""

from __future__ import annotations

import ast
import json
import re
import string
import tomllib
from pathlib import Path

import ezdxf
import pytest
from babel.messages.pofile import read_po

from layoutcheck import i18n
from layoutcheck.i18n import LANGS, LOCALE_DIR, Join, Msg, Name, message, nmessage

from .conftest import PLANS, ROOT

PACKAGE = ROOT / "layoutcheck"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _po(lang: str, domain: str = "layoutcheck"):
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po", "rb") as f:
        return read_po(f, locale=lang)


def _fields(text: str) -> set[str]:
    return {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(text) if f}


def _key(m) -> str:
    return m.id[0] if isinstance(m.id, tuple) else m.id


# --- (1) the catalogs ----------------------------------------------------------------------------------------
def test_every_message_is_in_both_languages_with_the_same_placeholders_and_all_plural_forms():
    cats = {lang: {_key(m): m for m in _po(lang) if m.id} for lang in LANGS}
    assert set(cats["zh"]) == set(cats["en"]), set(cats["zh"]) ^ set(cats["en"])
    assert len(cats["zh"]) > 500
    forms = {"zh": 1, "en": 2}
    for lang in LANGS:
        assert _po(lang).num_plurals == forms[lang]
    for key, zh in cats["zh"].items():
        en = cats["en"][key]
        texts = {}
        for lang, m in (("zh", zh), ("en", en)):
            strings = list(m.string) if m.pluralizable else [m.string]
            if m.pluralizable:
                assert len(strings) == forms[lang], (key, lang)
            assert all(s.strip() or key.startswith("sep.") for s in strings), (key, lang, "empty")
            texts[lang] = strings
        assert zh.pluralizable == en.pluralizable, key
        # every form names the same arguments (a plural form may leave out the count, as Chinese does)
        want = _fields(texts["zh"][0])
        for s in texts["en"]:
            assert _fields(s) - {"n", "count"} == want - {"n", "count"}, (key, s)


def test_english_catalog_is_english():
    """An English message may quote a label to draw or a menu name (服务大厅, 图形导出) but is written in English."""
    bilingual = {"batch.interrupted"}  # the resume line is printed in both languages on purpose (issue 14.2)
    for m in _po("en"):
        if not m.id or _key(m) in bilingual:
            continue
        for s in (m.string if m.pluralizable else [m.string]):
            letters = [c for c in s if c.isalpha()]
            cjk = [c for c in letters if CJK.match(c)]
            assert len(cjk) <= 0.4 * len(letters), (_key(m), s)


def test_committed_mo_files_are_a_fresh_compile_of_the_po_files():
    """The .mo files run, the .po files are edited: `python -m layoutcheck.locale` keeps them the same."""
    assert i18n.compile_catalogs(check=True) == []
    for lang in LANGS:
        assert (LOCALE_DIR / lang / "LC_MESSAGES" / "layoutcheck.mo").stat().st_size > 10_000


def test_plural_forms():
    assert message("drawing.no-room-outlines", "en", count=1).startswith("the drawing has no room outlines; 1 room was")
    assert message("drawing.no-room-outlines", "en", count=2).startswith("the drawing has no room outlines; 2 rooms were")
    assert nmessage("places", 1, "en") == " (1 place)" and nmessage("places", 2, "en") == " (2 places)"
    assert nmessage("places", 1, "zh") == "（共 1 处）" and nmessage("places", 2, "zh") == "（共 2 处）"
    assert message("report.others", "en", n=1, p=2).startswith("1 more item (2 points)")
    assert message("report.others", "en", n=3, p=2).startswith("3 more items (2 points)")
    # counts people read in the verdict and batch lines: "1 plan", "1 warned", never "1 plans"
    done = dict(passed=1, failed=0, errors=0, checked=1, skipped=0, seconds=1.0, summary="s")
    assert message("batch.done", "en", plans=1, n=1, **done).startswith("1 plan: ")
    assert message("batch.done", "en", plans=2, n=2, **done).startswith("2 plans: ")
    assert message("counter.height.pass", "en", n=1, height=760.0) == "the one counter is 760 mm high"
    assert message("counter.depth.pass", "en", n=3, depth=600.0) == "all 3 counter tops are 600 mm deep"
    assert message("review.counts", "en", fail=1, warn=1, na=1, passed=1) == \
        "1 failed, 1 warned, 1 to confirm, 1 passed"


def test_click_messages_translated_with_their_plural_pairs():
    cat = i18n.catalog("zh", "click")
    assert cat.ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 2) \
        == "多出了参数（{args}）"
    assert cat.ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 2) \
        .format(possibility="x", possibilities="'a', 'b'") == "（是否想写其中之一：'a', 'b'？）"
    assert cat.gettext("Missing argument") == "缺少参数"


def test_arguments_are_worded_in_the_readers_language():
    names = Join([Msg("room_type.hall"), Name("档案室", "archive room"), "办公室"])
    assert message("rooms.required.fail", "zh", missing=names, found="—").startswith("缺少必备用房：服务大厅、档案室、办公室")
    assert message("rooms.required.fail", "en", missing=names, found="—").startswith(
        "missing required rooms: service hall, archive room, 办公室")  # a name from the drawing stays as drawn


# --- (2) every key the code uses is in the catalogs ---------------------------------------------------------
KEY_ARG = {"message": 0, "nmessage": 0, "Msg": 0, "template": 0, "Localized": 0, "InputError": 1, "Finding": 1,
           "Result": 3, "Param": 2}


def _used_keys() -> tuple[set[str], set[str]]:
    """Literal keys (and f-string key prefixes) passed to the catalog's functions anywhere in the package."""
    keys, prefixes = set(), set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in ("words", "Words") and node.args and isinstance(node.args[0], ast.Constant):
                prefixes.add(node.args[0].value + ".")
                continue
            if name not in KEY_ARG and name != "Join":
                continue
            at = KEY_ARG.get(name)
            arg = node.args[at] if at is not None and len(node.args) > at else next(
                (k.value for k in node.keywords if k.arg in ("key", "empty", "sep")), None)
            for a in [arg] + [k.value for k in node.keywords if k.arg in ("empty", "sep")]:
                if isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value:
                    keys.add(a.value)
                elif isinstance(a, ast.JoinedStr) and a.values and isinstance(a.values[0], ast.Constant):
                    prefixes.add(a.values[0].value)
    return keys, prefixes


def test_every_key_used_in_the_code_is_in_the_catalogs():
    known = set(i18n.keys())
    keys, prefixes = _used_keys()
    assert len(keys) > 300
    assert sorted(k for k in keys if k not in known) == []
    assert sorted(p for p in prefixes if not any(k.startswith(p) for k in known)) == []


def test_every_rule_and_parameter_is_documented_in_both_languages():
    from layoutcheck.project import FIELDS
    from layoutcheck.review import ENTRY, TOP
    from layoutcheck.rules import REGISTRY
    from layoutcheck.rules.base import COMMON_PARAMS
    from layoutcheck.scoring import SECTION

    params = [*COMMON_PARAMS, *FIELDS.values(), *ENTRY.values(), *TOP.values(), *SECTION.values()]
    for r in REGISTRY.values():
        params += r.params
    todo = list(params)
    while todo:
        p = todo.pop()
        todo += p.fields
        params.append(p)
        for lang in LANGS:
            assert i18n.has(p.doc) and p.describe(lang).strip(), (p.name, p.doc)
        assert not CJK.search(p.describe("en")) or "，" not in p.describe("en"), p.doc


def test_no_other_translation_mechanism_is_left():
    """No register() call, no per-module word tables in two languages, no `if lang == "zh"` wording."""
    for path in PACKAGE.rglob("*.py"):
        src = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT)
        if path.name != "i18n.py":
            assert not re.search(r"(?<![\w.])register\(", src), f"{rel}: register() — put the message in the .po files"
        assert not re.search(r'"en":\s*\{', src), f"{rel}: a word table per language — use the catalogs"
        assert not re.search(r'"zh":\s*"[^"]*[\u4e00-\u9fff]', src), f"{rel}: zh/en text pairs — use the catalogs"
        assert not re.search(r'if (lang|zh|doc\.lang) == "zh" else ["\']|if zh else ["\']', src), \
            f"{rel}: inline wording by language — use the catalogs"


# --- (3) --lang en says nothing in Chinese the drawing or the standard does not say ---------------------------
def _drawing_strings(path: Path) -> set[str]:
    """Every name in the drawing, read with ezdxf directly: layers, blocks, texts and attributes."""
    doc = ezdxf.readfile(path)
    out = {path.name, path.stem}
    out |= {layer.dxf.name for layer in doc.layers}
    out |= {b.name for b in doc.blocks}
    for layout in [doc.modelspace(), *doc.blocks]:
        for e in layout:
            if e.dxftype() in ("TEXT", "ATTRIB", "ATTDEF"):
                out.add(e.dxf.text)
            elif e.dxftype() == "MTEXT":
                out.add(e.plain_text())
            elif e.dxftype() == "INSERT":
                out |= {a.dxf.text for a in e.attribs}
    parts = set()
    for s in out:  # a label may carry an area or a code after its name: 服务大厅 33.9m²
        parts |= {p for p in re.split(r"[\s\d.,:：()（）m²㎡/]+", s) if p}
    return {s.strip() for s in out | parts if s and s.strip()}


def _standard_strings(std_id: str, *, data: bool) -> set[str]:
    """What a standard file says in its own words: its document number, quotations and the words it looks
    for in drawings. With ``data``: also its item names (a JSON report keys data by them). Not its clauses:
    every clause has an English form (``clause_en``, whose document number is the only Chinese left)."""
    from layoutcheck.standards import load

    out: set[str] = set()
    std = load(std_id)
    chain = [std.id, *std.extends]
    for sid in chain:
        path = PACKAGE.parent / "standards" / f"{sid}.toml"
        tree = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

        def walk(v, key=None):
            if isinstance(v, dict):
                for k, x in v.items():
                    walk(x, k)
            elif isinstance(v, list):
                for x in v:
                    walk(x, key)
            elif isinstance(v, str) and (key in ("document", "quote", "keywords", "source", "url", "issued")
                                         or (data and key in ("name", "items", "group", "note"))):
                out.add(v)
            elif isinstance(v, str) and key and key.endswith("_en"):  # labels an English text quotes
                out.update(re.findall(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+", v))
        walk(tree)
    return out


def _allowed_catalog_terms() -> set[str]:
    """Chinese the English catalog and the rules' examples quote on purpose (labels to draw, TArch's menu,
    the standard's terms)."""
    from layoutcheck.rules import REGISTRY

    terms = {t for r in REGISTRY.values() for ex in (r.fail_example["en"], r.pass_example["en"])
             for t in re.findall(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+", ex)}
    for m in _po("en"):
        for s in (m.string if m.pluralizable else [m.string]) if m.id else []:
            terms |= set(re.findall(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+", s))
    return terms


def _assert_english(text: str, allowed: set[str], what: str) -> None:
    """No CJK left in ``text`` once the allowed strings are taken out (compared without white space: a
    terminal table or a PDF line may wrap a quotation anywhere)."""
    text = re.sub(r"\s+", "", text)
    for s in sorted({re.sub(r"\s+", "", a) for a in allowed}, key=len, reverse=True):
        if CJK.search(s):
            text = text.replace(s, "")
    left = [m.group(0) for m in re.finditer(r".{0,30}[\u3400-\u9fff]+.{0,30}", text)]
    assert not left, f"{what}: Chinese in --lang en output: {left[:5]}"


PROJECT_NAME = "西区街道劳动保障服务所"


@pytest.fixture(scope="module")
def project_file(tmp_path_factory):
    p = tmp_path_factory.mktemp("project") / "project.toml"
    p.write_text(f'name = "{PROJECT_NAME}"\nkind = "station"\npopulation = "3万"\nstaff = 4\nwindows = 3\n',
                 encoding="utf-8")
    return p


CASES = [("station-faulty.dxf", "yongzhou-2014", True), ("station-faulty.dxf", "kaifeng-2014", False),
         ("station-tier2-ok.dxf", "kaifeng-2014", True), ("community-ok.dxf", "kaifeng-2014", False)]


@pytest.mark.parametrize("plan,std,with_project", CASES)
def test_reports_in_english_hold_no_chinese(cli, tmp_path, project_file, plan, std, with_project):
    path = PLANS / plan
    allowed = _drawing_strings(path) | _standard_strings(std, data=False) | _allowed_catalog_terms() | {PROJECT_NAME}
    base = ["check", path, "--standard", std, "--lang", "en"]
    base += ["--project", project_file] if with_project else ["--population", "30000"]
    if plan.startswith("community"):
        base += ["--kind", "community"]
    text = cli(*base).out
    assert "Verdict" in text
    _assert_english(text, allowed, f"{plan} {std} text")

    report = cli(*base, "--format", "json").json
    if report.get("tier"):  # the contract's tier is the standard's own name; it is shown by tier_name
        assert not CJK.search(report["tier_name"]) and report["tier_id"].startswith("tier-")
        report.pop("tier")

    def values(v):
        if isinstance(v, dict):  # keys are data (the standard's item names); so is a clause beside its clause_en
            return [x for k, val in v.items() if not (k == "clause" and "clause_en" in v) for x in values(val)]
        if isinstance(v, list):
            return [x for val in v for x in values(val)]
        return [v] if isinstance(v, str) else []
    _assert_english("\n".join(values(report)), allowed | _standard_strings(std, data=True), f"{plan} {std} json")

    html = cli(*base, "--format", "html").out
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    _assert_english(re.sub(r"<[^>]+>", " ", body), allowed, f"{plan} {std} html")

    from .test_review import pdf_text as read_pdf

    pdf = tmp_path / "r.pdf"
    assert cli(*base, "--format", "pdf", "-o", pdf).code in (0, 1)
    pdf_text = read_pdf(pdf)
    _assert_english(pdf_text, allowed, f"{plan} {std} pdf")


def test_english_tier_is_not_chinese(cli):
    """The bug that started it: the English report said “Tier 二类”."""
    out = cli("check", PLANS / "station-tier2-ok.dxf", "--standard", "kaifeng-2014", "-p", "30000", "--lang", "en").out
    assert re.search(r"Tier\s+tier 2\b", out), out[:600]
    assert "二类" not in out


def test_rules_explain_and_standards_in_english(cli):
    from layoutcheck.rules import REGISTRY
    from layoutcheck.rules.drawing import DRAWING_CHECKS
    from layoutcheck.standards import available

    allowed = _allowed_catalog_terms()
    _assert_english(cli("rules", "--lang", "en").out, allowed, "rules")
    for rid in [*REGISTRY, *DRAWING_CHECKS]:
        run = cli("explain", rid, "--lang", "en")
        assert run.code == 0
        _assert_english(run.out, allowed, f"explain {rid}")
    for sid in available():
        run = cli("standards", "show", sid, "--lang", "en")
        assert run.code == 0
        _assert_english(run.out, allowed | _standard_strings(sid, data=True), f"standards show {sid}")
    _assert_english(cli("standards", "list", "--lang", "en").out,
                    allowed | {s for sid in available() for s in _standard_strings(sid, data=False)}, "standards list")


def test_batch_summary_in_english(cli, tmp_path):
    src = tmp_path / "plans"
    src.mkdir()
    for name in ("station-faulty.dxf", "station-tier2-ok.dxf"):
        (src / name).write_bytes((PLANS / name).read_bytes())
    out = tmp_path / "out"
    run = cli("batch", src, "--out", out, "--standard", "kaifeng-2014", "-p", "30000", "--lang", "en", "-q")
    assert run.code == 1
    allowed = (_drawing_strings(PLANS / "station-faulty.dxf") | _drawing_strings(PLANS / "station-tier2-ok.dxf")
               | _standard_strings("kaifeng-2014", data=False) | _allowed_catalog_terms())
    summary = (out / "summary.csv").read_text(encoding="utf-8-sig")
    assert "tier 2" in summary
    _assert_english(summary + run.out + run.err, allowed, "batch summary")

    from openpyxl import load_workbook

    wb = load_workbook(out / "summary.xlsx")
    assert wb.sheetnames == ["plans", "findings"]
    cells = "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    _assert_english(cells, allowed, "summary.xlsx")


# --- packaging ----------------------------------------------------------------------------------------------
def test_wheel_carries_the_catalogs(tmp_path):
    """CI installs with `pip install .`: the compiled catalogs must be in the wheel."""
    import subprocess
    import sys
    import zipfile

    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                          "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    (wheel,) = tmp_path.glob("layoutcheck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in LANGS:
        assert f"layoutcheck/locale/{lang}/LC_MESSAGES/layoutcheck.mo" in names
    assert "layoutcheck/locale/zh/LC_MESSAGES/click.mo" in names


def test_catalogs_load_lazily():
    """Importing layoutcheck reads no catalog: --version and --help pay nothing for them."""
    import subprocess
    import sys

    code = ("import layoutcheck.i18n as i, layoutcheck.cli; "
            "print(i.catalog.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.stdout.strip() == "0", out.stderr


def test_json_report_is_the_same_data_in_both_languages(cli):
    """Data keys do not depend on the language: only the worded fields differ."""
    args = ["check", PLANS / "station-faulty.dxf", "--standard", "yongzhou-2014", "-p", "30000", "--format", "json"]
    zh, en = cli(*args).json, cli(*args, "--lang", "en").json

    def shape(v):
        if isinstance(v, dict):
            return {k: shape(x) for k, x in v.items() if k not in ("message", "findings")}
        if isinstance(v, list):
            return [shape(x) for x in v]
        return type(v).__name__
    assert shape(zh) == shape(en)
    assert [r["details"].get("shortfall") for r in zh["results"] if "details" in r] == \
        [r["details"].get("shortfall") for r in en["results"] if "details" in r]
    assert zh["tier"] == en["tier"] and json.dumps(zh["metrics"]) == json.dumps(en["metrics"])


def test_overlay_in_english_holds_no_chinese():
    """Every text the overlay draws (title block, results, legend, north arrow) is English with --lang en,
    but for the drawing's own room names and the standard's clauses."""
    from matplotlib.text import Text

    from layoutcheck import Project, check
    from layoutcheck.render import overlay

    done = check(PLANS / "station-faulty.dxf", "yongzhou-2014", Project(population=30000, staff=4, windows=3))
    drawn = overlay.draw(done.plan, done.report("en"), lang="en")
    fig = drawn["figure"]
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert any("Legend" in t for t in texts) and any(t.strip() == "N" for t in texts)
    allowed = (_drawing_strings(PLANS / "station-faulty.dxf") | _standard_strings("yongzhou-2014", data=False)
               | _allowed_catalog_terms())
    _assert_english("\n".join(texts), allowed, "overlay")
    zh = [t.get_text() for t in overlay.draw(done.plan, done.report("zh"), lang="zh")["figure"].findobj(Text)]
    assert any("图例" in t for t in zh)  # the same drawing in Chinese: the catalogs, not a copy of the words


def test_drawing_findings_cite_the_conventions_in_the_reports_language(tmp_path):
    """drawing.* results cite layoutcheck's own drawing conventions: Chinese in zh, English in en."""
    from dataclasses import replace

    from layoutcheck.model import Finding
    from layoutcheck.rules import drawing_results

    from .plans import station

    plan = replace(station(), findings=[Finding("drawing.units-suspect", "drawing.units-suspect",
                                                {"units": "mm", "span_m": 2.8})])
    (r,) = [r for r in drawing_results(plan) if r.rule == "drawing.units-suspect"]
    assert r.as_dict("zh")["clause"] == "layoutcheck 制图约定（README：绘图约定）"
    assert r.as_dict("en")["clause"].startswith("layoutcheck drawing conventions")
    assert message("counter.count.total", "en", min=1, n=1, total=0) == "at least 1 counter needed; the drawing has 0"
    assert message("archive.enclosed.pass", "en", name="档案室", doors=1, n=1).endswith("with 1 door")


# --- clauses in English (user trial: GB 55019 citations read “第 2.2.2 条” in English reports) ---------------
def test_every_clause_of_every_standard_has_its_english_form():
    """Each ``clause`` in a built-in standard (rule entries, checklist items, score sheets) has a
    ``clause_en`` beside it, so an English report never cites a clause in Chinese."""
    from layoutcheck.standards import available

    for sid in available():
        tree = tomllib.loads((PACKAGE.parent / "standards" / f"{sid}.toml").read_text(encoding="utf-8"))

        def walk(v, where):
            if isinstance(v, dict):
                if "clause" in v:
                    assert v.get("clause_en"), f"{sid}: {where} has no clause_en"
                    assert not re.search(r"第|条", re.sub(r"[^\s,;]*〔\d{4}〕\d+号", "", v["clause_en"])), v["clause_en"]
                for k, x in v.items():
                    walk(x, f"{where}.{k}")
            elif isinstance(v, list):
                for n, x in enumerate(v):
                    walk(x, f"{where}[{n}]")
        walk(tree, sid)


@pytest.mark.parametrize("lang, cited", [("zh", "GB 55019-2021 第 2.2.2 条"), ("en", "GB 55019-2021, clause 2.2.2")])
def test_gb55019_is_cited_in_the_report_s_language(cli, lang, cited):
    args = ["check", PLANS / "station-faulty.dxf", "-p", "30000", "--format", "json", "--lang", lang]
    routes = [r for r in cli(*args).json["results"] if r["rule"] == "access.route"]  # one per counter
    assert routes and {r["clause"] for r in routes} == {cited}  # kaifeng-2014 extends gb55019-2021
    text = cli("check", PLANS / "station-faulty.dxf", "-p", "30000", "--lang", lang).out
    assert cited in text
    shown = cli("standards", "show", "gb55019-2021", "--lang", lang).out
    assert cited in shown and ("第" in shown) == (lang == "zh")


def test_a_local_document_is_cited_by_article_in_english(cli):
    args = ["check", PLANS / "station-faulty.dxf", "-p", "30000", "--format", "json"]
    zh, en = cli(*args).result("area.tier"), cli(*args, "--lang", "en").result("area.tier")
    assert zh["clause"] == "汴政办〔2014〕61号 附件 第十条、第十三条"
    assert en["clause"] == "汴政办〔2014〕61号, annex, art. 10 and 13"
