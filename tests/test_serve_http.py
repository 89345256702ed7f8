"""evaltool serve at the HTTP level (Flask's test client): every safety rule, the flow, the launcher.

The page's app is built once per session on a temporary folder; tests that need another cap or a fresh
session build their own.
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from importlib.metadata import distribution
from pathlib import Path

import hostile as H
import pytest

from evaltool.batch import Job, Options, guarded
from evaltool.text.catalogue import tr
from evaltool.web import guard, server
from evaltool.web import session as S
from evaltool.web.app import create_app
from evaltool.web.guard import safe_name
from evaltool.web.session import Session

TOKEN = "t0k-en"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def make(tmp: Path, ruleset, quit=lambda: None):
    session = Session(ruleset, str(tmp))
    app = create_app(session, TOKEN, PORT, quit)
    client = app.test_client()
    assert client.get(f"{BASE}/?token={TOKEN}").status_code == 302
    return session, client


@pytest.fixture(scope="module")
def page(tmp_path_factory, ruleset):
    return make(tmp_path_factory.mktemp("serve"), ruleset)


def upload(client, data: bytes, name: str, lang: str = "zh"):
    return client.post(f"{BASE}/api/files?lang={lang}", data={"file": (io.BytesIO(data), name)})


def text(response) -> str:
    return response.get_data(as_text=True)


# -- Host, token ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example:8765", "127.0.0.1:9999", "localhost", "10.0.0.1:8765",
                                  "127.0.0.1.nip.io:8765"])
def test_a_foreign_host_is_refused(page, host):
    _, client = page
    r = client.get(f"{BASE}/api/files", headers={"Host": host})
    assert r.status_code == 403 and text(r) == tr("web.bad_host", "zh")
    r = client.get(f"{BASE}/?token={TOKEN}", headers={"Host": host})  # the token does not help
    assert r.status_code == 403


@pytest.mark.parametrize("host", [f"127.0.0.1:{PORT}", f"localhost:{PORT}", f"LOCALHOST:{PORT}"])
def test_the_bound_address_is_served(page, host):
    _, client = page
    # (a browser keeps one cookie per host name: localhost gets the token in the header or its own cookie)
    assert client.get(f"{BASE}/api/files", headers={"Host": host, guard.HEADER: TOKEN}).status_code == 200


@pytest.mark.parametrize("path", ["/", "/api/files", "/static/app.js", "/download/template", "/download/1/checked"])
def test_no_token_no_page(page, path, tmp_path, ruleset):
    _, client = page
    stranger = client.application.test_client()  # another user, another site's page: no cookie
    r = stranger.get(BASE + path)
    assert r.status_code == 403 and text(r) == tr("web.bad_token", "zh")
    assert stranger.post(f"{BASE}/api/quit").status_code == 403
    assert stranger.post(f"{BASE}/api/files", data={"file": (io.BytesIO(b"x"), "a.xlsx")}).status_code == 403


def test_a_wrong_token_is_refused_everywhere(page):
    _, client = page
    stranger = client.application.test_client()
    assert stranger.get(f"{BASE}/?token=guess").status_code == 403
    assert stranger.get(f"{BASE}/?token=").status_code == 403
    assert stranger.get(f"{BASE}/api/files", headers={guard.HEADER: "guess"}).status_code == 403
    stranger.set_cookie(guard.cookie_name(PORT), "guess", domain="127.0.0.1")
    assert stranger.get(f"{BASE}/api/files").status_code == 403
    stranger.set_cookie(guard.cookie_name(PORT + 1), TOKEN, domain="127.0.0.1")  # another launch's cookie name
    assert stranger.get(f"{BASE}/api/files").status_code == 403
    assert text(stranger.get(f"{BASE}/api/files?lang=en")) == tr("web.bad_token", "en")


def test_the_token_becomes_a_strict_cookie_and_leaves_the_address(page):
    _, client = page
    fresh = client.application.test_client()
    r = fresh.get(f"{BASE}/?lang=en&token={TOKEN}")
    assert r.status_code == 302 and r.headers["Location"] == "/?lang=en"
    cookie = r.headers["Set-Cookie"]
    assert f"{guard.cookie_name(PORT)}={TOKEN}" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert fresh.get(f"{BASE}/api/files").status_code == 200
    # the header is as good as the cookie (a script of the page, a test)
    bare = client.application.test_client()
    assert bare.get(f"{BASE}/api/files", headers={guard.HEADER: TOKEN}).status_code == 200


def test_the_page_is_framed_by_nothing_and_loads_nothing_from_elsewhere(page):
    _, client = page
    r = client.get(f"{BASE}/")
    assert r.status_code == 200
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    body = text(r)
    assert "http://" not in body and "https://" not in body  # no CDN
    assert "<html lang=\"zh-CN\">" in body and tr("web.quit", "zh") in body
    assert tr("web.quit", "en") in text(client.get(f"{BASE}/?lang=en"))


# -- uploads: caps, names ------------------------------------------------------------------------------


def test_a_request_past_the_cap_gets_a_message(page):
    _, client = page
    client.application.config["MAX_CONTENT_LENGTH"] = 1000  # the cap itself is a file's 50 MB
    try:
        r = upload(client, b"x" * 5000, "big.xlsx")
    finally:
        client.application.config["MAX_CONTENT_LENGTH"] = guard.MAX_REQUEST
    assert r.status_code == 413
    assert text(r) == tr("web.request_too_large", "zh", cap=guard.MAX_FILE_BYTES >> 20)
    assert "Traceback" not in text(r)


def test_caps_on_a_file_on_the_count_and_on_the_total(tmp_path, ruleset, monkeypatch):
    session, client = make(tmp_path, ruleset)
    data = (SAMPLES / "fengshun-2023.xlsx").read_bytes()
    monkeypatch.setattr(S, "MAX_FILE_BYTES", len(data) - 1)
    r = upload(client, data, "大.xlsx")
    assert r.status_code == 413 and text(r) == tr("web.file_too_large", "zh", name="大.xlsx", cap=0)
    monkeypatch.setattr(S, "MAX_FILE_BYTES", guard.MAX_FILE_BYTES)
    monkeypatch.setattr(S, "MAX_FILES", 2)
    assert upload(client, data, "a.xlsx").status_code == 200
    assert upload(client, data, "b.xlsx").status_code == 200
    r = upload(client, data, "c.xlsx", lang="en")
    assert r.status_code == 413 and text(r) == tr("web.too_many", "en", name="c.xlsx", cap=2)
    monkeypatch.setattr(S, "MAX_FILES", 500)
    monkeypatch.setattr(S, "MAX_TOTAL_BYTES", 2 * len(data) + 10)
    r = upload(client, data, "d.xlsx")
    assert r.status_code == 413 and text(r) == tr("web.total_too_large", "zh", name="d.xlsx", cap=0)
    assert [e.name for e in session.done()] == ["a.xlsx", "b.xlsx"]  # nothing of the refused ones is kept
    assert sorted(os.listdir(os.path.join(session.folder, "in"))) == ["2", "3"]  # 1 was refused, 4 too


def test_the_caps_fit_a_county_batch():
    assert S.MAX_FILES >= 400 and S.MAX_TOTAL_BYTES >= 200 * 5 * 2**20
    assert guard.MAX_REQUEST > guard.MAX_FILE_BYTES  # a file as large as the reader takes is received whole


@pytest.mark.parametrize("sent, kept", [
    ("../../etc/passwd.xlsx", "passwd.xlsx"),
    ("..\\..\\Windows\\system.xlsx", "system.xlsx"),
    ("C:\\Users\\me\\自评表.xlsx", "自评表.xlsx"),
    ("/abs/path/book.xlsx", "book.xlsx"),
    ("..", "file"),
    ("", "file"),
    ("a\x00b<c>:d|e?.xlsx", "a_b_c__d_e_.xlsx"),
    ("CON.xlsx", "file_CON.xlsx"),
    (" .hidden.xlsx", "hidden.xlsx"),
    ("长" * 300 + ".xlsx", "长" * 115 + ".xlsx"),
])
def test_an_uploaded_name_is_a_plain_file_name(sent, kept):
    assert safe_name(sent) == kept


def test_a_traversing_name_stays_in_the_session_folder(tmp_path, ruleset):
    (tmp_path / "root").mkdir()
    session, client = make(tmp_path / "root", ruleset)
    r = upload(client, (SAMPLES / "fengshun-2023.xlsx").read_bytes(), "../../../outside.xlsx")
    assert r.status_code == 200 and r.get_json()[0]["name"] == "outside.xlsx"
    entry = session.done()[0]
    assert Path(entry.path).resolve().is_relative_to(Path(session.folder).resolve())
    assert Path(entry.target).resolve().is_relative_to(Path(session.folder).resolve())
    assert not list(tmp_path.rglob("outside.xlsx"))[1:]  # one copy, the session's
    assert client.get(f"{BASE}/download/..%2F..%2Fetc/checked").status_code == 404


# -- hostile files: the command line's messages, never a traceback -------------------------------------


def _hostile() -> dict[str, bytes]:
    base = (SAMPLES / "fengshun-2023.xlsx").read_bytes()
    return {
        "bomb.xlsx": H.zip_bomb(base, 8),
        "laughs.xlsx": H.billion_laughs(base, "xl/workbook.xml"),
        "old.xlsx": H.ole_file(("Workbook",)),
        "locked.xlsx": H.password_flagged(base),
        "truncated.xlsx": base[: len(base) // 2],
        "empty.xlsx": b"",
        "notes.txt": b"\xff\xfe\x00garbage",
        "report.pdf": b"%PDF-1.4 broken",
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_files_get_the_command_lines_messages(page, tmp_path, lang, ruleset, caplog):
    _, client = page
    caplog.set_level(logging.DEBUG)
    for name, data in _hostile().items():
        path = tmp_path / name
        path.write_bytes(data)
        _, record = guarded(Job(str(path), str(tmp_path / f"cli-{name}.checked.xlsx")), Options(ruleset, lang))
        r = upload(client, data, name, lang)
        assert r.status_code == 200, (name, text(r))
        view = r.get_json()[0]
        assert (view["error"] is None) == (record.error is None), name
        if record.error is not None:
            assert view["verdict"] == "unreadable"
            # the command line's sentence, the file named as uploaded (not the launch's temporary folder)
            assert view["error"] == record.error.replace(str(path), name), name
            assert view_path(client, view) not in view["error"]
        assert "Traceback" not in text(r) and "File \"" not in text(r)
    assert not [rec for rec in caplog.records if rec.exc_info or "Traceback" in rec.getMessage()]


def view_path(client, view) -> str:
    return client.application.extensions["evaltool"].entry(view["id"]).path


def test_a_crash_is_a_sentence_in_the_page_and_one_line_in_the_log(tmp_path, ruleset, monkeypatch, caplog):
    session, client = make(tmp_path, ruleset)

    def boom(*a, **k):
        raise RuntimeError("secret internals at /home/x")

    monkeypatch.setattr(session, "add", boom)
    caplog.set_level(logging.DEBUG)
    r = upload(client, b"x", "a.xlsx")
    assert r.status_code == 500 and text(r) == tr("web.crashed", "zh")
    assert not [rec for rec in caplog.records if rec.exc_info]
    assert [rec.getMessage() for rec in caplog.records if rec.name == "evaltool.web"] == [
        "POST /api/files: RuntimeError: secret internals at /home/x"]


# -- the flow ------------------------------------------------------------------------------------------


def test_upload_explain_and_download(tmp_path, ruleset):
    import openpyxl

    session, client = make(tmp_path, ruleset)
    r = upload(client, (SAMPLES / "fengshun-2023-with-mistakes.xlsx").read_bytes(), "mistakes.xlsx")
    view = r.get_json()[0]
    assert view["verdict"] == "fail" and view["verdict_word"] == tr("verdict_word_fail", "zh")
    states = [g["state"] for g in view["groups"]]
    assert states == ["error", "unexplained", "info"]
    shr = next(f for f in view["groups"][0]["findings"] if f["code"] == "SHR01")
    assert (shr["where"], shr["stated"], shr["recomputed"]) == ("收支情况!C5", "81.33%", "81.32%")
    warning = view["groups"][1]["findings"][0]
    assert warning["explainable"] and not shr["explainable"]
    said = "系四舍五入尾差，已核对决算"
    r = client.post(f"{BASE}/api/files/1/explain", json={"finding": warning["id"], "text": said})
    after = r.get_json()
    assert [g["state"] for g in after["groups"]] == ["error", "unexplained", "explained", "info"]
    assert after["groups"][2]["findings"][0]["explanation"] == "系四舍五入尾差，已核对决算"
    assert session.entry("1").explanations == {warning["id"]: "系四舍五入尾差，已核对决算"}
    copy = client.get(f"{BASE}/download/1/checked")
    assert copy.status_code == 200 and "attachment" in copy.headers["Content-Disposition"]
    assert openpyxl.load_workbook(io.BytesIO(copy.data)).sheetnames[:2] == ["核查汇总", "核查结果"]
    assert client.get(f"{BASE}/download/1/fixed").status_code == 200
    draft = client.get(f"{BASE}/download/1/draft")  # errors: refused as the command line refuses
    assert draft.status_code == 422 and text(draft) == tr("web.draft_refused", "zh", errors=7)
    # a blank explanation takes it back
    r = client.post(f"{BASE}/api/files/1/explain", json={"finding": warning["id"], "text": "  "})
    assert [g["state"] for g in r.get_json()["groups"]] == ["error", "unexplained", "info"]
    assert client.post(f"{BASE}/api/files/9/explain", json={}).status_code == 404
    for wrong in (shr["id"], "SUM02:nothing", ""):  # an error is never explained; an unknown id is no finding
        r = client.post(f"{BASE}/api/files/1/explain", json={"finding": wrong, "text": said})
        assert r.status_code == 404 and text(r) == tr("web.not_found", "zh")
    assert session.entry("1").explanations == {}
    assert client.get(f"{BASE}/download/1/nothing").status_code == 404


def test_a_correct_workbook_drafts_and_a_report_pairs_with_it(tmp_path, ruleset):
    _, client = make(tmp_path, ruleset)
    assert client.get(f"{BASE}/download/summary").status_code == 404  # nothing checked yet
    view = upload(client, (SAMPLES / "fengshun-2023.xlsx").read_bytes(), "fengshun.xlsx").get_json()[0]
    assert view["verdict"] in ("ready", "pass_unexplained")
    draft = client.get(f"{BASE}/download/1/draft")
    assert draft.status_code == 200 and draft.data[:2] == b"PK"
    report = upload(client, (SAMPLES / "fengshun-kegongshangwu-2023-self-evaluation.txt").read_bytes(), "自评报告.txt")
    rv = report.get_json()[0]
    assert rv["kind"] == "report" and rv["error"] is None and not rv["downloads"]["fixed"]
    assert client.get(f"{BASE}/download/2/checked").data[:2] == b"PK"  # the checked .docx
    summary = client.get(f"{BASE}/download/summary")
    assert summary.status_code == 200 and summary.data[:2] == b"PK"
    assert client.get(f"{BASE}/download/template").data[:2] == b"PK"
    en = client.get(f"{BASE}/api/files?lang=en").get_json()
    assert en[0]["verdict_word"] == tr(f"verdict_word_{view['verdict']}", "en")


def test_quit_answers_then_stops(tmp_path, ruleset):
    stopped = []
    _, client = make(tmp_path, ruleset, quit=lambda: stopped.append(True))
    r = client.post(f"{BASE}/api/quit")
    assert text(r) == tr("web.quit_done", "zh")
    r.close()
    assert stopped == [True]


# -- the launch ----------------------------------------------------------------------------------------


def test_old_folders_are_cleaned_at_start_and_ours_at_shutdown(tmp_path, ruleset):
    old = tmp_path / f"{S.PREFIX}old"
    (old / "in" / "1").mkdir(parents=True)
    long_ago = time.time() - S.STALE_SECONDS - 5
    os.utime(old, (long_ago, long_ago))
    live = tmp_path / f"{S.PREFIX}live"  # another launch, touched a minute ago
    live.mkdir()
    other = tmp_path / "someone-else"
    other.mkdir()
    os.utime(other, (long_ago, long_ago))
    session = Session(ruleset, str(tmp_path))
    assert not old.exists() and live.exists() and other.exists()
    assert Path(session.folder).parent == tmp_path
    session.close()
    assert not Path(session.folder).exists()


def test_the_server_serves_loopback_and_stops_on_quit(tmp_path):
    s = server.Server(0, root=str(tmp_path)).start()
    assert s.server.effective_host == "127.0.0.1" and s.url.startswith(f"http://127.0.0.1:{s.port}/?token=")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"http://127.0.0.1:{s.port}/")
    assert refused.value.code == 403
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    assert opener.open(s.url).status == 200
    assert opener.open(urllib.request.Request(f"http://127.0.0.1:{s.port}/api/quit", method="POST")).status == 200
    s.wait()  # returns: 退出 was pressed
    assert not Path(s.session.folder).exists()


def test_an_idle_hour_stops_the_server(tmp_path, monkeypatch):
    s = server.Server(0, root=str(tmp_path))
    monkeypatch.setattr(server, "IDLE_POLL", 0)
    s.session.last -= S.IDLE_SECONDS + 1
    said = []
    s.wait(on_idle=lambda: said.append("idle"))
    assert said == ["idle"] and not Path(s.session.folder).exists()


def test_serve_says_why_it_cannot_start(tmp_path):
    import socket

    from click.testing import CliRunner

    from evaltool.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = CliRunner().invoke(main, ["serve", "--port", str(port), "--no-browser"])
    assert r.exit_code == 2 and f"无法在端口 {port} 启动核查页面" in r.output and "Traceback" not in r.output


def test_the_gui_launcher_is_declared():
    eps = distribution("evaltool").entry_points
    gui = [ep for ep in eps if ep.group == "gui_scripts"]
    assert [(ep.name, ep.value) for ep in gui] == [("evaltool-gui", "evaltool.web.launch:main")]
    assert gui[0].load().__module__ == "evaltool.web.launch"
    assert any(ep.group == "console_scripts" and ep.name == "evaltool" for ep in eps)


def test_the_page_ships_in_the_package():
    import evaltool.web

    here = Path(evaltool.web.__file__).parent
    for name in ("templates/index.html", "static/app.js", "static/app.css"):
        assert (here / name).is_file(), name
    # setup.cfg lists them, so a wheel carries them
    cfg = (Path(__file__).resolve().parent.parent / "setup.cfg").read_text(encoding="utf-8")
    assert "evaltool.web = templates/*.html, static/*.js, static/*.css" in cfg


def test_flask_and_waitress_stay_off_the_check_path(tmp_path):
    book = tmp_path / "b.xlsx"
    book.write_bytes((SAMPLES / "fengshun-2023.xlsx").read_bytes())
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "evaltool", "check", str(book)],
                         capture_output=True, text=True)
    loaded = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if "|" in line}
    assert out.returncode in (0, 1) and loaded
    assert not {m for m in loaded if m.split(".")[0] in ("flask", "waitress", "werkzeug", "evaltool.web")}
    assert "evaltool.web" not in {m.rsplit(".", 1)[0] for m in loaded}


# -- last year's workbooks (上年自评表) ------------------------------------------------------------------


def edited(**cells) -> bytes:
    """The correct sample with cells changed (openpyxl, as an officer's program would save it)."""
    import openpyxl

    from evaltool.samples import Filler

    where = {"year": ("basic", "info", "year", "value"), "dept": ("basic", "info", "dept", "value"),
             "carry_in": ("finance", "income", "carry_in", "amount"),
             "carry_out": ("finance", "expense", "carry_out", "amount")}
    wb = openpyxl.load_workbook(SAMPLES / "fengshun-2023.xlsx")
    filler = Filler()
    for key, value in cells.items():
        sheet, row, col = filler.position(*where[key])
        wb[sheet].cell(row, col).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def years():
    """This year's workbook (年初结转和结余 0) and last year's (2022, 年末结转和结余 12): PRI01 between them."""
    return edited(carry_in=0), edited(year=2022, carry_out=12)


def upload_prior(client, data: bytes, name: str, lang: str = "zh"):
    return client.post(f"{BASE}/api/priors?lang={lang}", data={"file": (io.BytesIO(data), name)})


def pri(view) -> list[tuple[str, str, str, str]]:
    return [(f["code"], f["where"], f["stated"], f["recomputed"]) for g in view["groups"] for f in g["findings"]
            if f["code"].startswith("PRI")]


PRI01 = [("PRI01", "收支情况!B15", "0.00", "12.00")]


@pytest.mark.parametrize("last_first", [True, False])
def test_last_years_workbook_pairs_in_either_order(tmp_path, ruleset, years, last_first):
    import openpyxl

    session, client = make(tmp_path, ruleset)
    this, last = years
    if last_first:
        prior = upload_prior(client, last, "上年.xlsx").get_json()
        assert prior["files"] == [] and prior["priors"][0]["used_by"] == []
        view = upload(client, this, "本年.xlsx").get_json()[0]
    else:
        assert pri(upload(client, this, "本年.xlsx").get_json()[0]) == []
        answer = upload_prior(client, last, "上年.xlsx").get_json()
        assert [v["name"] for v in answer["files"]] == ["本年.xlsx"]  # checked again with it
        view = answer["files"][0]
        assert answer["priors"][0]["status"] == tr("web.prior_used", "zh", names="本年.xlsx")
    assert pri(view) == PRI01 and view["verdict"] == "fail" and view["notes"] == []
    assert pri(client.get(f"{BASE}/api/files?lang=en").get_json()[0]) == PRI01
    assert client.get(f"{BASE}/api/priors").get_json()[0]["used_by"] == ["本年.xlsx"]
    # the downloads are written by the command line's writers, with PRI01 in them
    copy = openpyxl.load_workbook(io.BytesIO(client.get(f"{BASE}/download/{view['id']}/checked").data), read_only=True)
    assert "PRI01" in [row[0] for row in copy["核查结果"].iter_rows(values_only=True)]
    fixed = openpyxl.load_workbook(io.BytesIO(client.get(f"{BASE}/download/{view['id']}/fixed").data), read_only=True)
    assert "PRI01" in [row[0] for row in fixed["核查结果"].iter_rows(values_only=True)]
    summary = openpyxl.load_workbook(io.BytesIO(client.get(f"{BASE}/download/summary").data), read_only=True)
    cells = {c for ws in summary.worksheets for row in ws.iter_rows(values_only=True) for c in row}
    assert "PRI01" in cells and tr("sum_prior_income_total", "zh") in cells
    assert not any(isinstance(c, str) and c.startswith("上年文件夹中没有") for c in cells)


def test_a_workbook_explained_keeps_its_explanation_when_checked_again(tmp_path, ruleset, years):
    import openpyxl

    session, client = make(tmp_path, ruleset)
    _, last = years
    view = upload(client, (SAMPLES / "fengshun-2023-with-mistakes.xlsx").read_bytes(), "m.xlsx").get_json()[0]
    warning = next(g for g in view["groups"] if g["state"] == "unexplained")["findings"][0]["id"]
    client.post(f"{BASE}/api/files/1/explain", json={"finding": warning, "text": "系四舍五入尾差，已核对决算"})
    (after,) = upload_prior(client, last, "上年.xlsx").get_json()["files"]  # same department: checked again
    assert [g["state"] for g in after["groups"]][:3] == ["error", "unexplained", "explained"]
    assert session.entry("1").explanations == {warning: "系四舍五入尾差，已核对决算"}
    copy = openpyxl.load_workbook(session.entry("1").target, read_only=True)  # rewritten with it
    assert "系四舍五入尾差，已核对决算" in {c for row in copy["核查结果"].iter_rows(values_only=True) for c in row}


def test_another_department_is_not_paired(tmp_path, ruleset, years):
    session, client = make(tmp_path, ruleset)
    this, _ = years
    view = upload(client, this, "本年.xlsx").get_json()[0]
    answer = upload_prior(client, edited(year=2022, carry_out=12, dept="丰顺县教育局"), "教育局.xlsx").get_json()
    (view,) = answer["files"]  # not checked again, but now said to lack last year's, as the command line says
    assert pri(view) == []
    assert view["notes"] == [tr("flag.no_prior", "zh", year=2022)]
    assert answer["priors"][0]["status"] == tr("web.prior_unused", "zh", dept="丰顺县教育局", year=2023)
    en = client.get(f"{BASE}/api/priors?lang=en").get_json()[0]
    assert en["used_by"] == [] and en["status"] == tr("web.prior_unused", "en", dept="丰顺县教育局", year=2023)
    assert client.get(f"{BASE}/api/files?lang=en").get_json()[0]["notes"] == [tr("flag.no_prior", "en", year=2022)]
    summary = client.get(f"{BASE}/download/summary")
    import openpyxl

    cells = {c for ws in openpyxl.load_workbook(io.BytesIO(summary.data), read_only=True).worksheets
             for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)}
    assert any(tr("flag.no_prior", "zh", year=2022) in c for c in cells)


def test_of_two_files_of_last_year_the_first_is_used(tmp_path, ruleset, years):
    _, client = make(tmp_path, ruleset)
    this, last = years
    upload_prior(client, last, "a.xlsx")
    answer = upload_prior(client, edited(year=2022, carry_out=0), "b.xlsx").get_json()
    assert answer["files"] == [] and answer["priors"][0]["used_by"] == []
    assert pri(upload(client, this, "本年.xlsx").get_json()[0]) == PRI01
    assert [p["used_by"] for p in client.get(f"{BASE}/api/priors").get_json()] == [["本年.xlsx"], []]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_hostile_file_of_last_year_gets_the_command_lines_message(tmp_path, ruleset, years, lang, caplog):
    from click.testing import CliRunner

    from evaltool.cli import main

    (tmp_path / "page").mkdir()
    session, client = make(tmp_path / "page", ruleset)
    this, _ = years
    (tmp_path / "last").mkdir()
    (tmp_path / "book.xlsx").write_bytes(this)
    caplog.set_level(logging.DEBUG)
    for name, data in _hostile().items():
        if not name.endswith(".xlsx"):
            continue  # the command line's folder leaves reports out of the pairing
        (tmp_path / "last" / name).write_bytes(data)
        r = upload_prior(client, data, name, lang)
        assert r.status_code == 200, (name, text(r))
        prior = r.get_json()["priors"][0]
        stored = next(p.path for p in session.done_priors() if p.id == prior["id"])
        said = CliRunner().invoke(main, ["check", str(tmp_path / "book.xlsx"), "--prior-dir", str(tmp_path / "last"),
                                         "--lang", lang, "-o", str(tmp_path / "out.xlsx")]).output
        line = prior["error"].replace(stored, str(tmp_path / "last" / name))
        assert line in said.splitlines(), (name, said)
        assert prior["used_by"] == [] and "Traceback" not in text(r)
        (tmp_path / "last" / name).unlink()
    assert not [rec for rec in caplog.records if rec.exc_info or "Traceback" in rec.getMessage()]
    view = upload(client, this, "本年.xlsx", lang).get_json()[0]  # last year's files given, none readable
    assert pri(view) == [] and view["notes"] == [tr("flag.no_prior", lang, year=2022)]


def test_last_years_files_count_against_the_caps(tmp_path, ruleset, years, monkeypatch):
    session, client = make(tmp_path, ruleset)
    this, last = years
    monkeypatch.setattr(S, "MAX_FILES", 1)
    assert upload_prior(client, last, "上年.xlsx").status_code == 200
    r = upload(client, this, "本年.xlsx")
    assert r.status_code == 413 and text(r) == tr("web.too_many", "zh", name="本年.xlsx", cap=1)
    assert client.post(f"{BASE}/api/priors").status_code == 400
    assert os.listdir(os.path.join(session.folder, "prior")) == ["1"]


def _explained_copy(tmp_path: Path, ruleset) -> bytes:
    """The mistakes sample's checked copy with SUM02 explained in 核查结果's 单位说明, as the officer saves it."""
    import openpyxl

    from evaltool.checker import check_file
    from evaltool.outputs.checked import write_checked
    from evaltool.workbook import layout as L

    copy = tmp_path / "copy.checked.xlsx"
    write_checked(check_file(SAMPLES / "fengshun-2023-with-mistakes.xlsx", ruleset), str(copy))
    wb = openpyxl.load_workbook(copy)
    ws = wb[L.RESULTS_SHEET]
    col = L.RESULTS_COLUMN["explain"] + 1
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == "SUM02")
    ws.cell(row, col).value = "决算报表按元取整后汇总，尾差 0.01 万元"
    wb.save(copy)
    return copy.read_bytes()


def test_an_uploaded_copys_explanations_stay_explained(tmp_path, ruleset):
    """A checked copy with 单位说明 typed: the page counts them as the command line does, and explaining
    another warning in the page keeps them in the copy it writes."""
    import openpyxl

    from evaltool.workbook import layout as L

    _, client = make(tmp_path, ruleset)
    view = upload(client, _explained_copy(tmp_path, ruleset), "自评表.checked.xlsx").get_json()[0]
    explained = [f["code"] for g in view["groups"] if g["state"] == "explained" for f in g["findings"]]
    assert explained == ["SUM02"]
    listed = client.get(f"{BASE}/api/files").get_json()[0]
    assert [g["state"] for g in listed["groups"]] == ["error", "unexplained", "explained", "info"]
    pub = next(f for g in listed["groups"] for f in g["findings"] if f["code"] == "PUB01")
    said = "预算批复后因系统升级延迟公开"
    after = client.post(f"{BASE}/api/files/1/explain", json={"finding": pub["id"], "text": said})
    assert sorted(f["code"] for g in after.get_json()["groups"] if g["state"] == "explained"
                  for f in g["findings"]) == ["PUB01", "SUM02"]
    ws = openpyxl.load_workbook(io.BytesIO(client.get(f"{BASE}/download/1/checked").data))[L.RESULTS_SHEET]
    state = {r[0]: r[2] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert state["SUM02"] == state["PUB01"] == tr("state_explained", "zh")


def test_the_pages_county_summary_counts_the_explanations_and_names_the_uploads(tmp_path, ruleset):
    import openpyxl

    _, client = make(tmp_path, ruleset)
    view = upload(client, (SAMPLES / "fengshun-2023-with-mistakes.xlsx").read_bytes(), "教育局.xlsx").get_json()[0]
    sum02 = next(f for g in view["groups"] for f in g["findings"] if f["code"] == "SUM02")
    said = "决算报表按元取整后汇总，尾差 0.01 万元"
    client.post(f"{BASE}/api/files/1/explain", json={"finding": sum02["id"], "text": said})
    ws = openpyxl.load_workbook(io.BytesIO(client.get(f"{BASE}/download/summary").data))["汇总"]
    header = [c.value for c in ws[3]]
    row = dict(zip(header, [c.value for c in ws[4]], strict=True))
    assert (row["其中未说明"], row["其中已说明"], row["待审"]) == (3, 1, 11)
    assert row["文件"] == "教育局.xlsx"  # the name uploaded, not where the launch keeps it
    assert ws.cell(4, header.index("核查副本") + 1).hyperlink.target == "教育局.checked.xlsx"  # beside the summary


@pytest.mark.parametrize(("sent", "copy"), [("自评表.xlsx", "自评表.checked.xlsx"),
                                            ("自评表.checked.xlsx", "自评表.checked-2.xlsx"),
                                            ("自评表.checked-2.xlsm", "自评表.checked-3.xlsm")])
def test_a_copy_checked_again_in_the_page_is_named_as_the_command_line_names_it(tmp_path, ruleset, sent, copy):
    _, client = make(tmp_path, ruleset)
    upload(client, (SAMPLES / "fengshun-2023.xlsx").read_bytes(), sent)
    disposition = client.get(f"{BASE}/download/1/checked").headers["Content-Disposition"]
    assert disposition.endswith(f"filename*=UTF-8''{urllib.parse.quote(copy)}")


def test_a_reports_warning_offers_no_explanation_box(tmp_path, ruleset):
    """The page explains a workbook's warnings only (a report's copy has no 核查结果: the save would be refused)."""
    _, client = make(tmp_path, ruleset)
    view = upload(client, "一、部门职能\n1、拟订政策。\n3、组织实施。\n".encode(), "自评报告.txt").get_json()[0]
    warnings = [f for g in view["groups"] if g["state"] == "unexplained" for f in g["findings"]]
    assert [f["code"] for f in warnings] == ["RPT06"] and not warnings[0]["explainable"]
