"""Command line: ``layoutcheck check PLAN …``. ``main(argv) -> int`` never raises.

Exit codes (as flake8 separates findings from crashes):
  0  every rule passes
  1  some rule fails
  2  the plan, the standard or the command cannot be used (one line on stderr says what to do)
  3  layoutcheck itself crashed (a bug; set LAYOUTCHECK_DEBUG=1 for the traceback)
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from contextlib import nullcontext
from pathlib import Path

import click

from . import __version__
from .cliargs import Kind, Lang, Population, usage_line, use_language
from .errors import InputError
from .i18n import default_lang, message, parse_lang, words
from .textsafe import clean, json_dumps


EXIT_PASS, EXIT_FAIL, EXIT_INPUT, EXIT_CRASH = 0, 1, 2, 3

lang_option = click.option("--lang", type=Lang(), default=None,
                           help="报告语言 / language of the report: zh (default) or en; also zh-CN, EN, en-US …")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="layoutcheck")
@lang_option
def cli(lang) -> None:
    """检查基层人社公共服务平台的 DXF 平面图 / Check DXF floor plans of public service halls.

    --lang 写在命令名前后均可（命令后的优先）/ --lang goes before or after the command name (after wins).
    """


def chosen_lang(lang: str | None) -> str:
    """The language a command speaks: its own ``--lang``, else the one given before the command name
    (``layoutcheck --lang en check …``, the group's option), else ``LAYOUTCHECK_LANG``, else Chinese."""
    if lang:
        return lang
    ctx = click.get_current_context(silent=True)
    return (ctx.find_root().params.get("lang") if ctx is not None else None) or default_lang()


def _overlay_path(ctx, param, value):
    if value is not None and value.suffix.lower() not in (".png", ".svg", ".pdf"):
        from .cliargs import current_language

        raise click.BadParameter(message("cli.overlay-format", current_language(), name=value.name))
    return value


_PLAN_OPTIONS = (  # what both ``check`` and ``batch`` need to read and judge a plan (batch: for every plan)
    click.option("--standard", "-s", default="kaifeng-2014", show_default=True,
                 help="标准 id 或 .toml 文件路径（批量清单中可逐图指定）/ standard id or path of a .toml file."),
    click.option("--kind", "-k", type=Kind(), default="station", show_default=True,
                 help="station 或 服务所 = 街道（乡镇）服务所, community 或 服务站 = 社区（村）服务站."),
    click.option("--population", "-p", type=Population(), default=None,
                 help="辖区常住人口，如 30000、30,000、3万、3e4 / resident population (sets the tier)."),
    click.option("--approved-increase", is_flag=True,
                 help="面积增加已经申报批准（开封 第十三条，上限放宽 50%）/ an area increase was approved."),
    click.option("--units", type=click.Choice(["mm", "cm", "dm", "m", "inch", "ft"]), default=None,
                 help="覆盖图纸单位（$INSUNITS）/ override the drawing units."),
    click.option("--layers", "layers_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                 help="图层映射文件 (TOML) / layer mapping file for an office's own layer names."),
    click.option("--encoding", default=None, help="强制文字编码，如 gbk / force the text code page, e.g. gbk."),
    click.option("--timeout", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
                 help="每张图的检查时限，秒（默认 300 或 LAYOUTCHECK_TIMEOUT；0 为不限）/ time limit per plan "
                      "(default 300 or LAYOUTCHECK_TIMEOUT; 0: none)."),
    click.option("--memory", type=click.IntRange(min=0), default=None, metavar="MB",
                 help="每张图检查的内存上限，MB：载入程序模块之后检查本身可再占用的地址空间，check 与 batch 计法相同"
                      "（默认 1536 或 LAYOUTCHECK_MEMORY_MB；0 为不限）/ memory cap per plan: the address space the "
                      "check itself may add once layoutcheck's modules are loaded, counted the same way by check "
                      "and batch (default 1536 or LAYOUTCHECK_MEMORY_MB; 0: none)."),
)


def plan_options(f):
    for option in reversed(_PLAN_OPTIONS):
        f = option(f)
    return f


def in_child(f):
    """Run a command's callback in a forked child under the memory cap and killed at the time limit
    (limits.py): what it writes to stdout and stderr is relayed, its exit code returned, what it raises
    raised here. The callback needs ``plans``, ``timeout`` and ``memory`` among its parameters."""
    import functools

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        from . import limits

        plans = kwargs.get("plans") or ("",)
        code, out, err = limits.run(_captured, f, args, kwargs, path=str(plans[0]),
                                    timeout=kwargs.get("timeout"), memory=kwargs.get("memory"))
        for data, name in ((out, "stdout"), (err, "stderr")):
            if data:
                _write(data, name)
        raise SystemExit(code)

    return wrapper


def _captured(f, args, kwargs) -> tuple[int, bytes, bytes]:
    """``f(*args, **kwargs)`` with stdout and stderr caught: (exit code, stdout bytes, stderr bytes)."""
    import io

    saved = sys.stdout, sys.stderr
    out, err = io.BytesIO(), io.BytesIO()
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", errors="replace", newline="\n", write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", errors="replace", newline="\n", write_through=True)
    try:
        try:
            f(*args, **kwargs)
            code = EXIT_PASS
        except SystemExit as exc:
            code = int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_INPUT
        sys.stdout.flush()
        sys.stderr.flush()
        return code, out.getvalue(), err.getvalue()
    finally:
        sys.stdout, sys.stderr = saved


def _write(data: bytes, name: str) -> None:
    text = getattr(sys, name)
    binary = getattr(text, "buffer", None)
    if binary is None:  # a text-only stream (a StringIO in a test): text then
        text.write(data.decode("utf-8", "replace"))
        return
    text.flush()
    binary.write(data)
    binary.flush()


@cli.command()
@click.argument("plans", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=Path))
@plan_options
@click.option("--project", "project_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="项目文件 (TOML)：常住人口、工作人员、窗口数…，命令行选项优先 / project figures; options override.")
@click.option("--review", "review_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="审查文件 (TOML)：现场或按资料核实的事项 / items the reviewer confirmed on site or from documents.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json", "html", "pdf"]), default="text",
              show_default=True,
              help="html：单个离线网页（可打印为 A4）；pdf：审查用 A4 文档；均含检查图与签字栏 / "
                   "html: one self-contained page (prints on A4); pdf: the A4 review document.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="写入文件而不是标准输出 / write the report to a file.")
@click.option("--overlay", type=click.Path(dir_okay=False, path_type=Path), default=None, callback=_overlay_path,
              help="画检查图 .png/.svg/.pdf / draw the plan with the findings marked.")
@click.option("--markup", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="另存一份标注了问题的 DXF（LAYOUTCHECK 图层；DWG 输入也存为 DXF）/ a copy of the drawing as DXF "
              "with the findings marked (a DWG input too).")
@click.option("--view", default=None,
              help="一套图中只检查标题含此文字的平面图，如 一层 / in a drawing set, check only the plan view "
                   "whose title contains this text.")
@click.option("--only-failures", is_flag=True,
              help="文字报告只列不通过和警告 / text report: list only failures and warnings.")
@lang_option
@in_child
def check(plans, standard, kind, population, approved_increase, units, layers_file, encoding, timeout, memory,
          project_file, review_file, fmt, output, overlay, markup, view, only_failures, lang):
    """检查一张平面图（多层时每层一个文件）/ check one plan (one file per storey).

    \b
    例 / example:
      layoutcheck check plans/station-tier2-ok.dxf --population 30000
    """
    from .ingest.layers import load_mapping
    from .pipeline import check as run_check
    from .project import load as load_project
    from .standards import load as load_standard

    from .files import refuse_overwrite, write_atomic, writing
    from .render.markup import targets

    _freeze_imports()
    lang = chosen_lang(lang)
    for path, example in ((output, "report.html"), (overlay, "overlay.png"), (markup, "marked.dxf")):
        if path is not None:
            ensure_parent(path, example)  # before the check: a wrong path costs no time
    std = load_standard(standard)  # a bad --standard: exit 2 here; its files, the ones it extends too, are inputs
    refuse_overwrite([output, overlay, *(targets(markup, len(plans)) if markup else [])],  # never an input
                     [*plans, *std.files, project_file, review_file, layers_file])
    layer_map = load_mapping(layers_file) if layers_file else None
    ctx = click.get_current_context()
    given = {k: v for k, v in (("kind", kind), ("population", population), ("approved_increase", approved_increase))
             if ctx.get_parameter_source(k) is not click.core.ParameterSource.DEFAULT}
    done = run_check(list(plans), std, load_project(project_file, **given),  # options win over the file
                     units=units, layer_map=layer_map, encoding=encoding, view=view, review=review_file,
                     timeout_s=timeout)  # None: LAYOUTCHECK_TIMEOUT or 300 s
    report = done.report(lang)
    if overlay:
        from .render.overlay import save

        with writing(overlay):  # disk full, no memory: exit 2 naming the file, nothing half-written left
            save(done.plan, report, overlay, lang=lang)
    if markup:
        from .render.markup import from_dwg, write_all

        with writing(markup):
            written = write_all(done.plan, report, markup, encoding=encoding)
        if from_dwg(done.plan.sources):  # say so: the user gave a DWG and gets a DXF back
            click.echo(message("note.markup-dxf", lang, paths=", ".join(map(str, written))), err=True)
    with writing(output) if output else nullcontext():
        data = _render_report(done, report, fmt, lang, only_failures)
        if output:
            write_atomic(output, data)
    if output:
        click.echo(f"layoutcheck: {verdict_line(report, lang, output)}", err=True)  # the verdict is not lost
    else:
        click.get_binary_stream("stdout").write(data) if fmt == "pdf" else click.echo(data.decode("utf-8"), nl=False)
    raise SystemExit(EXIT_FAIL if report["verdict"] == "fail" else EXIT_PASS)


def _render_report(done, report: dict, fmt: str, lang: str, only_failures: bool) -> bytes:
    """The report as the bytes ``--format`` asks for."""
    data: bytes | None = None
    if fmt == "json":
        text = json_dumps(report, ensure_ascii=False, indent=2) + "\n"  # NaN refused: bare NaN is not JSON
    elif fmt == "pdf":
        from .render.overlay import render as draw
        from .report.pdf import render as render_pdf

        text, data = "", render_pdf(report, lang, draw(done.plan, report, "png", lang=lang, dpi=200, panel=False))
    elif fmt == "html":
        from .render.overlay import render as draw
        from .report.html import render

        text = render(report, lang, draw(done.plan, report, "svg", lang=lang, panel=False).decode("utf-8"))
    else:
        from .report.text import render

        text = render(report, lang, only_failures=only_failures)
    if data is None:
        data = text.encode("utf-8", "replace")  # lone surrogates from a wrong code page
    return data


def _freeze_imports() -> None:
    """In a ``layoutcheck`` process (not when main() is called in-process, e.g. by tests), once the
    modules are imported: keep the garbage collector from walking them again at every full collection
    while the plan is read (``gc.freeze``; the process ends after one check)."""
    if _ONE_SHOT:
        import gc

        gc.freeze()


def verdict_line(report: dict, lang: str, path: Path) -> str:
    """不合格：不通过 4 项，警告 0 项，待核实 2 项，通过 6 项 → report.html"""
    count = {s: sum(1 for r in report["results"] if r["status"] == s) for s in ("fail", "warn", "n/a", "pass")}
    counts = message("review.counts", lang, fail=count["fail"], warn=count["warn"], na=count["n/a"],
                     passed=count["pass"])
    return message("check.written", lang, verdict=message(f"verdict.{report['verdict']}", lang), counts=counts,
                   path=clean(str(path)))


def ensure_parent(path: Path, example: str) -> None:
    """Create the folder an output file goes into, or stop with one line (exit 2) saying why not."""
    if path.is_dir():
        raise InputError(str(path), "error.output-is-folder", example=str(path / example))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(path), "error.output-folder", reason=exc.strerror or type(exc).__name__) from None


@cli.command()
@click.argument("input_", metavar="INPUT")
@click.option("--out", "-o", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="输出文件夹：reports/<图名>.json 与 summary.csv / output folder.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="并行进程数（默认全部 CPU）/ parallel worker processes (default: all cores).")
@plan_options
@click.option("--executor", type=click.Choice(["process", "dask"]), default="process", show_default=True,
              help="本机多进程或 Dask 集群 / local processes or a Dask cluster.")
@click.option("--scheduler", default=None,
              help="Dask 调度器地址，如 tcp://10.0.0.5:8786（不给则在本机启动）/ Dask scheduler address.")
@click.option("--force", is_flag=True, help="全部重新检查 / check every plan again, even unchanged ones.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="结束时的汇总行 / the closing summary: a line of text or a JSON object.")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条和逐图错误 / no progress bar, no per-plan errors.")
@click.option("--project", "project_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="项目文件 (TOML)，用于每张图：工作人员、窗口数、项目名称…（清单中的列优先）/ project figures "
                   "for every plan (manifest cells win).")
@click.option("--review", "review_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="审查文件 (TOML)，用于每张图 / a review file applied to every plan.")
@click.option("--allow-outside", is_flag=True,
              help="允许清单引用清单所在文件夹以外的文件 / let a manifest name files outside its own folder.")
@lang_option
def batch(input_, out, jobs, standard, kind, population, approved_increase, units, layers_file, encoding, timeout,
          memory, executor, scheduler, force, fmt, quiet, project_file, review_file, allow_outside, lang):
    """批量检查：文件夹、通配符或 CSV 清单 / check many plans: a folder, a glob or a CSV manifest.

    \b
    写出 / writes  OUT/reports/<name>.json (one per plan, e.g. north__hall.dxf.json), OUT/summary.csv,
    OUT/summary.xlsx, OUT/status.json (complete: true when final). 同一 OUT 同时只能运行一个批量检查 /
    one batch at a time per OUT (a second one exits 2).
    再次运行只检查新增或改动的图 / a re-run checks only new or changed plans.
    清单 / manifest: CSV with columns plan,standard,kind,population,staff,windows,project
    (empty cells: the options; project: a name, or a project .toml file).
    退出码 / exit code: 0 all pass, 1 some plan fails a rule, 2 some plan could not be checked.

    \b
    例 / examples:
      layoutcheck batch plans/ --out results --population 30000
      layoutcheck batch 'drawings/**/*.dxf' --out results --jobs 4
      layoutcheck batch manifest.csv --out results --executor dask --scheduler tcp://10.0.0.5:8786
    """
    from . import batch as B
    from . import standards as S

    from .project import read as read_project

    lang = chosen_lang(lang)
    std = S.load(standard)  # a bad --standard stops here, before any plan (exit 2)
    figures = read_project(project_file) if project_file else {}
    ctx = click.get_current_context()
    for key, value in (("kind", kind), ("population", population)):  # options given win over the file
        if ctx.get_parameter_source(key) is not click.core.ParameterSource.DEFAULT or key not in figures:
            figures[key] = value
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(out), "error.output-folder", reason=exc.strerror or type(exc).__name__) from None
    if review_file:
        from .review import load as load_review, validate

        validate(load_review(review_file), std, figures["kind"])  # a bad review file too (exit 2)
    from .files import refuse_overwrite

    refuse_overwrite([out / B.SUMMARY, out / B.SUMMARY_XLSX, out / B.STATUS],  # a manifest kept in --out
                     [input_, *std.files])
    tasks = B.discover(input_, standard=standard, kind=figures["kind"], population=figures["population"],
                       project=figures, allow_outside=allow_outside)
    options = B.Options(lang=lang, layers=os.path.abspath(layers_file) if layers_file else None, units=units,
                        encoding=encoding, approved_increase=approved_increase,
                        review=os.path.abspath(review_file) if review_file else None,
                        timeout_s=timeout, memory_mb=memory)
    try:
        result = B.run_batch(tasks, out, jobs=jobs, options=options, executor=executor, scheduler=scheduler,
                             force=force, progress=not quiet,
                             log=None if quiet else (lambda line: click.echo(f"layoutcheck: {clean(line)}", err=True)))
    except B.Interrupted as stop:
        import shlex

        command = shlex.join(["layoutcheck", *sys.argv[1:]]) if _ARGV is None else shlex.join(["layoutcheck", *_ARGV])
        click.echo("layoutcheck: " + message("batch.interrupted", lang, done=stop.done, total=stop.total,
                                             summary=stop.summary, command=command), err=True)
        raise SystemExit(stop.exit_code) from None
    if fmt == "json":
        click.echo(json_dumps(result.as_dict(), ensure_ascii=False))
    else:
        d = result.as_dict()
        click.echo(message("batch.done", lang, plans=d["plans"], n=d["plans"], passed=d["pass"], failed=d["fail"],
                           errors=d["error"], checked=d["checked"], skipped=d["skipped"],
                           seconds=result.seconds, summary=d["summary"]))
    raise SystemExit(result.exit_code)


@cli.group("standards")
def standards_group() -> None:
    """列出或查看标准 / list or show the standards."""


@standards_group.command("list")
@lang_option
def standards_list(lang):
    """列出内置标准 / list the built-in standards."""
    from . import standards as S
    from .report.standard import list_line

    lang = chosen_lang(lang)
    for sid in S.available():
        click.echo(clean(list_line(S.load(sid), lang)))


@standards_group.command("show")
@click.argument("standard")
@lang_option
def standards_show(standard, lang):
    """显示一个标准的规则、参数、条款与验收评分表 / show a standard's rules, parameters, clauses and scoring."""
    from . import standards as S
    from .report.standard import render

    click.echo(clean(render(S.load(standard), chosen_lang(lang)), keep_newlines=True), nl=False)


@cli.command("rules")
@lang_option
def rules_cmd(lang):
    """列出所有规则 / list every rule."""
    from .rules import REGISTRY

    from .rules.drawing import DRAWING_CHECKS

    lang = chosen_lang(lang)
    for rid in sorted(REGISTRY):
        click.echo(f"{rid:<26} {REGISTRY[rid].title[lang]}")
    click.echo("\n" + message("cli.rules.drawing", lang))
    for cid in sorted(DRAWING_CHECKS):
        click.echo(f"{cid:<26} {DRAWING_CHECKS[cid].title[lang]}")


@cli.command("explain")
@click.argument("rule_id")
@lang_option
def explain(rule_id, lang):
    """说明一条规则：检查什么、为什么、不通过与通过的例子、参数 / explain a rule."""
    from .rules import REGISTRY
    from .rules.base import COMMON_PARAMS

    from .rules.drawing import DRAWING_CHECKS

    lang = chosen_lang(lang)
    w = words("explain", lang)
    rule_id = _known_rule(rule_id, [*REGISTRY, *DRAWING_CHECKS])
    if rule_id in DRAWING_CHECKS:
        c = DRAWING_CHECKS[rule_id]
        click.echo(f"{c.id} — {c.title[lang]}\n")
        click.echo(w["found"] + f"\n  {c.what[lang]}\n")
        click.echo(w["fix"] + f"\n  {c.fix[lang]}")
        return
    r = REGISTRY[rule_id]
    click.echo(f"{r.id} — {r.title[lang]}\n")
    click.echo(w["what"] + f"\n  {r.what[lang]}\n")
    click.echo(w["why"] + f"\n  {r.why[lang]}\n")
    click.echo(w["failing"] + f"\n  {r.fail_example[lang]}\n")
    click.echo(w["passing"] + f"\n  {r.pass_example[lang]}\n")
    click.echo(w["params"])
    for p in (*r.params, *COMMON_PARAMS):
        req = w["required"] if p.required else ""
        click.echo(f"  {p.name:<22} {p.type:<8} {p.describe(lang)}{req}")


def _known_rule(rule_id: str, known: list[str]) -> str:
    """``rule_id`` as the registry spells it (ids are lower case: ``HALL.SHARE`` is ``hall.share``), or exit 2
    with one line: the closest known id (difflib, the same cutoff as for standard ids) and the list."""
    import difflib

    from .i18n import Msg

    wanted = rule_id.strip().lower()
    if wanted in known:
        return wanted
    close = difflib.get_close_matches(wanted, known, n=1, cutoff=0.5)
    raise InputError(None, "error.rule-unknown", id=rule_id, hint=Msg("hint.did-you-mean", word=close[0]) if close else "",
                     allowed=", ".join(sorted(k for k in known if not k.startswith("drawing."))) + ", drawing.*")


@cli.command("template")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="覆盖已有文件 / overwrite an existing file.")
def template_cmd(out, force):
    """写出一张起步图纸：图层、带 HEIGHT 属性的柜台图块、门窗图块、一个合格的服务所示例和绘图约定。

    Write a starter drawing: the layers, a counter block with its HEIGHT attribute, door and window
    blocks, a compliant example station and the drawing conventions, ready to draw over.
    """
    from . import samples
    from .files import atomic_target

    if out.exists() and not force:
        raise InputError(str(out), "error.exists")
    with atomic_target(out) as tmp:  # whole or not at all; an error is exit 2 naming the file
        samples.save(samples.template(), tmp)
    click.echo(str(out))


@cli.command("conventions")
@lang_option
def conventions_cmd(lang):
    """列出 layoutcheck 认得的绘图约定：图层、图块、属性、标注格式、视图标题。

    List the drawing conventions layoutcheck knows: layers, blocks, attributes, label fields, view titles.
    """
    from . import conventions as C

    w = words("conventions", chosen_lang(lang))
    click.echo(w["layers"])
    for conv, roles in C.LAYER_CONVENTIONS.items():
        click.echo(f"  {conv}: " + "; ".join(f"{role} = {', '.join(pats)}" for role, pats in roles.items()))
    for role, rx in C.LAYER_KEYWORDS:
        click.echo(f"  {role:<9} /{rx}/")
    click.echo(w["blocks"])
    for what, rx in (("door", C.DOOR_BLOCK), ("window", C.WINDOW_BLOCK), ("counter", C.COUNTER_BLOCK),
                     ("frame", C.FRAME_BLOCK), *C.FURNITURE_BLOCKS):
        click.echo(f"  {what:<9} /{rx.pattern}/")
    click.echo(w["height-tags"] + ", ".join(C.HEIGHT_TAGS))
    click.echo(w["label-fields"])
    for field_name, names in C.LABEL_FIELDS.items():
        click.echo(f"  {field_name:<9} " + "、".join(names))
    click.echo(w["not-a-name"])
    for why, rx in C.NOT_A_NAME:
        click.echo(f"  {why:<9} /{rx.pattern}/")
    click.echo(w["views"])
    for kind, rx in C.VIEW_KINDS:
        click.echo(f"  {kind:<9} /{rx.pattern}/")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; print one line, never a traceback, on bad input."""
    global _ARGV
    argv = list(sys.argv[1:] if argv is None else argv)
    _ARGV = argv
    lang = _lang_from(argv)
    use_language(lang)  # click's own usage errors in the user's language
    # ezdxf logs what it repairs while reading; the report says it once, in the user's language.
    logging.getLogger("ezdxf").setLevel(logging.CRITICAL)
    try:
        cli.main(args=argv, prog_name="layoutcheck", standalone_mode=False)
        return EXIT_PASS
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_INPUT
    except click.exceptions.Abort:
        click.echo(f"layoutcheck: {message('cli.aborted', lang)}", err=True)
        return EXIT_INPUT
    except click.ClickException as exc:  # one line, not click's usage block
        click.echo(f"layoutcheck: {clean(usage_line(exc, lang))}", err=True)  # it may quote a file name
        return EXIT_INPUT
    except InputError as exc:
        click.echo(f"layoutcheck: {exc.render(lang)}", err=True)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is "never a traceback"
        if os.environ.get("LAYOUTCHECK_DEBUG"):
            traceback.print_exc()
        reason = clean(f"{type(exc).__name__}: {exc}"[:200])  # the text may quote a drawing
        click.echo(f"layoutcheck: {message('error.internal', lang, reason=reason)}", err=True)
        return EXIT_CRASH


_ARGV: list[str] | None = None  # the arguments main() was given: a stopped batch shows how to resume
_ONE_SHOT = False  # set by run(): this process runs one command and exits


def _lang_from(argv: list[str]) -> str:
    """The language for click's own messages, read before click parses anything: the last readable
    ``--lang`` (a command's comes after the group's and overrides it), else the default."""
    found = None
    for i, a in enumerate(argv):
        value = argv[i + 1] if a == "--lang" and i + 1 < len(argv) else a[7:] if a.startswith("--lang=") else None
        found = parse_lang(value) if value is not None and parse_lang(value) else found
    return found or default_lang()


def run() -> None:
    """Console-script entry point."""
    global _ONE_SHOT
    _ONE_SHOT = True
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
