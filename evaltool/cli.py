"""The ``evaltool`` command.  Heavy modules are imported inside commands so ``--help`` is instant."""

from __future__ import annotations

import os
import sys

import click

from . import __version__

LANG = click.Choice(["zh", "en"])
CHECKED_SUFFIX = ".checked"


def _lang_option(f):
    return click.option("--lang", type=LANG, default="zh", show_default=True, help="输出语言 / output language")(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="evaltool")
def main() -> None:
    """evaltool：部门整体支出绩效自评表核查工具。

    \b
    evaltool template -o 自评表.xlsx     生成标准模板
    evaltool check 自评表.xlsx           核查并写出 自评表.checked.xlsx
    evaltool rules                       列出全部审核规则
    """
    # A GBK console must never turn a message into a crash.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def _expand(paths: tuple[str, ...]) -> list[str]:
    """Files as given; folders give their .xlsx/.xlsm files (not our own outputs or Office lock files)."""
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, files in os.walk(p):
                for name in sorted(files):
                    stem, suffix = os.path.splitext(name)
                    if suffix.lower() in (".xlsx", ".xlsm") and not stem.endswith(CHECKED_SUFFIX) \
                            and not name.startswith("~$"):
                        out.append(os.path.join(root, name))
        else:
            out.append(p)
    return out


def output_path(path: str, output: str | None, out_dir: str | None) -> str:
    stem, suffix = os.path.splitext(os.path.basename(path))
    name = f"{stem}{CHECKED_SUFFIX}{suffix.lower() if suffix.lower() in ('.xlsx', '.xlsm') else '.xlsx'}"
    if output:
        return output
    return os.path.join(out_dir if out_dir else os.path.dirname(os.path.abspath(path)), name)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="核查结果文件（只核查一个文件时）")
@click.option("--out-dir", type=click.Path(file_okay=False), help="核查结果写入此文件夹")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--fix", is_flag=True, help="把填报的占比、比率、增减改为重算值（标绿，批注保留原值）；不改动任何填写的原始数据")
@click.option("--rules", "rules_name", metavar="NAME|FILE", help="评分规则：内置名称或 .toml 文件")
@click.option("-v", "--verbose", is_flag=True, help="同时列出信息类结果（跳过的核查等）")
@_lang_option
def check(paths, output, out_dir, fmt, fix, rules_name, verbose, lang) -> None:
    """核查自评表：重算全部比率、执行审核公式，写出 *.checked.xlsx。

    退出码：0 无强制性错误；1 有强制性错误；2 文件无法读取或不是模板。
    """
    from .checker import Result
    from .errors import InputError
    from .report.console import print_json, print_result, print_verdict

    files = _expand(paths)
    if output and len(files) != 1:
        raise click.UsageError("-o/--output 只能用于单个文件；多个文件请用 --out-dir")
    if not files:
        raise click.UsageError(_tr("no_inputs", lang))
    ruleset = _load_rules(rules_name, lang)
    results: list[Result] = []
    seen: set[str] = set()
    for path in files:
        key = os.path.normcase(os.path.realpath(path))
        if key in seen:
            click.echo(_tr("duplicate_input", lang, path=path), err=True)
            continue
        seen.add(key)
        target = output_path(path, output, out_dir)
        result = _check_one(path, target, ruleset, lang, fix)
        results.append(result)
        if fmt == "table":
            print_result(result, lang, verbose)
    if fmt == "json":
        print_json(results, lang)
    else:
        print_verdict(results, lang)
    sys.exit(max((r.exit_code for r in results), default=0))


def _check_one(path: str, target: str, ruleset, lang: str, fix: bool):
    from .checker import check_file
    from .errors import InputError
    from .report.checked import write_checked

    if os.path.exists(target) and os.path.exists(path) and os.path.samefile(path, target):
        from .checker import Result

        return Result(path, error=InputError("output_is_input", path=target))
    result = check_file(path, ruleset)
    if result.error is None:
        try:
            if os.path.dirname(target):
                os.makedirs(os.path.dirname(target), exist_ok=True)
            write_checked(result, target, lang=lang, fix=fix)
            result.output = target
        except PermissionError:
            result.error = InputError("output_locked", path=target)
        except OSError as e:
            result.error = InputError("output_failed", path=target, reason=e.strerror or str(e))
        finally:
            result.workbook = None  # free the loaded workbook before the next file
    return result


def _load_rules(name: str | None, lang: str):
    from .ruleset import RuleSetError, load_ruleset

    try:
        return load_ruleset(name)
    except RuleSetError as e:
        click.echo(e.message_en if lang == "en" else e.message_zh, err=True)
        sys.exit(2)


def _tr(key: str, lang: str, **params) -> str:
    from .i18n import tr

    return tr(key, lang, **params)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="部门整体支出绩效自评表-v1.xlsx",
              show_default=True, help="模板文件名")
@click.option("--rules", "rules_name", metavar="NAME|FILE", help="评分规则：内置名称或 .toml 文件")
@_lang_option
def template(output, rules_name, lang) -> None:
    """生成标准自评表模板（黄色为填写项，蓝色为需核对的填报计算项）。"""
    from .template import write_template

    write_template(output, _load_rules(rules_name, lang))
    click.echo(output)


@main.command("rules")
@_lang_option
def list_rules(lang) -> None:
    """列出全部审核规则：编码、名称、性质。"""
    from .findings import Severity
    from .rules import REGISTRY

    for r in REGISTRY.values():
        name = r.name_en if lang == "en" else r.name
        click.echo(f"{r.code:<7}{r.severity.label(lang):<6}{name}")
    del Severity


@main.command("rule")
@click.argument("code")
@_lang_option
def explain_rule(code, lang) -> None:
    """解释一条规则（来自该规则的文档）。"""
    from .rules import REGISTRY

    r = REGISTRY.get(code.upper())
    if r is None:
        raise click.BadParameter(f"没有编码为 {code} 的规则；用 evaltool rules 查看全部", param_hint="CODE")
    name = r.name_en if lang == "en" else r.name
    click.echo(f"{r.code}  {name}  [{r.severity.label(lang)}]\n")
    click.echo(r.doc)
