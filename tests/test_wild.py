"""Files from the wild (``tests/wild.py``): each gets its own message in both languages and its exit code,
alone and in a folder batch; the JSON always parses and stderr holds only our messages (no traceback, no
"Exception ignored", no Python exception class, nothing left open: the batch runs under ``-X dev -W
error::ResourceWarning``)."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from evaltool.cli import main
from evaltool.errors import InputError, os_reason
from tests.test_json_golden import SCHEMA
from tests.wild import CORPUS, Wild

ROOT = Path(__file__).resolve().parents[1]
# What must never reach an officer: Python's words for its own failures.
PYTHON_TEXT = re.compile(r"Traceback|Exception ignored|ResourceWarning|\b[A-Z]\w*(Error|Exception|Warning)\b"
                         r"|Bad magic|central directory|out of range|I/O operation")
# A folder batch leaves these alone, by name, with their own reason (alone they are refused with exit 2).
FOLDER_SKIPS = {".csv": "skip_csv", ".xls": "skip_xls", ".ods": "skip_other", ".xlsb": "skip_other"}


@pytest.fixture(scope="session")
def wild_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wild") / "收到的文件"
    folder.mkdir()
    for item in CORPUS:
        (folder / item.name).write_bytes(item.make())
    return folder


def invoke(*args: str):
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def clean(stream: str) -> None:
    assert not PYTHON_TEXT.search(stream), stream


@pytest.mark.parametrize("item", CORPUS, ids=lambda w: w.name)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_file_alone(item: Wild, lang: str, wild_dir: Path, tmp_path: Path) -> None:
    path = str(wild_dir / item.name)
    suffix = os.path.splitext(item.name)[1]
    out = str(tmp_path / f"out{suffix if suffix == '.xlsm' else '.docx' if suffix == '.pdf' else '.xlsx'}")
    result = invoke(path, "-o", out, "--format", "json", "--lang", lang)
    assert result.exit_code == item.exit_code, result.stdout
    entry = json.loads(result.stdout)["files"][0]
    clean(result.stderr)
    assert result.stderr == ""
    if item.key is None:
        assert entry["status"] == "checked" and entry["error"] is None
        assert [f["code"] for f in entry["findings"] if f["severity"] == "error"] == ["FMT01"] * item.exit_code
        assert os.path.exists(out)
        return
    expected = InputError(item.key, path=path, **dict(item.params)).render(lang)
    assert entry["error"] == {"key": item.key, "message": expected}
    clean(expected)
    assert not os.path.exists(out)
    if item.key not in ("zip_corrupt", "zip_damaged", "truncated"):  # damage is said only of damaged files
        assert "损坏" not in expected and "damaged" not in expected
    table = invoke(path, "-o", out, "--lang", lang)  # the console says the same, once, on stdout
    assert table.exit_code == item.exit_code
    assert expected in table.stdout
    clean(table.stdout + table.stderr)


def dev_run(*args: str) -> subprocess.CompletedProcess[str]:
    """evaltool in a fresh interpreter in development mode, an unclosed file or archive an error."""
    return subprocess.run([sys.executable, "-X", "dev", "-W", "error::ResourceWarning", "-m", "evaltool", *args],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          timeout=600)


def test_every_file_by_name_in_one_process_closes_everything(wild_dir: Path, tmp_path: Path) -> None:
    """Every file given by name, checked one after another in this process (-j 1): each rejection path
    closes what it opened (the .xlsm once left a zip open: "Exception ignored in ZipFile.__del__")."""
    run = dev_run("check", *(str(wild_dir / w.name) for w in CORPUS), "--format", "json", "-j", "1",
                  "--out-dir", str(tmp_path / "out"))
    clean(run.stderr)
    assert run.stderr == ""
    entries = json.loads(run.stdout)["files"]
    assert [(e["error"] or {}).get("key") for e in entries] == [w.key for w in CORPUS]
    assert [e["exit_code"] for e in entries] == [w.exit_code for w in CORPUS]


def test_folder_batch_accounts_for_every_file(wild_dir: Path, tmp_path: Path) -> None:
    """The whole corpus as one folder, in a fresh interpreter in development mode with unclosed files as
    errors: every file once, with its fate; nothing else on the streams."""
    (wild_dir / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (wild_dir / ".git").mkdir()
    (wild_dir / ".git" / "HEAD.xlsx").write_bytes(b"ref: refs/heads/main\n")
    try:
        run = dev_run("check", str(wild_dir), "--format", "json", "--lang", "en", "--out-dir", str(tmp_path / "out"),
                      "-j", "2")
    finally:
        (wild_dir / ".DS_Store").unlink()
        (wild_dir / ".git" / "HEAD.xlsx").unlink()
        (wild_dir / ".git").rmdir()
    clean(run.stderr)
    assert run.stderr == ""
    doc = json.loads(run.stdout)
    jsonschema.validate(doc, SCHEMA)
    files = {os.path.basename(f["path"]): f for f in doc["files"]}
    assert set(files) == {w.name for w in CORPUS} | {".DS_Store", "HEAD.xlsx"}
    assert files[".DS_Store"]["skipped"]["key"] == files["HEAD.xlsx"]["skipped"]["key"] == "skip_hidden"
    for item in CORPUS:
        entry = files[item.name]
        suffix = os.path.splitext(item.name)[1]
        if item.key == "lock_file":
            assert entry["skipped"]["key"] == "skip_lock"
        elif suffix in FOLDER_SKIPS:
            assert entry["status"] == "skipped" and entry["skipped"]["key"] == FOLDER_SKIPS[suffix], entry
        elif item.key is None:
            assert entry["status"] == "checked" and entry["exit_code"] == item.exit_code, entry
        else:
            assert entry["error"]["key"] == item.key and entry["exit_code"] == 2, entry
        clean(json.dumps(entry, ensure_ascii=False))
    assert run.returncode == 2


def test_folder_console_says_where_copies_went_only_when_written(wild_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "csv only"
    folder.mkdir()
    (folder / "a.csv").write_bytes(next(w for w in CORPUS if w.name == "data-gbk.csv").make())
    result = invoke(str(folder), "--out-dir", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "a.csv" in result.stdout and "核查副本已写入" not in result.stdout
    assert not (tmp_path / "out").exists()
    assert "没有找到要核查的" in result.stderr
    both = tmp_path / "mixed"
    both.mkdir()
    for name in ("data-gbk.csv", "backslash.xlsx"):
        (both / name).write_bytes((wild_dir / name).read_bytes())
    result = invoke(str(both), "--out-dir", str(tmp_path / "out2"))
    assert result.exit_code == 0
    assert f"核查副本已写入 {tmp_path / 'out2'}" in result.stdout


def test_library_prints_warnings_and_logs_never_reach_the_streams(wild_dir: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A library that prints (openpyxl once printed "0 is out of range"), warns or logs (pdfminer) while a
    file is checked: the JSON still parses and stderr stays empty."""
    import evaltool.checker

    real = evaltool.checker.check_file

    def noisy(*args, **kwargs):
        print("0 is out of range")
        warnings.warn("Workbook contains no default style", UserWarning, stacklevel=1)
        logging.getLogger("pdfminer.pdfpage").warning("CropBox missing from /Page, defaulting to MediaBox")
        return real(*args, **kwargs)

    monkeypatch.setattr(evaltool.checker, "check_file", noisy)
    for others in ([], [str(wild_dir / "recased.xlsx")]):  # alone, and a batch in this process
        result = invoke(str(wild_dir / "backslash.xlsx"), *others, "--format", "json", "-j", "1",
                        "--out-dir", str(tmp_path))
        assert result.exit_code == 0, result.stdout
        assert [f["status"] for f in json.loads(result.stdout)["files"]] == ["checked"] * (1 + len(others))
        assert result.stderr == ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_systems_reason_is_our_word(tmp_path: Path, lang: str) -> None:
    """A dangling link: the reason is a catalogue word, not the system's English ("No such file or directory")."""
    link = tmp_path / "自评表.xlsx"
    link.symlink_to(tmp_path / "gone.xlsx")
    result = invoke(str(link), "--format", "json", "--lang", lang)
    assert result.exit_code == 2
    error = json.loads(result.stdout)["files"][0]["error"]
    assert error["key"] == "file_unreadable"
    assert error["message"] == InputError("file_unreadable", path=str(link), reason=os_reason(FileNotFoundError())
                                          ).render(lang)
    assert "No such file" not in error["message"]


@pytest.mark.parametrize("shape", ["backslash", "recased", "rels-recased"])
def test_an_unusual_package_is_checked_and_marked_like_the_original(shape: str, tmp_path: Path) -> None:
    """The sample with mistakes in another package shape: the same findings, and its copy marked as fully."""
    import zipfile

    from evaltool.checker import check_file
    from tests.wild import SAMPLE, backslashed, recased, rezip

    original = SAMPLE.with_name("fengshun-2023-with-mistakes.xlsx")
    data = original.read_bytes()
    made = {"backslash": backslashed, "recased": recased,
            "rels-recased": lambda d: rezip(d, edit={"xl/_rels/workbook.xml.rels": lambda b: b.replace(
                b'Target="worksheets/sheet', b'Target="Worksheets/Sheet')})}[shape](data)
    path = tmp_path / f"{shape}.xlsx"
    path.write_bytes(made)

    def facts(p: Path) -> list[tuple[str, str | None]]:
        return sorted((f.code, f.location.cell if f.location else None) for f in check_file(str(p)).findings)

    assert facts(path) == facts(original)
    copies = []
    for source in (original, path):
        out = tmp_path / f"{source.stem}.checked.xlsx"
        assert invoke(str(source), "-o", str(out)).exit_code == 1
        with zipfile.ZipFile(out) as z:
            copies.append(sorted(n for n in z.namelist() if n.startswith("xl/comments")))
    assert copies[0] == copies[1] and copies[0]
