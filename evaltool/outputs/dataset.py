"""The county dataset as pandas DataFrames, and ``--export`` (.csv, .xlsx, .parquet).

Built from the batch's ``FileRecord``s: ``files`` (one row per file of the run, unreadable and skipped ones
too: identity, every figure as typed, every recomputed figure, the scores, findings by state, the verdict,
``counted``), and long tables ``findings``, ``projects`` (专项资金) and ``indicators`` (自评评分表), each
keyed by ``file``.  Money columns hold exact decimal text in 万元 (pandas ``string`` dtype: "2369.93",
never a float's 2369.9299999); rates, shares and scores are ``float64``; counts ``Int64``.

pandas is imported here only, and this module only on the batch's export and summary path.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evaltool.findings import State
from evaltool.outputs.dataset_rows import MONEY, PRIOR_FIGURES, figure_keys
from evaltool.ratios import GROUPS

if TYPE_CHECKING:
    import pandas as pd

    from evaltool.batch import FileRecord

# Flags (``batch.flag_batch``) that keep a file out of the county's totals: ``counted`` is False.
NOT_COUNTED = ("duplicate_earlier", "unit_outlier")
IDENTITY = ("file", "kind", "status", "department", "year", "unit", "filed", "verdict", "counted", "exit_code",
            "checked_copy", "flags")
STATES = tuple(f"n_{s.value}" for s in State)
SCORES = ("self_total", "recomputed_total", "self_grade", "recomputed_grade")
PRIOR_MONEY = tuple(f"prior.{name}" for name, _ in PRIOR_FIGURES)
PRIOR = ("prior.file", *PRIOR_MONEY, "prior.recomputed_total")
FINDING_COLUMNS = ("file", "department", "year", "id", "code", "severity", "state", "sheet", "cell", "stated",
                   "recomputed", "difference", "unit", "message", "explanation")


@dataclass(frozen=True)
class Dataset:
    files: pd.DataFrame
    findings: pd.DataFrame
    projects: pd.DataFrame
    indicators: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"files": self.files, "findings": self.findings, "projects": self.projects,
                "indicators": self.indicators}


def money_columns() -> list[str]:
    """Columns of ``files`` that hold money (decimal text in 万元)."""
    return [name for name, _, kind in figure_keys() if kind in MONEY] + list(PRIOR_MONEY)


def _identity(r: FileRecord) -> dict[str, Any]:
    return {"file": r.path, "kind": r.entry.get("kind", "workbook"), "status": r.entry["status"],
            "department": r.department or None, "year": r.year, "unit": r.entry.get("unit"), "filed": r.filed,
            "verdict": r.verdict or r.entry.get("verdict"),  # a skipped file's: "skipped", as the JSON says
            "counted": r.error is None and r.skipped is None and not r.flagged(*NOT_COUNTED),
            "exit_code": r.exit_code, "checked_copy": r.output,
            "flags": "；".join(f["message"] for f in r.flags) or None}


def _exact(q: dict[str, Any] | None) -> str | None:
    return None if q is None else str(q["exact"])


def _finding(r: FileRecord, f: dict[str, Any]) -> dict[str, Any]:
    where = f.get("location") or {}
    shown = f.get("difference") or f.get("stated")
    return {"file": r.path, "department": r.department or None, "year": r.year, "id": f["id"], "code": f["code"],
            "severity": f["severity"], "state": f["state"], "sheet": where.get("sheet"), "cell": where.get("cell"),
            "stated": _exact(f.get("stated")), "recomputed": _exact(f.get("recomputed")),
            "difference": _exact(f.get("difference")), "unit": shown["unit"] if shown else None,
            "message": f["message"], "explanation": f.get("explanation")}


def build(records: Sequence[FileRecord]) -> Dataset:
    import pandas as pd

    figures = [name for name, _, _ in figure_keys()]
    rows, findings, projects, indicators = [], [], [], []
    ratio_columns: dict[str, None] = {}
    for r in records:
        data = r.data or {}
        file = data.get("file", {})
        ratio_columns.update(dict.fromkeys(k for k in file if k.startswith("ratio.")))
        states = r.states
        rows.append({**_identity(r), **{c: states.get(c[2:], 0) for c in STATES}, **file})
        findings += [_finding(r, f) for f in r.findings]
        key = {"file": r.path, "department": r.department or None, "year": r.year}
        projects += [{**key, **p} for p in data.get("projects", ())]
        indicators += [{**key, **i} for i in data.get("indicators", ())]
    columns = [*IDENTITY, *STATES, *figures, *ratio_columns, *SCORES, *PRIOR]
    files = pd.DataFrame(rows, columns=columns)
    money = set(money_columns()) | {c for c in ratio_columns if GROUPS[c[len("ratio."):].split(".")[0]].difference}
    for c in columns:
        if c in money or c in ("file", "kind", "status", "department", "unit", "filed", "verdict", "checked_copy",
                               "flags", "self_grade", "recomputed_grade", "prior.file"):
            files[c] = files[c].astype("string")
        elif c in ("year", "exit_code", *STATES):
            files[c] = files[c].astype("Int64")
        elif c == "counted":
            files[c] = files[c].astype(bool)
        elif c in ratio_columns or c in SCORES or c == "prior.recomputed_total":
            files[c] = pd.to_numeric(files[c], errors="coerce").astype("float64")
        else:  # a figure of mixed content (a year, a count, a date, a choice): as text
            files[c] = files[c].map(lambda v: None if v is None or v != v else str(v)).astype("string")
    return Dataset(files,
                   _frame(findings, FINDING_COLUMNS, text=set(FINDING_COLUMNS) - {"year"}),
                   _frame(projects, ("file", "department", "year", "row", "project", "budget", "paid", "rate_stated",
                                     "rate", "status", "remark"),
                          text={"file", "department", "project", "budget", "paid", "status", "remark"}),
                   _frame(indicators, ("file", "department", "year", "level1", "level2", "level3", "method", "weight",
                                       "self_score", "recomputed_score", "figure", "figure_value"),
                          text={"file", "department", "level1", "level2", "level3", "method", "figure"}))


def _frame(rows: list[dict[str, Any]], columns: Sequence[str], text: set[str]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(columns))
    for c in columns:
        if c in text:
            frame[c] = frame[c].astype("string")
        elif c in ("year", "row"):
            frame[c] = frame[c].astype("Int64")
        else:
            frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
    return frame


EXPORTS = (".csv", ".xlsx", ".parquet")


def export(dataset: Dataset, path: str | os.PathLike) -> list[str]:
    """Write the dataset by ``path``'s suffix: .csv (UTF-8 with BOM, Excel opens it as such) holds the file
    table and writes each long table beside it (``county.findings.csv`` …); .xlsx one sheet per table;
    .parquet the file table and the long tables beside it (needs pyarrow: ``pip install evaltool[parquet]``).
    Every file is written atomically; returns the paths written."""
    from pathlib import Path

    from evaltool.atomic import write_atomically

    path = os.fspath(path)
    stem, suffix = os.path.splitext(path)
    suffix = suffix.lower()
    written: list[str] = []
    if suffix == ".xlsx":
        def xlsx(tmp: str) -> None:
            import pandas as pd

            with pd.ExcelWriter(tmp, engine="xlsxwriter") as writer:
                for name, frame in dataset.tables().items():
                    frame.to_excel(writer, sheet_name=name, index=False)

        write_atomically(path, xlsx)
        return [path]
    for name, frame in dataset.tables().items():
        target = path if name == "files" else f"{stem}.{name}{suffix}"
        if suffix == ".csv":
            write_atomically(target, lambda tmp, f=frame: Path(tmp).write_bytes(
                f.to_csv(index=False).encode("utf-8-sig")))
        else:
            write_atomically(target, lambda tmp, f=frame: f.to_parquet(tmp, index=False))
        written.append(target)
    return written
