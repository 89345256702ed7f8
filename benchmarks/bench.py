"""Measure evaltool against the issue's targets, in one run:  python benchmarks/bench.py [--quick]

Generates varied department workbooks (the seed sample re-filled with random but consistent
figures, then random officer mistakes, from a fixed random seed) and long 专项资金 lists into a
temporary folder, then times each command in a child process and reads the child's peak memory
(ru_maxrss, which includes the pool workers it waited for).  Prints a Markdown table with the
ratios and PASS/MISS against each target; ``--profile`` adds a cProfile of the longest list.

The floor is what any tool built on openpyxl must pay: a Python process that imports openpyxl
and pandas, loads the same workbook and saves it.  The honest floor is the same without pandas
(evaltool never imports it): openpyxl only.  Both are timed in the same run as each check,
alternating with it, and every check is stated as a ratio to both.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import itertools
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

# The generator is the repository's code (``evaltool.samples`` reads the seed report from samples/, which
# an installed package does not carry); what is timed is the installed ``evaltool`` command.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

D = Decimal
CENT = D("0.01")
SEED = 20240712  # the seed sample's 填报日期: every run generates the same workbooks

FLOOR = "import sys, openpyxl, pandas; openpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])"
HONEST_FLOOR = "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])"
# How many 专项资金 rows evaltool read: a timing of a list it did not read whole measures nothing.
ROWS_READ = ("import sys; from evaltool.workbook.reader import read_book; "
             "print(len(read_book(sys.argv[1]).list('funds', 'funds')))")

COUNTIES = ("丰顺县", "梅县区", "大埔县", "五华县", "兴宁市", "平远县", "蕉岭县", "梅江区")
DEPARTMENTS = ("科工商务局", "教育局", "卫生健康局", "财政局", "自然资源局", "住房和城乡建设局", "交通运输局", "水务局",
               "农业农村局", "文化广电旅游体育局", "民政局", "人力资源和社会保障局", "司法局", "市场监督管理局",
               "应急管理局", "统计局", "林业局", "审计局", "退役军人事务局", "医疗保障局", "城市管理和综合执法局",
               "生态环境局", "发展和改革局", "信访局", "供销合作联社")

# Targets of issue 5 (--help, -j 2) and issue 9 (each check against the honest floor; a long list's peak
# memory no higher than the honest floor's).
HELP_SECONDS = 0.15
PARALLEL_SPEED_UP = 1.7
CHECK_VS_HONEST = 0.8
LIST_VS_HONEST = {10000: 1.2, 50000: 1.3}


# --------------------------------------------------------------------------- workbooks


def money(rng: random.Random, low: float, high: float) -> Decimal:
    return D(str(rng.uniform(low, high))).quantize(CENT)


def share(part: Decimal, whole: Decimal) -> Decimal:
    """As an officer types it: the fraction to 4 places, shown as 81.32%."""
    return (part / whole).quantize(D("0.0001"), ROUND_HALF_UP)


# Mistakes officers make (DOMAIN §1), applied at random on top of consistent figures.
def _share_typo(f, rng):
    f.set("finance", "income", "fiscal", "share", D("0.0001") + _value(f, "finance", "income", "fiscal", "share"))


def _text_number(f, rng):
    f.set("finance", "income", "other", "amount", f"{_value(f, 'finance', 'income', 'other', 'amount'):,}")


def _part_off(f, rng):
    f.set("finance", "expense", "basic", "amount", _value(f, "finance", "expense", "basic", "amount") + 1)


def _diff_sign(f, rng):
    f.set("costs", "office", "office", "diff", -_value(f, "costs", "office", "office", "diff"))


def _fund_rate(f, rng):
    f.set("funds", "funds", 0, "rate", D("0.9"))


def _early_date(f, rng):
    f.set("basic", "info", "date", "value", dt.date(2023, 12, 20))


def _phone(f, rng):
    f.set("basic", "info", "phone", "value", "6888322")


def _score_total(f, rng):
    f.set("scores", "scores", "total", "self", _value(f, "scores", "scores", "total", "self") + 1)


def _formula_without_result(f, rng):
    f.set("finance", "income", "total", "amount", "=B5+B13")


def _error_value(f, rng):
    f.set("finance", "income", "other", "amount", "#DIV/0!")


def _sangong_over(f, rng):
    """“三公” over budget and still scored full marks."""
    budget = _value(f, "costs", "sangong", "total", "budget")
    f.set("costs", "sangong", "total", "actual", (budget * D(str(rng.uniform(1.01, 1.3)))).quantize(CENT))


MISTAKES: tuple[Callable, ...] = (_share_typo, _text_number, _part_off, _diff_sign, _fund_rate, _early_date, _phone,
                                  _score_total, _formula_without_result, _error_value, _sangong_over)


def _value(f, sheet, table, row, col):
    name, r, c = f.position(sheet, table, row, col)
    return f.wb[name].cell(r, c).value


class Base:
    """The seed sample, saved once; every department starts as a fresh load of it (faster than a new template)."""

    def __init__(self) -> None:
        from evaltool.samples import seed

        self.filler = seed()
        buf = io.BytesIO()
        self.filler.save(buf)
        self.data = buf.getvalue()

    def fresh(self):
        import openpyxl

        f = copy.copy(self.filler)
        f.wb = openpyxl.load_workbook(io.BytesIO(self.data))
        f._next = {}
        return f


def department(base: Base, rng: random.Random, name: str, funds: int):
    """A department's workbook with random, consistent figures and a list of ``funds`` projects."""
    from evaltool.scoring.ruleset import QUALITATIVE

    f = base.fresh()
    f.set("basic", "info", "dept", "value", name)
    # 专项资金 first: 项目支出 must cover it.
    header_name, first, _ = f.position("funds", "funds", 0, "name")
    ws = f.wb[header_name]
    for row in range(first, first + 2):  # the seed's two projects
        for col in range(1, 7):
            ws.cell(row, col).value = None
    _, footer, _ = f.position("funds", "funds", "total", "name")
    if funds > footer - first:  # more projects than the template's blank rows: the officer inserts rows
        ws.move_range(f"A{footer}:F{footer}", rows=funds - (footer - first))
        footer = first + funds
    budget_sum = paid_sum = D(0)
    for i in range(funds):
        budget = money(rng, 0.5, 5) if funds > 50 else money(rng, 2, 100)
        paid = budget if rng.random() < 0.8 else (budget * D(str(rng.uniform(0.6, 1)))).quantize(CENT)
        budget_sum, paid_sum = budget_sum + budget, paid_sum + paid
        f.add("funds", "funds", {"rate": "0.00%"}, name=f"专项资金项目{i + 1}", budget=budget, paid=paid,
              rate=share(paid, budget), status="完成" if paid == budget else "基本完成")
    for col, value in (("budget", budget_sum), ("paid", paid_sum), ("rate", share(paid_sum, budget_sum))):
        ws.cell(footer, f.position("funds", "funds", "total", col)[2]).value = value  # the row may have moved

    fiscal = money(rng, 300, 8000) + budget_sum
    other = (fiscal * D(str(rng.uniform(0, 0.3)))).quantize(CENT)
    total = fiscal + other
    project = max(budget_sum, (total * D(str(rng.uniform(0.3, 0.7)))).quantize(CENT))
    basic = total - project
    for table, row, amount in (("income", "fiscal", fiscal), ("income", "other", other), ("expense", "basic", basic),
                               ("expense", "project", project)):
        f.set("finance", table, row, "amount", amount)
        f.set("finance", table, row, "share", share(amount, total))
    for table in ("income", "expense"):
        f.set("finance", table, "total", "amount", total)
    adjusted = (total * D(str(rng.uniform(1, 1.15)))).quantize(CENT)
    for col, value in (("initial", adjusted), ("adjusted", adjusted), ("actual", total),
                       ("exec_rate", share(total, adjusted)), ("carryover", adjusted - total),
                       ("carry_rate", share(adjusted - total, adjusted))):
        f.set("execution", "budget", "total", col, value)
    office = money(rng, 20, 200)
    final = (office * D(str(rng.uniform(0.7, 1.05)))).quantize(CENT)
    for col, value in (("budget", office), ("final", final), ("diff", final - office), ("rate", share(final, office))):
        f.set("costs", "office", "office", col, value)
    sangong = money(rng, 5, 60)
    f.set("costs", "sangong", "total", "budget", sangong)
    f.set("costs", "sangong", "total", "actual", (sangong * D(str(rng.uniform(0.3, 1.1)))).quantize(CENT))

    score = D(0)
    for ind in f.ruleset.indicators:
        mine = ind.weight
        if ind.method == QUALITATIVE and rng.random() < 0.3:
            mine = max(D(0), ind.weight - rng.randint(1, 3))
            f.score(ind.level3, mine, "制度执行不到位")
        else:
            f.score(ind.level3, mine)
        score += mine
    _total_score(f, score)
    return f


def _total_score(f, score: Decimal) -> None:
    f.set("scores", "scores", "total", "self", score)
    f.set("scores", "scores", "grade", "self", "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60
          else "差")


def _honest_scores(f, path: Path) -> None:
    """Self-score every computable indicator as evaltool recomputes it, so that only the mistakes are errors."""
    from evaltool.derive import derive
    from evaltool.workbook.reader import read_book

    f.save(path)
    report = derive(read_book(str(path))).score
    for line in report.lines:
        if line.recomputed is not None and line.recomputed != line.self_score:
            f.score(line.indicator.level3, line.recomputed, None if line.recomputed == line.indicator.weight
                    else "未完全达到目标")
    _total_score(f, sum((line.recomputed if line.recomputed is not None else line.self_score or D(0)
                         for line in report.lines), D(0)))


def _make(task: tuple[str, int, str]) -> None:
    """One generated file (run in a pool: the measuring process must stay small, see ``run``)."""
    kind, i, path = task
    target = Path(path)
    if kind == "seed":
        from evaltool.samples import seed

        seed().save(target)
    elif kind == "list":
        department(_base(), random.Random(SEED + i), "丰顺县科工商务局", i).save(target)
    else:
        rng = random.Random(SEED * 1000 + i)
        f = department(_base(), rng, target.stem.split("-", 1)[1], rng.randint(1, 8))
        _honest_scores(f, target)
        for mistake in rng.sample(MISTAKES, rng.choice((0, 0, 1, 2, 3))):
            mistake(f, rng)
        f.save(target)


_BASE: Base | None = None


def _base() -> Base:
    global _BASE
    if _BASE is None:
        _BASE = Base()
    return _BASE


def generate(folder: Path, county: int, lists: tuple[int, ...]) -> dict[str, Path]:
    files = {"seed": folder / "seed.xlsx", "county": folder / "county"}
    tasks = [("seed", 0, str(files["seed"]))]
    for i in range(county - 2):  # two of the files a 财政局 receives cannot be read
        sub = files["county"] / COUNTIES[i % len(COUNTIES)]
        sub.mkdir(parents=True, exist_ok=True)
        name = COUNTIES[i % len(COUNTIES)] + DEPARTMENTS[i // len(COUNTIES) % len(DEPARTMENTS)]
        tasks.append(("county", i, str(sub / f"{i:03d}-{name}.xlsx")))
    for n in lists:
        files[f"list{n}"] = folder / f"funds-{n}.xlsx"
        tasks.append(("list", n, str(files[f"list{n}"])))
    tasks.sort(key=lambda t: t[0] != "list")  # the long lists first, so they overlap the small files
    with ProcessPoolExecutor() as pool:
        list(pool.map(_make, tasks))
    (files["county"] / "损坏的文件.xlsx").write_bytes(b"PK\x03\x04 truncated")
    (files["county"] / "旧格式.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    return files


# --------------------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float | None  # None where the OS gives no child rusage (Windows)


def run(cmd: list[str]) -> Run:
    """Run ``cmd``; its wall time and peak memory (of it and every child it waited for)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
            proc.returncode = code = os.waitstatus_to_exitcode(status)
            peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        else:
            code = proc.wait()
            elapsed, peak = time.perf_counter() - start, None
        if code not in (0, 1, 2):  # 1 and 2 are evaltool's verdicts (errors found, unreadable file)
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed ({code}):\n{err.read().decode(errors='replace')}")
    return Run(elapsed, peak)


def median(cmd: list[str], times: int) -> Run:
    return medians([cmd], times)[0]


def medians(cmds: list[list[str]], times: int) -> list[Run]:
    """Each command's median time and largest peak, the commands run in turn ``times`` times (load on the
    machine hits them alike)."""
    runs = [[run(cmd) for cmd in cmds] for _ in range(times)]
    result = []
    for mine in zip(*runs, strict=True):
        peaks = [r.peak_mb for r in mine if r.peak_mb is not None]
        result.append(Run(statistics.median(r.seconds for r in mine), max(peaks) if peaks else None))
    return result


def floors(path: Path, out: Path, check: list[str], times: int) -> tuple[Run, Run, Run]:
    """The floor, the honest floor (openpyxl only) and ``check`` of ``path``, timed alternately."""
    floor, honest, mine = medians([[sys.executable, "-c", FLOOR, str(path), str(out / "floor.xlsx")],
                                   [sys.executable, "-c", HONEST_FLOOR, str(path), str(out / "honest.xlsx")],
                                   check], times)
    return floor, honest, mine


def _burn(n: int) -> int:
    return sum(i * i for i in range(n))


def parallel_headroom() -> float:
    """How much faster two processes burn CPU than one, now: other load on the machine caps any ``-j 2``."""
    work = [2_000_000] * 16
    start = time.perf_counter()
    for n in work:
        _burn(n)
    serial = time.perf_counter() - start
    with ProcessPoolExecutor(2) as pool:
        start = time.perf_counter()
        list(pool.map(_burn, work))
        return serial / (time.perf_counter() - start)


def evaltool_command() -> list[str]:
    """The installed command, the repository's bytecode compiled first: ``pip install`` compiles what it
    installs, an editable install under PYTHONDONTWRITEBYTECODE never is, and a check would then time the
    compiler."""
    import compileall

    compileall.compile_dir(str(ROOT / "evaltool"), quiet=1)
    # The command of this interpreter's environment first: PATH may name another one's.
    found = shutil.which("evaltool", path=os.path.dirname(sys.executable)) or shutil.which("evaltool")
    return [found] if found else [sys.executable, "-m", "evaltool"]


# --------------------------------------------------------------------------- report


class Table:
    def __init__(self) -> None:
        print("| measurement | time | peak memory | ratio | target | |")
        print("|---|---:|---:|---:|---|---|")

    def row(self, what: str, r: Run, ratio: str = "", target: str = "", ok: bool | None = None) -> None:
        mem = "n/a" if r.peak_mb is None else f"{r.peak_mb:.0f} MB"
        verdict = "" if ok is None else ("PASS" if ok else "**MISS**")
        secs = f"{r.seconds:.3f} s" if r.seconds < 1 else f"{r.seconds:.2f} s"
        print(f"| {what} | {secs} | {mem} | {ratio} | {target} | {verdict} |", flush=True)


def machine() -> str:
    from importlib.metadata import version

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{cores} cores ({cpu}), {platform.system()} {platform.release()}, Python {platform.python_version()}, "
            f"evaltool {version('evaltool')}{_install_kind()}, openpyxl {version('openpyxl')}")


def _install_kind() -> str:
    """" (editable install)" for ``pip install -e``: its import hook makes every process of the environment,
    the floors' too, start ~16 ms slower than after ``pip install .``."""
    import glob
    import sysconfig

    hooks = glob.glob(os.path.join(sysconfig.get_paths()["purelib"], "__editable__*evaltool*.pth"))
    return " (editable install)" if hooks else ""


def profile(path: Path, out: Path) -> None:
    """Where a check of ``path`` spends its time (cProfile, in this process)."""
    import cProfile
    import pstats

    from evaltool.batch import Job, Options, check_one
    from evaltool.scoring.ruleset import load_ruleset

    options = Options(load_ruleset())
    profiler = cProfile.Profile()
    profiler.runcall(check_one, Job(str(path), str(out)), options)
    print(f"\ncProfile of one check of {path.name} (cumulative):\n")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"evaltool|openpyxl/(reader|writer)/excel", 30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="40 workbooks, lists of 1,000 and 10,000 rows, fewer repeats")
    parser.add_argument("--workdir", type=Path, help="generate here and keep the files (default: a temporary folder)")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the longest list")
    args = parser.parse_args()
    county, lists, repeats = (40, (1000, 10000), 3) if args.quick else (200, (1000, 10000, 50000), 5)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="evaltool-bench-"))
    try:
        print(f"Machine: {machine()}\n")
        start = time.perf_counter()
        files = generate(work / "in", county, lists)
        print(f"Generated {county} department workbooks and lists of {', '.join(f'{n:,}' for n in lists)} rows "
              f"in {time.perf_counter() - start:.0f} s ({work})\n")
        evaltool = evaltool_command()
        out = work / "out"
        out.mkdir(exist_ok=True)
        table = Table()

        honest_ratios = {}  # evaltool check ÷ the honest floor, per target
        # The seed sample is a third of a second a run, and its floor moves by a tenth from run to run
        # (numpy starts its thread pool when openpyxl imports it): more runs, a steadier median.
        seed_runs = 2 * repeats + 1
        floor, honest, one = floors(files["seed"], out, [*evaltool, "check", str(files["seed"]), "-o",
                                                         str(out / "seed.checked.xlsx")], seed_runs)
        table.row("floor: load + save the seed sample", floor)
        table.row("honest floor (openpyxl only): load + save the seed sample", honest)
        honest_ratios["the seed sample"] = one.seconds / honest.seconds
        table.row(f"`evaltool check` the seed sample (median of {seed_runs})", one,
                  f"{one.seconds / floor.seconds:.2f}× floor, {one.seconds / honest.seconds:.2f}× honest",
                  f"≤ {CHECK_VS_HONEST}× honest", one.seconds <= CHECK_VS_HONEST * honest.seconds)
        helped = median([*evaltool, "--help"], 2 * repeats)
        table.row(f"`evaltool --help` (median of {2 * repeats})", helped, "", f"≤ {HELP_SECONDS} s",
                  helped.seconds <= HELP_SECONDS)

        # Alternating -j 1 and -j 2, best of each: other load on the machine hits both alike.
        headroom = parallel_headroom()
        runs: dict[int, list[Run]] = {1: [], 2: []}
        for _ in range(2):
            for jobs in (1, 2):
                runs[jobs].append(run([*evaltool, "check", str(files["county"]), "-j", str(jobs), "--out-dir",
                                        str(out / f"county-j{jobs}"), "--summary", str(out / f"summary-j{jobs}.xlsx")]))
        batch = {jobs: min(tries, key=lambda r: r.seconds) for jobs, tries in runs.items()}
        table.row(f"{county} workbooks, `-j 1`, `--out-dir --summary` (best of 2)", batch[1],
                  f"{batch[1].seconds / county * 1000:.0f} ms/file")
        speed_up = batch[1].seconds / batch[2].seconds
        table.row(f"{county} workbooks, `-j 2` (best of 2)", batch[2], f"{speed_up:.2f}× faster",
                  f"≥ {PARALLEL_SPEED_UP}×", speed_up >= PARALLEL_SPEED_UP)
        print(f"| (this machine now: 2 processes burning CPU are {headroom:.2f}× faster than 1 before, "
              f"{parallel_headroom():.2f}× after) | | | | | |", flush=True)

        seconds = {}
        whole = True  # every list read to its last row
        for n in lists:
            path = files[f"list{n}"]
            times = repeats if n <= 1000 else 1
            base, honest, mine = floors(path, out, [*evaltool, "check", str(path), "-o",
                                                    str(out / f"funds-{n}.checked.xlsx")], times)
            table.row(f"floor: load + save, 专项资金 {n:,} rows", base)
            table.row(f"honest floor (openpyxl only): load + save, 专项资金 {n:,} rows", honest)
            ratio = mine.seconds / base.seconds
            honest_ratios[f"{n:,} rows"] = mine.seconds / honest.seconds
            limit = LIST_VS_HONEST.get(n)
            read = int(subprocess.run([sys.executable, "-c", ROWS_READ, str(path)], capture_output=True, text=True,
                                      check=True).stdout)
            what = f"`evaltool check`, 专项资金 {n:,} rows" + ("" if read == n else f" (**read only {read:,} rows**)")
            table.row(what, mine, f"{ratio:.2f}× floor, {honest_ratios[f'{n:,} rows']:.2f}× honest",
                      f"≤ {limit}× honest, peak ≤ honest's" if limit else "",
                      (mine.seconds <= limit * honest.seconds and read == n
                       and (mine.peak_mb or 0) <= (honest.peak_mb or 0)) if limit else None)
            seconds[n] = mine.seconds
            whole = whole and read == n
        slopes = ", ".join(f"{a:,}→{b:,}: {(seconds[b] - seconds[a]) / (b - a) * 1000:.2f} s"
                           for a, b in itertools.pairwise(sorted(seconds)))
        print(f"\nTime per 1,000 extra rows: {slopes} "
              + ("(equal slopes: linear in rows)" if whole else "(meaningless: the lists were not read whole)"))
        print("`evaltool check` ÷ honest floor (openpyxl only): "
              + ", ".join(f"{what} {ratio:.2f}×" for what, ratio in honest_ratios.items()))
        if args.profile:
            profile(files[f"list{max(lists)}"], out / "profiled.checked.xlsx")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
