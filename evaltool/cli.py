"""The ``evaltool`` command.  Heavy modules are imported inside commands so ``--help`` is instant."""

from __future__ import annotations

import contextvars
import os
import re
import sys
from typing import TYPE_CHECKING

import click

from evaltool import __version__
from evaltool.naming import CHECKED_STEM, output_path

if TYPE_CHECKING:
    import re

    from evaltool.batch import FileRecord, Job, Options

LANG = click.Choice(["zh", "en"])


def _lang_option(f):
    return click.option("--lang", type=LANG, default="zh", show_default=True, help="输出语言 / output language")(f)


# The language of click's own words in a help page or usage error: --lang as given anywhere on the line
# (--help is answered before the options are parsed).
_HELP_LANG: contextvars.ContextVar[str] = contextvars.ContextVar("help_lang", default="zh")
_HEADINGS = {"Options": "help_heading_options", "Commands": "help_heading_commands"}
# click's words inside an option's help ("[default: table]", "[required]"), as click 8 writes them.
_EXTRAS = {"default: ": "help_default", "required": "help_required"}


class _Formatter(click.HelpFormatter):
    """click's help layout with click's own words (Usage, Options, Commands, default) in the language asked
    for: the help texts themselves are Chinese, the page should not switch language halfway down."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _tr("help_usage", _HELP_LANG.get()) if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        key = _HEADINGS.get(heading)
        if key is None:
            super().write_heading(heading)
        else:
            self.write(f"{'':>{self.current_indent}}{_tr(key, _HELP_LANG.get())}\n")

    def write_text(self, text: str) -> None:
        """A command's description, its paragraphs wrapped by ``_wrap`` ("\\b" before a paragraph keeps
        its lines as written, as in click)."""
        indent = " " * self.current_indent
        blocks = []
        for block in re.split(r"\n[ \t]*\n", text.strip("\n")):
            kept = block.lstrip(" ").startswith("\b")
            lines = block.lstrip(" ")[1:].strip("\n").splitlines() if kept else _wrap(
                block, max(self.width - self.current_indent, 11))
            blocks.append("\n".join(indent + line for line in lines))
        self.write("\n\n".join(blocks) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        """click's two columns, measured in terminal columns: click counts characters, so a term or help
        text with Chinese in it (two columns a character) stood out of line and wrapped past the edge."""
        from evaltool.width import display_width

        lang = _HELP_LANG.get()
        rows = [(term, _click_extras(text, lang)) for term, text in rows]
        first_col = min(max((display_width(term) for term, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for term, text in rows:
            self.write(f"{indent}{term}")
            if not text:
                self.write("\n")
                continue
            if display_width(term) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(term)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = _wrap(text, max(self.width - first_col - 2 - self.current_indent, 10))
            self.write(("\n" + " " * (first_col + self.current_indent)).join(lines) + "\n")


# A bracket ("[默认：zh]"), a run of printable ASCII (a word, an option), spaces, or one other character.
_TOKEN = re.compile(r"\[[^\]]*\]|[\x21-\x7e]+|\s+|.", re.S)
_NO_LINE_START = frozenset("，。、；：？！）」』》”’")  # hung at the end of the line instead
_NO_LINE_END = frozenset("（「『《“‘")  # taken to the next line with what follows


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns: Chinese breaks between any two characters
    (a comma or closing bracket hung at the end of the line before, an opening bracket taken to the next),
    other text at spaces (a word longer than a line is cut)."""
    from evaltool.width import display_width

    def unfold(m: re.Match[str]) -> str:  # a line break in the source: nothing between Chinese, else a space
        before, after = m.string[m.start() - 1:m.start()], m.string[m.end():m.end() + 1]
        return "" if not before or not after or display_width(before + after) == 4 else " "

    def limit(line: str) -> int:  # a hung comma may stand past the edge
        return width + (2 if line[-1:] in _NO_LINE_START else 0)

    lines, line = [], ""
    text = re.sub(r"[ \t]+", " ", re.sub(r"\s*\n\s*", unfold, text.strip()))
    for token in _TOKEN.findall(text):
        if line and display_width(line + token) > width and token not in _NO_LINE_START:
            carry = line[-1] if line[-1] in _NO_LINE_END else ""
            if line[:len(line) - len(carry)].strip():
                lines.append(line[:len(line) - len(carry)].rstrip())
                line = carry
            line += token.lstrip() if not line else token
        else:
            line += token
        while display_width(line) > limit(line):  # a token wider than a line: cut
            cut = next((i for i in range(len(line), 0, -1) if display_width(line[:i]) <= width), 1)
            lines.append(line[:cut])
            line = line[cut:]
    return [*lines, line.rstrip()] if line.strip() or not lines else lines


def _click_extras(text: str, lang: str) -> str:
    """"… [default: zh]" -> "… [默认：zh]": the bracket click appends to an option's help."""
    at = text.rfind("[")
    if at < 0 or not text.endswith("]") or (at and not text[:at].endswith("  ")):
        return text
    extra = text[at:]
    for word, key in _EXTRAS.items():
        extra = extra.replace(word, _tr(key, lang))
    return text[:at] + extra


class _Context(click.Context):
    formatter_class = _Formatter


class _Localized:
    """Help and version options described in the language asked for (click words them in English)."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)  # type: ignore[misc]
        own = {id(self.get_help_option(ctx)): "help_help"}  # type: ignore[attr-defined]
        for param in params:
            key = own.get(id(param)) or ("help_version" if param.name == "version" else None)
            if key is not None and isinstance(param, click.Option):
                param.help = _tr(key, _HELP_LANG.get())
        return params


class _Command(_Localized, click.Command):
    context_class = _Context


class _Commands(_Localized, click.Group):
    """click's group whose help pages and usage errors are in Chinese unless ``--lang en`` is given (click
    words them in English, which an officer who mistypes an option should not have to read)."""

    context_class = _Context
    command_class = _Command

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        argv = list(sys.argv[1:] if args is None else args)
        _HELP_LANG.set(_given_lang(argv))
        if not standalone_mode or _given_lang(argv) == "en":
            return super().main(argv, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as e:
            click.echo(_usage_zh(e), err=True)
            sys.exit(e.exit_code)
        except click.ClickException as e:
            e.show()
            sys.exit(e.exit_code)
        except click.Abort:
            click.echo(_tr("usage_aborted", "zh"), err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _given_lang(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
    return "zh"


def _usage_zh(e: click.UsageError) -> str:
    import re

    lines = []
    if e.ctx is not None:
        lines += [e.ctx.get_usage(), _tr("usage_help", "zh", command=e.ctx.command_path)]
    param = getattr(e, "param", None)
    name = ("/".join(param.opts) if isinstance(param, click.Option) else (param.name or "").upper()) if param else ""
    command = re.match(r"No such command '(.+?)'", e.message)
    if isinstance(e, click.MissingParameter) and param is not None:
        detail = _tr("usage_missing", "zh", name=name)
    elif isinstance(e, click.NoSuchOption):
        detail = _tr("usage_no_option", "zh", name=e.option_name)
        if e.possibilities:
            detail += _tr("usage_did_you_mean", "zh", names="、".join(sorted(e.possibilities)))
    elif isinstance(e, click.BadParameter) and param is not None:
        detail = _tr("usage_bad_value", "zh", name=name, detail=e.message)
    elif command:
        detail = _tr("usage_no_command", "zh", name=command[1])
    else:
        detail = e.format_message()  # ours, already in Chinese
    lines.append(_tr("usage_error", "zh", message=detail))
    return "\n".join(lines)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="evaltool")
def main() -> None:
    """evaltool：部门整体支出绩效自评表核查工具。

    \b
    evaltool template -o 自评表.xlsx     生成标准模板
    evaltool check 自评表.xlsx           核查并写出 自评表.checked.xlsx
    evaltool draft 自评表.xlsx           生成自评报告草稿（.docx）
    evaltool rules                       列出全部审核规则
    """
    # A GBK console must never turn a message into a crash.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def run() -> None:
    """The console script (``evaltool``, ``python -m evaltool``): ``main`` in a process that ends with it.

    At exit Python's collector walks every object the process still holds (the modules of click, the
    model, the findings) several times before freeing them: a fifth of a one-workbook check.  Frozen at
    exit, they are freed by reference counting alone.  Only here, not in ``main``: tests call ``main`` in
    a process that lives on."""
    import atexit
    import gc

    atexit.register(gc.freeze)  # registered first, run last: after the pool's and tempfile's own handlers
    main()


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
REPORT_NAMES = ("报告", "report")


def _is_named_report(name: str) -> bool:
    """A 自评报告 (.docx/.pdf/.txt … whose name says 报告 or report: a folder a 财政局 receives also holds
    notices and read-me files, which are not reports)."""
    from evaltool.narrative.check import is_report

    return is_report(name) and any(w in name.lower() for w in REPORT_NAMES)


def _expand(paths: tuple[str, ...], skip: str | None = None, out_dir: str | None = None
            ) -> tuple[list[tuple[str, str]], list[tuple[str, str, dict[str, str]]]]:
    """(path, name relative to the folder given) of each input, and (path, why, parameters) of each file of a
    folder left alone.  Files given by name are all checked; a folder accounts for every file in it: its
    .xlsx/.xlsm files (a checked copy too: that is what a 财政局 receives, except one whose original is beside
    it) and its reports are checked; .xls, .csv, Office lock files and anything else are skipped with the
    reason.  The summary being written and ``out_dir`` (our own outputs) are passed over."""
    skip_key = os.path.normcase(os.path.realpath(skip)) if skip else None
    out_key = os.path.normcase(os.path.realpath(out_dir)) if out_dir else None
    out: list[tuple[str, str]] = []
    skipped: list[tuple[str, str, dict[str, str]]] = []
    for p in paths:
        if not os.path.isdir(p):
            out.append((p, os.path.basename(p)))
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if os.path.normcase(os.path.realpath(os.path.join(root, d))) != out_key)
            names = set(files)
            hidden = any(d.startswith(".") for d in os.path.relpath(root, p).split(os.sep) if d != ".")  # .git/…
            for name in sorted(files):
                path = os.path.join(root, name)
                if os.path.normcase(os.path.realpath(path)) == skip_key:
                    continue
                why = ("skip_hidden", {}) if hidden else _skip_reason(name, names)
                if why is None:
                    out.append((path, os.path.relpath(path, p)))
                else:
                    skipped.append((path, *why))
    return out, skipped


def _skip_reason(name: str, beside: set[str]) -> tuple[str, dict[str, str]] | None:
    """Why a file of a folder is not checked; None for a workbook or a report to check."""
    stem, suffix = os.path.splitext(name)
    suffix = suffix.lower()
    if name.startswith("~$"):
        return "skip_lock", {}
    if name.startswith("."):  # .DS_Store, macOS's ._ copies, editors' swap files
        return "skip_hidden", {}
    copy = CHECKED_STEM.fullmatch(stem)  # 自评表.checked, 自评表.checked-2 …
    if suffix in WORKBOOK_SUFFIXES or (copy and _is_named_report(name)):
        if copy:
            original = copy["stem"]
            for candidate in (original + s for s in (*WORKBOOK_SUFFIXES, suffix)):
                if candidate in beside:
                    return "skip_checked_copy", {"original": candidate}
            later = _later_round(copy, suffix, beside)
            if later is not None:
                return "skip_earlier_round", {"later": later}
        return None
    if _is_named_report(name):
        return None
    if suffix == ".xls":
        return "skip_xls", {}
    if suffix == ".csv":
        return "skip_csv", {}
    return "skip_other", {"suffix": suffix or name}


def _later_round(copy: re.Match[str], suffix: str, beside: set[str]) -> str | None:
    """The latest round of the same copy beside this one (自评表.checked-3.xlsx beside 自评表.checked.xlsx): the
    one the officer works on, so the earlier rounds are left alone."""
    rounds = {int(m["round"] or 1): name for name in beside
              if os.path.splitext(name)[1].lower() == suffix
              and (m := CHECKED_STEM.fullmatch(os.path.splitext(name)[0])) and m["stem"] == copy["stem"]}
    latest = max(rounds, default=0)
    return rounds[latest] if latest > int(copy["round"] or 1) else None


def _default_jobs() -> int:
    # The cores this process may use (a container or taskset may allow fewer than the machine has).
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="核查结果文件（只核查一个文件时）")
@click.option("--out-dir", type=click.Path(file_okay=False),
              help="核查结果写入此文件夹（核查文件夹时保留其子文件夹结构）")
@click.option("--summary", "summary", type=click.Path(dir_okay=False), metavar="PATH.xlsx",
              help="汇总表：每个部门一行（排名、合计、图表），另列全部强制性错误和无法核查的文件")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=None,
              help="并行核查的进程数（默认为 CPU 核数）")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="结果的格式：table 表格，json 供程序读取")
@click.option("--fix", is_flag=True,
              help="把填报的占比、比率、增减改为重算值（标绿，批注保留原值）；不改动任何填写的原始数据")
@click.option("--rules", "rules_name", metavar="NAME|FILE", help="评分规则：内置名称或 .toml 文件")
@click.option("--select", "select", multiple=True, metavar="CODE",
              help="本次只做这些核查（编码或前缀，如 SUM、PUB01；可多次给出，也可用逗号分隔）")
@click.option("--ignore", "ignore", multiple=True, metavar="CODE",
              help="本次不做这些核查（编码或前缀；可多次给出，也可用逗号分隔）")
@click.option("--book", type=click.Path(dir_okay=False), metavar="自评表.xlsx",
              help="核查自评报告时对照的自评表（不指定时，批量核查中按部门名称配对）")
@click.option("--prior", type=click.Path(dir_okay=False), metavar="上年自评表.xlsx",
              help="与上年自评表（或其核查副本）核对：年初结转、“三公”上年数、变动幅度（只核查一个自评表时）")
@click.option("--prior-dir", type=click.Path(file_okay=False), metavar="DIR",
              help="上年自评表所在文件夹：按部门名称与本年各表配对")
@click.option("--prior-renames", type=click.Path(dir_okay=False), metavar="map.csv|map.toml",
              help="部门更名对照（上年名称,本年名称），与 --prior-dir 一起用")
@click.option("--export", "export", type=click.Path(dir_okay=False), metavar="county.csv|.xlsx|.parquet",
              help="全县数据集：每个文件一行（全部填报数、重算比率与得分、核查结论），另有明细表")
@click.option("-v", "--verbose", is_flag=True, help="同时列出信息类结果（跳过的核查、报告中未核对的数字等）")
@_lang_option
def check(paths, output, out_dir, summary, workers, fmt, fix, rules_name, select, ignore, book, prior, prior_dir,
          prior_renames, export, verbose, lang) -> None:
    """核查自评表或自评报告（文件或文件夹，可多个）：重算全部比率、执行审核公式，写出 *.checked.xlsx；
    自评报告（.docx、.pdf、.txt）核对文中的合计、占比、增减、个数、序号、等级，写出 *.checked.docx。

    退出码：0 无强制性错误；1 有强制性错误；2 文件无法读取或不是模板（多个文件时取最严重者）。
    """
    from evaltool.batch import Options, flag_batch, guarded
    from evaltool.outputs.console import print_result, print_verdict

    if summary and os.path.splitext(summary)[1].lower() != ".xlsx":
        raise click.UsageError(_tr("summary_not_xlsx", lang, path=summary))
    if export:
        _check_export(export, lang)
    inputs, left = _expand(paths, skip=summary, out_dir=out_dir)
    files = {os.path.normcase(os.path.realpath(p)) for p, _ in inputs}
    for option, written in (("--summary", summary), ("--export", export)):
        if written and os.path.normcase(os.path.realpath(written)) in files:
            raise click.UsageError(_tr("written_is_input", lang, option=option, path=written))
    if output and len(inputs) != 1:
        raise click.UsageError(_tr("output_one_file", lang))
    if prior and len(inputs) != 1:
        raise click.UsageError(_tr("prior_one_file", lang))
    if prior_renames and not prior_dir:
        raise click.UsageError(_tr("prior_renames_alone", lang))
    if not inputs and not left:  # nothing at all: an empty folder
        raise click.UsageError(_tr("no_inputs", lang))
    ruleset = _load_rules(rules_name, lang)
    options = Options(ruleset, lang, fix, ratios=fmt == "json",
                      choices=_choices(ruleset, _codes(select), _codes(ignore), lang), dataset=bool(export))
    jobs, clashes = _plan(inputs, output, out_dir, lang)
    if book:
        from dataclasses import replace

        from evaltool.narrative.check import is_report

        jobs = [replace(job, book=book) if is_report(job.path) else job for job in jobs]
    if prior:
        from dataclasses import replace

        jobs = [replace(job, prior=prior) for job in jobs]
    prior_found = None
    if prior_dir:
        jobs, prior_found = _pair_prior(jobs, prior_dir, prior_renames, lang)

    if len(jobs) == 1 and not clashes and fmt == "table":  # one file: the detailed report
        result, record = guarded(jobs[0], options)
        if result is None:
            _compact_line(record, lang)
        else:
            print_result(result, lang, verbose)
        records = [record]
    else:
        records = _run_batch(jobs, options, workers or _default_jobs(), table=fmt == "table")
        for record in clashes if fmt == "table" else ():
            _compact_line(record, lang)
        records += clashes
    records += _skipped(left, lang, table=fmt == "table")
    flag_batch(records, lang)
    if prior_found is not None:
        from evaltool.pairing import flag_without_prior

        flag_without_prior(records, prior_found, lang)
    if fmt == "table":
        _batch_notes(records, options, lang)
    worst = max((r.exit_code for r in records), default=0)
    if summary and not _write_summary(records, summary, options, err=fmt == "json"):
        worst = 2
    if export and not _write_export(records, export, lang, err=fmt == "json"):
        worst = 2
    if fmt == "json":
        import json

        from evaltool.outputs.jsondoc import document

        click.echo(json.dumps(document([r.entry for r in records]), ensure_ascii=False, indent=2))
    else:
        if out_dir and any(r.output for r in records):  # only where something was written
            click.echo(_tr("copies_written", lang, path=out_dir))
        if inputs:
            print_verdict(records, lang)  # a FileRecord has the two members it reads (error, count)
        else:  # no verdict on nothing
            click.echo(_tr("verdict_skipped_n", lang, n=len(records)))
    if not inputs:  # a folder of other files only: each said above, then that nothing was checked
        click.echo(_tr("no_inputs", lang), err=True)
        worst = 2
    sys.exit(worst)


def _pair_prior(jobs: list[Job], prior_dir: str, renames: str | None, lang: str):
    """Every workbook job given last year's folder (paired in the worker by department and year); the
    files read from it, for the list of departments without one."""
    from dataclasses import replace

    from evaltool.errors import InputError
    from evaltool.narrative.check import is_report
    from evaltool.pairing import prior_files, read_renames

    try:
        names = read_renames(renames) if renames else {}
    except InputError as e:
        raise click.UsageError(e.render(lang)) from e
    if not os.path.isdir(prior_dir):  # a mistyped folder would check everything without last year, silently
        raise click.UsageError(_tr("prior_dir_missing", lang, path=prior_dir))
    found, _ = _expand((prior_dir,))
    files = prior_files([path for path, _ in found if not is_report(path)], names)
    for path, error in files.unreadable:
        click.secho(_tr("prior_dir_unreadable", lang, path=path, reason=error.render(lang)), fg="yellow", err=True)
    return [job if is_report(job.path) else replace(job, priors=files.files) for job in jobs], files


def _plan(inputs: list[tuple[str, str]], output: str | None, out_dir: str | None,
          lang: str) -> tuple[list[Job], list[FileRecord]]:
    """One job per distinct file; a file whose checked copy would overwrite another's, or another file of the
    run (自评表.checked.xlsx's next round beside 自评表.checked-2.xlsx), is not checked."""
    from evaltool.batch import Job, failed
    from evaltool.errors import InputError

    jobs: list[Job] = []
    clashes: list[FileRecord] = []
    seen: set[str] = set()
    targets: dict[str, str] = {}
    files = {os.path.normcase(os.path.realpath(path)): path for path, _ in inputs}  # never written over
    for path, relative in inputs:
        key = os.path.normcase(os.path.realpath(path))
        if key in seen:
            click.echo(_tr("duplicate_input", lang, path=path), err=True)
            continue
        seen.add(key)
        target = output_path(path, output, out_dir, relative)
        target_key = os.path.normcase(os.path.realpath(target))
        # (-o naming the input itself is the job's output_is_input)
        if target_key in targets or (target_key in files and target_key != key):
            clash, others = ("output_clash", targets) if target_key in targets else ("output_over_input", files)
            clashes.append(failed(path, InputError(clash, path=path, output=target, other=others[target_key]), lang))
            continue
        targets[target_key] = path
        jobs.append(Job(path, target))
    return jobs, clashes


def _run_batch(jobs: list[Job], options: Options, workers: int, table: bool) -> list[FileRecord]:
    """Check every file; a progress bar on a terminal, else one line per file as each finishes."""
    from evaltool.batch import run

    bar = len(jobs) > 1 and sys.stderr.isatty()
    if not bar:
        return run(jobs, options, workers, lambda record: _compact_line(record, options.lang) if table else None)
    with click.progressbar(length=len(jobs), label=_tr("checking", options.lang), file=sys.stderr,
                           show_pos=True) as progress:
        records = run(jobs, options, workers, lambda record: progress.update(1))
    if table:
        for record in records:
            _compact_line(record, options.lang)
    return records


def _skipped(left: list[tuple[str, str, dict[str, str]]], lang: str, table: bool) -> list[FileRecord]:
    from evaltool.batch import skipped

    records = [skipped(path, key, lang, **params) for path, key, params in left]
    for record in records if table else ():
        _compact_line(record, lang)
    return records


def _batch_notes(records: list[FileRecord], options: Options, lang: str) -> None:
    """After the per-file lines of a batch: what only the batch shows, and what it was checked under."""
    from evaltool.outputs.provenance import checks_lines, provenance_line

    flagged = [r for r in records if r.flags]
    if flagged:
        click.secho(_tr("flags_heading", lang), fg="yellow")
        for record in flagged:
            for f in record.flags:
                click.secho(f"  {record.path}：{f['message']}" if lang != "en" else f"  {record.path}: {f['message']}",
                            fg="yellow")
    if len(records) > 1:
        click.echo(provenance_line(None, options.ruleset, lang))
        for text in checks_lines(options.choices, lang):
            click.secho(text, fg="yellow")


def _compact_line(record: FileRecord, lang: str) -> None:
    """One line per file: status, file, department and year, counts (or why it could not be read)."""
    from evaltool.findings import Severity

    errors, warnings = record.count(Severity.ERROR), record.count(Severity.WARNING)
    if record.error is not None:
        status, colour, detail = _tr("verdict_unreadable", lang), "red", record.error
    elif record.skipped is not None:
        click.echo(f"{_tr('status_skipped', lang)}  {record.skipped}")
        return
    else:
        verdict = record.entry["verdict"]  # findings.Verdict: 可报送 / 通过（有未说明的提示） / 未通过
        status, colour = _tr(f"verdict_word_{verdict}", lang), "red" if verdict == "fail" else None
        detail = _tr("summary_counts", lang, errors=errors, warnings=warnings,
                     infos=record.count(Severity.INFO))
    who = f"{record.department} {record.year or ''}".strip()
    click.secho("  ".join(part for part in (status, record.path, who, detail) if part), fg=colour)


def _write_summary(records: list[FileRecord], path: str, options: Options, err: bool) -> bool:
    """Write the summary workbook; False (and why) when it cannot be written.  ``err``: keep stdout for JSON."""
    from evaltool.errors import InputError, os_reason
    from evaltool.outputs.county import write_summary
    from evaltool.quiet import quiet

    lang = options.lang
    try:
        with quiet():  # what the spreadsheet and data libraries print or warn is not ours to show
            write_summary(records, path, lang, options.ruleset, options.choices)
    except OSError as e:
        click.secho(InputError("summary_failed", path=path, reason=os_reason(e)).render(lang), fg="red", err=True)
        return False
    click.echo(_tr("summary_written", lang, path=path), err=err)
    return True


def _check_export(path: str, lang: str) -> None:
    from evaltool.outputs.dataset import EXPORTS

    suffix = os.path.splitext(path)[1].lower()
    if suffix not in EXPORTS:
        raise click.UsageError(_tr("export_suffix", lang, path=path))
    if suffix == ".parquet":
        import importlib.util

        if importlib.util.find_spec("pyarrow") is None:
            raise click.UsageError(_tr("export_no_pyarrow", lang, path=path))


def _write_export(records: list[FileRecord], path: str, lang: str, err: bool) -> bool:
    """The county dataset (pandas, imported only here); False (and why) when it cannot be written."""
    from evaltool.outputs.dataset import build, export

    try:
        written = export(build(records), path)
    except OSError as e:
        click.secho(_tr("export_failed", lang, path=path, reason=e.strerror or str(e)), fg="red", err=True)
        return False
    for target in written:
        click.echo(_tr("export_written", lang, path=target), err=err)
    return True


def _load_rules(name: str | None, lang: str):
    from evaltool.scoring.ruleset import RuleSetError, load_ruleset

    try:
        return load_ruleset(name)
    except RuleSetError as e:
        click.echo(e.render(lang), err=True)
        sys.exit(2)


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select SUM,PUB01 --select X01`` → ("SUM", "PUB01", "X01")."""
    return tuple(code.strip() for value in values for code in value.replace("，", ",").split(",") if code.strip())


def _choices(ruleset, select: tuple[str, ...], ignore: tuple[str, ...], lang: str):
    """The checks of this run; an unknown code is a usage error (exit 2) naming it."""
    from evaltool.checks import configure
    from evaltool.scoring.ruleset import RuleSetError

    try:
        return configure(ruleset, select, ignore)
    except RuleSetError as e:
        click.echo(e.render(lang), err=True)
        sys.exit(2)
    except ValueError as e:
        raise click.BadParameter(_tr("unknown_rule", lang, code=str(e)), param_hint="--select/--ignore") from None


def _tr(key: str, lang: str, **params) -> str:
    from evaltool.text.catalogue import tr

    return tr(key, lang, **params)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="模板文件名（默认：部门整体支出绩效自评表-<模板版本>.xlsx）")
@click.option("--rules", "rules_name", metavar="NAME|FILE", help="评分规则：内置名称或 .toml 文件")
@_lang_option
def template(output, rules_name, lang) -> None:
    """生成标准自评表模板（黄色为填写项，蓝色为需核对的填报计算项）。"""
    from evaltool.atomic import output_error, write_atomically
    from evaltool.text.rulesets import criteria
    from evaltool.workbook.template import TEMPLATE_FILE_NAME, write_template

    output = output or TEMPLATE_FILE_NAME
    ruleset = _load_rules(rules_name, lang)
    try:
        # The template is Chinese (its sheets, labels and 评分标准) whatever --lang says.
        write_atomically(output, lambda tmp: write_template(tmp, ruleset, criteria(ruleset)))
    except OSError as e:
        click.secho(output_error(output, e).render(lang), fg="red", err=True)
        sys.exit(2)
    click.echo(_tr("template_written", lang, path=output))


REPORT_SUFFIX = ".自评报告.docx"


@main.command()
@click.argument("book", type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help=f"报告文件（默认：工作簿旁的 <工作簿名>{REPORT_SUFFIX}）")
@click.option("--template", "template_path", type=click.Path(dir_okay=False), metavar="PATH.docx",
              help="本县的报告模板（.docx，docxtpl 标记）；默认用标准模板")
@click.option("--force", is_flag=True, help="有强制性错误时仍生成草稿，受错误影响的数字标为【待核实】")
@click.option("--rules", "rules_name", metavar="NAME|FILE", help="评分规则：内置名称或 .toml 文件")
@_lang_option
def draft(book, output, template_path, force, rules_name, lang) -> None:
    """由自评表生成自评报告草稿（.docx）：数字按工作簿重算，文字取自“文字说明”表和“自评说明”列。

    退出码：0 已生成；1 工作簿有强制性错误（未生成；加 --force 时生成带【待核实】的草稿）；
    2 文件无法读取、报告模板有误或用法错误。报告为中文，--lang 只改变屏幕提示的语言。
    """
    from evaltool.atomic import output_error
    from evaltool.checker import check_file
    from evaltool.errors import InputError
    from evaltool.findings import Severity
    from evaltool.narrative.draft import load_template, write_draft
    from evaltool.outputs.console import print_result

    stem = os.path.splitext(os.path.basename(book))[0]
    output = output or os.path.join(os.path.dirname(os.path.abspath(book)), stem + REPORT_SUFFIX)
    if os.path.splitext(output)[1].lower() != ".docx":
        raise click.UsageError(_tr("draft_not_docx", lang, path=output))
    if os.path.exists(book) and os.path.exists(output) and os.path.samefile(book, output):
        raise click.UsageError(_tr("output_is_input", lang, path=output))
    ruleset = _load_rules(rules_name, lang)
    try:
        template = load_template(template_path)  # a county's template is refused before any work
    except InputError as e:
        click.secho(e.render(lang), fg="red", err=True)
        sys.exit(2)
    result = check_file(book, ruleset)
    errors = result.count(Severity.ERROR)
    if result.error is not None or (errors and not force):
        print_result(result, lang)
        if result.error is None:
            click.secho(_tr("draft_refused", lang, errors=errors), fg="red", bold=True)
        sys.exit(result.exit_code)
    if errors:
        print_result(result, lang)
    try:
        made = write_draft(result, output, template)
    except InputError as e:
        click.secho(e.render(lang), fg="red", err=True)
        sys.exit(2)
    except OSError as e:
        click.secho(output_error(output, e).render(lang), fg="red", err=True)
        sys.exit(2)
    except Exception:  # noqa: BLE001 - a bug on an odd workbook: a message, never a traceback nor its text
        click.secho(_tr("draft_crashed", lang, path=book), fg="red", err=True)
        sys.exit(2)
    click.echo(_tr("draft_written", lang, path=made.path))
    if result.book is not None and result.book.template_version == "v1":
        click.secho(_tr("draft_old_template", lang, path=book, version=result.book.template_version), fg="yellow")
    if made.missing or made.doubtful:
        click.secho(_tr("draft_marks", lang, missing=made.missing, doubtful=made.doubtful), fg="yellow")
    sys.exit(result.exit_code)


@main.command("rules")
@_lang_option
@click.option("--rules", "rules_name", metavar="NAME|FILE", help="评分规则：内置名称或 .toml 文件")
def list_rules(lang, rules_name) -> None:
    """列出全部审核规则（编码、性质、名称），以及评分规则的每个指标（分值、方法、标准）。"""
    from evaltool.checks import REGISTRY
    from evaltool.narrative.verify import REPORT_RULES
    from evaltool.outputs.console import pad
    from evaltool.text.render import rule_name, severity
    from evaltool.text.rulesets import criterion

    ruleset = _load_rules(rules_name, lang)
    choices = _choices(ruleset, (), (), lang)
    off = set(choices.disabled)
    for r in (*REGISTRY.values(), *REPORT_RULES.values()):  # a rule set chooses among the workbook's checks
        changed = choices.severity_of(r.code)
        shown = _tr("rule_off", lang) if r.code in off else severity(changed or r.severity, lang)
        note = f"  {_tr('rule_by_ruleset', lang)}" if r.code in off or changed else ""
        click.echo(f"{pad(r.code, 7)}{pad(shown, 9)}{rule_name(r.code, lang)}{note}")
    click.echo(f"\n{_tr('ruleset_heading', lang, name=ruleset.name, title=ruleset.title)}")
    if ruleset.note:
        click.echo(ruleset.note)
    for ind in ruleset.indicators:
        # Indicator names, title and note are the rule set's own data (a county's file is in Chinese),
        # shown as written; the method and the criterion are catalogue words.
        method = _tr(f"term.method.{ind.method}", lang)
        click.echo(f"  {ind.level1}/{ind.level2}/{ind.level3}  {ind.weight}  {method}  {criterion(ind, lang)}")


@main.command("rule")
@click.argument("code")
@_lang_option
def explain_rule(code, lang) -> None:
    """解释一条规则（来自该规则的文档）。"""
    from evaltool.checks import REGISTRY
    from evaltool.narrative.verify import REPORT_RULES
    from evaltool.text.render import rule_doc, rule_name, severity

    r = REGISTRY.get(code.upper()) or REPORT_RULES.get(code.upper())
    if r is None:
        raise click.BadParameter(_tr("unknown_rule", lang, code=code), param_hint="CODE")
    click.echo(f"{r.code}  {rule_name(r.code, lang)}  [{severity(r.severity, lang)}]\n")
    click.echo(rule_doc(r.code, lang))


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="端口（默认：任一空闲端口）")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器")
@_lang_option
def serve(port, no_browser, lang) -> None:
    """在本机打开核查网页（只监听 127.0.0.1；地址含本次启动的访问口令）：选文件、看结果、写说明、下载。"""
    from evaltool.web.server import serve as run

    try:
        run(port, browser=not no_browser, lang=lang, echo=click.echo)
    except OSError as e:  # the port is taken, or not ours to bind
        click.secho(_tr("web.port_busy", lang, port=port, reason=e.strerror or str(e)), fg="red", err=True)
        sys.exit(2)
