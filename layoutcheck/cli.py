"""Command line: ``layoutcheck check PLAN …``. ``main(argv) -> int`` never raises.

Exit codes (as flake8 separates findings from crashes):
  0  every rule passes
  1  some rule fails
  2  the plan, the standard or the command cannot be used (one line on stderr says what to do)
  3  layoutcheck itself crashed (a bug; set LAYOUTCHECK_DEBUG=1 for the traceback)
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .errors import InputError
from .i18n import LANGS, default_lang, message

EXIT_PASS, EXIT_FAIL, EXIT_INPUT, EXIT_CRASH = 0, 1, 2, 3

lang_option = click.option("--lang", type=click.Choice(LANGS), default=None,
                           help="报告语言 / language of the report: zh (default) or en.")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="layoutcheck")
def cli() -> None:
    """检查基层人社公共服务平台的 DXF 平面图 / Check DXF floor plans of public service halls."""


@cli.command()
@click.argument("plans", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=Path))
@click.option("--standard", "-s", default="kaifeng-2014", show_default=True,
              help="标准 id 或 .toml 文件路径 / standard id or path of a .toml file.")
@click.option("--kind", "-k", type=click.Choice(["station", "community"]), default="station", show_default=True,
              help="station = 街道（乡镇）服务所, community = 社区（村）服务站.")
@click.option("--population", "-p", type=click.IntRange(min=0), default=None,
              help="辖区常住人口，用于确定类别 / resident population (sets the tier).")
@click.option("--approved-increase", is_flag=True,
              help="面积增加已经申报批准（开封 第十三条，上限放宽 50%）/ an area increase was approved.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="写入文件而不是标准输出 / write the report to a file.")
@click.option("--units", type=click.Choice(["mm", "cm", "dm", "m", "inch", "ft"]), default=None,
              help="覆盖图纸单位（$INSUNITS）/ override the drawing units.")
@click.option("--layers", "layers_file", type=click.Path(exists=False, dir_okay=False, path_type=Path), default=None,
              help="图层映射文件 (TOML) / layer mapping file for an office's own layer names.")
@click.option("--encoding", default=None, help="强制文字编码，如 gbk / force the text code page, e.g. gbk.")
@lang_option
def check(plans, standard, kind, population, approved_increase, fmt, output, units, layers_file, encoding, lang):
    """检查一张平面图（多层时每层一个文件）/ check one plan (one file per storey).

    \b
    例 / example:
      layoutcheck check plans/station-tier2-ok.dxf --population 30000
    """
    from .ingest.layers import load_mapping
    from .pipeline import check as run_check
    from .rules import Project

    lang = lang or default_lang()
    layer_map = load_mapping(layers_file) if layers_file else None
    done = run_check(list(plans), standard, Project(kind=kind, population=population,
                                                    approved_increase=approved_increase),
                     units=units, layer_map=layer_map, encoding=encoding)
    report = done.report(lang)
    if fmt == "json":
        text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    else:
        from .report.text import render

        text = render(report, lang)
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates from a wrong code page
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    raise SystemExit(EXIT_FAIL if report["verdict"] == "fail" else EXIT_PASS)


@cli.group("standards")
def standards_group() -> None:
    """列出或查看标准 / list or show the standards."""


@standards_group.command("list")
@lang_option
def standards_list(lang):
    """列出内置标准 / list the built-in standards."""
    from . import standards as S

    lang = lang or default_lang()
    for sid in S.available():
        std = S.load(sid)
        title = std.title if lang == "zh" else (std.title_en or std.title)
        click.echo(f"{sid:<18} {std.document:<18} {title}")


@standards_group.command("show")
@click.argument("standard")
@lang_option
def standards_show(standard, lang):
    """显示一个标准的规则、参数与条款 / show a standard's rules, parameters and clauses."""
    from . import standards as S
    from .rules import REGISTRY

    lang = lang or default_lang()
    std = S.load(standard)
    click.echo(f"{std.id}  {std.document}")
    click.echo(std.title if lang == "zh" else (std.title_en or std.title))
    if std.extends:
        click.echo(("继承：" if lang == "zh" else "extends: ") + " → ".join(std.extends))
    for kind in std.kinds:
        click.echo("")
        click.echo(f"[{kind}]")
        for rule_id, params in std.rules_for(kind):
            title = REGISTRY[rule_id].title[lang]
            click.echo(f"  {rule_id:<22} {title}")
            click.echo(f"    {'条款' if lang == 'zh' else 'clause'}: {params['clause']}")
            for k, v in params.items():
                if k not in ("clause", "kinds"):
                    click.echo(f"    {k} = {json.dumps(v, ensure_ascii=False)}")


@cli.command("rules")
@lang_option
def rules_cmd(lang):
    """列出所有规则 / list every rule."""
    from .rules import REGISTRY

    lang = lang or default_lang()
    for rid in sorted(REGISTRY):
        click.echo(f"{rid:<24} {REGISTRY[rid].title[lang]}")


@cli.command("explain")
@click.argument("rule_id")
@lang_option
def explain(rule_id, lang):
    """说明一条规则：检查什么、为什么、不通过与通过的例子、参数 / explain a rule."""
    from .rules import REGISTRY
    from .rules.base import COMMON_PARAMS

    lang = lang or default_lang()
    if rule_id not in REGISTRY:
        raise InputError(None, "error.rule-unknown", id=rule_id,
                         allowed=", ".join(sorted(REGISTRY)))
    r = REGISTRY[rule_id]
    zh = lang == "zh"
    click.echo(f"{r.id} — {r.title[lang]}\n")
    click.echo(("检查什么" if zh else "What it checks") + f"\n  {r.what[lang]}\n")
    click.echo(("为什么" if zh else "Why") + f"\n  {r.why[lang]}\n")
    click.echo(("不通过的例子" if zh else "Failing example") + f"\n  {r.fail_example}\n")
    click.echo(("通过的例子" if zh else "Passing example") + f"\n  {r.pass_example}\n")
    click.echo("参数" if zh else "Parameters")
    for p in (*r.params, *COMMON_PARAMS):
        req = (" (必填)" if zh else " (required)") if p.required else ""
        click.echo(f"  {p.name:<22} {p.type:<8} {p.doc}{req}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; print one line, never a traceback, on bad input."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from(argv)
    # ezdxf logs what it repairs while reading; the report says it once, in the user's language.
    logging.getLogger("ezdxf").setLevel(logging.CRITICAL)
    try:
        cli.main(args=argv, prog_name="layoutcheck", standalone_mode=False)
        return EXIT_PASS
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_INPUT
    except click.exceptions.Abort:
        click.echo("layoutcheck: aborted", err=True)
        return EXIT_INPUT
    except click.ClickException as exc:
        exc.show()
        return EXIT_INPUT
    except InputError as exc:
        click.echo(f"layoutcheck: {exc.render(lang)}", err=True)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is "never a traceback"
        if os.environ.get("LAYOUTCHECK_DEBUG"):
            traceback.print_exc()
        reason = f"{type(exc).__name__}: {exc}"[:200]
        click.echo(f"layoutcheck: {message('error.internal', lang, reason=reason)}", err=True)
        return EXIT_CRASH


def _lang_from(argv: list[str]) -> str:
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGS:
            return argv[i + 1]
        if a.startswith("--lang=") and a.split("=", 1)[1] in LANGS:
            return a.split("=", 1)[1]
    return default_lang()


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
