"""What the page shows of one file: its verdict and its findings grouped by state, in the page's language.

A workbook's findings come from its ``Result`` (their state follows the explanations typed in the page);
a report's, and an unreadable file's message, from its record (the ``--format json`` entry), so the page
says what the command line says.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evaltool.findings import State, Verdict
from evaltool.outputs.jsondoc import finding
from evaltool.text.catalogue import tr

if TYPE_CHECKING:
    from evaltool.checker import Result
    from evaltool.web.entry import Entry

ORDER = (State.ERROR, State.UNEXPLAINED, State.EXPLAINED, State.INFO)


def file_view(entry: Entry, result: Result | None, lang: str) -> dict[str, Any]:
    record = entry.record
    if result is not None:
        year = result.book.year if result.book else None
        rows = [_row(finding(f, lang, year), f.id, result.state(f), result.explanations.get(f.id), explainable=True)
                for f in result.findings]
        verdict = result.verdict
    else:
        # a report, or a file that could not be read: the record says it all (a report's warnings stay unexplained)
        rows = [_row(f, f["id"], State(f["state"]), None) for f in record.findings]
        verdict = Verdict(record.verdict) if record.verdict else None
    groups = [{"state": s.value, "title": tr(f"state_{s.value}", lang),
               "findings": [r for r in rows if r["state"] == s]} for s in ORDER]
    workbook = entry.workbook and entry.readable
    return {
        "id": entry.id,
        "name": entry.name,
        "kind": "workbook" if entry.workbook else "report",
        "department": record.department,
        "year": record.year,
        "verdict": verdict.value if verdict else None,
        "verdict_word": tr(f"verdict_word_{verdict.value}", lang) if verdict else "",
        # In the page's language when the message is known by key (a crash is worded once, when it happened),
        # the file named as uploaded, not where the launch keeps it.
        "error": _as_uploaded(entry.error.render(lang) if entry.error is not None else record.error, entry),
        "groups": [g for g in groups if g["findings"]],
        "downloads": {"checked": record.output is not None, "fixed": workbook, "draft": workbook},
    }


def _as_uploaded(message: str | None, entry: Entry) -> str | None:
    return message.replace(entry.path, entry.name) if message else message


def _row(f: dict[str, Any], fid: str, state: State, explanation: str | None, explainable: bool = False
         ) -> dict[str, Any]:
    """``explainable``: a workbook's (a report's copy has no 核查结果 to carry an explanation)."""
    loc = f["location"]
    where = (f"{loc['sheet']}!{loc['cell']}" if loc["cell"] else loc["sheet"]) if loc else ""
    return {
        "id": fid,
        "code": f["code"],
        "rule": f["rule"],
        "state": state,
        "where": where,
        "label": f["subject"]["label"] if f["subject"] else "",
        "stated": f["stated"]["text"] if f["stated"] else "",
        "recomputed": f["recomputed"]["text"] if f["recomputed"] else "",
        "difference": f["difference"]["text"] if f["difference"] else "",
        "message": f["message"],
        "explanation": explanation or "",
        "explainable": explainable and state in (State.UNEXPLAINED, State.EXPLAINED),
    }

