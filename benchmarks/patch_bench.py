"""The checked copy by patching against openpyxl's load + save:  python benchmarks/patch_bench.py [--quick]

For the mistakes sample and 专项资金 lists of 10,000 and 50,000 rows (``bench.department``), times in a
child process (start-up included, as ``bench.py`` times everything) ``workbook.patch.patch_copy`` with
the plan of the file's findings, and the same with every 拨付率 of the list marked and fixed (the worst
case), against ``openpyxl.load_workbook(path).save(out)`` (the honest floor of ``bench.py``), the
commands alternating.  The plans are made once beforehand: checking is not timed here.
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PATCH = ("import pickle, sys; from evaltool.workbook.patch import patch_copy; "
         "box, patches = pickle.load(open(sys.argv[3], 'rb')); "
         "patch_copy(sys.argv[1], sys.argv[2], patches, box=box, marker={'tool': 'evaltool'})")


def plan_of(task: tuple[str, bool, str]) -> int:
    """Write the plan of ``path``'s findings (or every 拨付率 marked and fixed) to ``out``; run in a pool,
    so that the measuring process stays small (a child's peak memory counts its parent's pages)."""
    from evaltool.checker import check_file
    from evaltool.outputs.marks import plan
    from evaltool.outputs.styles import COMMENT_LINE_PX, COMMENT_LINE_UNITS, COMMENT_WIDTH
    from evaltool.workbook.comments import CommentBox
    from evaltool.workbook.patch import CellPatch

    path, every_rate, out = task
    result = check_file(path)
    patches = [CellPatch(m.sheet, m.cell, m.fill, "\n".join(m.lines), m.fix.value if m.fix else None,
                         m.fix.number_format if m.fix else None) for m in plan(result.findings, "zh", True)]
    if every_rate:
        rates = [r["rate"] for r in result.book.list("funds", "funds") if r["rate"].coord]
        patches = [CellPatch(c.sheet, c.coord, "FFC7CE", f"[FND01 强制性] 第 {i} 个项目的拨付率", Decimal("0.95"),
                             "0.00%") for i, c in enumerate(rates, 1)]
    box = CommentBox(COMMENT_WIDTH, COMMENT_LINE_UNITS, COMMENT_LINE_PX)
    Path(out).write_bytes(pickle.dumps((box, patches)))
    return len(patches)


def make_list(task: tuple[int, str]) -> None:
    n, path = task
    bench.department(bench._base(), random.Random(bench.SEED + n), "丰顺县科工商务局", n).save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="lists of 1,000 and 10,000 rows, fewer repeats")
    args = parser.parse_args()
    sizes = (1000, 10000) if args.quick else (10000, 50000)
    with tempfile.TemporaryDirectory() as folder, ProcessPoolExecutor() as pool:
        tmp = Path(folder)
        files = {"sample": ROOT / "samples" / "fengshun-2023-with-mistakes.xlsx"}
        files.update({f"{n:,} rows": tmp / f"funds-{n}.xlsx" for n in sizes})
        list(pool.map(make_list, [(n, str(tmp / f"funds-{n}.xlsx")) for n in sizes]))
        runs = [(name, path, every) for name, path in files.items() for every in (False, True)
                if not (every and name == "sample")]
        plans = [(str(p), every, str(tmp / f"{p.stem}-{every}.pickle")) for _, p, every in runs]
        counts = list(pool.map(plan_of, plans))
        print(f"{bench.machine()}\n")
        table = bench.Table()
        for (name, path, every), count in zip(runs, counts, strict=True):
            times = 1 if "50,000" in name else 3 if "10,000" in name else 7
            floor, mine = bench.medians(
                [[sys.executable, "-c", bench.HONEST_FLOOR, str(path), str(tmp / "floor.xlsx")],
                 [sys.executable, "-c", PATCH, str(path), str(tmp / "patched.xlsx"),
                  str(tmp / f"{path.stem}-{every}.pickle")]], times)
            if not every:
                table.row(f"{name}: openpyxl load + save", floor)
            label = "every 拨付率 marked and fixed" if every else "the plan of its findings"
            ratio = f"{mine.seconds / floor.seconds:.2f}× floor"
            table.row(f"{name}: patch_copy, {label} ({count} marks)", mine, ratio)


if __name__ == "__main__":
    main()
